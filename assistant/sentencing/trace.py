"""The result of a sentencing estimate: steps with their bases, per charge and combined.

`to_dict()` is the JSON the CLI prints with `--json`; `to_markdown()` is the trace an answer quotes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from corpora.numerals import int_to_cn

from .circumstances import Circumstance, Quantities
from .ranges import StatutoryTier
from .similar import SimilarSummary


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
    """The steps for one charge: 量刑起点 → 基准刑 → 调节 → 宣告刑."""

    charge: str
    article: int | None
    covered: bool  # one of the guideline's 23 crimes
    article_suffix: int = 0  # 之一, 之二: 危险驾驶 is 第一百三十三条之一, not 交通肇事's 133
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
    point: float | None = None
    low: float | None = None
    high: float | None = None
    kind: str = ""  # 有期徒刑 | 拘役
    probation: bool = False

    @property
    def article_label(self) -> str:
        if self.article is None:
            return ""
        suffix = f"之{int_to_cn(self.article_suffix)}" if self.article_suffix else ""
        return f"第{self.article}条{suffix}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "charge": self.charge,
            "article": self.article,
            "article_suffix": self.article_suffix,
            "covered_by_guideline": self.covered,
            "statutory_range_months": list(self.statutory) if self.statutory else None,
            "start_months": self.start,
            "base_months": self.base,
            "adjusted_months": self.adjusted,
            "point_months": self.point,
            "range_months": [self.low, self.high] if self.point is not None else None,
            "kind": self.kind,
            "probation_plausible": self.probation,
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
    kind: str  # 有期徒刑 | 拘役 | "" when there is no estimate
    probation_plausible: bool
    notes: list[str] = field(default_factory=list)

    @classmethod
    def combine(
        cls,
        per_charge: list[ChargeEstimate],
        circumstances: list[Circumstance],
        quantities: Quantities,
        similar: SimilarSummary | None,
        cap: float,
    ) -> SentenceEstimate:
        """数罪并罚 (刑法第69条): the highest term plus half of the others, within the cap."""
        done = [c for c in per_charge if c.point is not None]
        notes: list[str] = []
        if not done:
            return cls(
                per_charge,
                circumstances,
                quantities,
                similar,
                None,
                None,
                None,
                "",
                False,
                ["没有可用的法定刑幅度或相似案例，无法估计刑期"],
            )
        points = sorted((float(c.point or 0.0) for c in done), reverse=True)
        point = min(points[0] + sum(points[1:]) / 2, cap) if len(points) > 1 else points[0]
        low = max(float(c.low if c.low is not None else c.point or 0.0) for c in done)
        high = min(sum(float(c.high if c.high is not None else c.point or 0.0) for c in done), cap)
        if len(done) > 1:
            notes.append(
                "数罪并罚：最高刑加其余之半（本项目选择），在总和刑期以下、数刑中最高刑期以上（刑法第69条）"
            )
        if point == 0:
            kind = next((c.kind for c in done if c.kind), "单处罚金")
        else:
            kind = "拘役" if all(c.kind in ("拘役", "单处罚金") for c in done) and point <= 6 else "有期徒刑"
        probation = all(c.probation for c in done) and point <= 36
        return cls(per_charge, circumstances, quantities, similar, point, low, high, kind, probation, notes)

    @property
    def term_months(self) -> float | None:
        return self.point_months

    def to_dict(self) -> dict[str, Any]:
        return {
            "point_months": self.point_months,
            "range_months": [self.low_months, self.high_months],
            "kind": self.kind,
            "probation_plausible": self.probation_plausible,
            "circumstances": [c.to_dict() for c in self.circumstances],
            "quantities": self.quantities.to_dict(),
            "charges": [c.to_dict() for c in self.charges],
            "similar": self.similar.to_dict() if self.similar else None,
            "notes": list(self.notes),
        }

    def to_markdown(self) -> str:
        lines = ["### 量刑计算"]
        if self.circumstances:
            lines.append("**情节**：" + "；".join(f"{c.name}（“{c.evidence}”）" for c in self.circumstances))
        for ch in self.charges:
            lines.append(
                f"\n**{ch.charge or '未定罪名'}**（刑法{ch.article_label}）"
                if ch.article
                else f"\n**{ch.charge}**"
            )
            for i, s in enumerate(ch.steps, 1):
                value = f"：{s.months:.1f} 个月" if s.months is not None else ""
                words = f"；事实：“{s.evidence}”" if s.evidence else ""
                lines.append(f"{i}. {s.name}{value}。依据：{s.basis}。{s.detail}{words}")
        if self.similar and self.similar.median_months is not None:
            sm = self.similar
            lines.append(
                f"\n**相似案例**：{sm.n_terms} 件，中位数 {sm.median_months:g} 个月，"
                f"四分位距 {sm.q1_months:g}–{sm.q3_months:g} 个月"
            )
            lines += [f"- {c.case_id}：{c.term_months} 个月（相似度 {c.score:.2f}）" for c in sm.cases]
        lines += [f"\n> {n}" for n in self.notes]
        lines.append("\n" + self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        if self.point_months is None:
            return "**结论**：无法估计刑期。"
        if self.point_months == 0:
            return f"**结论**：{self.kind}，不判处监禁刑。"
        parts = f"**结论**：{self.kind} 约 {self.point_months:g} 个月（幅度 {self.low_months:g}–{self.high_months:g} 个月）"
        return parts + ("，可能适用缓刑。" if self.probation_plausible else "。")
