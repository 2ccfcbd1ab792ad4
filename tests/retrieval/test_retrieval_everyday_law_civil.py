"""The stop-16 civil block of the everyday-law lexicon (retrieval/everyday_law/05-s16-civil.toml, header
"stop 16, 民事 (lexA)"): loans, limitation periods, wrong transfers, standard terms, guarantees, leases,
owners, sport, free rides, posts online, domestic helpers and children. Each question, told the way clients
tell it and written here from the article texts before any run, reaches the article that answers it; its
neighbours (the same words in another situation) stay out of it."""

from __future__ import annotations

import pytest
from lexicon_checks import check_reaches

from retrieval.lexicon import Lexicon
from tests.retrieval.everyday_law_text import everyday_law_text

BLOCK = "# ---- stop 16, 民事 (lexA)"

L675 = "民法典第六百七十五条"
L680 = "民法典第六百八十条"
L679 = "民法典第六百七十九条"
PROOF = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定第二条、第十六条"
L188 = "民法典第一百八十八条"
L189 = "民法典第一百八十九条"
L192 = "民法典第一百九十二条"
L195 = "民法典第一百九十五条"
L985 = "民法典第九百八十五条"
L986 = "民法典第九百八十六条"
L987 = "民法典第九百八十七条"
L979 = "民法典第九百七十九条"
TERMS = "民法典第四百九十七条、第四百九十六条"
L565 = "民法典第五百六十五条"
ASSIGN = "民法典第五百四十五条、第五百四十六条"
GUARANTEE = "民法典第六百八十一条、第六百八十八条"
PERIOD = "民法典第六百九十二条、第六百九十三条"
PRE_EMPT = "民法典第七百二十六条、第七百二十八条"
L278 = "民法典第二百七十八条"
COMMON_PARTS = "民法典第二百七十一条、第二百七十二条、第二百八十六条"
CO_OWNED = "民法典第三百零一条、第三百零三条"
L1176 = "民法典第一千一百七十六条"
L1217 = "民法典第一千二百一十七条"
NOTICE = "民法典第一千一百九十五条、第一千一百九十七条"
L1192 = "民法典第一千一百九十二条"
L1188 = "民法典第一千一百八十八条"
L942 = "民法典第九百四十二条"
DEBTOR = "民法典第六百七十五条"
RATE = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定第二十五条"
DELAY = "民法典第五百六十三条"
GONE = "民法典第五百六十三条、第五百六十六条"
FRAUD = "民法典第一百四十八条"
AGENT = "民法典第一百七十二条"
L291 = "民法典第二百九十一条"
L311 = "民法典第三百一十一条"
L317 = "民法典第三百一十七条"
L731 = "民法典第七百三十一条"
L1191 = "民法典第一千一百九十一条"
L1165 = "民法典第一千一百六十五条"
MEDICAL = "民法典第一千二百一十八条、第一千二百二十一条"
L1179 = "民法典第一千一百七十九条"
LIMIT = "最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定"
NO_DATE, BY_MESSAGE, WRONG_TRANSFER_LIMIT = (f"{LIMIT}第四条", f"{LIMIT}第八条", f"{LIMIT}第六条")

QUESTIONS = [
    # 借款 (第六百七十五条, 第六百七十九条, 第六百八十条; 民间借贷规定第二条、第十六条)
    ("前年借给老同学八千块，没约定啥时候还，现在能催他还吗？", L675, None),
    ("我爸借给邻居三万块，借条上没写还款期限，他一直拖着", L675, None),
    ("借钱的时候没说好什么时候还，他说我不能随便要", L675, None),
    ("表姐借了我的钱，还钱日期没写，我让她月底还算不算合理？", L675, None),
    ("借给同学五千块钱，当时没提利息，现在能向他要利息吗？", L680, None),
    ("朋友借钱时说好不要利息，后来我又想收利息，能要吗？", L680, None),
    ("借钱没写借条，只有支付宝转账截图，法院认不认？", PROOF, None),
    ("当时没让他写欠条，就有微信聊天记录，能起诉他还钱吗？", PROOF, None),
    ("借条都写好了，结果他一直没把钱给我，我还要还吗？", L679, None),
    ("欠条签了字但钱始终没转过来，这个欠条有效吗？", L679, None),
    # 诉讼时效 (第一百八十八条, 第一百八十九条, 第一百九十二条, 第一百九十五条)
    ("朋友欠我两万块，已经过了五年了，还能去法院告他吗？", L188, None),
    ("车被撞坏的事拖了两年多，现在打官司还来得及吗？", L188, None),
    ("借出去的钱我从来没有催过，现在起诉晚不晚？", L188, None),
    ("买车贷款约定分二十四期还，他第五期就断了，时效怎么算？", L189, None),
    ("欠款说好每月还两千，到第八期就不还了，诉讼时效多久？", L189, None),
    ("我隔段时间就微信找他要钱，诉讼时效会中断吗？", L195, None),
    ("他在电话里承认欠我钱，时效是不是重新算？", L195, None),
    ("借款已经超过诉讼时效了，可是他又写了一份保证还款的承诺书，还能要吗？", L192, None),
    ("时效早过了，他前几天还了我五百块，剩下的他能不还吗？", L192, None),
    # 不当得利, 无因管理 (第九百七十九条, 第九百八十五条至第九百八十七条)
    ("网银转账填错了卡号，钱到了别人账上", L985, None),
    ("给客户退款时手滑多转了一个零，对方不还", L985, None),
    ("微信红包错发给了前同事，他领了不退", L985, None),
    ("收款码扫错了，付给了别的商户", L985, None),
    ("账户里突然多了两万块，不知道谁打来的，已经花掉了还要还吗？", L986, None),
    ("他明知道是我转错的钱，还拿去花了，能让他赔利息吗？", L987, None),
    ("邻居家着火没人在家，我冲进去灭火还把衣服烧了，能找他补偿吗？", L979, None),
    ("对门出差时他家的狗饿得直叫，我帮他喂了一个月，狗粮钱能要吗？", L979, None),
    # 格式条款, 解除通知, 债权转让 (第四百九十六条, 第四百九十七条, 第五百四十五条, 第五百四十六条, 第五百六十五条)
    ("培训机构合同写着报名后一律不退费，合法吗？", TERMS, None),
    ("洗衣店单子上印着衣物洗坏概不负责，洗坏了真不赔？", TERMS, None),
    ("商家写着商品一经售出恕不退换，有质量问题也不退吗？", TERMS, None),
    ("健身房说受伤后果自负，这种规定有效吗？", TERMS, None),
    ("我给装修公司寄了解约函，他们说没收到，合同算解除了吗？", L565, None),
    ("对方不同意解除合同，我单方面解除有效吗？", L565, None),
    ("债主把欠条转给了别人，新债主来找我要钱，我要给吗？", ASSIGN, None),
    ("公司把别人欠的货款转让给了第三方，需不需要通知欠款人？", ASSIGN, None),
    # 保证 (第六百八十一条, 第六百八十八条, 第六百九十二条, 第六百九十三条)
    ("朋友贷款让我给他作保，我要承担什么责任？", GUARANTEE, None),
    ("当了他的保人，他还不上，银行能找我吗？", GUARANTEE, None),
    ("给表弟担保了一笔借款，过去三年多债主一直没找过我，现在还能找我吗？", PERIOD, None),
    # 租赁 (第七百二十六条, 第七百二十八条)
    ("房东没问我要不要买就把我住的房子卖了", PRE_EMPT, None),
    ("我租了十年的门面，房东要卖，我想先买下来可以吗？", PRE_EMPT, None),
    # 业主, 共有 (第二百七十一条, 第二百七十二条, 第二百七十八条, 第二百八十六条, 第三百零一条)
    ("我们楼想加装电梯，需要多少业主同意？", L278, None),
    ("小区要用维修基金改造，大部分业主同意就行吗？", L278, None),
    ("楼下住户坚决反对装电梯，能装吗？", L278, None),
    ("隔壁把楼道圈起来当自己家的储物间", COMMON_PARTS, None),
    ("顶楼业主把天台锁起来自己用，别人上不去", COMMON_PARTS, None),
    ("跟朋友合资买了一辆车，他想卖我不同意", CO_OWNED, None),
    ("房本上是我们兄妹三个人的名字，老大要卖房，我不同意能卖吗？", CO_OWNED, None),
    # 侵权: 自甘风险, 好意同乘, 网络, 劳务, 监护, 物业 (第一千一百七十六条 …)
    ("打篮球时被对方撞倒，膝盖受伤了", L1176, None),
    ("业余足球比赛被人铲伤，对方要赔吗？", L1176, None),
    ("和朋友去爬山，他不小心把石头踢下来砸到我", L1176, None),
    ("乒乓球打到我眼睛了，能找他赔吗？", L1176, None),
    ("顺道捎同事上班路上追尾了，同事受伤要我赔", L1217, None),
    ("坐朋友的便车出了车祸，司机要全赔吗？", L1217, None),
    ("免费载了个老乡回村，路上翻车他受伤了", L1217, None),
    ("抖音上有人发视频骂我，我投诉让平台删除，平台不理", NOTICE, None),
    ("我的照片被人发到贴吧，联系管理员删一直没删", NOTICE, None),
    ("请了保姆带孩子，保姆在我家摔伤了，我要赔吗？", L1192, None),
    ("雇了个小时工打扫卫生，她从凳子上掉下来骨折了", L1192, None),
    ("女儿在商场把别人的手机摔坏了，要赔吗？", L1188, None),
    ("八岁的孩子踢球砸伤了路人，家长要承担责任吗？", L1188, None),
    ("孙子把邻居家小孩推倒磕破了头", L1188, None),
    ("小区里停的车被人砸了，物业该不该负责？", L942, None),
    # the debtor's side, rates, overpaid wages, rescue costs (第六百七十五条, 民间借贷规定第二十五条, 第九百七十九条, 第九百八十五条)
    ("欠了亲戚五万块，现在真的还不起了，会被起诉吗？", DEBTOR, None),
    ("借钱的时候说好月息2分，这个利息受法律保护吗？", RATE, None),
    ("单位把奖金多打了一份给我，现在要我退回", L985, None),
    ("看到老人摔倒，我先垫付了救护车费把他送到医院，这钱能找他家人要回吗？", L979, None),
    # delays, a contractor who vanished, hidden defects, an employee's unauthorised deal
    ("卖家迟迟不发货已经一个多月了，我想退款解除合同", DELAY, None),
    ("交了全款的家具厂推迟交货三个月，我能不要了吗？", DELAY, None),
    ("健身教练带着私教课的钱跑路了，合同还能解除退钱吗？", GONE, None),
    ("买房时卖家隐瞒了房子漏水的问题，能撤销合同吗？", FRAUD, None),
    ("已经离职的员工打着公司的旗号跟客户签了单", AGENT, None),
    # passage, lent things, rewards, unsafe rentals
    ("隔壁在路口装了铁门上了锁，我家的车出不去", L291, None),
    ("寄放在朋友那的金项链被他拿去当了，能要回来吗？", L311, None),
    ("捡到钱包还给失主，能要求他给点好处费吗？", L317, None),
    ("出租屋燃气泄漏差点出事，我想马上退租行不行？", L731, None),
    # employees, drinking together, medical care, what to claim
    ("外卖骑手送餐时把我家门口的车剐了，找平台还是找骑手？", L1191, None),
    ("同事聚餐劝酒，有个同事喝醉了摔成重伤，一起喝的人要担责吗？", L1165, None),
    ("在小诊所拔牙后感染住院，诊所要负责吗？", MEDICAL, None),
    ("被人打伤住院半个月，能索赔哪些费用？", L1179, None),
    # 诉讼时效规定: a debt with no date, a demand by message, a wrong transfer found late; a transfer's note
    ("欠条上没约定还款期限，拖了五年了，诉讼时效过了吗？", NO_DATE, None),
    ("用微信语音催对方还款，算不算主张过权利、时效中断？", BY_MESSAGE, None),
    ("多转给商家的钱过了两年才发现，还能要吗？", WRONG_TRANSFER_LIMIT, None),
    ("转账时附言写的是借款，能证明是借给他的吗？", PROOF, None),
    # neighbours: the same words in another situation stay out of the block's entries
    ("房租没约定什么时候交，房东能随时要吗？", None, L675),
    ("借钱给朋友没说利息，逾期了能要逾期利息吗？", None, L680),
    ("借条上写的利息太高了，合法吗？", None, PROOF),
    ("十几年前犯的事，现在还会被追究吗？", None, L188),
    ("违法行为过了两年，还会被罚款吗？", None, L188),
    ("被公司拖欠工资两年了，现在申请仲裁晚不晚？", None, L188),
    ("分期付款买的手机，没还完商家能收回吗？", None, L189),
    ("转错账给骗子了，能追回来吗？", None, L985),
    ("合同里价格写错了一个零，能撤销吗？", None, L985),
    ("朋友托我帮他看房子，我垫了物业费", None, L979),
    ("合同约定违约金太高，能调低吗？", None, TERMS),
    ("公司要和我解除劳动合同，我不同意有用吗？", None, L565),
    ("把公司股权转让给别人要通知其他股东吗？", None, ASSIGN),
    ("小区电梯坏了，维修费从哪里出？", None, L278),
    ("电梯广告的收入归谁？", None, L278),
    ("离婚时共同买的房子怎么分？", None, CO_OWNED),
    ("体育课上被同学撞伤了，学校要赔吗？", None, L1176),
    ("去健身房被器材砸伤了，谁负责？", None, L1176),
    ("打球的时候被人故意打伤，能告他故意伤害罪吗？", None, L1176),
    ("坐滴滴顺路车出了事故受伤，谁赔？", None, L1217),
    ("孩子被邻居家的狗咬伤了，家长能要求赔偿吗？", None, L1188),
    ("孩子在学校把同学打伤了，家长和学校谁赔？", None, L1188),
    ("网上买的东西是假货，能找平台赔吗？", None, NOTICE),
    ("物业停了我家的水，说我没交物业费", None, L942),
    ("在公司上班时摔伤了，算工伤吗？", None, L1192),
    ("信用卡欠款还不上了会坐牢吗？", None, DEBTOR),
    ("跟着包工头干了三个月，他卷钱跑了，我们的工钱找谁要？", None, GONE),
    ("借条没写还款日期，现在能让他马上还吗？", L675, NO_DATE),
    ("给他发了律师函要钱，他还是不理", None, BY_MESSAGE),
    ("存款年利率2%，银行能随便降吗？", None, RATE),
    ("公司少发了我一个月工资", None, L985),
    ("开车把人撞了，我垫付了医药费，能让保险公司还吗？", None, L979),
    ("单位拖欠工资一直不发，我能解除劳动合同吗？", None, DELAY),
    ("结婚前他隐瞒了自己有病，能撤销婚姻吗？", None, FRAUD),
    ("邻居装了铁门，晚上开关声音太吵", None, L291),
    ("捡到东西交给了派出所，可以要求奖励吗？", L317, None),
    ("房子有甲醛，开发商要不要赔？", None, L731),
    ("喝酒后开车撞了人，同桌喝酒的人有责任吗？", None, L1165),
    ("在医院被医生打了", None, MEDICAL),
    ("工伤认定以后能要求哪些赔偿？", None, L1179),
]


@pytest.mark.parametrize(("query", "reached", "not_reached"), QUESTIONS)
def test_a_civil_question_reaches_its_article_and_not_its_neighbours(
    lexicon: Lexicon, query: str, reached: str | None, not_reached: str | None
) -> None:
    check_reaches(lexicon, query, reached, not_reached)


def test_every_entry_of_the_block_can_be_skipped_by_its_hint(lexicon: Lexicon) -> None:
    """Each word of the block's entries needs some literal, so a question without it never compiles it."""
    from retrieval.lexicon import _entry_hint

    text = everyday_law_text()
    start = text[: text.index(BLOCK)].count("[[term]]")
    block = lexicon.entries[start:]
    assert len(block) >= 25
    unhinted = [e.source for e in block if _entry_hint(e) is None]
    assert not unhinted, unhinted
