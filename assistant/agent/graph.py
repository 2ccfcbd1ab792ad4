"""The agent: understand (route, the case's facts) → retrieve (per route) → analyse → generate → check
citations → finish.

A LangGraph StateGraph whose generate node streams tokens through LangGraph's custom stream, so
the service can show the answer as it is written and still receive the checked final state. The
case under discussion is a `CaseFacts` folded from the user's messages: a follow-up changes its
facts, and a sentencing question with no case at all gets a request for the facts instead of a guess.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypedDict

from assistant.agent import answering, planning, routing, sentencing_answer
from assistant.agent.citation_check import CheckedAnswer, CitationChecker
from assistant.agent.citation_status import for_question
from assistant.agent.conversation import CaseFacts
from assistant.agent.disclaimer import with_disclaimer
from assistant.agent.prompts import build_messages
from assistant.backends.base import Backend, BackendError, GenerationContext, Message, NumberedSource
from assistant.backends.factory import fallback_backend
from assistant.sentencing import SentenceEstimate, limitation
from corpora.charges import ChargeMap
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
    prior: CaseFacts | None  # the case before this message (None: folded from the history)
    case: CaseFacts
    query: str
    route: str
    beyond: Any  # a criminal case's first ask that is not its sentence: the article answering it (撤销缓刑)
    limitation: dict[str, Any] | None  # 追诉时效 asked of a told crime: what the conclusion is drawn from
    plan: planning.Plan
    sources: list[NumberedSource]
    sentencing: SentenceEstimate | None
    sentencing_markdown: str
    notes: list[str]
    context: GenerationContext
    draft: str
    backend: str
    checked: CheckedAnswer
    text: str
    body: str  # the answer without its 引用核验 section and disclaimer


class Agent:
    """Holds the searcher and the backend; `run` streams ("token", piece) and ends with ("state", state)."""

    def __init__(
        self,
        searcher: planning.SearcherLike,
        backend: Backend,
        charge_map: ChargeMap | None = None,
        charge_ranker: Callable[[], Any] | None = None,
    ) -> None:
        self.searcher = searcher
        self.backend = backend
        self.charge_map = charge_map  # the official charge names; None: named charges are not checked
        # the one charge ranking (predict, eval judgment), loaded on the first sentencing question;
        # None: the planner ranks the articles the statute search and similar cases find
        self.charge_ranker = charge_ranker
        self.checker = CitationChecker(searcher)
        self.graph = self._build()

    def _build(self) -> Any:
        from langgraph.graph import END, START, StateGraph

        g: Any = StateGraph(AgentState)  # nodes are bound methods, which the overloads do not model
        g.add_node("understand", self.understand)
        g.add_node("decline", self.decline)
        g.add_node("ask_facts", self.ask_facts)
        g.add_node("retrieve", self.retrieve)
        g.add_node("analyse", self.analyse)
        g.add_node("generate", self.generate)
        g.add_node("check", self.check)
        g.add_edge(START, "understand")
        g.add_conditional_edges("understand", _after_understanding)
        g.add_edge("decline", END)
        g.add_edge("ask_facts", END)
        g.add_edge("retrieve", "analyse")
        g.add_edge("analyse", "generate")
        g.add_edge("generate", "check")
        g.add_edge("check", END)
        return g.compile()

    def run(
        self,
        question: str,
        history: Sequence[Message] = (),
        mode: str = "auto",
        prior: CaseFacts | None = None,
    ) -> Iterator[tuple[str, Any]]:
        state: AgentState = {"question": question, "history": list(history), "mode": mode, "prior": prior}
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
        question = to_simplified(s["question"])  # a traditional-character question reads as simplified
        prior = s.get("prior")
        if prior is None:
            earlier = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
            prior = CaseFacts.from_messages(earlier, self.charge_map)
        case = prior.add(question, self.charge_map)
        route = routing.route_with_history(question, history, s.get("mode", "auto"))
        if route == "non_legal" and answering.in_law_words(self.searcher, question) != question:
            route = "general"  # the lexicon knows its everyday words (价格标错了, 签了借条): a legal question
        if route in ("general", "non_legal") and s.get("mode", "auto") == "auto":
            first = case.messages[min(case.messages)]
            if case.named_charges or (len(case.messages) > 1 and routing.classify(first) == "sentencing"):
                # 「构成盗窃罪吗？」 names a charge; 「如果是60克呢？」 changes a criminal case
                route = "sentencing"
        general = beyond = None
        if (
            route == "sentencing"
            and s.get("mode", "auto") == "auto"
            and len(case.messages) == 1
            and case.has_case  # 「如果他是累犯呢？」 with no case before it still asks for the facts
            and not case.named_charges
        ):
            general = planning.asks_general_part(self.searcher, question)
        if general is not None:
            if (
                case.get("年龄") is not None
                and planning.weighed_by_the_engine(general)
                and planning.tells_a_crime(question)
            ):  # a told age beside a told act: the engine weighs 刑法第十七条, and its ruling leads the conclusion
                case.age_asked = True
            else:  # 「刑满释放后又犯罪，算累犯吗？」: a consultation about 总则 (第六十五条), no case to sentence
                route = "general"
                if planning.defence_article(self.searcher, question) is not None:
                    beyond = general  # 第二十条 leads, not what the attack's words find (抢劫's article)
        if (
            route == "sentencing"
            and s.get("mode", "auto") == "auto"
            and len(case.messages) == 1
            and limitation.asks_still(routing.first_ask(question), question)
        ):  # 「八年前骗了别人五万块钱，现在还会被抓吗？」: 追诉时效 (刑法第八十七条), with the range the facts fall in
            route = "general"
        if (
            beyond is None
            and route in ("sentencing", "general")
            and s.get("mode", "auto") == "auto"
            and len(case.messages) == 1
            and not case.named_charges
        ):  # 「…缓刑会被撤销吗？」: a crime told, and the ask is 第七十七条's, not the new crime's term
            beyond = planning.asks_beyond_sentence(self.searcher, question, confirm=route == "general")
            if beyond is not None:
                route = "general"
        query = case.statement() if route == "sentencing" else routing.condense(question, history)
        return {"case": case, "query": query, "route": route, "beyond": beyond}

    def decline(self, s: AgentState) -> dict[str, Any]:
        return {"text": with_disclaimer(NON_LEGAL_REPLY), "sources": [], "backend": "", "notes": []}

    def ask_facts(self, s: AgentState) -> dict[str, Any]:
        """A sentencing question with no case to apply it to: ask for the facts, invent nothing."""
        text = sentencing_answer.request_for_facts(s["case"], s["question"])
        return {"text": with_disclaimer(text), "sources": [], "backend": "", "notes": [], "sentencing": None}

    def _sentencing_plan(self, case: CaseFacts, query: str, facts_only: bool = False) -> planning.Plan:
        """The told crime's charge, articles, interpretations and similar cases; with `facts_only`, read from
        what is told before the ask (「…现在还能追究我吗」: 追究 is 第三百四十七条's word, not the act's)."""
        named = [k for n in case.named_charges if n.exists for k in n.keys[:1]]
        either = len(named) > 1 and sentencing_answer.asks_which(case.messages[case.latest])
        # with a charge named, the search reads the facts alone: they may point elsewhere
        query = case.statement(without_charges=True) if named and case.tells_act else query
        ranker = self.charge_ranker() if self.charge_ranker is not None else None
        facts = case.narrative(without_charges=bool(named and case.tells_act))
        told = case.narrative(without_charges=bool(named and case.tells_act), keep_figures=True)
        if facts_only:
            query, facts, told = map(routing.told_before_asking, (query, facts, told))
        plan = planning.plan_sentencing(
            self.searcher, query, named=named, alternatives=either, charge_ranker=ranker, facts=facts, told=told,
        )  # fmt: skip
        main = plan.articles[:1]
        given = next((n for n in case.named_charges if n.keys and n.keys[0][0] in main), None)
        if given is not None and not plan.charges:  # the index names no charge for it: the user's does
            plan.charges, plan.charge_name = [given.name.removesuffix("罪")], given.name
        return plan

    def _limitation(self, s: AgentState, plan: planning.Plan) -> dict[str, Any] | None:
        """A consultation about a told crime whose search found the limitation article (追诉时效, criminal_law.toml
        [limitation]) first, or found it and the client tells the years passed (三年前…还会被追究吗): the range its
        facts fall in, from the sentencing rules, for the answer's conclusion; the limitation article leads, then
        the charge's article and the articles on what stops or restarts the period."""
        rule = limitation.limitation_rule()
        lead = next(
            (
                h
                for h in plan.statutes
                if planning.law_of(h) == planning.CRIMINAL_LAW
                and (int(h.number or 0), int(h.suffix or 0)) == (rule.article, 0)
            ),
            None,
        )
        told = s["case"].narrative(keep_figures=True)
        if not planning.tells_a_crime(told):
            return None  # 「十几年前犯的事，还会被追究吗」, 「两年前借给朋友5万…还能起诉吗」: no crime told
        if lead is None and limitation.asks_still(routing.first_ask(to_simplified(s["question"])), told):
            lead = self.searcher.get_article(planning.CRIMINAL_LAW, rule.article)
            if lead is not None:
                plan.statutes.insert(0, lead)
        if lead is None:
            return None
        if lead is not plan.statutes[0] and limitation.years_passed(told) is None:
            return None  # found beside another lead, and no time told to have passed: not what is asked
        found = limitation.periods(str(lead.text))
        crime = self._sentencing_plan(s["case"], s["case"].statement(), facts_only=True)
        if not found or not crime.articles or not crime.statutes:
            return None
        estimate, _, _ = sentencing_answer.sentencing_for(s["case"], crime)
        if estimate is None or not estimate.charges:
            return None
        charge = estimate.charges[0]
        extra = [
            hit
            for number in (rule.exceptions_article, rule.start_article)
            if (hit := self.searcher.get_article(planning.CRIMINAL_LAW, number)) is not None
        ]
        plan.statutes = planning.unique([lead, crime.statutes[0], *extra, *plan.statutes[1:]])
        return {
            "charge": charge.charge, "main": crime.statutes[0], "tier": charge.statutory_tier,
            "tiers": charge.tiers, "periods": found, "lead": lead, "extra": extra,
        }  # fmt: skip

    def retrieve(self, s: AgentState) -> dict[str, Any]:
        if s["route"] == "sentencing":
            plan = self._sentencing_plan(s["case"], s["query"])
            planning.add_asides(self.searcher, to_simplified(s["question"]), plan, criminal=True)
            return {"plan": plan}
        planner = {"statute": planning.plan_statute, "ip": planning.plan_ip}.get(
            s["route"], planning.plan_general
        )
        if s.get("beyond") is not None:
            plan = planning.plan_beyond_sentence(self.searcher, to_simplified(s["question"]), s["beyond"])
        else:
            plan = planner(self.searcher, s["query"])
        if s["route"] == "general":
            planning.add_asides(self.searcher, to_simplified(s["question"]), plan)
            return {"plan": plan, "limitation": self._limitation(s, plan)}
        return {"plan": plan}

    def analyse(self, s: AgentState) -> dict[str, Any]:
        plan, notes = s["plan"], list[str]()
        trace, markdown = None, ""
        if s["route"] == "sentencing":
            trace, markdown, notes = sentencing_answer.sentencing_for(s["case"], plan)
        # the articles the trace and the notes cite (刑法第二十条第二款 of a 正当防卫 asked about) are sources too
        cited = "\n".join([markdown, *notes]) if markdown else ""
        extra = planning.cited_articles(self.searcher, cited) if cited else []
        sources = planning.number_sources(plan, extra)
        if (found := s.get("limitation")) is not None:
            notes = [n for n in [self._limitation_conclusion(s, found, sources)] if n]
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
            in_law_words=answering.in_law_words(self.searcher, to_simplified(s["question"])),
            asides=tuple(
                (ask, n)
                for ask, hit in plan.asides
                if (n := planning.source_number(sources, hit)) is not None
            ),
        )
        return {
            "sources": sources,
            "sentencing": trace,
            "sentencing_markdown": markdown,
            "notes": notes,
            "context": context,
        }

    def _limitation_conclusion(
        self, s: AgentState, found: dict[str, Any], sources: Sequence[NumberedSource]
    ) -> str:
        def cited(hit: Any) -> str:
            n = planning.source_number(sources, hit)
            return f"刑法{hit.number_cn}" + (f"[{n}]" if n else "")

        after = limitation.exceptions_sentence(*[cited(h) for h in found["extra"]][:2])
        return limitation.conclusion(
            found["charge"], cited(found["main"]), found["tier"], found["tiers"], f"刑法{found['lead'].number_cn}",
            found["periods"], planning.source_number(sources, found["lead"]), s["case"].narrative(keep_figures=True),
            after=after,
        )  # fmt: skip

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
        return {"checked": checked, "text": with_disclaimer(checked.text), "body": checked.body}


def _after_understanding(s: AgentState) -> str:
    if s["route"] == "non_legal":
        return "decline"
    if s["route"] == "sentencing" and not s["case"].has_case:
        return "ask_facts"
    return "retrieve"
