"""Facts an interpretation takes outside the crime (不认为是犯罪, 一般不以犯罪论处): [[outside]] in
interpretations.toml, for any charge, beside the `outside` rules a guideline crime carries.

A rule holds where its words are told and not denied, each of `also` too, `unless` is not told, and the
defendant's age, the injury and the amount told meet its conditions. The step it leaves makes the
conclusion lead with 可能不构成犯罪 and the rule's basis; the term that follows is for the case where a
court finds a crime all the same."""

from __future__ import annotations

import re

from .law import GeneralPart, LeastInjury
from .quantities import Quantities, negated
from .rules import GuidelineRules, OutsideRule
from .trace import LENIENT, SHORT_OF_CRIME, ChargeEstimate, Step

_INJURY_RANK = {"轻微伤": 0, "轻伤": 1, "重伤": 2, "死亡": 3}
# the age the conversation states (行为时15周岁), else the bands of 刑法第十七条 as the facts word them
_TOLD_AGE = re.compile(r"行为时(\d{1,3})周岁")
_BANDS = (("已满十四周岁不满十六周岁", 15), ("已满十六周岁不满十八周岁", 17), ("不满十四周岁", 13))


def short_of_crime(
    out: ChargeEstimate, rules: GuidelineRules, law: GeneralPart, fact: str, q: Quantities
) -> None:
    """A SHORT_OF_CRIME step for each interpretation rule of the charge the facts meet, and where the
    defendant was too young to answer for this charge (刑法第十七条第二款、第三款)."""
    for rule in rules.outside_for(out.charge):
        if (words := holds(rule, fact, q)) is not None:
            out.steps.append(Step(SHORT_OF_CRIME, None, rule.basis, rule.reason, evidence=words))
    age, rule_ = defendant_age(fact), law.age
    if age is None or rule_ is None or age >= 16 or not out.charge:
        return
    liable = rule_.liable_from_14 if age >= 14 else rule_.liable_from_12 if age >= 12 else ()
    least = rule_.injury_from_14 if age >= 14 else rule_.injury_from_12 if age >= 12 else ()
    short = next(
        (x for x in least if _normalize(x.charge) == _normalize(out.charge) and not _harmed(x, fact, q)), None
    )
    if _normalize(out.charge) in {_normalize(c) for c in liable} and short is None:
        return
    band = (
        "已满十四周岁不满十六周岁"
        if age >= 14
        else "已满十二周岁不满十四周岁"
        if age >= 12
        else "不满十二周岁"
    )
    which = "第二款" if age >= 14 else "第三款" if age >= 12 else "第一款"
    why = (
        f"{out.charge}罪只在{_harm_words(short)}时追究这个年龄的人的刑事责任，所述后果{_told_injury(q)}"
        if short is not None
        else f"刑法只对所列的几种犯罪追究这个年龄的人的刑事责任，{out.charge}罪不在其中"
    )
    out.steps.append(
        Step(
            SHORT_OF_CRIME,
            None,
            f"刑法{rule_.article}{which}",
            f"行为时{age}周岁（{band}），{why}：不负刑事责任（可以责令家长或者监护人加以管教，必要时依法进行专门矫治教育，"
            "刑法第十七条第五款）",
            evidence=f"{age}周岁",
        )
    )


def lenient_paragraphs(out: ChargeEstimate, law: GeneralPart, fact: str) -> None:
    """A LENIENT step for each paragraph of the charge's article (criminal_law.toml [[lenient]]) whose act the facts or
    the ask tell: 「家里正在凑钱准备把工人的工资全部付清…付清了还会判吗」 is answered by 刑法第二百七十六条之一第三款."""
    for rule in law.lenient:
        if _normalize(rule.charge) != _normalize(out.charge):
            continue
        found = told(fact, rule.words)
        if found is None or any(told(fact, also) is None for also in rule.also):
            continue
        out.steps.append(Step(LENIENT, None, rule.basis, rule.text, evidence=found))


def _harmed(least: LeastInjury, fact: str, q: Quantities) -> bool:
    """Whether the told injury reaches the least the band answers for (重伤 reaches 重伤; 死亡 reaches both)."""
    rank = _INJURY_RANK.get(q.injury or "", -1)
    if rank >= _INJURY_RANK[least.injury]:
        return True
    return bool(
        least.or_injury
        and rank >= _INJURY_RANK[least.or_injury]
        and any(told(fact, w) is not None for w in least.or_with)
    )


def _harm_words(least: LeastInjury) -> str:
    return least.harm or f"致人{least.injury}"


def _told_injury(q: Quantities) -> str:
    return f"为{q.injury}" if q.injury else "未说明重伤或者死亡"


def _normalize(name: str) -> str:
    return re.sub(r"[、，\s罪]", "", name or "")


def holds(rule: OutsideRule, fact: str, q: Quantities) -> str | None:
    """The words that make the rule hold, or None where a condition fails."""
    found = told(fact, rule.words)
    if found is None or any(told(fact, also) is None for also in rule.also):
        return None
    if rule.unless and told(fact, rule.unless) is not None:
        return None
    if rule.ages is not None:
        age = defendant_age(fact)
        if age is None or not rule.ages[0] <= age < rule.ages[1]:
            return None
    if rule.injury_below and q.injury and _INJURY_RANK[q.injury] >= _INJURY_RANK[rule.injury_below]:
        return None
    if rule.amount_below is not None and q.amount_yuan is not None and q.amount_yuan >= rule.amount_below:
        return None
    return found


def told(fact: str, pattern: str) -> str | None:
    """The first match of `pattern` the facts do not deny (没有分成, 没分过钱, 未受伤 deny it)."""
    for m in re.finditer(pattern, fact or ""):
        if not negated(fact, m.start()) and not re.search(r"[没未无别不]$", fact[: m.start()]):
            return m.group(0)
    return None


def defendant_age(fact: str) -> int | None:
    """The defendant's age at the act: as the conversation states it, else by 刑法第十七条's band."""
    if m := _TOLD_AGE.search(fact or ""):
        return int(m.group(1))
    return next((age for words, age in _BANDS if words in (fact or "")), None)
