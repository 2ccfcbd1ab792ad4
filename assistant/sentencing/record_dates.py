"""Dates in a judgment's facts, for the circumstances that depend on them: the defendant's age at the
offence, 累犯 (刑法第65条: a new crime within five years of serving a 有期徒刑), and a conviction that
came after this offence (no 前科).

Dates are written in digits (2017年3月26日) or Chinese numerals (二〇一七年三月二十六日). A date is an
*act* date unless the words right after it date a birth, an arrest or a step of the proceedings.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from corpora.numerals import cn_to_int

_Y = r"(\d{4}|[〇○零一二三四五六七八九]{4})"
_MD = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(rf"{_Y}年{_MD}月{_MD}日")
DAY_OR_MONTH = re.compile(rf"{_Y}年{_MD}月(?:{_MD}日)?")
# the defendant's birth date (a judgment also gives the 自诉人's or a victim's: 「被告人王某…抱住被害人朱某
# （女，2008年6月1日生）」 is the victim's, so no 被害人 may stand between 被告人 and the date)
BIRTH = re.compile(rf"被告人(?:(?!被害)[^。；]){{0,40}}?{_Y}年{_MD}月{_MD}日(?:出生|生)")
_RELEASE_WORDS = r"(?:被)?(?:减刑|假释)?(?:刑满释放|释放|刑罚执行完毕|执行完毕|执行刑满|刑满|假释考验期满)"
# the year may be given, or be 同年 (the year of the judgment told just before)
RELEASED = re.compile(rf"(?:{_Y}|同)年{_MD}月(?:{_MD}日)?{_RELEASE_WORDS}")
# a prior 有期徒刑 whose release date is not given: 2008年6月因犯…罪被…判处有期徒刑五年
_SENTENCED = re.compile(
    rf"{_Y}年{_MD}月(?:{_MD}日)?[^。；]{{0,60}}?判处有期徒刑(?:([一二三四五六七八九十]+)年)?(?:零?([一二三四五六七八九十]+)个月)?"
)
_PROCEDURE = re.compile(
    r"[^。；]{0,20}?(?:出生|生|被[^，。；]{0,15}(?:拘留|逮捕|取保候审|监视居住|抓获|查获|传唤|判处|释放|羁押)"
    r"|提起公诉|立案|受理|开庭|刑满|执行完毕|假释|决定|投案|到案|归案|押回|侦查|移送|审查|减刑)"
)
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}


def _num(s: str | None, year: bool = False) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    return int("".join(_CN_DIGIT[c] for c in s)) if year else cn_to_int(s)


def to_date(m: re.Match[str], first: int = 1, loose: bool = False) -> date | None:
    """The date in groups first..first+2 of `m`; with `loose`, a missing day is the 1st."""
    y, mo, d = _num(m.group(first), True), _num(m.group(first + 1)), _num(m.group(first + 2))
    try:
        return date(y, mo, d or 1) if y and mo and (d or loose) else None
    except ValueError:
        return None


def procedural(text: str, end: int) -> bool:
    """Whether the date ending at `end` dates a birth, an arrest or a step of the proceedings."""
    return bool(_PROCEDURE.match(text, end))


_SENTENCE_END = re.compile(r"[。；]")
_PRIOR_WORDS = re.compile(r"判处|释放|刑满|执行完毕|减刑|判决|裁定")


def act_dates(text: str, skip: range = range(0)) -> list[date]:
    """Dates of acts: not procedural, not in `skip`, not in a sentence that tells a prior judgment."""
    out = []
    for m in DATE.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        rest = text[m.end() : end.start() if end else len(text)]
        if m.start() in skip or procedural(text, m.end()) or _PRIOR_WORDS.search(rest):
            continue
        if d := to_date(m):
            out.append(d)
    return out


def age_at_offence(text: str) -> tuple[int, str, int] | None:
    """(age, the birth date's words, their start) from the defendant's birth and the first act date."""
    birth = BIRTH.search(text)
    born = to_date(birth) if birth else None
    if birth is None or born is None:
        return None
    for m in DATE.finditer(text, birth.end()):
        when = None if procedural(text, m.end()) else to_date(m)
        if when and when.year - born.year < 100 and when > born:
            years = when.year - born.year - ((when.month, when.day) < (born.month, born.day))
            return years, text[birth.start(1) : birth.end()], birth.start(1)
    return None


def recidivism(text: str) -> tuple[str, int] | None:
    """(words, start) of a served 有期徒刑 followed by an act within five years (刑法第65条).

    Without a release date, the release is taken as the judgment date plus the term (a sentence runs
    from detention, so the real release is no later) and only acts within four years of it count.
    Where the facts date no act by its day (2016年10月的一天), the detention for this case stands in
    for it: the act came before it, and after the release unless it is a crime found later (第70条)."""
    acts = act_dates(text) or custody_dates(text)
    for m in RELEASED.finditer(text):
        prior = _prior_sentence(text, m.start())
        released = _release_date(text, m)
        if "有期徒刑" in prior and "缓刑" not in prior and released and _within(acts, released, 5 * 365):
            return m.group(0), m.start()
    for m in _SENTENCED.finditer(text):
        judged = to_date(m, loose=True)
        if judged is None or not (m.group(4) or m.group(5)) or "缓刑" in text[m.end() : m.end() + 6]:
            continue
        months = 12 * (cn_to_int(m.group(4)) if m.group(4) else 0) + (
            cn_to_int(m.group(5)) if m.group(5) else 0
        )
        if _within(acts, judged + timedelta(days=int(months * 30.44)), 4 * 365):
            return m.group(0), m.start()
    return None


def _prior_sentence(text: str, start: int) -> str:
    """The judgment a release date belongs to: the clause before it (up to 。 or ；), or the one before
    that when the release is told on its own (…判处有期徒刑六个月。2013年4月19日刑满释放)."""
    lo = _clause_start(text, start)
    if not re.search(r"判处|判决|裁定", text[lo:start]):
        lo = _clause_start(text, max(lo - 1, 0))
    return text[max(0, start - 80, lo) : start]


def _clause_start(text: str, end: int) -> int:
    return max(text.rfind("。", 0, end), text.rfind("；", 0, end)) + 1


def _release_date(text: str, m: re.Match[str]) -> date | None:
    if m.group(1):
        return to_date(m, loose=True)
    year = list(DAY_OR_MONTH.finditer(text, max(0, m.start() - 120), m.start()))  # 同年: the year before
    if not year:
        return None
    try:
        return date(_num(year[-1].group(1), True) or 0, _num(m.group(2)) or 0, _num(m.group(3)) or 1)
    except ValueError:
        return None


# the defendant taken into custody for this case (因本案于…被刑事拘留, 因涉嫌…罪于…被抓获)
_CUSTODY = re.compile(
    rf"(?:因本案|因涉嫌)[^。；]{{0,20}}?(?:于)?{_Y}年{_MD}月{_MD}日"
    r"(?=[^。；]{0,20}?(?:拘留|逮捕|抓获|羁押|取保候审|监视居住|传唤|到案|投案))"
)


def custody_dates(text: str) -> list[date]:
    """Dates the defendant was taken into custody for this case."""
    return [d for m in _CUSTODY.finditer(text) if (d := to_date(m))]


def _within(acts: list[date], start: date, days: int) -> bool:
    return any(0 < (d - start).days <= days for d in acts)


def convicted_after_offence(text: str, start: int, end: int) -> bool:
    """Whether the prior conviction told in the sentence around text[start:end] is dated after every
    act of this case (a crime found later, 刑法第70条, or tried apart): then it is no 前科."""
    lo = text.rfind("。", 0, start) + 1
    hi = text.find("。", end)
    sentence = range(lo, hi if hi >= 0 else len(text))
    prior = [d for m in DAY_OR_MONTH.finditer(text, lo, sentence.stop) if (d := to_date(m, loose=True))]
    acts = act_dates(text, sentence)
    return bool(prior and acts and min(prior) > max(acts))
