"""Lawyer-LLaMA consultations (`{query, laws, …}`) and their fixed held-out split.

The consultation files cite each law as `《民法典》第一千零七十九条：<text>`. The same query
appears in more than one file (single- and multi-turn sets), so items are merged by query
before the split, and the split hashes the query: a query is held out in every file or in none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from corpora.citations import normalize_law_name, parse_citations
from corpora.qa import CONSULTATION_FILES, LAWYER_LLAMA_DIR, consultations

DATA_DIR = LAWYER_LLAMA_DIR
HELDOUT_FRACTION = 0.2
SPLIT_SALT = "lawyer-llama-heldout-v1"


class ConsultationDataError(ValueError):
    """The Lawyer-LLaMA consultation files are missing or unreadable."""


@dataclass(frozen=True)
class Consultation:
    query: str
    citations: tuple[tuple[str, int, int], ...]  # (law name normalised, article number, suffix)


def _cited(laws: list[str]) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for entry in laws:
        refs = parse_citations(entry.split("：", 1)[0])
        if refs and refs[0].law:
            out.append((normalize_law_name(refs[0].law), refs[0].number, refs[0].suffix))
    return out


def load_consultations(corpus_root: Path) -> list[Consultation]:
    """Every distinct consultation query with the articles its answer cites, in file order."""
    if not any((Path(corpus_root) / DATA_DIR / name).is_file() for name in CONSULTATION_FILES):
        raise ConsultationDataError(
            f"no Lawyer-LLaMA consultation files under {Path(corpus_root) / DATA_DIR}"
        )
    merged: dict[str, dict[tuple[str, int, int], None]] = {}
    try:
        for c in consultations(corpus_root):
            merged.setdefault(c.query, {}).update(dict.fromkeys(_cited(list(c.laws))))
    except (OSError, ValueError) as e:
        raise ConsultationDataError(f"cannot read the consultation files: {e}") from e
    return [Consultation(q, tuple(c)) for q, c in merged.items() if c]


def is_heldout(query: str, fraction: float = HELDOUT_FRACTION) -> bool:
    """Deterministic, order-free membership of the held-out split (hash of the query)."""
    digest = hashlib.sha1(f"{SPLIT_SALT}\x1f{query}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def split_consultations(items: list[Consultation]) -> tuple[list[Consultation], list[Consultation]]:
    """(train, held out): the held-out part never enters training."""
    train = [c for c in items if not is_heldout(c.query)]
    heldout = [c for c in items if is_heldout(c.query)]
    return train, heldout
