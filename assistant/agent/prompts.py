"""The prompts written for each route, and the numbered sources block the model cites from."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.backends.base import GenerationContext, Message, NumberedSource
from assistant.backends.excerpts import answering_paragraph, paragraphs
from assistant.backends.extractive import case_outcome
from corpora.numerals import int_to_cn

_CHECK_SECTION = "**引用核验**"
_COMMON = (
    "你是严谨的中国法律助手。只能依据下面编号的检索来源回答，引用法条时写出法律名称和条号，"
    "并在句末用[n]标注来源编号；来源中没有的法条、案例和数字一律不要编造，已废止的法律（如《合同法》"
    "《物权法》《担保法》《民法通则》《婚姻法》，依民法典第一千二百六十条自2021年1月1日起废止）不得作为现行依据。"
    "信息不足时直接说明还缺什么。用简体中文回答。"
    "回答的结构：先用一到三句话直接回答所问的问题（结论）；再引用关键条文，引到回答问题的那一款或那一项"
    "（例如“商标法第六十三条第三款”），不要整条照抄；其余内容简要列出。正文不超过约1200字，其余信息读者可在来源中查看。"
    "问题所问的条文不存在或已废止的，第一句就如实说明，不得用其他条文冒充所问条文。"
)

SYSTEM_PROMPTS: dict[str, str] = {
    "sentencing": _COMMON
    + "这是一个刑事量刑问题。请依次说明：1. 可能构成的罪名及适用法条；2. 案情中的量刑情节（自首、坦白、"
    "退赃等）及其依据；3. 按给出的量刑计算说明量刑起点、基准刑、调节比例和宣告刑区间，不要自行改动计算结果；"
    "4. 类似判决的刑期作为参照。",
    "ip": _COMMON
    + "这是一个知识产权问题。先直接回答所问的问题，再按步骤分析：1. 涉及的权利及保护客体；2. 被诉行为是否落入权利范围；"
    "3. 可能的抗辩与例外（合理使用、法定许可、权利用尽、先用权、现有技术抗辩、合法来源、商标正当使用等）；"
    "4. 法律责任与赔偿（包括法定赔偿和惩罚性赔偿）。每一步写明所依据的具体条、款、项并引用对应来源；"
    "某一步在来源中确实没有依据时才说没有找到。",
    "statute": _COMMON
    + "这是一个法条查询问题。先用一句话说明所问条文规定了什么，再引用其原文（问到某一款的，引那一款）并标注来源，"
    "最后用通俗的话解释其适用要点。",
    "general": _COMMON + "这是一个一般法律咨询。先给出结论，再说明依据的法条和需要注意的事项。",
}


def source_block(sources: Sequence[NumberedSource], text_chars: int = 600, question: str = "") -> str:
    """[n] lines, one per source: statutes and interpretations with their text, cases with their outcome.

    A text longer than `text_chars` is given from the paragraph that answers the question, so that
    the cut never falls before it (商标法第六十三条's 第三款 sets the statutory damages)."""
    lines = []
    for s in sources:
        text = _from_answering_paragraph(str(s.hit.text), question, text_chars)
        if s.is_case:
            lines.append(f"[{s.n}] 类似判决（{case_outcome(s.hit)}）：{text}")
        else:
            state = "" if getattr(s.hit, "current", True) else "（非现行版本）"
            lines.append(f"[{s.n}] {s.hit.citation}{state}：{text}")
    return "\n".join(lines)


def _from_answering_paragraph(text: str, question: str, text_chars: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= text_chars or not question:
        return flat[:text_chars]
    para = answering_paragraph(text, question)
    if para <= 1:
        return flat[:text_chars]
    rest = "".join(ln for p in paragraphs(text)[para - 1 :] for ln in p)
    return f"……（第{int_to_cn(para)}款起）{rest}"[:text_chars]


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
    parts = ["检索来源：", source_block(ctx.sources, question=ctx.question) or "（没有检索到来源）"]
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
    problems = [st.message for st in ctx.asked if st.kind != "found"]
    if problems:
        parts += ["", "引用核验（问题中引用的条文，请在回答第一句如实告诉用户）：", *problems]
    if ctx.notes:
        parts += ["", "注意：", *ctx.notes]
    parts += ["", f"问题：{ctx.question}"]
    messages.append({"role": "user", "content": "\n".join(parts)})
    return messages
