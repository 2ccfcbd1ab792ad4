"""The agent: condense → route → retrieve (per route) → analyse → generate → check citations → finish.

A LangGraph StateGraph whose generate node streams tokens through LangGraph's custom stream, so
the service can show the answer as it is written and still receive the checked final state.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from assistant import planning, routing
from assistant.backends.base import Backend, BackendError, GenerationContext, Message, NumberedSource
from assistant.backends.factory import fallback_backend, one_line
from assistant.citation_status import for_question
from assistant.citations import CheckedAnswer, CitationChecker
from assistant.disclaimer import with_disclaimer
from assistant.prompts import build_messages
from corpora.traditional import to_simplified

log = logging.getLogger(__name__)

NON_LEGAL_REPLY = (
    "这个问题看起来不涉及法律。本助手回答中国法律问题，例如：“盗窃他人财物三千元，有自首情节，可能判多久？”"
    "“商标侵权的赔偿数额怎么确定？”。请描述具体的案情或想查询的法律规定。"
)


class AgentState(TypedDict, total=False):
    question: str
    history: list[Message]
    mode: str
    query: str
    route: str
    plan: planning.Plan
    sources: list[NumberedSource]
    sentencing: dict[str, Any] | None
    sentencing_markdown: str
    notes: list[str]
    context: GenerationContext
    draft: str
    backend: str
    checked: CheckedAnswer
    text: str


class Agent:
    """Holds the searcher and the backend; `run` streams ("token", piece) and ends with ("state", state)."""

    def __init__(self, searcher: planning.SearcherLike, backend: Backend) -> None:
        self.searcher = searcher
        self.backend = backend
        self.checker = CitationChecker(searcher)
        self.graph = self._build()

    def _build(self) -> Any:
        from langgraph.graph import END, START, StateGraph

        g: Any = StateGraph(AgentState)  # nodes are bound methods, which the overloads do not model
        g.add_node("understand", self.understand)
        g.add_node("decline", self.decline)
        g.add_node("retrieve", self.retrieve)
        g.add_node("analyse", self.analyse)
        g.add_node("generate", self.generate)
        g.add_node("check", self.check)
        g.add_edge(START, "understand")
        g.add_conditional_edges(
            "understand", lambda s: "decline" if s["route"] == "non_legal" else "retrieve"
        )
        g.add_edge("decline", END)
        g.add_edge("retrieve", "analyse")
        g.add_edge("analyse", "generate")
        g.add_edge("generate", "check")
        g.add_edge("check", END)
        return g.compile()

    def run(
        self, question: str, history: Sequence[Message] = (), mode: str = "auto"
    ) -> Iterator[tuple[str, Any]]:
        state: AgentState = {"question": question, "history": list(history), "mode": mode}
        final: dict[str, Any] = {}
        for kind, chunk in self.graph.stream(state, stream_mode=["custom", "values"]):
            if kind == "custom":
                yield "token", chunk
            else:
                final = chunk
        yield "state", final

    # --- nodes -------------------------------------------------------------------------------
    def understand(self, s: AgentState) -> dict[str, Any]:
        history = s.get("history", [])
        question = to_simplified(
            s["question"]
        )  # a traditional-character question reads as its simplified form
        return {
            "query": routing.condense(question, history),
            "route": routing.route_with_history(question, history, s.get("mode", "auto")),
        }

    def decline(self, s: AgentState) -> dict[str, Any]:
        return {"text": with_disclaimer(NON_LEGAL_REPLY), "sources": [], "backend": "", "notes": []}

    def retrieve(self, s: AgentState) -> dict[str, Any]:
        planner = {
            "sentencing": planning.plan_sentencing,
            "statute": planning.plan_statute,
            "ip": planning.plan_ip,
        }.get(s["route"], planning.plan_general)
        return {"plan": planner(self.searcher, s["query"])}

    def analyse(self, s: AgentState) -> dict[str, Any]:
        plan, notes = s["plan"], list[str]()
        trace, markdown = None, ""
        if s["route"] == "sentencing":
            trace, markdown, notes = sentencing_for(s["query"], plan)
        extra = planning.cited_articles(self.searcher, markdown) if markdown else []
        sources = planning.number_sources(plan, extra)
        right, steps = planning.ip_steps(plan, sources)
        charge_n = next(
            (x.n for x in sources if plan.charge_hit is not None and x.hit is plan.charge_hit), None
        )
        context = GenerationContext(
            question=s["question"],
            route=s["route"],
            sources=tuple(sources),
            sentencing_markdown=markdown,
            sentencing=trace,
            charge=plan.charge_name,
            charge_source=charge_n,
            ip_right=right,
            ip_steps=steps,
            notes=tuple(notes),
            asked=tuple(for_question(self.checker.status, to_simplified(s["question"]))),
        )
        return {
            "sources": sources,
            "sentencing": trace,
            "sentencing_markdown": markdown,
            "notes": notes,
            "context": context,
        }

    def generate(self, s: AgentState) -> dict[str, Any]:
        from langgraph.config import get_stream_writer

        write = get_stream_writer()
        messages = build_messages(s["context"], s.get("history", []))
        pieces: list[str] = []
        backend = self.backend
        try:
            for piece in backend.stream(messages, s["context"]):
                pieces.append(piece)
                write(piece)
        except BackendError as e:
            # The model failed (endpoint down, generation error): answer from the sources instead.
            log.warning("backend failed, answering extractively: %s", e)
            backend = fallback_backend(str(e))
            restart = "\n\n" if pieces else ""
            pieces = []
            for piece in backend.stream(messages, s["context"]):
                pieces.append(piece)
                write(restart + piece)
                restart = ""
        return {"draft": "".join(pieces), "backend": backend.description}

    def check(self, s: AgentState) -> dict[str, Any]:
        sources = s["sources"]
        default_law = next((planning.law_of(x.hit) for x in sources if not x.is_case), None)
        checked = self.checker.check(s["draft"], sources, default_law=default_law)
        return {"checked": checked, "text": with_disclaimer(checked.text)}


def sentencing_for(fact: str, plan: planning.Plan) -> tuple[dict[str, Any] | None, str, list[str]]:
    """Run the sentencing engine on the facts with the plan's charges and articles: (trace, markdown, notes)."""
    from assistant.sentencing import estimate_sentence, extract_quantities

    notes: list[str] = []
    article_texts = {
        int(h.number): str(h.text)
        for h in plan.statutes
        if planning.law_of(h) == planning.CRIMINAL_LAW and not h.suffix
    }
    main_text = article_texts.get(plan.articles[0], "") if plan.articles else ""
    if "数额" in main_text and extract_quantities(fact).amount_yuan is None:
        notes.append(
            "问题中没有说明涉案数额，而该罪的量刑取决于数额；下面的估算因此只是粗略的，补充具体数额可得到更准确的结果。"
        )
    if not plan.articles:
        notes.append("没有检索到可以确定罪名的刑法条文，无法估算刑期；请补充案情（行为、数额、后果）。")
        return None, "", notes
    try:
        estimate = estimate_sentence(
            fact,
            plan.charges,
            plan.articles,
            article_texts=article_texts,
            similar_cases=planning.case_records(plan.cases),
        )
    except (ValueError, KeyError, LookupError) as e:
        notes.append(f"量刑计算没有完成：{one_line(str(e), 120)}")
        return None, "", notes
    markdown = estimate.to_markdown()
    return estimate.to_dict(), markdown, notes
