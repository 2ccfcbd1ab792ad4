"""The article a consultation leads with, and which criminal questions are consultations about 总则."""

from __future__ import annotations

from dataclasses import replace

from assistant.agent import answering, planning
from tests.assistant.assistant_fakes import FakeSearcher
from tests.assistant.assistant_fakes import fictional_article as _article


def fictional_article(*args):
    return replace(_article(*args), collection="statutes")  # as the searcher's statutes are


# Two fictional articles that both name 优先购买权 (as 民法典第三百零六条 and 第七百二十六条 do): only one
# speaks of the tenant.
SHARES = fictional_article(
    "虚构物权法",
    306,
    "按份共有人转让其共有份额的，其他共有人在同等条件下享有优先购买的权利。（虚构测试条文）",
)
LEASE = fictional_article(
    "虚构物权法", 726, "出租人出卖租赁房屋的，承租人享有以同等条件优先购买的权利。（虚构测试条文）"
)
OTHER = fictional_article("虚构物权法", 1, "为了保护民事主体的物权，制定本法。（虚构测试条文）")


def test_the_search_s_first_article_leads_a_consultation():
    """The search's order stands (the question bank and the lexicons inform the search itself): an article
    holding more of the question's characters no longer jumps ahead of the search's first."""

    class Fixed:
        def __init__(self, hits):  # type: ignore[no-untyped-def]
            self.hits = hits

        def search(self, query, kind=None, k=5, **_):  # type: ignore[no-untyped-def]
            return self.hits[:k] if kind == "statutes" else []

    question = "出租人要卖租赁房屋，承租人有优先购买的权利吗？"
    assert planning.plan_general(Fixed([LEASE, SHARES, OTHER]), question).statutes[0] is LEASE
    assert planning.plan_general(Fixed([SHARES, LEASE, OTHER]), question).statutes[0] is SHARES


def test_the_question_is_read_in_the_law_words_where_the_searcher_knows_them():
    class Expanding(FakeSearcher):
        def expanded(self, query: str) -> str:
            return query + " 出租人 承租人"

    plain = FakeSearcher([SHARES, LEASE])
    assert answering.in_law_words(plain, "房东要卖房") == "房东要卖房"
    assert answering.in_law_words(Expanding([]), "房东要卖房") == "房东要卖房 出租人 承租人"


def test_a_question_about_the_general_part_is_a_consultation(searcher):
    # the fixture's 刑法第六十七条 (自首) is what the statute search finds first; no act is told
    hit = planning.asks_general_part(searcher, "犯罪以后自动投案，如实供述自己的罪行，算自首吗？")
    assert hit is not None and (hit.number, hit.suffix) == (67, 0)
    # a crime the charge lexicon knows is a case to sentence, whatever the search finds first
    assert planning.asks_general_part(searcher, "偷了别人的手机以后自动投案如实供述，算自首吗？") is None
    # the first article is one of 分则
    assert planning.asks_general_part(searcher, "盗窃公私财物数额较大的怎么处罚？") is None


def test_a_told_act_asked_for_its_term_is_a_case_to_sentence(searcher):
    """「…会被判刑吗？会判多重？」 asks the term: whatever 总则 article the search finds first (a minor's age), the told
    act is sentenced (a lawyer's review: answered with 刑法第十七条 alone)."""
    assert planning.asks_general_part(searcher, "偷了别人的手机，会被判刑吗？会判多重？") is None


def test_the_service_answers_it_from_the_article(service_with):
    answer = service_with().answer("犯罪以后自动投案，如实供述自己的罪行，算自首吗？")
    assert answer.route == "general" and answer.sentencing is None
    assert "第六十七条" in answer.conclusion


def test_an_ip_question_outside_the_walkthrough_leads_with_its_own_article():
    def mark(number, text):
        return fictional_article("商标法", number, text + "（虚构测试条文）")

    registered = mark(3, "经商标局核准注册的商标为注册商标，商标注册人享有商标专用权，受法律保护。")
    infringing = mark(
        57,
        "有下列行为之一的，均属侵犯注册商标专用权：未经商标注册人的许可，在同一种商品上使用与其注册商标相同的商标的。",
    )
    renewal = mark(
        40, "注册商标有效期满，需要继续使用的，商标注册人应当在期满前十二个月内按照规定办理续展手续。"
    )
    searcher = FakeSearcher([registered, infringing, renewal])
    plan = planning.plan_ip(searcher, "注册商标有效期满了要办续展手续吗？")
    assert plan.ip is None and plan.statutes[0] is renewal
    walked = planning.plan_ip(searcher, "别人未经许可在同一种商品上使用我的注册商标，算侵权吗？")
    assert walked.ip is not None and walked.statutes[0] is not renewal


def test_the_walkthrough_article_the_question_s_own_search_finds_first_leads_the_answer(service_with):
    def mark(number, text):
        return fictional_article("商标法", number, text + "（虚构测试条文）")

    # 第三条 shares more characters with the question (注册商标 … 商标注册人 … 商标专用权) than 第五十七条;
    # the question's own search still finds 第五十七条 first, and it must lead.
    registered = mark(3, "经商标局核准注册的商标为注册商标，商标注册人享有商标专用权，受法律保护。注册商标。")
    infringing = mark(
        57, "未经商标注册人的许可，在同一种商品上使用与其注册商标相同的商标的，属侵犯注册商标专用权。"
    )
    searcher = FakeSearcher([infringing, registered])
    question = "别人未经许可在同一种商品上使用我的注册商标，算侵权吗？"
    own = searcher.search(question, kind="statutes", k=3)
    plan = planning.plan_ip(searcher, question)
    assert plan.ip is not None and plan.statutes[0] is own[0] is infringing


def test_a_patent_question_is_not_answered_by_the_trademark_law():
    """商标法第六十四条 and 专利法第七十七条 both spare a seller who did not know: a question about a patent
    never leads with the trademark article, however many of its words that article holds."""
    seller_mark = fictional_article(
        "商标法",
        64,
        "销售不知道是侵犯注册商标专用权的商品，能证明该商品是自己合法取得并说明提供者的，不承担赔偿责任。（虚构测试条文）",
    )
    damages = fictional_article(
        "专利法", 71, "侵犯专利权的赔偿数额按照权利人因被侵权所受到的实际损失确定。（虚构测试条文）"
    )
    question = "我从批发市场进的货被人告侵犯专利，我真不知道是侵权的，能证明是合法取得的，要赔钱吗？"
    plan = planning.plan_ip(FakeSearcher([seller_mark, damages]), question)
    assert all(planning.law_of(h) != "商标法" for h in plan.statutes[:1])
    # a trademark question still has it
    assert (
        planning.plan_ip(FakeSearcher([seller_mark]), question.replace("专利", "商标")).statutes[0]
        is seller_mark
    )


def test_an_other_ask_adds_the_article_its_own_search_leads_with():
    """「…会坐牢吗？驾照怎么办？」: the ask after the first is searched with the facts, ask first; its lead joins
    the plan after the main statutes and is recorded with the ask. An aside whose lead already leads, or, in a
    criminal case, is 刑法's, adds nothing."""
    crime = replace(
        fictional_article("刑法", 133, "在道路上醉酒驾驶机动车的，处拘役，并处罚金。（虚构测试条文）"),
        collection="statutes",
    )
    licence = fictional_article(
        "道路交通安全法", 91, "醉酒驾驶机动车的，吊销机动车驾驶证，五年内不得重新取得驾驶证。（虚构测试条文）"
    )
    searcher = FakeSearcher([crime, licence])
    question = "喝醉了开车被查了。会坐牢吗？驾驶证怎么办？"
    plan = planning.add_asides(searcher, question, planning.Plan(statutes=[crime]), criminal=True)
    assert plan.statutes == [crime, licence] and plan.asides == [("驾驶证怎么办？", licence)]
    # the lead of the aside already leads: nothing to add
    alone = planning.add_asides(searcher, question, planning.Plan(statutes=[licence]), criminal=True)
    assert alone.statutes == [licence] and alone.asides == []


def test_with_several_asks_the_first_is_answered_by_its_own_search():
    """「…被货车撞了。这个算不算工伤？公司没交社保，这钱谁出？」 led with the traffic article the facts share most
    words with; the first ask, searched ask first, leads with the article that answers it."""
    traffic = replace(
        fictional_article(
            "道路交通法", 76, "机动车发生交通事故造成人身伤亡的，由保险公司赔偿。（虚构测试条文）"
        ),
        collection="statutes",
    )
    injury = replace(
        fictional_article(
            "工伤条例",
            14,
            "职工在上下班途中受到非本人主要责任的交通事故伤害的，应当认定为工伤。（虚构测试条文）",
        ),
        collection="statutes",
    )
    searcher = FakeSearcher([traffic, injury])
    question = "上班途中骑车被货车撞了，交通事故货车全责。这个算不算工伤？公司没交社保，这钱谁出？"
    plan = planning.add_asides(searcher, question, planning.Plan(statutes=[traffic, injury]))
    assert plan.statutes[0] is injury


# 刑法 beside a civil law's article on the same words (著作权, 伤害): which leads depends on the question.
CIVIL = fictional_article(
    "虚构著作权法", 17, "受委托创作的作品，著作权的归属由委托人和受托人通过合同约定。（虚构测试条文）"
)
CRIMINAL = fictional_article("刑法", 217, "以营利为目的，侵犯著作权的，处三年以下有期徒刑。（虚构测试条文）")


def test_criminal_law_follows_the_others_when_the_question_speaks_of_no_crime_or_liability():
    law = planning.law_of
    assert answering.criminal_law_last("婚纱照的著作权归谁？", [CRIMINAL, CIVIL], law) == [CIVIL, CRIMINAL]
    # 坐牢, 判, 罪, 犯法, 责任: whether the act is a crime, or who answers for it, is asked; 刑法 keeps its place
    for asked in (
        "卖盗版书会坐牢吗？",
        "卖盗版书犯法吗？",
        "卖盗版书构成什么罪？",
        "卖盗版书会被判刑吗？",
        "一个乘客冲上去抢司机方向盘，她要负什么责任？",
        "喝醉了酒打了人，喝醉了能不负责任吗？",
    ):
        assert answering.criminal_law_last(asked, [CRIMINAL, CIVIL], law) == [CRIMINAL, CIVIL]


def test_a_consultation_puts_criminal_law_last_when_it_speaks_of_no_crime():
    class Fixed:
        def search(self, query, kind=None, k=5, **_):  # type: ignore[no-untyped-def]
            return [CRIMINAL, CIVIL][:k] if kind == "statutes" else []

    assert planning.plan_general(Fixed(), "婚纱照的著作权归谁？").statutes[0] is CIVIL
    assert planning.plan_general(Fixed(), "卖盗版书会坐牢吗？").statutes[0] is CRIMINAL
