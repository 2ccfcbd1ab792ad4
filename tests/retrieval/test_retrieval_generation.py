"""The fast paths of a build: bulk tokenisation equal to jieba's, the BM25 index built in a child
process equal to one built inline, child failures reported, Chroma's HNSW settings applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from corpora.loader import load_corpus
from retrieval import children, generation, store
from retrieval import manifest as mf
from retrieval.entries import make_entries
from retrieval.errors import RetrievalError
from retrieval.lexical import ChineseTokenizer, LexicalIndex

# Fictional strings that exercise jieba's corners: runs of latin letters and digits (joined into one
# word), full-width forms (NFKC), user words, long compounds (search mode adds their parts),
# punctuation and spaces between blocks, characters outside jieba's dictionary.
TRICKY = [
    "盗窃公私财物，数额较大的，处三年以下有期徒刑、拘役或者管制，并处或者单处罚金。",
    "被告人张某于2019年3月12日23时许，在ＡＢＣ小区盗窃iPhone12手机1部，价值人民币5000元。",
    "第一百三十三条之一 在道路上驾驶机动车，有下列情形之一的，处拘役，并处罚金：",
    "非法吸收公众存款或者变相吸收公众存款，扰乱金融秩序的 —— a b c 1 2 3 x86_64 c++ 3.5% e-mail",
    "中华人民共和国刑法修正案（十一） 醉酒驾驶机动车的 㐀㐁 𠀀 ",
    "",
    "   ",
    "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸",
]


def _entries():
    corpus = load_corpus(CORPUS)
    return make_entries(corpus.articles, corpus.cases)[0]


def test_tokenize_many_equals_jieba_tokenisation() -> None:
    tokenizer = ChineseTokenizer(["非法吸收公众存款", "醉酒驾驶", "数额较大"])
    texts = TRICKY + [e.lexical_text for e in _entries()]
    texts += texts  # repeated blocks come from the memo
    assert tokenizer.tokenize_many(texts) == [tokenizer.tokenize(t) for t in texts]
    assert "iphone12" in tokenizer.tokenize_many(TRICKY[1:2])[0]  # a latin+digit run stays one word


def test_tokenize_many_breaks_ties_as_jieba_does() -> None:
    # User words share one frequency, so 甲乙|丙 and 甲|乙丙 score exactly the same: jieba takes the
    # path whose first word ends later.
    tokenizer = ChineseTokenizer(["甲乙", "乙丙", "甲", "丙"])
    assert tokenizer.tokenize("甲乙丙") == ["甲乙", "丙"]
    assert tokenizer.tokenize_many(["甲乙丙", "丁甲乙丙丁"]) == [
        tokenizer.tokenize("甲乙丙"),
        tokenizer.tokenize("丁甲乙丙丁"),
    ]


def _build_lexical(data: Path, background: int, monkeypatch: pytest.MonkeyPatch) -> LexicalIndex:
    monkeypatch.setattr(generation, "BACKGROUND_MIN", background)
    entries = _entries()
    name = generation.write_generation(data, entries, ["非法吸收公众存款"], progress=False)
    folder = mf.generation_dir(data, name)
    assert (folder / mf.RECORDS_FILE).read_text(encoding="utf-8").count("\n") == len(entries)
    return LexicalIndex.load(folder / mf.LEXICAL_DIR)


def test_lexical_index_from_the_child_equals_the_inline_one(tmp_path, monkeypatch) -> None:
    inline = _build_lexical(tmp_path / "a", 10**9, monkeypatch)
    child = _build_lexical(tmp_path / "b", 1, monkeypatch)
    assert child.ids == inline.ids and child.tokenizer.user_words == inline.tokenizer.user_words
    for query in ("盗窃公私财物", "诈骗", "行贿", "醉酒驾驶机动车"):
        assert child.search(query, k=10) == inline.search(query, k=10)
        assert inline.search(query, k=10)  # the queries do hit something
    assert not list((tmp_path / "b" / "index" / mf.GENERATIONS).glob("*.tmp"))  # renamed into place


def test_a_failing_child_is_one_clear_error() -> None:
    child = children.Child("retrieval.no_such_module:main", "the test job")
    with pytest.raises(RetrievalError, match="the test job failed in its child process"):
        child.finish()


def test_collections_use_the_measured_hnsw_settings(tmp_path) -> None:
    from retrieval.settings import VectorStoreSettings

    client = store.make_client(VectorStoreSettings(), tmp_path)
    names = store.collection_names("t", "b1")
    store.create_collections(client, names)
    hnsw = store.open_collections(client, names)["statutes"].configuration["hnsw"]
    assert (hnsw["space"], hnsw["ef_construction"], hnsw["ef_search"]) == ("cosine", 48, 256)
