"""Stop 27: criminal questions of two blind suites (heldout16, heldout17, read this stop) answered with the wrong crime or
without what was asked, each fixed in general and tested here in other words, with the outcome a lawyer writes from the
law text:

- 「私人的不是国企」 had been read as a state employer, and a warehouse keeper selling the company's copper wire as 受贿
  (刑法第三百八十五条); a private company's employee taking its goods is 职务侵占 (第二百七十一条).
- 「十几年前打架把人打成轻伤」 was dropped as an ask (几年), and the limitation answer read 诈骗 from 「没人报案」.
- 「他只在外面望风的，是不是能判轻一点」 got a term without a word of 从犯 (第二十七条: 应当从轻、减轻处罚或者免除处罚).
- 「偷电缆」 was no act the lexicon knew: the theft was a guess from similar cases.
"""

from __future__ import annotations

import pytest

from assistant.agent import routing
from assistant.agent.conversation import CaseFacts, asked_rulings
from assistant.judgment.everyday import everyday_terms
from assistant.sentencing import limitation


def _sources(question: str) -> list[str]:
    return [term.source for _, term in everyday_terms().matches(question)]


@pytest.mark.parametrize(
    ("told", "status"),
    [
        ("我们是私人的小厂，不是国企，会计把货款转到自己卡上了", "非国家工作人员"),
        ("他在一家民营企业当采购，收了供应商十万回扣", "非国家工作人员"),
        ("他是国企的出纳，把公款转到自己卡上了", "国家工作人员"),
        ("我们又不是国家机关，就是个小公司，员工卷走了二十万", "非国家工作人员"),
        ("他不是公务员，也不是国企的，就是物业公司的会计，把收的物业费转走了", "非国家工作人员"),
    ],
)
def test_a_denied_state_employer_tells_a_private_one(told: str, status: str) -> None:
    case = CaseFacts.from_messages([told])
    assert case.get("身份").value == status


def test_a_warehouse_keeper_selling_the_companys_goods_is_embezzlement_not_bribery() -> None:
    told = "我开了个做装修材料的公司，私人的不是国企，库管半年里把仓库的电线偷偷拿出去卖，有二十多万"
    found = _sources(told)
    assert "刑法第二百七十一条" in found
    assert not any("第三百八十五条" in s or "第三百八十二条" in s for s in found)
    state = "他是国企仓库的保管员，把仓库的钢材拿出去卖了十几万"
    assert not any(
        s == "刑法第二百七十一条" for s in _sources(state)
    )  # a state unit's: 贪污's, not 职务侵占's


@pytest.mark.parametrize(
    "told",
    ["半夜去工地偷电缆，卖了五千多", "在小区里偷电瓶被抓了", "他去邻居家偷了两只羊"],
)
def test_stealing_told_with_what_was_taken_is_theft(told: str) -> None:
    assert "刑法第二百六十四条" in _sources(told)


@pytest.mark.parametrize("told", ["他在地铁上偷拍女生", "从小就偷偷攒钱", "小时候偷看过姐姐的日记"])
def test_secretly_or_a_photo_taken_is_no_theft(told: str) -> None:
    assert "刑法第二百六十四条" not in _sources(told)


def test_a_time_long_past_is_the_facts_not_an_ask() -> None:
    question = "十几年前打架把人打成轻伤，一直没人报案，现在还会被追究吗？"
    assert "打成轻伤" in routing.told_before_asking(question)
    assert limitation.years_passed(question) == 10  # 十几年: at least ten
    assert limitation.years_passed("二十多年前偷过一头牛") == 20
    assert "判几年" not in routing.told_before_asking("偷了一辆电动车，会判几年？")


def test_asking_for_a_lighter_sentence_is_answered_first_by_the_lenient_circumstance(shared_corpus) -> None:
    """刑法第二十七条: 在共同犯罪中起次要或者辅助作用的，是从犯。对于从犯，应当从轻、减轻处罚或者免除处罚. 望风 is such a
    role; the conclusion says so with the article before the crime's term."""
    from assistant.agent.planning import Plan
    from assistant.agent.sentencing_answer import conclusion
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    case = CaseFacts.from_messages(
        ["他跟两个同学去偷了一辆摩托车，值八千块，他只是在外面望风，能不能判轻一点？"]
    )
    est = estimate_sentence(case.statement(), ["盗窃"], [264], texts)
    rulings = asked_rulings(case, est)
    assert [r.name for r in rulings] == ["从犯"]
    said = conclusion(est, Plan(charge_name="盗窃罪"), [r.verdict for r in rulings])
    assert said.startswith(
        "**结论**：按所述事实（望风）可以认定从犯（刑法第二十七条），对于从犯，应当从轻、减轻处罚或者免除处罚。按盗窃罪"
    )
    # a surrender the client means to make is said as what it would be (刑法第六十七条第一款)
    meant = CaseFacts.from_messages(
        ["他前两天偷了工地一捆电缆，值四千，想自己去派出所把事情说清楚，这样能判轻一点吗？"]
    )
    est = estimate_sentence(meant.statement(), ["盗窃"], [264], texts)
    (ruling,) = asked_rulings(meant, est)
    assert ruling.verdict.startswith(
        "如果自己去派出所把事情说清楚，一般可以认定自首（刑法第六十七条第一款），"
    )
    assert "“" not in ruling.verdict  # the conclusion quotes no source
    # nothing asked of the sentence: the term leads
    told = CaseFacts.from_messages(["他跟两个同学去偷了一辆摩托车，值八千块，他只是在外面望风，会判多久？"])
    est = estimate_sentence(told.statement(), ["盗窃"], [264], texts)
    assert asked_rulings(told, est) == []
    # but the term's reason is said with its article (a third lawyer's review: 第二十七条 had only been listed)
    assert "从犯（刑法第二十七条）：对于从犯，应当从轻、减轻处罚或者免除处罚" in est.conclusion()


@pytest.mark.parametrize(
    ("question", "route"),
    [
        # a past crime told beside an ask of its own, typed with spaces for commas: 民法典第一千零九十八条's, no sentence
        ("我们想去福利院领养个孩子 要什么条件 就是我老公前几年因为喝酒开车被拘留过 这个有影响吗", "general"),
        # the ask after the spaces is the sentence: still one
        ("我弟偷了邻居的电动车 被抓了 会判几年 家里人很着急", "sentencing"),
        # a customer list taken away (带走) is no person taken by the police: 反不正当竞争法第九条's dispute
        (
            "销售主管辞职时带走了我们的客户名单，现在去了同行那里抢我们的客户。这算侵犯商业秘密吗？公司能追究他吗？",
            "ip",
        ),
        ("我哥昨天被警察带走了，说是涉嫌盗窃，会判多久？", "sentencing"),
    ],
)
def test_what_is_asked_routes_the_question(question: str, route: str) -> None:
    assert routing.classify(question) == route


def test_a_crime_from_before_the_judgment_found_while_serving_leads_with_article_70(shared_corpus) -> None:
    """刑法第七十条: 判决宣告以后，刑罚执行完毕以前，发现被判刑的犯罪分子在判决宣告以前还有其他罪没有判决的，应当对新发现
    的罪作出判决，把前后两个判决所判处的刑罚，依照本法第六十九条的规定，决定执行的刑罚. A new crime while serving is
    第七十一条's (unserved.py), not this."""
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    case = CaseFacts.from_messages(
        [
            "我老公前年因为盗窃被判了四年，现在在监狱里。公安又来提审，说查出他判刑前还偷过一辆车，价值两万，会加刑吗？"
        ]
    )
    est = estimate_sentence(case.statement(), ["盗窃"], [264], texts)
    first = asked_rulings(case, est)[0]
    assert first.name == "漏罪" and first.verdict.endswith("（刑法第七十条）")
    assert "依照第六十九条数罪并罚" in first.verdict
    for told in (
        "他在监狱服刑期间又把同监室的人打成轻伤，会怎么判？",  # 第七十一条
        "他以前因为盗窃判过两年，出来以后又偷了一辆电动车，会判多久？",  # served: 累犯's question
    ):
        case = CaseFacts.from_messages([told])
        est = estimate_sentence(case.statement(), ["盗窃"], [264], texts)
        assert all(r.name != "漏罪" for r in asked_rulings(case, est))


def test_a_malformed_undetected_pattern_is_one_rules_error(tmp_path) -> None:
    from assistant.sentencing.law import GENERAL_PART, load_general_part
    from assistant.sentencing.rules import RulesError

    text = GENERAL_PART.read_text("utf-8").replace('"漏罪",', '"漏罪(",', 1)
    bad = tmp_path / "criminal_law.toml"
    bad.write_text(text, "utf-8")
    with pytest.raises(RulesError, match="malformed"):
        load_general_part.__wrapped__(bad)


def test_a_push_that_left_a_minor_injury_is_intentional_injury() -> None:
    assert "刑法第二百三十四条" in _sources("吵架时他把对方推倒了，对方手腕骨折，鉴定轻伤二级")
    assert "刑法第二百三十四条" not in _sources("他把我推倒了，我没受伤")


def test_an_offender_of_seventy_five_asked_about_gets_article_17_1_with_his_term(shared_corpus) -> None:
    """刑法第十七条之一: 已满七十五周岁的人故意犯罪的，可以从轻或者减轻处罚; 第七十二条第一款: 已满七十五周岁的人符合缓刑
    条件的，应当宣告缓刑. The article is one the engine weighs: the case is sentenced with it, not answered by its words."""
    from assistant.agent.conversation import _age_ruling
    from assistant.agent.planning import weighed_by_the_engine
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence, load_general_part

    class Found:
        law_id, number, suffix, metadata = "刑法", 17, 1, {"short_title": "刑法"}

    texts = criminal_law_texts(shared_corpus)
    case = CaseFacts.from_messages(["我爸今年76岁了，把邻居推倒了，邻居骨折鉴定轻伤二级，会坐牢吗"])
    est = estimate_sentence(case.statement(), ["故意伤害"], [234], texts)
    ruling = _age_ruling(case, est, load_general_part())
    assert ruling is not None and ruling.verdict.startswith(
        "犯罪时已满七十五周岁：故意犯罪的，可以从轻或者减轻处罚"
    )
    assert ruling.verdict.endswith("（刑法第十七条之一）")
    assert "第七十二条第一款" in est.probation_reason
    assert weighed_by_the_engine(Found())


# A third lawyer's review (stop 27): twelve new questions, the outcome written from the law text before running them.
@pytest.mark.parametrize(
    ("told", "article"),
    [
        # 刑法第一百七十六条: money borrowed from a village at a monthly rate, lenders asked to bring their relatives
        # (had been 介绍卖淫's 第三百五十九条, from 介绍)
        ("他跟村里的人借钱 说月息两分 还让借钱的人再介绍亲戚朋友来借 一共八十多个人", "刑法第一百七十六条"),
        # 刑法第三百八十二条: a 镇政府 cashier's false reimbursements are 贪污 (had been 职务侵占)
        ("我是乡政府的会计，用假发票报销套了十几万自己花了", "刑法第三百八十二条"),
        # 刑法第二百七十一条: a private company's driver keeping back goods he delivers (had been 盗窃)
        (
            "我在私人的建材厂开车送货，每次都少送一点，把扣下的水泥卖给别人，一年多卖了二十万",
            "刑法第二百七十一条",
        ),
        # 刑法第三百一十六条: a prisoner who ran off during outside work (no crime had been named)
        ("我哥在监狱服刑，出去劳动的时候跑了，三天后被抓回来", "刑法第三百一十六条"),
    ],
)
def test_the_review_crimes_are_read_from_the_clients_words(told: str, article: str) -> None:
    found = _sources(told)
    assert any(s == article or s.startswith(article + "、") for s in found), found


def test_a_bag_taken_at_knifepoint_is_robbery_itself_not_a_snatching_turned_robbery() -> None:
    """刑法第二百六十三条 (以暴力、胁迫方法抢劫): 拿刀逼着…把包抢了 is the robbery's own act; 第二百六十七条第二款
    (携带凶器抢夺的，依照第二百六十三条) is for a snatching with a weapon carried, not used."""
    from assistant.agent.planning import transfer_articles

    class Hit:
        def __init__(self, number: int, text: str) -> None:
            self.number, self.suffix, self.text = number, 0, text

    class Searcher:
        hits: dict[int, Hit] = {}

        def get_article(self, law: str, number: int, suffix: int = 0) -> Hit:
            said = "携带凶器抢夺的，依照本法第二百六十三条的规定定罪处罚。" if number == 267 else ""
            return self.hits.setdefault(number, Hit(number, said))

    robbery = Hit(263, "")
    assert transfer_articles(Searcher(), "他拿刀逼着一个女的把包抢了", robbery) == []
    assert [
        h.number for h in transfer_articles(Searcher(), "他带着刀，从一个女的手里抢了包就跑", robbery)
    ] == [267]


def test_a_crime_told_before_the_judgment_in_other_verbs_is_undetected() -> None:
    from assistant.sentencing import load_general_part

    rule = load_general_part().undetected
    assert rule is not None
    assert rule.found("我老公被判了三年，现在在监狱，公安说查出来他判决之前还跟别人合伙骗了人家12万")
    assert not rule.found("我老公被判了三年，现在在监狱，在里面又跟人打架了")
    # served already (第七十条 is for 刑罚执行完毕以前), or never said to be served
    assert not rule.found("他被判了三年，去年刑满释放了，现在公安说他判决之前还骗过人")
    assert not rule.found("他被判了三年，公安说他判决之前还骗过人")


def test_a_sentence_being_served_makes_no_recidivist_and_no_prior_to_weigh() -> None:
    """刑法第六十五条 needs the earlier sentence 执行完毕; one still served is combined with the new term (第七十条, 第七十一条),
    not weighed as a 前科 (a lawyer's review, stop 27: 「累犯不成立：没有说明…时间」「前罪记录按前科酌情考虑」)."""
    from assistant.sentencing import load_general_part
    from assistant.sentencing.conditions import PriorRecord

    prior = PriorRecord.told("我老公因为盗窃被判了三年 现在在监狱已经坐了一年")
    assert prior is not None and prior.serving
    why = prior.bar(load_general_part())
    assert why.startswith("前罪刑罚尚在执行（正在服刑）") and "第七十条" in why
    released = PriorRecord.told("他2021年因为盗窃被判了两年，2023年刑满释放")
    assert released is not None and not released.serving


def test_a_state_organ_in_clients_words_is_no_act_of_its_own() -> None:
    """镇政府 or 在编 read as 国家机关 decides 贪污 over 职务侵占 where an act is told; alone it matches no entry, so a
    teacher 在编 asking about a dismissal is not routed to a sentence."""
    assert routing.classify("我是学校在编老师 学校要把我辞退 咋办") == "general"
    assert _sources("我是镇政府财政所的出纳，在编的，用假发票报销了二十万自己花了")[:1] == [
        "刑法第三百八十二条"
    ]


def test_article_74_is_cited_for_probation_only_where_it_bars_it(shared_corpus) -> None:
    """刑法第七十四条: 对于累犯和犯罪集团的首要分子，不适用缓刑. A third lawyer's review found it listed in 10 of 12 answers
    that told neither."""
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    texts = criminal_law_texts(shared_corpus)

    def basis(fact: str) -> str:
        est = estimate_sentence(fact, ["盗窃"], [264], texts)
        return next(s.basis for s in est.charges[0].steps if s.name == "缓刑")

    assert basis("被告人盗窃邻居电动车一辆，价值3000元。") == "刑法第七十二条"
    assert basis("被告人系累犯，盗窃邻居电动车一辆，价值3000元。") == "刑法第七十二条、第七十四条"
