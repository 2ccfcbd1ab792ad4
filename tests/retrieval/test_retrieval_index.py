"""Build, search and update over the fictional corpus with the fake embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpora.loader import load_corpus
from retrieval.errors import EmbeddingMismatchError, IndexCorruptError, IndexNotFoundError, QueryError
from retrieval.health import index_status
from retrieval.index import build_index, update_index
from retrieval.langchain_retriever import LegalRetriever
from retrieval.search import Searcher

HISTORY = (
    Path(__file__).resolve().parent.parent / "fixtures" / "retrieval" / "history" / "示例刑法(2019-01-01).md"
)


def _build(root: Path, data: Path, settings, embedder):
    corpus = load_corpus(root)
    emb, vs, _ = settings
    return build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=embedder)


def _open(data: Path, settings, embedder) -> Searcher:
    emb, vs, ret = settings
    return Searcher.open(data, emb, vs, ret, embedder=embedder)


@pytest.fixture
def built(built_index):
    return built_index[:2]


@pytest.fixture
def built_fresh(corpus_copy: Path, tmp_path: Path, fake_settings, fake_embedder):
    data = tmp_path / "data"
    return data, _build(corpus_copy, data, fake_settings, fake_embedder)


def test_build_counts_collections_and_manifest(built_index) -> None:
    data, report, fake_embedder = built_index
    assert report.counts == {"statutes": 14, "interpretations": 2, "cases": 3}
    assert report.embedded == 19 and fake_embedder.encoded == 19
    manifest = json.loads((data / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedding"]["model"] == "fake-bigram-64" and manifest["embedding"]["dimension"] == 64
    assert len(manifest["entries"]) == 19 and manifest["built_at"]
    status = index_status(data)
    assert status["exists"] and status["records"] == 19 and status["problem"] is None


@pytest.mark.parametrize(
    "query", ["示例刑法第二百六十四条", "示例刑法264条", "《中华人民共和国示例刑法》第264条"]
)
def test_citation_queries_resolve_first(built, fake_settings, fake_embedder, query: str) -> None:
    hits = _open(built[0], fake_settings, fake_embedder).search(query)
    assert hits[0].citation == "《中华人民共和国示例刑法》第二百六十四条"
    assert hits[0].metadata["match"] == "citation" and hits[0].current


def test_prose_query_and_kinds(built, fake_settings, fake_embedder) -> None:
    searcher = _open(built[0], fake_settings, fake_embedder)
    hits = searcher.search("醉酒驾驶机动车怎么处罚", kind="statutes", k=3)
    assert hits[0].number_cn == "第一百三十三条之一" and all(h.collection == "statutes" for h in hits)
    cases = searcher.search("窃取手机", kind="cases", k=2)
    assert cases[0].collection == "cases" and "盗窃" in cases[0].citation
    interp = searcher.search("多次盗窃", kind="interpretations", k=5)
    assert {h.collection for h in interp} == {"interpretations"}
    assert searcher.search("示例刑法第二百六十四条", kind="cases", k=3)[0].collection == "cases"


def test_lookup_versions_and_stats(built, fake_settings, fake_embedder) -> None:
    searcher = _open(built[0], fake_settings, fake_embedder)
    (hit,) = searcher.lookup("第一百三十三条之一")
    assert (hit.law_id, hit.number, hit.suffix) == ("示例刑法", 133, 1)
    current = searcher.get_article("示例专利法", 11)
    assert current is not None and "现行" in current.text and current.current
    old = searcher.get_article("中华人民共和国示例专利法", 11, on_date="2015-01-01")
    assert old is not None and "旧版" in old.text and not old.current
    assert searcher.get_article("示例专利法", 11, on_date="2000-01-01") is None
    assert searcher.get_article("不存在的法", 1) is None
    stats = searcher.stats()
    patent = next(law for law in stats["laws"] if law["law_id"] == "示例专利法")
    assert patent["versions"] == ["2008-12-27", "2020-10-17"] and patent["current_version"] == "2020-10-17"
    assert stats["collections"]["cases"] == 3


def test_where_filter_applies_to_both_sides(built, fake_settings, fake_embedder) -> None:
    searcher = _open(built[0], fake_settings, fake_embedder)
    hits = searcher.search("专利权", where={"current": False}, k=5)
    assert hits and all(not h.current for h in hits)


@pytest.mark.parametrize("query", ["", "   \n", "字" * 100_000])
def test_bad_queries_are_refused(built, fake_settings, fake_embedder, query: str) -> None:
    with pytest.raises(QueryError, match="空的|字符"):
        _open(built[0], fake_settings, fake_embedder).search(query)


def test_update_reports_exactly_what_changed(
    corpus_copy, tmp_path, fake_settings, fake_embedder, swap_file
) -> None:
    data = tmp_path / "data"
    law = corpus_copy / "laws" / "刑法" / "示例刑法.md"
    current_target = law.resolve()
    swap_file(law, HISTORY)
    _build(corpus_copy, data, fake_settings, fake_embedder)
    assert "甲乙丙" in _open(data, fake_settings, fake_embedder).search("示例刑法第三百九十条")[0].text
    swap_file(law, current_target)
    corpus = load_corpus(corpus_copy)
    before = fake_embedder.encoded
    emb, vs, _ = fake_settings
    report = update_index(
        corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder
    )
    changes = report.laws["示例刑法"]
    assert changes.changed == ["第二条", "第三百九十条"]
    assert changes.added == ["第一百三十三条之一"] and changes.removed == ["第二百七十条"]
    assert set(report.laws) == {"示例刑法"}
    assert report.reembedded == 3 == fake_embedder.encoded - before  # the 6 others only changed version
    searcher = _open(data, fake_settings, fake_embedder)
    assert "多次行贿" in searcher.search("示例刑法第三百九十条")[0].text
    for q in ["旧版行贿条文已经失效的独有词语甲乙丙", "甲乙丙"]:
        assert all("甲乙丙" not in h.text for h in searcher.search(q, k=50))
    assert searcher.get_article("示例刑法", 270) is None
    again = update_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    assert not again.laws and again.reembedded == 0


def test_update_with_another_model_says_rebuild(built, corpus_copy, fake_settings) -> None:
    from retrieval.settings import EmbeddingSettings

    corpus = load_corpus(corpus_copy)
    _, vs, ret = fake_settings
    with pytest.raises(EmbeddingMismatchError, match="full rebuild"):
        update_index(
            corpus.articles, corpus.cases, built[0], EmbeddingSettings(model="minilm"), vs, progress=False
        )
    with pytest.raises(EmbeddingMismatchError, match="fake-bigram-64"):
        Searcher.open(built[0], EmbeddingSettings(model="minilm"), vs, ret)


def test_corrupt_and_missing_index_errors(built_fresh, tmp_path, fake_settings, fake_embedder) -> None:
    data = built_fresh[0]
    with pytest.raises(IndexNotFoundError, match="index build"):
        _open(tmp_path / "nothing", fake_settings, fake_embedder)
    manifest = data / "index" / "manifest.json"
    good = manifest.read_bytes()
    manifest.write_bytes(b"\x00garbage{")
    with pytest.raises(IndexCorruptError, match="manifest .* unreadable"):
        _open(data, fake_settings, fake_embedder)
    assert index_status(data)["problem"]
    manifest.write_bytes(good)
    _open(data, fake_settings, fake_embedder)  # restoring the manifest restores the index: nothing lost
    import shutil

    shutil.rmtree(data / "index" / "chroma")
    with pytest.raises(IndexCorruptError, match="Chroma"):
        _open(data, fake_settings, fake_embedder)


def test_langchain_retriever_returns_documents(built, fake_settings, fake_embedder) -> None:
    retriever = LegalRetriever(searcher=_open(built[0], fake_settings, fake_embedder), k=2)
    docs = retriever.invoke("示例刑法第二百六十四条")
    assert len(docs) == 2 and "盗窃公私财物" in docs[0].page_content
    assert docs[0].metadata["citation"] == "《中华人民共和国示例刑法》第二百六十四条"
    assert docs[0].metadata["number"] == 264
