"""The thresholds of the judicial interpretations in ../shared/corpora/laws/司法解释 decide the statutory
paragraph, the trace cites the interpretation's article, and the fine follows the article's words.

One test per threshold; each expected outcome is written from the interpretation and the article
first, then checked. Facts are short and fictional."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.sentencing import criminal_law_texts
from assistant.sentencing import estimate_sentence
from assistant.sentencing.measures import extract_count, extract_tax
from assistant.sentencing.rules import RulesError, load_rules
from assistant.sentencing.trace import SentenceEstimate

VAT = "虚开增值税专用发票、用于骗取出口退税、抵扣税款发票"


@pytest.fixture(scope="module")
def texts(shared_corpus: Path) -> dict[int | str, str]:
    return criminal_law_texts(shared_corpus)


def _est(texts: dict, fact: str, charge: str, articles: list[int]) -> SentenceEstimate:
    return estimate_sentence(fact, [charge], articles, texts)  # type: ignore[arg-type]


def _threshold_step(est: SentenceEstimate) -> str:
    return next(f"{s.basis} {s.detail}" for s in est.charges[0].steps if s.name == "数额（数量）标准")


# ------------------------------------------------------------------ 虚开增值税专用发票 (刑法第二百零五条)
# 法释〔2024〕4号第十一条第一款: 税款数额十万元以上定罪；五十万元以上“数额较大” (三年以上十年以下，并处五万元以上
# 五十万元以下罚金)；五百万元以上“数额巨大” (十年以上或者无期徒刑)


@pytest.mark.parametrize(
    ("fact", "statutory", "fine"),
    [
        ("没有真实交易，为他人虚开增值税专用发票，税额60万元。", (36, 120), "5万元以上50万元以下"),
        ("没有真实交易，为他人虚开增值税专用发票，税额共计600万元。", (120, 180), "5万元以上50万元以下"),
        # the 价税合计 (117万元) is not the tax: 17万元 is a crime (≥10万元) of the first range only
        (
            "没有真实交易，为他人虚开增值税专用发票20份，金额100万元，税额17万元，价税合计117万元。",
            (1, 36),
            "2万元以上20万元以下",
        ),
    ],
)
def test_the_tax_amount_of_false_invoices_decides_205(
    texts: dict, fact: str, statutory: tuple[int, int], fine: str
) -> None:
    est = _est(texts, fact, VAT, [205])
    assert est.charges[0].statutory == statutory
    assert fine in est.conclusion()
    assert "第十一条" in _threshold_step(est) and "第十一条" in est.to_markdown()
    assert "没有规定本罪数额标准的司法解释" not in est.conclusion()


def test_the_conclusion_names_the_figure_and_the_interpretations_article(texts: dict) -> None:
    """A lawyer reads in the conclusion which figure decided the range and where it comes from."""
    est = _est(texts, "没有真实交易，为他人虚开增值税专用发票，税额60万元。", VAT, [205])
    said = est.conclusion()
    assert "虚开税款数额60万元，达到50万元的标准，未达到更高一档的500万元" in said
    assert (
        "《最高人民法院、最高人民检察院关于办理危害税收征管刑事案件适用法律若干问题的解释》（法释〔2024〕4号）第十一条"
        in said
    )


def test_false_invoices_below_the_tax_line_are_said_to_fall_short(texts: dict) -> None:
    est = _est(texts, "为他人虚开增值税专用发票，税额8万元。", VAT, [205])
    assert est.charges[0].statutory == (1, 36)
    assert "低于司法解释规定的定罪标准10万元" in _threshold_step(est)


def test_a_face_value_alone_is_read_as_the_tax_and_said_so(texts: dict) -> None:
    est = _est(texts, "为他人虚开增值税专用发票，发票金额共计60万元。", VAT, [205])
    assert est.charges[0].statutory == (36, 120)
    assert "事实未单独载明虚开税款数额，按所述数额计算" in _threshold_step(est)


def test_tax_evasion_is_measured_by_the_tax_evaded_not_the_tax_due(texts: dict) -> None:
    """法释〔2024〕4号第二条: 逃避缴纳税款五十万元以上 数额巨大 (刑法第二百零一条: 三年以上七年以下); 应纳税额 is
    the tax due, not the amount evaded."""
    fact = "采取虚假申报手段，应纳税额200万元，逃避缴纳税款60万元，占应纳税额的30%。"
    est = _est(texts, fact, "逃税", [201])
    assert est.charges[0].statutory == (36, 84)
    assert "逃避缴纳税款数额60万元" in _threshold_step(est)
    assert extract_tax(fact)[0] == 600000  # type: ignore[index]


# ------------------------------------------------------------------ 非法经营 (刑法第二百二十五条)
# 烟草解释 (2010) 第三条: 非法经营数额五万元以上“情节严重” (五年以下或者拘役，并处或者单处违法所得一倍以上五倍以下
# 罚金)；二十五万元以上“情节特别严重” (五年以上，并处违法所得一倍以上五倍以下罚金或者没收财产); no 缓刑 above 3 years


def test_tobacco_sold_without_a_licence_for_30_wan_is_especially_serious(texts: dict) -> None:
    est = _est(
        texts, "开小卖部没办烟草专卖零售许可证，卖中华、玉溪等卷烟，非法经营数额30万元。", "非法经营", [225]
    )
    assert est.charges[0].statutory == (60, 180)
    assert est.point_months is not None and est.point_months >= 60
    assert not est.probation_plausible and "不宜宣告缓刑" in est.conclusion()
    assert "违法所得一倍以上五倍以下" in est.conclusion()
    assert "烟草专卖品" in _threshold_step(est) and "第三条" in _threshold_step(est)


def test_tobacco_for_6_wan_is_the_first_range_with_the_fine_in_the_articles_words(texts: dict) -> None:
    est = _est(texts, "没有烟草证，卖真烟，非法经营数额6万元。", "非法经营", [225])
    assert est.charges[0].statutory == (1, 60)
    assert "并处或者单处罚金（违法所得一倍以上五倍以下" in est.conclusion()
    assert "由法院根据犯罪情节决定" not in est.conclusion()


def test_tobacco_figures_do_not_hold_for_another_business(texts: dict) -> None:
    """30万元 of 非法买卖外汇 is far below 第三条's 五百万元 of the 资金支付结算解释; 30万元 of 成品油, a business
    without an interpretation in the corpus, stays in the first range (no tobacco figures)."""
    forex = _est(texts, "私下倒卖外汇，非法经营数额30万元。", "非法经营", [225])
    assert forex.charges[0].statutory == (1, 60)
    assert "五百万元" in _threshold_step(forex)
    big = _est(texts, "私下倒卖外汇，非法经营数额3000万元。", "非法经营", [225])
    assert big.charges[0].statutory == (60, 180)
    oil = _est(texts, "无证经营成品油，销售金额30万元。", "非法经营", [225])
    assert oil.charges[0].statutory == (1, 60)
    assert not any(s.name == "数额（数量）标准" for s in oil.charges[0].steps)


@pytest.mark.parametrize(
    ("fact", "statutory", "article"),
    [
        # 药品解释 (2014) 第七条第三款 and 食品解释 (2021) 第十八条: 十万元 情节严重, 五十万元 情节特别严重
        ("没有药品经营许可证，从药贩子手里进药品卖给诊所，非法经营数额60万元。", (60, 180), "第七条"),
        ("没有药品经营许可证，倒卖药品，非法经营数额20万元。", (1, 60), "第七条"),
        ("私设生猪屠宰场，屠宰销售生猪，非法经营数额60万元。", (60, 180), "第十八条"),
    ],
)
def test_drugs_and_pig_slaughter_have_their_interpretations_figures(
    texts: dict, fact: str, statutory: tuple[int, int], article: str
) -> None:
    est = _est(texts, fact, "非法经营", [225])
    assert est.charges[0].statutory == statutory
    assert article in _threshold_step(est)


# ------------------------------------------------------------------ 信用卡诈骗 (刑法第一百九十六条)
# 妨害信用卡解释 (2018 修改) 第八条: 恶意透支 5万元 / 50万元 / 500万元; 第五条 (other ways): 5千 / 5万 / 50万.
# 数额较大: 五年以下有期徒刑或者拘役，并处二万元以上二十万元以下罚金; 数额巨大: 五年以上十年以下, 五万元以上五十万元以下


def test_an_overdraft_of_6_wan_is_the_first_range(texts: dict) -> None:
    fact = "信用卡透支了6万元，做生意亏了还不上，银行催收了好几次，我把手机号换了躲着。"
    est = _est(texts, fact, "信用卡诈骗", [196])
    assert est.charges[0].statutory == (1, 60)
    assert est.point_months is not None and est.point_months <= 36
    assert "2万元以上20万元以下" in est.conclusion()
    assert "第八条" in _threshold_step(est)
    assert "可以不起诉" not in est.conclusion()  # nothing was repaid


def test_an_overdraft_of_60_wan_is_the_second_range(texts: dict) -> None:
    est = _est(texts, "恶意透支信用卡本金60万元，经银行两次催收后超过三个月仍不归还。", "信用卡诈骗", [196])
    assert est.charges[0].statutory == (60, 120)
    assert "5万元以上50万元以下" in est.conclusion()


def test_using_anothers_card_keeps_the_lower_lines(texts: dict) -> None:
    est = _est(texts, "冒用他人信用卡透支消费6万元。", "信用卡诈骗", [196])
    assert est.charges[0].statutory == (60, 120)  # 第五条: 5万元 is 数额巨大
    assert "第五条" in _threshold_step(est)


def test_an_overdraft_repaid_in_full_may_go_unprosecuted(texts: dict) -> None:
    fact = "恶意透支信用卡本金6万元，经银行多次催收仍不归还。案发后已全部归还透支款。"
    est = _est(texts, fact, "信用卡诈骗", [196])
    assert "可以不起诉" in est.conclusion() and "第十条" in est.conclusion()


# ------------------------------------------------------------------ 非法采矿 (刑法第三百四十三条第一款)
# 采矿解释 (2016) 第三条: 矿产品价值十万元至三十万元以上“情节严重” (三年以下、拘役或者管制，并处或者单处罚金);
# 保护性开采的特定矿种 (稀土) 五万元至十五万元以上; 五倍以上“情节特别严重” (三年以上七年以下，并处罚金)


@pytest.mark.parametrize(
    ("fact", "statutory"),
    [
        ("未取得采矿许可证，在河道里采砂，采出的河砂价值20万元。", (1, 36)),
        ("未取得采矿许可证，在河道里采砂，采出的河砂价值60万元。", (36, 84)),
        ("未取得采矿许可证擅自采矿，开采稀土，矿产品价值30万元。", (36, 84)),
        # the review's facts (32): 第一款 is the paragraph the interpretation defines, not 第二款's 破坏性采矿
        ("老板没有采矿证，在后山偷偷挖稀土，挖出来的稀土卖了50万元。", (36, 84)),
    ],
)
def test_the_value_of_the_minerals_decides_343(texts: dict, fact: str, statutory: tuple[int, int]) -> None:
    est = _est(texts, fact, "非法采矿", [343])
    assert est.charges[0].statutory == statutory
    assert "第三条" in _threshold_step(est)


# ------------------------------------------------------------------ 侵犯公民个人信息 (刑法第二百五十三条之一)
# 个人信息解释 (2017) 第五条: 征信、财产信息等五十条, 住宿、交易信息等五百条, 其他五千条以上“情节严重” (三年以下或者
# 拘役，并处或者单处罚金); 十倍以上“情节特别严重” (三年以上七年以下，并处罚金)


@pytest.mark.parametrize(
    ("fact", "statutory"),
    [
        ("把来看房客户的姓名电话整理成表格卖给装修公司，卖了6000多条。", (1, 36)),
        ("把客户的姓名电话卖给别人，卖了6万条。", (36, 84)),
        ("在网上出售他人的征信信息600条。", (36, 84)),
        ("出售酒店客人的住宿信息600条。", (1, 36)),
    ],
)
def test_the_pieces_of_information_decide_253_1(texts: dict, fact: str, statutory: tuple[int, int]) -> None:
    est = _est(texts, fact, "侵犯公民个人信息", [253])
    assert est.charges[0].statutory == statutory
    assert "第五条" in _threshold_step(est)


# ------------------------------------------------------------------ a fine the article measures in words


def test_a_fine_measured_by_the_sales_is_said_in_the_articles_words(texts: dict) -> None:
    est = _est(texts, "生产伪劣产品，销售金额8万元。", "生产、销售伪劣产品", [140])
    assert "销售金额百分之五十以上二倍以下" in est.conclusion()


def test_the_fine_of_personal_information_follows_its_interpretation(texts: dict) -> None:
    """法释〔2017〕10号第十二条: 罚金数额一般在违法所得的一倍以上五倍以下."""
    est = _est(texts, "把客户的姓名电话卖给别人，卖了6000多条，拿了3000元。", "侵犯公民个人信息", [253])
    assert "违法所得的一倍以上五倍以下" in est.conclusion() and "第十二条" in est.conclusion()


# ------------------------------------------------------------------ the data and the measures


def test_measures_read_the_tax_and_the_pieces() -> None:
    assert extract_tax("金额100万元，税额17万元，价税合计117万元")[0] == 170000  # type: ignore[index]
    assert extract_tax("价税合计117万元") is None
    assert extract_count("items", "卖了6000多条客户信息")[0] == 6000  # type: ignore[index]
    assert extract_count("items", "共1.2万条")[0] == 12000  # type: ignore[index]
    assert extract_count("items", "依照刑法第二百五十三条") is None


def test_a_variant_needs_a_growth_for_every_tier(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[crimes."X"]\nbasis = "b"\narticles = [1]\n'
        'tiers = [{ when = "base", start = [1, 2], basis = "b" }]\n'
        '[[crimes."X".variants]]\nname = "v"\nwords = "w"\nthresholds = { "较大" = 1 }\n'
        'threshold_basis = "b"\ngrowth = [[1, 2], [2, 3]]\n',
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="one growth"):
        load_rules(bad)


def test_every_amount_tier_names_its_basis() -> None:
    for t in load_rules().amount_tiers.values():
        assert "第" in t.basis and "条" in t.basis, t.name


# ------------------------------------------------------------------ 非法采伐珍贵树木 (刑法第三百四十四条), by the day
# 法释〔2000〕36号第二条第（一）项: 非法采伐珍贵树木2株以上 is “情节严重” (三年以上七年以下). 法释〔2023〕8号 replaced it
# on 2023-08-15 (its 第二十条): 国家二级保护野生植物 2株 is where the crime begins, 10株 “情节严重”.
TREES = "被告人李某在林场内非法采伐国家二级保护植物红豆杉2株。"


def test_two_trees_felled_were_grave_under_the_2000_interpretation(texts: dict) -> None:
    est = estimate_sentence(
        TREES, ["非法采伐、毁坏国家重点保护植物"], [344], texts, None, load_rules().on_day("2015-10-29")
    )
    c = est.charges[0]
    assert c.statutory == (36.0, 84.0)
    assert "法释〔2000〕36号第二条" in _threshold_step(est)
    assert est.point_months is not None and est.point_months >= 36


def test_two_trees_felled_today_begin_the_crime_under_the_2023_interpretation(texts: dict) -> None:
    for charge in ("危害国家重点保护植物", "非法采伐、毁坏国家重点保护植物"):
        est = estimate_sentence(TREES, [charge], [344], texts)
        assert est.charges[0].statutory is not None and est.charges[0].statutory[1] == 36.0
        assert "法释〔2023〕8号第二条" in _threshold_step(est)
    ten = estimate_sentence(TREES.replace("2株", "12株"), ["危害国家重点保护植物"], [344], texts)
    assert ten.charges[0].statutory == (36.0, 84.0)


def test_an_entry_serves_only_the_days_its_interpretation_was_in_force() -> None:
    rules = load_rules()
    old = rules.on_day("2015-10-29").find_amount_tiers("非法采伐、毁坏国家重点保护植物", 344, TREES)
    new = rules.on_day("2024-01-01").find_amount_tiers("非法采伐、毁坏国家重点保护植物", 344, TREES)
    assert old is not None and "2000" in old.basis and old.amounts == (1, 2)
    assert new is not None and "2023" in new.basis and new.amounts == (2, 10)
    # no count of trees told, before 2023: the 2000 interpretation has no value threshold
    assert (
        rules.on_day("2015-10-29").find_amount_tiers("非法采伐、毁坏国家重点保护植物", 344, "砍了红豆杉")
        is None
    )


def test_plants_are_counted_and_an_undated_day_is_refused(tmp_path: Path) -> None:
    assert extract_count("plants", "盗伐红豆杉两棵，后又采伐榉木5株")[0] == 5  # type: ignore[index]
    assert extract_count("plants", "第三株") is None
    bad = tmp_path / "i.toml"
    bad.write_text('[amount_tiers.x]\narticles = [1]\namounts = [1]\nuntil = "2023年"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="ISO date"):
        load_rules(interpretations=bad)
