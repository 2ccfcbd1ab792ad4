"""The stop-15 entries of retrieval/everyday_law.toml (民法典 总则 to 侵权责任编, consumers, road traffic, civil
procedure, companies): a client's words reach the article a lawyer would cite, and not a neighbour's.

The questions are written for this test from the law text (none is taken from a question suite)."""

from __future__ import annotations

import pytest

from retrieval.lexicon import LEXICON_FILE, Lexicon


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.read(LEXICON_FILE)


@pytest.mark.parametrize(
    ("query", "reached", "not_reached"),
    [
        ("十六岁的孩子自己打工养活自己，签的合同算数吗？", "民法典第十八条", None),
        ("丈夫出走五年杳无音信，我能申请宣告他死亡吗？", "民法典第四十条、第四十六条", None),
        (
            "卖货时价格少写了一个零，买家要按这个价买，我能撤销吗？",
            "民法典第一百四十七条、第一百五十二条",
            None,
        ),
        ("他们威胁我不签就不让走，逼我写了欠条，有效吗？", "民法典第一百五十条、第一百五十二条", None),
        ("朋友背着我把我借给他的车卖给了不知情的人", "民法典第三百一十一条", None),
        ("楼下把住宅改成了民宿天天有人进出", "民法典第二百七十九条", None),
        ("小区电梯广告的收入应该归谁？", "民法典第二百八十二条", None),
        ("房子还有按揭贷款没还完，能先卖掉吗？", "民法典第四百零六条", None),
        (
            "修车厂说我没付修理费，扣着车不让我开走",
            "民法典第四百四十七条、第四百四十八条、第四百五十三条",
            None,
        ),
        (
            "想让老伴在我死后一直住在这套房子里",
            "民法典第三百六十六条、第三百六十七条、第三百六十八条、第三百七十一条",
            None,
        ),
        ("担保合同没写是哪种保证，我要担什么责任？", "民法典第六百八十六条", "民法典第六百八十七条"),
        ("银行不去找借款人，直接起诉我这个保证人", "民法典第六百八十七条", None),
        ("放在酒店寄存处的行李丢了", "民法典第八百九十七条、第八百九十八条", "民法典第八百八十八条"),
        (
            "看房后我绕过中介直接跟房东签了约",
            "民法典第九百六十五条",
            "民法典第九百六十二条、第九百六十三条、第九百六十四条",
        ),
        ("钱转错了账户，对方不肯退", "民法典第九百八十五条、第九百八十七条", None),
        ("遛狗不牵绳，把路人咬伤了", "民法典第一千二百四十六条", None),
        ("驾照扣满12分会怎样？", "道路交通安全法第二十四条", None),
        (
            "对方欠钱不还，去哪个法院起诉？",
            "民事诉讼法第二十二条、第二十四条、第二十九条",
            "民事诉讼法第一百二十二条、第一百二十三条、第一百二十六条",
        ),
        ("一审判决不服，多少天内能上诉？", "民事诉讼法第一百七十一条", None),
        ("小股东想查看公司的账本，公司不给", "公司法第五十七条", None),
        # neighbours: a criminal question, a trade mark, a loan with no interest agreed, a sublease
        ("喝醉以后打了人，醉了算不算不负责任？", None, "民法典第一千一百九十条"),
        ("有人用我的注册商标卖假货，能赔多少？", None, "消费者权益保护法第五十五条"),
        (
            "借钱时借条上没写利息，到期了能要利息吗？",
            "民法典第六百八十条",
            "民法典第六百七十六条；最高人民法院关于审理民间借贷案件适用法律若干问题的规定第二十八条",
        ),
        ("我把租的房子转给别人住，房东要收回", None, "民法典第六百五十八条"),
    ],
)
def test_a_civil_question_reaches_its_article_and_not_its_neighbours(
    lexicon: Lexicon, query: str, reached: str | None, not_reached: str | None
) -> None:
    sources = [e.source for _, e in lexicon.matches(query)]
    if reached:
        assert reached in sources, sources
    if not_reached:
        assert not_reached not in sources, sources


def test_every_stop_15_entry_can_be_skipped_by_its_hint(lexicon: Lexicon) -> None:
    """Each word of these entries needs some literal, so a question without it never compiles the entry."""
    from retrieval.lexicon import _entry_hint

    sources = [e.source for e in lexicon.entries]
    start, end = (
        sources.index("民法典第十八条"),
        sources.index("公司法第二百三十一条"),
    )  # the block's first and last
    unhinted = [e.source for e in lexicon.entries[start : end + 1] if _entry_hint(e) is None]
    assert not unhinted, unhinted
