"""What a sentencing answer says besides the engine's steps: the conclusion first, the facts with the
message each came from, what a follow-up changed, what is missing, and what became of a charge the
user named. Plain Chinese for the reader; the engine's typed estimate is passed on as it is.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from assistant.agent import planning
from assistant.agent.conversation import CaseFacts, asked_rulings, foreign_words, general_rules, yuan
from assistant.agent.named_charges import article_label
from assistant.backends.factory import one_line
from assistant.sentencing import SentenceEstimate, estimate_sentence, load_general_part, load_rules
from assistant.sentencing.conditions import PriorRecord
from assistant.sentencing.ranges import parse_article_tiers
from assistant.sentencing.trace import SHORT_OF_CRIME
from corpora.citations import convicts_as
from corpora.numerals import int_to_cn

log = logging.getLogger(__name__)

# The engine's measure names, should one reach a step's text: the reader sees the Chinese word.
_INTERNAL = {
    "amount_yuan": "数额（元）",
    "grams": "毒品数量（克）",
    "bac": "血液酒精含量（mg/100ml）",
    "count": "次数",
    "victims": "被害人数",
    "persons": "人数",
}
_INTERNAL_RE = re.compile(r"(?<![A-Za-z_])(" + "|".join(_INTERNAL) + r")\s*=\s*")
_WHICH = re.compile(r"还是|或者|或是|区别|哪个|哪一个|哪种|不同|相比")
# What an amount- or quantity-based article says about its figures.
_MEASURE_WORDS = (
    ("数额", "数额", "amount_yuan"),
    ("毒品数量", "毒品数量", "drug_grams"),
    ("鸦片", "毒品数量", "drug_grams"),
)


def asks_which(text: str) -> bool:
    """「是抢劫罪还是抢夺罪？」: the charges named are alternatives, not several crimes."""
    return bool(_WHICH.search(text))


def request_for_facts(case: CaseFacts, question: str) -> str:
    """The reply to a sentencing question that has no case to apply to (「如果他是累犯呢？」)."""
    said = [f for f in case.facts.values() if f.message == case.latest]
    parts = ["要估算刑期，需要先知道案情。"]
    if said:
        parts.append("这次提问只提到了" + "、".join(f"{f.kind}（{f.shown()}）" for f in said) + "，")
    parts.append(
        "本对话中还没有可以适用的案情（如果之前的对话已经清空，需要重新说明）。请描述：发生了什么行为，"
        "涉案数额或数量，造成了什么后果，以及自首、前科、累犯等情节。例如：“盗窃他人财物4800元，"
        "到案后如实供述，会判多久？”"
    )
    if rules := general_rules(case):
        parts.append("\n\n在案情补充之前，相关的一般规定是：" + "".join(rules))
    if foreign_words(question):
        parts.append("请用中文描述案情。")
    return "".join(parts)


def sentencing_for(case: CaseFacts, plan: planning.Plan) -> tuple[SentenceEstimate | None, str, list[str]]:
    """Run the engine on the case's statement with the plan's charges: (estimate, markdown, notes)."""
    notes = [*case.changes, *case.conflicts, *named_charge_notes(case, plan)]
    if not plan.articles:
        notes.append("没有检索到可以确定罪名的刑法条文，无法估算刑期；请补充案情（行为、数额、后果）。")
        return None, "", notes
    # suffixed articles under "133之一", as the engine reads them (危险驾驶 takes its 罚金 from there)
    article_texts: dict[int | str, str] = {
        (f"{int(h.number)}之{int_to_cn(int(h.suffix))}" if h.suffix else int(h.number)): str(h.text)
        for h in plan.statutes
        if planning.law_of(h) == planning.CRIMINAL_LAW
    }
    # the main article as the plan chose it, not its siblings: 第二百八十七条之二 (帮信), not 之一, which the
    # search may also bring and the engine would otherwise choose between by their words
    number = plan.articles[0]
    main_hit = next(
        (h for h in plan.statutes if planning.law_of(h) == planning.CRIMINAL_LAW and int(h.number) == number),
        None,
    )
    if main_hit is not None:
        own = f"{number}之{int_to_cn(int(main_hit.suffix))}" if main_hit.suffix else number
        for key in [
            k for k in article_texts if k != own and (k == number or str(k).startswith(f"{number}之"))
        ]:
            del article_texts[key]
    if plan.paragraph:  # the ranking's paragraph of the charge: the engine reads that one
        main = plan.articles[0]
        paragraphs = [p for p in article_texts.get(main, "").split("\n") if p.strip()]
        if 0 < plan.paragraph <= len(paragraphs) and "处" in paragraphs[plan.paragraph - 1]:
            chosen = paragraphs[plan.paragraph - 1]
            # 「…情节严重的，依照前款的规定处罚」 (刑法第三百四十一条第三款) takes its ranges from the paragraph it names, as
            # ranges.split_paragraphs reads it (a lawyer's review, stop 25: wild birds for the table got no term)
            if not parse_article_tiers(chosen) and plan.paragraph > 1:
                if "依照前款" in chosen:
                    chosen += "\n" + paragraphs[plan.paragraph - 2]
                elif "依照第一款" in chosen:
                    chosen += "\n" + paragraphs[0]
            article_texts[main] = chosen
    try:
        estimate = estimate_sentence(
            case.statement(),
            plan.charges,
            plan.articles,
            article_texts=article_texts,
            similar_cases=planning.case_records(plan.cases),
            facts_by_charge=plan.charge_facts,
            # an earlier sentence told with times relative to today (去年刑满释放) decides 累犯 (刑法第六十五条)
            prior_record=PriorRecord.told(case.narrative(keep_figures=True)),
        )
    except (ValueError, KeyError, LookupError) as e:
        notes.append(f"量刑计算没有完成：{one_line(str(e), 120)}")
        return None, "", notes
    rulings = asked_rulings(case, estimate)  # 「这次算累犯吗」: a question gets its answer, first
    notes += [r.answer for r in rulings if r.answer]
    notes += partly_met(case, plan)
    notes += missing_figures(estimate, plan, article_texts.get(plan.articles[0], ""))
    notes += below_threshold(estimate, plan)
    return (
        estimate,
        markdown(estimate, case),
        [conclusion(estimate, plan, [r.verdict for r in rulings]), *notes],
    )


_PARAGRAPH_OF = re.compile(
    r"刑法第([零〇一二三四五六七八九十百]+)条(?:之([一二三四五六七八九十]))?第([一二三四五六七八九十]+)款"
)


def partly_met(case: CaseFacts, plan: planning.Plan) -> list[str]:
    """A rule that takes the facts outside the crime (刑法第二百零一条第四款: 补缴税款、缴纳滞纳金、已受行政处罚的，
    不予追究刑事责任) whose first condition is told but not the others (「后来把税款都补缴了」): say which are
    not told and quote the rule, so the reader knows the estimate holds only where it does not apply."""
    from assistant.sentencing.outside import told

    fact = case.statement()
    notes = []
    for rule in load_rules().outside_for(plan.charges[0]) if plan.charges else []:
        said = told(fact, rule.words) if rule.also else None
        missing = [a for a in rule.also if told(fact, a) is None]
        if said is None or not missing or (rule.unless and told(fact, rule.unless) is not None):
            continue
        words = [
            "或".join(f"“{w}”" for w in a.split("|"))
            for a in missing
            if re.fullmatch(r"[\u4e00-\u9fff|]+", a)
        ]
        quoted = _paragraph(plan, rule.basis)
        notes.append(
            f"关于{rule.basis}：所述有“{said}”，但没有说明{'、'.join(words) or '该款的其他条件'}，不能确定是否符合该款"
            + (f"（该款规定：“{quoted}”）" if quoted else "")
            + "；该款的条件都具备时，结论会不同，以上按不符合该款估算。"
        )
    return notes


def _paragraph(plan: planning.Plan, basis: str) -> str:
    """The text of the paragraph of 刑法 `basis` names (刑法第二百零一条第四款), where the plan holds its article."""
    from corpora.numerals import cn_to_int

    m = _PARAGRAPH_OF.search(basis)
    if m is None:
        return ""
    number, suffix = cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0
    for hit in plan.statutes:
        if planning.law_of(hit) == planning.CRIMINAL_LAW and (int(hit.number), int(hit.suffix)) == (
            number,
            suffix,
        ):
            paragraphs = [p.strip() for p in str(hit.text).split("\n") if p.strip()]
            index = cn_to_int(m.group(3)) - 1
            return paragraphs[index] if index < len(paragraphs) else ""
    return ""


def conclusion(estimate: SentenceEstimate, plan: planning.Plan, asked: Sequence[str] = ()) -> str:
    """The conclusion, first in the answer: the charge, its article, the declared sentence. `asked`: the
    rulings on the circumstances the client asks about (「打成轻伤，第二天自己去派出所说清楚了，算自首吗」), which
    come first with their article, as a lawyer answers what was asked before the term it leads to."""
    main = estimate.charges[0] if estimate.charges else None
    charge = plan.charge_name or (f"{main.charge}罪" if main and main.charge else "")
    where = f"（刑法{article_label((main.article, main.article_suffix))}）" if main and main.article else ""
    # 受贿罪 is defined by 第三百八十五条 (“……的，是受贿罪”) and punished by 第三百八十三条 (第三百八十六条): the
    # article that says what the charge is comes first, as its own basis
    defining = next(
        (
            h
            for h in plan.statutes
            if planning.law_of(h) == planning.CRIMINAL_LAW and charge and f"是{charge}" in str(h.text)
        ),
        None,
    )
    if main and main.article and defining is not None and len(estimate.charges) == 1:
        key = (int(defining.number), int(defining.suffix))
        if key != (main.article, main.article_suffix):
            penalty = article_label((main.article, main.article_suffix))
            where = f"（刑法{article_label(key)}，依照{penalty}处罚）"
    # an article the facts reach (planning.transfer_articles) that convicts as the charge's own (第二百六十九条: 犯盗窃罪，为抗拒抓捕而当场使用暴力
    # 的，依照本法第二百六十三条的规定定罪处罚) is why the crime is this one: it is cited first (a lawyer's review, stop 23)
    transfer = next(
        (
            h
            for h in plan.transfers
            if main
            and (int(h.number), int(h.suffix)) != (main.article, main.article_suffix)
            and (main.article, main.article_suffix) in convicts_as(str(h.text))
        ),
        None,
    )
    if main and main.article and transfer is not None and len(estimate.charges) == 1:
        own = article_label((main.article, main.article_suffix))
        where = f"（刑法{article_label((int(transfer.number), int(transfer.suffix)))}，依照{own}定罪处罚）"
    summary = estimate.summary().removeprefix("**结论**：")
    # facts that fall short of the crime (饮酒 under 80 mg, 一人轻微伤, a minor's crime not in 第十七条第二款) are
    # analysed by the crime's article, not estimated as if it were one
    short = any(s.name == SHORT_OF_CRIME for c in estimate.charges for s in c.steps)
    lead = (f"按{charge}{where}{'分析' if estimate.figure_missing or short else '估算'}，") if charge else ""
    if plan.guessed and charge:
        lead = f"仅供参考：如按{charge}{where}处理，"
    if len(estimate.charges) > 1:
        # each charge with its article, so that the conclusion cites the crimes before 缓刑's 第七十二条
        lead = (
            "按"
            + "、".join(
                f"{c.charge}罪"
                + (f"（刑法{article_label((c.article, c.article_suffix))}）" if c.article else "")
                for c in estimate.charges
            )
            + "数罪并罚估算，"
        )
    first = "".join(f"{v}。" for v in asked)
    if plan.guessed and charge:
        # no word of the facts reaches the charge's 罪状 or an everyday entry's act: it is the labelled cases' guess
        # (ranker.ChargeCandidate.grounded), said as such before any term
        first += (
            f"所述事实中没有能对应某一罪名罪状的行为描述，{charge}只是按类似案例用语的推测，很可能不准确；"
            "请说明具体做了什么（行为、对象、数额、后果），再据此分析。"
        )
    if short and lead and not first and _age_short(estimate):
        # 「我家孩子今年十五岁…超市拿东西…会不会被判」: the age decides it (刑法第十七条), so the age's ruling comes
        # first and the act's article after it (a read blind suite, stop 28: 第二百六十四条 had led)
        return f"**结论**：{first}{summary}所述行为{lead.removesuffix('，')}。"
    return f"**结论**：{first}{lead}{summary}"


def _age_short(estimate: SentenceEstimate) -> bool:
    """Whether a charge falls short of a crime by the told age alone (刑法第十七条's bands)."""
    age = load_general_part().age
    if age is None:
        return False
    return any(
        s.name == SHORT_OF_CRIME and s.basis.startswith(f"刑法{age.article}")
        for c in estimate.charges
        for s in c.steps
    )


def markdown(estimate: SentenceEstimate, case: CaseFacts) -> str:
    """The trace: the facts used, each with its message, then the engine's steps in plain words."""
    lines = ["### 量刑计算", "**案情要点**（括号内为出处）"]
    lines += [f"- {line}" for line in case.lines()] or ["- 没有从消息中识别出数额、情节等要点"]
    trace = estimate.to_markdown().removeprefix("### 量刑计算").strip()
    return "\n".join(lines) + "\n\n" + plain(trace)


def plain(text: str) -> str:
    """The engine's measure names as the Chinese words a reader knows."""
    return _INTERNAL_RE.sub(lambda m: _INTERNAL[m.group(1)] + "为", text)


def named_charge_notes(case: CaseFacts, plan: planning.Plan) -> list[str]:
    """What became of each charge the user named: unknown, cancelled, abbreviated, or contradicted."""
    notes: list[str] = []
    for named in case.named_charges:
        if not named.exists:
            # what the facts are is the charge the ranking gives them; a name alike in writing (战时造谣惑众
            # for 网络造谣) is only a guess, used when the facts give no charge
            nearest = [plan.charge_name] if plan.charge_name else [f"{n}罪" for n in named.nearest]
            how = "按所述事实，最相符的是" if plan.charge_name else "名称最接近的是"
            note = f"刑法中没有名为“{named.words}”的罪名。" + (
                f"{how}{'、'.join(nearest)}，以下按所述事实分析。"
                if nearest
                else "请说明具体行为，以便确定罪名。"
            )
            if note not in notes:
                notes.append(note)
        elif named.replaced_by:
            notes.append(f"“{named.words}”这一罪名已被取消，现行罪名为{named.name}，以下按{named.name}分析。")
        elif named.abbreviated:
            notes.append(f"“{named.words}”按{named.name}理解。")
    if plan.facts_point_to and case.named_charges:
        named = next(n for n in case.named_charges if n.exists)
        other = plan.facts_charge or "其他罪名"
        notes.append(
            f"你提到的是{named.name}，但按所述事实检索，最相符的是{other}"
            f"（刑法{article_label(plan.facts_point_to)}）。以下仍按{named.name}计算；"
            "如果事实不符合该罪的构成要件，结论会不同。"
        )
    return notes


def missing_figures(estimate: SentenceEstimate, plan: planning.Plan, article_text: str) -> list[str]:
    """An amount- or quantity-based crime told without its figure: say so, quote the paragraph."""
    q = estimate.quantities
    if estimate.figure_missing is not None:
        return []  # the conclusion already names what is missing, with every range and its figure
    for word, label, attr in _MEASURE_WORDS:
        if word in article_text and getattr(q, attr) is None:
            charge = plan.charge_name or "该罪"
            paragraph = article_text.strip().split("\n")[0]
            paragraph = paragraph if len(paragraph) <= 260 else paragraph[:259] + "…"
            return [
                f"没有说明涉案{label}。{charge}的刑罚取决于{label}，刑法{article_label((plan.articles[0], 0))}"
                f"规定：“{paragraph}”补充具体{label}后，才能确定适用的档次和刑期。"
            ]
    return []


def below_threshold(estimate: SentenceEstimate, plan: planning.Plan) -> list[str]:
    """A figure below the interpretation's entry threshold (数额较大): the facts may be no crime."""
    crime = load_rules().find_crime(plan.charges[0]) if plan.charges else None
    if crime is None or "较大" not in crime.thresholds:
        return []
    value = estimate.quantities.value(crime.threshold_measure)
    floor = crime.thresholds["较大"]
    if value is None or value >= floor:
        return []
    shown = yuan(value) if crime.threshold_measure == "amount_yuan" else f"{value:g}克"
    start = yuan(floor) if crime.threshold_measure == "amount_yuan" else f"{floor:g}克"
    return [
        f"所述{'数额' if crime.threshold_measure == 'amount_yuan' else '数量'}{shown}低于“数额较大”的起点{start}"
        f"（{crime.threshold_basis}）：没有其他入罪情形（如多次、入户）时，可能不构成{crime.name}罪。"
    ]
