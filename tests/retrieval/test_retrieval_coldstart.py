"""Cold start of a search: Chroma's HNSW log written to disk by a build, so that opening a collection
replays nothing; the same neighbours before and after."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from retrieval import store
from retrieval.lexical import ChineseTokenizer, FrozenFreq, LexicalIndex
from retrieval.settings import VectorStoreSettings

HNSW_NAMES = {"statutes": "la-statutes-test0001"}


def _queued(chroma: Path) -> int:
    """Rows of Chroma's write-ahead log (its own table: what a process replays when it opens the store)."""
    with sqlite3.connect(chroma / "chroma.sqlite3") as db:
        return int(db.execute("select count(*) from embeddings_queue").fetchone()[0])


def _store_with_log(index_dir: Path, n: int = 300) -> np.ndarray:
    client = store.make_client(VectorStoreSettings(), index_dir)
    (col,) = store.create_collections(client, HNSW_NAMES).values()
    vectors = np.random.default_rng(0).standard_normal((n, 16)).astype(np.float32)
    store.add_vectors(col, [f"e{i}" for i in range(n)], vectors, [{"kind": "x"}] * n)
    store._forget_client(index_dir / store.CHROMA_SUBDIR)  # as a later process would find it
    return vectors


def _neighbours(index_dir: Path, queries: np.ndarray) -> tuple[list, list]:
    client = store.make_client(VectorStoreSettings(), index_dir)
    col = client.get_collection(HNSW_NAMES["statutes"], embedding_function=None)
    res = col.query(query_embeddings=list(queries), n_results=10, include=["distances"])
    store._forget_client(index_dir / store.CHROMA_SUBDIR)
    return res["ids"], res["distances"]


def test_persist_logs_empties_the_log_and_keeps_the_neighbours(tmp_path: Path, monkeypatch) -> None:
    vectors = _store_with_log(tmp_path)
    chroma = tmp_path / store.CHROMA_SUBDIR
    assert _queued(chroma) >= 300  # fewer than sync_threshold changes: all of them wait in the log
    before = _neighbours(tmp_path, vectors[:5])
    store.persist_logs(VectorStoreSettings(), tmp_path, HNSW_NAMES, entries=300)  # too small: no child
    assert _queued(chroma) >= 300
    monkeypatch.setattr(store, "PERSIST_MIN", 0)
    store.persist_logs(VectorStoreSettings(), tmp_path, HNSW_NAMES, entries=300)
    assert _queued(chroma) <= 1  # Chroma keeps the last row
    ids, distances = _neighbours(tmp_path, vectors[:5])
    assert ids == before[0]
    assert np.allclose(distances, before[1])
    client = store.make_client(VectorStoreSettings(), tmp_path)
    config = client.get_collection(HNSW_NAMES["statutes"]).configuration["hnsw"]
    assert config["sync_threshold"] == 1000  # restored: updates still write the index every 1,000 changes
    assert config["ef_search"] == store.HNSW["ef_search"]


def test_persist_logs_fails_with_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    _store_with_log(tmp_path, n=20)
    monkeypatch.setattr(store, "PERSIST_MIN", 0)
    from retrieval.errors import RetrievalError

    with pytest.raises(RetrievalError, match="writing the Chroma index to disk"):
        store.persist_logs(VectorStoreSettings(), tmp_path, {"statutes": "la-statutes-missing"}, entries=20)


# --- the saved jieba table ------------------------------------------------------------------------
LEX_TEXTS = [
    "盗窃公私财物，数额较大的，处三年以下有期徒刑、拘役或者管制",
    "醉酒驾驶机动车的，处拘役，并处罚金",
    "入户盗窃、携带凶器盗窃、扒窃的",
    "以非法占有为目的，骗取公私财物",
]
LEX_QUERIES = [*LEX_TEXTS, "偷了邻居的电动车会怎么判", "醉驾撞人逃逸", "ＡＢＣ abc 12345", "🙂 未登录词", ""]


def _saved_index(tmp_path: Path) -> tuple[Path, LexicalIndex]:
    index = LexicalIndex(ChineseTokenizer(["醉酒驾驶", "携带凶器盗窃"])).build(
        [f"r{i}" for i in range(len(LEX_TEXTS))], LEX_TEXTS
    )
    index.save(tmp_path / "lex")
    return tmp_path / "lex", index


def test_frozen_table_answers_what_jiebas_dict_answers() -> None:
    tokenizer = ChineseTokenizer(["醉酒驾驶"])
    freq, total = tokenizer.table()
    table = FrozenFreq.from_dict(freq)
    assert len(table) == len(freq) and set(table) == set(freq)
    for word in ["醉酒驾驶", "醉酒", "盗窃", "的", "不是一个词吧", "🙂", ""]:
        assert (word in table) == (word in freq)
        assert table.get(word) == freq.get(word)
    with pytest.raises(KeyError):
        table["不是一个词吧"]
    frozen = ChineseTokenizer.from_table(["醉酒驾驶"], table, total)
    assert [frozen.tokenize(q) for q in LEX_QUERIES] == [tokenizer.tokenize(q) for q in LEX_QUERIES]


def test_a_loaded_index_tokenises_with_its_saved_table(tmp_path: Path) -> None:
    folder, built = _saved_index(tmp_path)
    loaded = LexicalIndex.load(folder)
    assert isinstance(loaded.tokenizer.table()[0], FrozenFreq)  # jieba's dictionary was not loaded
    for q in LEX_QUERIES:
        assert loaded.tokenizer.tokenize(q) == built.tokenizer.tokenize(q)
        assert loaded.search(q, k=4) == built.search(q, k=4)


@pytest.mark.parametrize("damage", ["missing", "truncated", "stale", "older index"])
def test_a_missing_damaged_or_stale_table_is_rebuilt_not_trusted(tmp_path: Path, damage: str, caplog) -> None:
    folder, built = _saved_index(tmp_path)
    path = folder / "jieba_freq.npz"
    meta_path = folder / "user_words.json"
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    elif damage == "stale":  # another build's table: a different size than user_words.json names
        FrozenFreq.from_dict(ChineseTokenizer(["别的词"]).table()[0]).save(path, total=123)
    else:  # an index saved before the table existed: user_words.json names none
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        del meta["table"]
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    loaded = LexicalIndex.load(folder)
    assert not isinstance(loaded.tokenizer.table()[0], FrozenFreq)
    for q in LEX_QUERIES:
        assert loaded.search(q, k=4) == built.search(q, k=4)
    if damage in ("truncated", "stale"):
        assert "cannot be used" in caplog.text


# --- the manifest read twice ----------------------------------------------------------------------
def test_a_manifest_read_again_is_parsed_again_once_its_bytes_change(tmp_path: Path) -> None:
    from retrieval import manifest as mf

    (tmp_path / "index").mkdir()
    first = {"format_version": mf.FORMAT_VERSION, "generation": "g1", "embedding": {}, "collections": {}}
    mf.write_manifest(tmp_path, {**first, "entries": {"a": []}})
    one = mf.read_manifest(tmp_path)
    assert mf.read_manifest(tmp_path) is one  # the same bytes: not parsed again
    assert mf.read_manifest(tmp_path) is not one  # handed on once only
    path = tmp_path / "index" / mf.MANIFEST
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"g1"', b'"g2"'))  # in place, same size, perhaps the same mtime
    assert mf.read_manifest(tmp_path)["generation"] == "g2"
    path.write_bytes(raw[:-5])
    with pytest.raises(mf.IndexCorruptError):
        mf.read_manifest(tmp_path)


def test_update_gives_an_index_without_the_table_one(tmp_path: Path) -> None:
    """An index written before the table (lexical_format 2) is rewritten by `index update`, with
    the same BM25 ranking, and its searches then tokenise from the saved table."""
    from conftest import link_corpus
    from retrieval_fakes import FakeEmbedder

    from corpora.loader import load_corpus
    from retrieval import manifest as mf
    from retrieval.index import build_index, update_index
    from retrieval.search import Searcher
    from retrieval.settings import EmbeddingSettings, RetrievalSettings

    corpus = load_corpus(link_corpus(tmp_path / "corpus"))
    emb, vs, rs = EmbeddingSettings(model=FakeEmbedder.name), VectorStoreSettings(), RetrievalSettings()
    data, embedder = tmp_path / "data", FakeEmbedder()
    build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=embedder)
    old = mf.read_manifest(data)
    lexical = mf.generation_dir(data, old["generation"]) / mf.LEXICAL_DIR
    (lexical / "jieba_freq.npz").unlink()  # as an older build left it
    mf.write_manifest(data, {**old, "lexical_format": 2})
    queries = ["盗窃公私财物", "醉酒驾驶机动车", "示例刑法第二百六十四条"]
    searcher = Searcher.open(data, emb, vs, rs, embedder=embedder)
    before = [[h.record_id for h in searcher.search(q)] for q in queries]

    update_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=embedder)
    new = mf.read_manifest(data)
    assert new["generation"] != old["generation"] and new["lexical_format"] == 3
    loaded = LexicalIndex.load(mf.generation_dir(data, new["generation"]) / mf.LEXICAL_DIR)
    assert isinstance(loaded.tokenizer.table()[0], FrozenFreq)
    searcher = Searcher.open(data, emb, vs, rs, embedder=embedder)
    assert [[h.record_id for h in searcher.search(q)] for q in queries] == before


def test_a_search_reads_the_manifest_without_its_entries_until_asked(tmp_path: Path) -> None:
    from retrieval import manifest as mf

    (tmp_path / "index").mkdir()
    entries = {f"e{i}": ["statutes", f"k{i}", "h", "h", "法", "第一条"] for i in range(50)}
    full = {"format_version": mf.FORMAT_VERSION, "entries": entries, "generation": "g1", "embedding": {},
            "collections": {"statutes": "c"}, "counts": {"statutes": 50}}  # fmt: skip
    mf.write_manifest(tmp_path, full)  # written with the entries last, whatever the dict's order
    lazy = mf.read_manifest(tmp_path, lazy_entries=True)
    assert isinstance(lazy["entries"], mf.LazyEntries) and lazy["entries"]._parsed is None
    assert {k: v for k, v in lazy.items() if k != "entries"} == {
        k: v for k, v in full.items() if k != "entries"
    }
    assert dict(lazy["entries"]) == entries and len(lazy["entries"]) == 50
    assert mf.read_manifest(tmp_path) == full
    path = tmp_path / "index" / mf.MANIFEST
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"e25": [', b'"e25": [[', 1))  # damaged entries: found when first read
    cut = mf.read_manifest(tmp_path, lazy_entries=True)
    assert cut["generation"] == "g1"
    with pytest.raises(mf.IndexCorruptError):
        len(cut["entries"])
    for cut_short in (raw[:-5], raw[:-40] + b"}}"):  # the end missing: not a manifest at all
        path.write_bytes(cut_short)
        with pytest.raises(mf.IndexCorruptError):
            mf.read_manifest(tmp_path, lazy_entries=True)
    path.write_bytes(raw[:-5])
    with pytest.raises(mf.IndexCorruptError):
        mf.read_manifest(tmp_path, lazy_entries=True)
    # a manifest written by hand with the entries first is parsed whole, as before
    path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    assert mf.read_manifest(tmp_path, lazy_entries=True) == full


def test_saved_bm25_scores_equal_bm25s_own(tmp_path: Path) -> None:
    """A loaded index scores from bm25s' saved arrays without importing bm25s: the same float32 scores."""
    import bm25s

    from retrieval.lexical import SavedScores

    folder, built = _saved_index(tmp_path)
    loaded = LexicalIndex.load(folder)
    assert isinstance(loaded._bm25, SavedScores)
    theirs = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, mmap=True)
    assert loaded._bm25.vocab_dict == theirs.vocab_dict
    mask = np.array([1, 0, 1, 1], dtype=np.float32)
    for q in LEX_QUERIES:
        ids = [theirs.vocab_dict[t] for t in loaded.tokenizer.tokenize(q) if t in theirs.vocab_dict]
        for m in (None, mask):
            ours = loaded._bm25.get_scores_from_ids(ids, weight_mask=m)
            assert np.array_equal(ours, theirs.get_scores_from_ids(ids, weight_mask=m))
            assert ours.dtype == np.float32
        assert loaded.search(q, k=4) == built.search(q, k=4)
    with pytest.raises(ValueError):
        loaded._bm25.get_scores_from_ids([len(theirs.vocab_dict) + 5])
    params = folder / "bm25" / "params.index.json"
    params.write_text(params.read_text().replace('"lucene"', '"bm25l"', 1))  # scored with more: bm25s's own
    assert SavedScores.open(folder / "bm25") is None
