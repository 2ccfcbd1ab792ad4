"""What a cold search derives once and keeps (catalogue.npz, the BM25 vocabulary as sorted words, the HNSW
label → position tables, the lexicon cache): the same answers as from the sources, and never a stale
one when a source changes or a new generation is committed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from corpora.loader import load_corpus
from retrieval import catalogue, hnsw_files, lexical, store
from retrieval import manifest as mf
from retrieval.index import build_index, update_index
from retrieval.search import CACHE_DIR, Searcher

QUERIES = ["盗窃公私财物数额较大怎么处罚", "示例刑法第二百六十四条", "扒窃", "专利权人的权利", "交通事故逃逸"]


def _hits(searcher: Searcher) -> list[list[tuple[str, float, str]]]:
    return [[(h.record_id, h.score, h.metadata["match"]) for h in searcher.search(q, k=8)] for q in QUERIES]


# Chroma writes its HNSW files every `sync_threshold` changes (1,000 by default): small thresholds make the
# fixture index leave them as a whole index does (see test_retrieval_hnsw_files).
SMALL_BATCHES = {"batch_size": 2, "sync_threshold": 2}


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "HNSW", {**store.HNSW, **SMALL_BATCHES})


@pytest.fixture
def index_copy(built_index, tmp_path: Path) -> tuple[Path, Path]:
    data, _, _ = built_index
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    folder = mf.generation_dir(copy, mf.read_manifest(copy)["generation"])
    return copy, folder


@pytest.fixture
def persisted(corpus_copy: Path, tmp_path: Path, fake_settings, fake_embedder, small_batches) -> Path:
    emb, vs, _ = fake_settings
    corpus = load_corpus(corpus_copy)
    data = tmp_path / "persisted"
    build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    return data


def test_the_arrays_give_the_columns_the_json_gives(index_copy) -> None:
    _, folder = index_copy
    (folder / catalogue.ARRAYS_FILE).unlink()  # as an index written before it existed
    from_json = catalogue.open_catalogue(folder, mf.RECORDS_FILE)
    assert (folder / catalogue.ARRAYS_FILE).is_file()  # made on the way
    from_arrays = catalogue.open_catalogue(folder, mf.RECORDS_FILE)
    assert not from_arrays._columns  # nothing parsed until asked for
    for name in catalogue.COLUMNS:
        assert from_arrays.col(name) == from_json.col(name), name
        assert [type(v) for v in from_arrays.col(name)] == [type(v) for v in from_json.col(name)], name
    cites = from_json.col("cites")
    assert any(cites) and all(from_arrays.cites(i) == cites[i] for i in range(len(cites)))
    assert from_arrays.ids_digest() == from_json.ids_digest() and from_arrays.unique_ids()
    assert [from_arrays.records[i] for i in range(len(from_arrays))] == list(from_json.records)


def test_a_changed_or_damaged_catalogue_is_never_served_from_its_arrays(index_copy) -> None:
    _, folder = index_copy
    path = folder / catalogue.CATALOGUE_FILE
    data = json.loads(path.read_bytes())
    data["tables"]["law_title"] = [f"{t}（改）" for t in data["tables"]["law_title"]]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # the arrays are now stale
    titles = catalogue.open_catalogue(folder, mf.RECORDS_FILE).col("law_title")
    assert titles and all(t.endswith("（改）") for t in titles)
    assert catalogue.open_catalogue(folder, mf.RECORDS_FILE).col("law_title") == titles  # rewritten
    (folder / catalogue.ARRAYS_FILE).write_bytes(b"PK\x03\x04 damaged")
    assert catalogue.open_catalogue(folder, mf.RECORDS_FILE).col("law_title") == titles


def test_a_changed_vocabulary_is_read_again(index_copy) -> None:
    _, folder = index_copy
    bm25 = folder / mf.LEXICAL_DIR / "bm25"
    words = json.loads((bm25 / "vocab.index.json").read_text(encoding="utf-8"))
    first = lexical.SortedVocab.open(bm25)
    assert isinstance(first, dict) and (bm25 / lexical.SortedVocab.FILE).is_file()
    again = lexical.SortedVocab.open(bm25)
    assert isinstance(again, lexical.SortedVocab) and dict(again.items()) == words
    assert all(again[w] == words[w] for w in words) and "不在词表里的词" not in again
    swapped = {w: len(words) - 1 - i for w, i in words.items()}
    (bm25 / "vocab.index.json").write_text(json.dumps(swapped, ensure_ascii=False), encoding="utf-8")
    assert dict(lexical.SortedVocab.open(bm25).items()) == swapped


def test_searches_with_and_without_the_derived_files_agree(persisted, fake_settings, fake_embedder) -> None:
    data = persisted
    folder = mf.generation_dir(data, mf.read_manifest(data)["generation"])
    (folder / catalogue.ARRAYS_FILE).unlink()
    emb, vs, ret = fake_settings
    fresh = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    expected = _hits(fresh)  # the first search makes the derived files
    cache = mf.index_dir(data) / CACHE_DIR
    assert list(cache.glob("hnsw-*.npz")) and list(cache.glob("lexicon-*.json"))
    assert (folder / catalogue.ARRAYS_FILE).is_file()
    warm = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    assert _hits(warm) == expected
    assert all(c._positions is not None for c in warm._collections.values())


def test_a_new_generation_never_reads_the_tables_of_the_old(
    corpus_copy: Path, tmp_path: Path, fake_settings, fake_embedder, monkeypatch, small_batches
) -> None:
    """After an update, the served searcher and a fresh one answer from the new generation: each HNSW
    table is keyed by Chroma's id table and the generation's ids, so an old one is never used."""
    emb, vs, ret = fake_settings
    data = tmp_path / "data"
    corpus = load_corpus(corpus_copy)
    build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    served = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    first = served._current.manifest["generation"]
    _hits(served)  # makes the tables of the first generation
    (corpus_copy / "laws" / "民法商法" / "示例专利法(2008-12-27).md").unlink()
    corpus = load_corpus(corpus_copy)
    update_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    after = _hits(served)  # the served one follows the new generation
    assert served._current.manifest["generation"] != first
    assert after == _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder))
    with monkeypatch.context() as m:  # the same answers as without any table
        m.setattr(hnsw_files, "_read_table", lambda *a: None)
        m.setattr(hnsw_files, "_write_table", lambda *a: None)
        assert _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder)) == after
    live = {p.name for p in (mf.index_dir(data) / "chroma").iterdir() if p.is_dir()}
    tables = list((mf.index_dir(data) / CACHE_DIR).glob("hnsw-*.npz"))
    assert tables and all(t.name[5:41] in live for t in tables)


def test_a_wrong_table_under_the_right_name_is_refused(persisted, fake_settings, fake_embedder) -> None:
    data = persisted
    emb, vs, ret = fake_settings
    expected = _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder))
    assert list((mf.index_dir(data) / CACHE_DIR).glob("hnsw-*.npz"))
    tables = sorted((mf.index_dir(data) / CACHE_DIR).glob("hnsw-*.npz"))
    for table in tables:
        with open(table, "wb") as f:
            np.savez(f, table=np.array([10**6, 1], dtype=np.int64))  # a position beyond the entries
    assert _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder)) == expected
    for table in tables:  # a flipped byte: the zip's CRC refuses it
        raw = bytearray(table.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        table.write_bytes(bytes(raw))
    assert _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder)) == expected


def test_a_table_is_keyed_by_chromas_ids_and_the_generations(tmp_path: Path) -> None:
    seg = hnsw_files._Segment("la-statutes-x", tmp_path / "segment", "%/id", 100, 4)
    ours, other_generation = (hnsw_files.Positions(d, dict, 3, tmp_path) for d in ("ids-a", "ids-b"))
    paths = {
        hnsw_files._table_path(seg, b"chroma ids", ours),
        hnsw_files._table_path(seg, b"chroma ids after a change", ours),
        hnsw_files._table_path(seg, b"chroma ids", other_generation),
    }
    assert len(paths) == 3 and all(p.name.startswith("hnsw-segment-") and p.suffix == ".npz" for p in paths)


def test_article_keys_answer_as_the_dict_they_replace(built_index) -> None:
    from retrieval.search import ArticleKeys

    data, _, _ = built_index
    folder = mf.generation_dir(data, mf.read_manifest(data)["generation"])
    cat = catalogue.open_catalogue(folder, mf.RECORDS_FILE)
    expected: dict[tuple[str, int, int], list[int]] = {}
    columns = zip(
        *(cat.col(c) for c in ("record_type", "numbering", "law_id", "number", "suffix")), strict=True
    )
    for i, (record_type, numbering, law_id, number, suffix) in enumerate(columns):
        if record_type == "article" and numbering == "article":
            expected.setdefault((law_id, number, suffix), []).append(i)
    keys = ArticleKeys(cat)
    assert expected and all(keys.get(k) == v and k in keys for k, v in expected.items())
    law = next(iter(expected))[0]
    for missing in [(law, 9999, 0), (law, 1, 7), ("没有这部法", 1, 0), ("", 0, 0), (law, -1, 0)]:
        assert keys.get(missing) is None and missing not in keys and keys.get(missing, []) == []
    assert list(keys.items()) == list(expected.items()) and len(keys) == len(expected)  # in corpus order
    assert all(keys.get(k) == v for k, v in expected.items())  # and after the dict is made
    for number, suffix in {k[1:] for k in expected} | {(9999, 0)}:  # what a bare 第X条 may name
        assert keys.numbered(number, suffix) == [v for k, v in expected.items() if k[1:] == (number, suffix)]


def test_a_data_dir_that_cannot_be_written_still_searches(
    persisted, fake_settings, fake_embedder, monkeypatch
):
    """The derived files are written best effort: where they cannot be, searches read the sources."""
    import os

    data = persisted
    emb, vs, ret = fake_settings
    expected = _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder))
    folder = mf.generation_dir(data, mf.read_manifest(data)["generation"])
    derived = [folder / catalogue.ARRAYS_FILE, folder / mf.LEXICAL_DIR / "bm25" / lexical.SortedVocab.FILE]
    derived += [*(mf.index_dir(data) / CACHE_DIR).iterdir()]
    assert all(p.is_file() for p in derived) and len(derived) > 3
    for p in derived:
        p.unlink()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    assert _hits(Searcher.open(data, emb, vs, ret, embedder=fake_embedder)) == expected
    assert not any(p.exists() for p in derived)
    assert not [p for p in data.rglob("*.tmp")]  # no half-written file left behind
