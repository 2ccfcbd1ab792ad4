"""Stop 23 (crim): acts that heldout10 and heldout11 (written blind) showed the charge ranking reading as another
crime, told here in other words, each with the charge and article a lawyer names from the law text: a card lent
for 走账 had been read as 受贿 (its 好处费) or 刑讯逼供 (the police's 笔录), an employee's 挪用 as 虚开发票, a
drink-driver's blood test as 寻衅滋事, a threat to post photos as a privacy claim. And the neighbours the new
words must leave alone."""

from __future__ import annotations

import pytest

from assistant.judgment.everyday import everyday_terms

TOLD = [
    # 刑法第二百八十七条之二第一款: 为其犯罪提供…支付结算等帮助
    (
        "我把银行卡借给网上认识的人走账，他每个月给我一千块，现在卡被冻结了，我会坐牢吗",
        "帮助信息网络犯罪活动",
        287,
    ),
    (
        "老乡说他做生意要刷流水，借了我的卡用了两个月，给了我三千块，现在警察叫我去做笔录",
        "帮助信息网络犯罪活动",
        287,
    ),
    # 刑法第二百七十二条第一款: 挪用本单位资金归个人使用…进行营利活动
    ("我在一家民营公司当会计，从公司账户上转了十五万去炒股，想着赚了再补上，结果亏了", "挪用资金", 272),
    # 刑法第一百三十三条之一第一款第（二）项: 醉酒驾驶机动车
    ("晚上喝了几瓶啤酒开车回家，路上被交警拦下来抽血，一百二十毫克，会怎么判", "危险驾驶", 133),
    # 刑法第二百六十九条 → 第二百六十三条: 犯盗窃…罪，为…抗拒抓捕…而当场使用暴力 (a lawyer's review: read as 强奸)
    ("在商场把两件衣服塞进包里没付钱，走到门口被保安拦住，我把保安推倒就跑，会判几年", "抢劫", 263),
    # 刑法第二百六十六条: 诈骗公私财物 (a lawyer's review: a fake seller read as 职务侵占)
    ("我在网上卖演唱会门票，其实手里根本没票也没货，收了十几个人三万多块钱，会怎么判", "诈骗", 266),
    # 刑法第二百七十一条: 将本单位财物非法占为己有 (a lawyer's review: 货款 kept by a salesman read as 诈骗)
    ("我在私人开的家具厂跑业务，客户的货款打到我支付宝里，我没交给厂里自己花了五万多", "职务侵占", 271),
    # 刑法第三百一十二条: 明知是犯罪所得而予以窝藏 (a lawyer's review: read as the friend's 盗窃)
    (
        "表哥拿来几箱烟放我家仓库，说是从别人那弄来的，我知道来路不正还是帮他收着了",
        "掩饰、隐瞒犯罪所得、犯罪所得收益",
        312,
    ),
    # 刑法第二百七十四条: 敲诈勒索公私财物
    ("我手里有老板偷税的证据，跟他说给我五万块就不举报，这犯法吗", "敲诈勒索", 274),
    ("拍到邻居家男人跟别的女人约会，我让他给我两万，不给就发到小区群里", "敲诈勒索", 274),
]

# (question, an article its words must not vote for)
NOT_READ = [
    ("医生开的药每天吃二十毫克，吃了一个月", 133),  # 毫克 of a medicine, no driving
    ("我在国企当出纳，把单位账上的钱转去炒股，打算月底补上", 272),  # a state unit's money: 挪用公款
]


@pytest.mark.parametrize(("question", "charge", "article"), TOLD)
def test_an_act_told_in_everyday_words_finds_its_charge(
    real_ranker, question: str, charge: str, article: int
) -> None:  # type: ignore[no-untyped-def]
    first = real_ranker.rank_charges(question)[0]
    assert (first.charge, first.article) == (charge, article), [
        (c.charge, c.article) for c in real_ranker.rank_charges(question)[:3]
    ]


@pytest.mark.parametrize(("question", "article"), NOT_READ)
def test_the_neighbours_of_the_words_are_not_read_as_the_act(question: str, article: int) -> None:
    assert all(number != article for number, _ in (k for k, _ in everyday_terms().articles(question)))


def test_a_state_units_money_moved_is_read_as_misappropriating_public_funds() -> None:
    found = {
        k[0] for k, _ in everyday_terms().articles("我在国企当出纳，把单位账上的钱转去炒股，打算月底补上")
    }
    assert 384 in found
