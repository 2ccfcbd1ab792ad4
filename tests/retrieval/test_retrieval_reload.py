"""A served index follows the CLI's updates and builds: one switch, vectors included, and a search
running across the switch finishes on the generation it started on (finding 6.1)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import retrieval.search as search_module
from corpora.loader import load_corpus
from retrieval.index import build_index, update_index
from retrieval.search import Searcher

HISTORY = (
    Path(__file__).resolve().parent.parent / "fixtures" / "retrieval" / "history" / "示例刑法(2019-01-01).md"
)
QUESTION = "盗窃公私财物数额较大"


def _answer(searcher: Searcher, query: str = QUESTION, **kw) -> list[tuple[str, str, float]]:
    return [(h.record_id, h.text, round(h.score, 9)) for h in searcher.search(query, k=6, **kw)]


@pytest.fixture
def two_versions(corpus_copy: Path, swap_file, tmp_path: Path, fake_settings, fake_embedder):
    """An index of the older 示例刑法 and a function that moves the corpus to the other version and
    updates (or rebuilds) the index from another 'process' (its own calls, not the searcher's)."""
    emb, vs, ret = fake_settings
    law = corpus_copy / "laws" / "刑法" / "示例刑法.md"
    versions = {"old": HISTORY, "new": law.resolve()}
    swap_file(law, versions["old"])
    data = tmp_path / "data"
    corpus = load_corpus(corpus_copy)
    build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)

    def switch(version: str, rebuild: bool = False) -> None:
        swap_file(law, versions[version])
        c = load_corpus(corpus_copy)
        job = build_index if rebuild else update_index
        job(c.articles, c.cases, data, emb, vs, progress=False, embedder=fake_embedder)

    return data, switch


@pytest.mark.parametrize("attempts", [1, search_module.FOLLOW_ATTEMPTS])
def test_search_across_a_reload_finishes_on_one_generation(
    two_versions, fake_settings, fake_embedder, monkeypatch, attempts
):
    """Paused inside the fusion while the index is updated and reloaded: with one attempt the search
    finishes on the generation it started on; by default it is answered again from the new one."""
    monkeypatch.setattr(search_module, "FOLLOW_ATTEMPTS", attempts)
    data, switch = two_versions
    emb, vs, ret = fake_settings
    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    before = _answer(searcher)
    entered, release = threading.Event(), threading.Event()
    real_rrf = search_module.rrf

    def paused_rrf(*args, **kwargs):
        if threading.current_thread().name == "slow-search" and not release.is_set():
            entered.set()
            release.wait(30)
        return real_rrf(*args, **kwargs)

    monkeypatch.setattr(search_module, "rrf", paused_rrf)
    result: dict[str, object] = {}

    def slow() -> None:
        try:
            result["hits"] = _answer(searcher)
        except Exception as e:  # the failure this test is about
            result["error"] = e

    thread = threading.Thread(target=slow, name="slow-search")
    thread.start()
    assert entered.wait(30)
    switch("new")  # 1 article added, 1 removed, 2 changed: every position after them moves
    assert searcher.reload_if_changed()
    release.set()
    thread.join(30)
    assert "error" not in result, result.get("error")
    after = _answer(Searcher.open(data, emb, vs, ret, embedder=fake_embedder))
    assert after != before and _answer(searcher) == after
    # Never a mix: the whole search ran on the generation it started on, or again on the new one.
    assert result["hits"] == (before if attempts == 1 else after)


def test_served_searcher_follows_a_rebuild_with_its_vectors(two_versions, fake_settings, fake_embedder):
    data, switch = two_versions
    emb, vs, ret = fake_settings
    dense_only = ret.model_copy(update={"lexical_weight": 0.0, "citation_weight": 0.0})
    searcher = Searcher.open(data, emb, vs, dense_only, embedder=fake_embedder)
    old = searcher.manifest["collections"]
    assert _answer(searcher)
    switch("new", rebuild=True)  # new Chroma collections; the old ones are dropped
    # No reload call: the next search notices the new manifest by itself.
    got = _answer(searcher)
    assert searcher.manifest["collections"] != old
    assert got == _answer(Searcher.open(data, emb, vs, dense_only, embedder=fake_embedder))
    assert any("第一百三十三条之一" in h.citation for h in searcher.search("驾驶机动车 追逐竞驶", k=8))


def test_concurrent_searches_during_updates_never_mix(two_versions, fake_settings, fake_embedder):
    data, switch = two_versions
    emb, vs, ret = fake_settings
    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    queries = [(QUESTION, {}), ("扒窃", {"kind": "interpretations"}), ("盗窃", {"where": {"kind": "法律"}})]
    expected = {"old": [_answer(searcher, q, **kw) for q, kw in queries]}
    switch("new")
    fresh = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    expected["new"] = [_answer(fresh, q, **kw) for q, kw in queries]
    assert expected["new"] != expected["old"]
    stop, problems, seen = threading.Event(), [], set()

    def worker() -> None:
        while not stop.is_set():
            for n, (q, kw) in enumerate(queries):
                try:
                    got = _answer(searcher, q, **kw)
                except Exception as e:
                    problems.append(repr(e))
                    return
                match = [v for v, answers in expected.items() if answers[n] == got]
                if not match:
                    problems.append(f"{q}: an answer of neither generation: {got}")
                seen.update(match)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for version in ("old", "new", "old", "new"):
            switch(version)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert not problems, problems[:3]
    assert _answer(searcher) == expected["new"][0]


def test_served_searcher_quotes_the_new_text_after_an_update(two_versions, fake_settings, fake_embedder):
    """6.1: after a CLI `index update` the chat quoted the old text indefinitely, and after a reload
    dense search answered from the old vectors (the served searcher's own Chroma client)."""
    data, switch = two_versions
    emb, vs, ret = fake_settings
    dense_only = ret.model_copy(update={"lexical_weight": 0.0, "citation_weight": 0.0})
    searcher = Searcher.open(data, emb, vs, dense_only, embedder=fake_embedder)
    old = searcher.get_article("示例刑法", 2)
    assert old is not None and "旧版" in old.text
    assert _answer(searcher, "醉酒驾驶机动车")
    switch("new")  # an update by another process: no reload call in this one
    new = searcher.get_article("示例刑法", 2)
    assert new is not None and "新版" in new.text
    fresh = Searcher.open(data, emb, vs, dense_only, embedder=fake_embedder)
    for query in ("醉酒驾驶机动车", QUESTION):
        assert _answer(searcher, query) == _answer(fresh, query)


def test_served_searcher_sees_the_vectors_another_process_updated(
    corpus_copy: Path, swap_file, tmp_path: Path
):
    """6.1: after a CLI `index update` (another process), serve's own Chroma client kept the HNSW index
    it had loaded: dense search answered from the old vectors and missed every changed article."""
    import os
    import subprocess
    import sys

    from static_model import write_static_model

    from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

    model = write_static_model(tmp_path / "legal-static")  # a real model folder the CLI process loads
    law = corpus_copy / "laws" / "刑法" / "示例刑法.md"
    new = law.resolve()
    swap_file(law, HISTORY)
    data, emb, vs = tmp_path / "data", EmbeddingSettings(model=str(model)), VectorStoreSettings()
    c = load_corpus(corpus_copy)
    build_index(c.articles, c.cases, data, emb, vs, progress=False)
    dense_only = RetrievalSettings().model_copy(update={"lexical_weight": 0.0, "citation_weight": 0.0})
    searcher = Searcher.open(data, emb, vs, dense_only)
    assert len(searcher.search("醉酒驾驶机动车", k=40)) == len(searcher.entries)  # k above: every entry

    swap_file(law, new)  # 第一百三十三条之一 added, 第二百七十条 removed, 2 changed
    env = {
        **os.environ,
        "LEGAL_ASSISTANT__EMBEDDING__MODEL": str(model),
        "LEGAL_ASSISTANT_DATA_DIR": str(data),
    }
    cli = [sys.executable, "-m", "assistant.cli", "--corpus", str(corpus_copy), "index", "update"]
    done = subprocess.run(cli, env=env, capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr[-2000:]

    hits = searcher.search("醉酒驾驶机动车", k=40)  # no reload call: the search follows by itself
    assert len(hits) == len(searcher.entries), [h.citation for h in hits]
    assert any(h.citation.endswith("第一百三十三条之一") for h in hits)
    assert all("第二百七十条" not in h.citation for h in hits)
