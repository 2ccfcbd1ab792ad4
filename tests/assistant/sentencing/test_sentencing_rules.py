"""One test per rule of the general part that shapes a sentence, on the real Criminal Law text
(../shared/corpora). Each expected outcome is written from the article first, then checked.

Facts are short and fictional."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from assistant.evaluation.sentencing import criminal_law_texts
from assistant.sentencing import estimate_sentence, extract_quantities
from assistant.sentencing.conditions import PriorRecord
from assistant.sentencing.law import load_general_part
from assistant.sentencing.penalties import fine_terms, kind_of, range_text, term_text
from assistant.sentencing.trace import SentenceEstimate

LAW = load_general_part()


@pytest.fixture(scope="module")
def texts(shared_corpus: Path) -> dict[int | str, str]:
    return criminal_law_texts(shared_corpus)


def _est(texts: dict, fact: str, charges: list[str], articles: list[int], **kw: object) -> SentenceEstimate:
    return estimate_sentence(fact, charges, articles, texts, **kw)  # type: ignore[arg-type]


def _steps(est: SentenceEstimate) -> dict[str, str]:
    return {s.name: f"{s.basis} {s.detail}" for c in est.charges for s in c.steps}


# ------------------------------------------------------------------ 刑罚种类 (第四十二条、第四十五条)


def test_kinds_and_bounds_are_data_with_their_articles() -> None:
    assert (LAW.kinds["拘役"].min, LAW.kinds["拘役"].max, LAW.kinds["拘役"].article) == (1, 6, "第四十二条")
    assert (LAW.kinds["有期徒刑"].min, LAW.kinds["有期徒刑"].max) == (6, 180)
    assert (LAW.kinds["管制"].min, LAW.kinds["管制"].max) == (3, 24)
    assert LAW.kinds["拘役"].combined_max == 12 and LAW.kinds["管制"].combined_max == 36
    assert (LAW.kinds["有期徒刑"].combined_max, LAW.kinds["有期徒刑"].combined_max_long) == (240, 300)


def test_under_six_months_is_detention_never_fixed_term() -> None:
    assert kind_of(4.2, True, LAW) == "拘役" and kind_of(6.5, True, LAW) == "有期徒刑"
    assert term_text("拘役", 4) == "拘役4个月" and term_text("有期徒刑", 18) == "有期徒刑1年6个月"
    assert range_text(2.8, 15.1, True, LAW) == "拘役3个月至有期徒刑1年3个月"
    assert range_text(0.2, 3, True, LAW) == "拘役1个月至3个月"


def test_small_theft_reads_as_detention_in_conclusion_and_range(texts: dict) -> None:
    est = _est(
        texts,
        "被告人窃取他人手机一部，价值1200元。到案后如实供述，退赔被害人损失并取得谅解。",
        ["盗窃"],
        [264],
    )
    assert est.kind == "拘役" and est.point_months is not None and est.point_months <= 6
    md = est.to_markdown()
    assert "有期徒刑0" not in md and not re.search(r"有期徒刑\s*\d+\.\d", md)
    assert not re.search(r"有期徒刑[1-5]个月", md)  # below six months only 拘役 exists
    assert md.index("**结论**") < md.index("**盗窃**")  # the conclusion comes first


# ------------------------------------------------------------------ 罚金 (each article's own words)


@pytest.mark.parametrize(
    ("penalty", "mode", "confiscation"),
    [
        ("三年以下有期徒刑、拘役或者管制，并处或者单处罚金", "并处或者单处", ""),
        ("三年以上十年以下有期徒刑，并处罚金", "并处", ""),
        ("十年以上有期徒刑或者无期徒刑，并处罚金或者没收财产", "并处", "或者"),
        ("五年以下有期徒刑或者拘役，可以并处罚金", "可以并处", ""),
        # 罚金 as one of the principal penalties: alone, or a term without it (刑法第三十三条、第五十二条)
        ("三年以下有期徒刑、拘役、管制或者罚金", "或者", ""),
        ("十年以上有期徒刑，可以并处没收财产", "", "可以并处"),
        ("三年以下有期徒刑或者拘役", "", ""),
    ],
)
def test_fine_is_read_from_the_paragraph_words(penalty: str, mode: str, confiscation: str) -> None:
    assert fine_terms(penalty) == (mode, confiscation)


def test_every_estimate_states_the_fine_the_law_imposes(texts: dict) -> None:
    theft = _est(texts, "被告人盗窃他人财物价值4800元。", ["盗窃"], [264])
    assert (
        "1,000元以上9,600元以下" in theft.fine
        and "（法释〔2013〕8号）第十四条" in theft.fine
        and "盗窃刑事案件" in theft.fine
    )
    drunk = _est(texts, "被告人醉酒驾驶机动车，血液酒精含量为180mg/100ml。", ["危险驾驶"], [133])
    assert "并处罚金" in drunk.fine  # 第一百三十三条之一: 处拘役，并处罚金
    bribe = _est(texts, "被告人收受他人贿赂共计50万元。", ["受贿"], [385, 386])
    assert "20万元以上100万元以下" in bribe.fine and "第十九条" in bribe.fine
    abuse = _est(texts, "被告人滥用职权，造成经济损失40万元。", ["滥用职权"], [397])
    assert abuse.fine == "本条未规定罚金"  # 第三百九十七条 imposes no fine, and the answer says so


# ------------------------------------------------------------------ thresholds decide the paragraph


@pytest.mark.parametrize(
    ("fact", "charge", "articles", "lo", "basis"),
    [
        ("被告人盗窃他人财物价值2万元。", "盗窃", [264], 1, "法释〔2013〕8号"),
        ("被告人盗窃他人财物价值5万元。", "盗窃", [264], 36, "法释〔2013〕8号"),
        ("被告人骗取他人财物12万元。", "诈骗", [266], 36, "法释〔2011〕7号"),
        ("被告人抢夺他人财物价值25万元。", "抢夺", [267], 120, "法释〔2013〕25号"),
        ("被告人敲诈勒索他人4万元。", "敲诈勒索", [274], 36, "法释〔2013〕10号"),
        ("被告人利用职务便利侵吞公款25万元。", "贪污", [382, 383], 36, "法释〔2016〕9号"),
        ("被告人收受他人贿赂5万元。", "受贿", [385, 386], 1, "法释〔2016〕9号"),
        ("被告人收受他人贿赂350万元。", "受贿", [385, 386], 120, "法释〔2016〕9号"),
        ("被告人为谋取不正当利益，向国家工作人员行贿120万元。", "行贿", [389, 390], 36, "法释〔2016〕9号"),
        ("被告人利用职务便利侵占公司财物150万元。", "职务侵占", [271], 36, "法释〔2016〕9号）第十一条"),
        ("被告人挪用本单位资金50万元归个人使用，超过三个月未还。", "挪用资金", [272], 1, "第十一条"),
        ("被告人贩卖甲基苯丙胺60克。", "走私、贩卖、运输、制造毒品", [347], 180, "第347条"),
        ("被告人假冒注册商标，非法经营数额30万元。", "假冒注册商标", [213], 36, "法释〔2004〕19号"),
    ],
)
def test_thresholds_decide_the_paragraph_and_are_cited(
    texts: dict, fact: str, charge: str, articles: list[int], lo: float, basis: str
) -> None:
    est = _est(texts, fact, [charge], articles)
    ch = est.charges[0]
    assert ch.statutory is not None and ch.statutory[0] == lo
    assert est.point_months is not None
    assert basis in est.to_markdown()


def test_corruption_gets_a_term_no_null(texts: dict) -> None:
    for charge, arts in (("贪污", [382, 383]), ("受贿", [385, 386]), ("行贿", [389, 390])):
        est = _est(texts, "被告人涉案数额10万元。", [charge], arts)
        assert est.point_months is not None and est.kind in ("拘役", "有期徒刑"), charge


def test_a_term_for_every_article_with_a_fixed_term(texts: dict) -> None:
    """Each 分则 article whose first range has a term gives an estimate; null only for life/death."""
    missing = []
    for key, text in texts.items():
        number = int(str(key).split("之")[0])
        if number < 102 or "有期徒刑" not in text and "拘役" not in text:
            continue
        est = estimate_sentence("被告人实施了该条规定的行为。", [], [number], {key: text})
        if est.point_months is None:
            missing.append(key)
    assert len(missing) <= 1, missing  # 第四百四十九条 (戴罪立功 of soldiers) names a term but no crime


# ------------------------------------------------------------------ 累犯 (第六十五条、第六十六条)


def test_recidivism_applies_to_theft_and_raises_the_term(texts: dict) -> None:
    fact = "被告人盗窃他人财物价值8000元。"
    plain = _est(texts, fact, ["盗窃"], [264]).point_months
    again = _est(texts, fact + "被告人系累犯。", ["盗窃"], [264])
    assert again.point_months > plain
    assert not again.probation_plausible and "第七十四条" in again.probation_reason


def test_a_recidivist_s_range_stays_above_detention(texts: dict) -> None:
    """刑法第六十五条: 累犯 is a new crime that calls for 有期徒刑以上, so neither the term nor the low end of
    its range is 拘役, however much 自首 and restitution take off (a lawyer's review: 拘役4个月 to 1年7个月)."""
    fact = "被告人盗窃他人财物价值5000元，次日自动投案，如实供述，退还全部赃物。被告人系累犯。"
    est = _est(texts, fact, ["盗窃"], [264])
    assert est.kind == "有期徒刑" and est.low_months >= 6 and est.point_months >= 6
    assert "拘役" not in est.conclusion().split("罚金")[0]


def test_recidivism_never_applies_to_dangerous_driving_and_says_why(texts: dict) -> None:
    est = _est(texts, "被告人醉酒驾驶机动车，血液酒精含量为150mg/100ml。被告人系累犯。", ["危险驾驶"], [133])
    steps = _steps(est)
    assert "累犯不成立" in steps and "只有拘役" in steps["累犯不成立"] and "第六十五条" in steps["累犯不成立"]
    assert not any(s.name == "情节：累犯" for s in est.charges[0].steps)
    assert est.kind == "拘役" and est.point_months <= 6


def test_recidivism_excludes_negligent_crimes_and_minors(texts: dict) -> None:
    crash = _est(texts, "被告人驾车发生事故致一人死亡，负事故全部责任。被告人系累犯。", ["交通肇事"], [133])
    assert "过失犯罪" in _steps(crash).get("累犯不成立", "")
    young = _est(texts, "被告人盗窃他人财物价值8000元。被告人犯罪时未满十八周岁，系累犯。", ["盗窃"], [264])
    assert "不满十八周岁" in _steps(young).get("累犯不成立", "")


def test_prior_record_facts_decide_recidivism() -> None:
    fact = "被告人盗窃他人财物价值8000元。"
    recent = PriorRecord("有期徒刑", released=date(2022, 1, 1), offence=date(2024, 1, 1))
    old = PriorRecord("有期徒刑", released=date(2015, 1, 1), offence=date(2024, 1, 1))
    detention = PriorRecord("拘役", released=date(2023, 1, 1), offence=date(2024, 1, 1))
    names = lambda p: {c.name for c in estimate_sentence(fact, ["盗窃"], [264], prior_record=p).circumstances}  # noqa: E731
    assert "累犯" in names(recent)
    assert "累犯" not in names(old) and "前科" in names(old)  # more than five years
    assert "累犯" not in names(detention)  # 拘役 is not 有期徒刑以上
    assert 113 in LAW.recidivism.special_articles and LAW.recidivism.special_article == "第六十六条"


@pytest.mark.parametrize(
    ("told", "bar"),
    [
        # 刑法第六十五条: 被判处有期徒刑以上刑罚 …在五年以内 …但是过失犯罪和不满十八周岁的人犯罪的除外
        ("他前年因为酒驾被判过拘役四个月", "前罪判处的是拘役，累犯要求前罪被判处有期徒刑以上刑罚"),
        ("他17岁的时候因为抢劫被判过两年，去年刚放出来", "前罪是不满十八周岁时所犯"),
        ("他两年前因为交通肇事被判了1年", "前罪是过失犯罪"),
        ("他三年前因为盗窃被判了一年，缓刑两年", "缓刑"),
        ("他十年前因为抢劫被判过三年", "已超过5年"),
        ("他以前因为抢劫被判过三年", "没有说明前罪刑罚执行完毕的时间"),
        ("他三年前因为抢劫被判过四年，去年才刑满放出来", ""),  # all of 第六十五条 holds
    ],
)
def test_a_prior_record_told_by_a_client_is_checked_against_article_65(told: str, bar: str) -> None:
    prior = PriorRecord.told(told, today=date(2026, 11, 30))
    assert prior is not None
    assert (bar in prior.bar(LAW)) if bar else prior.bar(LAW) == ""


def test_a_prior_that_cannot_make_a_recidivist_says_why_in_the_conclusion(texts: dict) -> None:
    """Review 3, 27-2: a prior 拘役 had been taken for 累犯 and the question 「这次算累犯吗」 never answered."""
    prior = PriorRecord.told("他前年因为酒驾被判过拘役四个月")
    est = _est(texts, "被告人殴打他人致轻伤一级。", ["故意伤害"], [234], prior_record=prior)
    assert "累犯" not in {c.name for c in est.circumstances}
    assert "累犯不成立：前罪判处的是拘役" in est.conclusion() and "第六十五条" in est.conclusion()
    young = PriorRecord.told("他17岁的时候因为抢劫被判过两年，去年刚放出来")
    est = _est(texts, "被告人盗窃他人手机，价值4500元。", ["盗窃"], [264], prior_record=young)
    names = {c.name for c in est.circumstances}
    # no 前科 either: 《量刑指导意见》三（十六）前科犯罪为…未成年人犯罪的除外
    assert not names & {"累犯", "前科"} and "不满十八周岁" in est.conclusion()


def test_a_release_told_as_last_year_is_not_given_a_day() -> None:
    prior = PriorRecord.told("他三年前因为抢劫被判过两年，去年刚放出来", today=date(2026, 11, 30))
    assert "去年刑满释放" in prior.evidence() and "07月01日" not in prior.evidence()


# ------------------------------------------------------------------ 缓刑 (第七十二条至第七十四条)


def test_probation_only_for_detention_or_three_years_with_remorse(texts: dict) -> None:
    light = _est(texts, "被告人盗窃他人财物价值5000元，到案后如实供述，退赔全部损失。", ["盗窃"], [264])
    assert light.probation_plausible and "第七十二条" in light.probation_reason
    heavy = _est(texts, "被告人盗窃他人财物价值25万元，到案后如实供述。", ["盗窃"], [264])
    assert heavy.point_months > 36 and not heavy.probation_plausible and "三年" in heavy.probation_reason
    refuses = _est(texts, "被告人盗窃他人财物价值5000元，到案后拒不供认。", ["盗窃"], [264])
    assert not refuses.probation_plausible


def test_no_probation_for_a_ringleader(texts: dict) -> None:
    est = _est(
        texts, "被告人系犯罪集团的首要分子，组织他人盗窃财物价值5000元，到案后如实供述。", ["盗窃"], [264]
    )
    assert not est.probation_plausible and "第七十四条" in est.probation_reason


def test_probation_is_mandatory_for_minors(texts: dict) -> None:
    est = _est(
        texts,
        "被告人犯罪时已满十六周岁不满十八周岁，盗窃他人财物价值5000元，到案后如实供述。",
        ["盗窃"],
        [264],
    )
    assert est.probation_plausible and "应当宣告缓刑" in est.probation_reason


# ------------------------------------------------------------------ 自首、坦白、立功; age; stages; roles; plea


@pytest.mark.parametrize(
    "words",
    [
        "案发后主动投案，如实供述了犯罪事实。",  # 自首 (第六十七条第一款)
        "到案后如实供述了自己的罪行。",  # 坦白 (第六十七条第三款)
        "到案后检举揭发他人犯罪，经查证属实，有立功表现。",  # 立功 (第六十八条)
        "被告人犯罪时已满十六周岁不满十八周岁。",  # 第十七条
        "被告人已满七十五周岁。",  # 第十七条之一
        "被告人盗窃时被当场抓获，犯罪未遂。",  # 第二十三条
        "被告人在共同犯罪中起次要作用，系从犯。",  # 第二十七条
        "被告人系被胁迫参加犯罪，系胁从犯。",  # 第二十八条
        "被告人自愿认罪认罚，签署了具结书。",  # 刑事诉讼法第十五条
        "被告人准备工具后即被查获，系犯罪预备。",  # 第二十二条
    ],
)
def test_each_lenient_circumstance_lowers_the_term(texts: dict, words: str) -> None:
    fact = "被告人盗窃他人财物价值2万元。"
    plain = _est(texts, fact, ["盗窃"], [264]).charges[0].adjusted
    with_it = _est(texts, fact + words, ["盗窃"], [264]).charges[0].adjusted
    assert with_it is not None and plain is not None and with_it < plain


def test_suspension_with_damage_and_coercion_allow_going_below_the_range(texts: dict) -> None:
    fact = "被告人盗窃他人财物价值5万元，"
    est = _est(texts, fact + "系胁从犯。", ["盗窃"], [264])
    assert est.charges[0].mitigation_allowed and est.point_months < 36  # 减轻处罚 (第六十三条)


def test_plea_is_not_counted_twice_with_confession(texts: dict) -> None:
    fact = "被告人盗窃他人财物价值2万元。"
    both = _est(texts, fact + "到案后如实供述，自愿认罪认罚。", ["盗窃"], [264])
    names = [s.name for s in both.charges[0].steps]
    assert "情节：认罪认罚（合并评价）" in names and "情节：坦白" not in names


# ------------------------------------------------------------------ 数罪并罚 (第六十九条)


def test_combination_stays_within_the_sum_and_the_caps(texts: dict) -> None:
    est = _est(texts, "被告人盗窃财物价值2万元，又诈骗他人财物价值5万元。", ["盗窃", "诈骗"], [264, 266])
    terms = [c.point for c in est.charges if c.point]
    assert max(terms) <= est.point_months <= sum(terms)
    assert "第六十九条" in " ".join(est.notes)
    drunk = "被告人醉酒驾驶机动车，血液酒精含量为250mg/100ml。"
    two = estimate_sentence(drunk, ["危险驾驶", "危险驾驶"], [133, 133], texts)
    assert two.kind == "拘役" and two.point_months <= 12  # 拘役 combined: 最高不能超过一年


def test_several_crimes_are_concluded_each_with_its_article_before_any_other(texts: dict) -> None:
    """The conclusion of 数罪并罚 names each crime with its 分则 article, so the first article the answer
    cites is a crime's, not 缓刑's 第七十二条 that the summary cites after it."""
    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import conclusion

    est = _est(texts, "被告人盗窃财物价值2万元，又诈骗他人财物价值5万元。", ["盗窃", "诈骗"], [264, 266])
    text = conclusion(est, Plan())
    assert text.startswith(
        "**结论**：按盗窃罪（刑法第二百六十四条）、诈骗罪（刑法第二百六十六条）数罪并罚估算，"
    )


# ------------------------------------------------------------------ the trace a lawyer reads


def test_trace_is_plain_chinese_without_internal_names(texts: dict) -> None:
    for fact, charge, arts in (
        ("被告人窃取他人财物价值4800元。", "盗窃", [264]),
        ("被告人醉酒驾驶机动车，血液酒精含量为180mg/100ml。", "危险驾驶", [133]),
        ("被告人利用职务便利侵占公司财物8万元。", "职务侵占", [271]),
        ("被告人滥用职权造成经济损失50万元。", "滥用职权", [397]),
        ("被告人故意伤害他人致一人轻伤。", "故意伤害", [234]),
    ):
        md = _est(texts, fact, [charge], arts).to_markdown()
        assert not re.search(r"[a-z_]{3,}=|本项目|线性规则|重建文本|截断", md), md
        assert "**结论**" in md.splitlines()[1]
        steps = [line for line in md.splitlines() if re.match(r"\d+\. ", line)]
        assert len(steps) >= 3, md  # 量刑起点, 基准刑, 宣告刑 at least
        for line in steps:
            if not line.split("。")[0].endswith(("调节结果", "基准刑")):
                assert "依据：" in line, line


@pytest.mark.parametrize(
    ("fact", "charge", "articles", "first", "entry"),
    [
        # each article's first range needs 数额较大; the figure is the interpretation's (取下限)
        ("被告人盗窃他人财物。", "盗窃", [264], "三年以下有期徒刑、拘役或者管制", "1000元以上"),
        ("他冒充客服骗了别人的钱。", "诈骗", [266], "三年以下有期徒刑、拘役或者管制", "3000元以上"),
        (
            "她当仓库管理员，把仓库里的货偷偷拉出去卖了钱自己花了。",
            "职务侵占",
            [271],
            "三年以下有期徒刑或者拘役",
            "6万元以上",
        ),
        (
            "国有企业会计利用职务便利把公款转到自己账上。",
            "贪污",
            [382, 383],
            "三年以下有期徒刑或者拘役",
            "3万元以上",
        ),
        (
            "国家工作人员利用职务便利收受他人财物。",
            "受贿",
            [385, 386],
            "三年以下有期徒刑或者拘役",
            "3万元以上",
        ),
        (
            "私营公司出纳挪用公司的钱炒股，超过三个月未还。",
            "挪用资金",
            [272],
            "三年以下有期徒刑或者拘役",
            "10万元以上",
        ),
        (
            "国家工作人员挪用公款炒股，超过三个月未还。",
            "挪用公款",
            [384],
            "五年以下有期徒刑或者拘役",
            "5万元以上",
        ),
        ("抢夺路人的金项链。", "抢夺", [267], "三年以下有期徒刑、拘役或者管制", "1000元以上"),
    ],
)
def test_an_amount_based_crime_without_its_amount_gets_its_ranges_not_a_term(
    texts: dict, fact: str, charge: str, articles: list[int], first: str, entry: str
) -> None:
    """Issue 10, Bad input: the answer says the amount is missing and gives the paragraph's ranges, each
    with the figure it begins at; never a term as if the amount were known (the amount decides whether it
    is a crime at all: 刑法第二百六十四条、第二百六十六条、第二百七十一条、第三百八十三条 …, 数额较大)."""
    est = _est(texts, fact, [charge], articles)
    said = est.conclusion()
    assert said.startswith("事实没有说明数额") and "不估计具体刑期" in said, said
    assert first in said and entry in said and "一般不构成犯罪" in said, said
    assert "估计判处" not in said and est.to_dict()["point_months"] is None
    assert "宣告刑" not in est.to_markdown()  # no step computes a term the facts cannot support
    with_amount = _est(texts, fact + "共计价值80万元。", [charge], articles)
    assert with_amount.to_dict()["point_months"] is not None and "估计判处" in with_amount.conclusion()


def test_a_crime_whose_amount_only_raises_the_range_keeps_its_term(texts: dict) -> None:
    """抢劫 (刑法第二百六十三条) is a crime whatever the amount; 数额巨大 only raises the range. 入户盗窃 is
    theft whatever the amount (法释〔2013〕8号第三条)."""
    robbery = _est(texts, "持刀抢劫了路人。", ["抢劫"], [263])
    assert robbery.to_dict()["point_months"] and "估计判处" in robbery.conclusion()
    burglary = _est(texts, "被告人入户盗窃他人财物。", ["盗窃"], [264])
    assert burglary.to_dict()["point_months"] and "入户盗窃不论数额" in burglary.conclusion()


def test_a_fine_whose_amount_the_article_states_is_still_a_fine():
    """刑法第一百九十六条: 「并处二万元以上二十万元以下罚金」 imposes 罚金 as surely as 「并处罚金」."""
    from assistant.sentencing.penalties import fine_terms

    assert fine_terms("处五年以下有期徒刑或者拘役，并处二万元以上二十万元以下罚金") == ("并处", "")
    assert fine_terms("并处或者单处违法所得一倍以上五倍以下罚金")[0] == "并处或者单处"
    assert fine_terms("处五年以下有期徒刑，并处没收财产") == ("", "并处")
    assert fine_terms("处三年以下有期徒刑") == ("", "")


def test_a_defining_article_is_punished_where_the_law_says(texts: dict) -> None:
    """第三百八十五条 defines 受贿 and has no penalty; 第三百八十六条 punishes it 依照本法第三百八十三条.
    25万元 is 数额巨大 (贪污贿赂解释第二条, 第三条: 20万 to 300万): 三年以上十年以下, 并处罚金或者没收财产."""
    given = {k: texts[k] for k in (385, 386, 383)}
    est = _est(given, "国家工作人员收受他人财物25万元，为他人谋取利益", ["受贿"], [385])
    main = est.charges[0]
    assert main.article == 383, main.article
    assert est.point_months is not None and 36 <= est.point_months <= 120, est.point_months
    assert est.fines and "罚金" in est.fines[0]


def test_an_injury_short_of_the_crime_is_said_first(texts: dict) -> None:
    """故意伤害 needs 轻伤 (data: min_injury in guideline_2021.toml): 轻微伤 leads the conclusion with
    「可能不构成犯罪」 and its basis; 轻伤 does not."""
    slight = _est(texts, "被告人用啤酒瓶把对方头打破，经鉴定为轻微伤。", ["故意伤害"], [234])
    assert slight.conclusion().startswith("可能不构成犯罪：伤情为轻微伤，未达到轻伤")
    assert "治安管理处罚法第四十三条" in slight.conclusion()
    hurt = _est(texts, "被告人把被害人打成轻伤二级。", ["故意伤害"], [234])
    assert "可能不构成犯罪" not in hurt.conclusion()


def test_an_amount_below_an_aggravating_figure_is_no_bar_to_the_crime(texts: dict) -> None:
    """抢劫 needs no amount (刑法第二百六十三条); 3万元 (法释〔2005〕8号 参照盗窃 数额巨大) only raises the tier.
    3000元 robbed is the basic range (三年以上十年以下), never 「可能不构成犯罪」. 盗窃 below 较大 still is."""
    robbed = _est(texts, "在路上拿刀逼着别人交出了3000元", ["抢劫"], [263])
    assert "可能不构成犯罪" not in robbed.conclusion()
    assert "未达到“巨大”的标准" in robbed.conclusion()
    assert robbed.point_months is not None and 36 <= robbed.point_months <= 120
    stolen = _est(texts, "偷了别人500元", ["盗窃"], [264])
    assert "可能不构成犯罪" in " ".join(s.detail for s in stolen.charges[0].steps)


@pytest.mark.parametrize(
    ("fact", "names"),
    [
        ("在超市偷了价值4800元的东西，被抓后自首", ["坦白"]),  # brought in passively: 第六十七条第三款
        ("被告人被抓获后自首", ["坦白"]),
        ("盗窃后主动到派出所自首", ["自首"]),  # 自动投案: 第六十七条第一款
        ("偷了手机后自首", ["自首"]),
    ],
)
def test_a_confession_after_arrest_is_tanbai_not_surrender(fact: str, names: list[str]) -> None:
    from assistant.sentencing import find_circumstances

    found = find_circumstances(fact)
    assert [c.name for c in found if c.name in ("自首", "坦白")] == names
    if names == ["坦白"]:
        assert "自首" in next(c.evidence for c in found if c.name == "坦白")  # the trace shows why


# ------------------------------------------------------------------ 增加刑罚量 ([growth] reach)


def test_growth_covers_the_reach_of_the_way_to_the_next_tier(texts: dict, tmp_path: Path) -> None:
    """An amount just under the next threshold adds `reach` of (to_months − start); the bundled reach
    (0.5, chosen on the development cases) is read from the rules file, and a file may change it."""
    import dataclasses

    from assistant.sentencing.rules import DEFAULT_RULES, load_rules

    fact = "被告人窃取他人财物，价值29999元。"
    bundled = load_rules()
    assert {t.reach for c in bundled.crimes.values() for t in c.tiers} == {0.5}
    full = dataclasses.replace(
        bundled,
        crimes={
            k: dataclasses.replace(c, tiers=tuple(dataclasses.replace(t, reach=1.0) for t in c.tiers))
            for k, c in bundled.crimes.items()
        },
    )
    half = _est(texts, fact, ["盗窃"], [264], rules=bundled).charges[0]
    whole = _est(texts, fact, ["盗窃"], [264], rules=full).charges[0]
    assert half.start == whole.start and half.base is not None and whole.base is not None
    assert whole.base == pytest.approx(36, abs=0.1)  # the tier's `to_months` at the threshold
    assert half.base - half.start == pytest.approx((whole.base - whole.start) / 2, abs=0.1)
    assert _est(texts, fact, ["盗窃"], [264]).point_months < 30  # a court's figure, not the tier's top

    bad = tmp_path / "rules.toml"
    bad.write_text(
        DEFAULT_RULES.read_text(encoding="utf-8").replace("reach = 0.5", "reach = 1.5"), encoding="utf-8"
    )
    with pytest.raises(Exception, match="reach"):
        load_rules(bad)


def test_mostly_life_or_death_cases_give_the_ceiling_and_name_life(texts: dict) -> None:
    """故意杀人 (刑法第二百三十二条: 死刑、无期徒刑或者十年以上有期徒刑): when most same-charge cases got life or
    death, the fixed-term estimate is fifteen years and the conclusion says life or more is likely;
    when most got fixed terms, neither happens."""
    from corpora.records import CaseRecord

    def pool(severe: int, fixed: int) -> list[CaseRecord]:
        return [
            CaseRecord(case_id=f"s{i}", source="x", fact="被告人持刀杀死被害人。", charges=("故意杀人",),
                       life_imprisonment=True)
            for i in range(severe)
        ] + [
            CaseRecord(case_id=f"f{i}", source="x", fact="被告人持刀杀死被害人。", charges=("故意杀人",),
                       term_months=132)
            for i in range(fixed)
        ]  # fmt: skip

    fact = "被告人因感情纠纷持刀将被害人杀死，事后自己去派出所投案，如实供述。"
    severe = _est(texts, fact, ["故意杀人"], [232], similar_cases=pool(3, 2))
    assert severe.point_months == 180 and "可能判处无期徒刑以上" in severe.conclusion()
    assert (severe.low_months, severe.high_months) == (120, 180)
    half = _est(texts, fact, ["故意杀人"], [232], similar_cases=pool(2, 2))
    assert half.point_months == 180 and "可能判处无期徒刑以上" in half.conclusion(), (
        "half is the median's edge"
    )
    fixed = _est(texts, fact, ["故意杀人"], [232], similar_cases=pool(1, 4))
    assert fixed.point_months is not None and fixed.point_months < 180
    assert "无期徒刑以上" not in fixed.conclusion()


def test_reductions_are_kept_tight_for_crimes_of_grave_harm(texts: dict) -> None:
    """《量刑指导意见》三（一）: for 严重暴力犯罪、毒品犯罪 … 从宽的幅度应当从严掌握. 自首 takes 20% off a theft
    and half of that off a robbery; an aggravating circumstance is not halved; the step says why."""

    def percent(est: SentenceEstimate, name: str) -> float | None:
        return next((s.percent for c in est.charges for s in c.steps if s.name == f"情节：{name}"), None)

    theft = _est(texts, "盗窃他人财物价值5000元，后主动到派出所投案。", ["盗窃"], [264])
    robbery = _est(texts, "持刀抢劫他人财物价值5000元，后主动到派出所投案。", ["抢劫"], [263])
    assert percent(theft, "自首") == -20 and percent(robbery, "自首") == -10
    assert "从严掌握" in _steps(robbery)["情节：自首"] and "从严掌握" not in _steps(theft)["情节：自首"]
    repeat = _est(texts, "持刀抢劫他人财物价值5000元。被告人系累犯。", ["抢劫"], [263])
    assert (percent(repeat, "累犯") or 0) > 0 and "从严掌握" not in _steps(repeat)["情节：累犯"]


def test_a_strict_share_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    from assistant.sentencing.rules import DEFAULT_RULES, load_rules

    bad = tmp_path / "rules.toml"
    bad.write_text(
        DEFAULT_RULES.read_text(encoding="utf-8").replace("share = 0.5", "share = 2"), encoding="utf-8"
    )
    with pytest.raises(Exception, match="share"):
        load_rules(bad)


def test_owed_wages_are_the_amount_of_refusing_to_pay_wages(texts: dict) -> None:
    """拒不支付劳动报酬 (刑法第二百七十六条之一): the wages owed are the crime's amount, read against 法释〔2013〕3号
    第三条 (十名以上劳动者、三万元); a wage told as background (月工资3000元) is not an amount of a theft."""
    from assistant.sentencing.quantities import extract_amount

    assert extract_amount("被告人月工资3000元，盗窃他人财物价值5000元。") == (5000.0, "5000元")
    est = _est(
        texts,
        "公司老板拖欠20名工人工资共计30万元，经劳动监察部门责令支付后逃匿。",
        ["拒不支付劳动报酬"],
        [276],
    )
    ch = est.charges[0]
    assert "法释〔2013〕3号第三条" in est.to_markdown()
    assert ch.base is not None and ch.start is not None and ch.base > ch.start  # the amount adds to the start
    small = _est(texts, "公司老板拖欠12名工人工资共计3万元，经责令支付后逃匿。", ["拒不支付劳动报酬"], [276])
    assert small.point_months is not None and est.point_months is not None
    assert small.point_months < est.point_months


def test_the_range_holds_the_term_the_similar_cases_moved_it_to(texts: dict) -> None:
    from corpora.records import CaseRecord

    pool = [
        CaseRecord(case_id=f"w{i}", source="x", fact="被告人拖欠工人工资拒不支付。", charges=("拒不支付劳动报酬",),
                   term_months=6)
        for i in range(3)
    ]  # fmt: skip
    est = _est(texts, "公司老板拖欠20名工人工资共计30万元，经责令支付后逃匿。", ["拒不支付劳动报酬"], [276],
               similar_cases=pool)  # fmt: skip
    assert est.low_months is not None and est.high_months is not None and est.point_months is not None
    assert est.low_months <= est.point_months <= est.high_months


@pytest.mark.parametrize(
    ("told", "kind", "recidivist"),
    [
        ("他5年前因盗窃被判有期徒刑2年，去年刑满释放，这次又偷了5000元。", "有期徒刑", True),
        ("他前年刚出狱，以前因为诈骗坐过两年牢，这次又偷了5000元。", "有期徒刑", True),
        ("他10年前因抢劫被判了3年，这次偷了5000元。", "有期徒刑", False),  # released seven years ago
        (
            "三年前因盗窃判过有期徒刑一年缓刑二年，这次又偷了5000元。",
            "缓刑",
            False,
        ),  # a suspended term is not served
        ("他去年因醉驾被判拘役2个月，这次又偷了5000元。", "拘役", False),  # 拘役 is not 有期徒刑以上
        # 坐过牢 names no term: prison is 有期徒刑 (a lawyer's review found 累犯 missed here)
        ("他偷了4000元。他之前因为盗窃坐过牢，去年刚放出来", "有期徒刑", True),
        ("他偷了4000元。之前因为贩毒坐过牢，两年前刚出来", "有期徒刑", True),
    ],
)
def test_an_earlier_sentence_told_relative_to_today_decides_recidivism(
    texts: dict, told: str, kind: str, recidivist: bool
) -> None:
    """刑法第六十五条: 有期徒刑以上 served, a new crime within five years. A client tells the times relative
    to today (去年刑满释放, 前年刚出狱, 10年前被判了3年)."""
    today = date(2026, 11, 30)
    record = PriorRecord.told(told, today)
    assert record is not None and record.kind == kind
    est = _est(texts, told, ["盗窃"], [264], prior_record=record)
    assert ("情节：累犯" in _steps(est)) is recidivist
    assert PriorRecord.told("他偷了同事的手机，价值3000元。", today) is None
    for asked in (
        "盗窃他人财物三千元，可能判多久？",
        "会不会判三年以上？",
        "判了三年吗？",
    ):  # the question, not a record
        assert PriorRecord.told(asked, today) is None, asked


def test_drunk_cycling_is_outside_dangerous_driving(texts: dict, tmp_path: Path) -> None:
    """危险驾驶 is driving a 机动车 (刑法第一百三十三条之一); an 电动自行车 is a 非机动车 (道路交通安全法第一百一十九条
    第（四）项): the conclusion leads with 可能不构成犯罪. A car, or a denied bicycle, is not outside."""
    from assistant.sentencing.rules import DEFAULT_RULES, load_rules

    cycling = _est(texts, "喝酒后骑电动自行车被交警查到，血液酒精含量100mg/100ml。", ["危险驾驶"], [133])
    assert (
        cycling.conclusion().startswith("可能不构成犯罪")
        and "道路交通安全法第一百一十九条" in cycling.conclusion()
    )
    car = _est(texts, "醉酒驾驶机动车，血液酒精含量100mg/100ml，不是骑自行车。", ["危险驾驶"], [133])
    assert not car.conclusion().startswith("可能不构成犯罪")
    bad = tmp_path / "rules.toml"
    bad.write_text(
        DEFAULT_RULES.read_text(encoding="utf-8").replace('words = "电动自行车|', 'words = "电动自行车(|'),
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="outside"):
        load_rules(bad)


def test_probation_is_open_not_refused_when_the_facts_do_not_tell_remorse(texts: dict) -> None:
    """刑法第七十二条: a term of three years or less with remorse may be suspended. Facts that say nothing
    of remorse leave it open (a client read 「不宜宣告缓刑」 as a refusal); 累犯 bars it (第七十四条)."""
    silent = _est(texts, "他趁人不注意从电动车筐里拿走一个包，价值4000元。", ["盗窃"], [264])
    assert "能否缓刑：刑期符合缓刑条件" in silent.conclusion() and "不宜宣告缓刑" not in silent.conclusion()
    sorry = _est(
        texts, "他趁人不注意拿走一个包，价值4000元，到案后如实供述，退赃并取得谅解。", ["盗窃"], [264]
    )
    assert "可以考虑宣告缓刑" in sorry.conclusion()
    record = PriorRecord.told("他之前因为盗窃坐过牢，去年刚放出来", date(2026, 11, 30))
    barred = _est(texts, "他拿走一个包，价值4000元。", ["盗窃"], [264], prior_record=record)
    assert "不宜宣告缓刑：累犯不适用缓刑" in barred.conclusion()


def test_robbery_in_a_home_told_plainly_is_the_aggravated_tier(texts: dict) -> None:
    """刑法第二百六十三条第（一）项 入户抢劫: 10年以上. 「是在那个学生家里抢的」 is how a client says it."""
    street = _est(texts, "拿刀逼着一个学生交出手机和500块钱。", ["抢劫"], [263])
    home = _est(texts, "拿刀逼着一个学生交出手机和500块钱。是在那个学生家里抢的。", ["抢劫"], [263])
    assert street.point_months is not None and street.point_months < 120
    assert home.point_months is not None and home.point_months >= 120
    rushed = _est(texts, "拿刀逼着一个学生交出手机。他俩是冲进人家家里去抢的。", ["抢劫"], [263])
    assert rushed.point_months is not None and rushed.point_months >= 120


def test_obscene_video_files_decide_the_tier_of_363(texts: dict) -> None:
    """法释〔2004〕11号: 二十个视频文件 begin the crime; five times (100) is 情节严重 (三至十年), twenty-five
    times (500) 情节特别严重 (刑法第三百六十三条第一款). 300 files had been given six months."""
    charge = "制作、复制、出版、贩卖、传播淫秽物品牟利"
    few = _est(texts, "在网上卖黄色视频，卖了30多部，赚了500块。", [charge], [363])
    many = _est(texts, "在网上卖黄色视频，卖了300多部，赚了5000块。", [charge], [363])
    assert few.point_months is not None and few.point_months <= 36
    assert many.point_months is not None and 36 <= many.point_months <= 120
    assert "视频文件300个" in _steps(many)["法定刑幅度"]


def test_a_fine_amount_the_article_states_is_given(texts: dict) -> None:
    """刑法第一百九十三条 states the fine of each range (并处二万元以上二十万元以下罚金): the answer gives it
    rather than 「数额由法院根据犯罪情节决定」."""
    est = _est(texts, "用假的购销合同骗取银行贷款8万元，用于赌博。", ["贷款诈骗"], [193])
    assert "2万元以上20万元以下" in est.conclusion()


def test_an_amount_without_a_threshold_in_the_corpus_is_said(texts: dict) -> None:
    """刑法第一百九十三条 turns on 数额较大 / 巨大, and no interpretation in the corpus sets the figures: the
    conclusion says the tier of 80万元 cannot be told, rather than presenting the first tier as certain."""
    est = _est(texts, "用假的购销合同骗取银行贷款80万元，用于赌博。", ["贷款诈骗"], [193])
    assert "没有规定本罪数额标准的司法解释" in est.conclusion()
    theft = _est(texts, "盗窃他人财物价值5000元。", ["盗窃"], [264])  # the guideline has the figures
    assert "数额标准" not in theft.conclusion()


def test_theft_without_an_amount_by_the_ways_the_article_names(texts: dict) -> None:
    """刑法第二百六十四条: 入户盗窃 and 扒窃 are theft whatever the amount (法释〔2013〕8号第三条). The answer
    says so instead of asking for an amount; a failed attempt (啥也没拿到) is 未遂 (第二十三条)."""
    home = _est(texts, "半夜翻窗户进了别人家想偷东西，刚进去就被主人发现了，啥也没拿到。", ["盗窃"], [264])
    steps = _steps(home)
    assert "不论数额" in steps and "入户盗窃" in steps["不论数额"]
    assert "入户盗窃不论数额，构成盗窃罪" in home.conclusion()
    assert not home.conclusion().startswith("事实没有说明")
    assert "情节：未遂" in steps
    plain = _est(texts, "他偷了别人的东西。", ["盗窃"], [264])
    assert plain.conclusion().startswith("事实没有说明数额")


def test_escape_raises_a_traffic_crime_only_where_it_stands_without_it(texts: dict) -> None:
    """法释〔2000〕33号: with one 重伤 (全责), 逃逸 is what makes the crash a crime (第二条第二款第（六）项), so
    it is not counted again as the 逃逸 tier (三至七年); with a death it is (第二条第一款、第三条)."""
    injured = _est(texts, "撞伤一人，经鉴定为重伤，负事故全部责任，当时害怕就跑了。", ["交通肇事"], [133])
    killed = _est(texts, "撞死一人，负事故全部责任，当时害怕就跑了。", ["交通肇事"], [133])
    assert injured.point_months is not None and injured.point_months <= 36
    assert killed.point_months is not None and killed.point_months >= 36


def test_selling_a_small_quantity_of_drugs_is_a_crime_whatever_the_quantity(texts: dict) -> None:
    """刑法第三百四十七条第一款: 无论数量多少，都应当追究刑事责任. Its 数量较大 (十克) opens the 七年以上 range, not
    the crime: 5克 was answered 「低于“较大”的标准…可能不构成犯罪」 (a lawyer's review)."""
    est = _est(texts, "被告人贩卖甲基苯丙胺5克。", ["走私、贩卖、运输、制造毒品"], [347])
    conclusion = est.conclusion()
    assert "不构成犯罪" not in conclusion and est.point_months and est.point_months <= 36, conclusion
    theft = _est(texts, "被告人盗窃他人财物价值500元。", ["盗窃"], [264]).conclusion()
    assert "可能不构成犯罪" in theft  # 盗窃's 数额较大 is its entry: below it, no crime without more


def test_a_circumstance_s_step_cites_the_article_that_makes_it(texts: dict) -> None:
    """The guideline's section says how much a circumstance moves the term; 刑法 says what it is (累犯 第六十五条,
    自首 第六十七条第一款, 毒品再犯 第三百五十六条): both stand in the step, so the answer cites the article (a
    lawyer's review: 累犯 and 毒品再犯 were applied, never cited)."""
    theft = _steps(
        _est(texts, "被告人盗窃他人财物价值8000元，后自动投案，如实供述。被告人系累犯。", ["盗窃"], [264])
    )
    assert "刑法第六十五条" in theft["情节：累犯"] and "刑法第六十七条第一款" in theft["情节：自首"]
    assert LAW.definitions["毒品再犯"][0] == "第三百五十六条"


def test_a_hit_and_run_told_plainly_is_sentenced_in_the_tier_of_flight(texts: dict) -> None:
    """刑法第一百三十三条: 交通运输肇事后逃逸 … 处三年以上七年以下有期徒刑. A lawyer's review (stop 18): 「当时吓坏了直接
    开走了……送医院后抢救无效死了」 was estimated at ten months with 缓刑 possible (neither the flight nor the death
    was read)."""
    fact = "被告人开车撞了一个骑电动车的人，当时吓坏了直接开走了。被撞的人送医院后抢救无效死了。"
    est = _est(texts, fact, ["交通肇事"], [133])
    assert est.charges[0].statutory == (36.0, 84.0) and est.point_months >= 36, est.conclusion()
    assert extract_quantities("他当时都吓死了，赶紧报了警").injury is None  # 吓死了 is no death


def test_driving_after_drink_below_80_mg_is_said_to_be_no_crime(texts: dict) -> None:
    """醉酒 starts at 80 mg/100ml (两高两部 2023 意见第四条): 56 is 饮酒后驾驶, punished by 道路交通安全法第九十一条
    第一款 (a licence held six months and 1,000 to 2,000 元), not 危险驾驶罪; 120, told without its /100ml, is."""
    from assistant.sentencing.engine import SHORT_OF_CRIME

    below = _est(texts, "中午喝了两瓶啤酒，下午开车被查，抽血是56mg/100ml。", ["危险驾驶"], [133])
    (short,) = [s for s in below.charges[0].steps if s.name == SHORT_OF_CRIME]
    assert "不构成危险驾驶罪" in short.detail and "道路交通安全法第九十一条第一款" in short.detail
    assert "56mg/100ml" in short.detail and short.evidence == "56mg/100ml"
    drunk = _est(texts, "醉驾被查，血液酒精含量120毫克。", ["危险驾驶"], [133])
    assert drunk.quantities.bac == 120
    assert not [s for s in drunk.charges[0].steps if s.name == SHORT_OF_CRIME]


def test_a_sum_asked_for_and_then_paid_is_counted_once() -> None:
    """A lawyer's review: 「给我2万元，不然就把照片发给他老婆…他怕了就转了我2万元」 was 4万 (数额巨大, 3 to 10 years);
    the money asked for is the money paid. Asked for and not paid, it is the amount (敲诈勒索未遂)."""
    from assistant.sentencing.quantities import extract_amount

    assert extract_amount("我跟他说给我2万元，不然就把照片发给他老婆，他怕了就转了我2万元") == (
        20000.0,
        "2万元",
    )
    assert extract_amount("向他索要5万元，他没给就报警了") == (50000.0, "5万元")
    assert extract_amount("被告人向被害人索要人民币2000元，被害人给付1000元")[0] == 1000.0  # type: ignore[index]
    assert extract_amount("他偷了3000元，又偷了2000元")[0] == 5000.0  # type: ignore[index]
    # money paid to the teller (他给我转了) is no sum asked for
    assert extract_amount("他给我转了2000元，后来又给我转了3000元")[0] == 5000.0  # type: ignore[index]
    # a price per unit beside the sum the facts turn on (帮信: 支付结算 60万, not 60.08万)
    assert extract_amount("卖了两张卡，每张800元，卡里流水60万元") == (600000.0, "60万元")
    assert extract_amount("每次偷200元")[0] == 200.0  # type: ignore[index]


def test_one_slight_injury_in_a_brawl_is_said_to_fall_short_of_picking_quarrels(texts: dict) -> None:
    """法释〔2013〕18号第二条: 随意殴打 is 情节恶劣 from one 轻伤 or two 轻微伤 (or 多次, 持凶器 …); one 轻微伤 alone is not."""
    from assistant.sentencing.engine import SHORT_OF_CRIME

    est = _est(texts, "在饭店跟邻桌吵起来，我打了他两拳，鉴定为轻微伤。", ["寻衅滋事"], [293])
    (short,) = [s for s in est.charges[0].steps if s.name == SHORT_OF_CRIME]
    assert "不属于“情节恶劣”" in short.detail and "第二条" in short.basis


@pytest.mark.parametrize(
    ("told", "names"),
    [
        ("警察到家里把我抓了，我把打人的事都承认了", {"坦白"}),
        ("被抓以后全都招了", {"坦白"}),
        ("被抓后，一开始不承认，后来都交代了", {"坦白"}),
        ("被抓后没有承认", set()),
        ("被抓后一直不承认", set()),
    ],
)
def test_a_confession_after_arrest_told_by_a_client_is_coming_clean(told: str, names: set[str]) -> None:
    """刑法第六十七条第三款: brought in, and telling the truth of his crime, the suspect has 坦白 (a lawyer's review,
    stop 23: 「…算自首吗」 after an arrest and a confession was told 不能认定 without 坦白)."""
    from assistant.sentencing import find_circumstances

    assert {c.name for c in find_circumstances(told)} & {"坦白", "自首"} == names


def test_an_article_that_convicts_as_the_charge_is_cited_first_in_the_conclusion(texts: dict) -> None:
    """刑法第二百六十九条: 犯盗窃…罪，为…抗拒抓捕…而当场使用暴力…的，依照本法第二百六十三条的规定定罪处罚. A lawyer's
    review (stop 23): the conclusion cited 第二百六十三条 alone, and 第二百六十九条, why it is 抢劫, only below."""
    from dataclasses import dataclass

    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import conclusion

    @dataclass(frozen=True)
    class _Hit:
        number: int
        text: str
        suffix: int = 0
        law_title: str = "中华人民共和国刑法"

    robbery, transfer = _Hit(263, str(texts[263])), _Hit(269, str(texts[269]))
    est = _est(texts, "在商场把衣服塞进包里没付钱，被保安拦住，推倒保安跑了。", ["抢劫"], [263])
    said = conclusion(est, Plan(statutes=[robbery, transfer], transfers=[transfer], charge_name="抢劫罪"))
    assert said.startswith("**结论**：按抢劫罪（刑法第二百六十九条，依照第二百六十三条定罪处罚）")
    # an article the search brought that the facts do not reach (第二百四十一条 for 拐卖) is no reason
    plain = conclusion(est, Plan(statutes=[robbery, transfer], charge_name="抢劫罪"))
    assert plain.startswith("**结论**：按抢劫罪（刑法第二百六十三条）")


def test_a_charge_the_facts_never_reach_is_said_to_be_a_guess_before_its_term(texts: dict) -> None:
    """Stop 24: 「足疗店…技师私下跟客人做那种交易…我这算啥罪」 was sentenced as 走私、贩卖、运输、制造毒品罪 (交易), a
    charge only the labelled cases' words put first (ranker.ChargeCandidate.grounded). The conclusion says so first."""
    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import conclusion

    est = _est(texts, "被告人贩卖毒品海洛因5克。", ["走私、贩卖、运输、制造毒品"], [347])
    guessed = conclusion(est, Plan(charge_name="走私、贩卖、运输、制造毒品罪", guessed=True))
    assert guessed.startswith(
        "**结论**：所述事实中没有能对应某一罪名罪状的行为描述，走私、贩卖、运输、制造毒品罪只是"
    )
    assert "仅供参考：如按走私、贩卖、运输、制造毒品罪（刑法第三百四十七条）处理，估计判处" in guessed
    told = conclusion(est, Plan(charge_name="走私、贩卖、运输、制造毒品罪"))
    assert "推测" not in told and told.startswith(
        "**结论**：按走私、贩卖、运输、制造毒品罪（刑法第三百四十七条）估算"
    )


def test_an_offender_of_seventy_five_or_more_is_told_article_17_1_in_the_conclusion(texts: dict) -> None:
    """刑法第十七条之一: 已满七十五周岁的人…过失犯罪的，应当从轻或者减轻处罚 (stop 24: a father of 76 whose grave fire
    burnt a forest was estimated as anyone else)."""
    est = _est(
        texts,
        "被告人行为时76周岁，已满七十五周岁。上坟烧纸引燃山林，过火面积30亩，损失20万元。",
        ["失火"],
        [115],
    )
    said = est.conclusion()
    assert (
        "犯罪时已满七十五周岁：故意犯罪的，可以从轻或者减轻处罚；过失犯罪的，应当从轻或者减轻处罚（刑法第十七条之一）"
        in said
    )


def test_a_new_crime_within_the_probation_period_revokes_it_in_the_conclusion(texts: dict) -> None:
    """刑法第七十七条第一款: 在缓刑考验期限内犯新罪…应当撤销缓刑…依照本法第六十九条的规定，决定执行的刑罚 (stop 24,
    heldout13: 「前年打架判了一年，缓刑两年，一直在社区矫正。上礼拜…又跟人动手」 was estimated as a first crime)."""
    from assistant.sentencing.conditions import PriorRecord

    fact = "前年打架判了一年，缓刑两年，一直在社区矫正。上礼拜喝了酒又跟人动手，把人打成轻伤。"
    est = _est(texts, fact, ["故意伤害"], [234], prior_record=PriorRecord.told(fact))
    assert "应当撤销缓刑（前罪所判一年）" in est.conclusion() and "刑法第七十七条第一款" in est.conclusion()
    done = "三年前打架判了一年，缓刑一年，早就考验期满了。上礼拜又跟人动手，把人打成轻伤。"
    assert not _est(texts, done, ["故意伤害"], [234], prior_record=PriorRecord.told(done)).revoked
    first = "上礼拜喝了酒跟人动手，把人打成轻伤。"
    assert not _est(texts, first, ["故意伤害"], [234], prior_record=PriorRecord.told(first)).revoked


def test_a_death_told_as_gone_after_the_hospital_sets_the_hit_and_run_tier(texts: dict) -> None:
    """A lawyer's review (stop 24): 「开车跑了…大爷送到医院抢救两天还是走了」 was estimated in the 三年以下 tier; the death
    is told (走了), and with it 逃逸 is 三年以上七年以下 (法释〔2000〕33号第三条)."""
    from assistant.sentencing import extract_quantities

    assert extract_quantities("大爷送到医院抢救两天还是走了").injury == "死亡"
    assert extract_quantities("人送医院没救过来").injury == "死亡"
    assert extract_quantities("他抢救了一晚上，钱都花没了").injury is None
    fact = "晚上开车把一个骑电动车的大爷撞了，吓坏了开车跑了，大爷送到医院抢救两天还是走了，交警认定全责。"
    assert _est(texts, fact, ["交通肇事"], [133]).charges[0].statutory == (36.0, 84.0)


def test_an_offender_over_seventy_five_above_three_years_is_told_probation_at_three_or_less(
    texts: dict,
) -> None:
    """A lawyer's review (stop 24): a man of 77, 重伤二级, estimated 3年2个月 with a range down to 1年10个月, was told
    「不宜宣告缓刑」 flatly; 刑法第七十二条第一款 makes it 应当 for him at three years or less."""
    fact = "被告人行为时77周岁，已满七十五周岁。因宅基地纠纷持锄头将邻居打成重伤二级。"
    said = _est(texts, fact, ["故意伤害"], [234]).conclusion()
    assert (
        "不宜宣告缓刑" in said and "如依法减轻处罚、判处三年以下有期徒刑" in said and "应当宣告缓刑" in said
    )


def test_ten_acts_of_receiving_are_a_serious_case_whatever_their_value() -> None:
    """法释〔2015〕11号 (as amended 2021) 第三条第（二）项: 掩饰、隐瞒犯罪所得…十次以上 is 情节严重 (三年以上七年以下). A
    lawyer's review (stop 25): a shop that bought stolen phones twelve times, 4万 in all, was estimated in the base tier.
    Counts told as 十几次 or 二十多次 are at least one more than their number."""
    from assistant.sentencing import estimate_sentence
    from assistant.sentencing.quantities import extract_quantities

    assert extract_quantities("前后收了十几次").count == 11
    assert extract_quantities("偷了二十多次").count == 21
    assert extract_quantities("多次盗窃").count == 3
    twelve = estimate_sentence(
        "我开手机店，明知是偷来的手机还收，前后收了12次，总价值4万元。", ["掩饰隐瞒犯罪所得"], [312]
    )
    three = estimate_sentence(
        "我开手机店，明知是偷来的手机还收，前后收了3次，总价值4万元。", ["掩饰隐瞒犯罪所得"], [312]
    )
    assert twelve.point_months is not None and twelve.point_months >= 36
    assert three.point_months is not None and three.point_months < 36
