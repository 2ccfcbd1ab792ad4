"""The answer a RAG sample teaches, written only from the sources its prompt shows.

Shape (the agent's): the conclusion first, in one to three sentences; then the gold articles quoted
at the paragraph that answers, each cited [n] to the source that holds it; then the rest (the
engine's sentencing trace, the reference answer's remaining sentences); then the disclaimer.
Sentences of a reference answer that cite an article the sources do not hold are dropped, so a
target never cites what it was not given. Without the gold, the target names what is missing
(the law and the part of it, from the gold's headings) and draws no conclusion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.agent.disclaimer import with_disclaimer
from assistant.backends.base import GenerationContext, NumberedSource
from corpora.citations import parse_citations
from corpora.numerals import heading_name, int_to_cn
from finetune.rag_questions import GoldRef, RagQuestion, refs_of

MAX_QUOTE = 300
MAX_REST = 500
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_ITEM = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class RagTarget:
    text: str
    gold_present: bool
    problem: str = ""  # why no target could be written (the sample is dropped and counted)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def answering_paragraph(text: str, about: str) -> tuple[int, str]:
    """(款 number, excerpt): the paragraph sharing most with `about`; an item comes with its lead-in."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        return 0, ""
    want = _bigrams(about)
    best = max(range(len(lines)), key=lambda i: (len(_bigrams(lines[i]) & want), -i))
    lead = best
    while lead > 0 and _ITEM.match(lines[lead]):
        lead -= 1
    paragraph = sum(1 for ln in lines[: lead + 1] if not _ITEM.match(ln))
    excerpt = lines[lead] if lead == best else f"{lines[lead]}……{lines[best]}"
    many = sum(1 for ln in lines if not _ITEM.match(ln)) > 1
    if len(excerpt) > MAX_QUOTE:
        excerpt = excerpt[:MAX_QUOTE] + "……"
    return (paragraph if many else 0), excerpt


def _quote(source: NumberedSource, about: str) -> str:
    hit = source.hit
    paragraph, excerpt = answering_paragraph(str(hit.text), about)
    where = f"第{int_to_cn(paragraph)}款" if paragraph else ""
    return f"- {hit.citation}{where}规定：“{excerpt}”[{source.n}]"


def _gold_sources(q: RagQuestion, sources: Sequence[NumberedSource]) -> list[NumberedSource]:
    return [s for s in sources if not s.is_case and any(g.matches(s.hit) for g in q.gold)]


def _source_of(ref: GoldRef, sources: Sequence[NumberedSource]) -> NumberedSource | None:
    return next((s for s in sources if not s.is_case and ref.matches(s.hit)), None)


def cited_sentences(text: str, sources: Sequence[NumberedSource]) -> list[str]:
    """The reference's sentences with [n] after each citation the sources hold; a sentence citing
    an article they do not hold (or an article without its law) is dropped."""
    out = []
    for sentence in (m.group(0).strip() for m in _SENTENCE.finditer(text)):
        if not sentence:
            continue
        refs = refs_of(sentence)
        if len(refs) < len(parse_citations(sentence)):
            continue  # 第X条 without a law: cannot be checked against the sources
        found = [_source_of(r, sources) for r in refs]
        if any(s is None for s in found):
            continue
        marks = "".join(f"[{n}]" for n in dict.fromkeys(s.n for s in found if s is not None))
        end = sentence[-1] if sentence[-1] in "。！？" else "。"
        out.append(sentence.rstrip("。！？") + marks + end)
    return out


def _summary_line(markdown: str) -> str:
    line = next((ln for ln in reversed(markdown.splitlines()) if ln.startswith("**结论**")), "")
    return line.replace("**", "").removeprefix("结论：")


def _topics(gold_hits: Sequence[Any]) -> str:
    """'《民法典》（婚姻家庭编·离婚）': the laws and headings the missing articles sit under."""
    parts = []
    for h in gold_hits:
        path = [heading_name(p) for p in (h.metadata or {}).get("path") or []]
        where = "·".join(p for p in path[-2:] if p)
        label = f"《{h.law_title}》" + (f"中关于“{where}”" if where else "")
        if label not in parts:
            parts.append(label)
    return "、".join(parts) or "相关法律"


def _missing(q: RagQuestion, gold_hits: Sequence[Any]) -> str:
    lines = [f"检索到的来源中没有回答这个问题所需的条文：缺少{_topics(gold_hits)}的规定。"]
    if q.origin == "cail":
        lines.append("没有规定这一行为的刑法条文，我无法确定罪名，也不估算刑期。")
    else:
        lines.append("没有这些条文，我不能给出有依据的结论，也不引用来源中没有的条文。")
    lines.append("请补充检索上述规定后再作判断，或咨询执业律师。")
    return "".join(lines)


def _conclusion(q: RagQuestion, ctx: GenerationContext, gold: list[NumberedSource]) -> tuple[list[str], str]:
    """(conclusion sentences, problem)."""
    if q.origin == "cail":
        charge = ctx.charge.removesuffix("罪")
        if not charge or (q.charges and charge not in q.charges):
            return [], "the agent chose another charge than the judgment's"
        main = gold[0].hit
        out = [f"根据所述事实，行为人可能构成{ctx.charge}，适用{main.citation}[{gold[0].n}]。"]
        if summary := _summary_line(ctx.sentencing_markdown):
            out.append(f"按量刑指导意见计算：{summary}")
        return out, ""
    if q.origin == "jec_qa":
        basis = "、".join(f"{s.hit.citation}[{s.n}]" for s in gold)
        return [f"正确答案是：{q.reference}。", f"依据是{basis}。"], ""
    if q.origin == "article":
        return ["、".join(f"{s.hit.citation}[{s.n}]" for s in gold) + "对此作了规定。"], ""
    sentences = cited_sentences(q.reference, ctx.sources)
    if not sentences:
        return [], "no sentence of the reference answer can be grounded in the sources"
    return sentences, ""


def rag_target(q: RagQuestion, ctx: GenerationContext, gold_hits: Sequence[Any]) -> RagTarget:
    gold = _gold_sources(q, ctx.sources)
    if not gold:
        return RagTarget(with_disclaimer(_missing(q, gold_hits)), gold_present=False)
    sentences, problem = _conclusion(q, ctx, gold)
    if problem:
        return RagTarget("", gold_present=True, problem=problem)
    head, rest = sentences[:2], sentences[2:]
    about = q.question + q.reference
    parts = ["".join(head), "依据：\n" + "\n".join(_quote(s, about) for s in gold)]
    if q.origin == "cail" and ctx.sentencing_markdown:
        parts.append(ctx.sentencing_markdown.strip())
    if rest:
        tail = "".join(rest)
        parts.append(tail if len(tail) <= MAX_REST else tail[:MAX_REST].rsplit("。", 1)[0] + "。")
    return RagTarget(with_disclaimer("\n\n".join(parts)), gold_present=True)
