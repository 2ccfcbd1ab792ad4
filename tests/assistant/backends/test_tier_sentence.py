"""A span of time or an age the client tells chooses the clause of the tier it falls in (stop 20: 「我跟公司签了两年的
劳动合同，合同里约定试用期6个月，这合法吗？」 was concluded with 第十九条's 三个月以上不满一年 clause). Expected clauses
written from the article texts."""

from __future__ import annotations

from assistant.backends.excerpts import answering_sentence, tier_sentence, told_quantities

PROBATION = (
    "劳动合同期限三个月以上不满一年的，试用期不得超过一个月；劳动合同期限一年以上不满三年的，试用期不得超过二个月；"
    "三年以上固定期限和无固定期限的劳动合同，试用期不得超过六个月。\n同一用人单位与同一劳动者只能约定一次试用期。"
)
AGE = (
    "已满十六周岁的人犯罪，应当负刑事责任。\n已满十四周岁不满十六周岁的人，犯故意杀人、故意伤害致人重伤或者死亡、强奸、"
    "抢劫、贩卖毒品、放火、爆炸、投放危险物质罪的，应当负刑事责任。"
)
ADOPTION = "收养人在被收养人成年以前，不得解除收养关系，但是收养人、送养人双方协议解除的除外。养子女八周岁以上的，应当征得本人同意。"
LIMITATION = "犯罪经过下列期限不再追诉：\n（一）法定最高刑为不满五年有期徒刑的，经过五年；\n（二）法定最高刑为五年以上不满十年有期徒刑的，经过十年；"


def test_the_quantities_told_are_spans_and_ages_not_times_ago():
    assert told_quantities("签了两年的劳动合同，试用期6个月") == [("time", 730.0), ("time", 180.0)]
    assert told_quantities("十五岁的孩子") == [("age", 15.0)]
    assert told_quantities("十二年前偷了一头牛") == []  # how long ago is no attribute a tier is set by
    # dates are no spans: 2024年 would fall in every open-ended tier (三年以上), 3月 and 5日 are days of a calendar
    assert told_quantities("2024年3月5日签了两年的劳动合同，试用期6个月") == [
        ("time", 730.0),
        ("time", 180.0),
    ]


def test_the_contract_s_term_chooses_the_probation_clause():
    assert tier_sentence(PROBATION, "我跟公司签了两年的劳动合同，合同里约定试用期6个月，这合法吗？").endswith(
        "试用期不得超过二个月"
    )
    assert tier_sentence(PROBATION, "签了三年合同，试用期能约定多久？").endswith("试用期不得超过六个月。")
    assert tier_sentence(PROBATION, "试用期最长多久？") == ""  # nothing told: the best sentence answers


def test_an_age_chooses_its_clause_and_times_ago_choose_none():
    assert tier_sentence(AGE, "十五岁的孩子犯罪要负刑事责任吗？").startswith("已满十四周岁不满十六周岁的人")
    assert tier_sentence(LIMITATION, "十二年前偷了一头牛，现在还会被追究吗") == ""


def test_a_tier_clause_about_something_else_than_the_ask_gives_way():
    q = "收养的孩子才十岁，我们觉得实在养不了了，能解除收养吗？"
    assert tier_sentence(ADOPTION, q).startswith("养子女八周岁以上的")  # 十岁 falls in its span
    assert answering_sentence(ADOPTION, q, q).startswith("收养人在被收养人成年以前，不得解除收养关系")


def test_a_time_told_is_weighed_against_a_period_counted_from_an_event():
    from assistant.backends.excerpts import period_note

    review = "可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请"
    assert period_note(review, "罚款决定书收到已经70天了，还能申请行政复议吗？").startswith(
        "按所说已过70天计，已超过六十日"
    )
    assert period_note(review, "罚款决定书收到20天了，还能复议吗") == "按所说已过20天计，还在六十日的期限内。"
    suit = "应当自知道或者应当知道作出行政行为之日起六个月内提出"
    assert "还在六个月的期限内" in period_note(suit, "已经过去三个月了，还能起诉吗")
    # a period set before a point, or after another (期满前十二个月内; 并在十五日内), is not weighed
    renewal = "商标注册人应当在期满前十二个月内按照规定办理续展手续"
    assert period_note(renewal, "已经过期两个月了，还能补救吗") == ""
    assert period_note(review, "能复议吗") == ""
    assert (
        period_note(review, "现在都3月了，还能复议吗") == ""
    )  # a month of the year, not three months passed
