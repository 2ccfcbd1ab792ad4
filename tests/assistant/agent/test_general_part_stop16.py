"""Stop 16 (crim): a criminal question that tells an act and asks whether it is a crime at all reads the
总则 article that excuses it (正当防卫, 紧急避险, 刑事责任年龄: 不负刑事责任, 不予刑事处罚), while a case told
with 自首 or 累犯 stays a case to sentence; a count of crimes (两个罪) names no charge."""

from __future__ import annotations

from dataclasses import replace

from assistant.agent import planning, routing
from assistant.agent.named_charges import named_in
from corpora.charges import ChargeMap
from tests.assistant.assistant_fakes import FakeSearcher, fictional_article

DEFENCE = "为了使本人的人身免受正在进行的不法侵害，而采取的制止不法侵害的行为，对不法侵害人造成损害的，属于正当防卫，不负刑事责任。有人拿刀捅我把他捅伤"
SURRENDER = "犯罪以后自动投案，如实供述自己的罪行的，是自首。可以从轻或者减轻处罚。偷了手机以后投案"


def _only(number: int, text: str) -> FakeSearcher:
    return FakeSearcher([replace(fictional_article("刑法", number, text), collection="statutes")])


def test_whether_a_question_asks_about_liability():
    assert routing.asks_liability("我夺过刀把他捅伤了，我会坐牢吗？")
    assert routing.asks_liability("为了躲车撞伤了人，要负刑事责任吗？")
    assert routing.asks_liability("把他刀夺过来捅死了，我要偿命吗？")
    assert not routing.asks_liability("偷了一部手机，会判几年？")


def test_a_told_act_asked_about_as_no_crime_reads_the_excusing_article():
    question = "有人拿刀要捅我，我夺过刀反过来把他捅伤了，我会坐牢吗？"
    hit = planning.asks_general_part(_only(20, DEFENCE), question)
    assert hit is not None and hit.number == 20
    # the same act asked only for its term is a case to sentence
    assert (
        planning.asks_general_part(_only(20, DEFENCE), "有人拿刀要捅我，我夺过刀把他捅伤了，会判几年？")
        is None
    )


def test_a_told_act_with_a_circumstance_stays_a_case():
    # 第六十七条 excuses nothing: 「偷了手机以后去投案，要坐牢吗」 is a theft with 自首
    assert planning.asks_general_part(_only(67, SURRENDER), "偷了手机以后去投案，要坐牢吗？") is None
    # with no act told, the same article answers
    hit = planning.asks_general_part(_only(67, SURRENDER), "犯罪以后自动投案，算自首吗？")
    assert hit is not None and hit.number == 67


def test_a_count_of_crimes_is_no_charge_name():
    cmap = ChargeMap()
    assert named_in("一个人犯了两个罪，一个判三年一个判五年，是不是要坐满八年？", cmap) == []
    assert named_in("案子判了两个罪，最后的刑期怎么算？", cmap) == []
    assert [n.words for n in named_in("他犯了醉驾罪吗", cmap)] == ["醉驾罪"]  # a name, however wrong, stays


# 刑法第十七条's own words, with a told act of a minor: the engine weighs the age (its bands, the least injury, the
# mitigation), so the case is sentenced; the question of the age alone stays a consultation (a lawyer's review, stop 25:
# a 16-year-old's six thefts had been answered with 第十七条第四款 alone, without the crime or its term)
AGE = (
    "已满十六周岁的人犯罪，应当负刑事责任。已满十四周岁不满十六周岁的人，犯故意杀人、故意伤害致人重伤或者死亡、强奸、"
    "抢劫、贩卖毒品、放火、爆炸、投放危险物质罪的，应当负刑事责任。因不满十六周岁不予刑事处罚的，责令其父母或者其他"
    "监护人加以管教。孩子偷东西"
)


def test_the_age_article_is_the_engines_to_weigh_and_self_defence_is_not():
    assert planning.weighed_by_the_engine(_only(17, AGE).hits[0])
    assert not planning.weighed_by_the_engine(_only(20, DEFENCE).hits[0])
    assert not planning.weighed_by_the_engine(
        replace(fictional_article("虚构法", 17, AGE), collection="statutes")
    )


def test_a_minors_told_theft_is_sentenced_and_the_age_alone_is_a_consultation():
    from assistant.services.answer import AssistantService
    from assistant.settings import load_settings

    searcher = FakeSearcher.from_fixture()
    searcher.hits.insert(0, replace(_only(17, AGE).hits[0], law_title="中华人民共和国刑法", law_id="刑法"))
    question = "我家孩子15岁，偷东西偷了一部手机，价值6000元，被派出所抓了，会坐牢吗？"
    assert planning.asks_general_part(searcher, question) is not None  # what had made it a consultation
    service = AssistantService(load_settings(), searcher=searcher)
    told = service.answer(question)
    assert told.route == "sentencing", told.text
    assert "不负刑事责任" in told.conclusion and "第十七条第二款" in told.conclusion, told.conclusion
    assert "估计判处" not in told.conclusion  # no crime at 15: no term follows (stop 27)
    # what is asked, whether the age excuses it, comes first (heldout16/17, stop 26: 刑法第十七条 had led as a consultation)
    assert told.conclusion.startswith("**结论**：行为时15周岁，不负刑事责任（刑法第十七条第二款"), (
        told.conclusion
    )
    alone = service.answer("十五岁的孩子犯罪要负刑事责任吗？")
    assert alone.route == "general", alone.text
