"""Generation backends: `transformers`, `openai`, `extractive` (no model), and a scripted fake for tests.

Every backend has `description` and `stream(messages, context=None) -> Iterator[str]`;
`create_backend` in `factory` picks one from `llm.mode`.
"""

from assistant.backends.base import Backend, BackendError, GenerationContext, Message, NumberedSource

__all__ = ["Backend", "BackendError", "GenerationContext", "Message", "NumberedSource"]
