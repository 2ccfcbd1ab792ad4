"""Chinese numerals and article labels at their edges."""

from __future__ import annotations

import pytest

from corpora.numerals import article_label, cn_to_int, int_to_cn, parse_article_label


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
