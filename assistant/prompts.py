"""The prompts written for each route, and the numbered sources block the model cites from."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.backends.base import GenerationContext, Message, NumberedSource
from assistant.backends.extractive import case_outcome

_CHECK_SECTION = "**引用核验**"
_COMMON = (
    "你是严谨的中国法律助手。只能依据下面编号的检索来源回答，引用法条时写出法律名称和条号，"
    "并在句末用[n]标注来源编号；来源中没有的法条、案例和数字一律不要编造，已废止的法律（如《合同法》"
    "《物权法》《担保法》《民法通则》《婚姻法》，2021年1月1日起由《中华人民共和国民法典》取代）不得作为现行依据。"
    "信息不足时直接说明还缺什么。用简体中文回答。"
)

SYSTEM_PROMPTS: dict[str, str] = {
    "sentencing": _COMMON
    + "这是一个刑事量刑问题。请依次说明：1. 可能构成的罪名及适用法条；2. 案情中的量刑情节（自首、坦白、"
    "退赃等）及其依据；3. 按给出的量刑计算说明量刑起点、基准刑、调节比例和宣告刑区间，不要自行改动计算结果；"
    "4. 类似判决的刑期作为参照。",
    "ip": _COMMON
    + "这是一个知识产权问题。请按步骤分析：1. 涉及的权利及保护客体；2. 被诉行为是否落入权利范围；"
    "3. 可能的抗辩与例外（合理使用、法定许可、权利用尽、先用权、现有技术抗辩、合法来源、商标正当使用等）；"
    "4. 法律责任与赔偿（包括法定赔偿和惩罚性赔偿）。每一步都引用对应来源。",
    "statute": _COMMON
    + "这是一个法条查询问题。先完整引用所问条文的原文并标注来源，再用通俗的话解释其含义和适用要点。",
    "general": _COMMON + "这是一个一般法律咨询。先给出结论，再说明依据的法条和需要注意的事项。",
}


def source_block(sources: Sequence[NumberedSource], text_chars: int = 600) -> str:
    """[n] lines, one per source: statutes and interpretations with their text, cases with their outcome."""
    lines = []
    for s in sources:
        text = " ".join(str(s.hit.text).split())[:text_chars]
        if s.is_case:
            lines.append(f"[{s.n}] 类似判决（{case_outcome(s.hit)}）：{text}")
        else:
            state = "" if getattr(s.hit, "current", True) else "（非现行版本）"
            lines.append(f"[{s.n}] {s.hit.citation}{state}：{text}")
    return "\n".join(lines)


def build_messages(
    ctx: GenerationContext, history: Sequence[Message], max_history_turns: int = 3
) -> list[Message]:
    """System prompt for the route, the last turns of the conversation, then sources and question."""
    messages: list[Message] = [
        {"role": "system", "content": SYSTEM_PROMPTS.get(ctx.route, SYSTEM_PROMPTS["general"])}
    ]
    recent = list(history)[-2 * max_history_turns :]
    # Earlier answers without their check section and disclaimer: the model needs what was said.
    messages += [
        {"role": m["role"], "content": m["content"].split(_CHECK_SECTION)[0].strip()[:2000]} for m in recent
    ]
    parts = ["检索来源：", source_block(ctx.sources) or "（没有检索到来源）"]
    if ctx.charge:
        parts += [
            "",
            f"检索到的罪名：{ctx.charge}" + (f"（来源[{ctx.charge_source}]）" if ctx.charge_source else ""),
        ]
    if ctx.sentencing_markdown:
        parts += ["", "系统按量刑指导意见计算的结果（请照此说明，不要改动数字）：", ctx.sentencing_markdown]
    if ctx.ip_steps:
        plan = [
            f"{i}. {st.title}：{st.summary} 来源 " + "".join(f"[{n}]" for n in st.sources)
            for i, st in enumerate(ctx.ip_steps, 1)
        ]
        parts += ["", f"涉及的权利：{ctx.ip_right}", "分析步骤：", *plan]
    if ctx.notes:
        parts += ["", "注意：", *ctx.notes]
    parts += ["", f"问题：{ctx.question}"]
    messages.append({"role": "user", "content": "\n".join(parts)})
    return messages
