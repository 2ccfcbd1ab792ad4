"""An article's text on a past day: a judgment applies the law of its time (刑法第十二条)."""

from __future__ import annotations

from pathlib import Path

from corpora.in_force import texts_in_force


def test_article_163_before_amendment_eleven_has_the_wording_amendment_six_gave_it(
    shared_corpus: Path,
) -> None:
    then = texts_in_force(shared_corpus, "刑法", "2015-10-29")
    # 刑法修正案（六）七、: 数额较大的，处五年以下有期徒刑或者拘役 (修正案（十一） made it 三年以下 from 2021-03-01)
    assert "数额较大的，处五年以下有期徒刑或者拘役" in then[(163, 0)]
    assert "“" not in then[(163, 0)] and "”" not in then[(163, 0)]
    # 修正案（八） (2011-05-01) gave 第三百三十八条 严重污染环境 … 后果特别严重; 修正案（十一） 情节严重
    assert "后果特别严重的" in then[(338, 0)]
    # 开设赌场: 三年以下 until 修正案（十一）
    assert "开设赌场的，处三年以下有期徒刑" in then[(303, 0)]


def test_articles_unchanged_since_the_day_and_unheld_wordings_are_left_out(shared_corpus: Path) -> None:
    then = texts_in_force(shared_corpus, "刑法", "2015-10-29")
    assert (264, 0) not in then  # 盗窃: unchanged since 修正案（八）
    # 第二百一十三条 was changed only by 修正案（十一）: its 1997 wording is not in the corpus
    assert (213, 0) not in then
    assert texts_in_force(shared_corpus, "刑法", "2025-01-01") == {}
