"""`eval judgment`: score prediction on CAIL-format cases, from facts alone and with gold labels."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from assistant.evaluation.metrics import score_predictions
from assistant.judgment.predict import JudgmentPredictor
from corpora.records import CaseRecord

# What each setting gives the predictor besides the facts.
SETTINGS = {
    "facts": (),
    "gold_charges": ("charges",),
    "gold_charges_articles": ("charges", "articles"),
}


FIRST_SENTENCE_CHARS = 60
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")


def first_sentence(fact: str, limit: int = FIRST_SENTENCE_CHARS) -> str:
    """The first sentence of a fact, at most `limit` characters: how short questions state facts."""
    for sentence in _SENTENCE_END.split(fact.strip()):
        if sentence.strip():
            return sentence.strip()[:limit]
    return fact.strip()[:limit]


def _items(
    cases: Sequence[CaseRecord], given: tuple[str, ...], leave_one_out: bool, short: bool = False
) -> list[dict[str, Any]]:
    items = []
    for case in cases:
        item: dict[str, Any] = {"fact": first_sentence(case.fact) if short else case.fact}
        if "charges" in given:
            item["charges"] = list(case.charges)
        if "articles" in given:
            item["articles"] = list(case.articles)
        if leave_one_out:
            item["leave_one_out"] = True
        items.append(item)
    return items


def _gold(case: CaseRecord) -> dict[str, Any]:
    return {
        "articles": list(case.articles),
        "charges": list(case.charges),
        "term_months": case.term_months,
        "life": case.life_imprisonment,
        "death": case.death_penalty,
    }


def evaluate_judgment(
    predictor: JudgmentPredictor,
    cases: Sequence[CaseRecord],
    leave_one_out: bool = False,
    batch: int = 256,
    progress: bool = False,
    first_sentence_only: bool = False,
) -> dict[str, dict[str, Any]]:
    """{setting: scores + seconds per case} for the three settings in SETTINGS; with
    `first_sentence_only`, the facts setting alone on each fact's first sentence (≤ 60 characters)."""
    from tqdm import tqdm

    golds = [_gold(c) for c in cases]
    results: dict[str, dict[str, Any]] = {}
    settings = {"first_sentence": ()} if first_sentence_only else SETTINGS
    for name, given in settings.items():
        items = _items(cases, given, leave_one_out, short=first_sentence_only)
        started = time.perf_counter()
        preds: list[dict[str, Any]] = []
        for i in tqdm(range(0, len(items), batch), desc=f"eval {name}", disable=not progress, unit="batch"):
            preds += [p.to_dict() for p in predictor.predict_many(items[i : i + batch])]
        elapsed = time.perf_counter() - started
        scores = score_predictions(golds, preds).as_dict()
        scores["seconds_per_case"] = round(elapsed / max(len(items), 1), 5)
        results[name] = scores
    return results
