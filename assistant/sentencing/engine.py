"""The guideline's steps: 量刑起点 → 基准刑 → adjustments (同向相加、逆向相减) → 宣告刑.

Plain inputs only (facts, charge names, article numbers, article texts, CaseRecords), so the engine
works without the index. Every step names its basis: a guideline paragraph, an article, or a
circumstance with the words of the facts it came from.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpora.records import CaseRecord

from .circumstances import Circumstance, Quantities, extract_quantities, find_circumstances
from .fallback import blend_similar, fallback_start, no_term, shrink_to_population
from .ranges import StatutoryTier, parse_article_tiers, select_paragraph
from .rules import AdjustmentRule, CrimeRule, GuidelineRules, TierRule, load_rules
from .similar import SimilarSummary, summarize_similar
from .trace import ChargeEstimate, SentenceEstimate, Step

_INJURY_RANK = {"轻微伤": 0, "轻伤": 1, "重伤": 2, "死亡": 3}
_LENIENT_FOR_PROBATION = {
    "自首",
    "坦白",
    "认罪认罚",
    "当庭自愿认罪",
    "赔偿并取得谅解",
    "刑事和解",
    "退赃退赔",
    "取得谅解",
}
_SPECIAL_WORDS = {
    "毒品再犯": ("毒品再犯", "毒品犯罪再犯"),
    "受雇运输毒品": ("受雇",),
    "殴打侮辱": ("殴打", "侮辱"),
}
_MEASURE_WORDS = {
    "amount_yuan": "数额",
    "count": "次数",
    "victims": "人数",
    "persons": "人数",
    "grams": "毒品数量",
    "bac": "血液酒精含量",
}
MAX_COMBINED = 240  # 刑法第69条: 数罪并罚 up to 二十年 where the total is under 三十五年


def estimate_sentence(
    fact: str,
    charges: Sequence[str],
    articles: Sequence[int],
    article_texts: dict[int, str] | None = None,
    similar_cases: Sequence[CaseRecord] | None = None,
    rules: GuidelineRules | None = None,
) -> SentenceEstimate:
    """Estimate the sentence for `fact` under each charge, then combine (数罪并罚)."""
    rules = rules or load_rules()
    circumstances = find_circumstances(fact)
    quantities = extract_quantities(fact)
    similar = summarize_similar(similar_cases, fact) if similar_cases else None
    article_texts = article_texts or {}
    names = list(charges) or [""]
    per_charge = [
        _estimate_one(
            rules,
            fact,
            name,
            list(articles),
            article_texts,
            circumstances,
            quantities,
            similar if len(names) == 1 else None,
        )
        for name in names
    ]
    return SentenceEstimate.combine(per_charge, circumstances, quantities, similar, MAX_COMBINED)


def _estimate_one(
    rules: GuidelineRules,
    fact: str,
    charge: str,
    articles: list[int],
    article_texts: dict[int, str],
    circumstances: list[Circumstance],
    quantities: Quantities,
    similar: SimilarSummary | None,
) -> ChargeEstimate:
    crime = rules.find_crime(charge) if charge else None
    if crime is None and not charge:
        crime = next((c for a in articles if (c := rules.find_crime(article=a))), None)
    article = _article_for(crime, articles)
    suffix = crime.article_suffix if crime else 0
    # article_texts are keyed by plain numbers: a suffixed article (133之一) takes its range from the rules.
    text = article_texts.get(article, "") if article and not suffix else ""
    tiers = _statutory_tiers(text, fact, charge)
    out = ChargeEstimate(
        charge=charge or (crime.name if crime else ""),
        article=article,
        covered=crime is not None,
        article_suffix=suffix,
    )
    if crime is not None:
        _guideline_start(out, crime, fact, quantities, tiers)
    elif tiers:
        fallback_start(out, rules, fact, charge, tiers, quantities)
    if out.base is not None:
        _adjust(out, rules, crime, fact, circumstances)
        _declare(out, crime, circumstances)
        if crime is None:
            no_term(out, rules, circumstances)
    if not out.covered and similar is not None:
        blend_similar(out, rules, similar)
    elif not out.covered and out.point is not None:
        shrink_to_population(out, rules)
    if out.point is None:
        out.steps.append(Step("无法估计", None, "", "事实中无可用的法定刑幅度，亦无相似案例"))
    return out


def _article_for(crime: CrimeRule | None, articles: list[int]) -> int | None:
    if crime is not None:
        return crime.articles[0]
    special = [a for a in articles if a >= 102]  # 分则 articles carry the ranges
    return special[0] if special else (articles[0] if articles else None)


def _statutory_tiers(text: str, fact: str, charge: str) -> list[StatutoryTier]:
    return parse_article_tiers(select_paragraph(text, fact, charge)) if text else []


# ------------------------------------------------------------------ 量刑起点 and 基准刑


def _tier_holds(tier: TierRule, crime: CrimeRule, fact: str, q: Quantities) -> str:
    """The words or figure that make this tier apply ('' when it does not)."""
    if tier.when == "base":
        return "基本犯罪构成"
    if hit := next((w for w in tier.words if w in fact), None):
        return hit
    if tier.threshold and tier.threshold in crime.thresholds:
        value = q.value(crime.threshold_measure)
        if value is not None and value >= crime.thresholds[tier.threshold]:
            unit = "克" if crime.threshold_measure == "grams" else "元"
            return f"{value:g}{unit} ≥ {tier.threshold}起点 {crime.thresholds[tier.threshold]:g}{unit}"
    if tier.min_count and q.count and q.count >= tier.min_count:
        return q.count_evidence
    if tier.injury and q.injury and _INJURY_RANK[q.injury] >= _INJURY_RANK[tier.injury]:
        return q.injury_evidence
    return ""


def _guideline_start(
    out: ChargeEstimate, crime: CrimeRule, fact: str, q: Quantities, tiers: list[StatutoryTier]
) -> None:
    chosen, why = crime.tiers[0], "基本犯罪构成"
    for tier in crime.tiers[1:]:
        if hit := _tier_holds(tier, crime, fact, q):
            chosen, why = tier, hit
    lo, hi = chosen.start
    out.statutory = _statutory_for(chosen, tiers)
    out.start = (lo + hi) / 2
    out.start_range = (lo, hi)
    out.steps.append(
        Step(
            "量刑起点",
            out.start,
            f"《量刑指导意见》{chosen.basis}",
            f"{lo:g}–{hi:g}个月幅度取中点；适用依据：{why}",
            evidence=why,
        )
    )
    if crime.threshold_basis and chosen.threshold:
        out.steps.append(
            Step("数额标准", None, crime.threshold_basis, "取司法解释幅度的下限；各省确定具体标准")
        )
    growth, detail, evidence = _growth(chosen, q, out.start)
    out.base = out.start + growth
    out.base_range = (lo + _growth(chosen, q, lo)[0], hi + _growth(chosen, q, hi)[0])
    out.steps.append(
        Step("基准刑", out.base, f"《量刑指导意见》二（一）2；{crime.basis}2", detail, evidence=evidence)
    )


def _growth(tier: TierRule, q: Quantities, start: float) -> tuple[float, str, str]:
    """Months added to the start by the tier's measure (linear, a documented choice) and counts."""
    months, detail, evidence = 0.0, "无增加刑罚量的数额、数量事实", ""
    if tier.measure and q.value(tier.measure) is None:
        detail = f"事实未载明{_MEASURE_WORDS.get(tier.measure, tier.measure)}，按量刑起点计算，未增加刑罚量"
    value = q.value(tier.measure) if tier.measure else None
    if value is not None and tier.grow_to is not None and tier.to_months is not None:
        base_from = tier.grow_from or 0.0
        frac = min(max((value - base_from) / (tier.grow_to - base_from), 0.0), 1.0)
        months = frac * max(tier.to_months - start, 0.0)
        detail = (
            f"{tier.measure}={value:g}，在 {base_from:g}→{tier.grow_to:g} 之间按比例 {frac:.2f} "
            f"增至 {tier.to_months:g} 个月（本项目的线性规则）"
        )
        evidence = {
            "amount_yuan": q.amount_evidence,
            "grams": q.drug_evidence,
            "bac": q.bac_evidence,
            "count": q.count_evidence,
        }.get(tier.measure or "", "")
    if tier.count_from and q.count and q.count > tier.count_from:
        extra = (q.count - tier.count_from) * tier.months_per_count
        months += extra
        detail += f"；超过{tier.count_from}次的{q.count - tier.count_from}次各加{tier.months_per_count:g}个月"
        evidence = evidence or q.count_evidence
    return months, detail, evidence


def _statutory_for(tier: TierRule, parsed: list[StatutoryTier]) -> tuple[float, float]:
    if tier.statutory:
        return float(tier.statutory[0]), float(tier.statutory[1])
    for s in parsed:
        if s.min_months <= tier.start[0] <= s.max_months and tier.start[1] <= s.max_months:
            return float(s.min_months), float(s.max_months)
    return tier.start[0], max(tier.start[1], tier.to_months or tier.start[1])


# ------------------------------------------------------------------ adjustments and 宣告刑


def _applicable(
    rules: GuidelineRules, crime: CrimeRule | None, fact: str, circumstances: list[Circumstance]
) -> list[tuple[AdjustmentRule, Circumstance | None]]:
    present = {c.name: c for c in circumstances}
    specials = {s.name: s for s in (crime.special if crime else ())}
    out: list[tuple[AdjustmentRule, Circumstance | None]] = []
    for name, circ in present.items():
        rule = specials.pop(name, None) or rules.adjustments.get(name)
        if rule is None or rule.point == 0 or any(x in present for x in rule.excluded_by):
            continue
        out.append((rule, circ))
    for name, rule in specials.items():
        word = next((w for w in _SPECIAL_WORDS.get(name, (name,)) if w in fact), None)
        if word:
            start = fact.index(word)
            out.append(
                (
                    rule,
                    Circumstance(
                        name, word, (start, start + len(word)), "从严" if rule.point > 0 else "从宽"
                    ),
                )
            )
    return _merge_plea(out)


def _merge_plea(
    items: list[tuple[AdjustmentRule, Circumstance | None]],
) -> list[tuple[AdjustmentRule, Circumstance | None]]:
    """认罪认罚 is not counted twice with 自首, 坦白 …: those count, plus half of 认罪认罚, capped."""
    plea = next(((r, c) for r, c in items if r.overlaps), None)
    if plea is None:
        return items
    rule, circ = plea
    group = [(r, c) for r, c in items if r.name in rule.overlaps]
    if not group:
        return items
    strong = any(r.name in ("自首", "退赃退赔", "赔偿并取得谅解", "刑事和解") for r, _ in group)
    cap = rule.cap_with_overlaps if strong else rule.cap_alone
    total = sum(r.point for r, _ in group) + rule.point / 2
    total = max(total, cap) if cap is not None else total
    merged = AdjustmentRule(
        name="认罪认罚（合并评价）",
        basis=rule.basis + "；与" + "、".join(r.name for r, _ in group) + "合并，不重复评价",
        low=cap or rule.low,
        high=0.0,
        point=total,
        stage="general",
        statutory_mitigation=any(r.statutory_mitigation for r, _ in group),
    )
    rest = [(r, c) for r, c in items if r.name not in rule.overlaps and r is not rule]
    return rest + [(merged, circ)]


def _adjust(
    out: ChargeEstimate,
    rules: GuidelineRules,
    crime: CrimeRule | None,
    fact: str,
    circumstances: list[Circumstance],
) -> None:
    assert out.base is not None
    items = _applicable(rules, crime, fact, circumstances)
    scen = {"point": out.base, "low": out.base_range[0], "high": out.base_range[1]}
    for rule, circ in [x for x in items if x[0].stage == "first"]:  # 二（二）2: these first, in turn
        for key in scen:
            scen[key] *= 1 + _pct(rule, key) / 100
        out.steps.append(_adj_step(rule, circ, scen["point"], "先行调节"))
    general = [x for x in items if x[0].stage != "first"]
    delta = {key: 0.0 for key in scen}
    for rule, circ in general:  # 同向相加、逆向相减 on the same base
        for key in scen:
            d = scen[key] * _pct(rule, key) / 100
            delta[key] += max(d, rule.min_months) if rule.point > 0 else d
        out.steps.append(_adj_step(rule, circ, None, "同向相加、逆向相减"))
    for key in scen:
        scen[key] = max(scen[key] + delta[key], 0.0)
    out.mitigation_allowed = any(r.statutory_mitigation for r, _ in items)
    out.adjusted, out.adjusted_range = scen["point"], (scen["low"], scen["high"])
    out.steps.append(
        Step(
            "调节结果",
            out.adjusted,
            "《量刑指导意见》二（二）",
            f"基准刑 {out.base:.1f} 个月经调节为 {out.adjusted:.1f} 个月",
        )
    )


def _pct(rule: AdjustmentRule, scenario: str) -> float:
    if scenario == "point":
        return rule.point
    lenient = scenario == "low"
    if rule.point < 0:
        return rule.low if lenient else rule.high
    return rule.high if lenient else rule.low


def _adj_step(rule: AdjustmentRule, circ: Circumstance | None, value: float | None, how: str) -> Step:
    words = circ.evidence if circ else ""
    return Step(
        f"情节：{rule.name}",
        value,
        f"《量刑指导意见》{rule.basis}",
        f"{rule.point:+g}%（幅度 {rule.low:+g}%～{rule.high:+g}%），{how}",
        evidence=words,
        percent=rule.point,
    )


def _declare(out: ChargeEstimate, crime: CrimeRule | None, circumstances: list[Circumstance]) -> None:
    """宣告刑: the adjusted result kept within the tier (二（三）), 拘役 where it is ≤ 6 months."""
    assert out.adjusted is not None
    lo, hi = out.statutory or (0.0, 180.0)
    floor = 1.0 if out.mitigation_allowed else lo  # 减轻处罚 may go below the tier (刑法第63条)
    if crime and crime.detention_only:
        floor, hi = 1.0, 6.0
    clamp = lambda v: min(max(v, floor), hi)  # noqa: E731
    out.point = round(clamp(out.adjusted) * 2) / 2
    out.low, out.high = sorted(round(clamp(v), 1) for v in out.adjusted_range)
    why = (
        "在法定刑幅度内"
        if lo <= out.adjusted <= hi
        else (
            "低于法定最低刑，有法定减轻情节"
            if out.adjusted < lo and out.mitigation_allowed
            else "限于法定刑幅度"
        )
    )
    names = {c.name for c in circumstances}
    out.kind = "拘役" if out.point <= 6 and (lo <= 6 or out.mitigation_allowed) else "有期徒刑"
    if out.kind == "有期徒刑" and out.point < 6:
        out.point = 6.0  # 有期徒刑 starts at six months (刑法第45条)
    strict = crime is not None and crime.probation == "strict"
    out.probation = (
        out.point <= 36
        and "累犯" not in names
        and "拒不认罪" not in names
        and bool(names & _LENIENT_FOR_PROBATION)
        and (not strict or out.point <= 12)
    )
    out.steps.append(
        Step(
            "宣告刑",
            out.point,
            "《量刑指导意见》二（三）；刑法第45条、第42条",
            f"{why}（{lo:g}–{hi:g}个月）：{out.kind} {out.point:g} 个月，幅度 {out.low:g}–{out.high:g}",
        )
    )
    if out.probation:
        out.steps.append(
            Step(
                "缓刑",
                None,
                "刑法第72条；《量刑指导意见》二（五）",
                "三年以下、有悔罪表现、非累犯：可能宣告缓刑",
            )
        )
