"""One law in several files: copies collapse, the latest version in force is current."""

from __future__ import annotations

from pathlib import Path

from corpora.laws import parse_law_file, resolve_versions, version_in_force

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "corpora" / "mini"
RULES = sorted((MINI / "laws" / "行政法规").glob("虚构法实施细则*.md"))


def _docs(paths: list[Path]):
    return [parse_law_file(p, MINI) for p in paths]


def test_versions_of_one_law() -> None:
    assert len(RULES) == 3  # 2010, 2023 and an undated copy of 2023
    docs = resolve_versions(_docs(RULES), today="2025-01-01")
    assert len(docs) == 2, "the undated identical copy collapses into the dated one"
    assert {d.law_id for d in docs} == {"虚构法实施细则"}
    by_version = {d.version: d for d in docs}
    assert set(by_version) == {"2010-01-09", "2023-12-11"}
    assert by_version["2023-12-11"].source_file.endswith("(2023-12-11).md")
    assert all(a.current for a in by_version["2023-12-11"].articles)
    assert not any(a.current for a in by_version["2010-01-09"].articles)
    old_second = next(a for a in by_version["2010-01-09"].articles if a.number == 2)
    assert old_second.text == "旧版本的第二条。"
    ids = [a.record_id for d in docs for a in d.articles]
    assert len(ids) == len(set(ids)), "older versions stay queryable under their own ids"


def test_version_in_force_by_date() -> None:
    docs = resolve_versions(_docs(RULES), today="2025-01-01")
    assert [d.version for d in version_in_force(docs, "2015-06-01")] == ["2010-01-09"]
    assert [d.version for d in version_in_force(docs, "2024-02-01")] == ["2023-12-11"]
    # the 2023 text applies from its effective date (2024-01-20), not its publication date
    assert [d.version for d in version_in_force(docs, "2024-01-01")] == ["2010-01-09"]
    assert version_in_force(docs, "2000-01-01") == []


def test_future_version_is_kept_but_not_current() -> None:
    docs = resolve_versions(_docs(RULES), today="2024-01-01")
    current = {d.version for d in docs if d.articles[0].current}
    assert current == {"2010-01-09"}


def test_parts_of_one_code_are_one_current_law() -> None:
    parts = sorted((MINI / "laws" / "民法典").glob("[!_]*.md"))
    docs = resolve_versions(_docs(parts), today="2025-01-01")
    assert len(docs) == 2
    articles = [a for d in docs for a in d.articles]
    assert {a.law_title for a in articles} == {"中华人民共和国虚构法典"}
    assert {a.law_id for a in articles} == {"虚构法典"}
    assert sorted(a.number for a in articles) == [1, 2, 3, 4]
    assert all(a.current for a in articles)
    third = next(a for a in articles if a.number == 3)
    assert third.path == ("分则编", "第一分编 通则", "第一章 一般规定")


def test_same_version_with_other_text_does_not_collide(tmp_path: Path) -> None:
    src = RULES[1].read_text(encoding="utf-8")
    a = tmp_path / "laws" / "行政法规" / "虚构法实施细则(2023-12-11).md"
    b = tmp_path / "laws" / "经济法" / "虚构法实施细则(2023-12-11).md"
    for path, text in ((a, src), (b, src.replace("新增的第三条。", "另一份文本的第三条。"))):
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    docs = resolve_versions([parse_law_file(a, tmp_path), parse_law_file(b, tmp_path)], today="2025-01-01")
    assert len(docs) == 2
    current = [d for d in docs if d.articles[0].current]
    assert len(current) == 1, "only one of two rival copies is current"
    assert any("other text" in w for d in docs for w in d.warnings)
    ids = [a.record_id for d in docs for a in d.articles]
    assert len(ids) == len(set(ids))
