"""Punishment kinds and fines as the law writes them: the kind a term in months is (拘役 up to six
months, 有期徒刑 from six, 刑法第四十二条、第四十五条), how a term reads in Chinese, and the fine a
paragraph imposes, read from its own words (并处 / 可以并处 / 并处或者单处 / …或者罚金)."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from corpora.numerals import cn_to_int, int_to_cn

from .law import FineRule, GeneralPart, Kind


@dataclass(frozen=True)
class Fine:
    """The fine (罚金) or confiscation (没收财产) a sentence carries, with its basis.

    `mode`: "并处" (mandatory), "可以并处" (optional), "并处或者单处" (with a term or alone), "或者"
    (a principal penalty of its own: alone, never beside a term), "单处"
    (a fine as the only principal penalty), "" (the paragraph provides none)."""

    mode: str
    confiscation: str = ""  # "" | "并处" | "或者" (罚金或者没收财产) | "可以并处"
    basis: str = ""  # the article and its words
    low_yuan: float | None = None
    high_yuan: float | None = None
    amount_basis: str = ""  # the interpretation that sets the amount
    # the measure of the fine the article states in words (违法所得一倍以上五倍以下, 刑法第二百二十五条)
    stated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    def describe(self) -> str:
        """'并处罚金（1,000元以上、9,600元以下，法释〔2013〕8号第十四条）'; '' when there is none."""
        if not self.mode:
            return "本条未规定罚金" if not self.confiscation else _CONFISCATION_ALONE[self.confiscation]
        head = {
            "并处": "并处罚金",
            "可以并处": "可以并处罚金",
            "并处或者单处": "并处或者单处罚金",
            "单处": "单处罚金",
            "或者": "可以只判处罚金（罚金是附加刑，可以独立适用，刑法第三十四条第二款），判处监禁刑的不并处罚金",
        }[self.mode]
        if self.confiscation == "或者":
            head += "或者没收财产"
        elif self.confiscation == "并处":
            head += "，并处没收财产"
        elif self.confiscation == "可以并处":
            head += "，可以并处没收财产"
        amount = _yuan_range(self.low_yuan, self.high_yuan)
        if amount and self.amount_basis:
            return f"{head}（{amount}，{self.amount_basis}）"
        if self.stated:
            return f"{head}（{self.stated}，{self.amount_basis or self.basis.split('（')[0]}）"
        return f"{head}（数额由法院根据犯罪情节决定，刑法第五十二条）"


_CONFISCATION_ALONE = {"并处": "并处没收财产", "可以并处": "可以并处没收财产", "或者": "并处没收财产"}
_STATED_AMOUNT = r"[^，；。罚没处]{0,30}?"  # 二万元以上二十万元以下 / 违法所得一倍以上五倍以下
_STATED_YUAN = re.compile(
    r"([零一二两三四五六七八九十百千万]+)元以上([零一二两三四五六七八九十百千万]+)元以下罚金"
)
# 并处或者单处违法所得一倍以上五倍以下罚金 (第二百二十五条), 并处销售金额百分之五十以上二倍以下罚金 (第一百四十条)
_STATED_SHARE = re.compile(r"(?:单处|并处)([^，；。罚没处]{2,30}?倍以下)罚金")
_CONFISCATE = re.compile(r"(可以)?并处(?:罚金或者)?没收财产")


def fine_terms(penalty: str) -> tuple[str, str]:
    """(fine mode, confiscation mode) of one paragraph's penalty words."""
    mode = ""
    # the article may state the amount between the verb and 罚金: 并处二万元以上二十万元以下罚金 (第一百九十六条)
    amount = _STATED_AMOUNT
    if re.search(rf"并处或者单处{amount}罚金", penalty):
        mode = "并处或者单处"
    elif re.search(rf"可以并处{amount}罚金", penalty):
        mode = "可以并处"
    elif re.search(rf"并处{amount}罚金", penalty):
        mode = "并处"
    elif re.search(rf"单处{amount}罚金", penalty):
        mode = "并处或者单处"
    elif re.search(rf"(?:或者|、){amount}罚金", penalty):
        mode = "或者"  # 罚金 among the principal penalties: a fine alone, or a term without a fine
    confiscation = ""
    if "罚金或者没收财产" in penalty:
        confiscation = "或者"
    elif m := _CONFISCATE.search(penalty):
        confiscation = "可以并处" if m.group(1) else "并处"
    return mode, confiscation


def fine_for(
    penalty: str,
    basis: str,
    rule: FineRule | None,
    range_index: int,
    amount_yuan: float | None,
) -> Fine:
    """The fine of a paragraph's range, with the interpretation's amount where one is given."""
    mode, confiscation = fine_terms(penalty)
    if mode and rule is None and (stated := _STATED_YUAN.search(penalty)):
        # the article states the amount itself: 并处二万元以上二十万元以下罚金 (第一百九十三条)
        low_cn, high_cn = stated.groups()
        article = basis.split("（")[0]  # 刑法第一百九十三条
        return Fine(mode, confiscation, basis, cn_to_int(low_cn), cn_to_int(high_cn), article)
    if mode and rule is None and (share := _STATED_SHARE.search(penalty)):
        return Fine(mode, confiscation, basis, stated=share.group(1))
    if not mode or rule is None:
        return Fine(mode, confiscation, basis)
    if rule.stated:  # the interpretation says the amount in words: 违法所得的一倍以上五倍以下
        return Fine(mode, confiscation, basis, amount_basis=rule.basis, stated=rule.stated)
    r = rule.for_range(range_index)
    low = r.min
    if r.times_amount and amount_yuan:
        high: float | None = max(r.times_amount * amount_yuan, low or 0.0)
    elif r.max is not None:
        high = r.max
    else:
        high = r.max_without_amount if not amount_yuan else None
    return Fine(mode, confiscation, basis, low, high, rule.basis)


def _yuan(v: float) -> str:
    return f"{v / 10000:g}万元" if v >= 10000 and v % 1000 == 0 else f"{v:,.0f}元"


def _yuan_range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{_yuan(low)}以上{_yuan(high)}以下"
    if low is not None:
        return f"{_yuan(low)}以上"
    return ""


# ------------------------------------------------------------------ kinds and how a term reads


def kind_of(months: float, detention_allowed: bool, law: GeneralPart) -> str:
    """拘役 for a term the detention range holds (刑法第四十二条: 一个月以上六个月以下) where the range
    allows it; 有期徒刑 from six months (第四十五条)."""
    detention = law.kinds["拘役"]
    return "拘役" if detention_allowed and months <= (detention.max or 6) else "有期徒刑"


def fit_to_kind(months: float, kind: Kind) -> float:
    """The months rounded to whole months and kept within the kind's bounds."""
    lo, hi = kind.min or 0.0, kind.max or months
    return float(min(max(math.floor(months + 0.5), lo), hi))  # half a month up, as courts count


def months_cn(months: float) -> str:
    """30 → '2年6个月'; 6 → '6个月'; 12 → '1年'."""
    m = int(round(months))
    years, rest = divmod(m, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    return f"{years}年" if years else f"{rest}个月"


def term_text(kind: str, months: float | None) -> str:
    """'有期徒刑1年6个月', '拘役4个月', '无期徒刑', '单处罚金'."""
    if kind in ("无期徒刑", "死刑", "单处罚金", "免予刑事处罚") or months is None:
        return kind
    return f"{kind}{months_cn(months)}"


def range_text(low: float, high: float, detention_allowed: bool, law: GeneralPart) -> str:
    """'拘役3个月至有期徒刑1年3个月'; the kind is written once where both ends share it."""
    lo_kind, hi_kind = kind_of(low, detention_allowed, law), kind_of(high, detention_allowed, law)
    lo = fit_to_kind(low, law.kinds[lo_kind])
    hi = fit_to_kind(high, law.kinds[hi_kind])
    if lo_kind == hi_kind:
        return term_text(lo_kind, lo) if lo == hi else f"{lo_kind}{months_cn(lo)}至{months_cn(hi)}"
    return f"{term_text(lo_kind, lo)}至{term_text(hi_kind, hi)}"


def term_cn(months: float) -> str:
    """Chinese numerals, as a judgment writes them: 30 → '二年六个月'."""
    m = max(1, round(months))
    years, rest = divmod(m, 12)
    return (f"{int_to_cn(years)}年" if years else "") + (f"{int_to_cn(rest)}个月" if rest else "")
