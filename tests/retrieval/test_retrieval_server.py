"""vector_store.mode = "server": the same build and search against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from corpora.loader import load_corpus
from retrieval.entries import article_embed_text
from retrieval.errors import RetrievalError
from retrieval.index import build_index
from retrieval.search import Searcher
from retrieval.settings import VectorStoreSettings

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    if not CHROMA.exists():
        pytest.skip("the chroma executable is not in the venv")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "chroma run exited"
            assert time.monotonic() < deadline, "chroma run did not answer within 60 s"
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_build_and_search_against_a_chroma_server(
    chroma_server, corpus_copy, tmp_path, fake_settings, fake_embedder
):
    emb, _, ret = fake_settings
    vs = VectorStoreSettings(mode="server", host="127.0.0.1", port=chroma_server)
    corpus = load_corpus(corpus_copy)
    data = tmp_path / "data"
    report = build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    assert report.records == 19
    assert not (data / "index" / "chroma").exists()  # the vectors live in the server
    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    assert searcher.search("示例刑法第二百六十四条")[0].number == 264
    dense_only = Searcher.open(
        data, emb, vs, ret.model_copy(update={"lexical_weight": 0.0}), embedder=fake_embedder
    )
    article = next(a for a in corpus.articles if a.number == 133 and a.suffix == 1)
    hits = dense_only.search(article_embed_text(article), kind="statutes", k=3)
    assert hits[0].number_cn == "第一百三十三条之一"  # the server answered the vector query
    with pytest.raises(RetrievalError, match="server"):
        Searcher.open(data, emb, VectorStoreSettings(), ret, embedder=fake_embedder)
