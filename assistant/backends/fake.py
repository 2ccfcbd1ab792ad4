"""A scripted fake model for tests about logic, not models (after simonw/llm's MockModel)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from assistant.backends.base import BackendError, GenerationContext, Message


class FakeBackend:
    """Replies are queued with `enqueue` (or given up front) and returned in order, in small
    pieces as a streaming model would; every call's messages and context are recorded."""

    description = "脚本化测试模型"

    def __init__(self, replies: Sequence[str] = (), chunk_chars: int = 4) -> None:
        self.replies: list[str] = list(replies)
        self.calls: list[tuple[list[Message], GenerationContext | None]] = []
        self.chunk_chars = chunk_chars

    def enqueue(self, *replies: str) -> None:
        self.replies.extend(replies)

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        self.calls.append(([dict(m) for m in messages], context))
        if not self.replies:
            raise BackendError("FakeBackend has no queued reply")
        reply = self.replies.pop(0)
        for i in range(0, len(reply), self.chunk_chars):
            yield reply[i : i + self.chunk_chars]
