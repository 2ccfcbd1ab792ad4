"""Articles that by their own words prevail over the lead for the facts told (assistant/agent/prevailing.toml),
one rule at a time: each expected lead written from the article's text first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.agent.answering import prevailing, prevailing_rules
from corpora.citations import parse_citations


@dataclass(frozen=True)
class _Hit:
    law_id: str
    number: int
    suffix: int = 0


class _Searcher:
    def lookup(self, citation: str) -> list[_Hit]:
        return [_Hit(str(r.law), r.number, r.suffix) for r in parse_citations(citation)]


LABOUR_40, LABOUR_42 = _Hit("劳动合同法", 40), _Hit("劳动合同法", 42)
DIVORCE, PREGNANT, SOLDIER = _Hit("民法典", 1079), _Hit("民法典", 1082), _Hit("民法典", 1081)
SUE_AFTER_REVIEW, PUBLIC_ORDER = _Hit("行政诉讼法", 44), _Hit("治安管理处罚法", 102)
SCHOOL_UNDER_8, SCHOOL_8_UP = _Hit("民法典", 1199), _Hit("民法典", 1200)


@pytest.mark.parametrize(
    ("question", "statutes", "lead"),
    [
        # 劳动合同法第四十二条（四）: 孕期 — 不得依照第四十条、第四十一条解除
        ("我怀孕4个月，公司说我不能胜任工作，把我辞退了，合法吗？", [LABOUR_40, LABOUR_42], LABOUR_42),
        # （三）医疗期; （二）因工负伤; （五）连续工作满十五年且距法定退休年龄不足五年
        ("我生病住院治疗期间，公司以经济性裁员为由把我裁了，可以吗？", [LABOUR_40], LABOUR_42),
        ("上班时受伤评了九级伤残，公司说客观情况变了要解除合同，行吗？", [LABOUR_40], LABOUR_42),
        ("在厂里干了十八年，再过三年就退休了，厂里说我不胜任要辞退我，行吗？", [LABOUR_40], LABOUR_42),
        # without a protected fact 第四十条 answers: it permits the dismissal on 30 days' notice
        ("公司说我不能胜任工作，要跟我解除合同，合法吗？", [LABOUR_40, LABOUR_42], LABOUR_40),
        # 民法典第一千零八十二条: 女方在怀孕期间…男方不得提出离婚
        ("老婆怀孕五个月，我想跟她离婚，法院会受理吗？", [DIVORCE], PREGNANT),
        ("我想离婚，她不同意，能判离吗？", [DIVORCE], DIVORCE),
        # 民法典第一千零八十一条: 现役军人的配偶要求离婚，应当征得军人同意
        ("老公是现役军人，我想离婚他不同意，能离吗？", [DIVORCE], SOLDIER),
        # 行政诉讼法第四十四条第二款 defers to the law: for a 治安管理处罚, 治安管理处罚法第一百零二条 (review or suit)
        ("我因为打架被派出所拘留5天罚款500元，我不服，怎么办？", [SUE_AFTER_REVIEW], PUBLIC_ORDER),
        ("市场监管局罚了我两万，我不服，是先复议还是直接起诉？", [SUE_AFTER_REVIEW], SUE_AFTER_REVIEW),
        # 民法典第一千二百条 for a pupil of eight or more (第十九条); 第一千一百九十九条 under eight (第二十条)
        ("儿子读初二，在学校操场被同学撞倒摔断了胳膊，学校要赔吗？", [SCHOOL_UNDER_8], SCHOOL_8_UP),
        ("女儿10岁，在教室里被同学推了一下磕破了头，学校有责任吗？", [SCHOOL_UNDER_8], SCHOOL_8_UP),
        ("孩子5岁，在幼儿园被别的小朋友咬伤了，幼儿园要担责吗？", [SCHOOL_8_UP], SCHOOL_UNDER_8),
        (
            "孩子在学校受伤了，学校要负责吗？",
            [SCHOOL_UNDER_8],
            SCHOOL_UNDER_8,
        ),  # no age told: the search's order
        (
            "我三十八岁，孩子在学校被同学打伤了，学校要赔吗？",
            [SCHOOL_UNDER_8],
            SCHOOL_UNDER_8,
        ),  # the parent's age
    ],
)
def test_the_prevailing_article_leads_only_for_the_facts_it_names(question, statutes, lead) -> None:
    assert prevailing(_Searcher(), question, statutes)[0] == lead


def test_an_article_the_rule_does_not_name_keeps_the_lead() -> None:
    other = _Hit("劳动合同法", 38)
    assert prevailing(_Searcher(), "我怀孕了，公司拖欠工资，我能辞职吗？", [other, LABOUR_40]) == [
        other,
        LABOUR_40,
    ]
    assert prevailing(_Searcher(), "任何问题", []) == []


def test_every_rule_cites_articles_of_the_corpus_whose_text_names_what_it_prevails_over(
    shared_corpus: Path,
) -> None:
    from corpora.loader import load_corpus

    texts = {
        (a.law_title.removeprefix("中华人民共和国"), a.number, a.suffix): a.text
        for a in load_corpus(shared_corpus, cases=False).articles
        if a.current and a.numbering == "article"
    }
    import tomllib

    from assistant.agent.answering import PREVAILING_FILE

    bases = {
        r["article"]: r["basis"] for r in tomllib.loads(PREVAILING_FILE.read_text(encoding="utf-8"))["rule"]
    }
    for rule in prevailing_rules():
        (ref,) = parse_citations(rule.article)
        assert (ref.law, ref.number, ref.suffix) in texts, rule.article
        # the basis says so: the prevailing article's own 不得 / 应当征得, or the deferral of the article it
        # prevails over (行政诉讼法第四十四条: 依照法律、法规的规定)
        (basis,) = parse_citations(bases[rule.article])
        text = texts[(basis.law, basis.number, basis.suffix)]
        # or the definition of the persons each article covers (民法典第十九条、第二十条: 限制 / 无民事行为能力人)
        assert (
            "不得" in text or "应当征得" in text or "依照法律、法规的规定" in text or "民事行为能力人" in text
        ), rule.article
        for cite in rule.over:
            (over,) = parse_citations(cite)
            assert (over.law, over.number, over.suffix) in texts, cite
