"""The one check of the everyday-law lexicon's tests: a question reaches the entry of one source and not another's."""

from __future__ import annotations

from retrieval.lexicon import Lexicon


def check_reaches(
    lexicon: Lexicon, question: str, reached: str | None, not_reached: str | None = None
) -> None:
    """`reached` is among the sources of the entries the question matches, `not_reached` is not (None: no check)."""
    sources = [e.source for _, e in lexicon.matches(question)]
    if reached:
        assert reached in sources, sources
    if not_reached:
        assert not_reached not in sources, sources
