"""The openai backend against a small server speaking the OpenAI chat-completions protocol on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.backends.base import BackendError
from assistant.backends.factory import create_backend
from assistant.backends.openai_backend import OpenAIBackend
from assistant.settings import LLMSettings

REPLY = ["依照", "《中华人民共和国刑法》", "第二百六十四条", "，盗窃数额较大的", "处三年以下有期徒刑。"]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, dict(self.headers), body))
        if self.server.fail_with:
            self.send_response(self.server.fail_with)
            self.end_headers()
            self.wfile.write(b'{"error": "model not loaded"}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in REPLY:
            chunk = {
                "id": "c1",
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": piece}}],
            }
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(
            b'data: {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}\n\ndata: [DONE]\n\n'
        )


class _Server(ThreadingHTTPServer):
    requests: list
    fail_with: int = 0


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def _url(srv: _Server) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}/v1"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streams_the_deltas_and_sends_the_conversation(server):
    backend = create_backend(
        LLMSettings(mode="openai", base_url=_url(server), model="qwen-legal", api_key="k1")
    )
    messages = [{"role": "system", "content": "系统"}, {"role": "user", "content": "盗窃怎么判？"}]
    assert list(backend.stream(messages)) == REPLY
    path, headers, body = server.requests[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer k1"
    assert body["messages"] == messages and body["stream"] is True and body["model"] == "qwen-legal"


def test_http_error_is_a_clear_backend_error(server):
    server.fail_with = 503
    backend = OpenAIBackend(_url(server))
    with pytest.raises(BackendError, match="HTTP 503"):
        list(backend.stream([{"role": "user", "content": "问"}]))


def test_endpoint_that_does_not_answer():
    backend = OpenAIBackend(f"http://127.0.0.1:{_closed_port()}/v1", timeout_s=2)
    with pytest.raises(BackendError, match="does not answer"):
        list(backend.stream([{"role": "user", "content": "问"}]))


def test_service_falls_back_to_extractive_when_the_endpoint_is_down(service_with):
    service = service_with(
        **{"llm.mode": "openai", "llm.base_url": f"http://127.0.0.1:{_closed_port()}/v1", "llm.timeout_s": 2}
    )
    answer = service.answer("刑法第二百六十四条是怎么规定的？")
    first_line = answer.text.splitlines()[0]
    assert "生成模型不可用" in first_line and "does not answer" in first_line
    assert answer.sources[0].hit.number == 264 and "盗窃公私财物" in answer.text
    assert "检索式回答" in answer.backend


def test_service_with_a_live_endpoint_checks_the_model_answer(server, service_with):
    service = service_with(**{"llm.mode": "openai", "llm.base_url": _url(server)})
    answer = service.answer("刑法第二百六十四条是怎么规定的？")
    assert answer.backend.startswith("OpenAI 兼容服务")
    assert answer.text.startswith("".join(REPLY)[:20])
    assert [c.status for c in answer.citations] == ["verified"]
    prompt = server.requests[0][2]["messages"][-1]["content"]
    assert "[1] 《中华人民共和国刑法》第二百六十四条" in prompt
