"""How the assistant's answers read on the kept question suites (tests/retrieval/questions): whether the
first article an answer cites is one a lawyer would cite, how long its body is, whether its conclusion
comes before any quotation (over the answers that rest on sources), and how long it takes.

The first cited article is read from the answer's body (the 引用核验 section and the disclaimer are
not the answer): the first citation naming its law that the index holds. The body is `Answer.body`,
what the reader reads before those; the acceptance point is a median within about 1,200 characters.
Times are taken after one warm-up question, so they leave out opening the index and loading models.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from corpora.citations import parse_citations

WARM_UP = "盗窃罪怎么处罚？"


@dataclass(frozen=True)
class AnsweredQuestion:
    question: str
    area: str
    route: str
    first: str  # the first cited article (its citation), "" when the body cites none the index holds
    right: bool
    body_chars: int
    chars: int  # the whole text: body, 引用核验 section and disclaimer
    leads_with_conclusion: bool
    sources: int  # how many sources the answer rests on (0: declined, refused or failed)
    ms: float  # wall-clock time of the answer
    cpu_ms: float  # CPU time of this process meanwhile (the machine may be shared)


@dataclass
class AnswerScores:
    name: str
    rows: list[AnsweredQuestion] = field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        rows = self.rows
        if not rows:
            return {"answers": 0}
        ms = [r.ms for r in rows]
        return {
            "answers": len(rows),
            "first_right": _share(r.right for r in rows),
            "by_area": {
                area: _share(r.right for r in rows if r.area == area)
                for area in dict.fromkeys(r.area for r in rows if r.area)
            },
            "median_body_chars": int(statistics.median(r.body_chars for r in rows)),
            "median_chars": int(statistics.median(r.chars for r in rows)),
            # over the answers that rest on sources: a declined question quotes none to precede
            "conclusion_first": _share(r.leads_with_conclusion for r in rows if r.sources),
            "without_sources": sum(1 for r in rows if not r.sources),
            "p50_ms": round(_percentile(ms, 50)),
            "p95_ms": round(_percentile(ms, 95)),
            "max_ms": round(max(ms)),
            "p95_cpu_ms": round(_percentile([r.cpu_ms for r in rows], 95)),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.metrics(), "questions": [asdict(r) for r in self.rows]}


def first_cited(body: str, searcher: Any) -> Any:
    """The first article the body cites by its law that the index holds, or None."""
    for ref in parse_citations(body):
        if not ref.law or ref.problem:
            continue
        hit = searcher.get_article(ref.law, ref.number, ref.suffix)
        if hit is not None:
            return hit
    return None


def score_answers(
    answer: Callable[[str], Any],
    searcher: Any,
    name: str,
    questions: Sequence[Any],
    warm_up: str | None = WARM_UP,
    progress: Callable[[Any], Any] = lambda it: it,
) -> AnswerScores:
    """`answer(question) -> Answer` (AssistantService.answer) on each question of a suite
    (retrieval.quality.Question: its text, area and the record ids of the right articles)."""
    if warm_up:
        answer(warm_up)
    out = AnswerScores(name)
    for q in progress(questions):
        wall, cpu = time.perf_counter(), time.process_time()
        a = answer(q.text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        hit = first_cited(a.body, searcher)
        out.rows.append(
            AnsweredQuestion(
                question=q.text,
                area=q.area,
                route=a.route,
                first=str(hit.citation) if hit is not None else "",
                right=hit is not None and hit.record_id in q.gold,
                body_chars=len(a.body),
                chars=len(a.text),
                leads_with_conclusion=a.leads_with_conclusion,
                sources=len(a.sources),
                ms=wall * 1000,
                cpu_ms=cpu * 1000,
            )
        )
    return out


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return round(sum(values) / len(values), 3) if values else 0.0


def _percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
