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


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        # 著作权法第十九条: 没有订立合同的，著作权属于受托人
        (
            "找了个画师给我们奶茶店画了个卡通形象，没签合同，现在想做成周边卖，画师说形象归他，到底算谁的",
            "著作权法第十九条",
            None,
        ),
        # 著作权法第五十三条: 未经著作权人许可…通过信息网络向公众传播其作品
        (
            "我自己拍的古镇照片被一家民宿拿去当网店封面了，没问过我",
            "著作权法第五十三条",
            "民法典第一千零一十九条",
        ),
        # 商标法第四十条: 六个月的宽展期
        ("公司的商标十年到期了，我们忘了续，过了两个月了，还能补救吗", "商标法第四十条", None),
        # 商标法第六十四条第二款: 能证明该商品是自己合法取得并说明提供者的，不承担赔偿责任
        (
            "我在网上卖的包是从批发市场进的货，被品牌方告卖假货，我真不知道是假的，进货单都有",
            "商标法第六十四条",
            None,
        ),
        # 专利法第二十二条: 现有技术…申请日以前在国内外为公众所知的技术
        ("我做的小发明上个月发到快手上了，还能去申请专利吗", "专利法第二十二条", None),
        # 反不正当竞争法第十一条: 编造、传播虚假信息…损害竞争对手的商业信誉、商品声誉
        ("隔壁那家水果店跟顾客说我家的水果是打了药催熟的，根本没有的事", "反不正当竞争法第十一条", None),
        # 民法典第六百八十六条第二款: 没有约定或者约定不明确的，按照一般保证
        (
            "表哥借钱时我在借条上签了个担保人，别的什么都没写，现在债主直接起诉我让我还",
            "民法典第六百八十六条",
            None,
        ),
        # 民法典第一千二百零九条: 借用…由机动车使用人承担赔偿责任
        ("我被一辆车撞了，开车的人说车是借朋友的，我能找车主赔吗", "民法典第一千二百零九条", None),
        # 民法典第一千零八十五条: 另一方应当负担部分或者全部抚养费
        ("离婚三年了，孩子跟我，他这一年多抚养费一分都不给了", "民法典第一千零八十五条", None),
        # 婚姻家庭编解释（一）第七十八条
        (
            "我婚前付了首付买的房，房本只有我，结婚后两人一起还了五年房贷，现在离婚她要分房",
            "《最高人民法院关于适用中华人民共和国民法典婚姻家庭编的解释（一）》第七十八条",
            None,
        ),
        # 涉彩礼纠纷规定第五条: 共同生活时间较短且彩礼数额过高的
        (
            "女儿结婚收了男方三十万礼金，领证后只过了两个月，现在闹离婚，男方要退礼金",
            "最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定第五条",
            None,
        ),
        # 劳动争议解释（一）第三十二条: 领取退休金的人员…按劳务关系处理
        (
            "我爸领着退休金又去工地看大门，上班时摔伤了，工地说他退休了不算工伤",
            "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十二条",
            None,
        ),
        # 工伤保险条例第六十二条第二款: 由该用人单位按照…工伤保险待遇项目和标准支付费用
        ("老板从来没给我交过社保，我干活时受伤认定了工伤，医药费谁出", "工伤保险条例第六十二条", None),
        # 劳动争议解释（一）第三十八条: 三个月未支付经济补偿，劳动者请求解除竞业限制约定的
        (
            "签了竞业协议，离职后公司五个月了一分钱没给，我能去同行上班吗",
            "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十八条",
            None,
        ),
        # 行政复议法第二十条: 六十日内提出行政复议申请
        ("市场监管罚了我五千，已经两个多月了，现在还能申请复议吗", "行政复议法第二十条", None),
        # 政府信息公开条例第三十三条: 20个工作日内予以答复
        (
            "我想看村里修路的补偿标准文件，给镇政府递了申请，一个多月了没答复",
            "政府信息公开条例第三十三条",
            None,
        ),
        # 行政诉讼法第四十五条: 收到复议决定书之日起十五日内
        ("对罚款申请了复议，复议维持了，决定书上周收到的，起诉有期限吗", "行政诉讼法第四十五条", None),
        # 行政诉讼法第二十六条第二款: 复议机关决定维持…共同被告
        ("区里拆了我的棚子，我申请复议，市里复议维持了，我起诉该告谁", "行政诉讼法第二十六条", None),
        # 反家庭暴力法第二十三条
        ("他打我打怕了，我想让他不敢再靠近我，法院能管吗", "反家庭暴力法第二十三条", None),
    ],
)
def test_the_second_block_reaches_its_articles(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)


def test_a_minor_s_police_detention_reaches_the_rule_that_it_is_not_served(lexicon: Lexicon) -> None:
    """治安管理处罚法第二十一条（二）: 已满十六周岁不满十八周岁，初次违反治安管理的，不执行行政拘留处罚."""
    check_reaches(
        lexicon, "女儿16岁，跟同学打架，派出所说要拘留五天，第一次犯事也要关吗", "治安管理处罚法第二十一条"
    )
    check_reaches(lexicon, "我儿子17岁被刑事拘留了，会判刑吗", None, "治安管理处罚法第二十一条")


def test_a_house_paid_off_in_marriage_told_loan_first_reaches_the_interpretation(lexicon: Lexicon) -> None:
    """婚姻家庭编解释（一）第七十八条, told with the loan before who paid it (房贷是…一起还的)."""
    check_reaches(
        lexicon,
        "他婚前买的房，首付他出的，结婚后这些年的贷款都是我们两个人一起还的，离婚我能分吗",
        "《最高人民法院关于适用中华人民共和国民法典婚姻家庭编的解释（一）》第七十八条",
    )


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        # 劳动争议解释（一）第三十六条: 约定了竞业限制，但未约定…经济补偿
        (
            "劳动合同里写了离职后一年不能去同行业，但没写给多少补偿，我一直没去同行，能找公司要钱吗",
            "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十六条",
            "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十八条",
        ),
        # 商标法第四十九条第二款: 连续三年不使用
        ("想注册的牌子被一家厂注册了，可那家厂三年前就倒闭了，商标还有效吗", "商标法第四十九条", None),
    ],
)
def test_a_non_compete_without_compensation_and_a_closed_owner_s_mark(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)
