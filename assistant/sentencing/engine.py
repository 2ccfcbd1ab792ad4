"""The guideline's steps: 量刑起点 → 基准刑 → adjustments (同向相加、逆向相减) → 宣告刑.

Plain inputs only (facts, charge names, article numbers, article texts, CaseRecords), so the engine
works without the index. Every step names its basis: a guideline paragraph, an article, or a
circumstance with the words of the facts it came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from corpora.citations import referred_articles
from corpora.records import CaseRecord

from .circumstances import Circumstance, Quantities, extract_quantities, find_circumstances
from .conditions import PriorRecord, apply_prior_record, declare, finish, gate_recidivism
from .exemption import without_term
from .fallback import blend_similar, fallback_start, shrink_to_population
from .ladder import figure_enters, figure_ladder
from .law import GeneralPart, load_general_part
from .measures import told
from .outside import lenient_paragraphs, short_of_crime
from .outside import told as told_unless_denied
from .quantities import negated, said
from .ranges import StatutoryTier, article_paragraph, parse_article_tiers, split_paragraphs
from .rules import (
    AdjustmentRule,
    CrimeRule,
    GuidelineRules,
    OutsideRule,
    StrictLeniency,
    TierRule,
    Variant,
    load_rules,
)
from .similar import SimilarSummary, summarize_similar
from .trace import (
    CONSEQUENCE,
    INTERPRETATION_NOTE,
    SHORT_OF_CRIME,
    THRESHOLD,
    TOLD_TIER,
    WITHOUT_AMOUNT,
    ChargeEstimate,
    SentenceEstimate,
    Step,
)
from .unserved import with_unserved

_INJURY_RANK = {"轻微伤": 0, "轻伤": 1, "重伤": 2, "死亡": 3}
_SPECIAL_WORDS = {
    "毒品再犯": ("毒品再犯", "毒品犯罪再犯"),
    "受雇运输毒品": ("受雇",),
    "殴打侮辱": ("殴打", "侮辱"),
}
_MEASURE_WORDS = {
    "amount_yuan": "数额",
    "count": "次数",
    "victims": "被害人数",
    "persons": "人数",
    "grams": "毒品数量",
    "bac": "血液酒精含量",
}
_MEASURE_UNITS = {
    "amount_yuan": "元",
    "count": "次",
    "victims": "人",
    "persons": "人",
    "grams": "克",
    "bac": "mg/100ml",
}


def estimate_sentence(
    fact: str,
    charges: Sequence[str],
    articles: Sequence[int],
    article_texts: dict[int | str, str] | None = None,
    similar_cases: Sequence[CaseRecord] | None = None,
    rules: GuidelineRules | None = None,
    *,
    prior_record: PriorRecord | None = None,
    law: GeneralPart | None = None,
    facts_by_charge: Mapping[str, str] | None = None,
) -> SentenceEstimate:
    """Estimate the sentence for `fact` under each charge, then combine (数罪并罚).

    `article_texts`: 刑法 article number → text; a suffixed article may be given as "133之一".
    `prior_record`: the defendant's earlier sentence told as facts (kind, release date …); it decides
    累犯 (刑法第六十五条) instead of the words of `fact`.
    `facts_by_charge`: for several crimes, the words that tell each (its amount, its tier words); the
    circumstances (自首, 累犯 …) are the whole case's."""
    rules = rules or load_rules()
    law = law or load_general_part()
    circumstances = apply_prior_record(find_circumstances(fact), prior_record, fact, law)
    quantities = extract_quantities(fact)
    similar = summarize_similar(similar_cases, fact, charges=list(charges)) if similar_cases else None
    texts = {str(k): v for k, v in (article_texts or {}).items()}
    names = list(charges) or [""]
    told = dict(facts_by_charge or {}) if len(names) > 1 else {}
    per_charge = [
        _estimate_one(
            rules,
            law,
            told.get(name, fact),
            name,
            _own_first(list(articles), name, texts) if len(names) > 1 else list(articles),
            texts,
            circumstances,
            extract_quantities(told[name]) if name in told else quantities,
            similar if len(names) == 1 else None,
            prior_record,
            several=len(names) > 1,
        )
        for name in names
    ]
    est = SentenceEstimate.combine(per_charge, circumstances, quantities, similar, law)
    with_unserved(est, fact, law)  # 刑法第七十一条: a new crime while serving a sentence
    revoke_probation(est, fact, prior_record, law)  # 刑法第七十七条第一款: a new crime within the 考验期
    return est


def revoke_probation(est: SentenceEstimate, fact: str, prior: PriorRecord | None, law: GeneralPart) -> None:
    """An earlier 缓刑 told with the new crime inside its 考验期 (还在社区矫正, 缓刑期间又…): 刑法第七十七条第一款 revokes
    it, and the earlier term is combined with this one under 第六十九条; said in the conclusion, with the earlier
    term where the client told it."""
    article, text, during = law.probation_revoked
    if prior is None or prior.kind != "缓刑" or not article or not any(re.search(w, fact) for w in during):
        return
    earlier = f"（前罪所判{prior.term}）" if prior.term else ""
    est.revoked = f"在缓刑考验期限内又犯新罪，应当撤销缓刑{earlier}，前罪和本罪的刑罚依照第六十九条数罪并罚，决定执行的刑罚（刑法{article}）"


def _own_first(articles: list[int], charge: str, texts: dict[str, str]) -> list[int]:
    """Of several crimes' articles, the one whose text shares most of this charge's name first: each crime is
    estimated under its own article (徇私舞弊不移交刑事案件 had been labelled and ranged as 第二百二十四条, the first
    crime's, in a three-crime answer: a lawyer's review, stop 25)."""
    if not charge:
        return articles

    # an article and its 之一, 之二 … (帮信 is 第二百八十七条之二, keyed "287之二"): its own text is among them
    def own_text(a: int) -> str:
        return max(
            (t for k, t in texts.items() if _number(k) == a),
            key=lambda t: _name_overlap(charge, t),
            default="",
        )

    return sorted(articles, key=lambda a: -_name_overlap(charge, own_text(a)))


def _estimate_one(
    rules: GuidelineRules,
    law: GeneralPart,
    fact: str,
    charge: str,
    articles: list[int],
    texts: dict[str, str],
    circumstances: list[Circumstance],
    quantities: Quantities,
    similar: SimilarSummary | None,
    prior: PriorRecord | None = None,
    several: bool = False,
) -> ChargeEstimate:
    crime = rules.find_crime(charge) if charge else None
    if crime is None and not charge:
        crime = next((c for a in articles if (c := rules.find_crime(article=a))), None)
    variant = _variant(crime, fact)
    if crime is not None and variant is not None:  # 恶意透支: the interpretation's own thresholds
        crime = variant.applied(crime)
    article, paragraph = _paragraph_for(crime, articles, texts, fact, charge)
    if crime is None:
        paragraph = _paragraph_of_thresholds(rules, charge, article, texts, fact) or paragraph
    suffix = crime.article_suffix if crime else _SUFFIX.get(_key_suffix(texts, article, paragraph), 0)
    tiers = parse_article_tiers(paragraph) if paragraph else []
    if crime is not None:
        # a guideline crime's tier may sit in another paragraph of its article (第三百四十七条: 五十克
        # 以上 in 第二款, 十克以上不满五十克 in 第三款): the chosen paragraph's ranges first, then the rest
        own = texts.get(_text_key(crime), "")
        tiers += [t for p in split_paragraphs(own) if p != paragraph for t in parse_article_tiers(p)]
    out = ChargeEstimate(
        charge=charge or (crime.name if crime else ""),
        article=article,
        covered=crime is not None,
        article_suffix=suffix,
        paragraph=paragraph,
    )
    if crime is not None:
        _guideline_start(out, crime, fact, quantities, tiers)
    elif tiers:
        fallback_start(out, rules, fact, charge, tiers, quantities)
    short_of_crime(out, rules, law, fact, quantities)  # 不认为是犯罪, 刑事责任年龄 (outside.py)
    lenient_paragraphs(out, law, fact)  # 在提起公诉前…支付/退还…的，可以减轻或者免除处罚 (outside.py)
    for remark in variant.remarks if variant is not None else ():
        if _said_pattern(fact, remark.words):
            out.steps.append(Step(INTERPRETATION_NOTE, None, remark.basis, remark.reason))
    out.missing = _missing_measure(rules, crime, charge, out.article, quantities, fact)
    if crime is not None and not figure_enters(crime, out.tiers):
        out.missing = ""  # 抢劫's 数额巨大 only raises the range: the crime stands without the amount
    way = _without_amount(crime, fact) if out.missing else None
    if way is not None:  # 入户盗窃, 扒窃: the article makes it a crime whatever the amount
        out.missing = ""
        out.steps.append(Step(WITHOUT_AMOUNT, None, way.basis, way.reason))
    if out.missing:  # the answer gives the ranges with their figures, not a term (trace.conclusion)
        out.ladder = figure_ladder(out, rules, crime, fact)
    kept = circumstances
    if out.base is not None:
        kept = gate_recidivism(out, law, crime, circumstances, prior)
        _adjust(out, rules, crime, fact, kept)
        declare(out, law, crime, kept, quantities)
    if not out.covered and similar is not None:
        blend_similar(out, rules, law, similar)
    elif not out.covered and out.point is not None:
        shrink_to_population(out, rules, law)
    without_term(out, law, rules, crime, kept, quantities, fact, several)  # 单处罚金, 免予刑事处罚
    finish(out, law, crime, kept, quantities)
    _consequences(out, crime, fact, quantities)
    if out.point is None and not out.kind:
        out.steps.append(Step("无法估计", None, "", "没有可用的法定刑幅度，也没有同罪名的相似案例"))
    return out


def _consequences(out: ChargeEstimate, crime: CrimeRule | None, fact: str, q: Quantities) -> None:
    """What other laws attach to the crime the facts make out (rules.ConsequenceRule), after the sentence; none
    where the facts fall short of the crime."""
    if crime is None or out.point is None or any(s.name == SHORT_OF_CRIME for s in out.steps):
        return
    for rule in crime.consequences:
        if rule.words and not _said_pattern(fact, rule.words):
            continue
        if rule.unless and _said_pattern(fact, rule.unless):
            continue
        if rule.at_least is not None and ((value := q.value(rule.measure)) is None or value < rule.at_least):
            continue
        out.steps.append(Step(CONSEQUENCE, None, rule.basis, rule.text))


def _paragraph_of_thresholds(
    rules: GuidelineRules, charge: str, article: int | None, texts: dict[str, str], fact: str
) -> str:
    """The paragraph whose 情节严重 the interpretation defines (采矿解释第三条: 刑法第三百四十三条第一款,
    not 第二款's 破坏性采矿), where the charge's name does not tell the paragraphs apart."""
    amounts = rules.find_amount_tiers(charge, article, fact)
    if amounts is None or not amounts.paragraph or article not in amounts.articles:
        return ""
    paras = [p for p in split_paragraphs(texts.get(str(article), "")) if parse_article_tiers(p)]
    return paras[amounts.paragraph - 1] if len(paras) >= amounts.paragraph else ""


def _variant(crime: CrimeRule | None, fact: str) -> Variant | None:
    """The way of the crime the facts tell whose thresholds an interpretation sets apart (恶意透支)."""
    for v in crime.variants if crime is not None else ():
        if _said_pattern(fact, v.words) and not (v.unless and re.search(v.unless, fact)):
            return v
    return None


def _said_pattern(fact: str, pattern: str) -> bool:
    """The facts say the pattern somewhere without denying it (没有归还 is no 归还)."""
    return any(not negated(fact, m.start()) for m in re.finditer(pattern, fact))


def _without_amount(crime: CrimeRule | None, fact: str) -> OutsideRule | None:
    """The way of the crime the facts tell that the article punishes whatever the amount."""
    for rule in crime.without_amount if crime is not None else ():
        if any(not negated(fact, m.start()) for m in re.finditer(rule.words, fact)):
            return rule
    return None


def _missing_measure(
    rules: GuidelineRules,
    crime: CrimeRule | None,
    charge: str,
    article: int | None,
    q: Quantities,
    fact: str = "",
) -> str:
    """The measure the charge's ranges depend on that the facts do not give ('' when none is missing)."""
    if crime is not None and crime.thresholds and q.value(crime.threshold_measure) is None:
        return _MEASURE_WORDS.get(crime.threshold_measure, "数额")
    amounts = rules.find_amount_tiers(charge, article, fact) if crime is None else None
    if (
        amounts is None
        or told(amounts.measure, fact, q) is not None
        or rules.several_measures(charge, article)
    ):
        return ""  # 污染环境: each figure is one situation among several; none of them alone is needed
    if amounts.measure == "tax" and q.amount_yuan is not None:
        return ""  # one sum told for the invoices is read as their tax (see fallback_start)
    return _TOLD_WORDS.get(amounts.measure, "数额")


_TOLD_WORDS = {"loss": "经济损失数额", "files": "视频文件数量", "tax": "税款数额", "items": "信息条数"}


def _text_key(crime: CrimeRule) -> str:
    if crime.article_suffix:
        return f"{crime.articles[0]}之{_CN_SUFFIX[crime.article_suffix]}"
    return str(crime.articles[0])


def _paragraph_for(
    crime: CrimeRule | None, articles: list[int], texts: dict[str, str], fact: str, charge: str
) -> tuple[int | None, str]:
    """The article that carries the charge's penalties and the paragraph of it the charge names.

    A guideline crime's own article; otherwise the first 分则 article given whose text has a penalty,
    following 依照本法第X条的规定处罚 (受贿, 386 → 383)."""
    if crime is not None:
        key = f"{crime.articles[0]}之{_CN_SUFFIX[crime.article_suffix]}" if crime.article_suffix else None
        text = texts.get(key or str(crime.articles[0]), "")
        return crime.articles[0], article_paragraph(text, fact, charge) if text else ""
    special = [a for a in articles if a >= 102] or list(articles)
    for number in special:
        # the article and its 之一, 之二 … (利用影响力受贿 is 第三百八十八条之一): the one the charge names
        keys = [str(number)] + [k for k in texts if k.startswith(f"{number}之")]
        found = [(k, texts[k]) for k in keys if k in texts and parse_article_tiers(texts[k])]
        if len(found) > 1 and charge:
            found.sort(key=lambda kt: -_name_overlap(charge, kt[1]))
        if found:
            return _number(found[0][0]), article_paragraph(found[0][1], fact, charge)
        # a defining article without a penalty (第三百八十五条 是受贿罪) is punished where it or the
        # article after it says 依照本法第X条的规定处罚 (第三百八十六条 → 第三百八十三条)
        nxt = texts.get(str(number + 1), "")
        if parse_article_tiers(nxt) and not _penalty_of(nxt):
            return number + 1, article_paragraph(nxt, fact, charge)
        for own in (texts.get(str(number), ""), nxt):
            target = next(iter(_penalty_of(own)), None)
            if target and parse_article_tiers(texts.get(str(target), "")):
                return target, article_paragraph(texts[str(target)], fact, charge)
    if charge and (named := _named_article(texts, charge)):
        # the articles given carry no penalty (a unit-crime article, a mislabel): the article whose
        # words make up the charge's name (持有伪造的发票 ← 明知是伪造的发票而持有)
        return _number(named), article_paragraph(texts[named], fact, charge)
    return (special[0] if special else None), ""


def _named_article(texts: dict[str, str], charge: str) -> str | None:
    scored = [(_name_overlap(charge, t), k) for k, t in texts.items() if _number(k) >= 102]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= 0.8 and parse_article_tiers(texts[best[1]]) else None


def _number(key: str) -> int:
    head = key.split("之", 1)[0]
    return int(head) if head.isdigit() else 0


def _name_overlap(charge: str, text: str) -> float:
    grams = {charge[i : i + 2] for i in range(len(charge) - 1)}
    return sum(g in text for g in grams) / max(len(grams), 1)


_CN_SUFFIX = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}
_SUFFIX = {v: k for k, v in _CN_SUFFIX.items()}


def _key_suffix(texts: dict[str, str], article: int | None, paragraph: str) -> str:
    """之一 → '一' where the paragraph came from a suffixed article's text."""
    for key, text in texts.items():
        if paragraph and key.startswith(f"{article}之") and paragraph.split("\n", 1)[0] in text:
            return key.split("之", 1)[1]
    return ""


def _penalty_of(text: str) -> list[int]:
    """The articles whose penalties the text borrows (依照本法第X条的规定处罚), not those it convicts as."""
    return [n for n, suffix, convicts in referred_articles(text) if not convicts and not suffix]


# ------------------------------------------------------------------ 量刑起点 and 基准刑


def _tier_holds(tier: TierRule, crime: CrimeRule, fact: str, q: Quantities) -> str:
    """The words or figure that make this tier apply ('' when it does not)."""
    if tier.when == "base":
        return "基本犯罪构成"
    need = tier.words_need_injury
    reached = not need or (q.injury is not None and _INJURY_RANK[q.injury] >= _INJURY_RANK[need])
    if reached and (hit := next((w for w in tier.words if said(fact, w)), None) or tier.told_in(fact)):
        return hit
    if tier.threshold and tier.threshold in crime.thresholds:
        value = q.value(crime.threshold_measure)
        if value is not None and value >= crime.thresholds[tier.threshold]:
            unit = _MEASURE_UNITS.get(crime.threshold_measure, "")
            word = _MEASURE_WORDS.get(crime.threshold_measure, "数额")
            return (
                f"{word}{_num(value)}{unit}，达到“{tier.threshold}”的标准"
                f"{_num(crime.thresholds[tier.threshold])}{unit}"
            )
    if tier.min_count and q.count and q.count >= tier.min_count:
        return q.count_evidence
    if tier.injury and q.injury and _INJURY_RANK[q.injury] >= _INJURY_RANK[tier.injury]:
        return q.injury_evidence
    return ""


def _guideline_start(
    out: ChargeEstimate, crime: CrimeRule, fact: str, q: Quantities, tiers: list[StatutoryTier]
) -> None:
    chosen, why = crime.tiers[0], _entry(crime, q, tiers)
    if (
        crime.min_injury
        and q.injury
        and _INJURY_RANK.get(q.injury, 9) < _INJURY_RANK.get(crime.min_injury, 0)
        and not any(told_unless_denied(fact, w) is not None for w in crime.min_injury_unless)
    ):
        out.steps.append(
            Step(
                SHORT_OF_CRIME,
                None,
                crime.min_injury_basis,
                f"伤情为{q.injury}，未达到{crime.min_injury}："
                + (crime.min_injury_reason or f"一般不构成{crime.name}罪，可能按治安管理处罚")
                + f"；以下仅在认定为{crime.min_injury}时参考",
                evidence=q.injury,
            )
        )
    least = crime.minimum
    if least is not None and (value := q.value(least.measure)) is not None and value < least.value:
        unit = _MEASURE_UNITS.get(least.measure, "")
        out.steps.append(
            Step(
                SHORT_OF_CRIME,
                None,
                least.basis,
                f"{_MEASURE_WORDS.get(least.measure, '数额')}{_num(value)}{unit}，低于{_num(least.value)}{unit}："
                f"{least.reason}；以下仅在达到{_num(least.value)}{unit}时参考",
                evidence=q.bac_evidence if least.measure == "bac" else "",
            )
        )
    if (short := _below_entry(crime, q, tiers, fact)) is not None:
        out.steps.append(short)
    for rule in crime.outside:
        found = next((m for m in re.finditer(rule.words, fact) if not negated(fact, m.start())), None)
        if found is not None:
            out.steps.append(Step(SHORT_OF_CRIME, None, rule.basis, rule.reason, evidence=found.group(0)))
    for tier in crime.tiers[1:]:
        if hit := _tier_holds(tier, crime, fact, q):
            chosen, why = tier, hit
    lo, hi = chosen.start
    out.statutory = _statutory_for(chosen, tiers)
    way = chosen.told_way(fact)
    if way is not None and why == chosen.told_in(fact):  # 拿着铁锹 → 持械: said in the conclusion
        out.steps.append(Step(TOLD_TIER, None, way[0].basis, why, evidence=way[1]))
    out.tiers, out.statutory_tier = tiers, _parsed_tier(chosen, tiers)
    out.start = (lo + hi) / 2
    out.start_range = (lo, hi)
    if crime.threshold_basis and (chosen.threshold or crime.thresholds):
        out.steps.append(
            Step(
                THRESHOLD,
                None,
                crime.threshold_basis,
                f"{why}；司法解释给出幅度的，取其下限，各省在幅度内确定本地标准"
                if q.value(crime.threshold_measure) is not None
                else f"事实未载明{_MEASURE_WORDS.get(crime.threshold_measure, '数额')}，无法按此标准确定幅度",
            )
        )
    out.steps.append(
        Step(
            "量刑起点",
            out.start,
            f"《量刑指导意见》{chosen.basis}",
            f"在{lo:g}至{hi:g}个月的起点幅度内取中间值；适用理由：{why}",
            evidence=_quote(crime, q, why),
        )
    )
    growth, detail, evidence = _growth(chosen, q, out.start)
    out.base = out.start + growth
    out.base_range = (lo + _growth(chosen, q, lo)[0], hi + _growth(chosen, q, hi)[0])
    out.steps.append(
        Step(
            "基准刑",
            out.base,
            f"《量刑指导意见》二（一）2、{_section(crime.basis)}2",
            detail,
            evidence=evidence,
        )
    )


def _section(basis: str) -> str:
    """'四（二）（在一个月至六个月拘役幅度内确定宣告刑）' → '四（二）'."""
    m = re.match(r"[一二三四五六七八九十]+（[^）]+）", basis)
    return m.group(0) if m else basis


def _below_entry(crime: CrimeRule, q: Quantities, tiers: list[StatutoryTier], fact: str) -> Step | None:
    """A SHORT_OF_CRIME step where the told figure is under the lowest threshold the first range needs and the facts
    tell none of the other ways into it that the article's first range names after 或者 (盗窃: 多次盗窃、入户盗窃、
    携带凶器盗窃、扒窃): 「在超市偷了两瓶洋酒，价值800元…会判刑吗」 had been given 有期徒刑7个月 beside 可能不构成犯罪
    (a lawyer's check, stop 28). The term stays as the reference for a court that finds the crime."""
    value = q.value(crime.threshold_measure)
    if value is None or not crime.thresholds or not figure_enters(crime, tiers):
        return None
    name, threshold = min(crime.thresholds.items(), key=lambda kv: kv[1])
    if value >= threshold:
        return None
    lowest = min(tiers, key=lambda t: (t.max_months, t.min_months))
    others = lowest.condition.split("或者", 1)[1] if "或者" in lowest.condition else ""
    ways = [w.replace(crime.name, "").strip("的，、 ") for w in re.split(r"[、，]", others)]
    ways = [w for w in ways if w and not w.startswith("其他")]
    if any(w in fact for w in ways) or ("多次" in ways and (q.count or 0) >= 3):
        return None
    unit = _MEASURE_UNITS.get(crime.threshold_measure, "")
    word = _MEASURE_WORDS.get(crime.threshold_measure, "数额")
    also = f"，事实也没有说明{'、'.join(ways)}等情形" if ways else ""
    return Step(
        SHORT_OF_CRIME,
        None,
        crime.threshold_basis or "",
        f"{word}{_num(value)}{unit}，低于“{name}”的标准{_num(threshold)}{unit}{also}：一般不构成{crime.name}罪，"
        "可能按治安管理处罚；以下仅在认定构成犯罪时参考",
        evidence=q.amount_evidence if crime.threshold_measure == "amount" else "",
    )


def _entry(crime: CrimeRule, q: Quantities, tiers: list[StatutoryTier]) -> str:
    """Why the first tier holds: the measure against the lowest threshold, else the crime itself."""
    value = q.value(crime.threshold_measure)
    if value is None or not crime.thresholds:
        return "基本犯罪构成"
    name, threshold = min(crime.thresholds.items(), key=lambda kv: kv[1])
    unit = _MEASURE_UNITS.get(crime.threshold_measure, "")
    word = _MEASURE_WORDS.get(crime.threshold_measure, "数额")
    if value >= threshold:
        return f"{word}{_num(value)}{unit}，达到“{name}”的标准{_num(threshold)}{unit}，未达到更高一档"
    if not figure_enters(crime, tiers):
        # 抢劫's 数额巨大 only raises the range: below it the crime stands in the first range
        return f"{word}{_num(value)}{unit}，未达到“{name}”的标准{_num(threshold)}{unit}，适用基本幅度"
    return (
        f"{word}{_num(value)}{unit}，低于“{name}”的标准{_num(threshold)}{unit}："
        "除非另有法定情节，可能不构成犯罪；此处按基本幅度估计"
    )


def _quote(crime: CrimeRule, q: Quantities, why: str) -> str:
    """The words of the facts behind the tier: the measure's own words, or the condition words."""
    if why.startswith(tuple(_MEASURE_WORDS.values())):
        return {"grams": q.drug_evidence, "bac": q.bac_evidence}.get(
            crime.threshold_measure, q.amount_evidence
        )
    return "" if why == "基本犯罪构成" else why


def _growth(tier: TierRule, q: Quantities, start: float) -> tuple[float, str, str]:
    """Months added to the start by the tier's measure (linear, a documented choice) and counts."""
    months, detail, evidence = 0.0, "没有增加刑罚量的数额、数量或次数", ""
    word = _MEASURE_WORDS.get(tier.measure or "", "数额")
    if tier.measure and q.value(tier.measure) is None:
        detail = f"事实未载明{word}，以量刑起点为基准刑，未增加刑罚量"
    value = q.value(tier.measure) if tier.measure else None
    if value is not None and tier.grow_to is not None and tier.to_months is not None:
        base_from = tier.grow_from or 0.0
        frac = min(max((value - base_from) / (tier.grow_to - base_from), 0.0), 1.0)
        months = frac * tier.reach * max(tier.to_months - start, 0.0)
        unit = _MEASURE_UNITS.get(tier.measure or "", "")
        detail = (
            f"{word}{_num(value)}{unit}，位于本档{_num(base_from)}{unit}至{_num(tier.grow_to)}{unit}之间"
            f"（约{frac:.0%}处），按同一比例增加刑罚量（指导意见只规定“根据数额等增加刑罚量”，"
            f"具体幅度由各省实施细则规定，此处按比例估算）"
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
        detail += (
            f"；超过{tier.count_from}次的{q.count - tier.count_from}次，每次增加{tier.months_per_count:g}个月"
        )
        evidence = evidence or q.count_evidence
    return months, detail, evidence


def _statutory_for(tier: TierRule, parsed: list[StatutoryTier]) -> tuple[float, float]:
    if tier.statutory:
        return float(tier.statutory[0]), float(tier.statutory[1])
    if match := _parsed_tier(tier, parsed):
        return float(match.min_months), float(match.max_months)
    return tier.start[0], max(tier.start[1], tier.to_months or tier.start[1])


def _parsed_tier(tier: TierRule, parsed: list[StatutoryTier]) -> StatutoryTier | None:
    """The article's range that holds the guideline tier's 量刑起点 (for its penalty words and fine)."""
    for s in parsed:
        if s.min_months <= tier.start[0] <= s.max_months and tier.start[1] <= max(s.max_months, 6):
            return s
    return None


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
    strict = rules.strict if rules.strict is not None and rules.strict.covers(out.charge) else None
    scen = {"point": out.base, "low": out.base_range[0], "high": out.base_range[1]}
    for given, circ in [x for x in items if x[0].stage == "first"]:  # 二（二）2: these first, in turn
        rule = _tightened(given, strict)
        for key in scen:
            scen[key] *= 1 + _pct(rule, key) / 100
        out.steps.append(_adj_step(given, circ, scen["point"], "先对基准刑调节（指导意见二（二）2）", strict))
    general = [x for x in items if x[0].stage != "first"]
    delta = {key: 0.0 for key in scen}
    for given, circ in general:  # 同向相加、逆向相减 on the same base
        rule = _tightened(given, strict)
        for key in scen:
            d = scen[key] * _pct(rule, key) / 100
            delta[key] += max(d, rule.min_months) if rule.point > 0 else d
        out.steps.append(_adj_step(given, circ, None, "与其他情节同向相加、逆向相减", strict))
    for key in scen:
        scen[key] = max(scen[key] + delta[key], 0.0)
    out.mitigation_allowed = any(r.statutory_mitigation for r, _ in items)
    out.adjusted, out.adjusted_range = scen["point"], (scen["low"], scen["high"])
    out.steps.append(
        Step(
            "调节结果",
            out.adjusted,
            "《量刑指导意见》二（二）",
            f"基准刑{out.base:.1f}个月经各情节调节为{out.adjusted:.1f}个月",
        )
    )


def _pct(rule: AdjustmentRule, scenario: str) -> float:
    if scenario == "point":
        return rule.point
    lenient = scenario == "low"
    if rule.point < 0:
        return rule.low if lenient else rule.high
    return rule.high if lenient else rule.low


def _tightened(rule: AdjustmentRule, strict: StrictLeniency | None) -> AdjustmentRule:
    """A reduction kept to the strict share for a crime of grave harm; any other rule as it is."""
    if strict is None or rule.point >= 0:
        return rule
    k = strict.share
    return replace(rule, low=rule.low * k, high=rule.high * k, point=rule.point * k)


def _adj_step(
    rule: AdjustmentRule,
    circ: Circumstance | None,
    value: float | None,
    how: str,
    strict: StrictLeniency | None = None,
) -> Step:
    words = circ.evidence if circ else ""
    used = _tightened(rule, strict)
    tight = (
        f"；本罪从宽的幅度从严掌握，按其{strict.share:.0%}估算（{strict.basis}）"
        if used is not rule and strict is not None
        else ""
    )
    # the article of 刑法 that makes the circumstance (累犯 第六十五条, 自首 第六十七条第一款), beside the guideline's
    # section: the answer cites it, and a lawyer reads why the term moved
    defined = load_general_part().definitions.get(rule.name)
    return Step(
        f"情节：{rule.name}",
        value,
        f"《量刑指导意见》{rule.basis}" + (f"；刑法{defined[0]}" if defined else ""),
        f"{'增加' if rule.point > 0 else '减少'}基准刑的{abs(used.point):g}%（指导意见幅度为{_pct_range(rule)}{tight}），{how}",
        evidence=words,
        percent=used.point,
    )


def _pct_range(rule: AdjustmentRule) -> str:
    lo, hi = sorted((abs(rule.low), abs(rule.high)))
    return f"{lo:g}%至{hi:g}%" if lo else f"{hi:g}%以下"


def _num(v: float) -> str:
    """4800 → '4800'; 120000 → '12万'; 0.5 → '0.5'."""
    if v >= 10000 and v % 1000 == 0:
        return f"{v / 10000:g}万"
    return f"{v:g}"
