"""The general part of the Criminal Law (criminal_law.toml) and the interpretations' fine amounts
(interpretations.toml), loaded into typed rules. Nothing here knows a particular crime."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .rules import RulesError, read_rules_file

GENERAL_PART = Path(__file__).with_name("criminal_law.toml")
INTERPRETATIONS = Path(__file__).with_name("interpretations.toml")


@dataclass(frozen=True)
class Kind:
    """A punishment kind: its bounds in months (one sentence, and under 数罪并罚) and its article."""

    name: str
    article: str
    min: float | None = None
    max: float | None = None
    combined_max: float | None = None
    combined_max_long: float | None = None
    combined_long_from: float | None = None


@dataclass(frozen=True)
class Recidivism:
    article: str
    years: int
    negligent_charges: tuple[str, ...]
    special_article: str
    special_articles: tuple[int, ...]
    prior_kinds: tuple[str, ...] = ("有期徒刑", "无期徒刑", "死刑")  # 被判处有期徒刑以上刑罚
    new_kind: str = "有期徒刑"  # 再犯应当判处有期徒刑以上刑罚之罪: the lightest sentence a 累犯 can get


@dataclass(frozen=True)
class Probation:
    article: str
    max_months: float
    conditions: str
    mandatory_for: tuple[str, ...]
    barred_by: tuple[str, ...]
    bar_article: str
    remorse: tuple[str, ...]
    no_remorse: tuple[str, ...]


@dataclass(frozen=True)
class FineRange:
    """The fine an interpretation sets for one statutory range (or for all)."""

    min: float | None = None
    max: float | None = None
    times_amount: float | None = None
    max_without_amount: float | None = None


@dataclass(frozen=True)
class FineRule:
    name: str
    basis: str
    default: FineRange
    by_range: tuple[FineRange, ...] = ()
    articles: tuple[int, ...] = ()
    # the amount in the interpretation's words where it is not a figure (违法所得的一倍以上五倍以下)
    stated: str = ""

    def for_range(self, index: int) -> FineRange:
        if self.by_range:
            return self.by_range[min(index, len(self.by_range) - 1)]
        return self.default


@dataclass(frozen=True)
class LeastInjury:
    """The least injury for which a person of an age band answers for a charge; `or_injury` does where the facts tell
    one of `or_with` (特别残忍)."""

    charge: str
    injury: str
    or_injury: str = ""
    or_with: tuple[str, ...] = ()
    harm: str = ""  # the law's words for it (致人重伤或者死亡)


@dataclass(frozen=True)
class AgeRule:
    """刑法第十七条: the crimes a person under sixteen answers for, and the mitigation for all minors."""

    article: str
    liable_from_14: tuple[str, ...]
    liable_from_12: tuple[str, ...]
    mitigation: str
    mitigation_article: str
    elderly: str = ""  # 刑法第十七条之一: 已满七十五周岁的人故意犯罪的 …
    elderly_article: str = ""
    # the least harm for which a charge of the list is answered for in each band (第二款: 故意伤害致人重伤或者死亡;
    # 第三款: 致人死亡或者以特别残忍手段致人重伤造成严重残疾)
    injury_from_14: tuple[LeastInjury, ...] = ()
    injury_from_12: tuple[LeastInjury, ...] = ()


@dataclass(frozen=True)
class LenientRule:
    """A paragraph of a charge's own article that lowers the penalty for what the offender does before 公诉 (criminal_law.toml
    [[lenient]]): said in the conclusion where the facts or the ask tell it (`words`, with each of `also`)."""

    charge: str
    basis: str
    text: str
    words: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class UndetectedRule:
    """刑法第七十条 (criminal_law.toml [undetected]): a crime from before a judgment found while its sentence is served,
    said in the conclusion where the facts tell it (one of `told`, with each of `serving`)."""

    article: str
    ruling: str
    told: tuple[str, ...]
    serving: tuple[str, ...]
    served: tuple[str, ...] = ()

    def found(self, facts: str) -> str:
        """The words that tell it, or "" where the facts do not."""
        if not all(re.search(w, facts) for w in self.serving) or any(
            re.search(w, facts) for w in self.served
        ):
            return ""
        return next((m.group(0) for w in self.told if (m := re.search(w, facts))), "")


@dataclass(frozen=True)
class WithoutTerm:
    """A sentence without a term (单处罚金, 免予刑事处罚) and the conditions the law sets for it
    (criminal_law.toml [[without_term]], where each field is described)."""

    name: str
    outcome: str  # 单处罚金 | 免予刑事处罚
    basis: str
    reason: str
    grounds: tuple[str, ...]  # any one of these circumstances
    requires_any: tuple[str, ...] = ()  # and one of these, where given
    remorse: tuple[str, ...] = ()  # and one of these, where given
    barred_by: tuple[str, ...] = ()
    articles: tuple[int, int] | None = None
    fine_alternative: bool = False
    lowest_range: bool = False
    range_max: float | None = None
    term_max: float | None = None
    below_entry_times: float | None = None
    first_offence_when_silent: bool = False
    no_harm: bool = False


def _without_term(d: dict[str, Any]) -> WithoutTerm:
    tuples = ("grounds", "requires_any", "remorse", "barred_by")
    fields: dict[str, Any] = {k: (tuple(v) if k in tuples else v) for k, v in d.items()}
    if "articles" in fields:
        first, last = fields["articles"]
        fields["articles"] = (int(first), int(last))
    return WithoutTerm(**fields)


@dataclass(frozen=True)
class GeneralPart:
    title: str
    as_of: str
    kinds: dict[str, Kind]
    combination_article: str
    share_of_others: float
    recidivism: Recidivism
    probation: Probation
    fines: dict[str, FineRule] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)  # 法释〔2013〕8号 → its title
    # circumstance → (its article, the law's words that define it): 累犯 → (第六十五条, 被判处有期徒刑以上…)
    definitions: dict[str, tuple[str, str]] = field(default_factory=dict)
    # what the law says of a circumstance the facts alone cannot settle (正当防卫: the court's, from the whole case)
    rulings: dict[str, str] = field(default_factory=dict)
    age: AgeRule | None = None  # 刑法第十七条
    without_term: tuple[WithoutTerm, ...] = ()  # 单处罚金, 免予刑事处罚 and their conditions
    lenient: tuple[LenientRule, ...] = ()  # 在提起公诉前…退还/支付…的，可以减轻或者免除处罚
    undetected: UndetectedRule | None = None  # 刑法第七十条: 漏罪 found while the sentence is served
    defence: DefenceRule | None = None  # 刑法第二十条: an attack in progress told, and the act against it
    # 刑法第七十七条第一款: a new crime within the 缓刑考验期 revokes the 缓刑; (article, its words, the told signs)
    probation_revoked: tuple[str, str, tuple[str, ...]] = ("", "", ())
    unserved_article: str = "第七十一条"  # a new crime while serving a sentence
    unserved_words: tuple[str, ...] = ()  # the words that tell it

    def titled(self, text: str) -> str:
        """法释〔2013〕8号第一条 → 《title》（法释〔2013〕8号）第一条, for the documents it knows."""
        return re.sub(
            r"(?<!（)(法释〔\d{4}〕\d+号)(?=第)",
            lambda m: (
                f"《{self.documents[m.group(1)]}》（{m.group(1)}）"
                if m.group(1) in self.documents
                else m.group(1)
            ),
            text,
        )

    def fine_rule(self, charge: str, article: int | None) -> FineRule | None:
        """The interpretation's fine amounts for a charge (by name, else by article)."""
        if charge in self.fines:
            return self.fines[charge]
        return next((f for f in self.fines.values() if article is not None and article in f.articles), None)

    def negligent(self, charge: str, paragraph: str) -> bool:
        """过失犯罪 (刑法第十五条): the paragraph says 过失, or the charge is a crime of negligence."""
        return "过失" in charge or "过失" in paragraph or charge in self.recidivism.negligent_charges


def _range(d: dict[str, Any]) -> FineRange:
    return FineRange(
        min=d.get("min"),
        max=d.get("max"),
        times_amount=d.get("times_amount"),
        max_without_amount=d.get("max_without_amount"),
    )


def _lenient(row: dict[str, Any]) -> LenientRule:
    rule = LenientRule(
        str(row["charge"]),
        str(row["basis"]),
        str(row["text"]),
        str(row["words"]),
        tuple(map(str, row.get("also", ()))),
    )
    for pattern in (rule.words, *rule.also):
        re.compile(pattern)
    return rule


@dataclass(frozen=True)
class DefenceRule:
    """刑法第二十条 (criminal_law.toml [defence]): the facts tell an unlawful attack in progress on the asker's side
    (one of `attack`: 拿刀逼着要钱, 撬门闯进来) and that side's act against the attacker (one of `counter`: 把刀抢过来
    捅了他); a question whether that act is a crime asks first about 正当防卫, whatever crime the attack itself
    names (抢劫 is the attacker's)."""

    article: str
    attack: tuple[str, ...]
    counter: tuple[str, ...]

    def found(self, facts: str) -> str:
        """The words of the attack, or "" where the facts do not tell both the attack and the counter-act."""
        attack = next((m.group(0) for w in self.attack if (m := re.search(w, facts))), "")
        return attack if attack and any(re.search(w, facts) for w in self.counter) else ""


def _defence(row: dict[str, Any]) -> DefenceRule:
    rule = DefenceRule(str(row["article"]), tuple(map(str, row["attack"])), tuple(map(str, row["counter"])))
    for pattern in (*rule.attack, *rule.counter):
        re.compile(pattern)
    return rule


def _undetected(row: dict[str, Any]) -> UndetectedRule:
    rule = UndetectedRule(
        str(row["article"]),
        str(row["ruling"]),
        tuple(map(str, row["told"])),
        tuple(map(str, row.get("serving", ()))),
        tuple(map(str, row.get("served", ()))),
    )
    for pattern in (*rule.told, *rule.serving, *rule.served):
        re.compile(pattern)
    return rule


def _least_injury(rows: list[dict[str, Any]]) -> tuple[LeastInjury, ...]:
    return tuple(
        LeastInjury(
            str(r["charge"]),
            str(r["injury"]),
            str(r.get("or_injury", "")),
            tuple(map(str, r.get("or_with", ()))),
            str(r.get("harm", "")),
        )
        for r in rows
    )


@lru_cache(maxsize=4)
def load_general_part(path: Path | None = None, interpretations: Path | None = None) -> GeneralPart:
    """Parse criminal_law.toml (and the fine amounts of interpretations.toml)."""
    d = read_rules_file(path or GENERAL_PART)
    interp = read_rules_file(interpretations or INTERPRETATIONS)
    fines = interp.get("fines", {})
    try:
        kinds = {k: Kind(name=k, **v) for k, v in d["kinds"].items()}
        rec, spec, prob = d["recidivism"], d["special_recidivism"], d["probation"]
        return GeneralPart(
            title=d.get("meta", {}).get("title", ""),
            as_of=d.get("meta", {}).get("as_of", ""),
            kinds=kinds,
            combination_article=d["combination"]["article"],
            share_of_others=float(d["combination"]["share_of_others"]),
            recidivism=Recidivism(
                rec["article"],
                int(rec["years"]),
                tuple(rec["negligent_charges"]),
                spec["article"],
                tuple(spec["articles"]),
                tuple(rec["prior_kinds"]),
                str(rec.get("new_kind", "有期徒刑")),
            ),
            probation=Probation(
                prob["article"],
                float(prob["max_months"]),
                prob["conditions"],
                tuple(prob["mandatory_for"]),
                tuple(prob["barred_by"]),
                prob["bar_article"],
                tuple(prob["remorse"]),
                tuple(prob["no_remorse"]),
            ),
            definitions={k: (v["article"], v["text"]) for k, v in d.get("definitions", {}).items()},
            rulings={k: str(v["ruling"]) for k, v in d.get("definitions", {}).items() if v.get("ruling")},
            fines={
                name: FineRule(
                    name,
                    f["basis"],
                    _range(f),
                    tuple(_range(r) for r in f.get("by_range", ())),
                    tuple(f.get("articles", ())),
                    str(f.get("stated", "")),
                )
                for name, f in fines.items()
            },
            documents=dict(interp.get("documents", {})),
            age=AgeRule(
                d["age"]["article"],
                tuple(d["age"]["liable_from_14"]),
                tuple(d["age"]["liable_from_12"]),
                d["age"]["mitigation"],
                d["age"]["mitigation_article"],
                str(d["age"].get("elderly", "")),
                str(d["age"].get("elderly_article", "")),
                _least_injury(d["age"].get("injury_from_14", [])),
                _least_injury(d["age"].get("injury_from_12", [])),
            )
            if "age" in d
            else None,
            without_term=tuple(_without_term(r) for r in d.get("without_term", ())),
            lenient=tuple(_lenient(r) for r in d.get("lenient", ())),
            undetected=_undetected(d["undetected"]) if "undetected" in d else None,
            defence=_defence(d["defence"]) if "defence" in d else None,
            probation_revoked=(
                str(d.get("probation_revoked", {}).get("article", "")),
                str(d.get("probation_revoked", {}).get("text", "")),
                tuple(d.get("probation_revoked", {}).get("during", ())),
            ),
            unserved_article=d.get("unserved", {}).get("article", "第七十一条"),
            unserved_words=tuple(d.get("unserved", {}).get("serving", ())),
        )
    except (
        KeyError,
        TypeError,
        ValueError,
        re.error,
    ) as e:  # re.error: a [[lenient]], [undetected] or [defence] pattern that does not compile
        raise RulesError(f"criminal law rules: missing or malformed field {e}") from e


@lru_cache(maxsize=1)
def applied_articles(path: Path | None = None) -> frozenset[int]:
    """The numbers of the 刑法 articles the general part's rules apply: every article their `article` fields
    (article, bar_article) name, and those a `basis` cites as 刑法's (第七十二条 for 缓刑, 第六十七条 for 自首,
    第五十二条 for the fine). An ask one of them answers (能判缓刑吗) is answered by the sentence itself; another
    总则 article (第七十七条, 撤销缓刑) is not."""
    from corpora.numerals import cn_to_int

    found: set[int] = set()
    number = re.compile(r"第([零一二三四五六七八九十百千]+)条")

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, value in node.items():
                walk(value, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str):
            if "article" in key:
                found.update(cn_to_int(n) for n in number.findall(node))
            for cited in re.findall(
                r"(?<![》）])刑法((?:第[零一二三四五六七八九十百千]+条(?:第[一二三四五六七八九十]+款)?、?)+)",
                node,
            ):
                found.update(cn_to_int(n) for n in number.findall(cited))

    rules = dict(read_rules_file(path or GENERAL_PART))
    # 第七十七条 is applied only to a case the client tells with its earlier 缓刑 (engine.revoke_probation); asked
    # about on its own (「…缓刑会被撤销吗？」) it is a consultation of its article, as before
    rules.pop("probation_revoked", None)
    walk(rules)
    return frozenset(found)
