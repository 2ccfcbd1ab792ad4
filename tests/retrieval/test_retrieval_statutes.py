"""The 法律 that governs before a regulation that repeats its words: the statute ranking in the fusion and
the score factor by document kind, over a small fictional corpus written here (marked as such)."""

from __future__ import annotations

from pathlib import Path

import pytest
from retrieval_fakes import FakeEmbedder

from retrieval.search import Searcher
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

HEADER = "\n\n2020年1月1日 施行\n\n<!-- INFO END -->\n\n"
# A fictional statute with one article on overtime pay, and a fictional 部门规章 whose every article
# repeats the question's words, so that BM25 over the whole corpus ranks the regulation first.
STATUTE = (
    "# 中华人民共和国示例劳动报酬法" + HEADER + "第一条 为了保护劳动者的合法权益，制定本法。（虚构条文）\n\n"
    "第二条 用人单位安排劳动者延长工作时间的，应当支付不低于工资的百分之一百五十的工资报酬。（虚构条文）\n\n"
    "第三条 用人单位应当按月以货币形式支付劳动者工资。（虚构条文）\n"
)
RULE = (
    "# 示例加班工资核算办法"
    + HEADER
    + "".join(
        f"第{n}条 加班工资的核算台账、加班工资的报送表格和加班工资的统计口径，按照附表{n}填写。（虚构条文）\n\n"
        for n in ("一", "二", "三", "四")
    )
)
QUESTION = "公司不给加班工资怎么办"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FakeEmbedder]:
    from corpora.loader import load_corpus
    from retrieval.index import build_index

    root = tmp_path_factory.mktemp("statutes")
    for rel, text in (
        ("laws/社会法/示例劳动报酬法.md", STATUTE),
        ("laws/部门规章/示例加班工资核算办法.md", RULE),
    ):
        (root / "corpus" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "corpus" / rel).write_text(text, encoding="utf-8")
    corpus = load_corpus(root / "corpus")
    embedder = FakeEmbedder()
    emb = EmbeddingSettings(model=FakeEmbedder.name)
    build_index(
        corpus.articles,
        corpus.cases,
        root / "data",
        emb,
        VectorStoreSettings(),
        progress=False,
        embedder=embedder,
    )
    return root / "data", embedder


def _search(index, query: str, **retrieval) -> list:
    data, embedder = index
    emb = EmbeddingSettings(model=FakeEmbedder.name)
    searcher = Searcher.open(
        # without the lexicons, whose legal words for 加班工资 reach the statute by themselves
        data,
        emb,
        VectorStoreSettings(),
        RetrievalSettings(**{"lexicons": (), **retrieval}),
        embedder=embedder,
    )
    return searcher.search(query, k=5)


def test_without_the_statute_ranking_and_kind_factors_the_regulation_wins(index) -> None:
    hits = _search(index, QUESTION, statute_weight=0, kind_factors={})
    assert hits[0].kind == "部门规章"


def test_the_statute_that_governs_comes_first(index) -> None:
    hits = _search(index, QUESTION)
    assert hits[0].citation == "《中华人民共和国示例劳动报酬法》第二条"


def test_each_part_alone_moves_the_statute_up(index) -> None:
    def rank(**retrieval) -> int:
        hits = _search(index, QUESTION, **retrieval)
        return [h.citation for h in hits].index("《中华人民共和国示例劳动报酬法》第二条")

    neither = rank(statute_weight=0, kind_factors={})
    assert rank(statute_weight=0) < neither
    assert rank(kind_factors={}) < neither


def test_a_question_naming_the_regulation_still_gets_it_first(index) -> None:
    hits = _search(index, "示例加班工资核算办法规定的加班工资台账")
    assert hits[0].law_title == "示例加班工资核算办法"


def test_the_dense_weight_falls_to_the_floor_when_its_laws_are_not_the_laws_the_words_reach(index) -> None:
    data, embedder = index
    emb = EmbeddingSettings(model=FakeEmbedder.name)
    searcher = Searcher.open(
        data, emb, VectorStoreSettings(), RetrievalSettings(agreement_floor=0.5), embedder=embedder
    )
    laws = searcher._held().catalogue.col("law_id")
    statute = [i for i, law in enumerate(laws) if law == "示例劳动报酬法"]
    rule = [i for i, law in enumerate(laws) if law == "示例加班工资核算办法"]
    assert statute and rule
    assert searcher._dense_agreement(statute, rule) == 0.5
    assert searcher._dense_agreement(statute, statute) == 1.0
    assert searcher._dense_agreement(statute[:1] + rule[:1], rule) == 0.75  # half its hits agree
    off = Searcher.open(
        data, emb, VectorStoreSettings(), RetrievalSettings(agreement_floor=1), embedder=embedder
    )
    assert off._dense_agreement(statute, rule) == 1.0
