"""Parsing one law file: titles, dates, structure, articles, parts, encodings, failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.laws import (
    LawParseError,
    classify_kind,
    parse_header_dates,
    parse_law_file,
    parse_law_text,
    short_title_of,
)

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "corpora" / "mini"

LAW = MINI / "laws" / "民法商法" / "虚构商事法.md"
REPLY = MINI / "laws" / "司法解释" / "最高人民法院关于虚构问题的批复(2020-05-06).md"


def test_fictional_law_header_and_identity() -> None:
    doc = parse_law_file(LAW, MINI)
    assert doc.title == "中华人民共和国虚构商事法"
    assert (doc.short_title, doc.law_id, doc.kind, doc.category) == (
        "虚构商事法",
        "虚构商事法",
        "法律",
        "民法商法",
    )
    assert (doc.adopted, doc.amended, doc.effective) == ("2001-03-15", "2023-12-29", "2024-07-01")
    assert doc.version == "2023-12-29"
    assert doc.source_file == "laws/民法商法/虚构商事法.md"
    assert doc.numbering == "article"


def test_articles_paths_suffixes_and_items() -> None:
    doc = parse_law_file(LAW, MINI)
    keys = [a.article_key for a in doc.articles]
    assert keys == ["1", "2", "3", "3-1", "4", "101"]
    by_key = {a.article_key: a for a in doc.articles}
    third = by_key["3"]
    assert third.number_cn == "第三条"
    assert third.path == ("第一编 总则", "第二章 经营者", "第一节 登记")
    # items and a "一、" line inside an article stay in that article
    assert third.text.split("\n") == [
        "经营者应当登记。有下列情形之一的，不予登记：",
        "（一）未提交材料的；",
        "（二）材料虚假的。",
        "一、本行以“一、”开头，但属于第三条。",
        "前款规定以外的，依照其他规定。",
    ]
    assert by_key["3-1"].number_cn == "第三条之一" and by_key["3-1"].suffix == 1
    assert by_key["4"].path[-1] == "第二节 经营"
    # "第三十一条的决定…" is prose that begins with a label, not an article
    assert by_key["4"].text.endswith("第三十一条的决定另行规定。")
    assert by_key["101"].path == ("第二编 附则", "第三章 附则")
    assert by_key["1"].path == ("第一编 总则", "第一章 一般规定")  # double space collapsed
    assert all(a.effective == "2024-07-01" and a.version == "2023-12-29" for a in doc.articles)


def test_document_numbered_by_parts() -> None:
    doc = parse_law_file(REPLY, MINI)
    assert doc.kind == "司法解释"
    assert doc.numbering == "part"
    assert [(a.number, a.number_cn) for a in doc.articles] == [(1, "一、"), (2, "二、"), (3, "三、")]
    assert doc.articles[1].text == "有下列情形之一的，从重处理：\n（一）情节严重的；\n（二）多次实施的。"
    assert doc.articles[2].text == "本批复自2020年5月8日起施行。\n此复。"
    assert (doc.adopted, doc.effective, doc.version) == ("2020-04-20", "2020-05-08", "2020-05-06")


def test_document_without_articles_is_one_record() -> None:
    doc = parse_law_file(MINI / "laws" / "其他" / "虚构说明.md", MINI)
    assert len(doc.articles) == 1
    rec = doc.articles[0]
    assert rec.numbering == "whole" and rec.number == 1
    assert rec.text == "本文件既没有条，也没有一、二、编号。\n它应当作为一个整体记录保留。"
    assert doc.version == "" and doc.kind == "其他"


def test_gb18030_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "laws" / "行政法规" / "虚构条例.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        "# 虚构条例\n\n2019年3月2日 公布\n\n<!-- INFO END -->\n\n第一条 虚构条例的第一条。\n".encode(
            "gb18030"
        )
    )
    doc = parse_law_file(path, tmp_path)
    assert doc.title == "虚构条例" and doc.kind == "行政法规"
    assert doc.articles[0].text == "虚构条例的第一条。"
    assert any("GB18030" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("content", "reason", "line"),
    [
        (b"\xff\xfe\x00\x81\x30\x81\xff", "cannot decode", 0),
        ("没有标题的一行\n第一条 内容。\n".encode(), "no title", 1),
        (b"\n\n", "no title", 0),
        ("# 只有标题\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n".encode(), "no text", 7),
    ],
)
def test_unusable_files_raise_with_reason_and_line(
    tmp_path: Path, content: bytes, reason: str, line: int
) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(LawParseError) as info:
        parse_law_file(path, tmp_path)
    assert reason in info.value.reason
    assert info.value.line == line
    assert info.value.file == "bad.md"


def test_header_dates_several_per_line() -> None:
    dates = parse_header_dates(["（2002年3月15日最高人民法院公告公布 自2002年3月26日起施行）"])
    assert dates == {"adopted": "2002-03-15", "amended": None, "effective": "2002-03-26"}
    dates = parse_header_dates(
        ["1979年7月1日 通过", "1997年3月14日 修订", "2020年12月26日 通过的《刑法修正案（十一）》"]
    )
    assert dates["adopted"] == "1979-07-01" and dates["amended"] == "2020-12-26"


def test_dates_after_info_end_are_used_when_header_has_none() -> None:
    text = "# 虚构规定\n\n<!-- INFO END -->\n\n（2002年3月15日公告公布 自2002年3月26日起施行）\n\n正文。\n"
    doc = parse_law_text(text, "laws/司法解释/虚构规定.md", "司法解释")
    assert (doc.adopted, doc.effective) == ("2002-03-15", "2002-03-26")


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("中华人民共和国专利法实施细则（2010年修订）", "专利法实施细则"),
        ("中华人民共和国刑法 (2023-12-29)", "刑法"),
        ("中华人民共和国宪法修正案（1988年）", "宪法修正案（1988年）"),
        (
            "最高人民法院关于执行《中华人民共和国刑法》 确定罪名的规定",
            "最高人民法院关于执行《中华人民共和国刑法》确定罪名的规定",
        ),
    ],
)
def test_short_titles(title: str, short: str) -> None:
    assert short_title_of(title) == short


@pytest.mark.parametrize(
    ("category", "title", "kind"),
    [
        ("刑法", "中华人民共和国刑法修正案（十二）", "法律"),
        ("宪法", "中华人民共和国宪法", "宪法"),
        ("行政法规", "中华人民共和国专利法实施细则", "行政法规"),
        ("司法解释", "关于审理非法行医刑事案件具体应用法律若干问题的解释", "司法解释"),
        ("诉讼与非诉讼程序法", "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", "司法解释"),
        ("部门规章", "关于职工全年月平均工作时间和工资折算问题的通知", "部门规章"),
        ("案例", "某某诉某公司服务合同纠纷案", "案例"),
        ("其他", "人体损伤程度鉴定标准", "其他"),
    ],
)
def test_kinds(category: str, title: str, kind: str) -> None:
    assert classify_kind(category, title) == kind
