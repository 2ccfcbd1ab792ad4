"""The guideline's figures, loaded from the project's data file (guideline_2021.toml).

Nothing here knows a particular crime: crimes, tiers and percentages are data. `find_crime` maps a
charge name (any of CAIL's bracket forms, with or without 罪) or an article number to its rules.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_RULES = Path(__file__).with_name("guideline_2021.toml")
# thresholds of the interpretations for crimes outside the guideline (amount_tiers)
DEFAULT_INTERPRETATIONS = Path(__file__).with_name("interpretations.toml")


class RulesError(ValueError):
    """The rules file is missing or malformed."""


def _compiled(crime: str, field: str, patterns: Sequence[str]) -> list[str]:
    """`patterns` checked to compile; a bad one is the rules file's error, named with its crime and field."""
    out = [str(p) for p in patterns]
    for pattern in out:
        try:
            re.compile(pattern)
        except re.error as e:
            raise RulesError(
                f"crime {crime!r}: {field} has a pattern that does not compile: {pattern!r} ({e})"
            ) from e
    return out


@dataclass(frozen=True)
class AdjustmentRule:
    """One circumstance's percentage: range, the point used, stage and its basis."""

    name: str
    basis: str
    low: float  # signed percent, the range's end further from zero for reductions
    high: float
    point: float
    stage: str = "general"  # "first" | "general"
    statutory_mitigation: bool = False
    min_months: float = 0.0
    excluded_by: tuple[str, ...] = ()
    overlaps: tuple[str, ...] = ()
    cap_alone: float | None = None
    cap_with_overlaps: float | None = None


@dataclass(frozen=True)
class StrictLeniency:
    """Crimes whose reductions the guideline tells courts to keep tight (从严掌握), and the share of
    each reduction's percentage the estimate keeps for them."""

    basis: str
    share: float
    charges: frozenset[str]

    def covers(self, charge: str) -> bool:
        return _normalize(charge) in self.charges


@dataclass(frozen=True)
class TierWords:
    """A way of telling a tier's condition in everyday words (拿着铁锹锄头, 带了砍刀和钢管 for 持械聚众斗殴):
    `words`, a regular expression; `means`, the law's name for it; `basis`, the article item it is."""

    words: str
    means: str
    basis: str


@dataclass(frozen=True)
class TierRule:
    """A guideline tier: when it applies, its 量刑起点 and how the 基准刑 grows."""

    when: str
    basis: str
    start: tuple[float, float]
    statutory: tuple[float, float] | None = None
    words: tuple[str, ...] = ()
    threshold: str | None = None
    min_count: int | None = None
    injury: str | None = None
    # the tier's words count only where the injury reaches this: 逃逸 raises 交通肇事 a tier only where the
    # crime stands without it (a death); with one 重伤, 逃逸 is what makes it a crime (法释〔2000〕33号第二条第二款)
    words_need_injury: str | None = None
    measure: str | None = None
    grow_from: float | None = None
    grow_to: float | None = None
    to_months: float | None = None
    count_from: int | None = None
    months_per_count: float = 0.0
    # the share of the way from the start to `to_months` that the measure's growth covers by `to`
    # ([growth] reach in the rules file, or a tier's own)
    reach: float = 1.0
    # the condition told in everyday words, each with the article item it is (持械: 第二百九十二条第一款第（四）项)
    told: tuple[TierWords, ...] = ()

    def told_in(self, fact: str) -> str:
        """The first of `told` the facts say without denying it, with its name and article ('' if none)."""
        found = self.told_way(fact)
        return f"{found[0].means}（{found[0].basis}）：“{found[1]}”" if found else ""

    def told_way(self, fact: str) -> tuple[TierWords, str] | None:
        """The first of `told` the facts say without denying it, and the words that say it."""
        from .quantities import negated

        for way in self.told:
            for m in re.finditer(way.words, fact or ""):
                # 没带棍子: a bare 没 before the verb denies it too
                if not negated(fact, m.start()) and not re.search(r"[没未无别]$", fact[: m.start()]):
                    return way, m.group(0)
        return None


@dataclass(frozen=True)
class OutsideRule:
    """Facts that take the act outside the crime (醉酒驾驶电动自行车: not a 机动车), with the reason and basis.

    The interpretations' rules ([[outside]] in interpretations.toml, see outside.py) also name their
    `charge` and may add conditions: `also` (more patterns the facts must tell), `unless` (a pattern that
    undoes it: 参与利润分成), `ages` ([from, below): the defendant's age at the act), `injury_below` (no
    injury of this grade or worse told) and `amount_below` (the amount told, if any, under this)."""

    words: str  # a regular expression
    reason: str
    basis: str
    charge: str = ""
    also: tuple[str, ...] = ()
    unless: str = ""
    ages: tuple[int, int] | None = None
    injury_below: str = ""
    amount_below: float | None = None


@dataclass(frozen=True)
class MinimumRule:
    measure: str  # a Quantities measure: bac, grams, amount_yuan
    value: float
    basis: str
    reason: str  # what facts below it are, in the law's words (饮酒驾驶, 道路交通安全法第九十一条)


@dataclass(frozen=True)
class ConsequenceRule:
    """What another law attaches to the crime besides the sentence (醉驾: 吊销机动车驾驶证，五年内不得重新取得), said
    after the term where the facts meet its condition: `words` told (a pattern; "" for any facts) and none of
    `unless`, and `measure` at least `at_least` where one is set."""

    basis: str  # the article and paragraph that says it (道路交通安全法第九十一条第二款)
    text: str  # that paragraph's words, verbatim: the citation check verifies them against the source
    words: str = ""
    unless: str = ""
    measure: str = ""
    at_least: float | None = None


@dataclass(frozen=True)
class CrimeRule:
    name: str
    basis: str
    articles: tuple[int, ...]
    tiers: tuple[TierRule, ...]
    article_suffix: int = 0
    thresholds: dict[str, float] = field(default_factory=dict)
    threshold_basis: str = ""
    threshold_measure: str = "amount_yuan"
    special: tuple[AdjustmentRule, ...] = ()
    probation: str = "ordinary"  # "ordinary" | "strict" (从严把握缓刑)
    detention_only: bool = False
    aliases: tuple[str, ...] = ()
    # the least injury the crime needs (故意伤害: 轻伤), with its basis; facts that state less are said
    # to fall short of the crime
    min_injury: str = ""
    min_injury_basis: str = ""
    min_injury_reason: str = (
        ""  # what the law says of less, where more than the injury decides (寻衅滋事's 情节恶劣)
    )
    # facts that meet the crime whatever the injury (寻衅滋事: 二人以上轻微伤, 多次, 持凶器 …), as patterns
    min_injury_unless: tuple[str, ...] = ()
    # the least figure of a measure the crime needs (危险驾驶: 醉酒 from 80 mg/100ml), its basis, and what facts below
    # it are instead; facts that state less are said to fall short of the crime
    minimum: MinimumRule | None = None
    consequences: tuple[ConsequenceRule, ...] = ()  # what other laws attach to a conviction, by its facts
    outside: tuple[OutsideRule, ...] = ()
    # ways of the crime the article names beside the amount (入户盗窃, 扒窃: 不论数额), with their basis
    without_amount: tuple[OutsideRule, ...] = ()
    # ways of the crime an interpretation gives thresholds of their own (恶意透支), tried in order
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True)
class Variant:
    """A way of a guideline crime whose thresholds an interpretation sets apart (恶意透支: 5万/50万/500万
    against 5千/5万/50万, 妨害信用卡解释第八条): where `words` occur in the facts (and `unless` does not),
    these thresholds and each tier's growth (`growth`: [from, to] per tier) replace the crime's.
    `remarks`: what the interpretation says of this way beside the figures (全部归还 → 可以不起诉)."""

    name: str
    words: str  # a regular expression
    thresholds: dict[str, float]
    threshold_basis: str
    growth: tuple[tuple[float, float], ...]
    unless: str = ""
    remarks: tuple[OutsideRule, ...] = ()

    def applied(self, crime: CrimeRule) -> CrimeRule:
        tiers = tuple(
            replace(t, grow_from=g[0], grow_to=g[1]) if t.measure == crime.threshold_measure else t
            for t, g in zip(crime.tiers, self.growth, strict=True)
        )
        return replace(crime, thresholds=self.thresholds, threshold_basis=self.threshold_basis, tiers=tiers)


# "amount": the crime amount; "loss": the economic loss (经济损失); "files": video files; "tax": the tax
# amount of the invoices (税款数额, not their face value); "items": pieces of personal information (条);
# "plants": plants or trees (株); "tons": tons of hazardous waste (吨); "times": how many times a pollutant
# exceeds its standard (倍)
MEASURES = ("amount", "loss", "files", "tax", "items", "plants", "tons", "times")


@dataclass(frozen=True)
class AmountTiers:
    """For a crime outside the guideline: the amount (元) at which each statutory tier begins."""

    name: str
    articles: tuple[int, ...]
    amounts: tuple[float, ...]
    basis: str
    measure: str = "amount"  # one of MEASURES
    # the charge the thresholds are of (default: the entry's name); several entries may share one
    charge: str = ""
    # the thresholds hold only where the facts say this (a regular expression): 非法经营 of 烟草 has the
    # 烟草解释's figures, 非法买卖外汇 others; an entry without `facts` serves where none of them matches
    facts: str = ""
    # what the figure is called where the measure is a sum (非法经营数额, 矿产品价值), for the trace
    figure: str = ""
    # the paragraph (款) of the article the interpretation's figures are of, where the article has several
    paragraph: int = 0
    # the days the interpretation is in force (ISO dates, `until` excluded), set where the corpus holds
    # both an interpretation and the one that replaced it (法释〔2000〕36号 until 法释〔2023〕8号 took
    # effect on 2023-08-15); an entry without them serves every day
    since: str = ""
    until: str = ""

    def in_force(self, day: str) -> bool:
        return (not self.since or self.since <= day) and (not self.until or day < self.until)


@dataclass(frozen=True)
class GuidelineRules:
    title: str
    doc_number: str
    adjustments: dict[str, AdjustmentRule]
    crimes: dict[str, CrimeRule]
    fallback: dict[str, Any]
    amount_tiers: dict[str, AmountTiers] = field(default_factory=dict)
    growth_reach: float = 1.0  # [growth] reach: also how far a crime outside the guideline grows by amount
    strict: StrictLeniency | None = None  # [strict_leniency]: reductions 从严掌握 for crimes of grave harm
    on: str = ""  # the day whose interpretations apply (ISO); "" is today

    def on_day(self, day: str | None) -> GuidelineRules:
        """These rules with the thresholds in force on `day` (a case judged then); None is today."""
        return replace(self, on=day or "")

    # [[outside]] of interpretations.toml: facts an interpretation takes outside a charge (outside.py)
    outside: tuple[OutsideRule, ...] = ()

    def outside_for(self, charge: str) -> list[OutsideRule]:
        """The interpretations' rules that take facts outside this charge."""
        key = _normalize(charge)
        return [r for r in self.outside if key and _normalize(r.charge) == key]

    def find_amount_tiers(
        self, charge: str, article: int | None = None, fact: str = ""
    ) -> AmountTiers | None:
        """Amount thresholds for a charge outside the guideline, by name, else by article: the entry
        whose `facts` the facts say, else the one that needs none."""
        key = _normalize(charge)
        day = self.on or date.today().isoformat()
        tiers = [t for t in self.amount_tiers.values() if t.in_force(day)]
        if key:
            found = [t for t in tiers if _normalize(t.charge or t.name) == key]
        else:
            found = [t for t in tiers if article in t.articles]
        told = [t for t in found if t.facts and re.search(t.facts, fact or "")]
        return next(iter(told), None) or next((t for t in found if not t.facts), None)

    def amount_tiers_for(self, charge: str, article: int | None = None, fact: str = "") -> list[AmountTiers]:
        """Every measure's entry for the charge: where an interpretation lists several situations each with
        its own figure (污染环境: 危险废物的吨数, 公私财产损失, 超标倍数), the facts may tell several, and the
        highest range any reaches applies. Per measure, the entry the facts tell, else the one that needs none."""
        key = _normalize(charge)
        day = self.on or date.today().isoformat()
        found = [
            t
            for t in self.amount_tiers.values()
            if t.in_force(day) and (_normalize(t.charge or t.name) == key if key else article in t.articles)
        ]
        out: list[AmountTiers] = []
        for measure in dict.fromkeys(t.measure for t in found):
            same = [t for t in found if t.measure == measure]
            told = [t for t in same if t.facts and re.search(t.facts, fact or "")]
            chosen = next(iter(told), None) or next((t for t in same if not t.facts), None)
            if chosen is not None:
                out.append(chosen)
        return out

    def several_measures(self, charge: str, article: int | None = None) -> bool:
        """Whether the charge's figures measure several things (污染环境): none of them alone is needed."""
        key = _normalize(charge)
        day = self.on or date.today().isoformat()
        found = {
            t.measure
            for t in self.amount_tiers.values()
            if t.in_force(day) and (_normalize(t.charge or t.name) == key if key else article in t.articles)
        }
        return len(found) > 1

    def find_crime(self, charge: str = "", article: int | None = None) -> CrimeRule | None:
        """The guideline crime for a charge name, else for an article number; None if not covered."""
        key = _normalize(charge)
        if key:
            for crime in self.crimes.values():
                if _normalize(crime.name) == key:
                    return crime
            for crime in self.crimes.values():  # the official long forms, listed in the file
                if key in {_normalize(a) for a in crime.aliases}:
                    return crime
            return None
        if article is not None:
            for crime in self.crimes.values():
                if article in crime.articles and not crime.article_suffix:
                    return crime
        return None


def _normalize(name: str) -> str:
    name = re.sub(r"[\[\]［］【】、，,\s]", "", name or "")
    return name[:-1] if name.endswith("罪") else name


def _adjustment(name: str, d: dict[str, Any]) -> AdjustmentRule:
    try:
        low, high = (
            sorted(d["range"], key=abs, reverse=True) if d["range"][0] * d["range"][1] >= 0 else d["range"]
        )
        return AdjustmentRule(
            name=name,
            basis=d["basis"],
            low=float(low),
            high=float(high),
            point=float(d["point"]),
            stage=d.get("stage", "general"),
            statutory_mitigation=bool(d.get("statutory_mitigation", False)),
            min_months=float(d.get("min_months", 0)),
            excluded_by=tuple(d.get("excluded_by", ())),
            overlaps=tuple(d.get("overlaps", ())),
            cap_alone=d.get("cap_alone"),
            cap_with_overlaps=d.get("cap_with_overlaps"),
        )
    except (KeyError, TypeError, IndexError) as e:
        raise RulesError(f"circumstance {name!r}: missing or malformed field {e}") from e


def _tier(crime: str, d: dict[str, Any], reach: float = 1.0) -> TierRule:
    try:
        return TierRule(
            when=d["when"],
            basis=d["basis"],
            start=(float(d["start"][0]), float(d["start"][1])),
            statutory=tuple(d["statutory"]) if "statutory" in d else None,
            words=tuple(d.get("words", ())),
            threshold=d.get("threshold"),
            min_count=d.get("min_count"),
            injury=d.get("injury"),
            words_need_injury=d.get("words_need_injury"),
            measure=d.get("measure"),
            grow_from=d.get("from"),
            grow_to=d.get("to"),
            to_months=d.get("to_months"),
            count_from=d.get("count_from"),
            months_per_count=float(d.get("months_per_count", 0)),
            reach=float(d.get("reach", reach)),
            told=tuple(_tier_words(crime, t) for t in d.get("told", ())),
        )
    except (KeyError, TypeError, IndexError) as e:
        raise RulesError(f"crime {crime!r}: tier missing or malformed field {e}") from e


def _tier_words(crime: str, d: dict[str, Any]) -> TierWords:
    try:
        way = TierWords(str(d["words"]), str(d["means"]), str(d["basis"]))
        re.compile(way.words)
    except (KeyError, TypeError, re.error) as e:
        raise RulesError(
            f"crime {crime!r}: a tier's told needs words (a pattern), means and basis: {e}"
        ) from e
    return way


def _crime(name: str, d: dict[str, Any], reach: float = 1.0) -> CrimeRule:
    if not d.get("tiers"):
        raise RulesError(f"crime {name!r}: no tiers")
    return CrimeRule(
        name=name,
        basis=d.get("basis", ""),
        articles=tuple(d.get("articles", ())),
        tiers=tuple(_tier(name, t, reach) for t in d["tiers"]),
        article_suffix=int(d.get("article_suffix", 0)),
        thresholds={k: float(v) for k, v in d.get("thresholds", {}).items()},
        threshold_basis=d.get("threshold_basis", ""),
        threshold_measure=d.get("threshold_measure", "amount_yuan"),
        special=tuple(_adjustment(s["name"], s) for s in d.get("special", ())),
        probation=d.get("probation", "ordinary"),
        detention_only=bool(d.get("detention_only", False)),
        aliases=tuple(d.get("aliases", ())),
        min_injury=d.get("min_injury", ""),
        min_injury_basis=d.get("min_injury_basis", ""),
        min_injury_reason=d.get("min_injury_reason", ""),
        min_injury_unless=tuple(_compiled(name, "min_injury_unless", d.get("min_injury_unless", ()))),
        minimum=_minimum(name, d["minimum"]) if "minimum" in d else None,
        outside=tuple(_outside(name, o) for o in d.get("outside", ())),
        consequences=tuple(_consequence(name, c) for c in d.get("consequences", ())),
        without_amount=tuple(_outside(name, o) for o in d.get("without_amount", ())),
        variants=tuple(_variant(name, v, len(d["tiers"])) for v in d.get("variants", ())),
    )


def _minimum(crime: str, d: dict[str, Any]) -> MinimumRule:
    try:
        return MinimumRule(str(d["measure"]), float(d["value"]), str(d["basis"]), str(d["reason"]))
    except (KeyError, TypeError, ValueError) as e:
        raise RulesError(f"crime {crime!r}: a minimum needs measure, value, basis and reason: {e}") from e


def _consequence(crime: str, d: dict[str, Any]) -> ConsequenceRule:
    try:
        rule = ConsequenceRule(
            basis=str(d["basis"]),
            text=str(d["text"]),
            words=str(d.get("words", "")),
            unless=str(d.get("unless", "")),
            measure=str(d.get("measure", "")),
            at_least=float(d["at_least"]) if "at_least" in d else None,
        )
        for pattern in (rule.words, rule.unless):
            re.compile(pattern)
    except (KeyError, TypeError, ValueError, re.error) as e:
        raise RulesError(
            f"crime {crime!r}: a consequence needs basis and text (and valid patterns): {e}"
        ) from e
    if not rule.basis or not rule.text or (rule.at_least is not None) != bool(rule.measure):
        raise RulesError(
            f"crime {crime!r}: a consequence needs basis and text, and at_least with its measure"
        )
    return rule


def _variant(crime: str, d: dict[str, Any], n_tiers: int) -> Variant:
    try:
        variant = Variant(
            name=str(d["name"]),
            words=str(d["words"]),
            unless=str(d.get("unless", "")),
            thresholds={k: float(v) for k, v in d["thresholds"].items()},
            threshold_basis=str(d["threshold_basis"]),
            growth=tuple((float(a), float(b)) for a, b in d["growth"]),
            remarks=tuple(_outside(crime, r) for r in d.get("remarks", ())),
        )
        re.compile(variant.words)
        re.compile(variant.unless)
    except (KeyError, TypeError, ValueError, re.error) as e:
        raise RulesError(
            f"crime {crime!r}: variant needs name, words, thresholds, threshold_basis, growth: {e}"
        ) from e
    if len(variant.growth) != n_tiers:
        raise RulesError(f"crime {crime!r}: variant {variant.name!r} needs one growth [from, to] per tier")
    return variant


def _outside(crime: str, d: dict[str, Any], interpreted: bool = False) -> OutsideRule:
    try:
        ages = d.get("ages")
        rule = OutsideRule(
            str(d["words"]),
            str(d["reason"]),
            str(d["basis"]),
            charge=str(d.get("charge", "")),
            also=tuple(str(a) for a in d.get("also", ())),
            unless=str(d.get("unless", "")),
            ages=(int(ages[0]), int(ages[1])) if ages else None,
            injury_below=str(d.get("injury_below", "")),
            amount_below=float(d["amount_below"]) if "amount_below" in d else None,
        )
        for pattern in (rule.words, rule.unless, *rule.also):
            re.compile(pattern)
        if interpreted and not rule.charge:
            raise KeyError("charge")
        if rule.injury_below and rule.injury_below not in ("轻微伤", "轻伤", "重伤", "死亡"):
            raise ValueError(f"injury_below {rule.injury_below!r}")
    except (KeyError, TypeError, ValueError, IndexError, re.error) as e:
        raise RulesError(f"crime {crime!r}: outside needs words (a pattern), reason and basis: {e}") from e
    return rule


def read_rules_file(path: Path) -> dict[str, Any]:
    """A bundled rules file as a dict; a missing or malformed file is a RulesError naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RulesError(f"sentencing rules file not found: {path}") from e
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"sentencing rules file {path} is not valid TOML: {e}") from e


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None, interpretations: Path | None = None) -> GuidelineRules:
    """Parse the rules file (default: the bundled guideline_2021.toml) and the interpretations'
    amount thresholds (interpretations.toml; a rules file may also carry its own amount_tiers)."""
    data = read_rules_file(path or DEFAULT_RULES)
    interpreted = read_rules_file(interpretations or DEFAULT_INTERPRETATIONS)
    tiers = {**interpreted.get("amount_tiers", {})}
    tiers.update(data.get("amount_tiers", {}))
    meta = data.get("meta", {})
    reach = float(data.get("growth", {}).get("reach", 1.0))
    if not 0 < reach <= 1:
        raise RulesError(f"[growth] reach must be in (0, 1], not {reach}")
    return GuidelineRules(
        title=meta.get("title", ""),
        doc_number=meta.get("doc_number", ""),
        adjustments={k: _adjustment(k, v) for k, v in data.get("circumstances", {}).items()},
        crimes={k: _crime(k, v, reach) for k, v in data.get("crimes", {}).items()},
        growth_reach=reach,
        strict=_strict(data.get("strict_leniency")),
        fallback=data.get("fallback", {}),
        amount_tiers={k: _amount_tiers(k, v) for k, v in tiers.items()},
        outside=tuple(
            _outside(str(o.get("charge", "")), o, interpreted=True) for o in interpreted.get("outside", ())
        ),
    )


def _strict(d: dict[str, Any] | None) -> StrictLeniency | None:
    if not d:
        return None
    share = float(d.get("share", 1.0))
    if not 0 < share <= 1:
        raise RulesError(f"[strict_leniency] share must be in (0, 1], not {share}")
    charges = frozenset(_normalize(c) for c in d.get("charges", ()))
    if not charges or not str(d.get("basis", "")).strip():
        raise RulesError("[strict_leniency] needs charges and a basis")
    return StrictLeniency(str(d["basis"]).strip(), share, charges)


def _amount_tiers(name: str, d: dict[str, Any]) -> AmountTiers:
    amounts = tuple(float(a) for a in d.get("amounts", ()))
    if not amounts or list(amounts) != sorted(amounts):
        raise RulesError(f"amount_tiers {name!r}: amounts must be a non-empty rising list")
    measure = d.get("measure", "amount")
    if measure not in MEASURES:
        raise RulesError(f"amount_tiers {name!r}: measure must be one of {MEASURES}, not {measure!r}")
    facts = str(d.get("facts", ""))
    try:
        re.compile(facts)
    except re.error as e:
        raise RulesError(f"amount_tiers {name!r}: facts is not a regular expression: {e}") from e
    return AmountTiers(
        name,
        tuple(d.get("articles", ())),
        amounts,
        d.get("basis", ""),
        measure,
        str(d.get("charge", "")),
        facts,
        str(d.get("figure", "")),
        int(d.get("paragraph", 0)),
        _day(name, d, "since"),
        _day(name, d, "until"),
    )


def _day(name: str, d: dict[str, Any], key: str) -> str:
    value = str(d.get(key, ""))
    if value:
        try:
            date.fromisoformat(value)
        except ValueError as e:
            raise RulesError(f"amount_tiers {name!r}: {key} must be an ISO date, not {value!r}") from e
    return value
