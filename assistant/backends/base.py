"""What every generation backend offers, and the grounded context the agent hands it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from retrieval.hits import Hit

if TYPE_CHECKING:  # the status module reads the index; backends only carry its findings
    from assistant.agent.citation_status import ArticleStatus

# A chat message as chat templates and OpenAI endpoints take it: {"role": ..., "content": ...}.
Message = dict[str, str]


class BackendError(RuntimeError):
    """A configured model or endpoint that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class NumberedSource:
    """A retrieved hit as it is shown to the model and the reader: [n] plus the hit."""

    n: int
    hit: Hit

    @property
    def is_case(self) -> bool:
        return self.hit.collection == "cases" or self.hit.kind == "案例判决"


@dataclass(frozen=True)
class IPStep:
    """One step of an intellectual-property walkthrough, with the sources it rests on."""

    title: str  # 保护客体 / 被诉行为 / 抗辩与例外 / 责任与赔偿
    summary: str  # one sentence in Chinese saying what the step asks
    sources: tuple[int, ...] = ()  # [n] of the articles that answer it


@dataclass(frozen=True)
class GenerationContext:
    """Everything the agent found for one question. Model backends read the prompt instead;
    the extractive backend composes its answer from this."""

    question: str
    route: str
    sources: tuple[NumberedSource, ...] = ()
    sentencing_markdown: str = ""
    sentencing: Any = None  # the engine's SentenceEstimate (typed; backends read the markdown)
    charge: str = ""  # sentencing: the charge name, e.g. 侵犯著作权罪
    charge_source: int | None = None  # [n] of the document that names the charge
    ip_right: str = ""
    ip_steps: tuple[IPStep, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # what is missing from the question
    # The articles the question itself cites, each found, nonexistent, repealed, ambiguous … (the
    # answer says so first, and never quotes another article in place of a nonexistent one).
    asked: tuple[ArticleStatus, ...] = ()
    # The question as the search read it: followed by the law's words for its everyday words (怀孕 …
    # 让我走人 → 女职工在孕期、产期、哺乳期的 … 不得解除); the extractive backend picks the sentence, 款 and
    # 项 it quotes by these, so that a client's 做行政 does not choose 法律、行政法规规定的其他情形.
    in_law_words: str = ""
    # the question's other asks (驾照怎么办？), each with the [n] of the source that answers it
    asides: tuple[tuple[str, int], ...] = ()


class Backend(Protocol):
    description: str

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        """Yield the answer piece by piece. Raises BackendError when the model cannot answer."""
        ...
