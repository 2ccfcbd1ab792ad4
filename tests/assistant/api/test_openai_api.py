"""The OpenAI-compatible /v1 endpoint, against a real uvicorn server on 127.0.0.1 and with httpx.

The `openai` SDK is not a dependency of the project, so the wire format it reads is checked here:
the chat.completion object, the chat.completion.chunk SSE lines ending in [DONE], and OpenAI's
error object {"error": {"message", "type", "param", "code"}}.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.agent.disclaimer import DISCLAIMER
from assistant.api.server import mount_api, start_api_server
from assistant.services.answer import AssistantService
from assistant.settings import load_settings
from tests.assistant.assistant_fakes import FakeSearcher

FIXTURE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "history"
KEY = "test-key-123"
REPLY = "依照《中华人民共和国刑法》第二百六十四条[1]，盗窃公私财物，数额较大的，处三年以下有期徒刑。又见刑法第九百九十九条。"


class SlowBackend:
    """The same cited reply to every question, in small pieces with a pause: a model that streams."""

    description = "测试用慢速模型"

    def __init__(self, pause_s: float = 0.01) -> None:
        self.pause_s = pause_s

    def stream(self, messages, context=None) -> Iterator[str]:
        for i in range(0, len(REPLY), 4):
            time.sleep(self.pause_s)
            yield REPLY[i : i + 4]


def _port(server) -> int:
    return server.servers[0].sockets[0].getsockname()[1]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """A /v1 server on a free port over the fake searcher and a slow streaming backend."""
    data = tmp_path_factory.mktemp("api-data")
    settings = load_settings(
        overrides={
            "data_dir": str(data),
            "corpus_dir": str(FIXTURE),
            "api.api_key": KEY,
            "ui.max_question_chars": 200,
            "api.max_body_bytes": 20_000,
        }
    )
    service = AssistantService(settings, searcher=FakeSearcher.from_fixture(), backend=SlowBackend())
    server = start_api_server(service, settings, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{_port(server)}/v1"
    server.should_exit = True


def _headers(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _chat(question: str, model: str = "legal-assistant", stream: bool = False) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": question}], "stream": stream}


def _sse(url: str, body: dict, timeout: float = 60) -> list[dict]:
    chunks = []
    with httpx.stream("POST", f"{url}/chat/completions", json=body, headers=_headers(), timeout=timeout) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data: "):
                payload = line[len("data: ") :]
                chunks.append({"done": True} if payload == "[DONE]" else json.loads(payload))
    return chunks


def test_models_lists_the_modes(api):
    r = httpx.get(f"{api}/models", headers=_headers())
    assert r.status_code == 200
    ids = [m["id"] for m in r.json()["data"]]
    assert {"legal-assistant", "legal-assistant-sentencing", "legal-assistant-history"} <= set(ids)


def test_completion_carries_marks_disclaimer_and_the_extra_field(api):
    r = httpx.post(
        f"{api}/chat/completions", json=_chat("盗窃三千元怎么处罚？"), headers=_headers(), timeout=60
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "legal-assistant"
    text = body["choices"][0]["message"]["content"]
    assert (
        body["choices"][0]["message"]["role"] == "assistant" and body["choices"][0]["finish_reason"] == "stop"
    )
    assert "第九百九十九条⚠该条不存在" in text and "引用核验" in text and DISCLAIMER in text
    extra = body["legal_assistant"]
    assert extra["data_date"] == "2025-04-19" and extra["sources"]
    statuses = {(c["law"], c["number"]): c["status"] for c in extra["citations"]}
    assert statuses[("刑法", 999)] == "nonexistent" and statuses[("刑法", 264)] == "verified", statuses


def test_model_selects_the_mode(api):
    r = httpx.post(
        f"{api}/chat/completions",
        json=_chat("虚构法第二条修改了什么？", "legal-assistant-history"),
        headers=_headers(),
    )
    extra = r.json()["legal_assistant"]
    assert extra["route"] == "history" and "~~三~~**五**" in r.json()["choices"][0]["message"]["content"]


def test_streaming_sends_chunks_then_the_check_and_done(api):
    chunks = _sse(api, _chat("盗窃三千元怎么处罚？", stream=True))
    assert chunks[-1] == {"done": True}
    parts = [c["choices"][0]["delta"].get("content", "") for c in chunks[:-1]]
    text = "".join(parts)
    assert len([p for p in parts if p]) > 5  # tokens arrived one by one, not as one block
    assert text.startswith(REPLY[:20]) and "引用核验" in text and DISCLAIMER in text
    last = chunks[-2]
    assert (
        last["choices"][0]["finish_reason"] == "stop"
        and "第九百九十九条⚠该条不存在" in last["legal_assistant"]["answer"]
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"model": "legal-assistant", "messages": [', 400, "invalid_json"),
        (json.dumps(_chat("问题", "gpt-4o")).encode(), 404, "model_not_found"),
        (json.dumps({"model": "legal-assistant"}).encode(), 400, "invalid_messages"),
        (json.dumps(_chat("盗" * 201)).encode(), 400, "message_too_long"),
        (json.dumps(_chat("盗" * 30_000)).encode(), 413, "body_too_large"),
    ],
)
def test_bad_requests_get_an_openai_error(api, body, status, code):
    r = httpx.post(
        f"{api}/chat/completions", content=body, headers={**_headers(), "Content-Type": "application/json"}
    )
    assert r.status_code == status
    err = r.json()["error"]
    assert err["code"] == code and err["message"] and err["type"] == "invalid_request_error"


@pytest.mark.parametrize("headers", [{}, _headers("wrong-key"), {"Authorization": KEY}])
def test_missing_or_wrong_api_key_is_401(api, headers):
    for r in (
        httpx.get(f"{api}/models", headers=headers),
        httpx.post(f"{api}/chat/completions", json=_chat("盗窃"), headers=headers),
    ):
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"


def test_a_client_that_hangs_up_mid_stream_does_not_stop_the_others(api):
    with httpx.stream(
        "POST",
        f"{api}/chat/completions",
        json=_chat("盗窃三千元？", stream=True),
        headers=_headers(),
        timeout=30,
    ) as r:
        lines = r.iter_lines()
        assert next(lines).startswith("data: ")
    # the connection is closed after one chunk; the server goes on serving
    chunks = _sse(api, _chat("盗窃三千元怎么处罚？", stream=True))
    assert chunks[-1] == {"done": True}


def test_eight_concurrent_streams_all_complete(api):
    times: list[float] = []
    errors: list[BaseException] = []

    def client() -> None:
        start = time.perf_counter()
        try:
            chunks = _sse(api, _chat("盗窃三千元怎么处罚？", stream=True))
            assert chunks[-1] == {"done": True}
            times.append(time.perf_counter() - start)
        except BaseException as e:  # collected: an assert in a thread would be lost
            errors.append(e)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors and len(times) == 8
    q = statistics.quantiles(times, n=20)
    print(f"8 streams: p50 {statistics.median(times):.2f}s p95 {q[18]:.2f}s")


@pytest.mark.slow  # importing gradio takes most of a minute on a busy CI machine
def test_the_endpoint_mounts_on_the_gradio_server(tmp_path):
    import gradio as gr

    settings = load_settings(overrides={"data_dir": str(tmp_path), "corpus_dir": str(FIXTURE)})
    service = AssistantService(settings, searcher=FakeSearcher.from_fixture(), backend=SlowBackend(0))
    with gr.Blocks() as demo:
        gr.Markdown("测试")
    app, url, _ = demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        mount_api(app, service, settings)
        assert httpx.get(f"{url.rstrip('/')}/v1/models").json()["data"][0]["id"] == "legal-assistant"
        r = httpx.post(
            f"{url.rstrip('/')}/v1/chat/completions", json=_chat("盗窃三千元怎么处罚？"), timeout=60
        )
        assert r.status_code == 200 and DISCLAIMER in r.json()["choices"][0]["message"]["content"]
        assert httpx.get(url).status_code == 200  # the UI still answers
    finally:
        demo.close()


def test_serve_offers_the_api_port_flag():
    from click.testing import CliRunner

    from assistant.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--api-port" in result.output and "/v1/chat/completions" in result.output


def test_the_official_openai_sdk_chats_streams_and_gets_clear_errors(api):
    """The `openai` SDK itself, as Open WebUI or a script would use it."""
    import openai

    client = openai.OpenAI(base_url=api, api_key=KEY, max_retries=0, timeout=60)
    messages = [{"role": "user", "content": "盗窃他人财物三千元，有自首情节，可能判多久？"}]
    r = client.chat.completions.create(model="legal-assistant", messages=messages)
    text = r.choices[0].message.content or ""
    assert "[1]" in text and DISCLAIMER in text
    extra = r.model_dump()["legal_assistant"]
    assert extra["sources"] and extra["data_date"] == "2025-04-19"
    pieces = [
        c.choices[0].delta.content or ""
        for c in client.chat.completions.create(
            model="legal-assistant-sentencing", messages=messages, stream=True
        )
        if c.choices
    ]
    assert len(pieces) > 2 and DISCLAIMER in "".join(pieces)
    assert {m.id for m in client.models.list()} >= {"legal-assistant", "legal-assistant-sentencing"}
    wrong = openai.OpenAI(base_url=api, api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(model="legal-assistant", messages=messages)
    with pytest.raises(openai.BadRequestError, match="201 characters; the most is 200"):
        client.chat.completions.create(
            model="legal-assistant", messages=[{"role": "user", "content": "盗" * 201}]
        )
