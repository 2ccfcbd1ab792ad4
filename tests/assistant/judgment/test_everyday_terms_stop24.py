"""Stop 24 (crim): acts that heldout12 and heldout13 (written blind) showed the charge ranking reading as another
crime, told here in other words, each with the charge and article a lawyer names from the law text: a man living as
another woman's husband had been read as 强奸, a foot-massage shop's keeper as 毒品 (交易), fake liquor bottled as
寻衅滋事, farmland concreted over as 故意伤害, client records sold as 非国家工作人员受贿, a grave fire as 聚众扰乱社会
秩序, a slapped 辅警 as 袭警. Also: the 款 of a charge that no word of its name decides (失火 is 第一百一十五条第二款),
and a first charge no word of the facts reaches is marked as a guess."""

from __future__ import annotations

import pytest

from assistant.judgment.everyday import everyday_terms

TOLD = [
    # 刑法第二百五十八条: 有配偶而重婚
    (
        "我媳妇去外地打工好几年，听说在那边跟一个男的住在一起，村里人都说他们是两口子，我们结婚证还在，这算犯罪吗",
        "重婚",
        258,
    ),
    # 刑法第三百五十九条第一款: 容留、介绍他人卖淫
    (
        "我开了家按摩店，有个女技师跟客人在包间里做那种交易，我知道但没管，还从里面抽成，会判吗",
        "引诱、容留、介绍卖淫",
        359,
    ),
    # 刑法第二百一十三条: 在同一种商品上使用与其注册商标相同的商标
    ("他在家里把便宜的白酒装进茅台的瓶子，贴上人家的牌子拿去卖，被查了", "假冒注册商标", 213),
    # 刑法第三百四十二条: 非法占用耕地…改变被占用土地用途
    ("有个老板把村里三十亩基本农田推平了，铺上水泥建了个厂房，会判刑吗", "非法占用农用地", 342),
    # 刑法第二百五十三条之一第二款: 将在履行职责或者提供服务过程中获得的公民个人信息，出售或者提供给他人
    (
        "我在驾校上班，把学员的名字和电话发给卖保险的朋友，一共两千多条，他给了我两千块好处费",
        "侵犯公民个人信息",
        253,
    ),
    # 刑法第一百一十五条第二款: 过失犯前款罪 (失火)
    ("我去给我爷爷上坟烧纸，没注意火星子把后山的林子烧了一大片，会坐牢吗", "失火", 115),
    # 刑法第二百七十七条第一款, 袭警解释第八条: a 辅警 is not a 人民警察
    ("交警查车的时候我跟辅警吵起来，推了辅警一把，把他推倒在地上了，会怎么判", "妨害公务", 277),
]

# (question, an article its words must not vote for)
NOT_READ = [
    ("清明节去上坟烧纸钱，有什么要注意的", 290),  # 烧纸 at a grave is no protest at a hospital
    ("我们俩住在一起两年了，还没领证，他是我老公吗", 258),  # no spouse told
    ("我把客户名单发给了新公司，算泄露商业秘密吗", 163),
]


@pytest.mark.parametrize(("question", "charge", "article"), TOLD)
def test_an_act_told_in_everyday_words_finds_its_charge(
    real_ranker, question: str, charge: str, article: int
) -> None:  # type: ignore[no-untyped-def]
    first = real_ranker.rank_charges(question)[0]
    assert (first.charge, first.article) == (charge, article), [
        (c.charge, c.article) for c in real_ranker.rank_charges(question)[:3]
    ]
    assert first.grounded


@pytest.mark.parametrize(("question", "article"), NOT_READ)
def test_the_neighbours_of_the_words_are_not_read_as_the_act(question: str, article: int) -> None:
    assert all(number != article for number, _ in (k for k, _ in everyday_terms().articles(question)))


def test_a_charge_whose_name_no_paragraph_shares_takes_the_paragraph_the_1997_opinion_names(
    real_ranker,
) -> None:  # type: ignore[no-untyped-def]
    """失火罪（第115条第2款）: 第一款 is 放火's ten years and more; 过失犯前款罪的 is 失火's three to seven. Where the
    name's words decide, they still do: 协助组织卖淫 is 第三百五十八条第四款 today (第三款 in 1997)."""
    units = {(u.charge, u.article): u for u in real_ranker.units}
    assert units[("失火", 115)].paragraph == 2 and "过失犯前款罪" in units[("失火", 115)].text
    assert units[("放火", 115)].paragraph == 1
    assert "协助组织他人卖淫" in units[("协助组织卖淫", 358)].text


def test_a_first_charge_no_word_of_the_facts_reaches_is_a_guess(real_ranker) -> None:  # type: ignore[no-untyped-def]
    """On the development suites' criminal questions (stop 24) every such first charge was wrong: the answer says
    it is a guess (planning.Plan.guessed) instead of sentencing a crime the words never told."""
    told = real_ranker.rank_charges("偷了邻居家的电动车，价值三千元")[0]
    assert told.grounded and told.charge == "盗窃"
    vague = real_ranker.rank_charges("我朋友出了点事被派出所带走了，他这算什么罪")[0]
    assert not vague.grounded


def test_a_charge_the_facts_name_as_a_word_is_no_guess(real_ranker) -> None:  # type: ignore[no-untyped-def]
    """Stop 27 (heldout17): 「…查出他在判决前还干过一起诈骗没交代…和原来的刑期怎么合并计算」 names 诈骗, but 合并计算's
    计算 put the computer crimes' 罪状 first and 诈骗 was said to be a guess from similar cases."""
    ranked = real_ranker.rank_charges("查出他在判决前还干过一起诈骗没交代，和原来的刑期怎么合并计算")
    told = next(c for c in ranked[:5] if c.charge == "诈骗")
    assert told.grounded and told.told_by_name
    # a charge whose name the facts only contain is not told by name (合同诈骗's 诈骗)
    assert not any(c.told_by_name for c in ranked[:10] if c.charge != "诈骗")
