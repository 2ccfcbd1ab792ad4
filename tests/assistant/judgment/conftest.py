"""Fixtures shared by the charge-ranking tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def real_ranker(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The ranker fitted on the real corpus, once for every module that reads it (about 20 s a fit)."""
    from assistant.judgment.build import load_or_fit

    return load_or_fit(shared_corpus, tmp_path_factory.mktemp("ranker"))
