"""Pick the generation backend from `llm.mode`; fall back to the extractive one when a model cannot load."""

from __future__ import annotations

import logging

from assistant.backends.base import Backend, BackendError
from assistant.backends.extractive import NO_MODEL, ExtractiveBackend
from assistant.settings import LLMSettings

log = logging.getLogger(__name__)


def create_backend(llm: LLMSettings) -> Backend:
    """The backend `llm.mode` names. Raises BackendError when it cannot be used."""
    match llm.mode:
        case "extractive":
            return ExtractiveBackend()
        case "transformers":
            from assistant.backends.transformers_backend import TransformersBackend

            return TransformersBackend(
                llm.model,
                adapter=llm.adapter,
                load_in_4bit=llm.load_in_4bit,
                max_new_tokens=llm.max_new_tokens,
                temperature=llm.temperature,
            )
        case "openai":
            from assistant.backends.openai_backend import OpenAIBackend

            return OpenAIBackend(
                llm.base_url,
                model=llm.model,
                api_key=llm.api_key,
                max_new_tokens=llm.max_new_tokens,
                temperature=llm.temperature,
                timeout_s=llm.timeout_s,
            )
        case _:
            raise BackendError(f"llm.mode must be transformers, openai or extractive, got {llm.mode!r}")


def fallback_backend(reason: str) -> ExtractiveBackend:
    """The extractive backend whose one-line header says why no model is answering."""
    return ExtractiveBackend(f"生成模型不可用（{one_line(reason)}），改用检索式回答")


def load_backend(llm: LLMSettings) -> tuple[Backend, str | None]:
    """(backend, why the configured model was not used or None): never raises for a bad model."""
    if llm.mode == "transformers" and not llm.model:
        return ExtractiveBackend(NO_MODEL), None
    try:
        return create_backend(llm), None
    except BackendError as e:
        log.warning("generation backend unavailable, using extractive answers: %s", e)
        return fallback_backend(str(e)), str(e)


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
