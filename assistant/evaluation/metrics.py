"""CAIL-style scores: per-case set F1 of articles and charges, and the log-distance term score."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from corpora.cases import normalize_charge

LN_216 = math.log(216)


def charge_key(name: str) -> str:
    """Charge names compare without brackets, a final 罪, or the 帐/账 variant."""
    return normalize_charge(name).replace("帐", "账")


def set_f1(gold: Iterable[object], pred: Iterable[object]) -> float:
    """F1 of two sets; both empty counts as a perfect match, one empty as 0."""
    g, p = set(gold), set(pred)
    if not g and not p:
        return 1.0
    tp = len(g & p)
    if tp == 0:
        return 0.0
    precision, recall = tp / len(p), tp / len(g)
    return 2 * precision * recall / (precision + recall)


def term_score(gold_months: float, pred_months: float | None) -> float:
    """(ln 216 − |ln(gold+1) − ln(pred+1)|) / ln 216, floored at 0; 0 when nothing was predicted."""
    if pred_months is None:
        return 0.0
    distance = abs(math.log(gold_months + 1) - math.log(max(pred_months, 0) + 1))
    return max(0.0, (LN_216 - distance) / LN_216)


@dataclass
class JudgmentScores:
    """Averages over cases; term_score skips life and death sentences."""

    cases: int = 0
    article_f1: float = 0.0
    charge_f1: float = 0.0
    term_score: float = 0.0
    term_cases: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "cases": self.cases,
            "article_f1": round(self.article_f1, 4),
            "charge_f1": round(self.charge_f1, 4),
            "term_score": round(self.term_score, 4),
            "term_cases": self.term_cases,
        }


def score_predictions(golds: list[dict], preds: list[dict]) -> JudgmentScores:
    """golds: {"articles", "charges", "term_months", "life", "death"}; preds: predict's output lines."""
    if len(golds) != len(preds):
        raise ValueError(f"{len(golds)} gold cases but {len(preds)} predictions")
    s = JudgmentScores(cases=len(golds))
    if not golds:
        return s
    a_total = c_total = t_total = 0.0
    for gold, pred in zip(golds, preds, strict=True):
        a_total += set_f1(gold["articles"], pred.get("articles") or [])
        c_total += set_f1(
            {charge_key(c) for c in gold["charges"]},
            {charge_key(c) for c in pred.get("charges") or []},
        )
        if not (gold.get("life") or gold.get("death")) and gold.get("term_months") is not None:
            t_total += term_score(float(gold["term_months"]), pred.get("term_months"))
            s.term_cases += 1
    s.article_f1 = a_total / len(golds)
    s.charge_f1 = c_total / len(golds)
    s.term_score = t_total / s.term_cases if s.term_cases else 0.0
    return s
