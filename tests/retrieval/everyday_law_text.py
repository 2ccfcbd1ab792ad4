"""The everyday-law lexicon's text as the reader reads it, its folder's files in name order: a test finds a
block by its header comment (`# ---- stop 17, fam: …`) and counts the entries before it."""

from __future__ import annotations

from retrieval.lexicon import LEXICON_DIR, lexicon_files


def everyday_law_text() -> str:
    return "".join(path.read_text(encoding="utf-8") for path in lexicon_files(LEXICON_DIR))
