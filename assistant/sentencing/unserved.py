"""刑法第七十一条: a crime committed while serving a sentence. The part of the earlier term not yet served
and the new crime's term are combined under 第六十九条 (先减后并), and the combined term is the one the
court decides to execute. The remainder is taken where the facts tell it: in words (余刑尚有十四年十个月,
尚有未执行完毕的刑罚五个月零七天), or as the earlier term's end (刑期自1995年4月3日起至2000年4月2日止)
less the date of the new act."""

from __future__ import annotations

import re
from datetime import date

from corpora.numerals import cn_to_int

from .law import GeneralPart
from .penalties import months_cn
from .record_dates import _MD, _Y, DATE, procedural, to_date
from .trace import SentenceEstimate

_N = r"([\d一二两三四五六七八九十]+)"
_LEFT = re.compile(
    r"(?:余刑|剩余刑期|尚有未执行完毕的刑罚|尚未执行的刑罚|未执行完毕的刑期|没有执行的刑罚)"
    rf"(?:尚有|还有|尚余|为|有)?(?:{_N}年)?零?(?:{_N}个月)?零?(?:{_N}天|{_N}日)?"
)
# how a client tells it: 「判了6年 还剩两年多」「还有一年零三个月没服完」
_LEFT_SAID = re.compile(
    rf"(?:还剩|剩下|还有|剩)(?:下)?(?:的)?(?:刑期)?(?:{_N}年)?(?:多|半)?零?(?:{_N}个月)?(?:多)?(?:没服完|没坐完|没执行|的刑期)?"
)
_TERM = re.compile(rf"刑期(?:自|从){_Y}年{_MD}月{_MD}日起?至{_Y}年{_MD}月{_MD}日止?")
_DAYS_PER_MONTH = 30.44


def unserved(fact: str, law: GeneralPart) -> tuple[float, str] | None:
    """(months of the earlier term not yet served, the words that tell it), where the facts tell that
    the new crime was committed while serving it; None otherwise."""
    if not any(w in fact for w in law.unserved_words):
        return None
    if (m := _LEFT.search(fact)) and any(m.group(i) for i in range(1, 6)):
        years, months = (cn_to_int(g) if g else 0 for g in (m.group(1), m.group(2)))
        days = cn_to_int(m.group(3) or m.group(4) or "0")
        return years * 12 + months + days / _DAYS_PER_MONTH, m.group(0)
    for m in _LEFT_SAID.finditer(fact):
        if m.group(1) or m.group(2):
            years, months = (cn_to_int(g) if g else 0 for g in (m.group(1), m.group(2)))
            half = 6 if "半" in m.group(0) and not m.group(2) else 0
            return years * 12 + months + half, m.group(0)
    if m := _TERM.search(fact):
        start, end = to_date(m, 1), to_date(m, 4)
        act = _act_after(fact, m.end(), start, end)
        if start and end and act:
            return (
                end - act
            ).days / _DAYS_PER_MONTH, f"{m.group(0)}，{act.year}年{act.month}月{act.day}日又犯新罪"
    return None


def _act_after(fact: str, pos: int, start: date | None, end: date | None) -> date | None:
    """The first act date after the earlier term is told, within that term."""
    for m in DATE.finditer(fact, pos):
        when = None if procedural(fact, m.end()) else to_date(m)
        if when and start and end and start <= when < end:
            return when
    return None


def with_unserved(est: SentenceEstimate, fact: str, law: GeneralPart) -> None:
    """The term to execute: the earlier remainder and the new term combined (第六十九条), kept under the
    cap; 缓刑 is not open while the earlier sentence runs."""
    if est.point_months is None or est.kind not in ("有期徒刑", "拘役"):
        return
    found = unserved(fact, law)
    if found is None or found[0] <= 0:
        return
    left, words = found
    new = float(est.point_months)
    kind = law.kinds["有期徒刑"]
    total = left + new
    cap = float(kind.combined_max or total)
    if kind.combined_long_from and total >= kind.combined_long_from:
        cap = float(kind.combined_max_long or cap)
    point = min(max(left, new) + law.share_of_others * min(left, new), total, cap)
    low = max(left, float(est.low_months if est.low_months is not None else new))
    high = min(left + float(est.high_months if est.high_months is not None else new), cap)
    est.executed = (
        f"在刑罚执行期间又犯新罪（{words}）：前罪没有执行的刑罚约{months_cn(left)}，与新罪的刑罚"
        f"依照刑法{law.combination_article}决定执行的刑罚（刑法{law.unserved_article}），在两者中较长的以上、"
        f"两者之和以下；新罪本身估计为{_term(est.kind, new)}"
    )
    est.point_months, est.low_months, est.high_months = float(round(point)), low, high
    est.kind, est.detention_allowed = "有期徒刑", False
    est.probation_plausible = False
    est.probation_reason = (
        f"前罪的刑罚尚在执行中又犯新罪，决定执行的是合并后的刑罚（刑法{law.unserved_article}）"
    )


def _term(kind: str, months: float) -> str:
    return f"{kind}{months_cn(months)}"
