"""The term score of issue 3, beside two baselines, for `legal-assistant eval judgment`.

score(case) = (ln 216 − |ln(gold + 1) − ln(pred + 1)|) / ln 216, life and death sentences skipped,
0 for a case without a prediction. Baselines: 12 months for everyone; the median term of the
similar-case pool's cases with the same charge (the pool's overall median when none has it).

Run on the shared corpus: `python -m assistant.evaluation.sentencing ../shared/corpora`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.circumstances import evaluate_circumstances
from assistant.evaluation.metrics import term_score  # the one term score (eval judgment uses it too)
from assistant.sentencing.engine import estimate_sentence
from assistant.sentencing.rules import GuidelineRules, load_rules
from corpora.records import CaseRecord

__all__ = ["evaluate_circumstances", "evaluate_terms", "term_score"]

Predictor = Callable[[CaseRecord], "float | None"]


# case, gold term, predicted term, its score, the 12-month baseline's, the similar-case median's
Row = tuple[CaseRecord, float, float | None, float, float, float]


def _scored(cases: Sequence[CaseRecord]) -> list[tuple[CaseRecord, float]]:
    """Each case with a fixed term, and that term in months (life and death sentences left out)."""
    return [
        (c, float(c.term_months))
        for c in cases
        if c.term_months is not None and not (c.life_imprisonment or c.death_penalty)
    ]


def charge_medians(pool: Sequence[CaseRecord]) -> tuple[dict[str, float], float]:
    """Median term per charge in the pool, and the pool's overall median."""
    by: dict[str, list[float]] = defaultdict(list)
    scored = _scored(pool)
    for c, months in scored:
        for ch in c.charges:
            by[ch].append(months)
    overall = statistics.median(months for _, months in scored) if scored else 12.0
    return {k: statistics.median(v) for k, v in by.items()}, overall


def evaluate_terms(
    cases: Sequence[CaseRecord],
    article_texts: dict[int | str, str] | None = None,
    similar_pool: Sequence[CaseRecord] | None = None,
    predictor: Predictor | None = None,
    rules: GuidelineRules | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Score the engine (or `predictor`) on `cases` with their gold charges and articles.

    `similar_pool` (e.g. CAIL train) gives the same-charge similar cases to the engine and the
    median baseline. Returns the scores, counts, time per case and the 10 worst cases.
    """
    rules = rules or load_rules()
    pool_by_charge: dict[str, list[CaseRecord]] = defaultdict(list)
    for c in similar_pool or ():
        for ch in c.charges:
            pool_by_charge[ch].append(c)
    medians, overall = charge_medians(similar_pool or [])

    def engine(case: CaseRecord) -> float | None:
        similar = [c for ch in case.charges for c in pool_by_charge.get(ch, ())]
        est = estimate_sentence(
            case.fact, list(case.charges), list(case.articles), article_texts, similar or None, rules
        )
        return est.point_months

    predict = predictor or engine
    scored = _scored(cases)
    rows: list[Row] = []
    none_count, started = 0, time.perf_counter()
    iterator = scored
    if progress:
        from tqdm import tqdm

        iterator = tqdm(scored, desc="term score", unit="case")
    for case, gold in iterator:
        pred = predict(case)
        none_count += pred is None
        same = [medians[ch] for ch in case.charges if ch in medians]
        rows.append(
            (
                case,
                gold,
                pred,
                term_score(gold, pred),
                term_score(gold, 12.0),
                term_score(gold, statistics.median(same) if same else overall),
            )
        )
    elapsed = time.perf_counter() - started
    n = len(rows)

    def mean(score: Callable[[Row], float]) -> float:
        return sum(score(r) for r in rows) / n if n else 0.0

    worst = sorted(rows, key=lambda r: r[3])[:10]
    by_charge: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        by_charge["+".join(r[0].charges)].append((r[3], r[4]))
    weak = sorted(by_charge.items(), key=lambda kv: -sum(1 - s for s, _ in kv[1]))[:15]
    return {
        "n_cases": len(cases),
        "n_scored": n,
        "skipped_life_or_death": len(cases) - n,
        "no_prediction": none_count,
        "term_score": round(mean(lambda r: r[3]), 4),
        "baseline_12_months": round(mean(lambda r: r[4]), 4),
        "baseline_similar_median": round(mean(lambda r: r[5]), 4),
        "seconds_per_case": round(elapsed / n, 5) if n else 0.0,
        # the charges that cost most (cases × shortfall), beside the 12-month baseline on the same cases
        "weak_charges": [
            {
                "charges": k,
                "n": len(v),
                "term_score": round(sum(s for s, _ in v) / len(v), 3),
                "baseline_12_months": round(sum(b for _, b in v) / len(v), 3),
            }
            for k, v in weak
        ],
        "worst": [
            {
                "case_id": r[0].case_id,
                "charges": list(r[0].charges),
                "gold": r[1],
                "pred": r[2],
                "score": round(r[3], 3),
            }
            for r in worst
        ],
    }


def criminal_law_texts(corpus_root: Path) -> dict[int | str, str]:
    """刑法 article number → text, from the laws folder; a suffixed article under "133之一"."""
    from corpora.laws import parse_law_file
    from corpora.numerals import int_to_cn

    doc = parse_law_file(corpus_root / "laws" / "刑法" / "刑法.md", corpus_root)
    return {(f"{a.number}之{int_to_cn(a.suffix)}" if a.suffix else a.number): a.text for a in doc.articles}


def main(argv: list[str]) -> int:
    import json

    from corpora.cases import load_cail

    root = Path(argv[0] if argv else "../shared/corpora")
    test = load_cail(root / "cases/cail2018/test.jsonl", "cail2018/test")
    train = load_cail(root / "cases/cail2018/train.jsonl", "cail2018/train")
    result = evaluate_terms(test, criminal_law_texts(root), train, progress=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
