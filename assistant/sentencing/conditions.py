"""The legal conditions of the general part, applied after the guideline's arithmetic: whether 累犯
can hold (刑法第六十五条、第六十六条), the kind and bounds of the declared term (第四十二条、第四十五条),
缓刑 (第七十二条至第七十四条) and the fine of the paragraph (its own words, the interpretation's amount).

Each decision leaves a step in the trace saying which condition allowed or barred it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from corpora.numerals import cn_to_int

from .circumstances import Circumstance, Quantities
from .law import GeneralPart, load_general_part
from .penalties import fine_for, fit_to_kind, kind_of, range_text, term_text
from .rules import CrimeRule
from .trace import PROBATION_OPEN, ChargeEstimate, Step


@dataclass(frozen=True)
class PriorRecord:
    """The defendant's earlier sentence, told as facts (a follow-up: 「他五年前因盗窃被判过三年」).

    `kind`: the earlier punishment (有期徒刑, 拘役, 管制, 罚金, 无期徒刑 …); `released`: the day it was
    served (or pardoned), as near as the words allow; `offence`: the date of the new crime (today when
    not given); `negligent`: the earlier crime was one of negligence; `minor`: it was committed under
    eighteen; `crime`: its name; `released_words`: the release as the client told it (去年, 2020年)."""

    kind: str
    released: date | None = None
    offence: date | None = None
    negligent: bool = False
    minor: bool = False
    crime: str = ""
    words: str = ""  # the words that tell it (the sentence and the release), as the client wrote them
    released_words: str = ""
    term: str = ""  # the earlier term as told (四个月, 两年)
    serving: bool = False  # told to be serving it still (正在监狱服刑): not 执行完毕

    @classmethod
    def told(cls, text: str, today: date | None = None, law: GeneralPart | None = None) -> PriorRecord | None:
        """The earlier sentence as a client tells it, with times relative to today: 「他5年前因盗窃被判
        有期徒刑2年，去年刑满释放」, 「前年刚出狱」, 「三年前判过缓刑」. None when no earlier sentence is told."""
        today = today or date.today()
        # a sentence names its punishment or its term (判处有期徒刑2年, 被判了3年, 坐过两年牢), not 会判多久
        # and is told as past: for a crime (因盗窃被判), at a time (5年前, 曾, 以前), or with its release
        past = bool(_TOLD_RELEASE.search(text))
        told = (
            m
            for m in _TOLD_SENTENCE.finditer(text)
            # 坐过牢 names no term, but prison is 有期徒刑 (the default kind below)
            # 「判了缓刑还没过考验期」: a 缓刑 given is told as past, and is a sentence
            if (
                m.group("term")
                or "牢" in m.group(0)
                or any(k in m.group(0) for k in _KINDS)
                or _PROBATION_GIVEN.match(text, m.end())
            )
            and (
                past
                or m.group("crime")
                or _TOLD_PAST.search(text[max(0, m.start() - 12) : m.start()])
                or _PROBATION_GIVEN.match(text, m.end())
            )
        )
        sentence = next(told, None)
        if sentence is None:
            return None
        clause = sentence.group(0)
        kind = next((k for k in _KINDS if k in clause), "有期徒刑")
        if "缓刑" in text[sentence.start() : sentence.end() + 8]:
            kind = "缓刑"  # a suspended sentence is not served: no 累犯 (刑法第六十五条)
        crime = sentence.group("crime") or ""
        released_words = ""
        released = _told_release(text, today)
        if released is not None:
            released_words = _TOLD_RELEASE.search(text).group(1)  # type: ignore[union-attr]
        elif ago := _TOLD_AGO.search(text[: sentence.end()]):
            years = _told_years(sentence.group("term") or "")
            judged = _years_before(today, cn_to_int(ago.group(1)))
            released = _years_before(judged, -years) if years else None
            released = released if released is not None and released <= today else None
            released_words = f"约{released.year}年（{ago.group(0)}判处，刑期推算）" if released else ""
        law = law or load_general_part()
        negligent = "过失" in crime or any(n in crime for n in law.recidivism.negligent_charges)
        minor = _told_minor(text, sentence.start(), sentence.end())
        spans = [sentence.span()] + ([release.span()] if (release := _TOLD_RELEASE.search(text)) else [])
        # 「三年前因为抢劫被判过四年」: the time it was told at belongs to the record too
        if ago := _TOLD_AGO.search(text[max(0, sentence.start() - 8) : sentence.start()]):
            spans.append((max(0, sentence.start() - 8) + ago.start(), sentence.start()))
        words = text[min(a for a, _ in spans) : max(b for _, b in spans)]
        term = sentence.group("term") or ""
        serving = released is None and bool(_SERVING.search(text[sentence.start() :]))
        return cls(kind, released, today, negligent, minor, crime, words, released_words, term, serving)

    def evidence(self) -> str:
        """The record in the client's own terms: a release told as 去年 stays 去年, not a made-up day."""
        when = f"，{self.released_words}刑满释放" if self.released_words else ""
        if self.released and not self.released_words:
            when = f"，{self.released:%Y年%m月%d日}刑满释放"
        minor = "（犯罪时不满十八周岁）" if self.minor else ""
        term = self.term if self.kind != "缓刑" else ""
        return f"前罪{self.crime + minor + '，' if self.crime or minor else ''}判处{self.kind}{term}{when}"

    def bar(self, law: GeneralPart) -> str:
        """Why this earlier sentence cannot make a 累犯 under 刑法第六十五条 ('' where its own terms allow
        it; the new crime's conditions are checked by `gate_recidivism`)."""
        rec = law.recidivism
        if self.kind == "缓刑":
            return "前罪被宣告缓刑，缓刑考验期满原判刑罚不再执行，不属于“刑罚执行完毕”（刑法第七十六条）"
        if self.kind not in rec.prior_kinds:
            return f"前罪判处的是{self.kind}，累犯要求前罪被判处有期徒刑以上刑罚"
        if self.negligent:
            return "前罪是过失犯罪，累犯的规定不适用于过失犯罪"
        if self.minor:
            return "前罪是不满十八周岁时所犯，累犯的规定不适用于不满十八周岁的人犯罪"
        if self.serving:
            return (
                "前罪刑罚尚在执行（正在服刑），不是“刑罚执行完毕以后”再犯罪；判决宣告以前的漏罪依照刑法第七十条、"
                "服刑期间又犯罪依照刑法第七十一条，与前罪的刑罚数罪并罚"
            )
        if self.released is None:
            return f"没有说明前罪刑罚执行完毕的时间，无法认定是否在{rec.years}年以内再犯"
        if not 0 <= ((self.offence or date.today()) - self.released).days <= rec.years * 366:
            return f"前罪刑罚执行完毕已超过{rec.years}年"
        return ""


def _told_minor(text: str, start: int, end: int) -> bool:
    """Whether the earlier crime was committed under eighteen, as told in its own clause (他17岁的时候
    因为抢劫被判过两年, 未成年时判过): the age belongs to that crime, not to the defendant now."""
    lo = max(text.rfind(sep, 0, start) for sep in "，。；,;") + 1
    clause = text[lo : end + 10]
    if re.search(r"未成年|不满十八周岁|未满十八周岁", clause):
        return True
    for m in _TOLD_AGE.finditer(clause):
        try:
            if cn_to_int(m.group(1)) < 18:
                return True
        except ValueError:
            continue
    return False


def apply_prior_record(
    found: list[Circumstance], prior: PriorRecord | None, fact: str, law: GeneralPart | None = None
) -> list[Circumstance]:
    """With a prior record given as facts, 累犯/前科 come from it, not from the words of the facts."""
    if prior is None:
        return found
    rest = [c for c in found if c.name not in ("累犯", "前科", "初犯偶犯")]
    name = "前科" if prior.bar(law or load_general_part()) else "累犯"
    if name == "前科" and (prior.negligent or prior.minor):
        return rest  # 指导意见三（十六）: 前科犯罪为过失犯罪和未成年人犯罪的除外
    return [*rest, Circumstance(name, prior.evidence(), (0, 0), "从严")]


def gate_recidivism(
    out: ChargeEstimate,
    law: GeneralPart,
    crime: CrimeRule | None,
    found: list[Circumstance],
    prior: PriorRecord | None = None,
) -> list[Circumstance]:
    """累犯 only where 刑法第六十五条 allows it: the earlier sentence must be 有期徒刑以上, served within
    five years, for an intentional crime committed at eighteen or older; the new crime must call for
    有期徒刑以上, be intentional, and be committed at eighteen or older. Otherwise the earlier conviction
    counts as 前科 (三（十六）). A prior record told as facts always gets a step saying which."""
    art = law.recidivism.article
    if prior is not None and (why := prior.bar(law)):
        tail = (
            "；前罪不作为前科从重（《量刑指导意见》三（十六）：前科犯罪为过失犯罪和未成年人犯罪的除外）"
            if prior.negligent or prior.minor
            else ""
            if prior.serving  # combined with the new term, not weighed as a 前科 besides
            else "；前罪记录按前科酌情考虑"
        )
        out.steps.append(Step("累犯不成立", None, f"刑法{art}", why + tail, prior.evidence()))
        return found
    rec = next((c for c in found if c.name == "累犯"), None)
    if rec is None:
        return found
    names = {c.name for c in found}
    lo, hi = out.statutory or (0.0, 180.0)
    why = ""
    if (crime is not None and crime.detention_only) or hi <= (law.kinds["拘役"].max or 6):
        why = "本罪法定刑只有拘役，不是“应当判处有期徒刑以上刑罚之罪”"
    elif law.negligent(out.charge, out.paragraph):
        why = "本罪是过失犯罪，累犯的规定不适用于过失犯罪"
    elif names & {"未成年", "未成年_已满十二不满十六"}:
        why = "犯罪时不满十八周岁，累犯的规定不适用"
    if not why:
        return found
    out.steps.append(Step("累犯不成立", None, f"刑法{art}", why + "；前罪记录按前科酌情考虑", rec.evidence))
    minor = "不满十八周岁" in why
    kept = [c for c in found if c.name != "累犯"]
    if not minor and "前科" not in names:
        kept.append(Circumstance("前科", rec.evidence, rec.span, "从严"))
    return kept


def declare(
    out: ChargeEstimate,
    law: GeneralPart,
    crime: CrimeRule | None,
    found: list[Circumstance],
    q: Quantities,
) -> None:
    """宣告刑: the adjusted term kept within the range (二（三）), of the kind the law gives it, with its
    fine and the 缓刑 decision."""
    assert out.adjusted is not None
    lo, hi = out.statutory or (0.0, 180.0)
    floor = 1.0 if out.mitigation_allowed else lo  # 减轻处罚 goes below the range (刑法第六十三条)
    detention_max = law.kinds["拘役"].max or 6
    out.detention_allowed = bool(
        (out.statutory_tier and out.statutory_tier.detention) or lo <= detention_max or out.mitigation_allowed
    )
    if crime and crime.detention_only:
        floor, hi, out.detention_allowed = 1.0, detention_max, True
    elif any(c.name == "累犯" for c in found):  # gate_recidivism kept it: 刑法第六十五条 holds
        floor = max(floor, law.kinds[law.recidivism.new_kind].min or 0.0)
        out.detention_allowed = False

    def clamp(v: float) -> float:
        return min(max(v, floor), hi)

    point = clamp(out.adjusted)
    out.kind = kind_of(point, out.detention_allowed, law)
    out.point = fit_to_kind(point, law.kinds[out.kind])
    out.low, out.high = sorted(clamp(v) for v in out.adjusted_range)
    why = (
        "在法定刑幅度内"
        if lo <= out.adjusted <= hi
        else (
            "低于法定最低刑：有法定减轻处罚情节（刑法第六十三条）"
            if out.adjusted < lo and out.mitigation_allowed
            else "以法定刑幅度为限"
        )
    )
    kind_law = law.kinds[out.kind]
    out.steps.append(
        Step(
            "宣告刑",
            out.point,
            f"《量刑指导意见》二（三）；刑法{kind_law.article}",
            f"{why}（{_range_words(lo, hi, out)}）：{term_text(out.kind, out.point)}，"
            f"合理幅度{range_text(out.low, out.high, out.detention_allowed, law)}",
        )
    )


def finish(
    out: ChargeEstimate, law: GeneralPart, crime: CrimeRule | None, found: list[Circumstance], q: Quantities
) -> None:
    """The fine and the 缓刑 decision, once the term is settled."""
    if out.point is None:
        return
    if out.kind in ("单处罚金", "免予刑事处罚"):
        return  # no term: the step of the rule (exemption.py) says what the sentence is
    _fine(out, law, q)
    _probation(out, law, crime, found)


def _range_words(lo: float, hi: float, out: ChargeEstimate) -> str:
    tier = out.statutory_tier
    if tier is not None and tier.penalty:
        return "法定刑：" + tier.penalty.split("；")[0].rstrip("。")
    return f"法定刑幅度{lo:g}至{hi:g}个月"


def _fine(out: ChargeEstimate, law: GeneralPart, q: Quantities) -> None:
    tier = out.statutory_tier
    if tier is None:
        out.fine = None
        out.steps.append(Step("罚金", None, "", "未取得本条条文原文，无法判断是否并处罚金；请查阅该条的规定"))
        return
    index = out.tiers.index(tier) if tier in out.tiers else 0
    rule = law.fine_rule(out.charge, out.article)
    basis = f"刑法{out.article_label}（{tier.penalty.rstrip('。')}）"
    out.fine = fine_for(tier.penalty, basis, rule, index, q.amount_yuan)
    if out.fine.mode or out.fine.confiscation:
        out.steps.append(Step("罚金", None, basis, out.fine.describe()))


def _probation(
    out: ChargeEstimate, law: GeneralPart, crime: CrimeRule | None, found: list[Circumstance]
) -> None:
    """缓刑 (刑法第七十二条): 拘役 or 有期徒刑 of three years or less, with remorse; never for 累犯 or a
    首要分子 of a criminal group (第七十四条); 应当 for minors and those over 75."""
    p, names = law.probation, {c.name for c in found}
    assert out.point is not None
    barred = [n for n in p.barred_by if n in names]
    strict = crime is not None and crime.probation == "strict"
    if out.kind not in ("拘役", "有期徒刑") or (out.kind == "有期徒刑" and out.point > p.max_months):
        out.probation, why = False, f"宣告刑超过三年有期徒刑，不符合缓刑的刑期条件（刑法{p.article}）"
        low = out.low if out.low is not None else out.point
        mandatory = sorted(names & set(p.mandatory_for))
        if out.kind == "有期徒刑" and low <= p.max_months and mandatory and not barred:
            # a lawyer's review (stop 24): for a man of 77 the range reached 1年10个月, and 缓刑 was denied flatly; at
            # three years or less it is 应当 for him (第七十二条第一款)
            why += (
                "；但如依法减轻处罚、判处三年以下有期徒刑，犯罪时不满十八周岁或已满七十五周岁，"
                f"符合条件的应当宣告缓刑（刑法{p.article}第一款）"
            )
    elif barred:
        out.probation, why = False, f"{'、'.join(barred)}不适用缓刑（刑法{p.bar_article}）"
    elif names & set(p.no_remorse):
        out.probation, why = False, f"拒不认罪，难以认定“有悔罪表现”（刑法{p.article}）"
    elif names & set(p.mandatory_for):
        out.probation, why = (
            True,
            f"犯罪时不满十八周岁或已满七十五周岁，符合条件的应当宣告缓刑（刑法{p.article}第一款）",
        )
    elif strict and out.point > 12:
        out.probation, why = False, "本罪属指导意见要求从严把握缓刑的犯罪，宣告刑超过一年（估算方法）"
    elif names & set(p.remorse):
        shown = "、".join(sorted(names & set(p.remorse)))
        out.probation, why = (
            True,
            f"宣告刑在三年以下，有{shown}等悔罪表现：{p.conditions}的，可以宣告缓刑（刑法{p.article}）",
        )
    else:
        out.probation, why = (
            False,
            f"{PROBATION_OPEN}（三年以下），还要{p.conditions}；事实没有说明认罪、退赃、赔偿、谅解等"
            f"悔罪表现，具备的可以宣告缓刑（刑法{p.article}）",
        )
    out.probation_reason = why
    # 第七十四条 only where it bars (a 累犯, a 首要分子): a third lawyer's review (stop 27) found it listed in 10 of 12
    # answers whose facts told neither
    basis = f"刑法{p.article}、{p.bar_article}" if barred else f"刑法{p.article}"
    out.steps.append(Step("缓刑", None, basis, why))


# ---- an earlier sentence as a client tells it (PriorRecord.told) --------------------------------------
# told to be serving it still, after the sentence is told (「被判了三年 现在在监狱已经坐了一年」)
_SERVING = re.compile(
    r"正在服刑|还在服刑|在服刑|正在坐牢|还在坐牢|(?:现在|目前|还|正)在(?:监狱|牢里|里面)|在监狱(?:里)?(?:已经)?(?:坐|关|待|呆)了"
)
_KINDS = ("无期徒刑", "有期徒刑", "拘役", "管制", "罚金")
_N = r"[零一二三四五六七八九十两\d]+"
_TOLD_SENTENCE = re.compile(
    rf"(?:因为?(?P<crime>[^，。；、]{{1,10}}?)罪?)?(?:被)?(?:法院)?(?:判处|判了|判过|判|坐过|坐了)"
    rf"(?:过)?(?:{'|'.join(_KINDS)})?(?P<term>{_N}年(?:{_N}个月)?|{_N}个月)?(?:的)?(?:牢|刑)?"
)


# 判了缓刑, 判过缓刑, 判了三年缓刑四年: a 缓刑 told as given, not asked about (会判缓刑吗)
_PROBATION_GIVEN = re.compile(r"[^，。？]{0,4}缓刑(?![^，。？]{0,3}(?:吗|么|呢))")


_TOLD_AGE = re.compile(rf"({_N})\s*(?:周)?岁")
_TOLD_AGO = re.compile(rf"({_N})年(?:以)?前")
_TOLD_PAST = re.compile(rf"{_N}年(?:以)?前|曾经?|以前|之前|此前|过去|去年|前年")
_TOLD_RELEASE = re.compile(
    rf"(去年|前年|今年|上个?月|({_N})(年|个月)(?:以)?前|(\d{{4}})年(?:(\d{{1,2}})月)?)[^，。；]{{0,8}}?"
    r"(?:刑满释放|出狱|放出来|释放|刑满|出来)"
)


def _years_before(day: date, years: float) -> date:
    return date.fromordinal(day.toordinal() - int(round(years * 365.25)))


def _told_years(term: str) -> float:
    m = re.match(rf"(?:({_N})年)?(?:({_N})个月)?", term)
    if not m or not (m.group(1) or m.group(2)):
        return 0.0
    return (cn_to_int(m.group(1)) if m.group(1) else 0) + (cn_to_int(m.group(2)) / 12 if m.group(2) else 0)


def _told_release(text: str, today: date) -> date | None:
    m = _TOLD_RELEASE.search(text)
    if m is None:
        return None
    word = m.group(1)
    if word == "去年":
        return date(today.year - 1, 7, 1)
    if word == "前年":
        return date(today.year - 2, 7, 1)
    if word == "今年":
        return date(today.year, 1, 1) if today.month > 1 else today
    if word.startswith("上"):
        return date.fromordinal(today.toordinal() - 30)
    if m.group(2):
        n = cn_to_int(m.group(2))
        return _years_before(today, n if m.group(3) == "年" else n / 12)
    year, month = int(m.group(4)), int(m.group(5) or 7)
    return date(year, min(max(month, 1), 12), 1)
