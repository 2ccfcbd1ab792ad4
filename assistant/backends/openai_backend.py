"""Any OpenAI-compatible chat endpoint (vLLM, llama.cpp's server, Ollama) over httpx, streamed as SSE."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from assistant.backends.base import BackendError, GenerationContext, Message


class OpenAIBackend:
    """POST {base_url}/chat/completions with stream=true; yields each delta's content."""

    def __init__(
        self,
        base_url: str,
        model: str = "",
        api_key: str = "EMPTY",
        max_new_tokens: int = 768,
        temperature: float = 0.2,
        timeout_s: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BackendError(f"llm.base_url must start with http:// or https://, got {base_url!r}")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model or "default"
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            headers={"Authorization": f"Bearer {api_key}"},
            transport=transport,
        )
        self.description = f"OpenAI 兼容服务 {base_url}（模型 {self.model}）"

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        body = {
            "model": self.model,
            "messages": list(messages),
            "stream": True,
            "max_tokens": self.max_new_tokens,
            "temperature": self.temperature,
        }
        try:
            with self.client.stream("POST", self.url, json=body) as response:
                if response.status_code >= 400:
                    detail = response.read().decode("utf-8", "replace")[:200]
                    raise BackendError(
                        f"the endpoint {self.url} answered HTTP {response.status_code}: {detail}"
                    )
                yield from _sse_contents(response.iter_lines())
        except httpx.TimeoutException as e:
            raise BackendError(f"the endpoint {self.url} did not answer in time (llm.timeout_s)") from e
        except httpx.TransportError as e:
            raise BackendError(
                f"the endpoint {self.url} does not answer ({type(e).__name__}); start the server or fix llm.base_url"
            ) from e

    def close(self) -> None:
        self.client.close()


def _sse_contents(lines: Iterator[str]) -> Iterator[str]:
    """Server-sent events as OpenAI sends them: `data: {json}` lines, ended by `data: [DONE]`."""
    for line in lines:
        if not line.startswith("data:"):
            continue
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        try:
            chunk: dict[str, Any] = json.loads(payload)
        except ValueError as e:
            raise BackendError(f"the endpoint sent a line that is not JSON: {payload[:80]!r}") from e
        if "error" in chunk:
            raise BackendError(f"the endpoint reported an error: {str(chunk['error'])[:200]}")
        for choice in chunk.get("choices") or []:
            content = (choice.get("delta") or {}).get("content")
            if content:
                yield content
