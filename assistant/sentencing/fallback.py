"""Crimes outside the guideline's 23: the statutory tier of the article, a start in its lower part,
amount thresholds from judicial interpretations where the rules file has them, 单处罚金 where the
statute lists a fine as a principal penalty, and the similar cases' median (附则: 参照).
"""

from __future__ import annotations

import math

from .circumstances import Circumstance, Quantities
from .ranges import StatutoryTier, select_tier
from .rules import AmountTiers, GuidelineRules
from .similar import SimilarSummary, combine_with_similar
from .trace import ChargeEstimate, Step


def fallback_start(
    out: ChargeEstimate,
    rules: GuidelineRules,
    fact: str,
    charge: str,
    tiers: list[StatutoryTier],
    q: Quantities,
) -> None:
    """量刑起点 and 基准刑 from the statutory tier the facts (words or amount) fall into."""
    index, why = select_tier(tiers, fact)
    amounts = rules.find_amount_tiers(charge, out.article)
    by_amount = _amount_index(amounts, q, len(tiers)) if amounts else None
    if amounts and by_amount is not None and by_amount > index:
        index = by_amount
        why = f"{q.amount_yuan:g}元（{q.amount_evidence}）≥ {amounts.amounts[by_amount]:g}元"
    tier = tiers[index]
    fb = rules.fallback
    frac = float(fb.get("start_fraction", 0.2))
    f_lo, f_hi = (float(x) for x in fb.get("start_fraction_range", (0.0, 0.45)))
    span = tier.max_months - tier.min_months
    out.statutory = (float(tier.min_months), float(tier.max_months))
    out.statutory_tier, out.tiers = tier, tiers
    out.start = tier.min_months + frac * span
    out.start_range = (tier.min_months + f_lo * span, tier.min_months + f_hi * span)
    basis = f"刑法第{out.article}条（{tier.condition}的，处{tier.penalty}）"
    out.steps.append(
        Step("法定刑幅度", None, basis, f"{tier.label}；依据：{why or '基本犯罪构成'}", evidence=why)
    )
    if amounts and by_amount is not None:
        out.steps.append(Step("数额标准", None, amounts.basis, "按司法解释的数额标准确定幅度"))
    out.steps.append(
        Step(
            "量刑起点",
            out.start,
            str(fb.get("basis", "附则")),
            f"罪名不在指导意见所列23种之内：取幅度下部 {frac:.0%} 处",
        )
    )
    grow = _amount_growth(amounts, q, index, tiers) if amounts else 0.0
    out.base = out.start + grow * (tier.max_months - out.start)
    out.base_range = tuple(x + grow * (tier.max_months - x) for x in out.start_range)  # type: ignore[assignment]
    detail = (
        f"数额在本幅度内的位置 {grow:.2f}，按比例增加（本项目的线性规则）"
        if grow
        else "无增加刑罚量的规则或数额"
    )
    out.steps.append(
        Step("基准刑", out.base, "《量刑指导意见》二（一）2（参照）", detail, evidence=q.amount_evidence)
    )


def _amount_index(amounts: AmountTiers, q: Quantities, n_tiers: int) -> int | None:
    if q.amount_yuan is None:
        return None
    reached = [i for i, a in enumerate(amounts.amounts) if q.amount_yuan >= a]
    return min(reached[-1], n_tiers - 1) if reached else None


def _amount_growth(amounts: AmountTiers, q: Quantities, index: int, tiers: list[StatutoryTier]) -> float:
    """Where the amount lies between this tier's threshold and the next one's, in [0, 1], scaled so
    that reaching the next threshold brings the base to the next tier's minimum."""
    if q.amount_yuan is None or index >= len(amounts.amounts):
        return 0.0
    lo = amounts.amounts[index]
    hi = amounts.amounts[index + 1] if index + 1 < len(amounts.amounts) else lo * 10
    frac = min(max((q.amount_yuan - lo) / (hi - lo), 0.0), 1.0)
    tier = tiers[index]
    top = tiers[index + 1].min_months if index + 1 < len(tiers) else tier.max_months
    return frac * (top - tier.min_months) / max(tier.max_months - tier.min_months, 1)


def no_term(out: ChargeEstimate, rules: GuidelineRules, circumstances: list[Circumstance]) -> None:
    """单处罚金 where the statute lists a fine as a principal penalty and nothing aggravates."""
    tier, fb = out.statutory_tier, rules.fallback
    names = {c.name for c in circumstances}
    if tier is None or names & set(fb.get("aggravating", ("累犯", "前科"))) or tier is not out.tiers[0]:
        return
    if fb.get("fine_alone") and tier.fine_alternative:
        out.point, out.low, out.kind, out.probation = 0.0, 0.0, "单处罚金", False
        basis = f"刑法第{out.article}条（{tier.penalty}）；{fb.get('fine_alone_basis', '')}"
        out.steps.append(
            Step("单处罚金", 0.0, basis, "罚金为可选主刑，且无累犯、前科等从重情节：不判处监禁刑")
        )


def blend_similar(out: ChargeEstimate, rules: GuidelineRules, similar: SimilarSummary) -> None:
    """Join the rule estimate with the similar cases' median (weight n / (n + prior))."""
    prior = float(rules.fallback.get("similar_prior", 5))
    combined = combine_with_similar(out.point, similar, prior)
    if combined is None or similar.median_months is None:
        return
    detail = (
        f"相似案例 {similar.n_terms} 件，中位数 {similar.median_months:g} 个月"
        f"（四分位 {similar.q1_months:g}–{similar.q3_months:g}），按 n/(n+{prior:g}) 加权合并"
    )
    out.point = round(combined * 2) / 2
    if out.low is None or out.high is None:
        out.low, out.high = similar.q1_months, similar.q3_months
    out.kind = out.kind or ("拘役" if out.point <= 6 else "有期徒刑")
    out.steps.append(Step("相似案例合并", out.point, "附则（参照）；相似案例", detail))


def shrink_to_population(out: ChargeEstimate, rules: GuidelineRules) -> None:
    """Without similar cases, pull a fallback estimate towards the median term of all cases (log space);
    a sentence without a term (单处罚金) stays as it is."""
    weight = float(rules.fallback.get("population_weight", 0.0))
    median = rules.fallback.get("population_median_months")
    if not weight or median is None or not out.point:
        return
    shrunk = math.expm1((1 - weight) * math.log1p(out.point) + weight * math.log1p(float(median)))
    lo, hi = out.statutory or (0.0, 180.0)
    floor = 1.0 if out.mitigation_allowed else lo  # still within the tier (二（三）, 刑法第63条)
    out.point = round(min(max(shrunk, floor, 1.0), hi) * 2) / 2
    if out.low is not None and out.high is not None:
        out.low, out.high = min(out.low, out.point), max(out.high, out.point)
    if out.kind in ("拘役", "有期徒刑"):
        out.kind = "拘役" if out.point <= 6 else "有期徒刑"
    out.steps.append(
        Step(
            "总体中位数收缩",
            out.point,
            "附则（参照）；无相似案例时的校准（本项目选择，见规则文件 [fallback]）",
            f"无相似案例：按权重 {weight:g} 向全部案例刑期中位数 {float(median):g} 个月收缩（对数尺度）",
        )
    )
