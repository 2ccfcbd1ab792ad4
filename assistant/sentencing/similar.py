"""Similar judgments: the closest cases with their terms, the median and spread (IQR) of the terms,
and how the similar-case median joins a rule estimate when the guideline does not cover a crime.

Closeness is character-bigram overlap of the facts (cheap and model-free); a caller with a better
ranking (the retriever) passes the cases already ordered and sets `rerank=False`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from corpora.records import CaseRecord


@dataclass(frozen=True)
class SimilarCase:
    case_id: str
    charges: tuple[str, ...]
    term_months: float | None
    life_imprisonment: bool
    death_penalty: bool
    score: float  # similarity in [0, 1]
    excerpt: str


@dataclass(frozen=True)
class SimilarSummary:
    """The closest cases, and the median and interquartile range of their fixed terms (months)."""

    cases: tuple[SimilarCase, ...]
    n_terms: int  # cases with a fixed term (life and death sentences are counted apart)
    median_months: float | None
    q1_months: float | None
    q3_months: float | None
    n_life_or_death: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def iqr_months(self) -> float | None:
        return None if self.q1_months is None or self.q3_months is None else self.q3_months - self.q1_months

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["iqr_months"] = self.iqr_months
        return d


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: 1 for identical texts, 0 for disjoint ones."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], statistics.median(values), q[2]


def summarize_similar(
    cases: Sequence[CaseRecord], fact: str = "", top_k: int = 5, rerank: bool = True
) -> SimilarSummary:
    """The `top_k` closest cases (by facts) and the median and IQR of all the given cases' terms."""
    scored = [(similarity(fact, c.fact) if fact and rerank else 0.0, i, c) for i, c in enumerate(cases)]
    if fact and rerank:
        scored.sort(key=lambda t: (-t[0], t[1]))
    closest = tuple(
        SimilarCase(
            c.case_id,
            c.charges,
            c.term_months,
            c.life_imprisonment,
            c.death_penalty,
            round(s, 3),
            c.fact[:80],
        )
        for s, _, c in scored[:top_k]
    )
    terms = sorted(
        float(c.term_months)
        for c in cases
        if c.term_months is not None and not (c.life_imprisonment or c.death_penalty)
    )
    severe = sum(1 for c in cases if c.life_imprisonment or c.death_penalty)
    if not terms:
        return SimilarSummary(closest, 0, None, None, None, severe, ("no similar case with a fixed term",))
    q1, med, q3 = _quartiles(terms)
    return SimilarSummary(closest, len(terms), med, q1, q3, severe)


def combine_with_similar(
    rule_months: float | None, summary: SimilarSummary | None, prior: float = 5.0
) -> float | None:
    """Weighted mean in log(months + 1) space: the similar-case median weighs n / (n + prior).

    Log space because a month matters more in a short sentence than in a long one (the term score is
    measured the same way). With no rule estimate the median stands alone; with neither, None.
    """
    median = summary.median_months if summary else None
    if median is None:
        return rule_months
    if rule_months is None:
        return median
    w = summary.n_terms / (summary.n_terms + prior) if summary else 0.0
    return math.expm1((1 - w) * math.log1p(rule_months) + w * math.log1p(median))
