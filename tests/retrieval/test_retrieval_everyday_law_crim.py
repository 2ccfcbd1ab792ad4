"""The stop-16 criminal block of the everyday-law lexicon (retrieval/everyday_law/07-s16-criminal.toml):
questions about 刑法总则 told the way clients tell them (立功 as telling where an accomplice hides, 数罪并罚
as 一个判三年一个判五年, 紧急避险 as swerving from a lorry) reach the article that answers them, and the
neighbours of those words (a victim who resisted, a civil 紧急避险, a collector who only asks for money) do
not. Questions written here from the article texts, with the expected article, before the entries were run;
none taken from a question suite."""

from __future__ import annotations

import pytest
from lexicon_checks import check_reaches

from retrieval.lexicon import Lexicon

GENERAL_PART = [
    # 第六十八条 立功
    ("被抓以后我把同伙的藏身地点告诉了警察，警察抓到了他，我能少判吗？", "刑法第六十八条", None),
    ("关在看守所的时候我检举了同监室的人杀过人，经查属实，能减轻吗？", "刑法第六十八条", None),
    ("我帮警察抓到了另外一个逃犯，对我的案子有用吗？", "刑法第六十八条", None),
    ("我交代了另外一个人藏在哪里，算不算立功？", "刑法第六十八条", None),
    # 第六十九条 to 第七十一条
    ("同时犯了两个罪，一个判三年一个判五年，最后要坐几年？", "刑法第六十九条", None),
    ("一个人犯了好几个罪，是不是所有刑期加在一起？", "刑法第六十九条", None),
    ("数罪并罚最多能判多少年？", "刑法第六十九条", None),
    ("两个罪分别判了四年和六年，最后一共要坐多久？", "刑法第六十九条", None),
    ("判决以后在监狱里又发现他以前还有别的案子没交代，怎么处理？", "刑法第七十条", None),
    ("在监狱服刑期间又犯了新罪，刑期怎么算？", "刑法第七十一条", None),
    ("在监狱里服刑的时候又打伤了狱友，会加刑吗？", "刑法第七十一条", None),
    # 缓刑: its term, its rules, its revocation (not 第七十二条, which grants it)
    ("被判缓刑以后，考验期是多长时间？", "刑法第七十三条", "刑法第七十二条"),
    ("缓刑期间能不能离开居住的城市出去打工？", "刑法第七十五条", "刑法第七十二条"),
    ("缓刑期间想出国旅游可以吗？", "刑法第七十五条", "刑法第七十二条"),
    ("缓刑期间又犯了事，会怎么样？", "刑法第七十七条", "刑法第七十二条"),
    ("缓刑期间没去社区矫正报到，会被撤销缓刑吗？", "刑法第七十七条", None),
    ("犯了罪能判缓刑吗？", "刑法第七十二条", None),
    ("我弟判了缓刑，考验期还没过，又去偷了人家的电动车，会怎么样？", "刑法第七十七条", "刑法第七十二条"),
    # 第二十条 正当防卫
    ("有人拿刀要捅我，我夺过刀反过来把他捅伤了，我会坐牢吗？", "刑法第二十条", None),
    ("小偷半夜进我家被我发现，我拿棍子把他打伤了，算正当防卫吗？", "刑法第二十条", None),
    ("别人先动手打我，我还手把他打成了轻伤，我要负刑事责任吗？", "刑法第二十条", None),
    ("防卫过当会怎么判？", "刑法第二十条", None),
    ("醉汉先动手打我，我推了他一下他摔倒受伤了，我要坐牢吗？", "刑法第二十条", None),
    ("歹徒拿着刀冲向我，我用砖头把他打晕了，我有罪吗？", "刑法第二十条", None),
    # 第二十一条 紧急避险
    ("邻居家着火了，为了救人我砸了他家的门和窗户，我犯罪吗？", "刑法第二十一条", "民法典第一百八十二条"),
    ("为了躲开迎面冲过来的大货车，我往右打方向撞伤了行人，我有刑事责任吗？", "刑法第二十一条", None),
    ("发洪水的时候为了逃生砸开了别人家的门，犯法吗？", "刑法第二十一条", None),
    # 第十七条, 第十七条之一, 第十八条, 第十九条
    ("我儿子才十三岁，跟同学打架把人打成重伤，要坐牢吗？", "刑法第十七条", None),
    ("十五岁的孩子偷东西要负刑事责任吗？", "刑法第十七条", None),
    ("七十五岁以上的老人犯了罪能从轻吗？", "刑法第十七条之一", None),
    ("我弟弟有精神分裂，发病时把邻居砍伤了，要坐牢吗？", "刑法第十八条", None),
    ("喝醉了断片，打了人自己完全不记得，能不负刑事责任吗？", "刑法第十八条", None),
    # 第二十二条, 第二十四条
    ("只是买了刀准备去报复他，还没动手就被抓了，算犯罪吗？", "刑法第二十二条", None),
    ("本来想去抢劫，走到半路后悔了就回家了，还算犯罪吗？", "刑法第二十四条", None),
    ("动手以后他求饶，我自己停下来还把他送去了医院，能减轻处罚吗？", "刑法第二十四条", None),
    # 第二十五条 to 第二十九条
    ("两个人一起干的，一个出主意一个动手，都要判吗？", "刑法第二十五条", None),
    ("我是带头的，组织大家一起干的，会判得比其他人重吗？", "刑法第二十六条", None),
    ("我只是在外面帮忙开车，钱都是他们拿的，能轻判吗？", "刑法第二十七条", None),
    ("我是被他们逼着参与的，不去就打我，会怎么判？", "刑法第二十八条", None),
    ("我叫朋友去打他，我自己没有动手，我有罪吗？", "刑法第二十九条", None),
    # 第三十条、第三十一条, 刑罚
    ("公司犯罪了，老板要坐牢吗？", "刑法第三十条、第三十一条", None),
    ("判刑以后还能不能继续当医生？", "刑法第三十七条之一", None),
    ("被判了管制，是不是要坐牢？", "刑法第三十八条", None),
    ("怀孕的女人犯了重罪会判死刑吗？", "刑法第四十九条", None),
    ("未成年人杀了人会被判死刑吗？", "刑法第四十九条", None),
    ("判了死缓是不是就不会真的执行死刑了？", "刑法第五十条", None),
    ("罚金实在交不起怎么办？", "刑法第五十三条", None),
    ("犯罪所得的钱被查出来了，都要退出来吗？", "刑法第六十四条", None),
    ("作案用的车会被没收吗？", "刑法第六十四条", None),
    # 第七条, 第十条, 第十三条, 第六十七条
    ("在国外犯了罪已经在国外判过刑，回国还要再判吗？", "刑法第十条", "刑法第七条"),
    ("中国人在国外犯了罪，回国会被追究吗？", "刑法第七条", "刑法第十条"),
    ("情节显著轻微、危害不大的还算犯罪吗？", "刑法第十三条", None),
    ("被抓了以后老老实实把事情都交代了，能从轻吗？", "刑法第六十七条", None),
    ("我爸犯了事，我陪着他去派出所投案，算自首吗？", "刑法第六十七条", None),
    ("出狱才两年又犯事了，会判得更重吗？", "刑法第六十五条", None),
    # a second round, written after the first
    ("坏人拿着刀抢劫我，我把他刀夺过来捅死了，我要偿命吗？", "刑法第二十条", None),
    ("我老公只是在旁边看着，没有动手，他也会被判吗？", "刑法第二十七条", None),
    ("十五年前的一起伤人案现在被翻出来了，还能追究吗？", "刑法第八十七条", None),
    ("有精神病的人杀了人就不用坐牢吗？", "刑法第十八条", "刑法第七十二条"),
    ("跟网上认识的一个十三岁女孩发生了关系，她说是自愿的，我会坐牢吗？", None, "刑法第十七条"),
]

# Neighbours: the same words where they tell something else
NEIGHBOURS = [
    ("他拿刀砍我，我被砍伤了，他会判几年？", None, "刑法第二十条"),
    ("他抢劫的时候被害人反抗，他就捅了被害人一刀", None, "刑法第二十条"),
    ("我打了他一巴掌，他还手把我打伤了", None, "刑法第二十条"),
    ("为了躲一辆电动车，我撞坏了别人停在路边的车，要赔吗？", "民法典第一百八十二条", "刑法第二十一条"),
    ("我找人把他打了一顿，会判几年？", None, "刑法第二十九条"),
    ("公司拖欠工资三个月，老板会坐牢吗？", None, "刑法第三十条、第三十一条"),
    ("老板逼着我们加班，不干就扣工资，违法吗？", None, "刑法第二十八条"),
    ("交通管制期间能开车上路吗？", None, "刑法第三十八条"),
    ("买管制刀具犯法吗？", None, "刑法第三十八条"),
    ("在监狱里被人打了，能告吗？", None, "刑法第七十一条"),
    ("借条上写的是分十二个月还，他从第二期就没还了", None, "刑法第六十九条"),
    ("明知是犯罪所得还低价收购，会判几年？", None, "刑法第六十四条"),
    ("被判了缓刑还能当公务员吗？", None, "刑法第七十五条"),
    # 收了钱 without an official or a favour told is a seller's or a debtor's, not a bribe (stop 20)
    ("对方收了钱就是不还", None, "刑法第三百八十五条"),
    ("网上买手机，付了钱对方收了钱就是不发货，怎么办？", None, "刑法第三百八十五条"),
    ("审批的科长收了我五万块钱才给办的手续，他犯罪吗？", "刑法第三百八十五条", None),
    ("我老公出轨了，我想离婚，他的工资能分吗？", None, "刑法第二百七十四条"),
]


@pytest.mark.parametrize(("query", "reached", "not_reached"), GENERAL_PART + NEIGHBOURS)
def test_a_general_part_question_reaches_its_article(
    lexicon: Lexicon, query: str, reached: str | None, not_reached: str | None
) -> None:
    check_reaches(lexicon, query, reached, not_reached)


@pytest.mark.parametrize(
    ("query", "paragraph_words", "other_paragraph_words"),
    [
        ("我弟判了缓刑，考验期还没过，又去偷了人家的电动车，会怎么样？", "犯新罪", "执行原判刑罚"),
        ("缓刑期间又跟人打架把人打伤了，缓刑还算数吗？", "犯新罪", "执行原判刑罚"),
        ("缓刑期间没去社区矫正报到，会被撤销缓刑吗？", "执行原判刑罚", None),
        ("判了缓刑以后违反了禁止令，还进了网吧，会怎样？", "执行原判刑罚", "犯新罪"),
    ],
)
def test_each_ground_of_revoking_probation_reads_its_own_paragraph(
    lexicon: Lexicon, query: str, paragraph_words: str, other_paragraph_words: str | None
) -> None:
    """第七十七条 has two grounds: a new crime in the term (第一款) and a serious breach of its rules (第二款). The
    legal words read for the question are its own ground's, so that the answer quotes the paragraph that answers."""
    legal = " ".join(e.legal for _, e in lexicon.matches(query) if e.source == "刑法第七十七条")
    assert paragraph_words in legal
    if other_paragraph_words:
        assert other_paragraph_words not in legal


def test_every_crim_entry_can_be_skipped_by_its_hint(lexicon: Lexicon) -> None:
    """Each word of the block needs some literal, so a question without it never compiles the entry."""
    from retrieval.lexicon import _entry_hint

    legal = [e.legal for e in lexicon.entries]
    start = next(i for i, w in enumerate(legal) if "立功表现的 可以从轻或者减轻处罚 有重大立功表现的" in w)
    end = next(
        i
        for i, w in enumerate(legal)
        if w.startswith("犯罪以后自动投案，如实供述自己的罪行的，是自首 犯罪嫌疑人")
    )
    assert end - start >= 25
    unhinted = [e.source for e in lexicon.entries[start : end + 1] if _entry_hint(e) is None]
    assert not unhinted, unhinted
