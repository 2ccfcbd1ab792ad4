"""The stop-20 review block of the everyday-law lexicon (retrieval/everyday_law/13-s20-review.toml): where an article
gives each side its own rule, the client's side chooses the clause read with the question (定金: who backed out;
继承: a grandchild's 爷爷奶奶 are the deceased's 父母). Questions written here from the article texts."""

from __future__ import annotations

import pytest
from lexicon_checks import check_reaches

from assistant.backends.excerpts import best_sentence
from retrieval.lexicon import Lexicon, _entry_hint

DEPOSIT = (
    "债务人履行债务的，定金应当抵作价款或者收回。给付定金的一方不履行债务或者履行债务不符合约定，致使不能实现合同目的的，"
    "无权请求返还定金；收受定金的一方不履行债务或者履行债务不符合约定，致使不能实现合同目的的，应当双倍返还定金。"
)
ORDER = (
    "遗产按照下列顺序继承：\n（一）第一顺序：配偶、子女、父母；\n（二）第二顺序：兄弟姐妹、祖父母、外祖父母。\n"
    "继承开始后，由第一顺序继承人继承，第二顺序继承人不继承；没有第一顺序继承人继承的，由第二顺序继承人继承。"
)


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("交了定金后卖家反悔不卖了，能要回多少钱？", "应当双倍返还定金"),
        ("租房付了三千定金，房东转头租给别人了，怎么办？", "应当双倍返还定金"),
        ("付了两万定金买房，后来我自己不想买了，定金能退吗？", "无权请求返还定金"),
        ("我开店收了客户五千定金，客户反悔不要了，要退给他吗？", "无权请求返还定金"),
    ],
)
def test_the_side_that_backed_out_chooses_the_deposit_clause(
    lexicon: Lexicon, question: str, clause: str
) -> None:
    read = lexicon.expand(question)
    assert clause in best_sentence(DEPOSIT, read)


def test_a_grandchild_s_grandparents_are_the_deceased_s_parents(lexicon: Lexicon) -> None:
    read = lexicon.expand("父亲去世没留遗嘱，妈妈、我和爷爷奶奶谁能继承？")
    assert "第一顺序：配偶、子女、父母" in best_sentence(ORDER, read)
    # the grandparent's own estate is 代位继承's (第一千一百二十八条), not the parent's order
    sources = [e.source for _, e in lexicon.matches("我爸比爷爷先去世了，爷爷的遗产我能继承吗？")]
    assert "民法典第一千一百二十七条" not in sources


def test_every_entry_of_the_block_can_be_skipped_by_its_hint(lexicon: Lexicon) -> None:
    start = next(
        i for i, e in enumerate(lexicon.entries) if e.legal.startswith("收受定金的一方不履行债务或者")
    )
    assert [e.source for e in lexicon.entries[start:] if _entry_hint(e) is None] == []


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        ("我因为打架被派出所拘留5天罚款500元，我不服，怎么办？", "治安管理处罚法第一百零二条", None),
        (
            "交警罚了我两百块钱，我不服，怎么办？",
            None,
            "治安管理处罚法第一百零二条",
        ),  # traffic: 道路交通安全法
        ("对处罚决定不服，多久内可以申请复议？", "行政复议法第二十条", None),
        ("我爸被刑事拘留了，家属能不能给他办取保候审？", "刑事诉讼法第九十七条", None),
        ("我跟人打架把人打成轻伤，能不能私了？", "刑事诉讼法第二百八十八条", None),
        ("邻居家狗把我咬了，能不能私了？", None, "刑事诉讼法第二百八十八条"),
        (
            "我在公司干了3年，老板突然口头说明天不用来了，没给任何补偿，我能要多少钱？",
            "劳动合同法第四十七条、第八十七条",
            "民法典第四百六十九条",
        ),
    ],
)
def test_the_review_s_questions_reach_their_articles(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)


OVERTIME = (
    "有下列情形之一的，用人单位应当按照下列标准支付高于劳动者正常工作时间工资的工资报酬：\n（一）安排劳动者延长工作时间的，"
    "支付不低于工资的百分之一百五十的工资报酬；\n（二）休息日安排劳动者工作又不能安排补休的，支付不低于工资的百分之二百的"
    "工资报酬；\n（三）法定休假日安排劳动者工作的，支付不低于工资的百分之三百的工资报酬。"
)
SUPPORT = (
    "抚养费的数额，可以根据子女的实际需要、父母双方的负担能力和当地的实际生活水平确定。\n有固定收入的，抚养费一般可以按其"
    "月总收入的百分之二十至三十的比例给付。负担两个以上子女抚养费的，比例可以适当提高，但一般不得超过月总收入的百分之五十。"
)


@pytest.mark.parametrize(
    ("text", "question", "quoted"),
    [
        (OVERTIME, "公司每个周六都安排我上班，也不给调休，这种加班费应该怎么算？", "百分之二百"),
        (OVERTIME, "国庆节公司让我加班三天，加班费怎么算？", "百分之三百"),
        (OVERTIME, "每天下班后还要加班两个小时，加班费怎么算？", "百分之一百五十"),
        (SUPPORT, "离婚后孩子跟我，前夫每月收入1万元，他每个月应该给多少抚养费？", "百分之二十至三十"),
    ],
)
def test_the_facts_told_choose_the_clause_of_the_rate(
    lexicon: Lexicon, text: str, question: str, quoted: str
) -> None:
    assert quoted in best_sentence(text, lexicon.expand(question))


def test_a_copied_design_and_a_dismissal_without_training_read_their_articles(lexicon: Lexicon) -> None:
    copied = [
        e.source for _, e in lexicon.matches("我的外观设计专利被人仿造一模一样的在网上卖，能怎么维权？")
    ]
    assert "专利法第十一条" in copied
    applying = [e.source for _, e in lexicon.matches("我设计的杯子外观能申请外观设计专利吗？")]
    assert "专利法第十一条" not in applying
    unlawful = [
        e.source for _, e in lexicon.matches("公司说我不胜任工作，没培训也没调岗，直接把我开了，能要多少钱？")
    ]
    assert "专利法第二条、第二十三条" not in copied  # what may be patented is an applicant's question
    assert "专利法第二条、第二十三条" in applying
    assert "劳动合同法第八十七条" in unlawful and "劳动合同法第四十条" not in unlawful
    lawful = [e.source for _, e in lexicon.matches("公司培训了两次我还是干不了，现在要解除合同，合法吗？")]
    assert "劳动合同法第四十条" in lawful and "劳动合同法第八十七条" not in lawful


BAIL = (
    "人民法院、人民检察院和公安机关对有下列情形之一的犯罪嫌疑人、被告人，可以取保候审：\n（一）可能判处管制、拘役或者独立"
    "适用附加刑的；\n（二）可能判处有期徒刑以上刑罚，采取取保候审不致发生社会危险性的；\n（三）患有严重疾病、生活不能自理，"
    "怀孕或者正在哺乳自己婴儿的妇女，采取取保候审不致发生社会危险性的；\n（四）羁押期限届满，案件尚未办结，需要采取取保候审的。"
)


def test_the_bail_item_for_pregnancy_is_quoted_only_where_it_is_told(lexicon: Lexicon) -> None:
    father = best_sentence(BAIL, lexicon.expand("我爸被刑事拘留了，家属能不能申请取保候审？"))
    assert (
        "……（三）" not in father
    )  # the list quoted whole, or a light sentence's item: not the pregnancy item alone
    pregnant = best_sentence(BAIL, lexicon.expand("我老婆怀孕五个月被刑事拘留了，能取保候审吗？"))
    assert "……（三）患有严重疾病、生活不能自理，怀孕或者正在哺乳自己婴儿的妇女" in pregnant


def test_a_will_in_the_testator_s_hand_without_witnesses_reads_its_form_not_who_may_witness(
    lexicon: Lexicon,
) -> None:
    q = "我爸去世前在医院自己亲手写了一份遗嘱，签了名写了日期，但是没有见证人，这遗嘱有效吗？"
    sources = [e.source for _, e in lexicon.matches(q)]
    assert "民法典第一千一百三十四条" in sources and "民法典第一千一百四十条" not in sources
    who = [e.source for _, e in lexicon.matches("立遗嘱的时候让我儿子当见证人，行不行？")]
    assert "民法典第一千一百四十条" in who
