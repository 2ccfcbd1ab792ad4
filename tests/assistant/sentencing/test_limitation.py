"""追诉时效 (刑法第八十七条 to 第八十九条): the period for the range a told crime's facts fall in, read from the
limitation article's own items, against the years the client says have passed. Expected outcomes written from the
article texts before the code ran."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assistant.backends.extractive import ExtractiveBackend
from assistant.sentencing.law import applied_articles
from assistant.sentencing.limitation import (
    asks_still,
    conclusion,
    limitation_rule,
    period_for,
    periods,
    years_passed,
)
from assistant.sentencing.ranges import StatutoryTier
from assistant.services.answer import AssistantService
from assistant.settings import load_settings
from tests.assistant.assistant_fakes import FakeSearcher

ARTICLE_87 = (
    "犯罪经过下列期限不再追诉：\n（一）法定最高刑为不满五年有期徒刑的，经过五年；\n（二）法定最高刑为五年以上不满十年"
    "有期徒刑的，经过十年；\n（三）法定最高刑为十年以上有期徒刑的，经过十五年；\n（四）法定最高刑为无期徒刑、死刑的，经过"
    "二十年。如果二十年以后认为必须追诉的，须报请最高人民检察院核准。"
)
ARTICLE_88 = "在人民检察院、公安机关、国家安全机关立案侦查或者在人民法院受理案件以后，逃避侦查或者审判的，不受追诉期限的限制。"
ARTICLE_89 = "追诉期限从犯罪之日起计算；犯罪行为有连续或者继续状态的，从犯罪行为终了之日起计算。"


def _tier(max_months: int, life: bool = False, death: bool = False) -> StatutoryTier:
    return StatutoryTier("", "", 6, max_months, life=life, death=death)


def test_the_periods_are_read_from_the_article_itself():
    found = periods(ARTICLE_87)
    assert [(p.item, p.years) for p in found] == [
        ("（一）", 5),
        ("（二）", 10),
        ("（三）", 15),
        ("（四）", 20),
    ]
    assert periods(ARTICLE_88) == []  # any other article has none


@pytest.mark.parametrize(
    ("tier", "years"),
    [
        (_tier(36), 5),  # 三年以下: 不满五年 → 五年
        (_tier(60), 10),  # 五年以下: 五年以上不满十年 → 十年
        (_tier(120), 15),  # 三年以上十年以下: 十年以上 → 十五年
        (_tier(180), 15),  # 十年以上有期徒刑 (第四十五条's 15 years)
        (_tier(180, life=True), 20),  # 十年以上有期徒刑或者无期徒刑
        (_tier(6), 5),  # 拘役 (危险驾驶)
    ],
)
def test_each_range_s_maximum_gives_its_period(tier: StatutoryTier, years: int):
    period = period_for(periods(ARTICLE_87), tier)
    assert period is not None and period.years == years


def test_the_years_passed_are_read_as_clients_tell_them():
    assert years_passed("十年前我偷过一辆摩托车") == 10
    assert years_passed("三年多前跟人打架") == 3
    assert years_passed("8年前骗了别人五万") == 8
    assert years_passed("2010年我抢过别人一个包", today=date(2026, 12, 1)) == 16
    assert years_passed("我偷过一辆摩托车") is None
    assert asks_still("现在还会被抓吗？", "八年前骗了别人五万块钱")
    assert not asks_still("现在还会被抓吗？", "我骗了别人五万块钱")  # no time told: a case to sentence
    assert not asks_still("会判几年？", "八年前骗了别人五万块钱")
    assert asks_still("现在回老家会被抓吗？", "我十年前跟人打架把对方打成轻伤，我跑外地了")


def test_the_conclusion_weighs_the_period_against_the_years_told():
    found = periods(ARTICLE_87)
    tier = StatutoryTier("数额较大", "三年以下有期徒刑、拘役或者管制", 1, 36)
    past = conclusion(
        "盗窃", "刑法第二百六十四条[2]", tier, [tier], "刑法第八十七条", found, 1, "十年前偷过一辆摩托车"
    )
    # the limitation article first: it is what is asked
    assert past.startswith(
        "**结论**：依照刑法第八十七条第（一）项[1]，法定最高刑为不满五年有期徒刑的，经过五年不再追诉"
    )
    assert "追诉期限为5年" in past and "已过10年，超过这一期限" in past
    within = conclusion(
        "盗窃", "刑法第二百六十四条", tier, [tier], "刑法第八十七条", found, 1, "三年前偷过一辆摩托车"
    )
    assert "只过了3年，还在这一期限内，仍可以追诉" in within
    # the range not told (no amount): each range's period, and a request for the figure
    upper = StatutoryTier("数额巨大", "三年以上十年以下有期徒刑", 36, 120)
    each = conclusion(
        "盗窃", "刑法第二百六十四条", None, [tier, upper], "刑法第八十七条", found, 1, "偷过东西"
    )
    assert "数额较大的，法定最高刑为有期徒刑3年，追诉期限5年" in each and "追诉期限15年" in each
    assert "请补充" in each


def test_the_limitation_articles_are_data_and_not_the_sentence_s_own():
    rule = limitation_rule()
    assert (rule.article, rule.exceptions_article, rule.start_article) == (87, 88, 89)
    assert 87 in applied_articles()  # answered by the rules, not by asks_beyond_sentence


def _searcher() -> FakeSearcher:
    searcher = FakeSearcher.from_fixture()
    model = next(h for h in searcher.hits if h.law_id == "刑法" and h.number == 264)
    for number, cn, text in (
        (87, "第八十七条", ARTICLE_87),
        (88, "第八十八条", ARTICLE_88),
        (89, "第八十九条", ARTICLE_89),
    ):
        searcher.hits.append(
            replace(
                model,
                record_id=f"刑法@2023-12-29#a{number}",
                citation=f"《中华人民共和国刑法》{cn}",
                number=number,
                number_cn=cn,
                text=text,
            )  # fmt: skip
        )
    return searcher


def test_a_theft_told_ten_years_back_is_answered_with_its_period_not_the_four_items():
    service = AssistantService(load_settings(), searcher=_searcher(), backend=ExtractiveBackend())
    answer = service.answer("十年前我盗窃过一辆摩托车，值三千多块，一直没被发现，现在还会被追究吗？")
    assert answer.route == "general"
    first = answer.body.split("\n\n")[1]
    assert first.startswith("> **结论**：依照刑法第八十七条第（一）项[1]") and "按盗窃罪" in first
    assert "追诉期限为5年" in first and "已过10年" in first
    assert "刑法第八十八条" in first  # what stops the period running
    cited = [(s.hit.law_id, s.hit.number) for s in answer.sources[:4]]
    assert cited[0] == ("刑法", 87) and ("刑法", 264) in cited and ("刑法", 88) in cited
    assert answer.body.count("**结论**") == 1


def test_a_civil_debt_told_years_back_is_no_limitation_of_prosecution():
    """「两年前借给朋友5万块钱…现在还能起诉吗？」 tells no crime: its limitation is 民法典第一百八十八条's, and the
    answer must not be led by 刑法第八十七条 (a lawyer's review, stop 20)."""
    service = AssistantService(load_settings(), searcher=_searcher(), backend=ExtractiveBackend())
    answer = service.answer(
        "两年前借给朋友5万块钱，有借条没写利息，约定一年还，到期一直不还，现在还能起诉吗？"
    )
    assert all((s.hit.law_id, s.hit.number) != ("刑法", 87) for s in answer.sources)
