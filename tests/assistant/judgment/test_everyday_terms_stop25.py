"""Stop 25 (crim): acts that heldout14 and heldout15 (written blind) and a lawyer's review showed the charge ranking
reading as another crime, told here in other words, each with the charge and article a lawyer names from the law
text: parcels taken from doors had been read as 化妆品 (148), a debtor kept in a hotel room as 诈骗, a cashier's
takings as 有毒、有害食品 and 帮信 (收款码), imitation branded shoes as 诈骗, wild birds sold to restaurants as 珍贵、
濒危 animals (「又不是大熊猫」), a false certificate under a bureau's seal as 串通投标, ordinary invoices sold as 合同诈骗
and 毒品, an App's stakes handled by an employee as a guess."""

from __future__ import annotations

import pytest

from assistant.judgment.everyday import everyday_terms

TOLD = [
    # 刑法第二百六十四条: 盗窃公私财物
    ("我在小区当保洁，看到别人家门口放着的快递包裹，趁没人拿走了好几个，里面有衣服和化妆品", "盗窃", 264),
    # 刑法第二百三十八条第一款、第三款: 为索取债务非法扣押、拘禁他人的
    ("他欠我们货款不给，我们把他带到厂里的办公室不让他走，关了他两天让他家里拿钱", "非法拘禁", 238),
    ("他赌钱欠我两万不还，我们几个把他拉到酒店房间里看了三天，让他家里拿钱来还账", "非法拘禁", 238),
    # 刑法第二百七十一条第一款: 利用职务上的便利，将本单位财物非法占为己有
    ("我在餐厅做收银，好几次把顾客付的现金收了没入账，再删了订单记录，前后三万多", "职务侵占", 271),
    ("我是服装店的店员，这半年常让客人扫我自己的二维码付款，钱进了我的微信", "职务侵占", 271),
    # 刑法第二百一十四条: 销售明知是假冒注册商标的商品
    ("我在朋友圈卖高仿的名牌包，包上印着LV的标，一年卖了二十来万", "销售假冒注册商标的商品", 214),
    # 刑法第三百四十一条第三款: 以食用为目的非法…收购…出售第一款规定以外的…陆生野生动物
    (
        "我从山里人手上收野鸡和斑鸠，再卖给镇上的饭馆做菜，又不是国家保护动物，这也犯法吗",
        "非法猎捕、收购、运输、出售陆生野生动物",
        341,
    ),
    # 刑法第二百八十条第一款: 伪造…国家机关的公文、证件、印章
    (
        "为了接工程，我找人做了一个假的安全生产许可证，盖着应急管理局的章",
        "伪造、变造、买卖国家机关公文、证件、印章",
        280,
    ),
    # 刑法第二百零五条之一第一款: 虚开本法第二百零五条规定以外的其他发票
    ("我帮几家饭店代开普通发票给人拿去报账，每张收几个点的开票费，其实没有真实交易", "虚开发票", 205),
    # 刑法第三百零三条第二款: 开设赌场
    ("我在一个赌钱的APP当客服，专门给玩家上分下分，一个月五千块，会判吗", "开设赌场", 303),
]

# (question, an article its words must not vote for)
NOT_READ = [
    ("朋友让我用收款码帮他收钱，每笔给我提成", 271),  # another's money through my code: 帮信, no employer's
    ("我收了几只人工养殖的肉鸽卖给饭店", 341),  # no wild animal told
    ("快递员把我的快递放门口就走了，结果丢了，找谁赔", 264),  # a lost parcel, no taking told
    ("我老公一喝酒就打我，派出所给他开了告诫书", 133),  # 开了告诫书 is no driving after drink
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


def test_wild_birds_for_the_table_are_the_third_paragraph_and_a_denied_panda_is_no_precious_animal(
    real_ranker,
) -> None:  # type: ignore[no-untyped-def]
    """刑法第三百四十一条第三款 (以食用为目的…第一款规定以外的…陆生野生动物) is 三年以下有期徒刑、拘役、管制或者罚金 by
    依照前款; 第一款 (珍贵、濒危) goes up to ten years and more. 「这些又不是大熊猫那种保护动物」 denies 第一款's object."""
    question = "我在农村收野斑鸠、竹鸡卖给饭店做菜，卖了两万块，这些又不是大熊猫那种保护动物，会坐牢吗"
    first = real_ranker.rank_charges(question)[0]
    assert (first.charge, first.article, first.paragraph) == (
        "非法猎捕、收购、运输、出售陆生野生动物",
        341,
        3,
    )
    assert all("珍贵" not in e.legal for _, e in everyday_terms().matches(question))


def test_a_further_crime_is_one_an_everyday_entry_reads_as_an_act() -> None:
    """A lawyer's review (stop 25): 「…开发票…收4个点的手续费…罚金大概多少」 had been sentenced as 合同诈骗, 徇私舞弊不
    移交刑事案件 (移交) and 毒品 (多少) together. A further crime needs the user's name for it or an entry's reading."""
    from assistant.agent.planning import _read_as_an_act
    from assistant.judgment.ranker import EVERYDAY_NAME, ChargeCandidate

    def cand(evidence: tuple[str, ...], named: bool = False) -> ChargeCandidate:
        return ChargeCandidate("x", 347, 0, 1, 0.1, evidence=evidence, named=named, lexical_rank=1)

    assert not _read_as_an_act(cand(("事实用语：多少", "排名：罪状用语第1，同类案例第1")))
    assert _read_as_an_act(cand(("事实用语：冰毒", f"排名：罪状用语第2，{EVERYDAY_NAME}第1")))
    assert _read_as_an_act(cand((), named=True))


def test_invoices_sold_for_a_fee_are_the_invoice_crime(real_ranker) -> None:  # type: ignore[no-untyped-def]
    question = "我有几家空壳公司，有人找我开发票拿去冲账，我按票面收4个点的手续费，两年开了九十万，会判刑吗"
    first = real_ranker.rank_charges(question)[0]
    assert (first.charge, first.article) == ("虚开发票", 205) and first.suffix == 1
