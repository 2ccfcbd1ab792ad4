"""An OpenAI-compatible chat endpoint over the assistant service: POST /v1/chat/completions, GET /v1/models.

Any OpenAI client can talk to it. The answer text carries its citation marks, the 引用核验 section and
the disclaimer; the structured rest travels in the extra field `legal_assistant` of the response (and
of the last chunk when streaming): route, backend, sources, citations, sentencing, notes, data_date.

Streaming sends the answer as it is generated, then what the citation check and the disclaimer
added; the checked text with its inline marks is `legal_assistant.answer` in the last chunk.
"""

from __future__ import annotations  # FastAPI resolves the Request annotation from this module

import hmac
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.agent.citation_check import SECTION_TITLE
from corpora.history import DATA_DATE

log = logging.getLogger(__name__)

# model name → service mode; the model field is how an OpenAI client chooses what the assistant does.
MODELS: dict[str, str] = {
    "legal-assistant": "auto",
    "legal-assistant-general": "general",
    "legal-assistant-sentencing": "sentencing",
    "legal-assistant-ip": "ip",
    "legal-assistant-statute": "statute",
    "legal-assistant-history": "history",
}
EXTRA_FIELD = "legal_assistant"


class APIError(Exception):
    """An OpenAI-style error: {"error": {"message", "type", "param", "code"}} with an HTTP status."""

    def __init__(self, status: int, message: str, code: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param
        self.type = "invalid_request_error" if status < 500 else "server_error"

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def _text_of(content: Any) -> str:
    """A message's content: a string, or OpenAI's list of parts ([{"type": "text", "text": …}])."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text"
        )
    raise APIError(
        400, "message content must be a string or a list of text parts", "invalid_content", "messages"
    )


def parse_request(raw: bytes, max_chars: int) -> tuple[str, str, list[dict[str, str]], bool]:
    """(model, question, history, stream) from a request body, or APIError saying what is wrong."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise APIError(400, f"the request body is not valid JSON: {e}", "invalid_json") from e
    if not isinstance(body, dict):
        raise APIError(400, "the request body must be a JSON object", "invalid_json")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise APIError(400, "you must provide a model parameter", "missing_model", "model")
    if model not in MODELS:
        raise APIError(
            404,
            f"The model `{model}` does not exist. Available models: {', '.join(MODELS)}",
            "model_not_found",
            "model",
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        raise APIError(
            400,
            "messages must be a non-empty list of {role, content} objects",
            "invalid_messages",
            "messages",
        )
    turns = [{"role": str(m.get("role")), "content": _text_of(m.get("content", ""))} for m in messages]
    if turns[-1]["role"] != "user":
        raise APIError(400, "the last message must come from the user", "invalid_messages", "messages")
    question = turns[-1]["content"]
    if len(question) > max_chars:
        raise APIError(
            400,
            f"the last message has {len(question):,} characters; the most is {max_chars:,} (ui.max_question_chars)",
            "message_too_long",
            "messages",
        )
    history = [t for t in turns[:-1] if t["role"] in ("user", "assistant")]
    return model, question, history, bool(body.get("stream", False))


def extra(answer: Any) -> dict[str, Any]:
    data = answer.to_dict()
    return {**data, "data_date": DATA_DATE}


def completion(answer: Any, model: str, rid: str, created: int) -> dict[str, Any]:
    return {
        "id": rid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop"}
        ],
        EXTRA_FIELD: extra(answer),
    }


def chunk(
    rid: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    return {
        "id": rid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def closing_text(streamed: str, final: str) -> str:
    """What to send after the streamed tokens so that the client ends with the checked answer:
    the rest of the final text when the tokens are its start, else its 引用核验 section onwards."""
    if final.startswith(streamed):
        return final[len(streamed) :]
    at = final.find(SECTION_TITLE)
    return "\n\n" + final[at:] if at >= 0 else "\n\n" + final


def build_router(service: Any, api_key: str = "", max_body_bytes: int = 1_000_000) -> APIRouter:
    """The /v1 routes as a FastAPI APIRouter over one AssistantService (thread-safe)."""
    router = APIRouter(prefix="/v1")
    max_chars = service.settings.ui.max_question_chars

    def check_key(request: Request) -> None:
        if not api_key:
            return
        given = request.headers.get("authorization", "")
        token = given[7:].strip() if given.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(token.encode(), api_key.encode()):
            raise APIError(401, "Incorrect API key provided (set it as the Bearer token).", "invalid_api_key")

    def error(e: APIError) -> Any:
        return JSONResponse(e.body(), status_code=e.status)

    @router.get("/models")
    async def models(request: Request) -> Any:
        try:
            check_key(request)
        except APIError as e:
            return error(e)
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "legal-assistant"} for m in MODELS]
        return {"object": "list", "data": data}

    @router.post("/chat/completions")
    async def chat_completions(request: Request) -> Any:
        try:
            check_key(request)
            raw = await request.body()
            if len(raw) > max_body_bytes:
                raise APIError(
                    413,
                    f"the request body has {len(raw):,} bytes; the most is {max_body_bytes:,}",
                    "body_too_large",
                )
            model, question, history, stream = parse_request(raw, max_chars)
        except APIError as e:
            return error(e)
        rid, created, mode = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time()), MODELS[model]
        if not stream:
            answer = await run_in_threadpool(service.answer, question, history, mode)
            return completion(answer, model, rid, created)
        events = service.stream(question, history, mode)
        return StreamingResponse(
            _sse(events, iterate_in_threadpool, rid, created, model),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return router


async def _sse(events: Any, in_threads: Any, rid: str, created: int, model: str) -> AsyncIterator[str]:
    def line(payload: dict[str, Any]) -> str:
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    streamed: list[str] = []
    try:
        yield line(chunk(rid, created, model, {"role": "assistant", "content": ""}))
        async for event in in_threads(events):
            if event.kind == "token":
                streamed.append(event.text)
                yield line(chunk(rid, created, model, {"content": event.text}))
            elif event.answer is not None:
                rest = closing_text("".join(streamed), event.answer.text)
                if rest:
                    yield line(chunk(rid, created, model, {"content": rest}))
                last = chunk(rid, created, model, {}, "stop")
                last[EXTRA_FIELD] = extra(event.answer)
                yield line(last)
        yield "data: [DONE]\n\n"
    finally:  # a client that hung up: stop asking the service for more (it serves the others)
        try:
            events.close()
        except ValueError:  # still running in its worker thread; it ends with its answer
            log.info("stream closed while a step was running")


def create_api_app(service: Any, api_key: str = "", max_body_bytes: int = 1_000_000) -> FastAPI:
    """A FastAPI app holding only the /v1 routes (for `serve --api-port`)."""
    app = FastAPI(title="legal-assistant OpenAI-compatible API", docs_url=None, redoc_url=None)
    app.include_router(build_router(service, api_key, max_body_bytes))
    return app
