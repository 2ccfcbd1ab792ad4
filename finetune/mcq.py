"""Multiple-choice exam scoring in the JEC-QA format ({statement, option_list, answer, subject, type}).

Any model that answers a chat prompt can be scored: the caller passes ``answer(messages) → text``
(the assistant's backends, or a local model). Scoring is by generation: the model writes its
answer and the chosen options are parsed from the text — letters in any of the usual forms
('A', 'AB', '答案：A、C', '选C和D', 'Ａ'), or, failing that, the option texts it quotes. A
question counts as correct only when the chosen set equals the answer set (single and multiple).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpora.qa import jec_qa
from finetune.imports import MCQ_INSTRUCTION, format_mcq

LETTERS = "ABCD"
Message = dict[str, str]
_FULLWIDTH = str.maketrans("ＡＢＣＤａｂｃｄ", "ABCDabcd")
_LETTER_RUN = r"[A-D](?:\s*[、，,和及与/／\s]\s*[A-D]|[A-D])*"
_CUES = [
    re.compile(rf"(?:正确)?答案(?:应该|应当)?(?:是|为|选)?\s*[:：]?\s*[（(【\[]?\s*({_LETTER_RUN})"),
    re.compile(rf"(?:应|应该|应当)?选(?:择|项)?(?:为|是)?\s*[:：]?\s*[（(【\[]?\s*({_LETTER_RUN})"),
    re.compile(rf"^\s*[（(【\[]?\s*({_LETTER_RUN})\s*[)）】\]]?\s*(?:[。.．:：、,，\s]|项|选项|$)"),
    re.compile(rf"({_LETTER_RUN})\s*(?:项|选项)?\s*(?:正确|当选|符合题意)"),
]


class MCQError(ValueError):
    """A question file that cannot be used; the message names it."""


@dataclass(frozen=True)
class Question:
    qid: str
    statement: str
    options: dict[str, str]
    answer: frozenset[str]
    subject: str = ""

    @property
    def multiple(self) -> bool:
        return len(self.answer) > 1


def load_questions(path: Path, limit: int | None = None) -> tuple[list[Question], int]:
    """(questions, skipped): JSON lines or a JSON list; records without statement/options/answer are skipped."""
    path = Path(path)
    if not path.is_file():
        raise MCQError(f"question file not found: {path}")
    problems: list[str] = []
    out = []
    for q in jec_qa(path, problems.append):
        out.append(Question(q.qid, q.statement, q.options, frozenset(q.answer), q.subject or "未标注"))
        if limit and len(out) >= limit:
            break
    if not out:
        raise MCQError(
            f"{path} holds no usable JEC-QA questions (statement, option_list, answer); {len(problems)} skipped"
        )
    return out, len(problems)


def _letters(run: str) -> set[str]:
    return set(re.findall(r"[A-D]", run))


def parse_choice(text: str, options: dict[str, str] | None = None) -> set[str]:
    """The options a model's answer picks; empty when none can be read."""
    text = (text or "").translate(_FULLWIDTH)
    text = re.sub(r"<think>.*?</think>", "", text, flags=re.S).strip()
    for cue in _CUES:
        m = cue.search(text)
        if m:
            return _letters(m.group(1))
    head = text.splitlines()[0] if text else ""
    bare = re.findall(r"(?<![A-Za-z])([A-D])(?![A-Za-z])", head)
    if bare:
        return set(bare)
    if options:  # no letter at all: the options whose text the answer quotes
        quoted = {k for k, v in options.items() if len(_norm(v)) >= 3 and _norm(v) in _norm(text)}
        if quoted:
            return quoted
    return set()


def _norm(s: str) -> str:
    return re.sub(r"[\s，。；、,.;:：“”\"'（）()]", "", s)


def prompt_messages(q: Question) -> list[Message]:
    return [
        {
            "role": "user",
            "content": f"{MCQ_INSTRUCTION}\n{format_mcq(q.statement, q.options)}\n"
            "请直接回答选项字母，格式：答案：X",
        }
    ]


@dataclass
class MCQReport:
    n: int = 0
    correct: int = 0
    unparsed: int = 0
    skipped: int = 0
    by_subject: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def add(self, q: Question, reply: str, chosen: set[str]) -> None:
        ok = chosen == set(q.answer)
        self.n += 1
        self.correct += ok
        self.unparsed += not chosen
        for table, key in (
            (self.by_subject, q.subject),
            (self.by_type, "multiple" if q.multiple else "single"),
        ):
            table[key][0] += ok
            table[key][1] += 1
        self.rows.append(
            {
                "id": q.qid,
                "answer": "".join(sorted(q.answer)),
                "chosen": "".join(sorted(chosen)),
                "correct": ok,
                "reply": reply[:300],
            }
        )

    def lines(self) -> list[str]:
        out = [
            f"accuracy {self.accuracy:.3f} ({self.correct}/{self.n}); unparsed replies {self.unparsed}; "
            f"skipped records {self.skipped}; scored by generation (greedy), exact option-set match"
        ]
        for name, table in (("type", self.by_type), ("subject", self.by_subject)):
            for key, (ok, n) in sorted(table.items(), key=lambda kv: -kv[1][1]):
                out.append(f"  {name} {key:<20} {ok / n:.3f} ({ok}/{n})")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "unparsed": self.unparsed,
            "skipped": self.skipped,
            "by_subject": dict(self.by_subject),
            "by_type": dict(self.by_type),
            "rows": self.rows,
        }


def evaluate(
    questions: Iterable[Question], answer: Callable[[list[Message]], str], progress: bool = True
) -> MCQReport:
    """Ask every question, parse the reply, tally overall / per subject / single vs multiple."""
    items = list(questions)
    if progress:
        from tqdm import tqdm

        items = tqdm(items, desc="questions", unit=" q")
    report = MCQReport()
    for q in items:
        reply = answer(prompt_messages(q))
        report.add(q, reply, parse_choice(reply, q.options))
    return report
