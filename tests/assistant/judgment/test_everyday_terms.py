"""Everyday words for the Criminal Law's words (assistant/judgment/everyday_terms.toml): each entry
checked against the article it cites, and the charge ranking on questions as people ask them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.judgment.everyday import TERMS_FILE, EverydayTerms, everyday_terms


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "terms.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_an_entry_reads_its_words_as_patterns_and_gives_its_articles(tmp_path: Path) -> None:
    terms = EverydayTerms.read(
        _write(
            tmp_path,
            '[[term]]\nwords = ["偷了", "拿着?刀.{0,6}逼"]\nlegal = "盗窃"\nsource = "刑法第二百六十四条"\n'
            '[[term]]\nwords = ["关起来"]\nlegal = "非法拘禁"\nsource = "刑法第二百三十八条、第二百六十四条"\n',
        )
    )
    assert terms.matches("他拿着刀逼我") and terms.matches("他拿刀子切菜") == []
    assert [w for w, _ in terms.matches("他偷了钱，还把我关起来")] == ["偷了", "关起来"]
    # the articles of one entry share its rank; an article already named keeps its first rank
    assert terms.articles("他偷了钱，还把我关起来") == [((264, 0), 1), ((238, 0), 2)]
    assert terms.expand("他偷了钱") == "他偷了钱\n盗窃"
    assert terms.expand("天气很好") == "天气很好" and terms.articles("天气很好") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[term]]\nwords = ["偷"]\nlegal = "盗窃"\n', "needs words, legal and source"),
        ('[[term]]\nwords = ["偷"]\nlegal = "盗窃"\nsource = "盗窃解释"\n', "names no article"),
        ('[[term]]\nwords = ["偷("]\nlegal = "盗窃"\nsource = "刑法第二百六十四条"\n', "not a pattern"),
    ],
)
def test_a_malformed_entry_is_refused_with_its_number(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EverydayTerms.read(_write(tmp_path, body))


def test_every_entry_cites_a_current_article_whose_words_it_gives(shared_corpus: Path) -> None:
    """Every legal word of an entry is the cited articles' own words, or part of the name of a charge
    they define; every cited article exists in today's 刑法."""
    from corpora.charges import load_charge_map
    from corpora.loader import load_corpus

    names = load_charge_map(shared_corpus)
    corpus = load_corpus(shared_corpus, law_dirs=["刑法"])
    texts = {
        (a.number, a.suffix): a.text
        for a in corpus.articles
        if a.law_id == "刑法" and a.current and a.numbering == "article"
    }
    terms = EverydayTerms.read(TERMS_FILE)
    assert len(terms.terms) >= 30
    for term in terms.terms:
        missing = [k for k in term.articles if k not in texts]
        assert not missing, f"{term.words[0]}: {term.source} cites articles not in 刑法: {missing}"
        cited = "".join(texts[k] for k in term.articles)
        charges = [c for k in term.articles for c in names.charges_for(*k)]
        foreign = [w for w in term.legal.split() if w not in cited and not any(w in c for c in charges)]
        assert not foreign, f"{term.words[0]}: {foreign} are not words of {term.source}"


# Questions as people ask them, each with the charge and article a lawyer names from the law text.
EVERYDAY = [
    ("我把自己的三张银行卡卖给了别人，后来知道他们用来诈骗，会判几年？", "帮助信息网络犯罪活动", 287),
    ("他欠钱不还，我把他关在仓库里两天，犯法吗？", "非法拘禁", 238),
    ("开设赌场抽头渔利5万元，会怎么判？", "开设赌场", 303),
    ("冒充银行工作人员以办贷款为名骗取12万元，会判几年？", "诈骗", 266),
    ("虚构事实骗取他人财物12万元，到案后自首", "诈骗", 266),
    ("在超市偷了价值4800元的东西，被抓后自首", "盗窃", 264),
    ("被告人张某秘密窃取他人财物，价值2210元。", "盗窃", 264),
    ("公司会计利用职务便利侵占公司资金30万元", "职务侵占", 271),
    ("国家工作人员收受他人财物25万元为他人谋取利益", "受贿", 385),
    ("公司销售经理收了供应商20万元回扣", "非国家工作人员受贿", 163),
    ("国有企业的会计利用职务便利侵吞公款25万元，案发后全部退赃", "贪污", 382),
    ("在一家私营公司当出纳，把公司账上8万元转到自己账户拿去赌博", "职务侵占", 271),
    ("明知是盗版图书还大量批发销售，违法所得12万元", "销售侵权复制品", 218),
    ("绑架一个小孩向他父母勒索50万元", "绑架", 239),
    # written after the lexicon above, as a fresh check; the first run got 7 of 12 right
    ("我在商场试衣服时把一件标价3000元的大衣穿在里面带走了，被保安抓住", "盗窃", 264),
    ("我弟弟17岁，和朋友一起抢了别人的手机", "抢劫", 263),
    ("公司财务把单位30万元借给朋友用了半年，后来还上了", "挪用资金", 272),
    ("村主任把上级发的扶贫款5万元据为己有", "贪污", 382),
    ("村会计把村集体的土地出租款8万元据为己有", "职务侵占", 271),
    ("她把邻居家三岁的孩子带走藏起来，不让家人找到", "拐骗儿童", 262),
    ("他在网上冒充客服，骗了我8000元", "诈骗", 266),
    ("被告人李某在公交车上××被害人手机一部，价值1500元。", "盗窃", 264),
    ("他在看守所羁押期间趁民警不备翻墙逃跑了", "脱逃", 316),
    ("他给证人钱，让证人在法庭上作伪证", "妨害作证", 307),
    ("派出所民警在清查行动前给赌场老板通风报信", "帮助犯罪分子逃避处罚", 417),
    # review 3: acts told without the law's word
    ("我老公开了个按摩店，招了5个小姑娘在店里做那种服务，客人他来安排，钱他先收了再分", "组织卖淫", 358),
    ("跟老公吵架，一气之下把家里的电饭锅、花盆从12楼窗户扔下去了", "高空抛物", 291),
    ("房东不退押金，我用以前配的钥匙开门进了她家，她回来让我走我也不走", "非法侵入住宅", 245),
    ("电镀厂的废水通过暗管直接排到河沟里，六价铬超标二十多倍", "污染环境", 338),
    ("晚上跟车友在环城高速上飙车，开到一百八九十", "危险驾驶", 133),
    ("我哥一家把我妈一个人扔在老房子里不管，我妈瘫在床上，他几个月不给钱不送饭", "遗弃", 261),
    ("把来看房客户的名字电话整理成表格卖给了装修公司，卖了6000多条", "侵犯公民个人信息", 253),
    ("老板在后山偷偷挖稀土，没有采矿证，挖出来卖了五十多万", "非法采矿", 343),
    ("我弟在网上装成女的跟一个男的网恋，用妈妈住院、交房租各种理由让人家给他转了两万八", "诈骗", 266),
    ("两个村为了争水渠，两边各叫了二十多个人拿着铁锹打起来了", "聚众斗殴", 292),
    ("在网上进了一批假的抗癌药，卖给了十几个病人，卖了两万多", "生产、销售、提供假药", 141),
    ("在地铁上从别人包里掏了一个钱包", "盗窃", 264),
    ("帮朋友把他偷来的手机卖掉了", "掩饰、隐瞒犯罪所得、犯罪所得收益", 312),
    # a second fresh set; the first run got 6 of 8 right (假冒专利 for fake shoes, 引诱幼女卖淫)
    ("在网上开店卖假冒的耐克鞋，卖了15万元", "销售假冒注册商标的商品", 214),
    ("在KTV里组织三名妇女卖淫", "组织卖淫", 358),
    ("以高额利息为诱饵向社会公众吸收资金300万元", "非法吸收公众存款", 176),
    ("在禁猎期用网捕了50只野鸟", "非法狩猎", 341),
    ("明知是别人盗伐的木材还收购了10立方米", "非法收购、运输盗伐、滥伐的林木", 345),
    ("明知是赃车还低价收购", "掩饰、隐瞒犯罪所得、犯罪所得收益", 312),
    ("他拿着刀逼我交出钱包", "抢劫", 263),
    ("趁她不注意，骑着摩托车飞车夺走她的包", "抢夺", 267),
    ("替别人参加高考被抓了", "代替考试", 284),
    ("他说不给他5万元就把我的隐私照片发到网上", "敲诈勒索", 274),
    ("在禁渔期用电鱼的方法捕鱼", "非法捕捞水产品", 340),
    ("他把别人的孩子拐走卖到外地", "拐卖妇女、儿童", 240),
    ("我朋友开车撞死了人然后跑了", "交通肇事", 133),
    ("我老公喝了酒开车被查了，酒精含量90多", "危险驾驶", 133),
    ("在网上销售假冒注册商标的商品，销售金额8万元", "销售假冒注册商标的商品", 214),
    # 持有 for one's own use (第三百四十八条: 甲基苯丙胺十克以上) and 标注他人专利号 (第二百一十六条)
    ("家里存放了20克冰毒，留着自己吸", "非法持有毒品", 348),
    ("在自己厂里生产的药品包装上印了别人的专利号", "假冒专利", 216),
    # neighbours separated by their element (distinctions.toml); written before the run, 5 of 8 right
    (
        "我用假的购销合同从银行贷了300万，钱投到厂里亏了还不上，银行报案了",
        "骗取贷款、票据承兑、金融票证",
        175,
    ),
    ("在网上卖黄色视频，一部卖5块钱，一共赚了2万元", "制作、复制、出版、贩卖、传播淫秽物品牟利", 363),
    ("在QQ群里分享了300多个黄色视频给群友看，没收钱", "传播淫秽物品", 364),
    ("我在一家科技有限公司当采购经理，收了供应商30万回扣", "非国家工作人员受贿", 163),
    ("镇政府的会计把8万元扶贫款转到自己卡上", "贪污", 382),
    ("醉酒开车撞死了一个人，没有逃逸", "交通肇事", 133),
    ("在自家作坊生产贴着耐克商标的假鞋，卖出去20万元", "假冒注册商标", 213),
    ("骑摩托车飞车抢了路人的包，里面有5000元", "抢夺", 267),
    # from a lawyer's review (each a wrong charge before): KTV 无故殴打, 穿山甲, 裸照威胁, 低保审核, 挪了公款
    ("我们几个人在KTV喝多了，无缘无故把隔壁包间两个人打了，都是轻微伤", "寻衅滋事", 293),
    ("我在山里抓了一只穿山甲卖给饭店，卖了3000块", "危害珍贵、濒危野生动物", 341),
    ("我拿前女友的裸照威胁她，让她给我5万块，不然就发到网上", "敲诈勒索", 274),
    (
        "我爸是镇政府工作人员，负责审核低保，没认真核实，给不符合条件的人发了低保，国家损失了40万",
        "玩忽职守",
        397,
    ),
    ("我爸是镇政府工作人员，故意违规批给亲戚低保，国家损失了40万", "滥用职权", 397),
    ("我在一家私营公司做财务，挪了公司50万去炒股，三个月后全还上了", "挪用资金", 272),
    ("我在国有事业单位做财务，挪了单位50万公款去炒股", "挪用公款", 384),
    ("他用假的购销合同和假房产证明去银行贷了80万，本来就没打算还，钱拿去还赌债了", "贷款诈骗", 193),
    ("她是国企的会计，把公司账上的80万转到自己卡上花掉了", "贪污", 382),
    ("我表哥搞了个理财平台，承诺年化20%，吸收了300多个人2000万，钱都投到项目里了", "非法吸收公众存款", 176),
    ("他搞了个理财平台吸收了2000万，把钱拿去买豪车和赌博了，根本没投项目", "集资诈骗", 192),
    # a second review's questions, each a civil answer or a wrong charge before
    ("我在出租屋里让三个朋友一起溜冰，警察上门把我们都带走了", "容留他人吸毒", 354),
    ("我没办采伐证，偷偷把村集体山上的杉树砍了拉去卖，林业局测了大概有10个立方", "盗伐林木", 345),
    ("我在一家私企当出纳，这两年陆陆续续从公司账上拿了15万自己花了", "职务侵占", 271),
    ("我在网上卖盗版的电子书和网课视频，一年下来违法所得大概8万块", "侵犯著作权", 217),
    ("邻居家的男人把一个12岁的小女孩骗到家里摸了她的身体，没有发生关系", "猥亵儿童", 237),
    # a traditional-character question, made simplified and stripped of its amount, had read 抢劫
    ("偷窃他人财物会判多久", "盗窃", 264),
    ("他偷盗了工地上的钢筋", "盗窃", 264),
    # a final reading of ten client questions: the knife drawn after the theft (刑法第二百六十九条)
    ("我在超市偷了一瓶洋酒值800块，被保安发现后拿出小刀把保安胳膊划伤了跑掉", "抢劫", 263),
    # 杀死 told plainly: without an act the lexicon knows, the 自首 question went to 刑法总则 (第六十七条)
    ("因为感情纠纷用刀把前女友杀死了，事后自己去派出所投案", "故意杀人", 232),
    # a fourth review: 少报收入 had read 逃避追缴欠税 (第二百零三条 needs assets moved or hidden)
    ("我开的公司少报收入，少缴了35万税，税务局下了追缴通知后，我们把税款、滞纳金都补上了", "逃税", 201),
    # a fourth review's questions (their asking clause left out, as the agent reads them), each a wrong
    # charge before: 毒品 for a kidnapping, 抢劫 for a steering wheel, 传销 for a rumour and for a bribe …
    (
        "我弟欠了赌债，跟两个人把一个老板的儿子骗上车关在出租屋里，打电话跟老板要钱，第二天就被抓了",
        "绑架",
        239,
    ),
    ("坐公交坐过站了，司机不给停，我冲上去抢方向盘，车晃了一下蹭到护栏，没人受伤", "妨害安全驾驶", 133),
    ("我在网上发帖说我前同事跟领导有一腿才升的职，是我编的，帖子被看了八千多次，她说要告我", "诽谤", 246),
    ("为了拿到一家民营连锁超市的供货资格，我给他们采购经理送了8万块钱", "对非国家工作人员行贿", 164),
    (
        "我跟一个游戏私服老板有矛盾，花钱找人用软件攻击他的服务器，网站瘫痪了两天，对方说损失了3万多",
        "破坏计算机信息系统",
        286,
    ),
    (
        "我帮一个放高利贷的老板去要账，天天去欠钱那家门口泼油漆、堵门，还跟着他孩子上下学",
        "催收非法债务",
        293,
    ),
    (
        "我老婆做代购，每次从香港带化妆品、包包回来在朋友圈卖，没报关，海关算下来偷逃税款8万多",
        "走私普通货物、物品",
        153,
    ),
    ("我姐夫这几年经常打我姐，喝了酒就拿皮带抽，我姐怕他不敢报警", "虐待", 260),
    (
        "我们村有户人家几年前花3万块从人贩子手里买了个男孩养着，对孩子挺好的，现在被查出来了",
        "收买被拐卖的妇女、儿童",
        241,
    ),
    ("我哥喝了酒开车撞伤了人跑了，让我去交警队说是我开的车，我就去了，现在查出来了", "窝藏、包庇", 310),
    ("我在村委会当会计，管村里的征地补偿款，拿了一部分自己用了", "贪污", 382),
    ("我在公司当销售，拿假发票报销了好几次，公司发现了说要报警", "职务侵占", 271),
    ("我朋友出国前把5万块钱现金放我这帮他保管，我拿去花了，现在他回来找我要，我说没这回事", "侵占", 270),
    ("清明上坟烧纸，风一吹把后山烧了，烧了几十亩林子，没人伤亡", "失火", 115),
    ("把邻居家的狗打死了，狗价值5000元", "故意毁坏财物", 275),  # an animal killed is no 故意杀人
    # a fifth reading: 「假的名牌」 had read 贷款诈骗 (its 罪状 says 假的), 「帮人收钱转账」 no crime at all
    ("我朋友在网上卖假的名牌包，卖了20万", "销售假冒注册商标的商品", 214),
    ("我在网上帮人收钱转账，每次拿5%的好处，一共过了200万流水", "帮助信息网络犯罪活动", 287),
]

# Acts whose charge turns on what the evidence shows (intent to kill or to hurt; deceived or pressed into
# paying): both neighbours lead, in either order.
EITHER = [
    (
        "我表弟跟人喝酒起了冲突，拿水果刀捅了对方肚子一刀，人送到医院没救过来，他自己打了110在原地等警察来",
        {("故意杀人", 232), ("故意伤害", 234)},
    ),
    ("他跟人吵架，抄起砖头砸了对方脑袋几下，人就没了", {("故意杀人", 232), ("故意伤害", 234)}),
    ("我老公开车故意往豪车上蹭，然后找人家要赔偿，前后要了4万多", {("诈骗", 266), ("敲诈勒索", 274)}),
]


@pytest.fixture(scope="module")
def real_ranker(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from assistant.judgment.build import load_or_fit

    return load_or_fit(shared_corpus, tmp_path_factory.mktemp("ranker"))


@pytest.mark.parametrize(("question", "charge", "article"), EVERYDAY)
def test_everyday_questions_find_the_charge(real_ranker, question: str, charge: str, article: int) -> None:  # type: ignore[no-untyped-def]
    first = real_ranker.rank_charges(question)[0]
    assert (first.charge, first.article) == (charge, article), [
        c.charge for c in real_ranker.rank_charges(question)[:3]
    ]


@pytest.mark.parametrize(("question", "pair"), EITHER)
def test_neighbours_told_apart_by_the_evidence_both_lead(
    real_ranker, question: str, pair: set[tuple[str, int]]
) -> None:  # type: ignore[no-untyped-def]
    top = {(c.charge, c.article) for c in real_ranker.rank_charges(question)[:2]}
    assert top == pair, top


def test_the_evidence_says_which_everyday_words_voted(real_ranker) -> None:  # type: ignore[no-untyped-def]
    first = real_ranker.rank_charges("他欠钱不还，我把他关在仓库里两天")[0]
    assert any("日常用语对应条文第1" in e for e in first.evidence)
    assert everyday_terms().matches("他欠钱不还，我把他关在仓库里两天")


def test_also_and_unless_decide_by_who_did_it(tmp_path: Path) -> None:
    terms = EverydayTerms.read(
        _write(
            tmp_path,
            '[[term]]\nwords = ["侵吞"]\nalso = ["公款|国有"]\nlegal = "贪污"\nsource = "刑法第三百八十二条"\n'
            '[[term]]\nwords = ["侵吞"]\nalso = ["公司"]\nunless = ["国有"]\nlegal = "职务侵占"\n'
            'source = "刑法第二百七十一条"\n',
        )
    )
    assert [t.legal for _, t in terms.matches("公司会计侵吞资金")] == ["职务侵占"]
    assert [t.legal for _, t in terms.matches("国有公司会计侵吞公款")] == ["贪污"]
    assert terms.matches("他侵吞了钱") == []


def test_hiding_words_keep_their_vote_in_a_long_narrative() -> None:
    """刑法第三百一十条: in a court's narrative most words tell the crime of the person hidden; the words of
    hiding him are this defendant's own act, so their vote does not shrink with the length."""
    from assistant.judgment.everyday import everyday_terms

    terms = everyday_terms()
    told = "被告人明知吴某系公安机关网上追逃人员，仍为其提供住所、资金，使吴某逃避抓捕。"
    assert terms.in_narratives(told) == {(310, 0)}
    assert terms.in_narratives("被告人盗窃他人手机一部。") == set()
    # 法释〔2012〕18号第一条: an official's act told with the loss it caused
    official = "被告人在担任县供销社业务科科长期间，违反国家规定审核专项资金，致使国家遭受经济损失100万元。"
    assert terms.in_narratives(official) == {(397, 0)}
    seal = "被告人为对外签订合同，在刻章店私刻了某建筑劳务有限公司的公章，后以该公司名义签订供货协议。"
    assert (280, 0) in terms.in_narratives(seal)
    loan = "被告人以农户的名义，向信用社提供虚假的土地承包合同，骗取贷款35万元，用于高息出借。"
    assert (175, 1) in terms.in_narratives(loan)
    kickback = "被告人利用担任某空调设备有限公司物流部经理的职务便利，向客户单位索要财物合计人民币2万元。"
    assert (163, 0) in terms.in_narratives(kickback)
