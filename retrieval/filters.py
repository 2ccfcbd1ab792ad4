"""Chroma-style `where` filters evaluated on record metadata in Python (for lexical and citation hits).

Supports field equality, $eq $ne $gt $gte $lt $lte $in $nin, and $and / $or, as Chroma does, so the
same filter narrows the dense and the lexical side alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retrieval.errors import QueryError

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": lambda a, b: a == b,
    "$ne": lambda a, b: a != b,
    "$gt": lambda a, b: a is not None and a > b,
    "$gte": lambda a, b: a is not None and a >= b,
    "$lt": lambda a, b: a is not None and a < b,
    "$lte": lambda a, b: a is not None and a <= b,
    "$in": lambda a, b: a in b,
    "$nin": lambda a, b: a not in b,
}


def _combine(
    subs: list[Callable[[dict[str, Any]], bool]], how: Callable[..., bool]
) -> Callable[[dict], bool]:
    def check(meta: dict[str, Any]) -> bool:
        return how(s(meta) for s in subs)

    return check


def _compare(key: str, op: Callable[[Any, Any], bool], value: Any) -> Callable[[dict], bool]:
    def check(meta: dict[str, Any]) -> bool:
        return op(meta.get(key), value)

    return check


def compile_where(where: dict[str, Any] | None) -> Callable[[dict[str, Any]], bool]:
    """A predicate over a metadata dict; raises QueryError for an operator it does not know."""
    if not where:
        return lambda meta: True
    if not isinstance(where, dict):
        raise QueryError(f"a where filter must be a dict, got {type(where).__name__}")
    parts: list[Callable[[dict[str, Any]], bool]] = []
    for key, cond in where.items():
        if key in ("$and", "$or"):
            parts.append(_combine([compile_where(c) for c in cond], all if key == "$and" else any))
        elif isinstance(cond, dict):
            for op, value in cond.items():
                if op not in _OPS:
                    raise QueryError(f"unknown operator {op} in the where filter")
                parts.append(_compare(key, _OPS[op], value))
        else:
            parts.append(_compare(key, _OPS["$eq"], cond))
    return lambda meta: all(p(meta) for p in parts)


def to_chroma(where: dict[str, Any] | None) -> dict[str, Any] | None:
    """Chroma wants one key per dict; several keys become an explicit $and."""
    if not where or len(where) == 1:
        return where or None
    return {"$and": [{k: v} for k, v in where.items()]}
