"""No model at all: the answer is composed from the retrieved sources and the computed sentencing.

Articles are quoted verbatim and cited [n]; similar cases are given with their outcomes; the
sentencing computation is shown step by step. Nothing here is invented, so it is the default
when no model is configured or the configured one cannot be loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from assistant.backends.base import GenerationContext, Message, NumberedSource
from assistant.backends.excerpts import (
    answering_paragraph,
    answering_sentence,
    best_sentence,
    excerpt,
    overlap,
    paragraphs,
    period_note,
    quoted_paragraphs,
)
from assistant.sentencing.trace import CONSEQUENCE
from corpora.citations import convicts_as, normalize_law_name, parse_citations
from corpora.numerals import int_to_cn
from corpora.traditional import to_simplified

NO_MODEL = "本回答由检索到的法条和案例整理而成，未使用生成模型"
QUOTE_CHARS = 240  # an article is quoted from its answering paragraph up to here, then marked ……
STEP_OVERLAP = 8  # character pairs an article shares with an IP step's summary to be said to answer it
BODY_CHARS = 1200  # the answer's body stays within about this; the source cards hold the rest


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A verbatim excerpt in Chinese quotes; the citation check accepts it because it is in the source."""
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit]}”……"


def case_value(hit: Any, name: str) -> Any:
    """A case hit's field, from its metadata or its full record (whichever the index stored)."""
    for holder in (getattr(hit, "metadata", None), getattr(hit, "record", None)):
        if isinstance(holder, dict) and holder.get(name) not in (None, "", []):
            return holder[name]
    return None


def case_field(hit: Any, name: str) -> list[str]:
    """A list-valued case field (charges, articles), stored as a list or as '盗窃、抢劫' / '264,67'."""
    value = case_value(hit, name) or []
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _tier(estimate: Any) -> tuple[float, float] | None:
    """The statutory range (months) of the tier the estimate's main charge is sentenced in, or None."""
    charges = getattr(estimate, "charges", None) or []
    statutory = getattr(charges[0], "statutory", None) if charges else None
    return (float(statutory[0]), float(statutory[1])) if statutory else None


def _in_tier(hit: Any, tier: tuple[float, float]) -> bool:
    """Whether a case's sentence lies in the tier: a life or death sentence in a tier reaching 有期徒刑's
    ceiling; a case whose sentence is unknown is kept."""
    if case_value(hit, "death_penalty") or case_value(hit, "life_imprisonment"):
        return tier[1] >= 180
    months = case_value(hit, "term_months")
    return months is None or tier[0] <= float(months) <= tier[1]


def _tier_words(tier: tuple[float, float]) -> str:
    return f"（{tier[0]:g}至{tier[1]:g}个月）"


def case_outcome(hit: Any) -> str:
    """'盗窃罪；有期徒刑8个月' from what is known of a case hit."""
    charges = case_field(hit, "charges") or case_field(hit, "accusation")
    parts = ["、".join(c if c.endswith("罪") else c + "罪" for c in charges)] if charges else []
    if case_value(hit, "death_penalty"):
        parts.append("死刑")
    elif case_value(hit, "life_imprisonment"):
        parts.append("无期徒刑")
    elif case_value(hit, "term_months") is not None:
        months = float(case_value(hit, "term_months"))
        # below six months the sentence was 拘役 (刑法第四十二条), never 有期徒刑
        kind = "拘役" if 0 < months < 6 else "有期徒刑"
        parts.append(f"{kind}{months:g}个月" if months > 0 else "未判处监禁刑")
    return "；".join(parts) or "判决结果未知"


class ExtractiveBackend:
    def __init__(self, description: str = NO_MODEL, body_chars: int = BODY_CHARS) -> None:
        self.description = description
        self.body_chars = body_chars

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        if context is None:
            yield f"{self.description}。没有检索到可以引用的来源。"
            return
        yield from compose(context, self.description, self.body_chars)


def compose(ctx: GenerationContext, header: str = NO_MODEL, body_chars: int = BODY_CHARS) -> list[str]:
    """The answer as blocks (one streamed event each): the conclusion in one to three sentences, then
    the key articles quoted at the paragraph that answers, then the rest while the body stays within
    `body_chars` (the source cards hold everything else)."""
    blocks = [f"*{header}*\n\n"]
    blocks += [f"> {note}\n\n" for note in ctx.notes]
    asked_blocks = [f"**{st.message}。**\n\n" for st in ctx.asked if st.kind != "found"]
    if not ctx.sources:
        return [
            *blocks,
            *asked_blocks,
            "没有检索到与问题相关的法条或案例，无法给出有依据的回答。请补充案情或换一种问法。\n",
        ]
    plan = _Plan(ctx)
    body = [*asked_blocks, plan.conclusion(), plan.asides(), *plan.key_quotes(), *plan.rest()]
    kept: list[str] = []
    used = sum(len(b) for b in blocks[1:])  # the notes count towards the body
    skipped = False
    for i, block in enumerate(b for b in body if b):
        if i > 1 and used + len(block) > body_chars:  # the conclusion and first quotes always stay
            skipped = True  # a long block goes to the cards; a shorter one after it may still fit
            continue
        kept.append(block)
        used += len(block)
    if skipped:
        kept.append(f"（其余{_more(plan, kept)}见所附来源。）\n")
    return blocks + kept


def _more(plan: _Plan, kept: list[str]) -> str:
    shown = {int(n) for b in kept for n in _MARK.findall(b)}
    rest = [s for s in plan.ctx.sources if s.n not in shown]
    return "来源" + "".join(f"[{s.n}]" for s in rest[:8]) if rest else "内容"


_MARK = re.compile(r"\[(\d{1,3})\]")


class _Plan:
    """Which sources lead, and how each is shown, for one context."""

    def __init__(self, ctx: GenerationContext) -> None:
        self.ctx = replace(ctx, question=to_simplified(ctx.question))
        # what the sentence, 款 and 项 quoted are chosen by: the question, in the law's words where known
        self.read = to_simplified(ctx.in_law_words) or self.ctx.question
        self.statutes = [s for s in ctx.sources if s.hit.collection == "statutes"]
        self.interps = [s for s in ctx.sources if s.hit.collection == "interpretations"]
        # In the plan's order: a consultation's plan leads with an interpretation article when the question's
        # words are its own (assistant.agent.answering.interpretation_lead); otherwise statutes come first.
        self.leads = [s for s in ctx.sources if s.hit.collection in ("statutes", "interpretations")]
        self.cases = [s for s in ctx.sources if s.is_case]
        self.by_n = {s.n: s for s in ctx.sources}
        self.shown: set[int] = set()

    # --- the conclusion ----------------------------------------------------------------------
    def conclusion(self) -> str:
        ctx = self.ctx
        if ctx.route == "general" and any(n.startswith("**结论**") for n in ctx.notes):
            return ""  # the rules reached it (追诉时效 of a told crime): the note above is the conclusion
        if ctx.route == "statute" and ctx.asked:
            return self._statute_conclusion()
        threshold = self.threshold_source()
        if threshold is not None:
            sentence = _closed(
                best_sentence(_threshold_text(threshold.hit.text, ctx.question), ctx.question, 200)
            )
            self.shown.add(threshold.n)
            return f"**结论**：依照{threshold.hit.citation}[{threshold.n}]，{sentence}\n\n"
        if ctx.route == "sentencing" and ctx.charge:
            return self._sentencing_conclusion()
        if ctx.route == "ip" and ctx.ip_steps:
            return self._ip_conclusion()
        lead = next(iter(self.leads), None)
        if lead is None:
            return "**结论**：检索到的只有类似判决，没有直接规定这一问题的条文；判决结果见下。\n\n"
        # a span of time or an age the client tells chooses its tier's clause (签了两年的合同 → 二个月)
        sentence = _closed(answering_sentence(lead.hit.text, ctx.question, self.read))
        passed = period_note(sentence, ctx.question)  # 「已经70天了」 against 六十日内
        return f"**结论**：依照{lead.hit.citation}[{lead.n}]，{sentence}{passed}具体以全部案情和法院认定为准。\n\n"

    def asides(self) -> str:
        """One line for each other ask of the question (驾照怎么办？), from the article its own search led with."""
        lines = []
        for ask, n in self.ctx.asides:
            s = self.by_n.get(n)
            if s is None:
                continue
            self.shown.add(s.n)
            said = self._consequence_of(s)
            if (
                said is not None
            ):  # 「驾照还能保住吗」: the paragraph the facts meet, which the conclusion quotes
                basis, text = said
                lines.append(
                    f"**另问「{ask.rstrip('？?')}」**：依照{basis}[{s.n}]，{text.rstrip('。')}。\n\n"
                )
                continue
            sentence = _closed(answering_sentence(s.hit.text, self.ctx.question, f"{ask} {self.read}"))
            sentence += period_note(sentence, self.ctx.question)
            lines.append(f"**另问「{ask.rstrip('？?')}」**：依照{s.hit.citation}[{s.n}]，{sentence}\n\n")
        return "".join(lines)

    def _consequence_of(self, source: NumberedSource) -> tuple[str, str] | None:
        """(basis, words) of what the sentence's rules attach to the crime from this source's article (道路交通安全法
        第九十一条第二款 for 醉驾), or None: the article's other paragraphs (营运, 重大交通事故) are not the client's."""
        estimate = self.ctx.sentencing
        law = normalize_law_name(str(getattr(source.hit, "law_title", "") or ""))
        number = getattr(source.hit, "number_cn", "") or ""
        if not number and int(getattr(source.hit, "number", 0) or 0):
            suffix = int(getattr(source.hit, "suffix", 0) or 0)
            number = f"第{int_to_cn(int(source.hit.number))}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
        if estimate is None or not law or not number:
            return None
        for charge in getattr(estimate, "charges", ()):
            for step in charge.steps:
                if step.name == CONSEQUENCE and normalize_law_name(step.basis).startswith(f"{law}{number}"):
                    return step.basis, step.detail
        return None

    def _statute_conclusion(self) -> str:
        found = [(st, st.hit) for st in self.ctx.asked if st.kind == "found" and st.hit is not None]
        if not found:
            return "下面是与问题相关的其他条文，供参考，**不是所问条文的内容**。\n\n"
        parts = []
        for st, hit in found[:2]:
            n = self._n_of(hit)
            mark = f"[{n}]" if n else ""
            text = hit.text
            if st.ref.paragraph and st.ref.paragraph <= len(paragraphs(text)):
                text = "".join(paragraphs(text)[st.ref.paragraph - 1])
            parts.append(f"{hit.citation}{mark}规定：{_closed(best_sentence(text, self.ctx.question, 160))}")
        return "**结论**：" + "".join(parts) + "\n\n"

    def _sentencing_conclusion(self) -> str:
        ctx = self.ctx
        main = self.statutes[0] if self.statutes else None
        basis = f"（罪名依据[{ctx.charge_source}]）" if ctx.charge_source else ""
        article = f"，适用{main.hit.citation}[{main.n}]" if main else ""
        term = _term(ctx.sentencing)
        estimate = f"按《关于常见犯罪的量刑指导意见（试行）》估算，{term}。" if term else ""
        return f"**可能构成的罪名**：{ctx.charge}{basis}{article}。{estimate}是否构成犯罪、判多久，以法院认定为准。\n\n"

    def _ip_conclusion(self) -> str:
        ctx = self.ctx
        named = [st for st in ctx.ip_steps if "（" in st.summary and _names_article(st.summary)]
        right = f"涉及的权利是{ctx.ip_right}。" if ctx.ip_right else ""
        if named:
            return f"**结论**：{right}{named[0].summary}\n\n"
        # No point of the table was raised: the step article the plan put first leads (the one the question's
        # own search found first, in the law's words: assistant.agent.planning.plan_ip).
        listed = [self.by_n[n] for st in ctx.ip_steps for n in st.sources if n in self.by_n]
        lead = min(listed, key=lambda x: x.n, default=None)
        if lead is None:
            return f"**结论**：{right}\n\n"
        # read with the law's words, as a consultation's is (「…招牌改成跟我商标只差一个字」 → （二）'s 近似的商标)
        sentence = _closed(answering_sentence(lead.hit.text, ctx.question, self.read))
        return f"**结论**：{right}依照{lead.hit.citation}[{lead.n}]，{sentence}\n\n"

    def threshold_source(self) -> NumberedSource | None:
        """For a question about a threshold (数额较大的标准), the interpretation article that sets it."""
        words = [w for w in THRESHOLD_WORDS if w in self.ctx.question]
        if not words or not _THRESHOLD_ASK.search(self.ctx.question):
            return None
        setting = [
            s for s in self.interps if all(w in s.hit.text for w in words) and _AMOUNT.search(s.hit.text)
        ]
        return max(setting, key=lambda s: overlap(self.ctx.question, s.hit.text), default=None)

    # --- the key articles ----------------------------------------------------------------------
    def key_quotes(self) -> list[str]:
        ctx = self.ctx
        if ctx.route == "ip" and ctx.ip_steps:
            return self._ip_blocks()
        chosen: list[tuple[NumberedSource, int | None, int | None]] = []
        for st in ctx.asked:
            n = self._n_of(st.hit) if st.kind == "found" and st.hit is not None else None
            if n is not None:
                chosen.append((self.by_n[n], st.ref.paragraph, st.ref.item))
        if not any(st.kind == "found" for st in ctx.asked):
            lead = self.statutes[:1] if ctx.route in ("statute", "sentencing") else self.leads[:2]
            if ctx.route == "sentencing" and lead:  # and the article that makes the crime the main one's
                key = (int(lead[0].hit.number or 0), int(lead[0].hit.suffix or 0))
                lead += [s for s in self.statutes[1:3] if key in convicts_as(str(s.hit.text))]
            chosen += [(s, None, None) for s in lead if not ctx.asked]
        threshold = self.threshold_source()
        if threshold is not None:
            chosen.insert(0, (threshold, _threshold_paragraph(threshold.hit.text, ctx.question), None))
        lines = []
        for s, para, item in chosen[:3]:
            lines.append(self._quote(s, para, item))
        title = (
            "**法条原文**"
            if ctx.route == "statute" and any(st.kind == "found" for st in ctx.asked)
            else "**依据**"
        )
        return [title + "\n\n" + "".join(lines)] if lines else []

    def _quote(
        self, s: NumberedSource, para: int | None = None, item: int | None = None, limit: int = QUOTE_CHARS
    ) -> str:
        self.shown.add(s.n)
        para = para or answering_paragraph(s.hit.text, self.read)
        return f"- {s.hit.citation}{paragraph_label(s.hit.text, para, item, limit)}[{s.n}]：{excerpt(s.hit.text, para, item, limit)}\n\n"

    def _ip_blocks(self) -> list[str]:
        # An article listed under several steps is quoted under the one whose summary it shares most
        # with, and pointed at from the others.
        home: dict[int, tuple[int, int]] = {}
        for i, step in enumerate(self.ctx.ip_steps, 1):
            for n in step.sources[:3]:
                if n in self.by_n:
                    score = overlap(step.title + step.summary, self.by_n[n].hit.text)
                    if n not in home or score > home[n][1]:
                        home[n] = (i, score)
        blocks = []
        for i, step in enumerate(self.ctx.ip_steps, 1):
            lines = [f"**{i}. {step.title}**：{step.summary}\n\n"]
            refs = parse_citations(step.summary)
            # One quote per step (the four steps must fit the body); the step's other articles by name.
            quoted, named = 0, []
            for n in step.sources[:3]:
                s = self.by_n.get(n)
                if s is None:
                    continue
                if quoted or s.n in self.shown or home.get(s.n, (i, 0))[0] != i:
                    named.append(f"{s.hit.citation}[{s.n}]")
                    continue
                ref = _ref_for(refs, s)
                lines.append(self._quote(s, ref.paragraph if ref else None, ref.item if ref else None, 160))
                quoted += 1
            if named:
                lines.append("- 另见" + "；".join(named) + "\n\n")
            if not step.sources:
                # Nothing was placed here; an article found for another step may still answer it.
                laws = {
                    self.by_n[n].hit.law_id for st in self.ctx.ip_steps for n in st.sources if n in self.by_n
                }
                pool = [x for x in self.statutes if x.hit.law_id in laws]
                near = max(pool, key=lambda x: overlap(step.summary, x.hit.text), default=None)
                if near is not None and overlap(step.summary, near.hit.text) >= STEP_OVERLAP:
                    lines.append(f"- 另见{near.hit.citation}[{near.n}]\n\n")
                else:
                    lines.append("- 检索来源中没有找到针对这一步的条文。\n\n")
            blocks.append("".join(lines))
        return blocks

    # --- the rest ----------------------------------------------------------------------------------
    def rest(self) -> list[str]:
        ctx, out = self.ctx, []
        if ctx.sentencing_markdown:
            trace = ctx.sentencing_markdown.strip().removeprefix("### 量刑计算").strip()
            facts, sep, steps = trace.partition("\n\n")
            if sep and facts.startswith("**案情要点**"):  # which message each fact came from: short, kept
                out.append(facts + "\n\n")
                trace = steps.strip()
            out.append(f"**量刑计算**（按《关于常见犯罪的量刑指导意见（试行）》逐步计算）\n\n{trace}\n\n")
        interps = [s for s in self.interps if s.n not in self.shown and s.n != ctx.charge_source]
        if interps:
            out.append("**相关司法解释**\n\n" + "".join(self._interp_line(s) for s in interps[:3]))
        if self.cases:
            # A judgment of another tier (a lawyer's review: 60, 12 and 65 months beside an estimate above the
            # ten-year floor of 数额特别巨大) is no guide to this case: those in the tier come first, the others
            # are counted, not listed.
            tier = _tier(ctx.sentencing)
            same = [s for s in self.cases if tier is None or _in_tier(s.hit, tier)]
            outside = len(self.cases) - len(same)
            line = "；".join(f"[{s.n}] {case_outcome(s.hit)}" for s in same[:5]) or "无本档法定刑内的判决"
            if outside and tier is not None:
                line += f"（另有{outside}件类似判决的刑期不在本档法定刑{_tier_words(tier)}内，数额或情节与本案不同）"
            out.append(f"**类似判决**：{line}\n\n")
        others = [s for s in self.statutes if s.n not in self.shown]
        if others:
            out.append(
                "**其他相关条文**：" + "；".join(f"{s.hit.citation}[{s.n}]" for s in others[:6]) + "\n\n"
            )
        return out

    def _interp_line(self, s: NumberedSource) -> str:
        self.shown.add(s.n)
        return f"- {s.hit.citation}[{s.n}]：“{best_sentence(s.hit.text, self.ctx.question, 120)}”\n"

    def _n_of(self, hit: Any) -> int | None:
        key = (getattr(hit, "law_id", ""), getattr(hit, "number", 0), getattr(hit, "suffix", 0))
        return next(
            (
                s.n
                for s in self.ctx.sources
                if (s.hit.law_id, s.hit.number, s.hit.suffix) == key and not s.is_case
            ),
            None,
        )


# A threshold question names the measure (数额较大, 情节严重 …) and asks for its level.
THRESHOLD_WORDS = ("数额较大", "数额巨大", "数额特别巨大", "情节严重", "情节特别严重", "立案标准", "追诉标准")
_THRESHOLD_ASK = re.compile(r"标准|多少|起点|门槛|几[千万]|怎么算|如何认定|怎样认定|是指")
_AMOUNT = re.compile(r"[\d一二三四五六七八九十百千万]+(?:元|克|吨|千克|次|人|件|份|个)")


def _threshold_paragraph(text: str, question: str) -> int:
    """The 款 that sets the level: it names the measure asked about and gives an amount."""
    words = [w for w in THRESHOLD_WORDS if w in question]
    for i, para in enumerate(paragraphs(text), 1):
        joined = "".join(para)
        if all(w in joined for w in words) and _AMOUNT.search(joined):
            return i
    return answering_paragraph(text, question)


def _threshold_text(text: str, question: str) -> str:
    return "".join(paragraphs(text)[_threshold_paragraph(text, question) - 1])


def _ref_for(refs: list[Any], s: NumberedSource) -> Any:
    """The citation in a step's summary that names this source (with its 款 and 项), if any."""
    names = {normalize_law_name(s.hit.law_title), s.hit.law_id}
    for r in reversed(refs):  # the closing bracket names the article most precisely
        law = normalize_law_name(r.law or "")
        if r.number == s.hit.number and any(n and law.endswith(n) for n in names):
            return r
    return None


def _closed(sentence: str) -> str:
    """A sentence taken out of an article, ended as a sentence (…并处罚金； → …并处罚金。)."""
    sentence = sentence.rstrip("；;，,：:、 ")
    return sentence if sentence.endswith(("。", "！", "？", "”")) else sentence + "。"


def _names_article(text: str) -> bool:
    return bool(parse_citations(text))


def _term(sentencing: Any) -> str:
    """'有期徒刑8个月至1年' from the estimate (a dict or an object with the same names)."""
    get = sentencing.get if isinstance(sentencing, dict) else lambda k: getattr(sentencing, k, None)
    if sentencing is None:
        return ""
    low_high = get("range_months")
    kind = get("kind") or "有期徒刑"
    if not low_high or low_high[0] is None:
        return ""
    low, high = (float(x) for x in low_high)
    return f"{kind}约{_months(low)}至{_months(high)}" if high > low else f"{kind}约{_months(low)}"


def _months(m: float) -> str:
    years, months = divmod(round(m), 12)
    return (f"{years}年" if years else "") + (f"{months}个月" if months or not years else "")


def paragraph_label(text: str, para: int | None, item: int | None, limit: int) -> str:
    """The 款 a quote of the article covers: 第三款, 第一款至第三款, or nothing when it is the whole article (or the
    article has one paragraph); 第三款、第四款 for two. A quote labelled 第一款 that ran on into 第二款 and 第三款 mis-cited them."""
    count = len(paragraphs(text))
    if not para or count < 2:
        return ""
    last = quoted_paragraphs(text, para, item, limit)
    if last <= para:
        return f"第{int_to_cn(para)}款"
    if para == 1 and last == count:
        return ""
    joint = "、" if last == para + 1 else "至"
    return f"第{int_to_cn(para)}款{joint}第{int_to_cn(last)}款"
