"""The paragraph's ranges with the figure at which each begins, for a charge told without its figure.

An amount-based crime told without its amount (「她把仓库里的货偷偷拉出去卖了」) has no range yet: the
amount decides whether it is a crime at all and which range applies. The answer then gives the ranges,
each with the interpretation's figure, and no term (issue 10, Bad input), never a term as if the
amount were known."""

from __future__ import annotations

import re

from .ranges import StatutoryTier
from .rules import CrimeRule, GuidelineRules
from .trace import ChargeEstimate

# the range needs the figure only where the article's own words make it the crime's condition:
# 数额较大 (盗窃, 职务侵占, 贪污), 数量较大 (非法持有毒品); 抢劫's 数额巨大 only raises the range
_ENTRY = re.compile(r"数额较大|数量较大")
_UNITS = {"amount_yuan": "元", "grams": "克", "bac": "mg/100ml", "count": "次"}


def figure_enters(crime: CrimeRule | None, tiers: list[StatutoryTier]) -> bool:
    """Whether the guideline crime's first range needs its figure (the article says 数额较大 … for it). Only
    the lowest range counts: 刑法第三百四十七条 says 数量较大 for its 七年以上 range, while its lowest (第四款,
    少量毒品) and its first paragraph (无论数量多少，都应当追究刑事责任) need no figure at all."""
    if crime is None or "较大" not in crime.thresholds or not tiers:
        return False
    lowest = min(tiers, key=lambda t: (t.max_months, t.min_months))
    return bool(_ENTRY.search(lowest.condition))


def figure_ladder(
    out: ChargeEstimate, rules: GuidelineRules, crime: CrimeRule | None, fact: str
) -> list[str]:
    """Each range of the paragraph with the figure from which it applies: 「数额较大（6万元以上）的，处
    三年以下有期徒刑或者拘役，并处罚金」, then what the figures' basis is."""
    if crime is not None:
        figures = [
            _shown(v, _UNITS.get(crime.threshold_measure, "元")) for v in sorted(crime.thresholds.values())
        ]
        basis = crime.threshold_basis
    elif (amounts := rules.find_amount_tiers(out.charge, out.article, fact)) is not None:
        units = {
            "loss": "元",
            "amount": "元",
            "tax": "元",
            "files": "个",
            "items": "条",
            "plants": "株",
            "tons": "吨",
        }
        unit = units.get(amounts.measure, "倍")
        figures = [_shown(v, unit) for v in amounts.amounts]
        basis = amounts.basis
    else:
        return []
    ranged = [t for t in out.tiers if t.penalty][: len(figures)]
    lines = [
        f"{_condition(t.condition, figures[i])}的，处{t.penalty.rstrip('。')}" for i, t in enumerate(ranged)
    ]
    if lines:
        lines.append(f"不到{figures[0]}、又没有其他法定情形的，一般不构成犯罪（数额标准依据{basis}）")
    return lines


def _condition(condition: str, figure: str) -> str:
    """「…将本单位财物非法占为己有，数额较大」 → 「数额较大（6万元以上）」: the figure beside the words it measures."""
    m = _FIGURE_WORDS.search(condition)
    if m is None:
        return f"{condition.rstrip('的')}（{figure}以上）"
    return f"{m.group(0)}（{figure}以上）{condition[m.end() :].rstrip('的')}"


_FIGURE_WORDS = re.compile(r"数额特别巨大|数额巨大|数额较大|数量大|数量较大|情节特别严重|情节严重")


def _shown(value: float, unit: str) -> str:
    if unit == "元" and value >= 10000:
        return f"{value / 10000:g}万元"
    return f"{value:g}{unit}"
