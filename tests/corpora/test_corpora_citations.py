"""The grammar of an article's references to other articles (corpora.citations)."""

from __future__ import annotations

import pytest

from corpora.citations import article_keys, convicts_as, parse_citations, referred_articles


def test_an_article_that_convicts_as_another_crime_is_told_from_one_that_borrows_its_penalty() -> None:
    robbery_by_conversion = (
        "犯盗窃、诈骗、抢夺罪，为窝藏赃物、抗拒抓捕或者毁灭罪证而当场使用暴力或者以暴力相威胁的，"
        "依照本法第二百六十三条的规定定罪处罚。"
    )
    assert referred_articles(robbery_by_conversion) == [(263, 0, True)]
    assert convicts_as(robbery_by_conversion) == [(263, 0)]
    bribery_penalty = "对犯受贿罪的，根据受贿所得数额及情节，依照本法第三百八十三条的规定处罚。"
    assert referred_articles(bribery_penalty) == [(383, 0, False)] and convicts_as(bribery_penalty) == []
    assert convicts_as("依照本法第一百三十三条之一的规定定罪处罚") == [(133, 1)]
    assert referred_articles("处三年以下有期徒刑") == []


def test_paragraphs_listed_after_an_article_belong_to_it() -> None:
    text = "依照《中华人民共和国刑法》第二百六十四条、第六十七条第一款、第三款、第五十二条之规定"
    refs = parse_citations(text)
    assert [(r.number, r.paragraph, r.paragraphs) for r in refs] == [
        (264, None, ()),
        (67, 1, (1, 3)),
        (52, None, ()),
    ]
    assert refs[1].text == "第六十七条第一款、第三款"
    # the paragraph run no longer breaks the chain: 第五十二条 is still the Criminal Law's
    assert refs[2].law == "中华人民共和国刑法" and refs[2].law_inherited


def test_items_and_paragraphs_of_one_article_in_a_run() -> None:
    text = "《中华人民共和国刑法》第三百八十三条第一款第（一）项、第三款、第三百八十五条第一款"
    refs = parse_citations(text)
    assert [(r.number, r.item, r.paragraphs) for r in refs] == [(383, 1, (1, 3)), (385, None, (1,))]
    refs = parse_citations("著作权法第十条第（一）项和第（二）项")
    assert [(r.number, r.item, r.paragraphs, r.text) for r in refs] == [
        (10, 1, (), "著作权法第十条第（一）项和第（二）项")
    ]


def test_a_paragraph_alone_is_no_run_without_one_before_it() -> None:
    # 第三款 after a bare article is no paragraph of it; the next article is not swallowed either
    refs = parse_citations("刑法第六十七条、第三款，刑法第六十七条第一款及第六十八条")
    assert [(r.number, r.paragraphs, r.text) for r in refs] == [
        (67, (), "刑法第六十七条"),
        (67, (1,), "刑法第六十七条第一款"),
        (68, (), "第六十八条"),
    ]


def test_a_place_for_a_new_article_is_no_reference_to_it() -> None:
    amendment = (
        "在第三条后增加一条，作为第三条之一；将第五条修改为；在第一百三十三条之一后增加；在第二十条之一前增加"
    )
    assert article_keys(amendment, places=False) == [(3, 1), (5, 0)]
    assert article_keys(amendment) == [(3, 0), (3, 1), (5, 0), (133, 1), (20, 1)]


def test_a_document_number_between_the_title_and_the_article_keeps_the_title() -> None:
    """「《…盗窃…的解释》（法释〔2013〕8号）第十四条」 cites that interpretation's article, not 刑法第十四条 (the
    sentencing answer fetched 刑法第一条 and 第十四条 as sources for its own threshold citations)."""
    title = "最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释"
    (ref,) = parse_citations(f"罚金（《{title}》（法释〔2013〕8号）第十四条）")
    assert (ref.law, ref.number) == (title, 14)
    assert [(r.law, r.number) for r in parse_citations("《刑法》（第一版）中的第三条")] == [(None, 3)]


@pytest.mark.parametrize(
    ("text", "law"),
    [
        (
            "最高人民法院、最高人民检察院关于办理抢夺刑事案件适用法律若干问题的解释第六条",
            "最高人民法院、最高人民检察院关于办理抢夺刑事案件适用法律若干问题的解释",
        ),
        (
            "依照最高人民法院、最高人民检察院、公安部关于办理醉酒驾驶机动车刑事案件适用法律若干问题的意见第二条",
            "最高人民法院、最高人民检察院、公安部关于办理醉酒驾驶机动车刑事案件适用法律若干问题的意见",
        ),
        ("违反刑法、民法典第十条", "民法典"),  # two laws, not issuers: the second is the one cited
    ],
)
def test_a_joint_title_without_book_marks_keeps_its_issuers(text: str, law: str) -> None:
    """A joint interpretation cited without 《》 was read as the second issuer's title alone
    (最高人民检察院关于办理抢夺…), which no law has: the question suite could not cite it."""
    (ref,) = parse_citations(text)
    assert ref.law == law and text.endswith(ref.text)
