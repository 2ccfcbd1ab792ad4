"""Ranking beyond the fusion, over the fictional corpus: exact phrases, same-numbered articles of other
laws, named laws, and the coverage the index reports."""

from __future__ import annotations

from pathlib import Path

from retrieval.health import index_status
from retrieval.search import Searcher


def _open(built_index, fake_settings) -> Searcher:
    data, _, embedder = built_index
    emb, vs, ret = fake_settings
    return Searcher.open(data, emb, vs, ret, embedder=embedder)


def test_a_verbatim_sentence_finds_its_article_first(built_index, fake_settings) -> None:
    searcher = _open(built_index, fake_settings)
    hits = searcher.search("多次盗窃、入户盗窃、携带凶器盗窃、扒窃的，处三年以下有期徒刑")
    assert hits[0].citation == "《中华人民共和国示例刑法》第二百六十四条"
    assert hits[0].metadata["match"] == "phrase"


def test_a_sentence_that_cites_an_article_finds_its_own_article_first(built_index, fake_settings) -> None:
    # The interpretation's sentence names 示例刑法第二百六十四条; the sentence's own article comes first.
    hits = _open(built_index, fake_settings).search(
        "盗窃公私财物价值一千元至三千元以上的，应当认定为示例刑法第二百六十四条规定的“数额较大”。"
    )
    assert hits[0].law_title == "最高人民法院关于审理示例盗窃案件适用法律若干问题的解释"
    assert hits[0].number == 1
    assert hits[1].citation == "《中华人民共和国示例刑法》第二百六十四条"


def test_a_quoted_phrase_brings_the_articles_containing_it(built_index, fake_settings) -> None:
    hits = _open(built_index, fake_settings).search("“醉酒驾驶机动车”怎么处罚", k=3)
    assert "醉酒驾驶机动车" in hits[0].text and hits[0].metadata["match"] == "phrase"


def test_a_phrase_no_article_holds_falls_back_to_the_fusion(built_index, fake_settings) -> None:
    hits = _open(built_index, fake_settings).search("盗窃公私财物数额较大的怎么处罚呢请告诉我", k=3)
    assert hits and all(h.metadata["match"] != "phrase" for h in hits)


def test_same_numbered_articles_of_other_laws_stay_out(built_index, fake_settings) -> None:
    searcher = _open(built_index, fake_settings)
    hits = searcher.search("示例专利法第一条", k=10)
    assert hits[0].citation == "《中华人民共和国示例专利法》第一条"
    assert not [h for h in hits if h.number == 1 and h.law_id != "示例专利法"]
    # Named, the other law's article may come back.
    both = searcher.search("示例专利法第一条和示例刑法第一条", k=10)
    assert {h.law_id for h in both if h.number == 1} >= {"示例专利法", "示例刑法"}


def test_named_laws_take_the_longest_name(built_index, fake_settings) -> None:
    searcher = _open(built_index, fake_settings)
    assert searcher.named_laws("示例专利法关于实施专利的规定") == {"示例专利法"}
    assert searcher.named_laws("偷东西怎么处罚") == set()


def test_coverage_in_stats_and_status(built_index, fake_settings, tmp_path: Path) -> None:
    data = built_index[0]
    cov = _open(built_index, fake_settings).stats()["coverage"]
    assert cov["laws"] == 4, cov
    assert sum(cov["laws_by_kind"].values()) == 4 and cov["laws_by_kind"]["司法解释"] == 1, cov
    assert cov["newest_document"]["title"] == "中华人民共和国示例刑法"
    assert cov["newest_document"]["date"] == "2023-12-29" and cov["cases"] == 3
    assert any("2023-12-29" in line for line in cov["not_covered"])  # no SOURCE.md: the newest date
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "SOURCE.md").write_text(
        "source repo: Example/Laws\ncommit: abc123 (2025-04-19)\n", encoding="utf-8"
    )
    status = index_status(data, corpus_root=tmp_path, with_coverage=True)["coverage"]
    assert status["corpus"] == {"source": "Example/Laws", "date": "2025-04-19"}
    assert status["as_of"] == "2025-04-19" and status["current_articles"] == cov["current_articles"]
