"""The service the CLI and the Gradio UI call: `answer(question, history, mode)` and `stream(...)`.

It validates the question, opens the index and the generation backend once (lazily), runs the
agent, and turns every failure a user can meet into an Answer that says what is wrong: nothing
here raises for a bad question, a missing index, a model that cannot load or an endpoint that is down.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.agent import history_answers, routing
from assistant.agent.citation_check import SECTION_TITLE, CitationCheck
from assistant.agent.conversation import CaseFacts
from assistant.agent.disclaimer import DISCLAIMER, with_disclaimer
from assistant.backends.base import Backend, NumberedSource
from assistant.backends.factory import load_backend
from assistant.settings import Settings
from retrieval.errors import RetrievalError

if TYPE_CHECKING:
    from assistant.sentencing import SentenceEstimate

log = logging.getLogger(__name__)

MODE_ALIASES = {
    "auto": "auto",
    "consult": "general",
    "general": "general",
    "sentencing": "sentencing",
    "ip": "ip",
    "statute": "statute",
    "history": "history",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Answer:
    question: str
    text: str  # the answer with inline citation marks, the 引用核验 section and the disclaimer
    sources: list[NumberedSource] = field(default_factory=list)
    citations: list[CitationCheck] = field(default_factory=list)
    sentencing: SentenceEstimate | None = None  # the engine's typed estimate (to_dict() for JSON)
    route: str = "invalid"  # sentencing / ip / statute / general / non_legal / invalid / error
    backend: str = ""  # e.g. 本回答由检索到的法条和案例整理而成，未使用生成模型
    notes: list[str] = field(default_factory=list)
    # the case after this question; pass it with the next question (stream(..., facts=)) so that a
    # follow-up changes these facts. None where the question never reached the agent.
    facts: CaseFacts | None = None
    # the answer itself: the text before its 引用核验 section and disclaimer (the source cards hold the
    # rest); derived from `text` where the route gives none
    body: str = ""

    def __post_init__(self) -> None:
        if not self.body:
            self.body = body_of(self.text)

    @property
    def conclusion(self) -> str:
        """The body's first paragraph after the backend's label: what the reader meets first (a note such
        as the sentencing's > **结论** counts, without its >)."""
        first = next((p for p in _paragraphs(self.body) if not _label(p)), "")
        return first.removeprefix(">").strip()

    @property
    def leads_with_conclusion(self) -> bool:
        """The conclusion comes before any quotation of a source (“…”) and quotes none itself. A term
        the law defines, set in quotation marks (达到“数额较大”的标准), is no quotation of a source."""
        first = next((p for p in _paragraphs(self.body) if not _label(p)), "")
        head = self.body[: self.body.find(first) + len(first)]
        return bool(first) and not any(not _defined_term(head, m) for m in _QUOTATION.finditer(head))

    @property
    def unverified(self) -> list[CitationCheck]:
        return [c for c in self.citations if c.flagged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "route": self.route,
            "backend": self.backend,
            "answer": self.text,
            "sources": [{"n": s.n, **_hit_dict(s.hit)} for s in self.sources],
            "citations": [c.to_dict() for c in self.citations],
            "sentencing": self.sentencing.to_dict() if self.sentencing is not None else None,
            "facts": self.facts.to_dict() if self.facts is not None else None,
            "notes": self.notes,
            "body_chars": len(self.body),
        }


@dataclass
class AnswerEvent:
    kind: Literal["token", "final"]
    text: str = ""  # a piece of the answer as it is generated (token events)
    answer: Answer | None = None  # the checked answer (final event)


def _hit_dict(hit: Any) -> dict[str, Any]:
    if hasattr(hit, "to_dict"):
        return dict(hit.to_dict())
    return {
        k: getattr(hit, k, None)
        for k in ("record_id", "collection", "citation", "text", "version", "current")
    }


def body_of(text: str) -> str:
    """`text` without its 引用核验 section and disclaimer (each is appended at the end, once)."""
    cut = len(text)
    for tail in (f"\n\n{SECTION_TITLE}", "\n\n---\n" + DISCLAIMER):
        at = text.rfind(tail, 0, cut)
        cut = at if at >= 0 else cut
    return text[:cut].rstrip()


# a quotation of a source: ten characters or more between the marks (a defined term is shorter: “数额较大”)
_QUOTATION = re.compile(r"“([^”]{10,})")
# a longer term a law defines, as its article names it: 属于行政诉讼法第二十五条第一款规定的“与行政行为有利害关系” (stop 26: an
# interpretation's article that leads restates it so in the conclusion); words without a stop, after 规定的, 所称(的), 称为, 属于
_TERM_BEFORE = re.compile(r"(?:规定的|所称的?|称为|属于)$")
_STOPS = re.compile(r"[，。；：！？、,.;:!?\s]")


def _defined_term(text: str, m: re.Match[str]) -> bool:
    end = text.find("”", m.start())
    inside = text[m.start() + 1 : end] if end >= 0 else m.group(1)
    return bool(_TERM_BEFORE.search(text[: m.start()])) and end >= 0 and not _STOPS.search(inside)


def _label(paragraph: str) -> bool:
    """*本回答由检索到的法条和案例整理而成，未使用生成模型*: the backend's label, in italics."""
    return paragraph.startswith("*") and not paragraph.startswith("**")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def question_problem(question: str, max_chars: int) -> str | None:
    """What is wrong with a question before anything is searched, or None."""
    if not isinstance(question, str) or not question.strip():
        return "请输入问题：问题是空的。"
    if len(question) > max_chars:
        return f"问题过长：{len(question):,} 个字符，上限为 {max_chars:,} 个字符（ui.max_question_chars）。请只保留案情要点后再提问。"
    if not _CJK.search(question) and _LATIN.search(question):
        return (
            "本助手只回答用中文提出的中国法律问题。请用中文描述案情或问题，例如：“醉酒驾驶机动车会判什么刑？”"
            "（This assistant answers questions on Chinese law asked in Chinese: please describe the facts in Chinese.）"
        )
    return None


class AssistantService:
    """One per process; thread-safe for concurrent questions (the UI serves several sessions)."""

    def __init__(
        self, settings: Settings, searcher: Any = None, backend: Backend | None = None, charge_map: Any = None
    ) -> None:
        self.settings = settings
        self._searcher = searcher
        self._backend = backend
        self._charge_map = charge_map  # corpora.charges.ChargeMap; None: read from the corpus on first use
        self._backend_problem: str | None = None
        self._agent: Any = None
        self._history: Any = None  # corpora.history.LawLibrary, opened on the first history question
        self._ranker: Any = None  # assistant.judgment.ranker.ChargeRanker, on the first sentencing question
        self._ranker_problem: str | None = None
        self._ranker_lock = threading.Lock()  # its own: a fit must not hold up other questions
        self._lock = threading.Lock()

    # --- lazy resources ----------------------------------------------------------------------
    def _open_searcher(self) -> Any:
        from retrieval.search import Searcher

        s = self.settings
        return Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)

    def agent(self) -> Any:
        """The agent, built on first use (opening the index and loading the model). Raises RetrievalError."""
        with self._lock:
            if self._agent is None:
                from assistant.agent.graph import Agent

                if self._searcher is None:
                    self._searcher = self._open_searcher()
                if self._backend is None:
                    self._backend, self._backend_problem = load_backend(self.settings.llm)
                if self._charge_map is None:
                    self._charge_map = _charge_map(self.settings)
                self._agent = Agent(self._searcher, self._backend, self._charge_map, self.charge_ranker)
            return self._agent

    def charge_ranker(self) -> Any:
        """The charge ranking `predict` and `eval judgment` use, for the sentencing planner: the copy
        pickled in the data dir (about 2 s to load), fitted from the corpus the first time (about
        15 s). None when the corpus cannot give one: the planner then ranks the articles the statute
        search and the similar cases find, and the log says why."""
        with self._ranker_lock:
            if self._ranker is None and self._ranker_problem is None:
                try:
                    self._ranker = _load_charge_ranker(self.settings)
                except Exception as e:  # no corpus, no 刑法 in it, an unreadable cache …
                    self._ranker_problem = str(e)
                    log.warning("charge ranking unavailable, charges come from the statute search: %s", e)
            return self._ranker

    @property
    def backend_description(self) -> str:
        return getattr(self._backend, "description", "")

    # --- answering ---------------------------------------------------------------------------
    def answer(
        self, question: str, history: Sequence[Any] = (), mode: str = "auto", facts: CaseFacts | None = None
    ) -> Answer:
        final = None
        for event in self.stream(question, history, mode, facts):
            if event.answer is not None:
                final = event.answer
        assert final is not None  # stream always ends with a final event
        return final

    def stream(
        self, question: str, history: Sequence[Any] = (), mode: str = "auto", facts: CaseFacts | None = None
    ) -> Iterator[AnswerEvent]:
        """Token events while the answer is written, then one final event carrying the Answer.

        `facts`: the case as the previous answer left it (Answer.facts); without it the case is
        folded from the user's messages in `history`. A refused question leaves it unchanged."""
        problem = question_problem(question, self.settings.ui.max_question_chars)
        if problem is None and mode not in MODE_ALIASES:
            problem = f"未知的模式 {mode!r}：可选 {', '.join(MODE_ALIASES)}"
        if problem is not None:
            refused = Answer(str(question or ""), problem, route="invalid", facts=facts)
            yield AnswerEvent("final", answer=refused)
            return
        if mode == "history" or (mode == "auto" and history_answers.is_history_question(question)):
            yield AnswerEvent("final", answer=self._answer_history(question))
            return
        try:
            agent = self.agent()
        except Exception as e:  # the index is missing or unreadable: say so, keep the conversation
            yield AnswerEvent("final", answer=Answer(question, _unavailable(e), route="error", facts=facts))
            return
        history = routing.normalize_history(history)
        try:
            yield from self._run(agent, question, history, MODE_ALIASES[mode], facts)
        except RetrievalError as e:  # the index or a retrieval resource (a bank file) is unreadable: one line
            log.info("answering failed: %s", e)
            text = with_disclaimer(_unavailable(e))
            yield AnswerEvent("final", answer=Answer(question, text, route="error", facts=facts))
        except Exception as e:  # never lose the conversation to an unexpected failure
            log.exception("answering failed")
            text = with_disclaimer(f"回答时出错：{type(e).__name__}: {e}。请换一种问法或稍后重试。")
            answer = Answer(question, text, route="error", backend=self.backend_description, facts=facts)
            yield AnswerEvent("final", answer=answer)

    def _run(
        self, agent: Any, question: str, history: list[dict[str, str]], mode: str, facts: CaseFacts | None
    ) -> Iterator[AnswerEvent]:
        state: dict[str, Any] = {}
        for kind, payload in agent.run(question, history, mode, prior=facts):
            if kind == "token":
                yield AnswerEvent("token", text=str(payload))
            else:
                state = payload
        checked = state.get("checked")
        if self.history_library() is not None:  # each source card shows its 历次修改
            state["sources"] = history_answers.attach_histories(
                list(state.get("sources") or []), self._history
            )
        notes = list(state.get("notes") or [])
        if self._backend_problem:
            notes.insert(0, f"配置的生成模型不可用：{self._backend_problem}")
        text, body = state.get("text", ""), state.get("body", "")
        store_problem = getattr(self._searcher, "vector_store_problem", None)
        if store_problem:  # Chroma is down: the answer rests on BM25 and exact citations; say so first
            notes.insert(0, store_problem)
            text = f"> 注意：{store_problem}\n\n{text}"
            body = f"> 注意：{store_problem}\n\n{body}" if body else ""
        yield AnswerEvent(
            "final",
            answer=Answer(
                question=question,
                text=text,
                sources=list(state.get("sources") or []),
                citations=list(checked.checks) if checked else [],
                sentencing=state.get("sentencing"),
                route=state.get("route", "general"),
                backend=state.get("backend", ""),
                notes=notes,
                facts=state.get("case"),
                body=body,
            ),
        )

    # --- history questions (corpora.history; assistant.agent.history_answers) ----------------------
    def history_library(self) -> Any:
        """The corpus's law versions, or None when there is no corpus to read them from."""
        if self._history is None:
            from corpora.history import library_for
            from corpora.loader import resolve_corpus_root

            try:
                self._history = library_for(
                    resolve_corpus_root(self.settings.corpus_dir, self.settings.data_dir)
                )
            except Exception as e:  # no corpus: history answers say so, other answers go on
                log.warning("no law history: %s", e)
                return None
        return self._history

    def _answer_history(self, question: str) -> Answer:
        def searcher() -> Any:
            return self.agent().searcher

        text, sources, checks = history_answers.answer_for_service(question, self.history_library(), searcher)
        return Answer(question, text, sources=sources, citations=checks, route="history")


def _load_charge_ranker(settings: Settings) -> Any:
    from assistant.judgment.build import ranker_for_service

    if settings.corpus_dir is None:
        raise ValueError("no corpus folder is configured")
    return ranker_for_service(
        Path(settings.corpus_dir), Path(settings.data_dir), settings.charges, settings.embedding
    )


def _charge_map(settings: Settings) -> Any:
    """The official charge names from the corpus, to check the charges users name; None without it."""
    from corpora.charges import ChargeMapError, load_charge_map

    if settings.corpus_dir is None:
        return None
    try:
        return load_charge_map(Path(settings.corpus_dir))
    except (ChargeMapError, OSError) as e:
        log.warning("charge names unavailable, named charges are not checked: %s", e)
        return None


def _unavailable(e: Exception) -> str:
    from retrieval.errors import IndexNotFoundError, RetrievalError

    if isinstance(e, IndexNotFoundError):
        return f"法律索引尚未建立（{e}）。请先运行 `legal-assistant index build`，再提问。"
    if isinstance(e, RetrievalError):
        return f"法律索引暂时不可用：{e}"
    return f"助手暂时不可用：{type(e).__name__}: {e}"
