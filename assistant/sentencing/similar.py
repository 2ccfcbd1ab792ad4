"""Similar judgments: the closest cases with their terms, the median and spread (IQR) of the terms,
and how the similar-case median joins a rule estimate when the guideline does not cover a crime.

Similar cases share the charges (the same set first; else every case that holds them all). They are
ranked by what drives the sentence: the amount, the drug quantity, the blood alcohol, the injury,
then character-bigram overlap of the facts; a caller with a better ranking passes the cases already
ordered and sets `rerank=False`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from corpora.cases import normalize_charge
from corpora.records import CaseRecord

from .quantities import Quantities, extract_quantities

_INJURY_RANK = {"轻微伤": 0, "轻伤": 1, "重伤": 2, "死亡": 3}
# the median is taken over the closest cases when a driver (amount, quantity …) ranks them
MEDIAN_OVER = 30
# Life and death sentences rank above every fixed term. They enter the median at the fixed term's
# ceiling (刑法第四十五条: 有期徒刑 up to fifteen years), so a pool of mostly life sentences does not
# read as a short median of its few fixed terms (故意杀人: 死刑, 无期, 无期, 180 and 84 months → 180).
FIXED_TERM_CEILING = 180.0


@dataclass(frozen=True)
class SimilarCase:
    case_id: str
    charges: tuple[str, ...]
    term_months: float | None
    life_imprisonment: bool
    death_penalty: bool
    score: float  # similarity in [0, 1]
    excerpt: str
    amount_yuan: float | None = None
    why: str = ""  # what makes it close, in words: 同罪名；数额5000元


@dataclass(frozen=True)
class SimilarSummary:
    """The closest cases, and the median and interquartile range of their fixed terms (months)."""

    cases: tuple[SimilarCase, ...]
    n_terms: int  # cases in the median: fixed terms, and life and death sentences at the ceiling
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


@lru_cache(maxsize=50000)
def _drivers(fact: str) -> Quantities:
    return extract_quantities(fact)


def _log_gap(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return abs(math.log(a) - math.log(b))


def _closeness(mine: Quantities, fact: str, case: CaseRecord) -> tuple[float, str]:
    """(score, words): drivers first (amount, drugs, alcohol, injury), then the wording."""
    theirs = _drivers(case.fact)
    score, words = 0.0, []
    for mine_v, their_v, label, unit in (
        (mine.amount_yuan, theirs.amount_yuan, "数额", "元"),
        (mine.drug_grams, theirs.drug_grams, "毒品", "克"),
        (mine.bac, theirs.bac, "血液酒精含量", "mg/100ml"),
    ):
        gap = _log_gap(mine_v, their_v)
        if gap is not None:
            score += 1 / (1 + gap)
            words.append(f"{label}{their_v:g}{unit}")
    if mine.injury and theirs.injury:
        score += 1 / (1 + abs(_INJURY_RANK[mine.injury] - _INJURY_RANK[theirs.injury]))
        words.append(theirs.injury)
    text = similarity(fact, case.fact) if fact else 0.0
    return score + 0.5 * text, "、".join(words) or f"文字相似度{text:.2f}"


def same_charges(cases: Sequence[CaseRecord], charges: Sequence[str]) -> list[CaseRecord]:
    """The cases with exactly these charges; else those holding all of them; else none."""
    want = {normalize_charge(c) for c in charges if c}
    if not want:
        return list(cases)
    exact = [c for c in cases if {normalize_charge(x) for x in c.charges} == want]
    return exact or [c for c in cases if want <= {normalize_charge(x) for x in c.charges}]


def summarize_similar(
    cases: Sequence[CaseRecord],
    fact: str = "",
    top_k: int = 5,
    rerank: bool = True,
    charges: Sequence[str] | None = None,
) -> SimilarSummary:
    """The `top_k` closest cases sharing `charges`, and the median and IQR of the terms of the
    closest `MEDIAN_OVER` of them (all of them when nothing but wording ranks them)."""
    pool = same_charges(cases, charges) if charges else list(cases)
    mine = _drivers(fact) if fact else Quantities()
    scored = [
        (*_closeness(mine, fact, c), i, c) if fact and rerank else (0.0, "", i, c) for i, c in enumerate(pool)
    ]
    if fact and rerank:
        scored.sort(key=lambda t: (-t[0], t[2]))
    closest = tuple(
        SimilarCase(
            c.case_id,
            c.charges,
            c.term_months,
            c.life_imprisonment,
            c.death_penalty,
            round(s, 3),
            c.fact[:80],
            _drivers(c.fact).amount_yuan,
            "同罪名" + (f"；{why}" if why else ""),
        )
        for s, why, _, c in scored[:top_k]
    )
    driven = (
        fact
        and rerank
        and any(v is not None for v in (mine.amount_yuan, mine.drug_grams, mine.bac, mine.injury))
    )
    counted = [c for *_, c in scored[:MEDIAN_OVER]] if driven else pool
    severe = sum(1 for c in counted if c.life_imprisonment or c.death_penalty)
    terms = sorted(
        [
            float(c.term_months)
            for c in counted
            if c.term_months is not None and not (c.life_imprisonment or c.death_penalty)
        ]
        + [FIXED_TERM_CEILING] * severe
    )
    if not terms:
        return SimilarSummary(closest, 0, None, None, None, severe, ("没有判处有期徒刑、拘役的同罪名案例",))
    q1, med, q3 = _quartiles(terms)
    notes = (f"其中{severe}件判处无期徒刑或死刑，按有期徒刑的上限十五年计入中位数",) if severe else ()
    return SimilarSummary(closest, len(terms), med, q1, q3, severe, notes)


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
