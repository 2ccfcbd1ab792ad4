"""kill -9 during an update (or a build) leaves the previous index answering; a re-run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpora.loader import load_corpus
from retrieval.index import build_index, update_index
from retrieval.manifest import PAUSE_AT_ENV, PAUSE_S_ENV
from retrieval.search import Searcher

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HISTORY = REPO / "tests" / "fixtures" / "retrieval" / "history" / "示例刑法(2019-01-01).md"

SCRIPT = """
import sys
from pathlib import Path
from corpora.loader import load_corpus
from retrieval.index import build_index, update_index
from retrieval.settings import EmbeddingSettings, VectorStoreSettings
from retrieval_fakes import FakeEmbedder
corpus = load_corpus(Path(sys.argv[1]))
job = build_index if sys.argv[3] == "build" else update_index
job(corpus.articles, corpus.cases, Path(sys.argv[2]), EmbeddingSettings(model=FakeEmbedder.name),
    VectorStoreSettings(), progress=False, embedder=FakeEmbedder())
print("finished")
"""


def _run_and_kill(corpus: Path, data: Path, job: str, step: str) -> None:
    env = {
        **os.environ,
        PAUSE_AT_ENV: step,
        PAUSE_S_ENV: "120",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(corpus), str(data), job],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # wait until the update stands at the step
            if line.strip() == f"index-pause:{step}":
                break
            assert time.monotonic() < deadline, "the update never reached the pause"
        else:
            pytest.fail(f"the {job} exited before {step}: {proc.wait()}")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _texts(searcher: Searcher, query: str) -> list[str]:
    return [h.text for h in searcher.search(query, k=50)]


@pytest.mark.parametrize(
    "step",
    [
        "after-generation",
        pytest.param("after-embed", marks=pytest.mark.slow),
        pytest.param("after-manifest", marks=pytest.mark.slow),
    ],
)
def test_update_killed_leaves_old_index_and_rerun_completes(
    step, corpus_copy, tmp_path, fake_settings, fake_embedder, swap_file
) -> None:
    emb, vs, ret = fake_settings
    data = tmp_path / "data"
    law = corpus_copy / "laws" / "刑法" / "示例刑法.md"
    current = law.resolve()
    swap_file(law, HISTORY)
    old = load_corpus(corpus_copy)
    build_index(old.articles, old.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    swap_file(law, current)

    _run_and_kill(corpus_copy, data, "update", step)

    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    texts_390 = _texts(searcher, "示例刑法第三百九十条")
    if step == "after-manifest":  # the commit happened: the new index answers, stale entries are hidden
        assert "多次行贿" in texts_390[0]
        assert not any("甲乙丙" in t for t in _texts(searcher, "甲乙丙"))
    else:  # not committed: the old index answers in full and nothing new is visible
        assert "甲乙丙" in texts_390[0]
        assert searcher.get_article("示例刑法", 270) is not None
        assert searcher.lookup("示例刑法第一百三十三条之一") == []
        assert not any("多次行贿" in t for t in _texts(searcher, "多次行贿"))

    new = load_corpus(corpus_copy)
    report = update_index(new.articles, new.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    if step != "after-manifest":
        assert report.laws["示例刑法"].changed == ["第二条", "第三百九十条"]
        assert report.resumed == 8 and report.reembedded == 0  # the killed run's entries were kept
    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    assert "多次行贿" in _texts(searcher, "示例刑法第三百九十条")[0]
    assert not any("甲乙丙" in t for t in _texts(searcher, "甲乙丙"))
    assert len(list((data / "index" / "generations").iterdir())) == 1  # leftovers cleaned up
    # the store holds exactly the committed entries again
    from retrieval import store

    client = store.make_client(vs, data / "index")
    cols = store.open_collections(client, searcher.manifest["collections"])
    assert sum(len(store.all_ids(c)) for c in cols.values()) == len(searcher.manifest["entries"])


@pytest.mark.slow
def test_build_killed_keeps_the_previous_index(corpus_copy, tmp_path, fake_settings, fake_embedder) -> None:
    emb, vs, ret = fake_settings
    data = tmp_path / "data"
    corpus = load_corpus(corpus_copy)
    build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    before = Searcher.open(data, emb, vs, ret, embedder=fake_embedder).manifest["collections"]
    _run_and_kill(corpus_copy, data, "build", "after-generation")
    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    assert searcher.manifest["collections"] == before
    assert searcher.search("示例刑法第二百六十四条")[0].number == 264
    report = build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    from retrieval import store

    names = store.list_collection_names(store.make_client(vs, data / "index"))
    assert sorted(names) == sorted(
        Searcher.open(data, emb, vs, ret, embedder=fake_embedder).manifest["collections"].values()
    )
    assert report.records == 19
