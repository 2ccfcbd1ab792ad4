"""Rank fusion of the dense and lexical result lists."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def rrf(
    rankings: Sequence[Sequence[T]], k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[T, float]]:
    """Weighted reciprocal-rank fusion: score(id) = Σ_i w_i / (k + rank_i(id)), ranks from 1.

    Returns (id, score) best first; ties keep the order in which ids were first seen, so the
    result is deterministic. With all weights 1 this is Cormack et al.'s RRF.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"rrf: {len(rankings)} rankings but {len(weights)} weights")
    if k < 1:
        raise ValueError("rrf: k must be at least 1")
    scores: dict[T, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if weight == 0:
            continue
        seen: set[T] = set()
        for rank, item in enumerate(ranking, start=1):
            if item in seen:  # a duplicate in one list must not count twice
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
