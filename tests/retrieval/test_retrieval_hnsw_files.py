"""Search through the HNSW files an embedded Chroma wrote (retrieval.hnsw_files), without chromadb:
the same hits as through Chroma, and Chroma whenever the files do not hold what Chroma would answer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from retrieval_fakes import FakeEmbedder

from corpora.loader import load_corpus
from retrieval import hnsw_files, store
from retrieval import manifest as mf
from retrieval.index import build_index, update_index
from retrieval.search import Searcher
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

REPO = Path(__file__).resolve().parents[2]
SETTINGS = (EmbeddingSettings(model=FakeEmbedder.name), VectorStoreSettings(), RetrievalSettings())
QUERIES = [
    "盗窃公私财物数额较大怎么处罚",
    "醉酒驾驶机动车",
    "扒窃",
    "专利权人的权利",
    "交通事故逃逸",
    "示例刑法第二百六十四条 多次盗窃",
    "被告人入户盗窃手机一部",
    "发明专利的保护期限",
]
# Chroma writes a collection's graph to disk every `sync_threshold` changes (1,000 by default, far more
# than the fixture's 19 records): small thresholds make the fixture index leave its files as a whole
# index does once `store.persist_logs` has run.
SMALL_BATCHES = {"batch_size": 2, "sync_threshold": 2}


@pytest.fixture
def persisted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    from conftest import link_corpus

    monkeypatch.setattr(store, "HNSW", {**store.HNSW, **SMALL_BATCHES})
    corpus_dir = link_corpus(tmp_path / "corpus")
    corpus = load_corpus(corpus_dir)
    data = tmp_path / "data"
    build_index(corpus.articles, corpus.cases, data, *SETTINGS[:2], progress=False, embedder=FakeEmbedder())
    return data, corpus_dir


def _through_chroma(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hnsw_files, "open_collections", lambda *a, **k: None)


def _hits(searcher: Searcher, **kw) -> list[list[tuple]]:
    return [[(h.record_id, h.score, h.metadata["match"]) for h in searcher.search(q, **kw)] for q in QUERIES]


def _uses_files(searcher: Searcher) -> bool:
    return all(isinstance(c, hnsw_files.FileCollection) for c in searcher._collections.values())


def test_the_files_give_the_hits_chroma_gives(persisted, monkeypatch) -> None:
    data, _ = persisted
    fast = Searcher.open(data, *SETTINGS, embedder=FakeEmbedder())
    assert _uses_files(fast)
    expected = {kind: _hits(fast, kind=kind, k=8) for kind in (None, "statutes", "cases")}
    filtered = _hits(fast, where={"law_id": "示例刑法"}, k=8)  # a where filter goes to Chroma
    assert _uses_files(fast)
    with monkeypatch.context() as m:
        _through_chroma(m)
        slow = Searcher.open(data, *SETTINGS, embedder=FakeEmbedder())
        assert not _uses_files(slow)
        assert {kind: _hits(slow, kind=kind, k=8) for kind in (None, "statutes", "cases")} == expected
        assert _hits(slow, where={"law_id": "示例刑法"}, k=8) == filtered
    assert all(expected[None]) and any(h for q in expected["cases"] for h in q)


def test_file_neighbours_equal_chromas(persisted) -> None:
    data, _ = persisted
    fast = Searcher.open(data, *SETTINGS, embedder=FakeEmbedder())
    manifest = fast.manifest
    client = store.make_client(VectorStoreSettings(), mf.index_dir(data))
    chroma = store.open_collections(client, manifest["collections"])
    vectors = FakeEmbedder().encode(QUERIES)
    for key, col in fast._collections.items():
        assert col.count() == chroma[key].count() == manifest["counts"][key]
        for n in (1, 3, col.count()):
            ours = col.query(query_embeddings=list(vectors), n_results=n, include=["distances"])
            theirs = chroma[key].query(query_embeddings=list(vectors), n_results=n, include=["distances"])
            for ids, d, their_ids, their_d in zip(
                ours["ids"], ours["distances"], theirs["ids"], theirs["distances"], strict=True
            ):
                np.testing.assert_allclose(d, their_d, atol=1e-6)
                # equal vectors (one article in two versions) tie: their order is either's choice
                assert sorted(zip(np.round(d, 5), ids, strict=True)) == sorted(
                    zip(np.round(their_d, 5), their_ids, strict=True)
                )


def test_a_change_only_in_chromas_log_sends_searches_to_chroma(persisted, monkeypatch) -> None:
    data, _ = persisted
    manifest = mf.read_manifest(data)
    monkeypatch.setattr(store, "HNSW", {**store.HNSW, "batch_size": 100, "sync_threshold": 1000})
    client = store.make_client(VectorStoreSettings(), mf.index_dir(data))
    col = store.open_collections(client, manifest["collections"])["statutes"]
    col.modify(configuration={"hnsw": {"sync_threshold": 1000}})
    vector = FakeEmbedder().encode(["未提交的条文"])
    store.add_vectors(
        col, ["uncommitted|0"], vector, [{"kind": "法律"}]
    )  # as an interrupted update leaves it
    chroma_dir = mf.index_dir(data) / store.CHROMA_SUBDIR
    names, counts = manifest["collections"], manifest["counts"]
    assert hnsw_files.open_collections(chroma_dir, names, counts, dict) is None
    searcher = Searcher.open(data, *SETTINGS, embedder=FakeEmbedder())
    assert not _uses_files(searcher) and all(_hits(searcher, k=5))


@pytest.mark.parametrize("damage", ["pickle", "graph", "links", "count", "sqlite"])
def test_damaged_or_short_files_are_not_used(persisted, tmp_path: Path, damage: str) -> None:
    data, _ = persisted
    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    manifest = mf.read_manifest(copy)
    chroma_dir = mf.index_dir(copy) / store.CHROMA_SUBDIR
    folder = next(p for p in chroma_dir.iterdir() if p.is_dir())
    counts = dict(manifest["counts"])
    if damage == "pickle":
        (folder / "index_metadata.pickle").write_bytes(b"not a pickle")
    elif damage == "graph":
        (folder / "data_level0.bin").write_bytes((folder / "data_level0.bin").read_bytes()[:100])
    elif damage == "links":
        (folder / "link_lists.bin").write_bytes((folder / "link_lists.bin").read_bytes()[:-3] or b"xx")
    elif damage == "count":  # the manifest names more vectors than the files hold
        counts = {k: v + 1 for k, v in counts.items()}
    else:
        (chroma_dir / "chroma.sqlite3").write_bytes(b"garbage")
    assert hnsw_files.open_collections(chroma_dir, manifest["collections"], counts, dict) is None


def test_searches_follow_an_update_with_the_same_hits_as_chroma(persisted, monkeypatch) -> None:
    data, corpus_dir = persisted
    fast = Searcher.open(data, *SETTINGS, embedder=FakeEmbedder())
    assert _uses_files(fast)
    patent = corpus_dir / "laws" / "民法商法"
    (patent / "示例专利法(2008-12-27).md").unlink()  # one law version fewer: an update deletes its vectors
    corpus = load_corpus(corpus_dir)
    update_index(corpus.articles, corpus.cases, data, *SETTINGS[:2], progress=False, embedder=FakeEmbedder())
    assert fast.reload_if_changed()
    after = _hits(fast, k=8)
    with monkeypatch.context() as m:
        _through_chroma(m)
        assert _hits(Searcher.open(data, *SETTINGS, embedder=FakeEmbedder()), k=8) == after


def test_a_cold_cli_search_over_written_files_does_not_import_chromadb(tmp_path, monkeypatch) -> None:
    from conftest import link_corpus
    from static_model import write_static_model

    monkeypatch.setattr(store, "HNSW", {**store.HNSW, **SMALL_BATCHES})
    emb = EmbeddingSettings(model=str(write_static_model(tmp_path / "legal-static")))
    corpus = load_corpus(link_corpus(tmp_path / "corpus"))
    build_index(corpus.articles, corpus.cases, tmp_path / "data", emb, VectorStoreSettings(), progress=False)
    code = (
        "import sys\nfrom assistant.cli import main\n"
        f"sys.argv = ['legal-assistant', '--data-dir', {str(tmp_path / 'data')!r}, 'search', '多次盗窃怎么处罚']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('CHROMADB', 'chromadb' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "LEGAL_ASSISTANT__EMBEDDING__MODEL": emb.model}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "CHROMADB False" in out.stderr and "1. " in out.stdout
