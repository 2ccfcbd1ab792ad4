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
