"""Fixtures of the corpora tests: the fictional mini corpus in tests/fixtures/corpora."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpora.loader import Corpus, load_corpus

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "corpora"
MINI = FIXTURES / "mini"


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A writable copy of the fictional mini corpus (tests add bad files to it)."""
    dest = tmp_path / "corpus"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(scope="session")
def real_corpus(shared_corpus: Path) -> Corpus:
    """The whole shared corpus, parsed once per session (about 2 s)."""
    return load_corpus(shared_corpus)
