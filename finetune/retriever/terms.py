"""A term map from everyday words to the legal terms that answer them, mined from question → answer pairs.

People write 开除, 狗, 社保, 驾照; articles write 解除劳动合同, 饲养的动物, 社会保险费, 机动车驾驶证. The
Lawyer-LLaMA advice, exam and (training-split) consultation answers restate each question in the law's
words, so a word of the questions predicts the legal words of their answers. For each question word w
and answer word t: lift = P(t in answer | w in question) / P(t in answer). The searcher adds the best
terms of each query word to its BM25 query, at a lower weight (retrieval.settings.expansion_weight).
Only words that occur in the index's article texts are kept as terms.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

TERM_MAP_FILE = "term_map.json"  # beside the legal model, read by retrieval.search


def mine_term_map(
    pairs: Sequence[tuple[str, str]],
    tokenize: Callable[[str], list[str]],
    vocabulary: set[str] | None = None,
    *,
    min_pairs: int = 4,
    min_lift: float = 4.0,
    max_answer_share: float = 0.15,
    per_word: int = 3,
) -> dict[str, list[tuple[str, float]]]:
    """{question word: [(legal term, weight in (0, 1]), …]} learned from (question, answer) pairs.

    A term must co-occur with the word in at least `min_pairs` pairs, be `min_lift` times likelier in
    their answers than in answers overall, and appear in at most `max_answer_share` of all answers
    (根据, 规定 explain nothing). Weight: the term's lift relative to the word's best term.
    """
    q_sets = [set(tokenize(q)) for q, _ in pairs]
    a_sets = [set(tokenize(a)) for _, a in pairs]
    n = len(pairs)
    df_q: Counter[str] = Counter(w for s in q_sets for w in s)
    df_a: Counter[str] = Counter(t for s in a_sets for t in s)
    co: dict[str, Counter[str]] = {}
    for qs, as_ in zip(q_sets, a_sets, strict=True):
        for w in qs:
            if df_q[w] >= min_pairs:
                co.setdefault(w, Counter()).update(t for t in as_ if t != w)
    out: dict[str, list[tuple[str, float]]] = {}
    for w, counts in co.items():
        scored = []
        for t, c in counts.items():
            if c < min_pairs or df_a[t] > max_answer_share * n or len(t) < 2:
                continue
            if vocabulary is not None and t not in vocabulary:
                continue
            lift = c * n / (df_q[w] * df_a[t])
            if lift >= min_lift:
                # Evidence and specificity both count: log lift, times the share of w's pairs.
                scored.append((t, math.log(lift) * c / df_q[w]))
        scored.sort(key=lambda x: (-x[1], x[0]))
        if scored:
            best = scored[0][1]
            out[w] = [(t, round(s / best, 3)) for t, s in scored[:per_word]]
    return out


def save_term_map(folder: Path, term_map: dict[str, list[tuple[str, float]]]) -> None:
    (Path(folder) / TERM_MAP_FILE).write_text(json.dumps(term_map, ensure_ascii=False), encoding="utf-8")
