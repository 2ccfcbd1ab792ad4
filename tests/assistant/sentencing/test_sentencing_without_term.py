"""A sentence without a term where the law's conditions hold (criminal_law.toml [[without_term]],
exemption.py): one test per rule, each failing where the rule applies when it must not, or not when
it must. Article texts are the fictional ones of tests/fixtures/sentencing unless a test says so; the
expected outcome is written from the law first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.sentencing import criminal_law_texts
from assistant.sentencing import estimate_sentence
from assistant.sentencing.trace import SentenceEstimate

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "sentencing"
ARTICLES = {
    int(k): v for k, v in json.loads((FIXTURES / "articles.json").read_text("utf-8")).items() if k.isdigit()
}
FINE_WORDS = "可以单处罚金（《最高人民法院关于适用财产刑若干问题的规定》第四条"


def _est(fact: str, charge: str, article: int, text: str) -> SentenceEstimate:
    return estimate_sentence(fact, [charge], [article], {article: text})


# ------------------------------------------------------------------ 单处罚金 (财产刑规定第四条)
# 902's second paragraph: 处三年以下有期徒刑、拘役、管制或者罚金 (罚金 among the principal penalties).
# 第四条: 犯罪情节较轻，适用单处罚金不致再危害社会并具有（偶犯或者初犯; 自首 …）之一的，可以依法单处罚金.
# 不致再危害社会 is shown by remorse (as for 缓刑, 刑法第七十二条). Expected: a first offender in that range who
# confessed → 单处罚金, 0 months, the term named as the alternative; the same without remorse told, or a 累犯
# (a prior record speaks against 不致再危害社会) → a term.

FISHING = "被告人在禁渔期使用电网捕捞，情节严重。{}"


def test_a_fine_alone_for_a_remorseful_first_offender_in_a_range_that_lists_the_fine() -> None:
    est = _est(FISHING.format("归案后如实供述。"), "非法捕捞", 902, ARTICLES[902])
    assert est.kind == "单处罚金" and est.point_months == 0
    said = est.conclusion()
    assert FINE_WORDS in said and "按初犯" in said and "有悔罪表现（坦白）" in said
    assert "如判处刑罚，估计为" in said
    for worse in (FISHING.format(""), FISHING.format("归案后如实供述。被告人系累犯。")):
        est = _est(worse, "非法捕捞", 902, ARTICLES[902])
        assert est.kind != "单处罚金" and est.point_months > 0
        assert "单处罚金" not in est.conclusion().split("罚金：")[0]


def test_no_fine_alone_where_the_fine_goes_with_a_term() -> None:
    """并处或者单处罚金 (900's first range): a term with a fine is the usual course; the rule needs 罚金
    among the principal penalties (…管制或者罚金)."""
    est = _est("被告人窃取被害人手机一部，价值人民币三千元。案发后主动投案。", "某罪", 900, ARTICLES[900])
    assert est.kind in ("有期徒刑", "拘役") and est.point_months > 0


def test_a_fine_alone_only_where_the_figure_is_light() -> None:
    """情节较轻: the figure under twice the one at which the crime begins. 非国家工作人员受贿's entry is 6万元
    (法释〔2016〕9号第十一条); in a (fictional) range that lists the fine, 8万元 is light, 20万元 is not."""
    text = "收受他人财物，数额较大的，处三年以下有期徒刑、拘役、管制或者罚金；数额巨大的，处三年以上十年以下有期徒刑。"
    light = _est("被告人收受他人财物人民币8万元。到案后如实供述。", "非国家工作人员受贿", 163, text)
    assert light.kind == "单处罚金" and "不到入罪标准6万的2倍" in light.conclusion()
    heavy = _est("被告人收受他人财物人民币20万元。到案后如实供述。", "非国家工作人员受贿", 163, text)
    assert heavy.kind != "单处罚金" and heavy.point_months > 0


def test_illegal_hunting_in_the_criminal_law_of_the_corpus(shared_corpus: Path) -> None:
    """刑法第三百四十一条第二款: 处三年以下有期徒刑、拘役、管制或者罚金 → 单处罚金 for a first offender."""
    texts = criminal_law_texts(shared_corpus)
    fact = "被告人在禁猎期内使用禁用的工具猎捕野生动物，情节严重。归案后如实供述。"
    est = estimate_sentence(fact, ["非法狩猎"], [341], texts)
    assert est.kind == "单处罚金" and est.point_months == 0
    assert "刑法第五十二条" in est.conclusion()


# ------------------------------------------------------------------ 免予刑事处罚: 自首, 渎职罪
# 刑法第六十七条第一款: 对于自首的犯罪分子…犯罪较轻的，可以免除处罚; the rule covers 第三百九十七条至第四百一十九条
# in the first range of three years or less. Expected: 滥用职权 with a loss of 50万元 (first range: 30万至150万,
# 法释〔2012〕18号第一条) and 自首 → 免予刑事处罚; without 自首, or with 200万元 (情节特别严重), or with the same
# facts under an article outside the span → a term.

ABUSE = "被告人滥用职权，致使公共财产损失人民币{}万元。"


def test_surrender_exempts_a_light_crime_of_office() -> None:
    est = _est(ABUSE.format(50) + "案发后被告人主动投案自首。", "滥用职权", 397, ARTICLES[903])
    assert est.kind == "免予刑事处罚" and est.point_months == 0
    said = est.conclusion()
    assert "可以免予刑事处罚（刑法第六十七条第一款" in said and "有自首" in said
    assert "缓刑" not in said  # no term, no probation


@pytest.mark.parametrize(
    ("fact", "charge", "article"),
    [
        (ABUSE.format(50), "滥用职权", 397),  # no 自首
        (ABUSE.format(200) + "案发后被告人主动投案自首。", "滥用职权", 397),  # 情节特别严重: second range
        (ABUSE.format(50) + "案发后被告人主动投案自首。", "某罪", 903),  # not a crime of office
        (ABUSE.format(50) + "案发后被告人主动投案自首。被告人系累犯。", "滥用职权", 397),
    ],
)
def test_no_exemption_where_a_condition_fails(fact: str, charge: str, article: int) -> None:
    est = _est(fact, charge, article, ARTICLES[903])
    assert est.kind in ("有期徒刑", "拘役") and est.point_months > 0


# ------------------------------------------------------------------ 免予刑事处罚: 中止 (刑法第二十四条第二款)
# 对于中止犯，没有造成损害的，应当免除处罚. Expected: 中止 without harm → 免予刑事处罚; 中止 after violence on the
# victim (harm done) → a term, reduced.


def test_abandoning_the_crime_without_harm_exempts() -> None:
    est = _est("被告人持木棍追赶被害人，后自动放弃犯罪，离开现场。", "某罪", 904, ARTICLES[904])
    assert est.kind == "免予刑事处罚" and "刑法第二十四条第二款" in est.conclusion()
    hurt = _est("被告人持木棍殴打被害人，后自动放弃犯罪，离开现场。", "某罪", 904, ARTICLES[904])
    assert hurt.kind in ("有期徒刑", "拘役") and hurt.point_months > 0


# ------------------------------------------------------------------ 免予刑事处罚: 未成年人 (法释〔2006〕1号第十七条)
# 未成年罪犯…可能被判处拘役、三年以下有期徒刑，如果悔罪表现好，并具有（从犯 …）之一的，应当…免予刑事处罚.
# Expected: a minor, 从犯, who compensated and was forgiven → 免予刑事处罚; the same without remorse shown → a term;
# an adult → a term.

MINOR = "被告人犯罪时未满十八周岁，伙同他人伤害被害人，在共同犯罪中起次要作用。{}"


def test_a_remorseful_minor_accomplice_is_exempted() -> None:
    est = _est(MINOR.format("案发后赔偿被害人损失并取得谅解。"), "某罪", 904, ARTICLES[904])
    assert est.kind == "免予刑事处罚" and "法释〔2006〕1号）第十七条" in est.conclusion()
    silent = _est(MINOR.format(""), "某罪", 904, ARTICLES[904])
    assert silent.kind in ("有期徒刑", "拘役") and silent.point_months > 0
    adult = _est(
        "被告人伙同他人伤害被害人，在共同犯罪中起次要作用。案发后赔偿被害人损失并取得谅解。",
        "某罪",
        904,
        ARTICLES[904],
    )
    assert adult.kind in ("有期徒刑", "拘役") and adult.point_months > 0


# ------------------------------------------------------------------ several crimes


def test_no_sentence_without_a_term_for_one_of_several_crimes() -> None:
    """The circumstances are the whole case's: which crime a 自首 belongs to the facts do not say."""
    est = estimate_sentence(
        ABUSE.format(50) + "案发后被告人主动投案自首。",
        ["滥用职权", "某罪"],
        [397, 904],
        {397: ARTICLES[903], 904: ARTICLES[904]},
    )
    assert all(c.kind in ("有期徒刑", "拘役") for c in est.charges)


# ------------------------------------------------------------------ 刑法第七十一条: a new crime while serving a sentence
# 把前罪没有执行的刑罚和后罪所判处的刑罚，依照本法第六十九条的规定，决定执行的刑罚. Expected: a remainder of
# 十四年十个月 told in words, or a term running to 2000年4月2日 with the new act on 1996年6月22日 (about 45 months
# left), is combined with the new term: above the larger of the two, below their sum; without the remainder
# told, or without 服刑, the new term alone.

ESCAPE = "在外出劳动过程中趁看守人员不备逃离。"


@pytest.mark.parametrize(
    ("fact", "left"),
    [
        ("被告人在监狱服刑期间" + ESCAPE + "被告人逃离时余刑尚有十四年十个月。", 178),
        ("被告人因盗伐林木罪被判处有期徒刑五年，刑期自1995年4月3日起至2000年4月2日止。被告人服刑期间，"
         "于1996年6月22日" + ESCAPE, 45),
    ],
)  # fmt: skip
def test_the_unserved_remainder_is_combined_with_the_new_term(fact: str, left: float) -> None:
    alone = _est(ESCAPE, "某罪", 904, ARTICLES[904])
    est = _est(fact, "某罪", 904, ARTICLES[904])
    assert est.kind == "有期徒刑" and "刑法第七十一条" in est.conclusion()
    assert max(left, alone.point_months) < est.point_months < left + alone.point_months + 1
    assert not est.probation_plausible
    untold = _est("被告人在监狱服刑期间" + ESCAPE, "某罪", 904, ARTICLES[904])
    assert untold.point_months == alone.point_months and "第七十一条" not in untold.conclusion()
