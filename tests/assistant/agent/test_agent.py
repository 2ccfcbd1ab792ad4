"""The agent and service end to end over the fictional in-memory index, extractive and fake models."""

from __future__ import annotations

from assistant.agent.citation_check import SECTION_TITLE, UNVERIFIED
from assistant.agent.disclaimer import DISCLAIMER
from assistant.backends.extractive import NO_MODEL


def _numbers(answer):
    return {(s.hit.law_id, s.hit.number, s.hit.suffix): s.n for s in answer.sources if s.hit.law_id}


def test_extractive_sentencing_answer_cites_article_trace_and_cases(service_with):
    answer = service_with().answer("盗窃他人财物三千元，有自首情节，可能判多久？")
    assert answer.route == "sentencing"
    n = _numbers(answer)
    assert n[("刑法", 264, 0)] == 1  # the main article is source [1]
    assert "《中华人民共和国刑法》第二百六十四条[1]" in answer.text
    assert NO_MODEL in answer.text.splitlines()[0]
    assert answer.backend == NO_MODEL
    assert answer.sentencing is not None and answer.sentencing.point_months is not None
    assert any(c.name == "自首" for c in answer.sentencing.circumstances)
    # The conclusion leads, with the 罚金 and the 缓刑 condition; similar cases go to the source cards.
    first = next(line for line in answer.text.splitlines()[1:] if line.strip())
    assert "结论" in first and "罚金" in first and "缓刑" in first, first
    assert any(s.is_case for s in answer.sources) and answer.sentencing.similar is not None
    assert answer.text.rstrip().endswith(DISCLAIMER)
    assert SECTION_TITLE in answer.text and answer.unverified == []


def test_extractive_statute_lookup_quotes_the_article(service_with):
    answer = service_with().answer("刑法第二百六十四条是怎么规定的？")
    assert answer.route == "statute"
    assert answer.sources[0].hit.number == 264
    assert "盗窃公私财物，数额较大的" in answer.text
    assert UNVERIFIED not in answer.text


def test_extractive_ip_answer_walks_the_steps(service_with):
    answer = service_with().answer("商标侵权的赔偿数额怎么确定？")
    assert answer.route == "ip"
    n = _numbers(answer)
    assert ("商标法", 63, 0) in n
    text = answer.text
    assert "注册商标专用权" in text
    positions = [text.index(t) for t in ("保护客体", "被诉行为", "抗辩与例外", "责任与赔偿")]
    assert positions == sorted(positions)
    liability = text[text.index("责任与赔偿") :]
    assert f"《中华人民共和国商标法》第六十三条[{n[('商标法', 63, 0)]}]" in liability


def test_drunk_driving_picks_the_article_with_a_suffix(service_with):
    answer = service_with().answer("醉酒驾驶机动车会判什么刑？")
    assert answer.sources[0].hit.citation == "《中华人民共和国刑法》第一百三十三条之一"


def test_stream_gives_tokens_then_one_final_answer(service_with):
    events = list(service_with().stream("刑法第二百六十四条是怎么规定的？"))
    assert [e.kind for e in events[:-1]] == ["token"] * (len(events) - 1) and len(events) > 2
    assert events[-1].kind == "final"
    streamed = "".join(e.text for e in events[:-1])
    assert streamed.strip() and streamed.strip()[:40] in events[-1].answer.text


def test_model_prompt_is_route_specific_and_carries_history(service_with, fake_model):
    fake_model.enqueue("依照《中华人民共和国商标法》第六十三条确定。", "同上。")
    service = service_with(fake_model)
    first = service.answer("商标侵权的赔偿数额怎么确定？")
    history = [{"role": "user", "content": first.question}, {"role": "assistant", "content": first.text}]
    service.answer("那惩罚性赔偿呢？", history=history)
    system, *rest = fake_model.calls[1][0]
    assert "知识产权" in system["content"]
    assert rest[0] == {"role": "user", "content": "商标侵权的赔偿数额怎么确定？"}
    assert "惩罚性赔偿" in rest[-1]["content"] and "[1]" in rest[-1]["content"]


def test_non_legal_question_is_answered_politely_without_search(service_with, searcher):
    answer = service_with().answer("今天天气怎么样？")
    assert answer.route == "non_legal" and answer.sources == []
    assert "不涉及法律" in answer.text and DISCLAIMER in answer.text
    assert not [c for c in searcher.calls if c[0] == "search"]


def test_a_question_whose_everyday_words_the_lexicon_knows_is_a_legal_one(service_with, searcher):
    """「商店价格标错了」 has no word of the law, but the lexicon reads 重大误解 in it: it is answered."""
    searcher.expanded = lambda q: f"{q} 重大误解" if "标错" in q else q
    answer = service_with().answer("价格标错了，我下单后店主反悔不发货")
    assert answer.route == "general"
    assert service_with().answer("今天天气怎么样？").route == "non_legal"


def test_facts_without_an_amount_get_a_note(service_with):
    answer = service_with().answer("我朋友盗窃了别人的财物，会判多久？")
    assert answer.route == "sentencing"
    assert any("数额" in note for note in answer.notes)
    assert "事实没有说明数额" in answer.text


def test_drunk_driving_trace_names_the_article_with_its_suffix(service_with):
    answer = service_with().answer("醉酒驾驶机动车会判什么刑？")
    assert answer.sentencing is not None
    assert "刑法第一百三十三条之一[1]" in answer.text and "刑法第一百三十三条[" not in answer.text


def test_follow_up_keeps_the_facts_of_the_conversation(service_with):
    service = service_with()
    first = service.answer("盗窃他人财物三千元，可能判多久？")
    history = [{"role": "user", "content": first.question}, {"role": "assistant", "content": first.text}]
    follow = service.answer("那如果有自首呢？", history=history)
    assert follow.route == "sentencing"
    assert [c.name for c in follow.sentencing.circumstances] == ["自首"]
    assert follow.sentencing.point_months < first.sentencing.point_months


def test_charge_name_comes_from_the_charge_document_and_is_cited(service_with):
    answer = service_with().answer("未经许可复制他人软件并出售构成什么罪？")
    assert answer.sources[0].hit.number == 217
    doc = [s.n for s in answer.sources if "罪名的意见" in s.hit.law_title]
    assert doc and f"**可能构成的罪名**：侵犯著作权罪（罪名依据[{doc[0]}]）" in answer.text


def test_charge_names_from_both_document_formats(searcher):
    from assistant.agent.charges import charge_for_article

    assert charge_for_article(searcher, 264)[0] == "盗窃罪"
    assert charge_for_article(searcher, 133, 1)[0] == "危险驾驶罪"
    assert charge_for_article(searcher, 999) is None


# --- the case facts of a conversation ------------------------------------------------------------
def _charge_map():
    from corpora.charges import ChargeMap

    cmap = ChargeMap()
    for key, name in [
        ((264, 0), "盗窃"),
        ((133, 1), "危险驾驶"),
        ((217, 0), "侵犯著作权"),
        ((390, 0), "行贿"),
    ]:
        cmap.add(key, name)
    return cmap


def _dialog(service, *questions):
    answers, facts = [], None
    for q in questions:
        answers.append(service.answer(q, facts=facts))
        facts = answers[-1].facts
    return answers


def test_a_changed_amount_is_recomputed_and_the_answer_says_so(service_with):
    first, follow = _dialog(service_with(), "盗窃他人财物4800元，可能判多久？", "如果盗窃的是15万元呢？")
    assert follow.sentencing.quantities.amount_yuan == 150000
    assert follow.sentencing.point_months > first.sentencing.point_months
    assert "第2次提问的数额（15万元）取代了第1次提问的数额（4800元）" in follow.text
    assert "数额：15万元（第2次提问：“15万元”）" in follow.text  # the trace says where each fact came from


def test_history_alone_carries_the_facts_as_well(service_with):
    service = service_with()
    history = [
        {"role": "user", "content": "盗窃他人财物4800元，可能判多久？"},
        {"role": "assistant", "content": "…"},
    ]
    follow = service.answer("如果盗窃的是15万元呢？", history=history)
    assert follow.sentencing.quantities.amount_yuan == 150000


def test_a_follow_up_with_no_case_asks_for_the_facts(service_with, searcher):
    answer = service_with().answer("如果他是累犯呢？")
    assert answer.route == "sentencing" and answer.sentencing is None and answer.sources == []
    assert "需要先知道案情" in answer.text and "累犯" in answer.text
    assert not [c for c in searcher.calls if c[0] == "search"]  # nothing invented, nothing searched


def test_the_conversation_survives_bad_input(service_with):
    service = service_with()
    (first,) = _dialog(service, "盗窃他人财物4800元，可能判多久？")
    refused = service.answer("What if he stole 150,000 yuan?", facts=first.facts)
    assert refused.route == "invalid" and "中文" in refused.text and refused.facts is first.facts
    follow = service.answer("如果有自首呢？", facts=refused.facts)
    assert follow.sentencing.quantities.amount_yuan == 4800
    assert [c.name for c in follow.sentencing.circumstances] == ["自首"]


def test_conflicting_amounts_in_one_message_say_which_was_used(service_with):
    answer = service_with().answer("他偷了3000元，不对，是5000元，会判多久？")
    assert answer.sentencing.quantities.amount_yuan == 5000
    assert "按更正后的5000元计算" in answer.text


def test_a_missing_amount_is_named_with_the_paragraph_range(service_with):
    """Issue 10, Bad input: the conclusion names the missing amount and gives the ranges, not a term."""
    answer = service_with().answer("我朋友盗窃了别人的财物，会判多久？")
    note = answer.notes[0]
    assert "事实没有说明数额" in note and "不估计具体刑期" in note, note
    assert "处三年以下有期徒刑、拘役或者管制" in note and "刑法第二百六十四条" in note
    assert "估计判处" not in note and not any("没有说明涉案数额" in n for n in answer.notes[1:])


def test_the_conclusion_comes_first_in_plain_words(service_with):
    answer = service_with().answer("盗窃他人财物三千元，有自首情节，可能判多久？")
    body = answer.text.split("\n\n", 1)[1]
    assert body.startswith("> **结论**：按盗窃罪（刑法第二百六十四条")
    assert "amount_yuan" not in answer.text and "bac=" not in answer.text


def test_a_named_charge_that_does_not_exist_gets_the_nearest(service_with):
    answer = service_with(charge_map=_charge_map()).answer("醉酒驾驶机动车，醉驾罪怎么判？")
    assert "刑法中没有名为“醉驾罪”的罪名" in answer.text
    assert answer.sentencing.charges[0].article_suffix == 1


def test_a_named_charge_is_taken_as_given(service_with):
    answer = service_with(charge_map=_charge_map()).answer(
        "为谋取不正当利益给予国家工作人员财物，行贿罪会判几年？"
    )
    assert answer.sentencing.charges[0].article == 390
    assert "按行贿罪" in answer.notes[0]


def test_an_interpretation_about_another_crime_stays_out_unless_the_facts_tell_it() -> None:
    """交通肇事解释第六条 and the 抗税 interpretation name 故意杀人罪 for their own facts: they are no source for
    a stabbing, but are for a driver who hid the victim; the case's own interpretations always stay."""
    from assistant.agent.planning import _about_another_crime

    traffic = "最高人民法院关于审理交通肇事刑事案件具体应用法律若干问题的解释"
    stabbing = "因为感情纠纷用刀把前女友杀死了"
    assert _about_another_crime(traffic, "故意杀人", stabbing)
    assert _about_another_crime(
        "最高人民法院关于审理偷税抗税刑事案件具体应用法律若干问题的解释", "故意杀人", stabbing
    )
    assert not _about_another_crime(traffic, "故意杀人", "交通肇事后把被害人拖到沟里藏起来，人死了")
    assert not _about_another_crime(traffic, "交通肇事", "开车撞了人")
    assert not _about_another_crime(
        "最高人民法院关于审理掩饰、隐瞒犯罪所得、犯罪所得收益刑事案件适用法律若干问题的解释",
        "掩饰隐瞒犯罪所得",
        "帮朋友卖偷来的手机",
    )
    assert not _about_another_crime("最高人民法院关于适用刑法第六十四条有关问题的批复", "盗窃", "偷了手机")


def test_procedure_rules_are_no_source_unless_procedure_is_asked() -> None:
    from assistant.agent.planning import _PROCEDURE_ASKED

    assert not _PROCEDURE_ASKED.search("用以前配的钥匙开门进了她家，她让我走我也不走，我这算犯罪吗")
    assert _PROCEDURE_ASKED.search("他被刑事拘留了，能取保候审吗？")
