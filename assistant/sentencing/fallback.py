"""Crimes outside the guideline's 23: the statutory tier of the article, a start in its lower part,
amount thresholds from judicial interpretations where the rules file has them, and the similar
cases' median (附则: 参照). A sentence without a term (单处罚金, 免予刑事处罚) is exemption.py's.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .circumstances import Quantities
from .law import GeneralPart
from .measures import names_tax, told
from .penalties import fit_to_kind, kind_of, term_text
from .ranges import StatutoryTier, select_tier
from .rules import AmountTiers, GuidelineRules
from .similar import SimilarSummary, combine_with_similar
from .trace import AMOUNT_UNKNOWN, SEVERE_OPEN, THRESHOLD, ChargeEstimate, Step


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
    # each measure the charge's interpretation counts, read from the facts; the one reaching the highest
    # range decides (污染环境: 危险废物一百吨以上 is 情节严重 whatever the loss told)
    read = [_read(a, fact, q, len(tiers)) for a in rules.amount_tiers_for(charge, out.article, fact)]
    amounts, q, guess, by_amount = max(
        read,
        key=lambda r: (r[3] is not None, r[3] or 0, r[1].amount_yuan is not None),
        default=(None, q, "", None),
    )
    if amounts and by_amount is not None and by_amount > index:
        index = by_amount
        why = f"{_told(amounts, q.amount_yuan or 0)}，达到本档起点{_figure(amounts, amounts.amounts[by_amount])}"
    tier = tiers[index]
    fb = rules.fallback
    frac = float(fb.get("start_fraction", 0.2))
    f_lo, f_hi = (float(x) for x in fb.get("start_fraction_range", (0.0, 0.45)))
    span = tier.max_months - tier.min_months
    out.statutory = (float(tier.min_months), float(tier.max_months))
    out.statutory_tier, out.tiers = tier, tiers
    out.start = tier.min_months + frac * span
    out.start_range = (tier.min_months + f_lo * span, tier.min_months + f_hi * span)
    basis = f"刑法{out.article_label}（{tier.condition}{'的' if tier.condition and not tier.condition.endswith('的') else ''}，处{tier.penalty.rstrip('。')}）"
    reason = why or ("事实中没有加重处罚的情节" if index == 0 else "")
    out.steps.append(
        Step("法定刑幅度", None, basis, f"适用本档：{reason}", evidence=why if why != reason else "")
    )
    if not amounts and q.amount_yuan and any("数额" in t.condition for t in tiers[1:]):
        out.steps.append(
            Step(
                AMOUNT_UNKNOWN,
                None,
                f"刑法{out.article_label}",
                f"本条按“数额较大”“数额巨大”分档，但语料库中没有规定本罪数额标准的司法解释，"
                f"无法判断{_yuan(q.amount_yuan)}属于哪一档：以上按第一档估算，数额达到巨大标准的，刑罚更重",
            )
        )
    if amounts:
        out.steps.append(
            Step(THRESHOLD, None, amounts.basis, _threshold_detail(amounts, q, by_amount, guess))
        )
    out.steps.append(
        Step(
            "量刑起点",
            out.start,
            str(fb.get("basis", "附则")),
            f"本罪不在指导意见所列23种常见犯罪之内，参照其方法，在本档法定刑的较低部分（{frac:.0%}处）确定量刑起点",
        )
    )
    # the same shape as the guideline's crimes: half the way to the tier's top at the next threshold
    grow = _amount_growth(amounts, q, index, tiers) * rules.growth_reach if amounts else 0.0
    out.base = out.start + grow * (tier.max_months - out.start)
    low, high = out.start_range
    out.base_range = (low + grow * (tier.max_months - low), high + grow * (tier.max_months - high))
    detail = (
        f"数额在本档起点与上一档起点之间约{grow:.0%}处，按同一比例增加刑罚量（按比例估算）"
        if grow
        else "没有增加刑罚量的数额或情节"
    )
    out.steps.append(
        Step("基准刑", out.base, "《量刑指导意见》二（一）2（参照）", detail, evidence=q.amount_evidence)
    )


def _read(
    amounts: AmountTiers, fact: str, q: Quantities, n_tiers: int
) -> tuple[AmountTiers, Quantities, str, int | None]:
    """The entry's figure as the facts tell it (in `amount_yuan` of a copy of q), a word on how it was
    read, and the range it reaches (None: below the first figure, or not told)."""
    guess = ""
    if amounts.measure != "amount":  # the threshold measures the loss, the files, the tax …
        value = told(amounts.measure, fact, q)
        if value is None and amounts.measure == "tax" and q.amount_yuan is not None:
            # one sum told is read as the tax (a user's 「开了60万的票」); where the facts do not name the tax, say
            # so: an invoice's face value or 价税合计 is more than its tax
            value = (q.amount_yuan, q.amount_evidence)
            if not names_tax(fact):
                guess = f"事实未单独载明{amounts.figure or '税款数额'}，按所述数额计算"
        q = replace(q, amount_yuan=value[0] if value else None, amount_evidence=value[1] if value else "")
    return amounts, q, guess, _amount_index(amounts, q, n_tiers)


_MEASURE_WORDS = {  # measure → (what the threshold counts, unit)
    "amount": ("数额", "元"),
    "loss": ("经济损失", "元"),
    "files": ("视频文件", "个"),
    "tax": ("虚开税款数额", "元"),
    "items": ("公民个人信息", "条"),
    "plants": ("植物株数", "株"),
    "tons": ("危险废物", "吨"),
    "times": ("超过排放标准", "倍"),
}


def _figure(amounts: AmountTiers, value: float) -> str:
    word, unit = _MEASURE_WORDS.get(amounts.measure, ("数额", "元"))
    return _yuan(value) if unit == "元" else f"{value:g}{unit}"


def _told(amounts: AmountTiers, value: float) -> str:
    return (
        f"{amounts.figure or _MEASURE_WORDS.get(amounts.measure, ('数额', '元'))[0]}{_figure(amounts, value)}"
    )


def _threshold_detail(amounts: AmountTiers, q: Quantities, by_amount: int | None, guess: str) -> str:
    """What the interpretation's figures make of the facts: the tier reached, short of the crime, or
    no figure told."""
    word = amounts.figure or _MEASURE_WORDS.get(amounts.measure, ("数额", "元"))[0]
    if q.amount_yuan is None:
        return f"事实未载明{word}，无法按司法解释的标准确定法定刑幅度"
    told_ = _told(amounts, q.amount_yuan)
    if by_amount is None:
        return (
            f"{told_}，低于司法解释规定的定罪标准{_figure(amounts, amounts.amounts[0])}：没有其他严重情节的，"
            "可能不构成犯罪；以上按第一档估算"
        )
    # the highest figure reached, even where the paragraph has fewer ranges than the figures
    top = max(i for i, a in enumerate(amounts.amounts) if q.amount_yuan >= a)
    nxt = amounts.amounts[top + 1] if top + 1 < len(amounts.amounts) else None
    more = f"，未达到更高一档的{_figure(amounts, nxt)}" if nxt is not None else ""
    why = f"（{guess}）" if guess else ""
    return f"{told_}，达到{_figure(amounts, amounts.amounts[top])}的标准{more}{why}，据此确定法定刑幅度"


def _amount_index(amounts: AmountTiers, q: Quantities, n_tiers: int) -> int | None:
    if q.amount_yuan is None:
        return None
    reached = [i for i, a in enumerate(amounts.amounts) if q.amount_yuan >= a]
    return min(reached[-1], n_tiers - 1) if reached else None


def _amount_growth(amounts: AmountTiers, q: Quantities, index: int, tiers: list[StatutoryTier]) -> float:
    """Where the amount lies between this tier's threshold and the next one's, in [0, 1], scaled so
    that reaching the next threshold brings the base to the next tier's minimum."""
    if q.amount_yuan is None or index >= len(amounts.amounts) or amounts.measure == "times":
        return (
            0.0  # a multiple of the standard says the crime is there (法释〔2023〕7号第一条), not its weight
        )
    lo = amounts.amounts[index]
    hi = amounts.amounts[index + 1] if index + 1 < len(amounts.amounts) else lo * 10
    frac = min(max((q.amount_yuan - lo) / (hi - lo), 0.0), 1.0)
    tier = tiers[index]
    top = tiers[index + 1].min_months if index + 1 < len(tiers) else tier.max_months
    return frac * (top - tier.min_months) / max(tier.max_months - tier.min_months, 1)


def blend_similar(
    out: ChargeEstimate, rules: GuidelineRules, law: GeneralPart, similar: SimilarSummary
) -> None:
    """Join the rule estimate with the similar cases' median (weight n / (n + prior))."""
    prior = float(rules.fallback.get("similar_prior", 5))
    combined = combine_with_similar(out.point, similar, prior)
    if combined is None or similar.median_months is None:
        return
    if out.statutory is not None and out.point is not None:
        # the cases move the term within the tier the facts fall into, never out of it: below its
        # minimum only where a ground of 减轻处罚 holds (刑法第六十三条), never above its maximum
        lo, hi = out.statutory
        combined = min(max(combined, 1.0 if out.mitigation_allowed else lo), hi)
    tier = out.statutory_tier
    severe_tier = tier is not None and (tier.life or tier.death)
    # at least half the cases at life or death put their median at the top of the fixed terms or above
    mostly_severe = (
        severe_tier and similar.n_life_or_death > 0 and similar.n_life_or_death * 2 >= similar.n_terms
    ) and out.statutory
    if mostly_severe and out.statutory:
        # half or more of the same-charge cases got life or death, which this tier allows: their median is not a
        # term but "above every fixed term", so the fixed-term estimate is the ceiling and life is named
        combined = out.statutory[1]
    n = similar.n_terms
    severe = (
        f"（其中{similar.n_life_or_death}件无期徒刑或死刑，按十五年计）" if similar.n_life_or_death else ""
    )
    detail = (
        f"同罪名相似案例{n}件{severe}，刑期中位数{similar.median_months:g}个月（中间一半在"
        f"{similar.q1_months:g}至{similar.q3_months:g}个月之间）；案例越多，其分量越重"
        f"（权重{n / (n + prior):.0%}）"
    )
    _set_term(out, law, combined)
    if mostly_severe and out.statutory:
        out.low, out.high = out.statutory  # the fixed-term part of the tier; life and death are named
    if out.low is None or out.high is None:
        out.low, out.high = similar.q1_months, similar.q3_months
    elif out.point is not None:  # the range holds the term the cases moved it to
        out.low, out.high = min(out.low, out.point), max(out.high, out.point)
    out.steps.append(
        Step(
            "参考同罪名案例",
            out.point,
            "指导意见附则（参照）；同罪名相似案例",
            f"{detail}：{term_text(out.kind, out.point)}",
        )
    )
    if mostly_severe and tier is not None:
        kinds = "无期徒刑、死刑" if tier.life and tier.death else "无期徒刑" if tier.life else "死刑"
        out.steps.append(
            Step(
                SEVERE_OPEN,
                None,
                f"刑法{out.article_label}；同罪名相似案例",
                f"同罪名相似案例{n}件中{similar.n_life_or_death}件判处无期徒刑或死刑，本档也规定了{kinds}；"
                "有期徒刑的估计只能取上限十五年，从轻情节（自首等）可能体现在不判处死刑或者无期徒刑",
            )
        )


def shrink_to_population(out: ChargeEstimate, rules: GuidelineRules, law: GeneralPart) -> None:
    """Without similar cases, pull a fallback estimate towards the median term of all cases (log space);
    a sentence without a term (单处罚金) stays as it is."""
    weight = float(rules.fallback.get("population_weight", 0.0))
    median = rules.fallback.get("population_median_months")
    if not weight or median is None or not out.point:
        return
    shrunk = math.expm1((1 - weight) * math.log1p(out.point) + weight * math.log1p(float(median)))
    lo, hi = out.statutory or (0.0, 180.0)
    floor = 1.0 if out.mitigation_allowed else lo  # still within the tier (二（三）, 刑法第63条)
    _set_term(out, law, min(max(shrunk, floor, 1.0), hi))
    if out.low is not None and out.high is not None:
        out.low, out.high = min(out.low, out.point or 0.0), max(out.high, out.point or 0.0)
    out.steps.append(
        Step(
            "校准",
            out.point,
            "指导意见附则（参照）",
            f"没有同罪名的相似案例：向全部案例刑期的中位数{float(median):g}个月适当靠拢"
            f"（权重{weight:.0%}），以免仅凭法定刑幅度的位置估计失之过轻或过重：{term_text(out.kind, out.point)}",
        )
    )


def _set_term(out: ChargeEstimate, law: GeneralPart, months: float) -> None:
    """A new point of the same kinds the range allows; the 宣告刑 step's words follow it."""
    if out.kind in ("单处罚金", "免予刑事处罚"):
        return
    kind = kind_of(months, out.detention_allowed or out.kind == "拘役", law)
    out.kind, out.point = kind, fit_to_kind(months, law.kinds[kind])


def _yuan(v: float) -> str:
    return f"{v / 10000:g}万元" if v >= 10000 else f"{v:g}元"
