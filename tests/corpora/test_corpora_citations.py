"""The grammar of an article's references to other articles (corpora.citations)."""

from __future__ import annotations

from corpora.citations import convicts_as, referred_articles


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
