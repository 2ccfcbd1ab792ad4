"""Citations, fusion, the Chinese tokenizer, BM25 and model resolution: no index needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corpora.citations import match_law_name, normalize_law_name, parse_citations
from retrieval.embeddings import minilm_path, resolve_embedding_model
from retrieval.filters import compile_where, to_chroma
from retrieval.fusion import rrf
from retrieval.lexical import ChineseTokenizer, LexicalIndex
from retrieval.settings import EmbeddingSettings


@pytest.mark.parametrize(
    ("text", "law", "number", "suffix", "paragraph"),
    [
        ("刑法第二百六十四条", "刑法", 264, 0, None),
        ("刑法第264条", "刑法", 264, 0, None),
        ("刑法264条", "刑法", 264, 0, None),
        ("《中华人民共和国刑法》第264条", "中华人民共和国刑法", 264, 0, None),
        ("专利法第十一条", "专利法", 11, 0, None),
        ("第一百三十三条之一", None, 133, 1, None),
        ("第六十七条第三款", None, 67, 0, 3),
    ],
)
def test_parse_citations_forms(
    text: str, law: str | None, number: int, suffix: int, paragraph: int | None
) -> None:
    (ref,) = parse_citations(text)
    assert (ref.law, ref.number, ref.suffix, ref.paragraph) == (law, number, suffix, paragraph)
    assert text[ref.span[0] : ref.span[1]] == ref.text == text


def test_parse_citations_in_prose_strips_leading_words_and_inherits_the_law() -> None:
    refs = parse_citations(
        "依照《中华人民共和国刑法》第二百六十四条、第六十七条第三款之规定，根据刑法第133条之一"
    )
    assert [(r.law_id, r.number, r.suffix, r.paragraph) for r in refs] == [
        ("刑法", 264, 0, None),
        ("刑法", 67, 0, 3),
        ("刑法", 133, 1, None),
    ]
    assert refs[1].law_inherited and not refs[0].law_inherited
    assert refs[2].text == "刑法第133条之一"


def test_parse_citations_ignores_prose_without_citations() -> None:
    assert parse_citations("盗窃公私财物数额较大怎么处罚") == []
    assert parse_citations("判处有期徒刑三年，罚金264元") == []  # "264元" is no article


def test_normalize_and_match_law_names() -> None:
    assert normalize_law_name("《中华人民共和国刑法》") == "刑法"
    assert normalize_law_name("中华人民共和国专利法（2020修正）") == "专利法"
    known = {"刑法": "刑法", "专利法": "专利法"}
    assert match_law_name("我想知道刑法", known) == "刑法"
    assert match_law_name("商标法", known) is None
    # a title inside a title: 〈〉 as the rules of punctuation write it, 《》 as the corpus's files do
    inner = "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（二）"
    assert (
        normalize_law_name("《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（二）》") == inner
    )
    assert (
        match_law_name(
            "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（二）》", {inner: "i2"}
        )
        == "i2"
    )


def test_rrf_weights_and_ties() -> None:
    fused = rrf([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert [i for i, _ in fused][:2] == ["b", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    # a zero weight removes a ranking; a heavier ranking wins its ties
    assert [i for i, _ in rrf([["a", "b"], ["b", "a"]], weights=[0.0, 1.0])] == ["b", "a"]
    assert [i for i, _ in rrf([["a", "b"], ["b", "a"]], weights=[2.0, 1.0])] == ["a", "b"]
    assert rrf([["x", "x"]])[0][1] == pytest.approx(1 / 61)  # duplicates in one list count once
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 1.0])


def test_tokenizer_user_words_stay_local_and_stopwords_go() -> None:
    import jieba

    plain = ChineseTokenizer()
    legal = ChineseTokenizer(["非法吸收公众存款"])
    assert "非法吸收公众存款" in legal.tokenize("他非法吸收公众存款，怎么处罚？")
    assert "非法吸收公众存款" not in plain.tokenize("他非法吸收公众存款，怎么处罚？")
    assert "非法吸收公众存款" not in jieba.lcut("他非法吸收公众存款")  # the global jieba is untouched
    tokens = plain.tokenize("盗窃公私财物数额较大怎么处罚？ ")
    assert "怎么" not in tokens and "？" not in tokens and "处罚" in tokens and "盗窃" in tokens


def test_lexical_index_ranks_saves_and_loads(tmp_path: Path) -> None:
    ids = ["theft", "fraud", "traffic"]
    texts = ["盗窃公私财物数额较大的处三年以下有期徒刑", "诈骗公私财物数额较大的", "醉酒驾驶机动车的处拘役"]
    index = LexicalIndex(ChineseTokenizer(["醉酒驾驶"])).build(ids, texts)
    assert index.search("盗窃财物", k=3)[0][0] == "theft"
    assert index.search("完全无关的词语", k=3) == []
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    assert loaded.tokenizer.user_words == ["醉酒驾驶"]
    assert loaded.search("醉酒驾驶", k=1)[0][0] == "traffic"
    mask = np.array([False, True, True])
    assert [i for i, _ in loaded.search("公私财物", k=3, mask=mask)] == ["fraud"]


def test_where_filters_match_chroma_semantics() -> None:
    keep = compile_where({"kind": "法律", "number": {"$gte": 100}})
    assert keep({"kind": "法律", "number": 264}) and not keep({"kind": "法律", "number": 67})
    assert compile_where({"$or": [{"law_id": "刑法"}, {"current": False}]})({"law_id": "x", "current": False})
    assert to_chroma({"a": 1, "b": 2}) == {"$and": [{"a": 1}, {"b": 2}]}


def test_resolve_embedding_model(tmp_path: Path) -> None:
    assert resolve_embedding_model(EmbeddingSettings(model="minilm"), tmp_path) == minilm_path()
    assert resolve_embedding_model(EmbeddingSettings(), tmp_path) == minilm_path()
    legal = tmp_path / "models" / "legal-static"
    legal.mkdir(parents=True)
    (legal / "modules.json").write_text("[]")
    assert resolve_embedding_model(EmbeddingSettings(), tmp_path) == str(legal)
    assert (
        resolve_embedding_model(EmbeddingSettings(model="BAAI/bge-small-zh-v1.5"), tmp_path)
        == "BAAI/bge-small-zh-v1.5"
    )


def test_missing_model_folder_is_one_clear_error(tmp_path: Path) -> None:
    from retrieval.embeddings import load_embedder
    from retrieval.errors import EmbeddingModelError

    with pytest.raises(EmbeddingModelError, match="not found: .*nowhere"):
        load_embedder(EmbeddingSettings(model=str(tmp_path / "nowhere")), tmp_path)
