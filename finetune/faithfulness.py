"""`eval faithfulness`: does an answer cite only what supports it, cite the gold, lead with the
answer, and say so when the gold is missing? The agent runs with the backend under test over
held-out questions; for a share of them the gold is held out of every search (as in training).

- citation precision: a mark [n] supports its sentence when the sentence names source n's article,
  quotes it, or shares at least `SUPPORT_OVERLAP` of its character bigrams with it;
- citation recall: gold articles cited by some [n] (gold-present questions);
- unsupported citations: what the agent's own citation check flags;
- answer-first: the first paragraph is a conclusion (no quotation, at most three sentences);
- refusal correctness: with the gold held out, the answer says what is missing and does not cite
  the gold article by name.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.backends.base import NumberedSource
from assistant.backends.extractive import case_outcome
from finetune.rag import DEFAULT_GOLD_ABSENT_SHARE, GoldSearcher, check_share, gold_absent
from finetune.rag_questions import RagQuestion, refs_of

SUPPORT_OVERLAP = 0.5
_MARK = re.compile(r"\[(\d{1,3})\]")
_SENTENCE = re.compile(r"[^。！？\n]+(?:[。！？]|\n|$)")
_POINTER = re.compile(r"^[（(]?其余(?:来源)?(?:\[\d{1,3}\])*(?:内容)?见(?:右侧来源卡片|所附来源)")
_LEADING_MARKS = re.compile(r"^(?:\[\d{1,3}\])+")
_QUOTED = re.compile(r"[“「]([^”」]{6,})[”」]")
_REFUSAL = re.compile(
    r"没有(?:检索到|找到)|未(?:检索到|找到)|来源中没有|缺少|无法(?:确定|判断|回答)|不能给出"
)
_CHECK_SECTION = "**引用核验**"
_HEADING_ONLY = re.compile(r"^\*\*[^*\n]+\*\*[:：]?$")
_BACKEND_HEADER = re.compile(r"^\*[^*\n]+\*\s*$")


class FaithfulnessError(RuntimeError):
    """The evaluation cannot run (the backend failed); the message says what to change."""


@dataclass
class FaithfulnessReport:
    backend: str = ""
    questions: int = 0
    absent: int = 0
    marks: int = 0
    supported: int = 0
    gold_refs: int = 0
    gold_cited: int = 0
    flagged: int = 0
    answer_first: int = 0
    refusals_ok: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        present = self.questions - self.absent
        return {
            "citation_precision": ratio(self.supported, self.marks),
            "citation_recall": ratio(self.gold_cited, self.gold_refs),
            "unsupported_per_answer": ratio(self.flagged, self.questions),
            "answer_first": ratio(self.answer_first, self.questions),
            "refusal_correctness": ratio(self.refusals_ok, self.absent),
            "gold_present_questions": present,
        }

    def to_dict(self) -> dict[str, Any]:
        times = sorted(self.seconds)
        return {
            "backend": self.backend,
            "questions": self.questions,
            "gold_absent": self.absent,
            "marks": self.marks,
            "flagged": self.flagged,
            **self.figures(),
            "dropped": dict(self.dropped),
            "p50_s": round(times[len(times) // 2], 3) if times else None,
        }

    def lines(self) -> list[str]:
        f = self.figures()
        return [
            f"backend: {self.backend}; {self.questions} questions ({self.absent} with the gold held out)",
            f"citation precision {f['citation_precision']} over {self.marks} marks",
            f"citation recall {f['citation_recall']} over {self.gold_refs} gold articles",
            f"unsupported citations (citation check flags) per answer {f['unsupported_per_answer']}",
            f"answer-first {f['answer_first']}; refusal correctness {f['refusal_correctness']}",
            *(f"dropped: {reason}: {n}" for reason, n in self.dropped.items()),
        ]


def sentences(text: str) -> list[str]:
    """Sentences and list lines, never cut inside a quotation (a quoted article keeps its [n])."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "\n" and depth == 0:
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
        depth += 1 if ch in "“「" else -1 if ch in "”」" and depth else 0
        if ch in "。！？" and depth == 0:
            out.append("".join(current))
            current = []
    out.append("".join(current))
    # Marks right after the end of a sentence ("…规定。[2]") belong to that sentence.
    merged: list[str] = []
    for piece in (x.strip() for x in out):
        lead = _LEADING_MARKS.match(piece)
        if lead and merged:
            merged[-1] += lead.group(0)
            piece = piece[lead.end() :].strip()
        if piece:
            merged.append(piece)
    return merged


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def supports(sentence: str, source: NumberedSource) -> bool:
    hit = source.hit
    body = _MARK.sub("", sentence)
    if not source.is_case and any(r.matches(hit) for r in refs_of(body)):
        return True
    text = str(hit.text) + (case_outcome(hit) if source.is_case else "")
    if any(q in " ".join(text.split()) for q in _QUOTED.findall(body)):
        return True
    grams = _bigrams(body)
    return bool(grams) and len(grams & _bigrams(text + str(hit.citation))) / len(grams) >= SUPPORT_OVERLAP


def body_of(answer: str) -> str:
    """The answer without its check section and disclaimer, and without the backend's header line."""
    body = answer.split(_CHECK_SECTION)[0].split("\n---\n")[0].strip()
    lines = body.splitlines()
    while lines and (not lines[0].strip() or _BACKEND_HEADER.match(lines[0].strip())):
        lines.pop(0)
    return "\n".join(lines).strip()


def is_answer_first(body: str) -> bool:
    first = body.split("\n\n")[0].strip()
    if not first or first.startswith(("- ", "> ", "#")) or re.search(r"[“「]|规定：", first):
        return False
    if _HEADING_ONLY.match(first):  # "**适用法条**": a heading, not an answer
        return False
    return len([s for s in _SENTENCE.findall(first) if s.strip()]) <= 3


def score_answer(
    report: FaithfulnessReport,
    q: RagQuestion,
    answer: str,
    sources: Sequence[NumberedSource],
    flagged: int,
    absent: bool,
) -> None:
    body = body_of(answer)
    by_n = {s.n: s for s in sources}
    cited_gold = set()
    for sentence in sentences(body):
        if _POINTER.match(sentence):  # 「其余来源[8]见右侧来源卡片」 points at the cards, claims nothing
            continue
        marks = list(_MARK.finditer(sentence))
        for j, m in enumerate(marks):
            report.marks += 1
            source = by_n.get(int(m.group(1)))
            # the words the mark closes (…的规定[2]) or, in a list (「[7] 强奸罪；有期徒刑24个月」), opens
            before = sentence[marks[j - 1].end() if j else 0 : m.start()]
            after = sentence[m.end() : marks[j + 1].start() if j + 1 < len(marks) else len(sentence)]
            if source is not None and any(
                supports(t, source) for t in (before, after, sentence) if t.strip()
            ):
                report.supported += 1
            if source is not None:
                cited_gold |= {g for g in q.gold if g.matches(source.hit)}
    report.flagged += flagged
    report.answer_first += is_answer_first(body)
    if absent:
        named = set(refs_of(body))
        report.refusals_ok += bool(_REFUSAL.search(body)) and not (named & set(q.gold))
    else:
        report.gold_refs += len(q.gold)
        report.gold_cited += len(cited_gold)


def evaluate(
    searcher: Any,
    backend: Any,
    questions: Sequence[RagQuestion],
    absent_share: float = DEFAULT_GOLD_ABSENT_SHARE,
    seed: int = 0,
) -> FaithfulnessReport:
    from assistant.agent.graph import Agent

    check_share(absent_share)
    gold_searcher = GoldSearcher(searcher, seed)
    agent = Agent(gold_searcher, backend)
    report = FaithfulnessReport(backend=str(getattr(backend, "description", "")))
    for q in questions:
        absent = gold_absent(q, absent_share, seed)
        if len(gold_searcher.arm(q.gold, not absent)) < len(q.gold):
            report.dropped["a gold article is not in the index"] += 1
            continue
        start = time.perf_counter()
        state: dict[str, Any] = {}
        for kind, value in agent.run(q.question):
            if kind == "state":
                state = value
        if not state.get("draft") and not state.get("sources"):
            report.dropped["the agent declined the question"] += 1
            continue
        if state.get("backend") != report.backend:
            raise FaithfulnessError(
                f"the backend under test failed and the agent answered with {state.get('backend')!r}: "
                "check the model, adapter or endpoint (llm.* settings, --model, --adapter, --base-url)"
            )
        report.seconds.append(time.perf_counter() - start)
        report.questions += 1
        report.absent += absent
        checked = state.get("checked")
        flagged = len(checked.flagged) if checked is not None else 0
        score_answer(report, q, state["draft"], state["sources"], flagged, absent)
    return report
