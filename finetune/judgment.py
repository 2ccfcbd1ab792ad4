"""The parts of a Chinese criminal judgment that training needs: facts, 本院认为 reasoning, the
statute-citation clause, the verdict, and the sentencing circumstances the reasoning relies on.

`corpora` gives the whole text (CaseRecord.full_text); this module only cuts it where the
judgment's own fixed phrases (本院认为, 依照…之规定, 判决如下, 如不服本判决) mark the parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpora.judgments import STATUTE_REF, JudgmentParts, split_judgment
from corpora.numerals import int_to_cn

__all__ = ["STATUTE_REF", "JudgmentParts", "split_judgment"]  # re-exported: training code imports them here

# --- sentencing circumstances ----------------------------------------------------------------

_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")
CONFESSION = re.compile(
    r"如实供述|坦白|自首|认罪认罚|自愿认罪|当庭认罪|认罪态度(?:较)?好|供认不讳|主动投案|投案"
)


@dataclass(frozen=True)
class Circumstance:
    name: str
    article: str  # the general-part article that grants it
    effect: str
    confession: bool = False  # a discount that rests on the defendant's own confession


# The engine's names (assistant.sentencing.circumstances) → how a judgment cites them: the article that
# grants the circumstance and its effect, in the statute's words. One detector labels the engine's
# estimates and the training data alike.
_LEGAL: dict[str, Circumstance] = {
    "自首": Circumstance("自首", "第六十七条第一款", "可以从轻或者减轻处罚", True),
    "坦白": Circumstance("坦白", "第六十七条第三款", "可以从轻处罚", True),
    "认罪认罚": Circumstance("认罪认罚", "《中华人民共和国刑事诉讼法》第十五条", "可以依法从宽处理", True),
    "当庭自愿认罪": Circumstance(
        "当庭自愿认罪", "《关于常见犯罪的量刑指导意见》三（八）", "可以酌情从轻处罚", True
    ),
    "累犯": Circumstance("累犯", "第六十五条", "应当从重处罚"),
    "前科": Circumstance("前科", "《关于常见犯罪的量刑指导意见》三（十六）", "可以酌情从重处罚"),
    "未遂": Circumstance("犯罪未遂", "第二十三条", "可以比照既遂犯从轻或者减轻处罚"),
    "中止": Circumstance("犯罪中止", "第二十四条", "应当免除处罚或者减轻处罚"),
    "预备": Circumstance("犯罪预备", "第二十二条", "可以比照既遂犯从轻、减轻处罚或者免除处罚"),
    "从犯": Circumstance("从犯", "第二十七条", "应当从轻、减轻处罚或者免除处罚"),
    "胁从犯": Circumstance("胁从犯", "第二十八条", "应当按照他的犯罪情节减轻处罚或者免除处罚"),
    "未成年": Circumstance("未成年人犯罪", "第十七条第四款", "应当从轻或者减轻处罚"),
    "未成年_已满十二不满十六": Circumstance("未成年人犯罪", "第十七条第四款", "应当从轻或者减轻处罚"),
    "已满七十五周岁": Circumstance("已满七十五周岁的人犯罪", "第十七条之一", "可以从轻或者减轻处罚"),
    "立功": Circumstance("立功", "第六十八条", "可以从轻或者减轻处罚"),
    "重大立功": Circumstance("重大立功", "第六十八条", "可以减轻或者免除处罚"),
    "退赃退赔": Circumstance("退赃退赔", "《关于常见犯罪的量刑指导意见》三（十）", "可以酌情从轻处罚"),
    "赔偿并取得谅解": Circumstance(
        "赔偿并取得谅解", "《关于常见犯罪的量刑指导意见》三（十一）", "可以酌情从轻处罚"
    ),
    "赔偿未取得谅解": Circumstance(
        "赔偿经济损失", "《关于常见犯罪的量刑指导意见》三（十一）", "可以酌情从轻处罚"
    ),
    "取得谅解": Circumstance("取得谅解", "《关于常见犯罪的量刑指导意见》三（十一）", "可以酌情从轻处罚"),
    "刑事和解": Circumstance("刑事和解", "《关于常见犯罪的量刑指导意见》三（十二）", "可以从宽处罚"),
}


def find_circumstances(text: str, *, court_reasoning: bool = False) -> list[Circumstance]:
    """The circumstances the engine's detector finds in `text`, each with the article a judgment cites
    for it. `court_reasoning`: the text is a court's 本院认为, whose claims it rules on itself."""
    from assistant.sentencing.circumstances import find_circumstances as detect

    found = [_LEGAL[c.name] for c in detect(text, court_reasoning=court_reasoning) if c.name in _LEGAL]
    return list(dict.fromkeys(found))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def drop_confession_sentences(text: str) -> str:
    """The text without the sentences that rest on the defendant's confession (自首, 坦白, 认罪 …).

    Whole sentences go: a clause cut out of one ("…如实供述，且退赃，可以从轻处罚") leaves a discount
    whose ground is gone, which is the very lesson the adversarial samples must not teach.
    """
    return tidy("".join(s for s in sentences(text) if not CONFESSION.search(s)))


def tidy(text: str) -> str:
    """Collapse the doubled stops that cutting leaves behind ('。 。' → '。')."""
    return re.sub(r"([。；])(?:\s*[。；，,])+", r"\1", text)


def join_clauses(head: str, tail: str) -> str:
    """'…不受侵犯。' + '依照…' without a stray comma; '…程度，' + '依照…' with one."""
    head = head.rstrip("，, ")
    return head + ("" if not head or head.endswith(("。", "；", "：")) else "，") + tail.lstrip("，, ")


def split_tail(text: str) -> tuple[str, str]:
    """(complete sentences, the dangling clause after the last 。) of a reasoning part."""
    text = text.rstrip("，, ")
    cut = max(text.rfind("。"), text.rfind("；"))
    return text[: cut + 1], text[cut + 1 :]


def format_term(months: float | None, life: bool = False, death: bool = False) -> str:
    """12.0 → '有期徒刑一年'; 7 → '有期徒刑七个月'; 30 → '有期徒刑二年六个月'; 4 → '拘役四个月' (有期徒刑
    starts at six months, 刑法第四十五条; below it the term is 拘役, 第四十二条); 0 → '' (no term)."""
    if death:
        return "死刑"
    if life:
        return "无期徒刑"
    if months is None or months <= 0:
        return ""
    m = max(1, round(months))
    years, rest = divmod(m, 12)
    text = (f"{int_to_cn(years)}年" if years else "") + (f"{int_to_cn(rest)}个月" if rest else "")
    return f"{'拘役' if m < 6 else '有期徒刑'}{text}"


def article_list(numbers: list[int] | tuple[int, ...]) -> str:
    """(264, 67) → '第二百六十四条、第六十七条'."""
    return "、".join(f"第{int_to_cn(n)}条" for n in numbers)
