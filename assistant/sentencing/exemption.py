"""A sentence without a term: 单处罚金 (《关于适用财产刑若干问题的规定》第四条) and 免予刑事处罚 (刑法第三十七条
with 第二十四条、第六十七条、第六十八条, 法释〔2006〕1号第十七条), where the conditions the law sets hold in
the facts. The rules are data (criminal_law.toml [[without_term]]); nothing here knows a crime.

Where a rule holds, the estimate takes the sentence without a term, the outcome the law allows for
such facts, and keeps the term a court would give if it punishes as the alternative the answer names."""

from __future__ import annotations

from .circumstances import Circumstance, Quantities
from .law import GeneralPart, WithoutTerm
from .measures import told
from .penalties import term_text
from .quantities import said
from .rules import CrimeRule, GuidelineRules
from .trace import EXEMPTED, FINE_ALONE, ChargeEstimate, Step

CASE = "本案："  # where the step's detail turns from the law's conditions to the facts that meet them
# the harm a 中止 must not have caused (刑法第二十四条第二款: 没有造成损害): to a person (violence used on
# the victim is harm done) or to property
_HARM = ("死亡", "受伤", "轻伤", "重伤", "轻微伤", "损失", "损坏", "毁坏", "暴力", "殴打", "捆绑", "挟持")


def without_term(
    out: ChargeEstimate,
    law: GeneralPart,
    rules: GuidelineRules,
    crime: CrimeRule | None,
    found: list[Circumstance],
    q: Quantities,
    fact: str,
    several: bool = False,
) -> None:
    """The first rule whose conditions all hold turns the estimate into its outcome (0 months).

    Not for one of several crimes (`several`): the circumstances are the whole case's, and which crime
    a 自首 or a 中止 belongs to the facts do not say; a sentence without a term is decided per crime."""
    if several or out.point is None or out.kind not in ("有期徒刑", "拘役", "管制"):
        return
    for rule in law.without_term:
        why = _holds(rule, out, rules, crime, found, q, fact)
        if why is None:
            continue
        alternative = term_text(out.kind, out.point)
        out.steps.append(
            Step(
                FINE_ALONE if rule.outcome == "单处罚金" else EXEMPTED,
                None,
                rule.basis,
                f"{rule.reason}。{CASE}{why}；如判处刑罚，估计为{alternative}",
                evidence=_evidence(rule, found),
            )
        )
        out.kind, out.point, out.low = rule.outcome, 0.0, 0.0
        out.probation, out.probation_reason = False, ""
        return


def _holds(
    rule: WithoutTerm,
    out: ChargeEstimate,
    rules: GuidelineRules,
    crime: CrimeRule | None,
    found: list[Circumstance],
    q: Quantities,
    fact: str,
) -> str | None:
    """What in the facts meets the rule ('…，…'), or None where a condition fails."""
    names = {c.name for c in found}
    if _fails(rule, out, names, q, fact):
        return None
    said_: list[str] = []
    grounds = [g for g in rule.grounds if g in names]
    shown = [g.replace("_", "，") for g in grounds]
    if not grounds and rule.first_offence_when_silent and "初犯偶犯" in rule.grounds:
        grounds, said_ = ["初犯偶犯"], ["事实没有载明前科，按初犯"]
    if not grounds:
        return None
    if rule.below_entry_times is not None:
        light = _light(rule.below_entry_times, out, rules, crime, q, fact)
        if light is None:
            return None
        said_ += [light] if light else []
    remorse = [r for r in rule.remorse if r in names and r not in grounds]
    if remorse:
        said_.append(f"有悔罪表现（{'、'.join(remorse)}）")
    tier = out.statutory_tier
    if tier is not None and out.tiers and tier is out.tiers[0]:
        said_.insert(0, f"属于本条第一档（{tier.penalty.split('；')[0].rstrip('。')}）")
    return "，".join(said_ + (["有" + "、".join(shown)] if shown else []))


def _fails(rule: WithoutTerm, out: ChargeEstimate, names: set[str], q: Quantities, fact: str) -> bool:
    """Whether a condition of the rule other than its grounds and the figure fails."""
    tier = out.statutory_tier
    first = tier is not None and bool(out.tiers) and tier is out.tiers[0]
    article = out.article
    return bool(
        names & set(rule.barred_by)
        or (rule.articles and not (article is not None and rule.articles[0] <= article <= rule.articles[1]))
        or ((rule.lowest_range or rule.fine_alternative) and not first)
        or (rule.fine_alternative and not (tier is not None and tier.fine_alternative))
        or (rule.range_max is not None and (out.statutory is None or out.statutory[1] > rule.range_max))
        or (rule.term_max is not None and (out.point or 0.0) > rule.term_max)
        or (rule.requires_any and not names & set(rule.requires_any))
        or (rule.remorse and not names & set(rule.remorse))
        or (rule.no_harm and (q.injury is not None or any(said(fact, w) for w in _HARM)))
    )


def _light(
    times: float,
    out: ChargeEstimate,
    rules: GuidelineRules,
    crime: CrimeRule | None,
    q: Quantities,
    fact: str,
) -> str | None:
    """'' or the words that show the figure is light (under `times` the entry figure); None where the
    figure the thresholds count is told and reaches that multiple. No figure told: nothing says heavy."""
    figure = _entry_figure(out, rules, crime, q, fact)
    if figure is None:
        return ""
    value, entry = figure
    if value >= times * entry:
        return None
    return f"所述数额（数量）{_num(value)}，不到入罪标准{_num(entry)}的{times:g}倍，属于情节较轻"


def _entry_figure(
    out: ChargeEstimate, rules: GuidelineRules, crime: CrimeRule | None, q: Quantities, fact: str
) -> tuple[float, float] | None:
    """(the figure told, the figure at which the crime begins), for the charge's thresholds."""
    if crime is not None and crime.thresholds:
        value = q.value(crime.threshold_measure)
        return (value, min(crime.thresholds.values())) if value is not None else None
    for amounts in rules.amount_tiers_for(out.charge, out.article, fact):
        got = told(amounts.measure, fact, q)
        if got is not None and amounts.amounts:
            return got[0], float(amounts.amounts[0])
    return None


def _evidence(rule: WithoutTerm, found: list[Circumstance]) -> str:
    hits = [c.evidence for c in found if c.name in rule.grounds and c.evidence]
    return hits[0] if hits else ""


def _num(v: float) -> str:
    """4800 → '4800'; 1200000 → '120万'."""
    return f"{v / 10000:g}万" if v >= 10000 else f"{v:g}"
