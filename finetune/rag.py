"""Retrieval-augmented fine-tuning samples (RAFT, Zhang et al. 2024) in the agent's own prompt.

For each question the real agent runs over the real searcher, wrapped so that the question's gold
articles are forced among the retrieved sources (gold present) or kept out of every result (gold
absent, a configurable share). A recording backend takes the messages the agent would send to a
model: they are the sample's prompt, byte for byte, because the agent built them. The target is
written from the sources the prompt shows (`finetune.rag_targets`): conclusion first, citations
[n] only to sources that hold the cited article, the engine's sentencing trace, the disclaimer;
where the gold is absent it says what is missing and cites nothing it does not have.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.backends.base import GenerationContext, Message
from finetune.rag_questions import GoldRef, RagQuestion
from finetune.rag_targets import rag_target
from finetune.samples import Sample

RAG_KIND = "rag"
DEFAULT_GOLD_ABSENT_SHARE = 0.2


class RagBuildError(ValueError):
    """Options that cannot be used (the message names the option)."""


def check_share(share: float, option: str = "--gold-absent-share") -> float:
    if not 0.0 <= share <= 1.0:
        raise RagBuildError(f"{option} must be between 0 and 1, got {share}")
    return share


def gold_absent(question: RagQuestion, share: float, seed: int = 0) -> bool:
    """Whether this question's sample leaves its gold out: a hash, so reruns agree."""
    digest = hashlib.sha1(f"rag-absent-{seed}\x1f{question.source}\x1f{question.question}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


class GoldSearcher:
    """The agent's searcher with one question's gold forced in or held out (`arm` sets the question).

    Present: a statute or interpretation search that missed the gold gets it at one of the first
    three ranks (the rest shift down, the list keeps its length), so the gold sits among realistic
    distractors; the rank is a hash of the query and the seed, so the same question gives the
    same prompt again. Absent: the gold is removed from every result and exact lookup.
    """

    def __init__(self, inner: Any, seed: int = 0) -> None:
        self.inner = inner
        self.seed = seed
        self.gold: tuple[GoldRef, ...] = ()
        self.gold_hits: list[Any] = []
        self.present = True

    def arm(self, gold: Sequence[GoldRef], present: bool) -> list[Any]:
        """Set the question's gold; returns the gold articles as hits (missing ones left out)."""
        self.gold, self.present = tuple(gold), present
        self.gold_hits = [h for g in gold if (h := self.inner.get_article(g.law, g.number, g.suffix))]
        return self.gold_hits

    def _is_gold(self, hit: Any) -> bool:
        return any(g.matches(hit) for g in self.gold)

    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: Any = None
    ) -> list[Any]:
        hits = list(self.inner.search(query, kind=kind, k=k, where=where))
        if not self.present:
            return [h for h in hits if not self._is_gold(h)]
        if kind == "cases" or where or any(self._is_gold(h) for h in hits):
            return hits
        wanted = [h for h in self.gold_hits if kind is None or h.collection == kind]
        if not wanted:
            return hits
        size = len(hits) or len(wanted)
        digest = hashlib.sha1(f"{self.seed}\x1f{query}\x1f{kind}".encode()).digest()
        at = digest[0] % (min(2, len(hits)) + 1)
        return (hits[:at] + wanted + hits[at:])[: max(size, len(wanted))]

    def lookup(self, citation_text: str) -> list[Any]:
        hits = self.inner.lookup(citation_text)
        return hits if self.present else [h for h in hits if not self._is_gold(h)]

    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Any:
        hit = self.inner.get_article(law_id_or_title, number, suffix, on_date=on_date)
        return None if hit is not None and not self.present and self._is_gold(hit) else hit

    def __getattr__(self, name: str) -> Any:  # stats, resolve_law, … as the real searcher has them
        return getattr(self.inner, name)


class PromptRecorder:
    """A backend that answers nothing and keeps what the agent sent it."""

    description = "prompt recorder"

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.context: GenerationContext | None = None

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        self.messages = [dict(m) for m in messages]
        self.context = context
        return iter(())


@dataclass
class RagStats:
    questions: Counter[str] = field(default_factory=Counter)  # per origin
    absent: int = 0
    dropped: Counter[str] = field(default_factory=Counter)  # reason → count


@dataclass(frozen=True)
class AgentPrompt:
    messages: list[Message]
    context: GenerationContext


def agent_prompt(agent: Any, recorder: PromptRecorder, question: str) -> AgentPrompt | None:
    """Run the agent on `question` and return what it handed the backend (None: it declined)."""
    recorder.messages, recorder.context = [], None
    for _ in agent.run(question):
        pass
    if not recorder.messages or recorder.context is None:
        return None
    return AgentPrompt(recorder.messages, recorder.context)


def rag_samples(
    searcher: Any,
    questions: Iterable[RagQuestion],
    absent_share: float = DEFAULT_GOLD_ABSENT_SHARE,
    seed: int = 0,
    stats: RagStats | None = None,
    make_agent: Callable[[Any, Any], Any] | None = None,
    charge_ranker: Any = None,
    charge_map: Any = None,
) -> Iterator[Sample]:
    """One sample per usable question; the others are dropped and counted with their reason.
    `charge_ranker` and `charge_map`: the ones the service loads (assistant.judgment.build,
    corpora.charges.load_charge_map), so that the samples' prompts are the ones the served agent sends."""
    check_share(absent_share)
    stats = stats if stats is not None else RagStats()
    gold_searcher, recorder = GoldSearcher(searcher, seed), PromptRecorder()
    if make_agent is None:
        from assistant.agent.graph import Agent

        agent = Agent(
            gold_searcher, recorder, charge_ranker=(lambda: charge_ranker) if charge_ranker else None
        )
    else:
        agent = make_agent(gold_searcher, recorder)
    for q in questions:
        present = not gold_absent(q, absent_share, seed)
        if len(gold_searcher.arm(q.gold, present)) < len(q.gold):
            stats.dropped["a gold article is not in the index"] += 1
            continue
        try:
            prompt = agent_prompt(agent, recorder, q.question)
        except Exception as e:  # a retrieval failure drops this question, never the build
            stats.dropped[f"retrieval failed ({type(e).__name__})"] += 1
            continue
        if prompt is None:
            stats.dropped["the agent declined the question"] += 1
            continue
        target = rag_target(q, prompt.context, gold_searcher.gold_hits)
        if target.problem:
            stats.dropped[target.problem] += 1
            continue
        stats.questions[q.origin] += 1
        stats.absent += 0 if target.gold_present else 1
        system, *rest = prompt.messages
        yield Sample(
            kind=RAG_KIND,
            system=system["content"],
            instruction=rest[-1]["content"],
            output=target.text,
            history=[[u["content"], a["content"]] for u, a in zip(rest[:-1:2], rest[1:-1:2], strict=True)],
            group=f"rag:{q.source}",
            source=q.source,
            meta={
                "origin": q.origin,
                "question": q.question,
                "gold": [g.label() for g in q.gold],
                "gold_present": target.gold_present,
                "sources": [s.hit.citation for s in prompt.context.sources],
            },
        )
