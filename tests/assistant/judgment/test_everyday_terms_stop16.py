"""Stop 16 (crim): acts of 刑法分则 as clients tell them, each with the charge and article a lawyer names from
the law text, written before the entries of assistant/judgment/everyday_terms.toml were run (24 of 48 right
before them: 盗窃 for a door forced open, 故意伤害 for a 城管 pushed, 拐骗 for a child sold); and the
neighbours those words must leave alone."""

from __future__ import annotations

import pytest

from assistant.judgment.everyday import everyday_terms

# (question, charge or None where only the article is settled by the words, article)
TOLD = [
    ("吵架的时候我推了他一把，他摔倒磕到后脑勺死了，我不是故意的，会判几年？", "过失致人死亡", 233),
    ("男朋友不顾我反对强行跟我发生了关系，我能告他吗？", "强奸", 236),
    ("他趁我喝醉在酒店把我睡了，我报警了他会判几年？", "强奸", 236),
    ("在地铁上有个男的一直贴着我蹭，还伸手摸我胸，能让他坐牢吗？", None, 237),
    ("邻居大爷把我五岁的女儿叫到家里脱了她的裤子，会判刑吗？", "猥亵儿童", 237),
    ("老师让班上的小女孩脱衣服给他拍照，这是什么罪？", "猥亵儿童", 237),
    ("有人在公园把我家三岁的孩子抱走了，后来发现被卖到外省，抱孩子的人会怎么判？", "拐卖妇女、儿童", 240),
    ("离婚后前夫还拿着备用钥匙开门进我家，让他走也不走，能报警抓他吗？", "非法侵入住宅", 245),
    ("催债的一帮人直接冲进我家客厅坐着不走，犯罪吗？", "非法侵入住宅", 245),
    ("邻居趁我们家没人翻墙跳进院子，还进了屋里转了一圈，能告他犯罪吗？", "非法侵入住宅", 245),
    ("有人把我的照片P成裸照在网上到处发，能让他坐牢吗？", None, 246),
    ("同事在公司群里造谣说我被老板包养，传得全公司都知道了，他构成犯罪吗？", "诽谤", 246),
    ("晚上走路被两个人拦住，拿着棍子逼我把手机和钱交出来，会判几年？", "抢劫", 263),
    ("趁室友睡着，用他的手机支付宝给自己转了五千块，算犯罪吗？", "盗窃", 264),
    ("他说能帮我孩子进重点学校，收了我十万，事情没办成人也联系不上了", "诈骗", 266),
    ("他拿我出轨的事威胁我，说不给二十万就告诉我老婆，这犯法吗？", "敲诈勒索", 274),
    ("跟邻居有矛盾，他晚上把我的车划了好几道，还扎了四个轮胎，会判刑吗？", "故意毁坏财物", 275),
    ("邻居把我家果园里的一百多棵果树全砍了，能告他犯罪吗？", "故意毁坏财物", 275),
    ("我在私营公司做销售，把公司的货偷偷卖了钱揣进自己口袋，会坐牢吗？", "职务侵占", 271),
    ("城管来收摊的时候我跟他们推搡，把一个执法队员打伤了，会坐牢吗？", "妨害公务", 277),
    ("在网上花钱办了个假的本科毕业证，被单位查出来了，犯罪吗？", None, 280),
    ("从阳台把一袋垃圾连着砖头扔下楼，差点砸到人，算犯罪吗？", "高空抛物", 291),
    (
        "把自己的微信号和手机卡租给别人用，每个月给我两百块，对方拿去诈骗了，我犯罪吗？",
        "帮助信息网络犯罪活动",
        287,
    ),
    ("在网上卖大麻烟，被警察抓了，会判多久？", "走私、贩卖、运输、制造毒品", 347),
    ("在网上卖自己养的几只国家保护的鹦鹉，会坐牢吗？", "危害珍贵、濒危野生动物", 341),
    ("小时候掏鸟窝抓了十几只隼卖，现在被抓了会判几年？", "危害珍贵、濒危野生动物", 341),
    ("我在山上抓了几只野生的画眉鸟拿到鸟市去卖，会被判刑吗？", "危害珍贵、濒危野生动物", 341),
    ("在林子里下套子套了几只野兔野鸡，犯法吗？", "非法狩猎", 341),
    ("当官的收了别人的钱帮人办事，会判几年？", "受贿", 385),
    ("为了把工程拿下来给县里的局长送了五十万，我会坐牢吗？", "行贿", 389),
    # second and third rounds, written fresh after the first (15 of 30 and 14 of 30 right before their entries)
    ("跟网上认识的一个十三岁女孩发生了关系，她说是自愿的，我会坐牢吗？", None, 236),
    ("小区保安怀疑我偷东西，把我关在保安室里一整晚不让走，犯法吗？", None, 238),
    ("把刚生下来的孩子卖给了别人，拿了五万块钱，会判刑吗？", None, 240),
    ("往别人家门上泼油漆写欠债还钱，犯法吗？", None, 293),
    ("我朋友给一个网赌平台当代理，拉人进去玩拿提成，会判刑吗？", None, 303),
    ("在KTV包厢里给客人提供K粉，赚差价，会判多久？", None, 347),
    ("在网上接单帮人开发游戏外挂，卖了十几万，会判刑吗？", None, 285),
    ("我没有驾照，开车把人撞成重伤，全部责任，会坐牢吗？", None, 133),
    ("朋友让我帮他把一包东西从广西带到广东，给我一万块，结果里面是冰毒，我会判多久？", None, 347),
    ("我在网上直播间里发红包让人猜大小，抽成赚钱，犯法吗？", None, 303),
    ("在自己承包的林地里挖了一棵野生的兰花卖了，会坐牢吗？", None, 344),
    ("大半夜在小区里拿着刀乱砍车、追着人跑，会判什么罪？", None, 293),
    ("在公交车上跟司机吵架，拿东西砸司机，车差点撞了，犯罪吗？", None, 133),
    ("有人在网上说我杀人了，编得有鼻子有眼，转发了上万次，我能告他什么罪？", None, 246),
    # stop 18: a public servant pocketing public money is 贪污, not 受贿 (no one gave him anything)
    ("乡政府的出纳把一笔救灾款揣进了自己腰包，会判几年？", "贪污", 382),
    ("我在一家私营物流公司当出纳，从公司账上陆续转了35万到自己卡里还网贷，会判几年？", "职务侵占", 271),
]

# The same words where they tell something else: the entry's article is not read from them.
NOT_READ = [
    ("开车不小心把人撞死了，会判几年？", 233),
    ("不小心把邻居家的狗弄死了，要赔多少？", 233),
    ("我们家买了个孩子养了十年", 240),
    ("他把孩子从楼上扔了下去", 291),
    ("周末带孩子去动物园看了猫头鹰和老虎", 341),
    # one character of an animal's name inside other words (CAIL narratives of timber, relics, an office)
    ("被告人以7500元向他人购买7件根雕制品和1个树头，运往其根雕店内销售", 341),
    ("收购青石虎爪柱础一件后，拍照放在收藏网交易平台上出售", 341),
    ("采用粘取方式捕捉壁虎131只，属于国家保护的三有动物", 341),
    ("被告人伙同鹤壁市公安局辅警，私自以公安局的名义查处卖淫嫖娼并收取罚款", 341),
    ("在网上卖了几只自己家孵的虎皮鹦鹉", 341),
    ("领导要我们加班还不给钱", 385),
    ("邻居家着火了，为了救人我砸了他家的门", 275),
    ("房东把我的东西扔出去，还换了锁", 245),
    ("犯罪所得的钱被查出来了，都要退出来吗？", 312),
    ("孩子在幼儿园被别的小朋友推了一下摔伤了", 233),
]


@pytest.mark.parametrize(("question", "charge", "article"), TOLD)
def test_an_act_told_in_everyday_words_finds_its_charge(
    real_ranker, question: str, charge: str | None, article: int
) -> None:  # type: ignore[no-untyped-def]
    first = real_ranker.rank_charges(question)[0]
    assert first.article == article and (charge is None or first.charge == charge), [
        (c.charge, c.article) for c in real_ranker.rank_charges(question)[:3]
    ]


@pytest.mark.parametrize(("question", "article"), NOT_READ)
def test_the_neighbours_of_the_words_are_not_read_as_the_act(question: str, article: int) -> None:
    assert all(number != article for number, _ in (k for k, _ in everyday_terms().articles(question)))
