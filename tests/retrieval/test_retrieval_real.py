"""Over the real corpus (../shared/corpora) with the bundled MiniLM: the 刑法 修正案（十二） update and
the three acceptance searches. Slow (real embeddings), so marked `slow`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from corpora.loader import load_corpus
from retrieval.embeddings import load_embedder
from retrieval.index import build_index, update_index
from retrieval.manifest import RECORDS_FILE, generation_dir, read_manifest
from retrieval.search import Searcher
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

pytestmark = pytest.mark.slow
OLD_CRIMINAL_LAW = "laws_history/刑法/刑法(2020-12-26修正案十一).md"
THEFT_INTERPRETATIONS = ("盗窃", "抢劫", "诈骗")  # a few competing interpretations for the searches


def _link_corpus(shared: Path, root: Path, criminal_law: Path) -> Path:
    """laws/刑法 and some 司法解释 as symlinks into ../shared/corpora (never copies)."""
    laws = root / "laws"
    (laws / "刑法").mkdir(parents=True)
    for src in (shared / "laws" / "刑法").glob("*.md"):
        (laws / "刑法" / src.name).symlink_to(criminal_law if src.name == "刑法.md" else src)
    (laws / "司法解释").mkdir()
    for src in (shared / "laws" / "司法解释").glob("*.md"):
        if any(word in src.name for word in THEFT_INTERPRETATIONS):
            (laws / "司法解释" / src.name).symlink_to(src)
    return root


def _texts_by_number(articles) -> dict[str, str]:
    return {a.article_key: a.text for a in articles if a.law_id == "刑法" and a.numbering == "article"}


def test_criminal_law_amendment_update(shared_corpus: Path, tmp_path: Path) -> None:
    emb, vs, ret = EmbeddingSettings(model="minilm"), VectorStoreSettings(), RetrievalSettings()
    embedder = load_embedder(emb, tmp_path)
    embedder.encode(["预热"])
    root = _link_corpus(shared_corpus, tmp_path / "corpus", shared_corpus / OLD_CRIMINAL_LAW)
    old = load_corpus(root, cases=False)
    data = tmp_path / "data"
    t = time.perf_counter()
    build = build_index(old.articles, [], data, emb, vs, progress=False)
    build_s = time.perf_counter() - t
    old_390 = _texts_by_number(old.articles)["390"]

    link = root / "laws" / "刑法" / "刑法.md"
    link.unlink()
    link.symlink_to(shared_corpus / "laws" / "刑法" / "刑法.md")
    new = load_corpus(root, cases=False)
    t = time.perf_counter()
    report = update_index(new.articles, [], data, emb, vs, progress=False)
    update_s = time.perf_counter() - t

    before, after = _texts_by_number(old.articles), _texts_by_number(new.articles)
    differing = {k for k in after if before.get(k) != after[k]}
    assert {"165", "166", "169", "387", "390", "391", "393"} <= differing <= {
        "165", "166", "169", "387", "390", "391", "393", "452"}  # fmt: skip
    assert set(report.laws) == {"刑法"}
    changes = report.laws["刑法"]
    assert not changes.added and not changes.removed
    assert sorted(changes.changed) == sorted(new.article("刑法", int(k)).number_cn for k in differing)
    assert report.reembedded == len(differing)
    assert update_s < build_s / 10, (update_s, build_s)
    print(f"\nbuild {build.records} records in {build_s:.1f} s; update {update_s:.2f} s; {report.summary()}")

    searcher = Searcher.open(data, emb, vs, ret)
    new_390 = after["390"]
    assert searcher.search("刑法第三百九十条")[0].text == new_390
    # passages only the new text has (修正案（十二） added the list of aggravating circumstances)
    for passage in ("为谋取职务、职级晋升、调整行贿的", "对监察、行政执法、司法工作人员行贿的"):
        top = [h.text for h in searcher.search(passage, k=3)]
        assert new_390 in top, (passage, [t[:30] for t in top])
    for query in (
        "刑法第三百九十条",
        old_390[:60],
        "行贿人在被追诉前主动交待行贿行为的 侦破重大案件起关键作用",
    ):
        assert all(h.text != old_390 for h in searcher.search(query, k=50))
    # Nothing indexed holds the old article; 刑法修正案（九） quoting that wording is corpus text of its own.
    path = generation_dir(data, read_manifest(data)["generation"]) / RECORDS_FILE
    records = [json.loads(line)["record"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert not [r for r in records if r.get("text") == old_390]
    assert not [r for r in records if r.get("law_id") == "刑法" and old_390[:80] in r.get("text", "")]


@pytest.mark.parametrize("query", ["刑法第二百六十四条", "刑法264条", "盗窃公私财物数额较大怎么处罚"])
def test_acceptance_searches(  # over 刑法 and the 盗窃/抢劫/诈骗 interpretations that compete with it
    shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory, query: str
) -> None:
    searcher = _theft_index(shared_corpus, tmp_path_factory)
    hit = searcher.search(query)[0]
    assert (hit.law_id, hit.number, hit.suffix) == ("刑法", 264, 0), [
        h.citation for h in searcher.search(query)
    ]


_CACHE: dict[str, Searcher] = {}


def _theft_index(shared: Path, factory: pytest.TempPathFactory) -> Searcher:
    if "s" not in _CACHE:
        emb, vs, ret = EmbeddingSettings(model="minilm"), VectorStoreSettings(), RetrievalSettings()
        root = _link_corpus(shared, factory.mktemp("corpus"), shared / "laws" / "刑法" / "刑法.md")
        corpus = load_corpus(root, cases=False)
        data = factory.mktemp("data")
        build_index(corpus.articles, [], data, emb, vs, progress=False)
        _CACHE["s"] = Searcher.open(data, emb, vs, ret)
    return _CACHE["s"]
