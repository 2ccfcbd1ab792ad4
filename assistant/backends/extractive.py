"""No model at all: the answer is composed from the retrieved sources and the computed sentencing.

Articles are quoted verbatim and cited [n]; similar cases are given with their outcomes; the
sentencing computation is shown step by step. Nothing here is invented, so it is the default
when no model is configured or the configured one cannot be loaded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from assistant.backends.base import GenerationContext, Message, NumberedSource

NO_MODEL = "未加载生成模型：检索式回答"
QUOTE_CHARS = 320  # longer articles are quoted up to here, then marked ……


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
        parts.append(f"有期徒刑{months:g}个月" if months > 0 else "未判处有期徒刑")
    return "；".join(parts) or "判决结果未知"


class ExtractiveBackend:
    def __init__(self, description: str = NO_MODEL) -> None:
        self.description = description

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        if context is None:
            yield f"{self.description}。没有检索到可以引用的来源。"
            return
        yield from compose(context, self.description)


def compose(ctx: GenerationContext, header: str = NO_MODEL) -> list[str]:
    """The answer as blocks (one streamed event each), by route."""
    blocks = [f"*{header}*\n\n"]
    blocks += [f"> {note}\n\n" for note in ctx.notes]
    statutes = [s for s in ctx.sources if getattr(s.hit, "collection", "") == "statutes"]
    interps = [s for s in ctx.sources if getattr(s.hit, "collection", "") == "interpretations"]
    cases = [s for s in ctx.sources if s.is_case]
    if not ctx.sources:
        blocks.append("没有检索到与问题相关的法条或案例，无法给出有依据的回答。请补充案情或换一种问法。\n")
        return blocks
    if ctx.route == "ip" and ctx.ip_steps:
        blocks += _ip_blocks(ctx, {s.n: s for s in ctx.sources})
        shown = {n for step in ctx.ip_steps for n in step.sources}
    else:
        # A lookup or a sentencing question has one article at its centre: quote it whole.
        quoted = statutes[:1] if ctx.route in ("statute", "sentencing") else statutes[:3]
        lead = {"statute": "**法条原文**", "sentencing": "**适用法条**"}.get(ctx.route, "**相关法条**")
        blocks.append(lead + "\n\n" + "".join(_article_line(s) for s in quoted))
        shown = {s.n for s in quoted}
    if ctx.route == "sentencing" and ctx.charge:
        basis = f"（罪名依据[{ctx.charge_source}]）" if ctx.charge_source else ""
        article = f"，适用{statutes[0].hit.citation}[{statutes[0].n}]" if statutes else ""
        blocks.append(
            f"**可能构成的罪名**：{ctx.charge}{basis}{article}。是否构成犯罪取决于全部案情，以法院认定为准。\n\n"
        )
    if ctx.sentencing_markdown:
        trace = ctx.sentencing_markdown.strip().removeprefix("### 量刑计算").strip()
        blocks.append(f"**量刑计算**（按《关于常见犯罪的量刑指导意见（试行）》逐步计算）\n\n{trace}\n\n")
    if interps and ctx.route != "ip":
        blocks.append("**相关司法解释**\n\n" + "".join(_article_line(s, 200) for s in interps[:3]))
    elif interps:
        blocks.append(
            "**相关司法解释**：" + "；".join(f"{s.hit.citation}[{s.n}]" for s in interps[:3]) + "\n\n"
        )
    if cases:
        blocks.append("**类似判决**\n\n" + "".join(_case_line(s) for s in cases[:5]) + "\n")
    rest = [s for s in statutes if s.n not in shown]
    if rest:
        blocks.append("**其他相关条文**：" + "；".join(f"{s.hit.citation}[{s.n}]" for s in rest[:6]) + "\n\n")
    return blocks


def _article_line(s: NumberedSource, limit: int = QUOTE_CHARS) -> str:
    return f"- {s.hit.citation}[{s.n}]：{quote(s.hit.text, limit)}\n\n"


def _case_line(s: NumberedSource) -> str:
    return f"- [{s.n}] {case_outcome(s.hit)}。案情：{quote(s.hit.text, 90)}\n"


def _ip_blocks(ctx: GenerationContext, by_n: dict[int, NumberedSource]) -> list[str]:
    blocks = [f"**涉及的权利**：{ctx.ip_right}\n\n"] if ctx.ip_right else []
    for i, step in enumerate(ctx.ip_steps, 1):
        lines = [f"**{i}. {step.title}**：{step.summary}\n\n"]
        for n in step.sources:
            if n in by_n:
                lines.append(_article_line(by_n[n], 240))
        if not step.sources:
            lines.append("- 检索来源中没有找到针对这一步的条文。\n\n")
        blocks.append("".join(lines))
    return blocks
