"""Chinese numerals and article labels at their edges."""

from __future__ import annotations

import re

import pytest

from corpora.numerals import (
    NUMBER,
    article_label,
    cn_to_int,
    heading_name,
    int_to_cn,
    parse_article_label,
    read_number,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("二百六十四", 264),
        ("四百五十二", 452),
        ("一千二百六十", 1260),
        ("一千零五", 1005),
        ("两千", 2000),
        ("一〇五", 105),
        ("一万五千", 15000),
        ("三万", 30000),
        ("264", 264),
        ("十万八千", 108000),
        ("两千五百", 2500),
        ("一万零五", 10005),
        ("一千零五十", 1050),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 100, 101, 110, 133, 264, 1005, 1260, 10005, 15000])
def test_int_to_cn_round_trips(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize("bad", ["", "条", "abc", "一x"])
def test_cn_to_int_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        cn_to_int(bad)


def test_article_labels() -> None:
    assert parse_article_label("第一百三十三条之一 在道路上") == (133, 1, "第一百三十三条之一")
    assert parse_article_label("第二百六十四条 盗窃") == (264, 0, "第二百六十四条")
    assert parse_article_label("第264条") == (264, 0, "第264条")
    assert parse_article_label("本法第二条") is None
    assert article_label(133, 1) == "第一百三十三条之一"
    assert article_label(1010) == "第一千零一十条"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the colloquial tail: a digit right after a unit counts in the next unit down
        ("四万八", 48000),
        ("两万八", 28000),
        ("3万2", 32000),
        ("一万五", 15000),
        ("3千5", 3500),
        ("两千五", 2500),
        ("三万二千五", 32500),
        ("一百三", 130),
        # digits and units mixed, and digits alone
        ("1.5万", 15000),
        ("4,800", 4800),
        ("4万5千", 45000),
        ("一亿二千万", 120_000_000),
    ],
)
def test_read_number_as_people_write_sums(text: str, value: float) -> None:
    assert read_number(text) == value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("前前后后骗了我妈四万八，这人", "四万八"),
        ("价格认定是3万2，到底按哪个算", "3万2"),
        ("偷了4万5千元", "4万5千"),
        ("损失数万元", None),  # 数万 names no figure
    ],
)
def test_number_pattern_takes_the_whole_figure(text: str, found: str | None) -> None:
    m = re.search(NUMBER, text)
    assert (m.group(0) if m else None) == found


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("第五章 侵犯财产罪", "侵犯财产罪"),
        ("第二节 合同的效力", "合同的效力"),
        ("第一分编 通则", "通则"),  # 民法典 合同编 and 物权编 have 分编 between 编 and 章
        ("第三编　合同", "合同"),
        ("第十章", ""),
        ("附则", "附则"),
        ("第一百条", "第一百条"),  # an article label is no heading
    ],
)
def test_heading_name_drops_the_heading_number(heading: str, name: str) -> None:
    assert heading_name(heading) == name
