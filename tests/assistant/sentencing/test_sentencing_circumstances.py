"""Circumstances and quantities found in facts (all facts here are fictional)."""

from __future__ import annotations

from assistant.sentencing import extract_quantities, find_circumstances


def names(text: str) -> set[str]:
    return {c.name for c in find_circumstances(text)}


def test_confession_is_found_with_its_words_and_span() -> None:
    text = "被告人甲某盗窃手机一部，到案后如实供述了自己的罪行。"
    [c] = [c for c in find_circumstances(text) if c.name == "坦白"]
    assert c.evidence == "如实供述"
    assert text[c.span[0] : c.span[1]] == "如实供述"
    assert c.direction == "从宽"


def test_refusal_and_negation_give_no_confession_discount() -> None:
    for text in (
        "被告人到案后拒不供认犯罪事实。",
        "被告人零口供。",
        "被告人到案后不如实供述。",
        "被告人未如实供述罪行。",
    ):
        found = names(text)
        assert "坦白" not in found and "自首" not in found, text
        assert "拒不认罪" in found, text


def test_denied_surrender_is_not_surrender() -> None:
    assert "自首" not in names("辩护人提出被告人系自首，经查，被告人不构成自首。")
    assert "自首" not in names("他不愿意自己去派出所投案。")
    assert "自首" not in names("他不肯自己去派出所把事情交代清楚。")
    assert "自首" not in names("警察把他带到派出所，他把事情都交代了。")  # brought there: 坦白 at most
    assert "自首" in names("2020年5月3日，被告人主动到派出所投案，如实供述。")
    assert "自首" in names("被告人主动向某某派出所投案。")


def test_keeping_watch_is_an_accessory_s_part() -> None:
    assert "从犯" in names("朋友拿刀逼他交出手机，我儿子在旁边望风。")


def test_attempt_accomplice_recidivist_and_restitution() -> None:
    found = names(
        "被告人乙某在共同犯罪中起次要作用，系从犯；因被害人发现而未得逞；系累犯；已退赔被害人全部损失。"
    )
    assert {"从犯", "未遂", "累犯", "退赃退赔"} <= found
    assert "前科" not in found  # 累犯 subsumes the prior record


def test_compensation_and_forgiveness_are_told_apart() -> None:
    assert "赔偿并取得谅解" in names("被告人赔偿被害人经济损失二万元，取得被害人谅解。")
    assert "赔偿未取得谅解" in names("被告人赔偿被害人经济损失二万元，但未取得被害人谅解。")
    assert "取得谅解" in names("被害人对被告人表示谅解。")


def test_age_from_words_and_from_dates() -> None:
    assert "未成年" in names("被告人作案时已满十六周岁不满十八周岁。")
    assert "未成年" in names("被告人丙某，2003年3月1日出生。2020年6月1日，被告人丙某盗窃……")
    assert "未成年" not in names("被告人丁某，1980年3月1日出生。2020年6月1日，被告人丁某盗窃……")
    # the birth date of the victim a sentence names after the defendant is not the defendant's
    victim = "被告人王某在广场水池旁抱住被害人朱某（女，2008年6月1日生）。2014年8月26日，王某再次猥亵朱某。"
    assert "未成年" not in names(victim)


def test_recidivism_from_release_date() -> None:
    text = "被告人曾因犯盗窃罪被判处有期徒刑一年，2019年3月1日刑满释放。2021年5月2日，被告人再次盗窃。"
    assert "累犯" in names(text)


def test_prior_record_certificate_is_not_a_prior_record() -> None:
    assert "前科" not in names("上述事实，有户籍证明、前科证明、到案经过等证据证实。")


def test_amounts_in_digits_and_chinese_numerals() -> None:
    assert extract_quantities("窃得现金人民币三千元。").amount_yuan == 3000
    # a quantity denied is none of the case (a follow-up's 不是5克，而是20克 was read as 25克)
    assert extract_quantities("他卖的不是5克，而是20克冰毒").drug_grams == 20
    # blood alcohol as a judgment writes it and as a client does (a lawyer's review: 150毫克每百毫升 was missed)
    for told in ("血液酒精含量为150mg/100ml", "抽血结果是150毫克每百毫升", "每100毫升血液中含酒精150毫克"):
        assert extract_quantities(told).bac == 150, told
    assert extract_quantities("骗取被害人1.5万元。").amount_yuan == 15000
    assert extract_quantities("先后窃得500元、700元，共计价值人民币12,345元。").amount_yuan == 12345
    q = extract_quantities("窃得500元、700元。被告人赔偿被害人3000元。")
    assert q.amount_yuan == 1200  # compensation is not the crime amount


def test_counts_injury_drugs_and_alcohol() -> None:
    q = extract_quantities("被告人先后5次盗窃。经鉴定，被害人损伤程度为轻伤二级。")
    assert q.count == 5 and q.injury == "轻伤"
    q = extract_quantities("被告人向他人贩卖甲基苯丙胺0.5克；另查获海洛因2克。")
    assert q.drug_grams == 2.5
    assert extract_quantities("血液中乙醇含量为156.3mg/100ml。").bac == 156.3
    assert extract_quantities("未造成人员重伤，致被害人轻微伤。").injury == "轻微伤"


def test_a_minor_victim_is_not_a_minor_defendant() -> None:
    found = names("被告人犯罪对象为未成年人，被告人归案后如实供述。")
    assert "未成年" not in found and "侵害弱势人员" in found


def test_titles_of_interpretations_name_no_circumstance() -> None:
    assert "立功" not in names("依照《最高人民法院关于处理自首和立功具体应用法律若干问题的解释》第一条的规定")


def test_defence_claim_rejected_later_is_not_credited() -> None:
    assert "自首" not in names("辩护人提出被告人有自首情节。经查，被告人系被抓获，并非自首。")


def test_surrender_in_its_legal_forms_is_self_surrender() -> None:
    # 2010 意见 一: coming when summoned by telephone and waiting at the scene count as 自动投案
    for text in (
        "案发后，被告人经公安机关电话通知后主动到派出所接受调查，如实供述了犯罪事实。",
        "事故发生后，被告人拨打110报警，并在现场等候民警处理，到案后如实供述。",
        "被告人在其父亲的带领下到某某派出所投案。",
        "用刀把前女友杀死了，事后自己去派出所投案。",  # told as a client tells it
        "他在商场拿走了一部手机，第二天他自己跑到派出所把事情都交代了。",  # a client's review (stop 18)
        "我一拳把他鼻梁骨打骨折了，打完之后我自己走到派出所把事情说了。",
    ):
        found = names(text)
        assert "自首" in found and "坦白" not in found, text


def test_arrest_with_confession_is_confession_not_surrender() -> None:
    found = names("被告人被民警抓获归案，到案后如实供述了自己的罪行。")
    assert "坦白" in found and "自首" not in found


def test_counsel_claim_in_the_facts_is_not_a_finding() -> None:
    text = "辩护人称，1．被告人系初犯。2．被告人系自首。 经审理查明，被告人于当日被抓获。"
    assert "自首" not in names(text)


def test_plea_in_court_is_confession_unless_the_defendant_denied_before() -> None:
    plea = "上述事实，被告人在开庭审理过程中亦无异议，足以认定。"
    assert "坦白" in names("被告人被抓获。" + plea)
    denied = names("被告人到案后辩称其不知情。" + plea)
    assert "坦白" not in denied and "当庭自愿认罪" in denied


def test_recidivism_from_execution_date_wording() -> None:
    text = (
        "被告人曾因犯寻衅滋事罪被判处有期徒刑一年六个月，2014年12月24日执行刑满。2017年3月1日，被告人强行……"
    )
    assert "累犯" in names(text)


def test_recidivism_when_the_release_is_told_apart_or_dated_by_the_same_year() -> None:
    own_sentence = (
        "被告人曾因犯伤害罪被判处有期徒刑六个月。2019年4月19日刑满释放。2021年9月21日，被告人又盗窃……"
    )
    assert "累犯" in names(own_sentence)
    same_year = (
        "被告人于2019年6月20日因犯盗窃罪被判处有期徒刑八个月，同年11月7日刑满释放。2021年1月5日，被告人盗窃……"
    )
    assert "累犯" in names(same_year)
    months_only = "被告人因犯盗窃罪于2019年12月29日被判处有期徒刑七个月。2021年10月22日，被告人又盗窃……"
    assert "累犯" in names(months_only)
    too_late = "被告人曾因犯伤害罪被判处有期徒刑六个月。2009年4月19日刑满释放。2021年9月21日，被告人又盗窃……"
    assert "累犯" not in names(too_late) and "前科" in names(too_late)


def test_recidivism_without_a_dated_act_uses_the_detention_for_this_case() -> None:
    text = (
        "被告人因犯盗窃罪被判处有期徒刑一年，2019年5月10日刑满释放。因本案于2020年5月24日被刑事拘留。"
        "2019年七八月份的一天，被告人容留他人吸毒……"
    )
    assert "累犯" in names(text)


def test_release_from_detention_is_not_a_prison_term_of_the_clause_before() -> None:
    # the 有期徒刑 is an earlier judgment's, the release after ；follows a 拘役
    text = (
        "被告人2009年因犯贩卖毒品罪被判处有期徒刑二年；2019年3月因犯盗窃罪被判处拘役三个月，2019年4月19日刑满释放。"
        "因涉嫌犯贩卖毒品罪于2020年12月8日被监视居住。"
    )
    assert "累犯" not in names(text) and "前科" in names(text)


def test_prior_record_documents_in_evidence_lists_are_no_prior_record() -> None:
    for document in ("前科劣迹资料", "前科裁判文书", "前科刑事判决书", "前科情况核实证明"):
        assert "前科" not in names(f"上述事实，有户籍证明、{document}、到案经过等证据证实。"), document
    assert "前科" in names("被告人曾因多次寻衅滋事受到行政和刑事处罚。")
    court = "被告人甲某的前科劣迹情况，本院在量刑时酌情从重处罚。"
    assert "前科" in {c.name for c in find_circumstances(court, court_reasoning=True)}


def test_compensation_asked_for_or_ordered_is_not_paid() -> None:
    def paid(text: str) -> bool:
        return bool(names(text) & {"赔偿并取得谅解", "赔偿未取得谅解"})

    assert paid("案发后，被告人已赔偿被害人经济损失3万元。")
    assert not paid("附带民事诉讼原告人要求被告人赔偿医疗费等各项损失5万元。")
    assert not paid("该民事案件已作出判决，判决被告人赔偿被害人4万元。")
    assert not paid("被告人许诺缴费人员，保险公司将来保证给予2倍的赔付。")
    assert not paid("被害人的监护人表示自愿放弃附带民事诉讼赔偿请求。")


def test_surrender_in_its_other_forms() -> None:
    assert "自首" in names("事发后，被告人到某某市交通警察大队投案，如实供述其犯罪事实。")
    assert "自首" in names("被告人在其亲属规劝后向民警投案，并如实供述了自己罪行。")
    assert "自首" in names("被告人因吸毒行为被民警查获，到案后主动交代了上述犯罪事实。")
    assert "自首" in names("被告人在被强制隔离戒毒期间，主动交代了上述犯罪事实。")
    assert "自首" in names("事故发生后，被告人甲某拨打电话报警，并如实供述。")
    caught = names("被告人因本案被抓获，到案后如实供述了上述犯罪事实。")
    assert "自首" not in caught and "坦白" in caught
    assert "自首" not in names("被害人乙某报警，民警将被告人抓获，被告人如实供述。")
    denied = "被告人经电话传唤后主动到案，未立即如实供述自己的罪行，故不宜认定为自首。"
    assert "自首" not in {c.name for c in find_circumstances(denied, court_reasoning=True)}


def test_restitution_by_handing_back_the_proceeds_but_not_when_ordered() -> None:
    assert "退赃退赔" in names("案发后，被告人退出非法所得人民币8万元。")
    assert "退赃退赔" in names("案发后，两被告人分别退交违法所得10万元。")
    assert "退赃退赔" not in names("被告人犯罪所得财物，应当依法责令其退赔给被害人。")


def test_settlement_paper_in_evidence_and_a_settlement_that_is_the_payment() -> None:
    assert "刑事和解" not in names("上述事实，有通话记录、和解协议书、领条等证据证实。")
    assert "刑事和解" in names("案发后，被告人与被害人达成和解协议。")
    paid = names("被告人与被害人达成和解协议，一次性赔偿被害人人民币700元。")
    assert "刑事和解" not in paid and "赔偿未取得谅解" in paid


def test_own_statement_among_the_evidence_shows_a_confession_without_a_plea_in_court() -> None:
    proof = "上述事实，有证人证言、被告人甲某供述及辨认笔录等证据证实，足以认定。"
    assert "坦白" in names("被告人甲某被民警抓获。" + proof)
    assert "坦白" not in names("被告人甲某辩称其不知情。" + proof)  # an earlier denial
    assert "坦白" not in names("上述事实，有被告人甲某的供述与辩解、证人证言等证据证实。")


def test_drug_weight_before_its_name_and_waiting_for_the_police_after_calling_110() -> None:
    """「我卖了15克冰毒」 had no quantity (the name came after the weight); 「打了120和110在现场等警察」
    is 自动投案 (1998 解释 第一条; 2010 意见 一: waiting at the scene after reporting)."""
    assert extract_quantities("我卖了15克冰毒给别人").drug_grams == 15.0
    assert extract_quantities("卖了20克左右的海洛因").drug_grams == 20.0
    assert extract_quantities("贩卖甲基苯丙胺15克，海洛因2克").drug_grams == 17.0
    names = {c.name for c in find_circumstances("我开车撞了人，当场打了120和110在现场等警察")}
    assert "自首" in names


def test_restitution_told_plainly() -> None:
    """三（十）退赃退赔: 「被抓以后把钱全退了」 as a client says it."""
    assert "退赃退赔" in {c.name for c in find_circumstances("被抓以后把钱全退了")}
    assert "退赃退赔" in {c.name for c in find_circumstances("后来把钱都还给人家了")}
    assert "退赃退赔" not in {c.name for c in find_circumstances("他借了钱没还给人家")}
    # money misappropriated, then paid back (挪用资金: 刑法第二百七十二条第三款 too)
    assert "退赃退赔" in {c.name for c in find_circumstances("挪用公司50万给自己炒股，三个月后还上了")}
    assert "退赃退赔" not in {c.name for c in find_circumstances("挪用公司50万给自己炒股，一直没还上")}


def test_a_plea_told_as_clients_tell_it() -> None:
    """三（十二）: 「已经认罪悔罪」 is the defendant's plea, as 当庭自愿认罪 is in a judgment."""
    assert "当庭自愿认罪" in {
        c.name for c in find_circumstances("他在禁猎区用网捕了十几只野鸟，已经认罪悔罪")
    }
    assert "当庭自愿认罪" not in {
        c.name for c in find_circumstances("他在禁猎区用网捕了十几只野鸟，拒不认罪")
    }


def test_the_sum_itself_paid_back_is_restitution_and_an_intent_is_not() -> None:
    """A lawyer's review (stop 26): 「后来家里凑钱把15万全部还给公司了」 had been read as no 退赃退赔 (指导意见三（十）), and the
    answer said the facts told no 退赃."""
    names = lambda text: [c.name for c in find_circumstances(text)]  # noqa: E731
    assert "退赃退赔" in names("后来家里凑钱把15万全部还给公司了")
    assert "退赃退赔" in names("案发后把3000元还给了失主")
    assert "退赃退赔" not in names("我准备把5万块还给他")
    assert "退赃退赔" not in names("我愿意把5万还给他")
