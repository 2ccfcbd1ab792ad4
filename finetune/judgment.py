"""The parts of a Chinese criminal judgment that training needs: facts, 本院认为 reasoning, the
statute-citation clause, the verdict, and the sentencing circumstances the reasoning relies on.

`corpora` gives the whole text (CaseRecord.full_text); this module only cuts it where the
judgment's own fixed phrases (本院认为, 依照…之规定, 判决如下, 如不服本判决) mark the parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpora.citations import STATUTE_CHAIN
from corpora.numerals import int_to_cn

# Where the facts begin: the prosecution's charge or the court's own findings.
_FACTS_START = re.compile(r"(?:公诉机关|检察院)?指控[:：]|经审理查明[:：，,]?")
_FACTS_FALLBACK = re.compile(r"指控")
# The citation clause that closes the reasoning: (据此，)依照《…》第…条…之规定，判决如下.
_CITATION = re.compile(
    r"(?:据此[，,]?\s*)?(?:依照|根据|依据|按照|照)[^《。，]{0,12}《[^。]*?(?=[，,：:。]?\s*判决如下)"
)
# Any statute reference inside the text: 《…》第…条(第…款)(第…项), from the one citation grammar.
STATUTE_REF = STATUTE_CHAIN
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


@dataclass(frozen=True)
class JudgmentParts:
    """Character spans of `text` (start, end); empty spans are (0, 0)."""

    text: str
    facts: tuple[int, int]
    reasoning: tuple[int, int]  # 本院认为 … up to the citation clause
    citation: tuple[int, int]  # 依照《…》…之规定
    verdict: tuple[int, int]  # 判决如下 … up to the appeal notice

    def part(self, name: str) -> str:
        start, end = getattr(self, name)
        return self.text[start:end].strip()

    @property
    def ok(self) -> bool:
        return all(e > s for s, e in (self.facts, self.reasoning, self.verdict))


def split_judgment(text: str) -> JudgmentParts:
    """Cut a full judgment into facts / reasoning / citation / verdict (missing parts are empty)."""
    reason_at = text.find("本院认为")
    verdict_at = text.find("判决如下", max(reason_at, 0))
    if reason_at < 0 or verdict_at < 0:
        return JudgmentParts(text, (0, 0), (0, 0), (0, 0), (0, 0))
    m = _FACTS_START.search(text, 0, reason_at) or _FACTS_FALLBACK.search(text, 0, reason_at)
    facts = (m.start(), reason_at) if m else (0, 0)
    # the last citation clause before 判决如下 is the operative one
    c = next(reversed(list(_CITATION.finditer(text, reason_at, verdict_at + 4))), None)
    citation = (c.start(), c.end()) if c else (verdict_at, verdict_at)
    end = text.find("如不服本判决", verdict_at)
    if end < 0:
        end = min(len(text), verdict_at + 1500)
    return JudgmentParts(text, facts, (reason_at, citation[0]), citation, (verdict_at, end))


# --- sentencing circumstances ----------------------------------------------------------------

CONFESSION = re.compile(
    r"如实供述|坦白|自首|认罪认罚|自愿认罪|当庭认罪|认罪态度(?:较)?好|供认不讳|主动投案|投案"
)


@dataclass(frozen=True)
class Circumstance:
    name: str
    article: str  # the general-part article that grants it
    effect: str
    confession: bool = False  # a discount that rests on the defendant's own confession


_CIRCUMSTANCES: list[tuple[re.Pattern[str], Circumstance]] = [
    (
        re.compile(r"自首|主动投案|投案"),
        Circumstance("自首", "第六十七条第一款", "可以从轻或者减轻处罚", True),
    ),
    (re.compile(r"如实供述|坦白|供认不讳"), Circumstance("坦白", "第六十七条第三款", "可以从轻处罚", True)),
    (
        re.compile(r"认罪认罚|自愿认罪|当庭认罪"),
        Circumstance("认罪认罚", "刑事诉讼法第十五条", "可以依法从宽处理", True),
    ),
    (re.compile(r"累犯"), Circumstance("累犯", "第六十五条", "应当从重处罚")),
    (re.compile(r"未遂"), Circumstance("犯罪未遂", "第二十三条", "可以比照既遂犯从轻或者减轻处罚")),
    (
        re.compile(r"从犯|次要作用|辅助作用"),
        Circumstance("从犯", "第二十七条", "应当从轻、减轻处罚或者免除处罚"),
    ),
    (
        re.compile(r"退赔|退赃|退缴|赔偿.{0,12}(?:损失|经济)"),
        Circumstance("退赃退赔", "量刑指导意见", "可以酌情从轻处罚"),
    ),
    (re.compile(r"谅解"), Circumstance("取得谅解", "量刑指导意见", "可以酌情从轻处罚")),
    (re.compile(r"立功"), Circumstance("立功", "第六十八条", "可以从轻或者减轻处罚")),
]


def find_circumstances(text: str) -> list[Circumstance]:
    """Circumstances the text mentions, in a fixed order, each once. 拒不/未如实 negate confession."""
    out: list[Circumstance] = []
    # A defence argument the court rejected grants nothing.
    text = "".join(
        s for s in sentences(text) if not re.search(r"不予(?:采纳|支持|认定)|不能成立|不予采信", s)
    )
    for pattern, circ in _CIRCUMSTANCES:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 4) : m.start()]
            if circ.confession and re.search(r"拒不|未能?|不能|没有|否认|翻供", before):
                continue
            out.append(circ)
            break
    return out


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
    """12.0 → '有期徒刑一年'; 7 → '有期徒刑七个月'; 30 → '有期徒刑二年六个月'."""
    if death:
        return "死刑"
    if life:
        return "无期徒刑"
    if months is None:
        return ""
    m = max(1, round(months))
    years, rest = divmod(m, 12)
    text = (f"{int_to_cn(years)}年" if years else "") + (f"{int_to_cn(rest)}个月" if rest else "")
    return f"有期徒刑{text}"


def article_list(numbers: list[int] | tuple[int, ...]) -> str:
    """(264, 67) → '第二百六十四条、第六十七条'."""
    return "、".join(f"第{int_to_cn(n)}条" for n in numbers)
