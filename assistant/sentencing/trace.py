"""The result of a sentencing estimate: steps with their bases, per charge and combined.

The estimate is a typed object (`SentenceEstimate`) that the UI and the agent read directly;
`to_dict()` is the JSON the CLI prints with `--json`; `to_markdown()` is the trace an answer quotes:
the conclusion first (宣告刑 and its kind, 罚金, 缓刑 and the condition that allows or bars it), then
each step with its basis, in plain Chinese.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from corpora.numerals import int_to_cn

from .circumstances import Circumstance, Quantities
from .law import GeneralPart
from .penalties import Fine, months_cn, range_text, term_text
from .ranges import StatutoryTier
from .similar import SimilarSummary

# Steps the conclusion reads out (their names are the trace's words)
CONSEQUENCE = (
    "刑罚之外"  # what another law attaches to the conviction (醉驾: 吊销机动车驾驶证): rules.ConsequenceRule
)
SHORT_OF_CRIME = "未达入罪标准"  # the facts fall short of the crime (故意伤害 with 轻微伤)
LENIENT = "从宽条款"  # a paragraph of the charge's article that lowers the penalty for what the facts tell (outside.py)
FINE_ALONE = "可以单处罚金"  # the conditions of a fine alone hold (exemption.py)
EXEMPTED = "可以免予刑事处罚"  # the conditions of an exemption from punishment hold (exemption.py)
# the term allows 缓刑 and nothing bars it, but the facts do not tell the remorse it needs: open, not refused
PROBATION_OPEN = "刑期符合缓刑条件"
SEVERE_OPEN = "可能判处无期徒刑以上"
# the article's ranges turn on 数额较大 / 巨大, but no interpretation in the corpus gives the figures
AMOUNT_UNKNOWN = "数额标准未载"
# the article punishes this way of the crime whatever the amount (入户盗窃, 扒窃)
WITHOUT_AMOUNT = "不论数额"  # most same-charge cases got life or death, which the tier allows
# what an interpretation says of the way of the crime the facts tell, beside its figures (恶意透支 repaid
# before prosecution: 可以不起诉)
INTERPRETATION_NOTE = "司法解释的规定"
# the interpretation's figure the measure reached (or fell short of): read out with its article
THRESHOLD = "数额（数量）标准"
# the facts' everyday words meet a tier's condition (拿着铁锹 → 持械聚众斗殴): said in the conclusion
TOLD_TIER = "加重情形"


@dataclass
class Step:
    """One step of the computation: its name, the value in months after it, its basis, the words."""

    name: str
    months: float | None
    basis: str
    detail: str = ""
    evidence: str = ""
    percent: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass
class ChargeEstimate:
    """The steps for one charge: 量刑起点 → 基准刑 → 调节 → 宣告刑, its fine and 缓刑."""

    charge: str
    article: int | None
    covered: bool  # one of the guideline's 23 crimes
    article_suffix: int = 0  # 之一, 之二: 危险驾驶 is 第一百三十三条之一, not 交通肇事's 133
    paragraph: str = ""  # the article's paragraph that carries this charge's penalties
    steps: list[Step] = field(default_factory=list)
    statutory: tuple[float, float] | None = None
    statutory_tier: StatutoryTier | None = None
    tiers: list[StatutoryTier] = field(default_factory=list)
    start: float | None = None
    start_range: tuple[float, float] = (0.0, 0.0)
    base: float | None = None
    base_range: tuple[float, float] = (0.0, 0.0)
    adjusted: float | None = None
    adjusted_range: tuple[float, float] = (0.0, 0.0)
    mitigation_allowed: bool = False
    detention_allowed: bool = False
    point: float | None = None
    low: float | None = None
    high: float | None = None
    kind: str = ""  # 有期徒刑 | 拘役 | 单处罚金 | 无期徒刑 | 死刑
    probation: bool = False
    probation_reason: str = ""
    fine: Fine | None = None
    missing: str = ""  # the measure the ranges depend on that the facts do not give (数额, 毒品数量 …)
    # with `missing`: each range of the paragraph with the figure it begins at (ladder.figure_ladder)
    ladder: list[str] = field(default_factory=list)

    @property
    def article_label(self) -> str:
        if self.article is None:
            return ""
        suffix = f"之{int_to_cn(self.article_suffix)}" if self.article_suffix else ""
        return f"第{int_to_cn(self.article)}条{suffix}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "charge": self.charge,
            "article": self.article,
            "article_suffix": self.article_suffix,
            "article_label": self.article_label,
            "covered_by_guideline": self.covered,
            "statutory_range_months": list(self.statutory) if self.statutory else None,
            "start_months": self.start,
            "base_months": self.base,
            "adjusted_months": self.adjusted,
            "point_months": self.point,
            "range_months": [self.low, self.high] if self.point is not None else None,
            "kind": self.kind,
            "probation_plausible": self.probation,
            "probation_reason": self.probation_reason,
            "fine": self.fine.to_dict() if self.fine else None,
            "steps": [s.to_dict() for s in self.steps],
        }


@dataclass
class SentenceEstimate:
    """The estimate for all charges: a point and a range in months, or no estimate (point None)."""

    charges: list[ChargeEstimate]
    circumstances: list[Circumstance]
    quantities: Quantities
    similar: SimilarSummary | None
    point_months: float | None
    low_months: float | None
    high_months: float | None
    kind: str  # 有期徒刑 | 拘役 | 单处罚金 | "" when there is no estimate
    probation_plausible: bool
    notes: list[str] = field(default_factory=list)
    probation_reason: str = ""
    fines: list[str] = field(default_factory=list)  # each charge's 罚金, described
    detention_allowed: bool = False
    as_of: str = ""  # the state of the law the rules follow
    # 刑法第七十一条: the earlier remainder combined with the new term, said in the conclusion (unserved.py)
    executed: str = ""
    # 刑法第七十七条第一款: an earlier 缓刑 revoked by this crime, said in the conclusion (engine.revoke_probation)
    revoked: str = ""

    @classmethod
    def combine(
        cls,
        per_charge: list[ChargeEstimate],
        circumstances: list[Circumstance],
        quantities: Quantities,
        similar: SimilarSummary | None,
        law: GeneralPart,
    ) -> SentenceEstimate:
        """数罪并罚 (刑法第六十九条): above the highest term, below the sum and the kind's cap."""
        done = [c for c in per_charge if c.point is not None]
        fines = [
            (f"{c.charge}罪" + "：" if len(done) > 1 else "") + c.fine.describe()
            for c in done
            if c.fine and c.fine.describe()
        ]
        if not done:
            return cls(
                per_charge, circumstances, quantities, similar, None, None, None, "", False,
                ["没有可用的法定刑幅度或相似案例，无法估计刑期"], as_of=law.as_of,
            )  # fmt: skip
        if len(done) == 1:
            c = done[0]
            est = cls(
                per_charge, circumstances, quantities, similar, c.point, c.low, c.high, c.kind,
                c.probation, [], c.probation_reason, fines, c.detention_allowed, law.as_of,
            )  # fmt: skip
        else:
            est = _combined(per_charge, done, circumstances, quantities, similar, law, fines)
        est.notes[:0] = [
            f"事实中没有说明{c.missing}，而{c.charge}罪的法定刑幅度取决于{c.missing}：以上按最低一档"
            f"（{_tier_words(c)}）估计，补充{c.missing}可得到更准确的结果"
            for c in done
            if c.missing and len(done) > 1  # one charge: the conclusion gives its ranges instead
        ]
        return est

    @property
    def figure_missing(self) -> ChargeEstimate | None:
        """The one charge told without the figure its ranges turn on (数额): the answer then gives the
        ranges, not a term. The point the engine computed on the first range stays for evaluation."""
        if len(self.charges) == 1 and self.charges[0].missing and self.charges[0].point is not None:
            return self.charges[0]
        return None

    @property
    def term_months(self) -> float | None:
        return self.point_months

    @property
    def fine(self) -> str:
        """The fines, one line ('' where no charge carries one)."""
        return "；".join(self.fines)

    def to_dict(self) -> dict[str, Any]:
        missing = self.figure_missing
        return {
            # a charge without its figure has no term to show (conclusion): its ranges instead
            "point_months": None if missing else self.point_months,
            "range_months": None if missing else [self.low_months, self.high_months],
            "figure_missing": missing.missing if missing else "",
            "ranges_by_figure": list(missing.ladder) if missing else [],
            "kind": self.kind,
            "conclusion": self.conclusion(),
            "probation_plausible": self.probation_plausible,
            "probation_reason": self.probation_reason,
            "fines": list(self.fines),
            "circumstances": [c.to_dict() for c in self.circumstances],
            "quantities": self.quantities.to_dict(),
            "charges": [c.to_dict() for c in self.charges],
            "similar": self.similar.to_dict() if self.similar else None,
            "notes": list(self.notes),
            "executed": self.executed,
            "law_as_of": self.as_of,
        }

    def conclusion(self) -> str:
        """One paragraph: 宣告刑 with its kind, 罚金, 缓刑 and why."""
        if self.point_months is None:
            return "无法估计刑期：没有可用的法定刑幅度，也没有同罪名的相似案例。"
        if (missing := self.figure_missing) is not None:
            return _without_figure(missing)
        if self.kind == "单处罚金":
            head = "估计单处罚金，不判处监禁刑"
        elif self.kind == "免予刑事处罚":
            head = "估计免予刑事处罚：认定有罪，但不判处刑罚"
        else:
            head = f"估计判处{term_text(self.kind, self.point_months)}"
            if self.executed and self.low_months is not None and self.high_months is not None:
                # 数罪并罚 goes beyond one sentence's fifteen years (刑法第六十九条): the months as they are
                head += f"（合理幅度有期徒刑{months_cn(self.low_months)}至{months_cn(self.high_months)}）"
            elif self.low_months is not None and self.high_months is not None:
                head += f"（合理幅度{_range(self)}）"
        short = [s for ch in self.charges for s in ch.steps if s.name == SHORT_OF_CRIME]
        age = _law().age
        if (
            short
            and age is not None
            and len(short) == len(self.charges)
            and all(s.basis.startswith(f"刑法{age.article}") for s in short)
        ):
            # an age under the one 刑法第十七条 holds to the act is no crime, whatever the court finds of the act: no term,
            # fine or 缓刑 follows (a lawyer's review, stop 27: a 15-year-old's 入户盗窃 had been given one 「如认定构成犯罪」)
            return f"{short[0].detail}（{short[0].basis}）。"
        if short:  # the facts fall short of the crime: that is the answer, the term only a reference
            head = f"可能不构成犯罪：{short[0].detail}（{short[0].basis}）。如认定构成犯罪，{head}"
        parts = [head] + ([self.executed] if self.executed else []) + ([self.revoked] if self.revoked else [])
        if age is not None and any(c.name.startswith("未成年") for c in self.circumstances):
            # 刑法第十七条第四款: the reason the term sits low (the guideline's 三（一） gives the percentage)
            parts.append(
                f"犯罪时不满十八周岁，{age.mitigation.split('，', 1)[-1]}（刑法{age.mitigation_article}）"
            )
        # a statutory lenient circumstance the facts tell (从犯, 自首, 未遂), with what its article does to the sentence: the
        # reason the term sits where it does (a lawyer's review, stop 27: a lookout's term had 第二十七条 only listed)
        lenient: set[str] = set()
        for c in self.circumstances:
            article, text = _law().definitions.get(c.name, ("", ""))
            if c.direction == "从宽" and article and "。" in text and c.name not in lenient:
                lenient.add(c.name)
                parts.append(f"{c.name}（刑法{article}）：{text.rsplit('。', 1)[-1]}")
        if age is not None and age.elderly and any(c.name == "已满七十五周岁" for c in self.circumstances):
            # 刑法第十七条之一, the reason the term sits low, as for a minor
            parts.append(
                f"犯罪时已满七十五周岁：{age.elderly.split('的人', 1)[-1]}（刑法{age.elderly_article}）"
            )
        # a circumstance the user raised whose legal conditions fail is said up front, with its basis
        # (危险驾驶只处拘役，不构成累犯：刑法第六十五条)
        for ch in self.charges:
            for step in ch.steps:
                if step.name.endswith("不成立"):
                    parts.append(f"{step.name}：{step.detail.rstrip('。')}（{step.basis}）")
                elif step.name in (FINE_ALONE, EXEMPTED):
                    # the possibility with its basis and the term a court would give if it punishes
                    case = step.detail.split("。本案：", 1)[-1].rstrip("。")
                    parts.append(f"{step.name}（{_law().titled(step.basis)}）：{case}")
                elif step.name == WITHOUT_AMOUNT:
                    parts.append(f"{step.detail.rstrip('。')}（{step.basis.split('；')[0]}）")
                elif step.name == THRESHOLD and not step.detail.startswith("事实未载明"):
                    # the figure that decided the range and the interpretation's article, for a lawyer to check
                    said = f"{step.detail.split('；')[0]}（依据{_article_of(step.basis)}）"
                    parts.append(_law().titled(said))
                elif step.name == TOLD_TIER:
                    parts.append(f"适用加重的法定刑幅度：{step.detail}")
                elif step.name in (AMOUNT_UNKNOWN, INTERPRETATION_NOTE):
                    parts.append(f"{step.detail.rstrip('。')}（{step.basis}）")
                elif step.name == SEVERE_OPEN:
                    parts.append(f"{SEVERE_OPEN}：{step.detail.rstrip('。')}（{step.basis}）")
                elif step.name == LENIENT:  # in the law's words, as the client asks it (付清了还会判吗)
                    parts.append(f"依照{step.basis}，{step.detail.rstrip('。')}")
        if self.fines:
            parts.append("罚金：" + "；".join(self.fines))
        if self.kind not in ("单处罚金", "免予刑事处罚"):
            parts.append(
                (
                    "可以考虑宣告缓刑："
                    if self.probation_plausible
                    else "能否缓刑："
                    if self.probation_reason.startswith(PROBATION_OPEN)
                    else "不宜宣告缓刑："
                )
                + self.probation_reason
            )
        # after the sentence, what other laws attach to it, in their words (a client asks 驾照还能保住吗 next)
        after = [s for ch in self.charges for s in ch.steps if s.name == CONSEQUENCE]
        # in the law's words without quotation marks, as a conclusion cites (the quotes follow it: answer shape)
        parts += [f"{CONSEQUENCE}：依照{s.basis}，{s.detail.rstrip('。')}" for s in after]
        return "。".join(p.rstrip("。") for p in parts) + "。"

    def to_markdown(self) -> str:
        missing = [n for n in self.notes if n.startswith("事实中没有说明")]
        lines = ["### 量刑计算", "**结论**：" + self.conclusion(), *[f"> {n}" for n in missing]]
        if self.circumstances:
            lines.append("**情节**：" + "；".join(_circ(c) for c in self.circumstances))
        for ch in self.charges:
            title = f"**{ch.charge or '未定罪名'}**" + (f"（刑法{ch.article_label}）" if ch.article else "")
            lines.append("\n" + title)
            steps = ch.steps
            if self.figure_missing is ch:  # no term without the figure: only the steps that need none
                steps = [s for s in steps if s.months is None and s.name not in ("罚金", "缓刑")]
            for i, s in enumerate(steps, 1):
                value = f"：{s.months:.1f}个月" if s.months is not None and s.name not in _NO_VALUE else ""
                basis = f"（依据：{s.basis}）" if s.basis else ""
                words = f"事实：“{s.evidence}”。" if s.evidence else ""
                line = f"{i}. {s.name}{value}{basis}。{s.detail.rstrip('。')}。{words}"
                lines.append(_law().titled(line))
        if self.similar and self.similar.median_months is not None:
            sm = self.similar
            lines.append(
                f"\n**同罪名相似案例**：{sm.n_terms}件，刑期中位数{sm.median_months:g}个月，"
                f"中间一半在{sm.q1_months:g}至{sm.q3_months:g}个月之间"
                + "".join(f"（{n}）" for n in sm.notes)
            )
            lines += [f"- {c.case_id}：{_case_term(c)}（{c.why}）" for c in sm.cases]
            if note := self.similar_disagreement():
                lines.append(f"> {note}")
        lines += [f"\n> {n}" for n in self.notes if n not in missing]
        if self.as_of:
            lines.append(f"\n> 依据的法律文本截至{self.as_of}；各省实施细则可能确定不同的数额标准和刑期。")
        return "\n".join(lines)

    def similar_disagreement(self) -> str:
        """Why the similar cases' median differs from the estimate, where it does by half or more."""
        sm = self.similar
        if sm is None or sm.median_months is None or self.point_months is None:
            return ""
        med, est = sm.median_months, self.point_months
        if abs(math.log1p(med) - math.log1p(est)) < math.log(1.5):
            return ""
        reasons = []
        mine = self.quantities.amount_yuan
        amounts = [c.amount_yuan for c in sm.cases if c.amount_yuan]
        if mine and amounts:
            typical = sorted(amounts)[len(amounts) // 2]
            if typical > 1.5 * mine:
                reasons.append(f"相似案例的涉案数额多在{typical:g}元左右，高于本案的{mine:g}元")
            elif mine > 1.5 * typical:
                reasons.append(f"本案数额{mine:g}元，高于相似案例常见的{typical:g}元")
        lenient = {c.name for c in self.circumstances if c.direction == "从宽"}
        severe = {c.name for c in self.circumstances if c.direction == "从严"}
        if lenient and est < med:
            reasons.append("本案有" + "、".join(sorted(lenient)) + "等从宽情节")
        if severe and est > med:
            reasons.append("本案有" + "、".join(sorted(severe)) + "等从重情节")
        if sm.n_terms < 5:
            reasons.append(f"相似案例只有{sm.n_terms}件，中位数不稳定")
        why = (
            "；".join(reasons)
            or "相似案例的情节与本案不尽相同（数额、情节、地区标准），估计以法定刑幅度和指导意见的步骤为准"
        )
        return f"相似案例的中位数（{med:g}个月）与本估计（{est:g}个月）相差较大：{why}。"

    def summary(self) -> str:
        return "**结论**：" + self.conclusion()


def _without_figure(c: ChargeEstimate) -> str:
    """The conclusion for a charge told without its figure: what is missing, and each range with the
    figure it begins at; no term, since the figure decides the range (and whether it is a crime)."""
    # 法释〔2016〕9号第十一条 with its title: a bare 第十一条 would be read as the Criminal Law's
    ranges = _law().titled("；".join(c.ladder)) if c.ladder else f"最低一档为{_tier_words(c)}"
    return (
        f"事实没有说明{c.missing}，而{c.charge}罪是否构成犯罪、适用哪一档法定刑都取决于{c.missing}，"
        f"所以这里不估计具体刑期。刑法{c.article_label}按{c.missing}分档：{ranges}。"
        f"罚金和能否缓刑也随适用的档次而定；请补充{c.missing}的具体数字，再据此估算。"
    )


def _tier_words(c: ChargeEstimate) -> str:
    if c.statutory_tier is not None:
        return c.statutory_tier.penalty.split("；")[0].rstrip("。")
    lo, hi = c.statutory or (0.0, 0.0)
    return f"{lo:g}至{hi:g}个月"


_NO_VALUE = {
    "罚金",
    "缓刑",
    "累犯不成立",
    FINE_ALONE,
    EXEMPTED,
    SHORT_OF_CRIME,
    CONSEQUENCE,
    "数额（数量）标准",
    "法定刑幅度",
    TOLD_TIER,
}


def _circ(c: Circumstance) -> str:
    return f"{c.name.replace('_', '，')}（“{c.evidence}”）" if c.evidence else c.name


def _article_of(basis: str) -> str:
    """'法释〔2016〕25号第三条第一款第（二）项（开采…）' → the citation without its explanation."""
    return re.split(r"（(?![一二三四五六七八九十]+）)", basis, maxsplit=1)[0]


def _law() -> GeneralPart:
    from .law import load_general_part

    return load_general_part()


def _range(e: SentenceEstimate | ChargeEstimate) -> str:
    from .law import load_general_part

    low = e.low_months if isinstance(e, SentenceEstimate) else e.low
    high = e.high_months if isinstance(e, SentenceEstimate) else e.high
    return range_text(float(low or 0), float(high or 0), e.detention_allowed, load_general_part())


def _case_term(c: Any) -> str:
    if c.life_imprisonment or c.death_penalty:
        return "无期徒刑" if c.life_imprisonment else "死刑"
    if c.term_months is None:
        return "刑期不详"
    if c.term_months == 0:
        return "未判处监禁刑"
    return f"{c.term_months:g}个月"


def _combined(
    per_charge: list[ChargeEstimate],
    done: list[ChargeEstimate],
    circumstances: list[Circumstance],
    quantities: Quantities,
    similar: SimilarSummary | None,
    law: GeneralPart,
    fines: list[str],
) -> SentenceEstimate:
    """数罪并罚 (第六十九条): 有期徒刑 absorbs 拘役; the highest term plus a share of the others, below the
    sum and the cap of the kind (拘役一年; 有期徒刑二十年, 总和刑期三十五年以上的二十五年)."""
    fixed = [c for c in done if c.kind == "有期徒刑"]
    detained = [c for c in done if c.kind == "拘役"]
    pool = fixed or detained
    notes: list[str] = []
    if not pool:  # no charge carries a term: fines alone, or no punishment at all
        kind = "单处罚金" if any(c.kind == "单处罚金" for c in done) else "免予刑事处罚"
        return SentenceEstimate(
            per_charge, circumstances, quantities, similar, 0.0, 0.0, 0.0, kind, False,
            notes, "", fines, False, law.as_of,
        )  # fmt: skip
    kind = "有期徒刑" if fixed else "拘役"
    k = law.kinds[kind]
    terms = sorted((float(c.point or 0) for c in pool), reverse=True)
    total = sum(terms)
    cap = float(k.combined_max or total)
    if kind == "有期徒刑" and k.combined_long_from and total >= k.combined_long_from:
        cap = float(k.combined_max_long or cap)
    point = min(terms[0] + law.share_of_others * sum(terms[1:]), total, cap)
    point = float(round(point))
    low = max(float(c.low if c.low is not None else c.point or 0) for c in pool)
    high = min(sum(float(c.high if c.high is not None else c.point or 0) for c in pool), cap)
    notes.append(
        f"数罪并罚（刑法{law.combination_article}）：在总和刑期以下、数刑中最高刑期以上决定执行的刑期，"
        f"{kind}最高不超过{cap / 12:g}年；此处取最高刑加其余刑期的一半（估算方法）"
        + ("；拘役被有期徒刑吸收（第六十九条第二款）" if fixed and detained else "")
    )
    prob = law.probation
    barred = next((c.probation_reason for c in pool if not c.probation), "")
    probation = not barred and (kind == "拘役" or point <= prob.max_months)
    reason = barred or (
        pool[0].probation_reason
        if probation
        else f"决定执行的刑期超过三年，不符合缓刑的刑期条件（刑法{prob.article}）"
    )
    return SentenceEstimate(
        per_charge, circumstances, quantities, similar, point, min(low, point), max(high, point), kind,
        probation, notes, reason, fines, kind == "拘役", law.as_of,
    )  # fmt: skip
