"""Fixtures for the retrieval tests: the fictional corpus and a deterministic fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from retrieval_fakes import FakeEmbedder

from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "retrieval"
CORPUS = FIXTURES / "corpus"


@pytest.fixture(scope="session")
def lexicon():  # type: ignore[no-untyped-def]
    """The project's lexicon (retrieval/everyday_law), read once for every module that reads it (about 4 s a read:
    each module and each question of test_retrieval_lexicon had read its own)."""
    from retrieval.lexicon import LEXICON_DIR, Lexicon

    return Lexicon.read(LEXICON_DIR)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def fake_settings() -> tuple[EmbeddingSettings, VectorStoreSettings, RetrievalSettings]:
    # The model name only has to match what the fake reports, so that the manifest checks pass.
    return EmbeddingSettings(model=FakeEmbedder.name), VectorStoreSettings(), RetrievalSettings()


def link_corpus(root: Path) -> Path:
    for src in CORPUS.rglob("*"):
        if src.is_file():
            dst = root / src.relative_to(CORPUS)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.symlink_to(src)
    return root


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A corpus of symlinks to the fixture files, so a test can swap one law for another version."""
    return link_corpus(tmp_path / "corpus")


@pytest.fixture(scope="module")
def built_index(tmp_path_factory: pytest.TempPathFactory):
    """One index over the fictional corpus, built once per module for the read-only tests."""
    from corpora.loader import load_corpus
    from retrieval.index import build_index

    root = tmp_path_factory.mktemp("built")
    corpus = load_corpus(link_corpus(root / "corpus"))
    embedder = FakeEmbedder()
    emb, vs = EmbeddingSettings(model=FakeEmbedder.name), VectorStoreSettings()
    report = build_index(
        corpus.articles, corpus.cases, root / "data", emb, vs, progress=False, embedder=embedder
    )
    return root / "data", report, embedder


def _swap_file(link: Path, target: Path) -> None:
    tmp = link.with_name(link.name + ".new")
    if tmp.exists() or tmp.is_symlink():
        tmp.unlink()
    tmp.symlink_to(target)
    tmp.replace(link)


@pytest.fixture
def swap_file():
    """Point a symlinked corpus file at another version (atomically, like a deployment would)."""
    return _swap_file
