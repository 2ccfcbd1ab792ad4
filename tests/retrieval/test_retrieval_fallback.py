"""A Chroma server that goes down: searches go on with BM25 and exact citations, and say so plainly
(finding 6.7); when it is back, dense search resumes."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from test_retrieval_server import CHROMA, _free_port

import retrieval.search as search_module
from corpora.loader import load_corpus
from retrieval.index import build_index
from retrieval.search import Searcher
from retrieval.settings import VectorStoreSettings


class ChromaServer:
    def __init__(self, path: Path) -> None:
        self.path, self.port, self.proc = path, _free_port(), None

    def start(self) -> None:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None and time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def server(tmp_path: Path):
    if not CHROMA.exists():
        pytest.skip("the chroma executable is not in the venv")
    s = ChromaServer(tmp_path / "server")
    s.start()
    try:
        yield s
    finally:
        s.stop()


def test_search_goes_on_without_a_chroma_server(
    server, corpus_copy, tmp_path, fake_settings, fake_embedder, monkeypatch
) -> None:
    emb, _, ret = fake_settings
    vs = VectorStoreSettings(mode="server", host="127.0.0.1", port=server.port)
    corpus = load_corpus(corpus_copy)
    data = tmp_path / "data"
    build_index(corpus.articles, corpus.cases, data, emb, vs, progress=False, embedder=fake_embedder)
    searcher = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    question = "示例刑法第二百六十四条 扒窃"
    up = searcher.search(question, k=5)
    assert searcher.vector_store_problem is None
    server.stop()

    down = searcher.search(question, k=5)
    assert down[0].number == 264 and down[0].metadata["match"] == "citation"
    assert len(down) > 1 and all(h.metadata["match"] == "hybrid" for h in down[1:])  # BM25 answered
    problem = searcher.vector_store_problem
    assert problem and "向量库" in problem and str(server.port) in problem and "关键词检索" in problem
    assert searcher.search("示例刑法第二百六十四条")[0].number == 264  # exact citations still work
    assert searcher.get_article("示例刑法", 264) is not None and searcher.lookup("示例刑法第二条")

    # The chat answers an exact citation and says plainly what is missing.
    from assistant.services.answer import AssistantService
    from assistant.settings import load_settings

    settings = load_settings(None, {"data_dir": data})
    answer = AssistantService(settings, searcher=searcher).answer("示例刑法第二百六十四条是怎么规定的？")
    assert answer.route != "error" and "向量库" in answer.text.splitlines()[0]
    assert any(s.hit.number == 264 for s in answer.sources) and "盗窃公私财物" in answer.text

    # A searcher opened while the server is down works too (serve started before Chroma).
    cold = Searcher.open(data, emb, vs, ret, embedder=fake_embedder)
    assert cold.search(question, k=5)[0].number == 264 and cold.vector_store_problem

    # The CLI answers and says so on stderr.
    monkeypatch.setattr("retrieval.search.load_embedder", lambda *a, **k: fake_embedder)
    env = {
        "LEGAL_ASSISTANT__EMBEDDING__MODEL": emb.model,
        "LEGAL_ASSISTANT__VECTOR_STORE__MODE": "server",
        "LEGAL_ASSISTANT__VECTOR_STORE__PORT": str(server.port),
    }
    from assistant.cli import cli

    result = CliRunner(env=env).invoke(cli, ["--data-dir", str(data), "search", question, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["number"] == 264 and "注意：向量库" in result.stderr

    # Back up: the next search after the retry interval uses the vectors again.
    monkeypatch.setattr(search_module, "STORE_RETRY_S", 0.0)
    server.start()
    searcher._store_down_until = 0.0
    assert searcher.search(question, k=5) == up and searcher.vector_store_problem is None
