"""The stop-17 everyday-law entries for intellectual property (retrieval/everyday_law.toml, block `stop 17, ip`),
written article by article from 计算机软件保护条例, 著作权法 and its 实施条例, 信息网络传播权保护条例, the SPC's
信息网络传播权规定, 专利 and 商标 interpretations, the 侵犯知识产权刑事案件 interpretations, the 惩罚性赔偿
interpretation, 集成电路布图设计保护条例 and 植物新品种保护条例: each question, told the way clients tell it,
reaches the article that answers it; the neighbours (the same everyday words in another matter) do not. The
questions and their articles were written from the article texts before the entries were run on them."""

from __future__ import annotations

import pytest

from retrieval.lexicon import LEXICON_FILE, Lexicon, _entry_hint

SOFTWARE = "计算机软件保护条例"
COPYRIGHT_RULES = "著作权法实施条例"
NETWORK_RULES = "最高人民法院关于审理侵害信息网络传播权民事纠纷案件适用法律若干问题的规定"
PATENT_1 = "最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释"
MARK = "最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释"
CRIME = "最高人民法院、最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释"
PUNITIVE = "最高人民法院关于审理侵害知识产权民事案件适用惩罚性赔偿的解释第一条、第三条、第四条"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.read(LEXICON_FILE)


IP = [
    # 计算机软件保护条例 第十一条: 委托开发
    ("我花钱找外包公司开发了一个APP，源代码的著作权归谁？", f"{SOFTWARE}第十一条", None),
    ("公司委托软件公司做的管理系统，合同没写版权归属，归谁？", f"{SOFTWARE}第十一条", None),
    ("请人写的小程序，对方说版权是他们的，不给源码，对吗？", f"{SOFTWARE}第十一条", None),
    # 第十条: 合作开发
    ("和朋友一起开发了一款游戏，现在散伙了，他能自己拿去卖吗？", f"{SOFTWARE}第十条", None),
    ("我们俩合作写的软件，他不同意授权给客户，我能单独授权吗？", f"{SOFTWARE}第十条", None),
    # 第十三条: 职务软件
    ("我在公司上班期间写的程序，离开后能自己拿去卖吗，归谁？", f"{SOFTWARE}第十三条", None),
    ("老板让我开发的系统，版权归公司还是归我？", f"{SOFTWARE}第十三条", None),
    ("程序员在职时下班后自己写的代码，著作权是谁的？", f"{SOFTWARE}第十三条", None),
    # 第十六条: 合法复制品所有人
    ("买了正版软件，可以备份一份防止光盘坏了吗？", f"{SOFTWARE}第十六条", None),
    ("花钱买的正版系统能装到两台电脑上吗？", f"{SOFTWARE}第十六条", None),
    ("购买的软件为了适配我们的设备做了些修改，合法吗？", f"{SOFTWARE}第十六条", None),
    # 第十七条: 学习研究
    ("为了学习别人软件的实现原理，把它反编译了，侵权吗？", f"{SOFTWARE}第十七条", None),
    # 第六条、第二十九条: 思想与表达
    ("我们做的APP功能跟别人的差不多，对方说我们抄袭，算侵权吗？", f"{SOFTWARE}第六条、第二十九条", None),
    ("两个软件的操作流程很像，代码是自己写的，会被告侵权吗？", f"{SOFTWARE}第六条、第二十九条", None),
    # 第二十三条: 把别人的软件登记成自己的
    ("前同事把我们一起写的软件拿去登记在他自己名下了，怎么办？", f"{SOFTWARE}第二十三条", None),
    ("我的源码被合伙人抢先登记了著作权，能撤销吗？", f"{SOFTWARE}第二十三条", None),
    # 第二十四条: 复制、发行、破解
    ("有人把我们公司的付费软件破解了放到网上分享，能告他吗？", f"{SOFTWARE}第二十四条", None),
    ("倒卖别人的软件激活码和破解版，违法吗？", f"{SOFTWARE}第二十四条", None),
    ("公司的软件源代码被离职员工复制走了，可以要求赔偿吗？", f"{SOFTWARE}第二十四条", None),
    # 第三十条: 不知情的复制品持有人
    ("电脑城装机时预装的是盗版系统，我不知道，要赔钱吗？", f"{SOFTWARE}第三十条", None),
    ("公司买的电脑里自带破解软件，软件公司来找我们要赔偿", f"{SOFTWARE}第三十条", None),
    # 第十九条、第二十条: 转让与专有许可
    ("把软件著作权卖给别人，只是口头说好了，没签合同算数吗？", f"{SOFTWARE}第十九条、第二十条", None),
    ("软件独家授权给一家代理商，需要签书面合同吗？", f"{SOFTWARE}第十九条、第二十条", None),
    # 著作权法第二十六条 + 实施条例第二十三条、第二十四条: 许可使用合同, 专有使用权
    ("我把小说的影视改编权独家授权给了一家公司，自己还能再授权别人吗？", "著作权法第二十六条；著作权法实施条例第二十三条、第二十四条", None),
    ("把照片授权给别人用，授权书里要写什么？", "著作权法第二十六条；著作权法实施条例第二十三条、第二十四条", None),
    # 第二十八条: 质押
    ("作品的版权可以拿去银行质押贷款吗？", "著作权法第二十八条", None),
    # 第三十条: 付酬标准
    ("杂志用了我的文章，稿费没约定，应该按什么标准给？", "著作权法第三十条", None),
    # 第三十三条 + 实施条例第二十八条: 专有出版权
    ("我们和作者签了独家出版合同，作者又把书交给别的出版社出了", "著作权法第三十三条；著作权法实施条例第二十八条", None),
    # 第三十七条: 版式设计
    ("我们整理出版的古籍，被别人原样扫描影印出版了，侵权吗？", "著作权法第三十七条", None),
    # 第六条: 民间文学艺术
    ("把当地的民间故事整理改编成书出版，版权归谁？", "著作权法第六条", None),
    # 实施条例第三条: 创作
    ("我出钱让他写书，又给他出了很多点子，我能算作者吗？", f"{COPYRIGHT_RULES}第三条", None),
    ("帮教授查资料、打字录入，能要求在书上署名吗？", f"{COPYRIGHT_RULES}第三条", None),
    # 实施条例第十三条: 作者身份不明
    ("在旧货市场买了一幅没有署名的字画，能印出来卖吗，版权归谁？", f"{COPYRIGHT_RULES}第十三条", None),
    # 实施条例第十七条: 遗作
    ("爷爷去世后留下一本没发表的手稿，我们能拿去出版吗？", f"{COPYRIGHT_RULES}第十七条", None),
    # 实施条例第十五条: 已故作者的精神权利
    ("已故父亲写的小说被出版社乱改后再版，我们家属能管吗？", f"{COPYRIGHT_RULES}第十五条", None),
    # 实施条例第十九条: 指明作者
    ("公众号引用我的文章，没有注明出处和作者，这样可以吗？", f"{COPYRIGHT_RULES}第十九条", None),
    ("用了别人的图片，标明了作者和出处就不算侵权了吗？", f"{COPYRIGHT_RULES}第十九条", None),
    # 信息网络传播权保护条例第八条: 网课课件
    ("我们做网课，课件里用了网上别人的照片和音乐，要经过同意吗？", "信息网络传播权保护条例第八条", None),
    # 第四条、第十九条: 破解工具
    ("在网上卖视频网站VIP解析接口，违法吗？", "信息网络传播权保护条例第四条、第十九条", None),
    ("做了一个电子书的解密工具放到网上卖，会被处罚吗？", "信息网络传播权保护条例第四条、第十九条", None),
    # 信息网络传播权规定第三条: 网盘分享
    ("把买来的网课视频放到百度网盘分享给别人，侵权吗？", f"{NETWORK_RULES}第三条", None),
    ("在群文件里共享了几本电子书，作者说我侵权", f"{NETWORK_RULES}第三条", None),
    # 第十条、第十二条: 热播剧推荐
    ("视频网站把用户上传的盗版热播剧放在首页推荐，网站有责任吗？", f"{NETWORK_RULES}第十条、第十二条", None),
    # 第十一条: 投放广告
    ("网站靠用户上传的盗版电影投放广告赚钱，网站要担责吗？", f"{NETWORK_RULES}第十一条", None),
    # 第十五条: 管辖
    ("我的小说被外地一个网站盗版了，在哪个法院起诉？", f"{NETWORK_RULES}第十五条", None),
    # 专利解释第八条、第十条、第十一条: 外观设计近似
    ("对方产品只是换了个颜色，外观跟我的外观设计专利差不多，算侵权吗？", f"{PATENT_1}第八条、第十条、第十一条", None),
    ("外观设计专利，别人的产品细节不一样，怎么判断是不是近似？", f"{PATENT_1}第八条、第十条、第十一条", None),
    # 第十二条: 零部件
    ("工厂用了侵犯别人专利的零件组装成整机卖，算侵权吗？", f"{PATENT_1}第十二条", None),
    # 第十八条: 警告函、确认不侵权
    ("收到对方的专利侵权警告函，他又一直不起诉，我们能怎么办？", f"{PATENT_1}第十八条", None),
    # 解释（二）第二十五条: 已付合理对价的使用者
    (
        "厂里花钱从正规渠道买的机器，后来说侵犯了别人的专利，还能继续用吗？",
        f"{PATENT_1}（二）第二十五条",
        None,
    ),
    # 专利法第二十条: 滥用
    ("有人拿着一个专利到处告电商卖家，是不是滥用专利？", "专利法第二十条", None),
    # 专利法第三十三条: 修改申请
    ("专利申请已经提交了，发现权利要求写得不好，还能改吗？", "专利法第三十三条", None),
    # 商标法第十六条: 地理标志
    ("外地产的大米冒充五常大米的产地卖，违法吗？", "商标法第十六条", None),
    ("地理标志商标，不是当地产的产品能用吗？", "商标法第十六条", None),
    # 第三条: 集体商标、证明商标
    ("我们合作社注册的商标，社员都能用吗？", "商标法第三条", None),
    ("证明商标和普通商标有什么区别？", "商标法第三条", None),
    # 第四十八条: 商标的使用
    ("商标只在宣传册和展会上用过，算使用了吗？", "商标法第四十八条", None),
    # 第五十条: 注销后一年
    ("别人的商标过期没续展，我现在马上申请注册能批吗？", "商标法第五十条", None),
    # 第三十五条: 异议
    ("对别人的商标提了异议，多久有结果？异议失败了怎么办？", "商标法第三十五条", None),
    # 第十九条、第六十八条: 商标代理
    ("找的商标代理公司把我的商标注册到自己名下了，怎么办？", "商标法第十九条、第六十八条", None),
    # 第五条: 共同申请
    ("两个人能一起申请注册一个商标吗？", "商标法第五条", None),
    # 商标民事解释第一条: 域名
    ("有人用我们的品牌名注册了域名开网店卖同类商品", f"{MARK}第一条", None),
    # 第四条: 被许可人起诉
    ("我们是这个品牌的独家代理，发现有人卖假货，我们能直接起诉吗？", f"{MARK}第四条", None),
    # 第九条、第十条: 近似
    ("对方的商标跟我们就差一个字，读音一样，算近似吗？", f"{MARK}第九条、第十条", None),
    # 第十一条、第十二条: 类似商品
    ("别人在不同类别的商品上用了跟我一样的商标，算侵权吗？", f"{MARK}第十一条、第十二条", None),
    # 第十七条: 合理开支
    ("起诉商标侵权花的律师费和公证费能让对方赔吗？", f"{MARK}第十七条", None),
    # 侵犯知识产权刑事案件解释第十六条: 帮助者
    ("明知朋友卖假货，还把仓库租给他存货，我会被追究吗？", f"《{CRIME}》第十六条", None),
    # 第十一条: 以营利为目的
    ("开了个免费看盗版电影的网站，靠广告赚钱，算犯罪吗？", f"《{CRIME}》第十一条", None),
    # （三）第九条: 谅解从轻
    ("卖假货被抓了，已经和品牌方和解拿到谅解书了，能从轻吗？", f"《{CRIME.replace('解释', '解释（三）')}》第九条", None),
    # （二）第三条: 缓刑
    ("卖盗版书被判了，能判缓刑吗？", f"《{CRIME.replace('解释', '解释（二）')}》第三条", None),
    # 惩罚性赔偿解释
    ("发了律师函警告后对方还继续卖仿冒我们商标的货，能要求几倍赔偿？", PUNITIVE, None),
    ("商标侵权能主张惩罚性赔偿吗？", PUNITIVE, None),
    # 集成电路布图设计保护条例
    ("芯片的布图设计需要登记才受保护吗，保护多少年？", "集成电路布图设计保护条例第七条、第八条、第十二条", None),
    ("竞争对手抄了我们芯片的版图，怎么维权？", "集成电路布图设计保护条例第三十条、第二十三条", None),
    # 植物新品种保护条例 (种子法)
    ("农民自己留种第二年接着种，需要经过品种权人同意吗？", "植物新品种保护条例第十条；种子法第二十九条", None),
    ("有人未经许可繁殖销售我们公司的授权品种，怎么办？", "植物新品种保护条例第六条、第三十九条", None),
    ("在农科院工作期间培育出的新品种，品种权归谁？", "植物新品种保护条例第七条", None),
    ("种子公司把别人的品种改了个名字卖，违法吗？", "植物新品种保护条例第十二条、第四十条", None),
]

# The same everyday words in another matter: these must not reach the block's entries.
NEIGHBOURS = [
    ("找装修公司装修，合同没写清楚，质量出问题找谁？", None, f"{SOFTWARE}第十一条"),
    ("和朋友一起做生意开店，现在散伙了，钱怎么分？", None, f"{SOFTWARE}第十条"),
    ("上班期间被老板安排加班，没给加班费怎么办？", None, f"{SOFTWARE}第十三条"),
    ("买的手机系统总是卡，能退货吗？", None, f"{SOFTWARE}第十六条"),
    ("两个人的工作流程一样，工资却不一样，合法吗？", None, f"{SOFTWARE}第六条、第二十九条"),
    ("手机被人破解了密码，里面的钱被转走了", None, f"{SOFTWARE}第二十四条"),
    ("二手车的里程表被人改了，卖家说不知道，我能退车吗？", None, f"{SOFTWARE}第三十条"),
    ("我是品牌的独家代理，厂家突然解除代理合同，要赔吗？", None, f"{MARK}第四条"),
    ("爷爷去世后留下一套房子，没有遗嘱怎么分？", None, f"{COPYRIGHT_RULES}第十七条"),
    ("网购的东西是假货，能要求三倍赔偿吗？", None, PUNITIVE),
    ("买到过期食品，商家要赔十倍吗？", None, PUNITIVE),
    ("借钱给朋友，朋友出了钱又说是合伙，算谁的？", None, f"{COPYRIGHT_RULES}第三条"),
    ("在哪个法院起诉网上骂我的人？", None, f"{NETWORK_RULES}第十五条"),
    ("买的种子不发芽，导致减产，种子公司要赔吗？", None, "植物新品种保护条例第六条、第三十九条"),
    ("我家的孩子改了名字，户口本要怎么改？", None, "植物新品种保护条例第十二条、第四十条"),
    ("网络直播带货的主播收到警告函说他卖的衣服侵权商标", None, f"{PATENT_1}第十八条"),
    ("借条没有注明还款日期，借款人一直不还怎么办？", None, f"{COPYRIGHT_RULES}第十九条"),
    ("和丈夫一起申请的贷款，离婚后谁还？", None, "商标法第五条"),
]


@pytest.mark.parametrize(("query", "reached", "not_reached"), [*IP, *NEIGHBOURS])
def test_an_ip_question_reaches_the_article_of_its_law(
    lexicon: Lexicon, query: str, reached: str | None, not_reached: str | None
) -> None:
    sources = [e.source for _, e in lexicon.matches(query)]
    if reached:
        assert reached in sources, sources
    if not_reached:
        assert not_reached not in sources, sources


def test_every_stop_17_ip_entry_can_be_skipped_by_its_hint(lexicon: Lexicon) -> None:
    """Each word of the block's entries needs some literal, so a question without it never compiles the entry."""
    text = LEXICON_FILE.read_text(encoding="utf-8")
    header = text.index("# ---- stop 17, ip:")
    before = text[:header].count("[[term]]")
    after = text[header:]
    end = after.find("\n# ---- ", 1)
    count = (after if end < 0 else after[:end]).count("[[term]]")
    block = lexicon.entries[before : before + count]
    assert len(block) >= 50
    unhinted = [e.source for e in block if _entry_hint(e) is None]
    assert not unhinted, unhinted
