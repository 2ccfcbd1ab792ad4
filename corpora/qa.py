"""THE readers of the published question sets in `qa/`: JEC-QA exam questions and Lawyer-LLaMA
instruction and consultation data. Every user of them (training data, retriever pairs, the
consultation split, `eval mcq`, the RAG set) reads through here, so a format quirk is handled once.

Files are a JSON list (items may be one-element lists) or JSON lines; an unreadable line or a
record that is not an object is reported to `on_problem` with its file and number, never fatal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JEC_QA_TRAIN = Path("qa") / "jec_qa" / "0_train.json"
LAWYER_LLAMA_DIR = Path("qa") / "lawyer_llama" / "data"
CONSULTATION_FILES = (
    "legal_counsel_with_article_v2.json",
    "zixun_gpt4.json",
    "legal_counsel_multi_turn_with_article_v2.json",
)
# The exam and advice sets: a question and its (model-written) answer, no laws listed.
QUESTION_FILES = ("legal_advice.json", "fakao_gpt4.json", "judical_examination.json")
_SPEAKER = re.compile(r"^\[(客户|律师)\]\s*")

Problem = Callable[[str], None]


def _ignore(_: str) -> None:
    return None


def read_records(path: Path, on_problem: Problem = _ignore) -> Iterator[tuple[int, dict[str, Any]]]:
    """(number, record) for each JSON object of a list or JSON-lines file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        items: list[Any] = data if isinstance(data, list) else [data]
    except ValueError:
        items = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except ValueError:
                on_problem(f"malformed JSON line in {path.name}")
    for i, item in enumerate(items, start=1):
        if isinstance(item, list) and len(item) == 1:
            item = item[0]
        if not isinstance(item, dict):
            on_problem(f"not a JSON object in {path.name}")
            continue
        yield i, item


@dataclass(frozen=True)
class JecQuestion:
    qid: str
    statement: str
    options: dict[str, str]
    answer: tuple[str, ...]  # the correct letters; empty in the test file, which has no answers
    subject: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def answer_texts(self) -> list[str]:
        return [self.options[a] for a in self.answer]


def jec_qa(path: Path, on_problem: Problem = _ignore, need_answer: bool = True) -> Iterator[JecQuestion]:
    """The questions with a statement and options (and, with `need_answer`, a valid answer)."""
    for i, item in read_records(path, on_problem):
        options, answer = item.get("option_list"), item.get("answer") or []
        if not isinstance(options, dict) or not options or not item.get("statement"):
            on_problem("question without statement or options")
            continue
        answer = [answer] if isinstance(answer, str) else list(answer)
        if need_answer and (not answer or not all(a in options for a in answer)):
            on_problem("question without a valid answer")
            continue
        yield JecQuestion(
            qid=str(item.get("id") or i),
            statement=str(item["statement"]).strip(),
            options={k: str(v) for k, v in options.items()},
            answer=tuple(answer),
            subject=str(item.get("subject") or ""),
            raw=item,
        )


@dataclass(frozen=True)
class LawyerItem:
    """One Lawyer-LLaMA record, whichever of its layouts: an exam or advice item (instruction,
    input, output; fakao_gpt4 has only `input`, which is then the question), a consultation (query,
    laws, response) or a multi-turn consultation (query, laws, history of `[客户] …` / `[律师] …`)."""

    source: str  # file:number
    question: str
    input: str  # material given with the question ("" when none)
    answer: str  # the reference answer; "" for a multi-turn consultation, whose answers are in `turns`
    laws: tuple[str, ...] = ()  # as listed: `《民法典》第一千零七十九条：<text>`
    # multi-turn only: the client's and the lawyer's texts in turn, client first and lawyer last;
    # empty when the history does not read so. None for a single question.
    turns: tuple[str, ...] | None = None


def _turns(history: Any) -> tuple[str, ...]:
    """Alternating client/lawyer texts; consecutive turns of one speaker are joined into one; a turn
    without its [客户]/[律师] mark is the other speaker's."""
    out: list[tuple[str, str]] = []
    for t in history if isinstance(history, list) else ():
        if not isinstance(t, str):
            continue
        m = _SPEAKER.match(t)
        who = m.group(1) if m else ("客户" if not out or out[-1][0] == "律师" else "律师")
        text = t[m.end() :] if m else t
        if out and out[-1][0] == who:
            out[-1] = (who, out[-1][1] + "\n" + text)
        else:
            out.append((who, text))
    if not out or out[0][0] != "客户" or out[-1][0] != "律师":
        return ()
    return tuple(text for _, text in out)


def lawyer_llama(path: Path, on_problem: Problem = _ignore) -> Iterator[LawyerItem]:
    """Every record of one Lawyer-LLaMA file; one whose question or answer is not text is reported."""
    path = Path(path)
    for i, item in read_records(path, on_problem):
        question = item.get("instruction") or item.get("query") or ""
        given = item.get("input") or ""
        if not question:  # fakao_gpt4: the question is in "input"
            question, given = given, ""
        answer = item.get("output") or item.get("response") or ""
        if not all(isinstance(x, str) for x in (question, given, answer)):
            on_problem(f"unusable record in {path.name}")
            continue
        laws = item.get("laws")
        yield LawyerItem(
            source=f"{path.name}:{i}",
            question=question.strip(),
            input=given.strip(),
            answer=answer.strip(),
            laws=tuple(x for x in laws if isinstance(x, str)) if isinstance(laws, list) else (),
            turns=_turns(item["history"]) if "history" in item else None,
        )


@dataclass(frozen=True)
class Consultation:
    """A Lawyer-LLaMA consultation: the client's query, the laws listed for it
    (`《民法典》第一千零七十九条：<text>`) and the (model-written) reference response."""

    query: str
    laws: tuple[str, ...]
    response: str
    source: str  # file:number
    multi_turn: bool = False


def consultations(corpus_root: Path, on_problem: Problem = _ignore) -> Iterator[Consultation]:
    """Every consultation with a query, file by file in CONSULTATION_FILES order."""
    for name in CONSULTATION_FILES:
        path = Path(corpus_root) / LAWYER_LLAMA_DIR / name
        if not path.is_file():
            continue
        for item in lawyer_llama(path, on_problem):
            if item.question:
                yield Consultation(
                    item.question, item.laws, item.answer, item.source, multi_turn=item.turns is not None
                )
