"""The case facts of a conversation and the charges users name: each rule with a case that breaks it."""

from __future__ import annotations

import pytest

from assistant.agent.conversation import CaseFacts, message_facts, tells_act
from assistant.agent.named_charges import named_in
from assistant.sentencing import extract_quantities, find_circumstances
from corpora.charges import ChargeMap, load_charge_map


@pytest.fixture(scope="module")
def cmap() -> ChargeMap:
    """A few official names as the 1997 opinion and the supplements give them (written here)."""
    m = ChargeMap()
    for key, name in [
        ((264, 0), "盗窃"),
        ((266, 0), "诈骗"),
        ((224, 0), "合同诈骗"),
        ((263, 0), "抢劫"),
        ((267, 0), "抢夺"),
        ((133, 0), "交通肇事"),
        ((133, 1), "危险驾驶"),
        ((287, 2), "帮助信息网络犯罪活动"),
        ((312, 0), "掩饰、隐瞒犯罪所得、犯罪所得收益"),
        ((347, 0), "走私、贩卖、运输、制造毒品"),
        ((201, 0), "逃税"),
    ]:
        m.add(key, name)
    m.former["偷税"] = [(201, 0)]
    m.renamed["偷税"] = ["逃税"]
    return m


def _case(*messages: str, cmap: ChargeMap | None = None) -> CaseFacts:
    return CaseFacts.from_messages(messages, cmap)


def test_a_new_amount_replaces_the_old_one_and_says_so():
    case = _case("盗窃他人财物4800元，可能判多久？", "如果盗窃的是15万元呢？")
    amount = case.get("数额")
    assert amount is not None and amount.value == 150000 and amount.message == 2
    assert case.changes == ["第2次提问的数额（15万元）取代了第1次提问的数额（4800元），以新说的15万元为准。"]
    # the engine reads the new amount only, not the sum of both
    assert extract_quantities(case.statement()).amount_yuan == 150000


def test_an_added_circumstance_is_reported_with_its_message():
    case = _case("盗窃他人财物三千元", "那如果有自首呢？")
    assert case.get("情节", "自首").message == 2
    assert "第2次提问补充了情节：自首。" in case.changes
    assert [c.name for c in find_circumstances(case.statement())] == ["自首"]
    assert "情节：自首（第2次提问：“自首”）" in case.lines()


def test_a_withdrawn_circumstance_is_no_longer_credited():
    case = _case("盗窃3000元，到案后自首", "如果没有自首呢？")
    assert case.get("情节", "自首").value is False
    assert "自首" not in [c.name for c in find_circumstances(case.statement())]
    assert any("不认定自首" in c and "取代了第1次提问" in c for c in case.changes)


def test_a_follow_up_with_no_case_has_no_facts_to_apply():
    assert not _case("如果他是累犯呢？").has_case
    assert not _case("如果金额是15万元呢？").has_case
    assert not _case("那会判多久？").has_case
    assert _case("盗窃4800元", "如果他是累犯呢？").has_case


def test_a_message_telling_another_case_starts_afresh():
    case = _case("盗窃他人财物4800元，有自首", "醉酒驾驶机动车，血液酒精含量180mg/100ml，会判什么刑？")
    assert case.get("数额") is None and case.get("情节", "自首") is None
    assert case.get("血液酒精含量").value == 180 and case.messages.keys() == {2}


def test_a_corrected_amount_in_one_message_uses_the_correction():
    case = _case("他偷了3000元，不对，是5000元")
    assert case.get("数额").value == 5000
    assert case.conflicts and "按更正后的5000元" in case.conflicts[0]
    assert extract_quantities(case.statement()).amount_yuan == 5000


def test_doubted_amounts_use_the_lower_and_say_why():
    case = _case("诈骗了5万元还是8万元，记不清了")
    assert case.get("数额").value == 50000
    assert "按较低的5万元" in case.conflicts[0] and "有利于被告人" in case.conflicts[0]
    assert extract_quantities(case.statement()).amount_yuan == 50000


def test_several_amounts_are_added_as_the_engine_adds_them():
    case = _case("先后两次盗窃，分别为3000元和5000元")
    assert case.get("数额").value == 8000 and "合计8000元" in case.conflicts[0]


def test_everyday_amounts_are_read_as_yuan_and_compensation_is_not_the_amount():
    assert _case("骗了12万").get("数额").value == 120000
    assert _case("偷了3000块钱").get("数额").value == 3000
    assert _case("打伤了人，赔偿了5000元，对方轻伤").get("数额") is None


def test_age_is_restated_in_the_words_of_article_17():
    case = _case("他17岁，抢了别人一部手机，价值3000元")
    assert case.get("年龄").value == 17
    assert "未成年" in [c.name for c in find_circumstances(case.statement())]
    older = case.add("如果他已经20岁了呢？")
    assert older.get("年龄").value == 20 and "未成年" not in [
        c.name for c in find_circumstances(older.statement())
    ]


def test_the_fold_leaves_the_earlier_case_unchanged():
    first = _case("盗窃4800元")
    second = first.add("如果是15万元呢？")
    assert first.get("数额").value == 4800 and second.get("数额").value == 150000


def test_what_tells_an_act():
    def told(text: str, leaning: bool = False) -> bool:
        return tells_act(text, message_facts(text, 1)[0], leaning)

    assert told("骗了12万") and told("如果盗窃的是手机呢？", leaning=True)
    assert not told("如果他是累犯呢？", leaning=True) and not told("有自首情节")


def test_named_charges_are_checked_against_the_official_names(cmap):
    found = named_in("虚构事实骗取他人财物12万元，诈骗罪会判几年？", cmap)
    assert [(n.words, n.official, n.keys) for n in found] == [("诈骗罪", "诈骗", ((266, 0),))]
    assert named_in("他以合同诈骗罪被起诉", cmap)[0].official == "合同诈骗"
    assert named_in("卖银行卡构成帮助信息网络犯罪活动罪吗", cmap)[0].keys == ((287, 2),)
    assert named_in("这是犯罪吗", cmap) == [] and named_in("他犯了什么罪", cmap) == []
    assert named_in("被告人当庭自愿认罪，可以从轻处罚", cmap) == []  # 认罪 is no charge
    assert named_in("法院会怎么定罪", cmap) == []
    assert named_in("被关了两年后来判了无罪放出来，国家每天赔多少钱？", cmap) == []  # a verdict


def test_an_accusation_told_without_its_zui_is_a_named_charge(cmap):
    """A lawyer's review (stop 26): 「现在派出所以故意伤害立案了」 was left unread and the facts sentenced as 寻衅滋事. The
    words between 以/按/涉嫌 and the step (立案, 刑拘, 起诉 …) name a charge where they are an official name, whole."""
    (named,) = named_in("现在派出所以盗窃立案了，让我赔钱", cmap)
    assert (named.words, named.official) == ("盗窃", "盗窃")
    assert named_in("他涉嫌诈骗被刑拘了", cmap)[0].official == "诈骗"
    assert named_in("以后他又偷东西被拘留了", cmap) == []  # 以后 is no cue of a charge
    assert named_in("以高息为诱饵被起诉", cmap) == []  # not an official name
    assert [n.words for n in named_in("以合同诈骗罪立案", cmap)] == ["合同诈骗罪"]  # read once, with its 罪


def test_a_name_that_is_no_charge_gets_the_nearest_one(cmap):
    (named,) = named_in("我朋友偷窃罪会坐牢吗", cmap)
    assert not named.exists and named.words == "偷窃罪" and named.nearest[0] == "盗窃"
    assert not named_in("醉驾罪怎么判", cmap)[0].exists


def test_short_and_cancelled_names(cmap):
    short = named_in("帮信罪判几年", cmap)[0]
    assert short.abbreviated and short.official == "帮助信息网络犯罪活动"
    assert named_in("掩饰、隐瞒犯罪所得罪怎么判", cmap)[0].keys == ((312, 0),)
    cancelled = named_in("偷税罪怎么判", cmap)[0]
    assert cancelled.exists and cancelled.name == "逃税罪"
    assert named_in("贩卖毒品罪判几年", cmap)[0].official == "走私、贩卖、运输、制造毒品"


def test_a_later_named_charge_replaces_the_earlier(cmap):
    case = _case("他在超市拿了东西没付钱，价值2000元，构成盗窃罪吗", "那以抢夺罪起诉呢？", cmap=cmap)
    assert [n.official for n in case.named_charges] == ["抢夺"]
    assert any("抢夺罪" in c and "盗窃罪" in c for c in case.changes)


def test_named_charges_on_the_real_lists(shared_corpus):
    real = load_charge_map(shared_corpus)
    assert named_in("以非法拘禁罪起诉", real)[0].keys == ((238, 0),)
    assert named_in("开设赌场罪判几年", real)[0].keys == ((303, 0),)
    assert named_in("醉驾罪怎么判", real)[0].exists is False


def test_a_prior_record_told_alone_is_a_circumstance_of_the_same_case():
    """「我之前坐过牢，三年前刚放出来」 after a crash tells the defendant's record, not a new case: the
    crash stays the case (it had been answered with 广告法 as a new, non-criminal question)."""
    case = _case("我开车撞死了一个人，交警认定我负主要责任，会判几年？", "我之前坐过牢，三年前刚放出来")
    assert len(case.messages) == 2
    prior = [f for f in case.facts.values() if f.kind == "前罪"]
    assert prior and prior[0].message == 2 and "坐过牢" in prior[0].words


def test_a_loss_is_not_added_to_the_amount_it_is_part_of():
    """「贷了500万…银行损失了200万」: the loss is part of the loan, not a second sum (it was 700万)."""
    case = _case("我们公司做了假的财务报表，从银行贷了500万，后来还不上，银行损失了200万")
    assert case.facts["数额"].value == 5_000_000


def test_about_an_amount_reads_its_figure_and_a_prior_sentence_is_not_the_act():
    """「骗了二十来万」 is 20万 (the lower figure); 「因为抢劫被判过四年」 tells the record, so the ranking
    does not read 抢劫 as this act."""
    assert _case("总共骗了二十来万").facts["数额"].value == 200_000
    case = _case("我弟在地铁上摸了个手机，大概值2000块", "他三年前因为抢劫被判过四年，去年才刑满放出来")
    assert "抢劫" not in case.narrative() and "抢劫" in case.narrative(keep_figures=True)
    assert "三年" not in case.narrative()  # 三年前 dates the record; 三年 would read as a penalty


@pytest.mark.parametrize(
    ("told", "yuan_value"),
    [
        # review 3, 14 and 26: 四万八 had been read as 4万, 两万八 as 2万, 3万2 as 3万
        ("前前后后骗了我妈四万八，这人抓到了能判几年", 48000),
        ("用各种理由让人家给他转了两万八，会判几年", 28000),
        ("他偷的东西警察说价值3万2", 32000),
        ("他偷了一万五", 15000),
        ("骗了十万八千块", 108000),
        ("偷了3千5，会判吗", 3500),
        ("偷了两千五百元", 2500),
        ("手机值4500，会判吗", 4500),  # a figure after a word of value is money without a unit
    ],
)
def test_colloquial_amounts_are_read_whole(told, yuan_value):
    case = _case(told)
    assert case.get("数额").value == yuan_value
    assert extract_quantities(case.statement()).amount_yuan == yuan_value


def test_a_figure_that_is_not_money_is_not_an_amount():
    assert _case("偷了三千五百条烟丝的包装袋，他今年20岁").get("数额") is None


def test_a_valuation_replaces_a_guess_of_the_same_thing_and_says_why():
    """Review 3, 23: a guess (顶多值五千块) and the 价格认定 (3万2) of one bracelet had been added up to
    3.5万. The value of property is what a valid price certification or an appraisal sets (盗窃解释第四条
    第（一）项), so the 3.2万 is used and the answer says which and why."""
    case = _case(
        "我侄子偷了邻居家一个金镯子，他说那镯子顶多值五千块，后来警察说价格认定是3万2，到底按哪个算，会判几年"
    )
    assert case.get("数额").value == 32000
    (note,) = case.conflicts
    assert "价格认定的3万2" in note and "按价格认定的3.2万元计算" in note and "第四条" in note
    assert extract_quantities(case.statement()).amount_yuan == 32000


def test_amounts_of_separate_acts_are_still_added():
    # a valuation and a guess, but of two acts (两次): no valuation replaces the other figure
    case = _case("他偷了两次，第一次偷了手机，经鉴定2000元，第二次偷了现金大概3000元")
    assert case.get("数额").value == 5000
    assert _case("偷了三次，分别2000、3000元").get("数额").value == 5000


def test_a_range_or_a_rounded_figure_uses_the_lower():
    assert _case("骗了两三万").get("数额").value == 20000
    assert _case("骗了2到3万").get("数额").value == 20000


@pytest.mark.parametrize(
    "asked",
    ["这次算累犯吗", "这次是不是累犯要重判", "能不能算自首？", "他这种会不会认定为从犯", "有自首情节吗"],
)
def test_a_circumstance_asked_about_is_a_question_not_a_fact(asked):
    """Review 3, 27-2 and 28-2: 「算累犯吗」 had been recorded as 情节：累犯, and 「是不是累犯」 as its negation
    不是累犯. A question states nothing: the engine must not read its words either."""
    case = _case("盗窃他人财物4800元", asked)
    assert not [f for f in case.facts.values() if f.kind == "情节"]
    (question,) = [f for f in case.facts.values() if f.kind == "提问"]
    assert question.message == 2 and question.value in asked
    assert question.value not in [c.name for c in find_circumstances(case.statement())]


def test_a_circumstance_told_as_a_condition_is_still_a_fact():
    assert _case("盗窃4800元", "如果他是累犯呢？").get("情节", "累犯").value is True
    assert _case("盗窃3000元，到案后自首", "如果没有自首呢？").get("情节", "自首").value is False


def test_the_age_of_an_earlier_crime_is_not_the_age_now():
    """Review 3, 28-2: 「他17岁的时候因为抢劫被判过两年」 had replaced 今年20岁 (and brought the rules for
    minors); the 17 is the age at the earlier crime (it bars 累犯, 刑法第六十五条). The 4500 of the first
    message stays, and 去年 stays 去年 instead of a made-up day."""
    case = _case(
        "我儿子今年20岁，在网吧趁旁边的人睡着把人家放桌上的手机拿走了，手机值4500，会判吗",
        "他17岁的时候因为抢劫被判过两年，去年刚放出来，这次是不是累犯要重判",
    )
    assert case.get("年龄").value == 20 and case.get("数额").value == 4500 and not case.changes[1:]
    prior = case.get("前罪")
    assert "不满十八周岁" in prior.value and "去年刑满释放" in prior.value and "月" not in prior.value
    assert "未成年" not in [c.name for c in find_circumstances(case.statement())]


def test_a_correction_in_a_follow_up_replaces_the_injury_and_says_so():
    """Review 3, 29-2: 「不对…鉴定结果是重伤二级，不是轻伤」 had started a new, non-criminal question."""
    case = _case(
        "我老公跟人打架把对方打伤了，鉴定是轻伤二级，家里想赔钱私了，会怎么判",
        "不对，我刚问清楚，鉴定结果是重伤二级，不是轻伤",
    )
    assert list(case.messages) == [1, 2] and case.get("伤情").value == "重伤"
    assert case.changes == [
        "第2次提问的伤情（重伤二级）取代了第1次提问的伤情（轻伤二级），以新说的重伤二级为准。"
    ]
    assert extract_quantities(case.statement()).injury == "重伤"


def test_facts_told_without_a_question_continue_the_case():
    case = _case("村里老板偷挖稀土卖了五十多万，我也在里面干活，会判吗", "我就是给老板开挖掘机的，每月拿工资")
    assert list(case.messages) == [1, 2] and case.get("数额").value == 500000


@pytest.mark.parametrize(
    "alone",
    ["那如果他主动去自首的话，是不是就能判缓刑了？", "如果他是累犯呢？", "他自首了能判缓刑吗"],
)
def test_a_follow_up_of_circumstances_alone_has_no_case(alone):
    """Review 3, 30: a fresh 「那如果他主动去自首的话…缓刑？」 had produced a 故意伤害 sentence from nothing."""
    assert not _case(alone).has_case


def test_a_follow_up_of_circumstances_does_not_change_what_the_ranking_reads():
    """Review 3, 26-2: 「他现在自己去派出所投案了，钱全退了，对方也写了谅解书」 had changed the charge to
    合同诈骗. It tells what he did after the crime: the charge is read from the act; the circumstances
    (自首, the money returned with forgiveness: 《量刑指导意见》三（十一）) still reach the engine."""
    first = "我弟在网上装成女的跟一个男的网恋，用妈妈住院、交房租各种理由让人家给他转了两万八，会判几年"
    case = _case(first, "他现在自己去派出所投案了，钱全退了，对方也写了谅解书，能判缓刑吗")
    assert case.narrative() == _case(first).narrative()
    names = [c.name for c in find_circumstances(case.statement())]
    assert "自首" in names and "赔偿并取得谅解" in names
    changed = _case("盗窃他人财物4800元", "如果他是持刀抢的，而且自首了呢")
    assert "持刀抢" in changed.narrative()  # a follow-up that tells another act is still read


def _answers(shared_corpus, *messages: str, charge: str, article: int) -> list[str]:
    from assistant.agent.conversation import asked_answers
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import PriorRecord, estimate_sentence

    case = _case(*messages)
    prior = PriorRecord.told(case.narrative(keep_figures=True))
    texts = criminal_law_texts(shared_corpus)
    return asked_answers(
        case, estimate_sentence(case.statement(), [charge], [article], texts, prior_record=prior)
    )


def test_a_question_about_a_circumstance_gets_an_answer_from_the_law(shared_corpus):
    """刑法第六十五条 needs 有期徒刑以上 for the earlier crime: a prior 拘役 makes no 累犯, and the answer
    says so plainly; with no prior told, it quotes the article and asks for the record; 自首 needs
    自动投案 (第六十七条第一款): a confession after arrest is 坦白."""
    first = "我老公喝了酒在小区跟保安吵架，一拳把保安鼻梁骨打断了，鉴定轻伤一级，会判多久"
    (no,) = _answers(
        shared_corpus, first, "他前年因为酒驾被判过拘役四个月，这次算累犯吗", charge="故意伤害", article=234
    )
    assert no.startswith("关于是否构成累犯：不构成。前罪判处的是拘役") and "第六十五条" in no
    (open_,) = _answers(shared_corpus, first, "这次算累犯吗", charge="故意伤害", article=234)
    assert "无法认定" in open_ and "有期徒刑以上刑罚" in open_ and "第六十五条" in open_
    (arrest,) = _answers(
        shared_corpus, "他偷了邻居3000元，被警察抓了以后如实交代了", "这算自首吗", charge="盗窃", article=264
    )
    assert "不能认定；所述情形属于坦白" in arrest and "第六十七条第一款" in arrest


def test_self_defence_asked_about_is_the_courts_to_settle_and_the_term_is_for_the_other_outcome(
    shared_corpus,
):
    """A lawyer's review (stop 26): 「…我一把把他推开…鉴定是轻伤二级…我这算不算正当防卫？如果不算，会判多重？」 got a
    sentence for 寻衅滋事 with no word of 刑法第二十条. Whether the facts meet 第二十条 is the court's to decide from the whole
    case: the answer quotes 第一款, says what 第二款 makes of 防卫过当, and the term is only for the case where neither holds."""
    from assistant.agent.conversation import asked_rulings
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    case = _case(
        "他先一拳打在我脸上，又抄起啤酒瓶要砸我，我把他推开，他摔倒磕成轻伤二级。我这算不算正当防卫？"
    )
    assert "正当防卫" not in case.statement()  # the ask's words are no fact of the case
    estimate = estimate_sentence(case.statement(), ["故意伤害"], [234], criminal_law_texts(shared_corpus))
    (ruling,) = asked_rulings(case, estimate)
    assert (
        ruling.verdict.startswith("是否属于正当防卫，由法院根据全案事实认定")
        and "第二十条第二款" in ruling.verdict
    )
    assert "以下刑期仅在不认定为正当防卫时参考" in ruling.verdict
    assert ruling.answer.startswith("关于是否属于正当防卫：刑法第二十条第一款：“为了使国家、公共利益")


def test_the_request_for_facts_gives_the_general_rules_it_was_asked_about():
    from assistant.agent.sentencing_answer import request_for_facts

    q = "那如果他主动去自首的话，是不是就能判缓刑了？"
    reply = request_for_facts(_case(q), q)
    assert reply.startswith("要估算刑期，需要先知道案情。") and "有期徒刑" not in reply.split("一般规定")[0]
    assert "第六十七条第一款" in reply and "第七十二条" in reply and "第七十四条" in reply


def test_ones_pay_told_in_a_follow_up_is_not_the_crime_amount() -> None:
    """「每个月拿8000块钱工资」 tells his pay, not the value of the minerals (the 50万 stands); wages owed are
    the amount of 拒不支付劳动报酬 (刑法第二百七十六条之一) and still count."""
    case = CaseFacts.from_messages(
        [
            "老板在后山偷偷挖稀土，没有采矿证，挖出来的稀土卖了五十多万，我也在里面干活，会判吗",
            "我就是给老板开挖掘机的，每个月拿8000块钱工资，没分过钱",
        ]
    )
    amount = case.get("数额")
    assert amount is not None and amount.value == 500000 and amount.message == 1
    owed = CaseFacts.from_messages(["老板拖欠了十个工人的工资共计35万元，一直不给，会判吗"]).get("数额")
    assert owed is not None and owed.value == 350000


@pytest.mark.parametrize(
    ("message", "facts", "asked"),
    [
        # Review 4, q10: 「会判多少年」 had been read as facts and ranked 走私、贩卖、运输、制造毒品罪 first
        (
            "我表弟跟人喝酒起了冲突，拿水果刀捅了对方肚子一刀，人送到医院没救过来，他自己打了110在原地等警察来，会判多少年",
            "他自己打了110在原地等警察来",
            "判",
        ),
        ("我帮一个放高利贷的老板去要账，天天去欠钱那家门口泼油漆、堵门，这个算犯罪吗", "堵门", "犯罪"),
        ("坐公交坐过站了，司机不给停，我冲上去抢方向盘，没人受伤，我会被判刑吗", "没人受伤", "判刑"),
        ("我姐夫经常打我姐，喝了酒就拿皮带抽，这个能告他吗，会判刑吗", "拿皮带抽", "告"),
        ("我朋友出国前把钱放我这帮他保管，我拿去花了，我说没这回事，会犯法吗", "我说没这回事", "犯法"),
        ("我哥喝了酒开车撞伤了人跑了，让我去交警队说是我开的车，我就去了，我会怎么样", "我就去了", "怎么样"),
        ("我在公司当销售，拿假发票报销了好几次，公司说要报警，一般会判几年", "公司说要报警", "几年"),
        ("我老公开车故意往豪车上蹭，找人家要赔偿，碰瓷罪一般判几年", "碰瓷罪", "几年"),
        ("过年跟亲戚打麻将，我赢了不少，被派出所抓了，会坐牢吗？该怎么办", "被派出所抓了", "坐牢"),
        # a question told in the same clause as the act: the act stays
        ("我在地铁上偷了一个钱包会判多久", "我在地铁上偷了一个钱包", "判"),
        ("他偷了东西判了几个月了", "判了几个月", ""),  # told, not asked: a fact stays
    ],
)
def test_the_ranking_reads_the_facts_without_the_question_asked(message: str, facts: str, asked: str):
    """The question (会判多少年, 算犯罪吗, 犯法吗, 怎么办 …) tells no act: read as facts, its words had decided
    the charge where the facts' own words were weak. The facts told in the same clause stay."""
    for narrative in (_case(message).narrative(), _case(message).narrative(keep_figures=True)):
        assert facts in narrative
        assert not asked or asked not in narrative, narrative


# --- follow-ups that change the facts (issue 10, point 4) ------------------------------------------
def test_a_figure_the_message_denies_is_replaced_not_added():
    """「其实是3万不是5万」 names the old figure only to deny it: 3万 replaces 5万 (not 8万 in all)."""
    case = _case("他偷了别人5万元，会判几年？", "其实是3万不是5万")
    assert case.get("数额").value == 30000 and case.get("数额").message == 2
    assert case.changes == ["第2次提问的数额（3万元）取代了第1次提问的数额（5万元），以新说的3万元为准。"]
    assert case.conflicts == []  # the replacement says it; no second note
    assert extract_quantities(case.statement()).amount_yuan == 30000
    alone = _case("偷了不是5000元而是8000元")
    assert alone.get("数额").value == 8000
    assert alone.conflicts == ["第1次提问说明数额是8000元而不是5000元，以8000元为准。"]
    # several acts' figures are still added, and a figure denied by nothing is kept
    assert _case("偷了两次，分别是3000元和5000元").get("数额").value == 8000
    # 「不止8万」 says the sum is more than 8万: the total told after it replaces it (not 68万; a lawyer's review)
    more = _case("他借口做工程骗了村里人8万块，会判几年？", "其实不止8万，村里加起来被他骗了60万")
    assert more.get("数额").value == 600000 and more.conflicts == []


def test_making_good_afterwards_continues_the_case_and_changes_no_charge():
    """「后来把税款都补缴了，还会判刑吗？」 asks again about the case in progress (刑法第二百零一条第四款
    turns on it): no new case (it had been read as 逃避追缴欠税 of its own), and no act for the ranking."""
    case = _case("公司偷税80万元，会判几年？", "后来把税款都补缴了，还会判刑吗？")
    assert sorted(case.messages) == [1, 2] and case.acts == {1}
    assert case.get("数额").value == 800000
    assert "补缴" not in case.narrative() and "补缴" in case.statement()
    returned = _case("偷了同事一部手机，价值5000元，会判多久？", "他已经把手机退还了，同事也写了谅解书")
    assert returned.acts == {1}
    # the amount restated for the engine is not read as a sum returned (谅解书。涉案数额共计…)
    assert extract_quantities(returned.statement()).amount_yuan == 5000
    # a new act told with what came after it is still a case of its own
    other = _case("公司偷税80万元，会判几年？", "我朋友挪用公款50万，后来还上了，会判吗？")
    assert sorted(other.messages) == [2]


def test_a_first_message_is_read_whole_even_when_it_starts_like_a_follow_up():
    """「他偷了同事5000元」 is a case: only after other messages does 他… lean on them (and need two words);
    a supposition (如果偷的是15万元呢) about no case told still does."""
    assert _case("他偷了同事5000元，会判多久？").has_case
    assert not _case("如果他是累犯呢？").has_case
    assert not _case("如果偷的是15万元呢？").has_case


def test_a_follow_up_that_tells_a_death_raises_the_injury():
    """「邻居后来抢救无效死亡了」: 抢救无效 denies nothing; the death replaces the 轻伤 (刑法第二百三十四条第二款)."""
    case = _case("因为琐事把邻居打成轻伤，会判多久？", "邻居后来抢救无效死亡了")
    assert case.get("伤情").value == "死亡" and case.get("伤情").message == 2
    assert extract_quantities(case.statement()).injury == "死亡"


def test_a_correction_that_tells_an_arrest_withdraws_the_surrender():
    """「不对，他不是自己去的，是被警察抓的」: 自首 needs 自动投案 (刑法第六十七条第一款); the newer fact wins and
    the answer says so. An arrest told after a surrender (自首后被警察带走了) withdraws nothing."""
    told = "他偷了一台笔记本电脑，价值8000元，事后去派出所自首了，会判多久？"
    case = _case(told, "不对，他不是自己去的，是被警察抓的")
    assert case.get("情节", "自首").value is False and case.get("情节", "自首").message == 2
    assert any("不认定自首" in c and "取代了第1次提问" in c for c in case.changes)
    assert "自首" not in [c.name for c in find_circumstances(case.statement())]
    kept = _case(told, "他自首后被警察带走了")
    assert kept.get("情节", "自首").value is True


def test_a_rule_outside_the_crime_told_in_part_is_named_with_what_is_missing():
    """「后来把税款都补缴了」 meets one condition of 刑法第二百零一条第四款 (补缴, 滞纳金, 行政处罚): the answer
    quotes the paragraph and says what is not told; with every condition told there is no such note."""
    from types import SimpleNamespace

    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import partly_met

    fourth = "有第一款行为，经税务机关依法下达追缴通知后，补缴应纳税款，缴纳滞纳金，已受行政处罚的，不予追究刑事责任。"
    article = SimpleNamespace(
        law_title="中华人民共和国刑法", number=201, suffix=0, text=f"一\n二\n三\n{fourth}"
    )
    plan = Plan(statutes=[article], charges=["逃税"], articles=[201])
    notes = partly_met(_case("公司偷税80万元，会判几年？", "后来把税款都补缴了，还会判刑吗？"), plan)
    assert len(notes) == 1 and "“补缴”" in notes[0] and "“滞纳金”" in notes[0] and fourth in notes[0]
    whole = _case("公司偷税80万元，补缴了税款，交了滞纳金，也受了行政处罚，会判刑吗？")
    assert partly_met(whole, plan) == []
    assert partly_met(_case("公司偷税80万元，会判几年？"), plan) == []


def test_the_sum_of_another_act_told_later_adds_to_the_earlier_one():
    """「他后来又偷了另一家3000元」 tells another act: its sum adds to the 5000元 told before (amounts of acts not
    yet dealt with are counted together), and the trace names both messages; 「如果是8000元呢」 replaces."""
    case = _case("他偷了邻居5000元，会判多久？", "他后来又偷了另一家3000元")
    assert case.get("数额").value == 8000
    assert case.changes == [
        "第2次提问又说了一笔数额（3000元），与第1次提问的5000元合计8000元计算；如果说的是同一笔，请说明。"
    ]
    assert "数额：8000元（第1次提问：“5000元”；第2次提问：“3000元”）" in case.lines()
    assert extract_quantities(case.statement()).amount_yuan == 8000
    assert _case("他偷了邻居5000元，会判多久？", "如果是8000元呢？").get("数额").value == 8000


def test_the_conclusion_answers_the_circumstance_asked_before_the_term(shared_corpus):
    """「…第二天自己去派出所说清楚了，算自首吗」 asks about 自首: the conclusion says whether the facts make it, with
    刑法第六十七条第一款, before the crime's article and term; a confession after arrest is 坦白 (第三款)."""
    from assistant.agent.conversation import asked_rulings
    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import conclusion
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    case = _case("打架把人打成轻伤，第二天自己去派出所说清楚了，算自首吗")
    est = estimate_sentence(case.statement(), ["故意伤害"], [234], texts)
    said = conclusion(est, Plan(charge_name="故意伤害罪"), [r.verdict for r in asked_rulings(case, est)])
    assert said.startswith("**结论**：按所述事实可以认定自首（刑法第六十七条第一款）。按故意伤害罪")
    arrest = _case("他偷了邻居3000元，被警察抓了以后如实交代了，这算自首吗")
    est = estimate_sentence(arrest.statement(), ["盗窃"], [264], texts)
    (ruling,) = asked_rulings(arrest, est)
    assert (
        ruling.verdict == "按所述事实不能认定自首（刑法第六十七条第一款），属于坦白（刑法第六十七条第三款）"
    )
    told = _case("打架把人打成轻伤，第二天自己去派出所说清楚了，会判几年")  # nothing asked: the term leads
    est = estimate_sentence(told.statement(), ["故意伤害"], [234], texts)
    assert conclusion(
        est, Plan(charge_name="故意伤害罪"), [r.verdict for r in asked_rulings(told, est)]
    ).startswith("**结论**：按故意伤害罪")


def test_an_age_told_without_sui_is_read_from_who_is_told_of():
    """Stop 24: 「我爸七十六了，他真不是故意的」 tells his age (刑法第十七条之一); a number under twelve after 他 is no age."""
    assert _case("我爸七十六了，上坟烧纸把山上的林子烧了").get("年龄").value == 76
    assert _case("他都三十了，还偷东西，偷了一部手机").get("年龄").value == 30
    assert _case("他三了，偷了两次东西").get("年龄") is None


def test_probation_asked_about_is_answered_first_from_the_estimate(shared_corpus):
    """Stop 24 (heldout12): 「…赔了八万，对方也写了谅解书…能不能判缓刑不用进去？缓刑要什么条件？」 led with the crime's
    article; the client asks about 缓刑, so 刑法第七十二条's answer for these facts comes first."""
    from assistant.agent.conversation import asked_rulings
    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import conclusion
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    case = _case("跟邻居吵架把他打成轻伤二级，赔了对方八万，对方写了谅解书，能不能争取个缓刑？")
    est = estimate_sentence(case.statement(), ["故意伤害"], [234], texts)
    said = conclusion(est, Plan(charge_name="故意伤害罪"), [r.verdict for r in asked_rulings(case, est)])
    assert said.startswith("**结论**：按所述事实可以考虑宣告缓刑（刑法第七十二条）。按故意伤害罪")
    heavy = _case("抢劫了三次，抢了五万多，缓刑要什么条件？")
    est = estimate_sentence(heavy.statement(), ["抢劫"], [263], texts)
    (ruling,) = [r for r in asked_rulings(heavy, est) if r.name == "缓刑"]
    assert ruling.verdict == "按所述事实不宜宣告缓刑（刑法第七十二条）"
    plain = _case("跟邻居吵架把他打成轻伤二级，会判几年？")  # nothing asked of 缓刑: the term leads
    assert not [f for f in plain.facts.values() if f.kind == "提问"]


def test_an_earlier_probation_asked_about_after_a_new_crime_is_said_to_be_revoked(shared_corpus):
    """「…判了一年，缓刑两年，一直在社区矫正…又跟人动手…原来那个缓刑还算数不？」: 刑法第七十七条第一款 first."""
    from assistant.agent.conversation import asked_rulings
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import PriorRecord, estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    case = _case(
        "我弟前年打架判了一年，缓刑两年，一直在社区矫正。上礼拜又把人打成轻伤，原来那个缓刑还算数不？"
    )
    told = case.narrative(keep_figures=True)
    est = estimate_sentence(case.statement(), ["故意伤害"], [234], texts, prior_record=PriorRecord.told(told))
    (ruling,) = [r for r in asked_rulings(case, est) if r.name == "缓刑"]
    assert ruling.verdict == "原判缓刑应当撤销，前罪和本罪的刑罚数罪并罚（刑法第七十七条第一款）"


def test_the_pay_for_a_card_is_no_part_of_the_money_that_flowed_through_it():
    """A lawyer's review (stop 24): 「一张给500…前后拿了1500块…卡里过了80多万」 was computed as 80.15万; 帮信 is measured by
    the 支付结算 (法释〔2019〕15号第十二条). With no flow told, the pay is the amount (受贿's 好处费)."""
    told = "走流水一张给500，我把两张卡都给他了，前后拿了1500块。警察说卡里过了80多万，会判多重？"
    assert _case(told).get("数额").value == 800000
    assert _case("收了5万块好处费，帮他拿下了工程，会判几年？").get("数额").value == 50000
    assert _case("他先偷了2000块，后来又偷了3000块").get("数额").value == 5000


def test_probation_denied_to_a_recidivist_cites_the_article_that_bars_it(shared_corpus):
    """A lawyer's review (stop 24): 「…去年刚刑满释放…这次算累犯吗？能判缓刑吗？」 was told 不宜宣告缓刑（刑法第七十二条）;
    the bar is 第七十四条 (对于累犯和犯罪集团的首要分子，不适用缓刑)."""
    from assistant.agent.conversation import asked_rulings
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import PriorRecord, estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    case = _case("他三年前因为抢劫被判了三年，去年刚刑满释放，这次又偷了邻居5000元，能判缓刑吗？")
    told = case.narrative(keep_figures=True)
    est = estimate_sentence(case.statement(), ["盗窃"], [264], texts, prior_record=PriorRecord.told(told))
    (ruling,) = [r for r in asked_rulings(case, est) if r.name == "缓刑"]
    assert ruling.verdict == "按所述事实不宜宣告缓刑（刑法第七十四条）", est.probation_reason


def test_a_sum_repaid_owed_or_to_be_returned_is_no_second_sum_of_the_crime() -> None:
    """A lawyer's review (stop 25): 「贷了300万…只还了200万，剩下100万逾期还不上」 had been added up to 600万, and 「不给我
    10万…他先转了我5万…5万我可以全部退」 to 20万. The sum paid back, the sum still owed and the sum to be returned are
    parts of one sum; the sum asked for counts only where nothing paid is told."""
    from assistant.sentencing.quantities import extract_quantities

    def amount(text: str) -> float | None:
        return extract_quantities(CaseFacts.from_messages([text], None).statement()).amount_yuan

    assert amount("我用假合同从银行贷了300万，只还了200万，剩下100万还不上，会判几年？") == 3_000_000
    assert amount("我跟他说不给我10万就把照片发出去，他先转了我5万。5万我可以全部退，会判几年？") == 50_000
    assert amount("我偷了邻居3000块钱，后来还给他了，会判吗") == 3000  # the one sum told stays the amount
    assert amount("他先偷了2000元，又偷了3000元，会判几年") == 5000


def test_an_intent_to_pay_back_later_keeps_the_sum_a_crime_amount() -> None:
    """挪用's 「想着以后还」 is the crime's own intent, not a sum returned: both sums stay the amount."""
    from assistant.sentencing.quantities import extract_quantities

    told = "我挪用了公司50万想着以后还上，后来又拿了10万炒股，会判几年？"
    assert extract_quantities(CaseFacts.from_messages([told], None).statement()).amount_yuan == 600_000


def test_recidivism_asked_of_several_crimes_is_ruled_crime_by_crime(shared_corpus):
    """A lawyer's review (stop 26): drink-driving and a blow to a policeman three years after a year's 有期徒刑 had been
    told 「不构成累犯」 beside 「累犯不适用缓刑（刑法第七十四条）」. 刑法第六十五条 holds for 袭警 (有期徒刑以上), not for 危险驾驶
    (拘役 only): the answer says which."""
    from assistant.agent.conversation import asked_rulings
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import PriorRecord, estimate_sentence

    case = _case(
        "醉酒驾驶机动车，血液酒精含量162毫克/100毫升，被查时殴打民警一拳，致民警轻微伤。"
        "四年前因为盗窃判过有期徒刑一年，三年前刑满释放。我算不算累犯？"
    )
    prior = PriorRecord.told(case.narrative(keep_figures=True))
    texts = criminal_law_texts(shared_corpus)
    estimate = estimate_sentence(
        case.statement(), ["袭警", "危险驾驶"], [277, 133], texts, prior_record=prior
    )
    (ruling,) = asked_rulings(case, estimate)
    assert ruling.verdict.startswith("袭警罪构成累犯") and "危险驾驶罪不构成" in ruling.verdict, (
        ruling.verdict
    )


def test_a_unit_price_and_the_profit_are_no_second_sum_beside_the_sales():
    """A lawyer's review (stop 25): 「进价几十块卖一两百，一年多卖了大概15万，赚了5万左右」 had been read as 10元 (the lower of
    几十块, 15万 and 5万) and the fake shoes called probably no crime. A price per unit is no sum of the crime beside the
    total, and the profit is part of the sales told."""
    shoes = _case("我在网上卖仿的名牌运动鞋，进价几十块卖一两百，一年多卖了大概15万，赚了5万左右。")
    assert shoes.get("数额").value == 150000 and not shoes.conflicts
    assert _case("我卖假烟，卖了30万，赚了8万").get("数额").value == 300000
    assert _case("偷了两次，一次3000元，一次5000元").get("数额").value == 8000  # two thefts still add up
    assert _case("只赚了5万块钱").get("数额").value == 50000  # the profit alone is the sum told


def test_a_paragraph_punished_by_the_one_before_takes_its_ranges(shared_corpus):
    """A lawyer's review (stop 25): wild birds bought for restaurants, 刑法第三百四十一条第三款 (「…情节严重的，依照前款的规定
    处罚」), got 「无法估计刑期」: the ranking's paragraph was read alone. It takes 第二款's ranges: 三年以下有期徒刑、拘役、管制
    或者罚金."""
    from dataclasses import replace

    from assistant.agent import planning
    from assistant.agent.sentencing_answer import sentencing_for
    from assistant.evaluation.sentencing import criminal_law_texts
    from tests.assistant.assistant_fakes import fictional_article

    text = criminal_law_texts(shared_corpus)[341]
    hit = replace(
        fictional_article("刑法", 341, text),
        law_title="中华人民共和国刑法",
        law_id="刑法",
        collection="statutes",
    )
    plan = planning.Plan(
        statutes=[hit], charges=["非法猎捕、收购、运输、出售陆生野生动物"], articles=[341], paragraph=3
    )
    estimate, _, _ = sentencing_for(_case("收购野斑鸠、野鸡卖给饭店做菜，一年卖了两万元，会判吗"), plan)
    assert estimate is not None and estimate.charges[0].statutory == (1.0, 36.0), (
        estimate and estimate.conclusion()
    )
