"""Stop 28 (crim): acts two read blind suites (heldout18, heldout19) showed the charge lexicon reading wrongly, told
here in other words: a card-holder who says he did not know the money was a fraud's had been given 掩饰隐瞒 too
(第三百一十二条 needs 明知是犯罪所得), and a village card room that takes a cut (开了个棋牌室, 抽个头) had matched nothing; wages owed alone had been read as 拒不支付劳动报酬."""

from __future__ import annotations

import pytest

from assistant.judgment.everyday import everyday_terms

TOLD = [
    # 刑法第三百零三条: 开设赌场
    ("我表哥在镇上开了间麻将馆，每场都抽点头，有人一晚上输赢上万", "第三百零三条"),
    ("他开了个棋牌室，平时收台费", "第三百零三条"),
    # 刑法第三百一十二条: 明知是犯罪所得…而予以窝藏、转移、收购、代为销售
    ("我明知道是偷来的电动车还是低价收了五辆", "第三百一十二条"),
    # 刑法第二百七十六条之一: 以转移财产、逃匿等方法逃避支付 … 经政府有关部门责令支付仍不支付
    ("包工头拖欠我们十几个人工资，钱一到手人就跑了", "第二百七十六条之一"),
    ("老板欠工资不发，人社局责令他支付了他也不理", "第二百七十六条之一"),
]

NOT_TOLD = [
    # knowledge denied: no 明知
    ("朋友让我帮他收钱，我真不知道那些是骗来的钱", "第三百一十二条"),
    ("二手手机是在路边买的，哪知道是偷来的", "第三百一十二条"),
    # a headache or a drawer is no cut taken from gamblers
    ("打麻将打到半夜，抽了点头疼药", "第三百零三条"),
    # wages owed and claimed are the labour laws': no evasion, no order defied
    ("我在镇政府上班，单位拖欠我三个月工资，怎么处理？", "第二百七十六条之一"),
    ("辞职一年了，公司还欠我两个月工资，现在去仲裁还来得及吗", "第二百七十六条之一"),
]


def _sources(question: str) -> list[str]:
    return [term.source for _, term in everyday_terms().matches(question)]


@pytest.mark.parametrize(("question", "article"), TOLD)
def test_the_act_in_everyday_words_reaches_its_article(question: str, article: str) -> None:
    assert any(article in s for s in _sources(question)), _sources(question)


@pytest.mark.parametrize(("question", "article"), NOT_TOLD)
def test_a_near_miss_does_not(question: str, article: str) -> None:
    assert not any(article in s for s in _sources(question)), _sources(question)


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # 刑法第二百八十七条之二: cards opened and handed over for others' use
        ("外甥在网上被人忽悠，去银行办了四张卡交给对方，说一张给三百", "第二百八十七条之二"),
        # 刑法第三百八十五条: an official who takes money himself
        ("我们这的派出所所长收了老板二十万帮他摆平了案子", "第三百八十五条"),
        # 刑法第一百三十三条之一: a car moved after drinking, told by its blood test
        ("喝了几杯，出门把车往前挪了十几米，被查了，抽血八十多", "第一百三十三条之一"),
    ],
)
def test_more_acts_reach_their_articles(question: str, article: str) -> None:
    assert any(article in s for s in _sources(question)), _sources(question)


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # what the police said of a fraud's use of the cards is no bribe taken by the police (受贿 had been added)
        ("警察说这些卡被骗子拿去转钱，流水有一百多万", "第三百八十五条"),
        # a car moved twenty metres is no fund misappropriated (挪用资金 had been the charge)
        ("在饭店门口喝了酒，把车挪了二十来米", "第二百七十二条"),
    ],
)
def test_more_near_misses_do_not(question: str, article: str) -> None:
    assert not any(article in s for s in _sources(question)), _sources(question)


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # 刑法第二百七十九条: 冒充国家机关工作人员招摇撞骗
        ("他假装成公安，跟饭店老板说是来查案的，白吃白喝了好几回", "第二百七十九条"),
        # 刑法第二百七十七条: 以暴力、威胁方法阻碍国家机关工作人员依法执行职务
        ("摆摊被查的时候，我舅舅跟执法人员动手，把一个城管队员推倒打伤了", "第二百七十七条"),
        # 刑法第二百二十六条: 强买强卖商品
        ("导游把我们带进玉器店，不买东西就不让走，还有人威胁我们", "第二百二十六条"),
        # 刑法第三百一十条: 作假证明包庇
        ("老板酒后撞了人，让我去交警队顶包，说是我开的车", "第三百一十条"),
        # 刑法第二百二十七条第二款: 倒卖车票
        ("春运前他用软件囤了上百张火车票，加价卖给老乡", "第二百二十七条"),
        # 刑法第三百四十三条: 未取得采矿许可证擅自采矿
        ("村里几个人晚上开着船在河道里抽沙卖，被抓了", "第三百四十三条"),
        # 刑法第二百五十七条: 以暴力干涉他人婚姻自由
        ("我哥不同意我嫁给外地人，把我关在屋里还打我", "第二百五十七条"),
        # 刑法第二百六十条之一: 虐待被监护、看护的人
        ("养老院的护工嫌我爸尿床，经常掐他还不给饭吃", "第二百六十条之一"),
        # 刑法第一百四十四条: 掺入有毒、有害的非食品原料
        ("那家火锅店往锅底里加罂粟壳，吃了会上瘾", "第一百四十四条"),
        # 刑法第二百四十三条: 捏造事实诬告陷害他人
        ("有人伪造了我贪污的材料寄给监察委，想让我坐牢", "第二百四十三条"),
        # 刑法第二百八十六条: 对…数据…进行删除
        ("他离职后远程登录公司的数据库，把订单数据全删了", "第二百八十六条"),
    ],
)
def test_stop28_acts_reach_their_articles(question: str, article: str) -> None:
    assert any(article in s for s in _sources(question)), _sources(question)


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # the asker struck by an official is no obstruction of his duty
        ("摆摊的时候被城管打了，能告他们吗", "第二百七十七条"),
        # a sofa or a sandpit is no mining
        ("孩子在小区挖沙坑玩，把沙发弄脏了", "第三百四十三条"),
        # a witness's lie is 伪证's, not 诬告陷害's
        ("证人在派出所做笔录时故意说假话，陷害我打了人", "第二百四十三条"),
    ],
)
def test_stop28_near_misses_do_not(question: str, article: str) -> None:
    assert not any(article in s for s in _sources(question)), _sources(question)
