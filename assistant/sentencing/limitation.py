"""追诉时效: whether a told crime can still be prosecuted (刑法第八十七条 to 第八十九条, criminal_law.toml
[limitation]).

「十年前我偷过一辆摩托车，值三千多块，一直没被发现，现在还会被追究吗？」 had been answered with 第八十七条's four
periods quoted whole. A lawyer answers from the statutory maximum of the range the facts fall in (盗窃, 数额较大:
三年以下有期徒刑 → 不满五年 → 五年, 第八十七条第（一）项), against the time the client says has passed, and names
what stops the period running (第八十八条) and when it starts (第八十九条). The periods are read from the article's
own text; nothing here knows a crime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from corpora.numerals import cn_to_int, read_number

from .law import GENERAL_PART
from .ranges import StatutoryTier
from .rules import read_rules_file

_ITEM = re.compile(r"(（[一二三四五六七八九十]+）)法定最高刑为([^，；。]+?)的，经过([^，；。]+?)年")
_FROM = re.compile(r"([零一二三四五六七八九十百]+)年以上")
_BELOW = re.compile(r"不满([零一二三四五六七八九十百]+)年")
# 十几年前 and 二十多年前 are read at their least (十年, 二十年): the period is measured against what is surely past
_YEARS_AGO = re.compile(r"([0-9]+|[一二两三四五六七八九十]+)(?:多|几)?年(?:多)?(?:以)?前")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")


@dataclass(frozen=True)
class Period:
    """One item of the limitation article: statutory maxima in [low, high) years (life: 无期徒刑、死刑), and
    the years after which no prosecution is brought."""

    item: str  # （一）
    ceiling: str  # the article's words: 不满五年有期徒刑
    low: float
    high: float
    life: bool
    years: int
    years_words: str = ""  # as the article writes them: 五


def periods(text: str) -> list[Period]:
    """The periods of a limitation article, from its own text; [] for any other article."""
    out = []
    for item, ceiling, years in _ITEM.findall(text):
        life = "无期" in ceiling or "死刑" in ceiling
        low = cn_to_int(m.group(1)) if (m := _FROM.search(ceiling)) else 0
        high = cn_to_int(m.group(1)) if (m := _BELOW.search(ceiling)) else float("inf")
        out.append(Period(item, ceiling, float(low), float(high), life, int(read_number(years)), years))
    return out


def period_for(found: list[Period], tier: StatutoryTier) -> Period | None:
    """The period for a range: 无期徒刑 or 死刑 in it → the life item; otherwise its maximum term in years
    (an open range, 十年以上有期徒刑, reaches the 15 years of 第四十五条: max_months 180)."""
    if tier.life or tier.death:
        return next((p for p in found if p.life), None)
    top = tier.max_months / 12
    return next((p for p in found if not p.life and p.low <= top < p.high), None)


def years_passed(text: str, today: date | None = None) -> int | None:
    """The years the client says have passed since the act: 十年前, 8年前, 2015年 (against today's year)."""
    if m := _YEARS_AGO.search(text):
        return int(read_number(m.group(1)))
    if m := _YEAR.search(text):
        year = int(m.group(1))
        now = (today or date.today()).year
        return now - year if 0 <= now - year <= 80 else None
    return None


# 「现在还会被抓吗」「还能追究我吗」: whether the act can still be prosecuted, asked of a time told to have passed
_STILL = re.compile(
    r"还(?:会|能|要|可能|可以|有可能)?(?:被)?(?:追究|追诉|抓|判|起诉|立案|坐牢|查|找(?:我|他|她)|算账)|"
    r"(?:会|能|要)(?:被)?(?:追究|追诉|抓|立案)"  # 「十年前…现在回老家会被抓吗」
)


def asks_still(ask: str, told: str) -> bool:
    """Whether an ask clause asks if a crime told to lie years back can still be prosecuted."""
    return bool(_STILL.search(ask)) and years_passed(told) is not None


@dataclass(frozen=True)
class LimitationRule:
    article: int
    exceptions_article: int
    start_article: int


@lru_cache(maxsize=2)
def limitation_rule(path: Path | None = None) -> LimitationRule:
    d = read_rules_file(path or GENERAL_PART)["limitation"]

    def number(key: str) -> int:
        return cn_to_int(re.sub(r"^第|条$", "", d[key]))

    return LimitationRule(number("article"), number("exceptions_article"), number("start_article"))


def _max_words(tier: StatutoryTier) -> str:
    if tier.death:
        return "死刑"
    if tier.life:
        return "无期徒刑"
    months = tier.max_months
    if months % 12 == 0:
        return f"有期徒刑{months // 12}年"
    return f"{'拘役' if months <= 6 else '有期徒刑'}{months}个月"


def conclusion(
    charge: str, article: str, tier: StatutoryTier | None, tiers: list[StatutoryTier], text: str,
    found: list[Period], n: int | None, told: str, after: str = "", today: date | None = None,
) -> str:  # fmt: skip
    """The answer's conclusion for a limitation question: the period for the range the facts fall in (or for
    each range, where the facts do not tell which), against the years the client says have passed. `article`:
    the charge's article as cited (刑法第二百六十四条); `text`: the limitation article's citation words
    (刑法第八十七条); `n`: its source number."""
    mark = f"[{n}]" if n else ""
    passed = years_passed(told, today)
    if tier is not None and (period := period_for(found, tier)) is not None:
        head = (
            f"**结论**：依照{text}第{period.item}项{mark}，法定最高刑为{period.ceiling}的，经过{period.years_words}年不再"
            f"追诉。按{charge}罪（{article}）事实所在的一档（{tier.penalty.split('，')[0]}），法定最高刑为"
            f"{_max_words(tier)}，追诉期限为{period.years}年。"
        )
        if passed is not None:
            head += (
                f"所说已过{passed}年，超过这一期限，一般不再追诉。"
                if passed >= period.years
                else f"所说只过了{passed}年，还在这一期限内，仍可以追诉。"
            )
        return head + after
    each = [
        f"{t.condition or '本罪'}的，法定最高刑为{_max_words(t)}，追诉期限{p.years}年"
        for t in tiers
        if (p := period_for(found, t)) is not None
    ]
    if not each:
        return ""
    said = f"所说已过{passed}年；" if passed is not None else ""
    return (
        f"**结论**：依照{text}{mark}，追诉期限取决于法定最高刑；按{charge}罪（{article}），要看事实落在哪一档："
        f"{'；'.join(each)}。"
        f"{said}请补充数额、后果等，才能确定适用哪一档。{after}"
    )


def exceptions_sentence(exceptions: str, start: str) -> str:
    """What stops the period or restarts it, with the two articles' citations (刑法第八十八条[4]): their
    rules in a sentence, the articles themselves quoted among the sources."""
    parts = []
    if exceptions:
        parts.append(
            f"立案侦查或者法院受理以后逃避侦查、审判的，或者被害人在期限内控告、应当立案而不立案的，不受这一期限限制（{exceptions}）"
        )
    if start:
        parts.append(f"期限从犯罪之日起算，期限内又犯罪的，前罪从犯后罪之日起重新计算（{start}）")
    return "；".join(parts) + "。" if parts else ""
