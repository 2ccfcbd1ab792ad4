"""Article history across versions: the fictional 虚构法 (two versions and one amendment), then the real corpus.

Expected outcomes are read off the fixture texts: 修正案（一） (2023-06-01, in force 2023-10-01) rewrote
第二条, inserted a new 第三条 (so the old 第三条 became 第四条 unchanged) and turned 第四条 into a
changed 第五条.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.history import AmbiguousLawError, HistoryError, LawLibrary, align, diff_text

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "history"


@pytest.fixture(scope="module")
def lib() -> LawLibrary:
    return LawLibrary(FIXTURE)


def test_versions_carry_dates_from_the_header_and_the_amendment(lib):
    versions = lib.versions("虚构法")
    assert [v.version for v in versions] == ["2020-01-01", "2023-06-01"]
    assert versions[-1].in_force == "2023-10-01"  # from 修正案（一）四、, not from the law's header
    assert versions[0].in_force is None  # the corpus does not say when the 2020 text took effect


def test_changed_article_has_both_versions_a_diff_and_its_amendment(lib):
    h = lib.article_history("虚构法", 2)
    assert [v.version for v in h.versions] == ["2023-06-01", "2020-01-01"]
    newest = h.versions[0]
    assert newest.status == "changed" and newest.in_force == "2023-10-01"
    assert "[-三-]{+五+}" in diff_text(newest.diff) and "{+或者拘役+}" in diff_text(newest.diff)
    assert [(a.title, p.label) for a, p in newest.amendments] == [
        ("中华人民共和国虚构法修正案（一）", "一、")
    ]
    assert h.versions[1].status == "oldest"
    assert (
        h.missing == ["2018-03-01"] or h.missing == []
    )  # the header's only revision before 2020 is 2020 itself


def test_renumbered_article_is_followed_by_content(lib):
    h = lib.article_history("虚构法", 4)  # today's 第四条 was 第三条 in 2020, word for word
    assert [(v.number_cn, v.status) for v in h.versions] == [("第四条", "renumbered"), ("第三条", "oldest")]
    h = lib.article_history("虚构法", 5)  # today's 第五条 was 第四条, with 巨大 → 特别巨大
    assert [(v.number_cn, v.status) for v in h.versions] == [("第五条", "changed"), ("第四条", "oldest")]
    assert "{+特别+}" in diff_text(h.versions[0].diff)
    assert [p.label for _, p in h.versions[0].amendments] == ["三、"]


def test_new_article_has_one_version_marked_added(lib):
    h = lib.article_history("虚构法", 3)
    assert [(v.number_cn, v.status) for v in h.versions] == [("第三条", "added")]
    assert [p.label for _, p in h.versions[0].amendments] == ["二、"]  # 在第二条后增加 does not touch 第二条


def test_footnote_is_not_a_change(lib):
    h = lib.article_history("虚构法", 6)
    assert h.versions[0].status == "renumbered" and h.versions[0].diff == []


def test_compare_counts_matches_and_loose_articles(lib):
    old, new, changes = lib.compare("虚构法")
    got = sorted((c.status, c.old and c.old.number, c.new and c.new.number) for c in changes)
    assert got == [
        ("added", None, 3),
        ("changed", 2, 2),
        ("changed", 4, 5),
        ("renumbered", 3, 4),
        ("renumbered", 5, 6),
        ("unchanged", 1, 1),
    ]


def test_amendment_names_resolve(lib):
    a = lib.find_amendment("修正案（一）")
    assert a.title == "中华人民共和国虚构法修正案（一）" and a.in_force == "2023-10-01"
    assert [p.targets for p in a.parts] == [((2, 0),), ((3, 0),), ((4, 0), (5, 0)), ()]
    with pytest.raises(HistoryError, match="没有"):
        lib.find_amendment("修正案（九）")


def test_bad_input_is_one_clear_error(lib):
    with pytest.raises(HistoryError, match="虚构法没有第九十九条"):
        lib.article_history("虚构法", 99)
    with pytest.raises(AmbiguousLawError, match="虚构乙实施细则、虚构甲实施细则"):
        lib.article_history("实施细则", 1)
    with pytest.raises(HistoryError, match="没有名为“不存在法”的法律"):
        lib.article_history("不存在法", 1)
    with pytest.raises(HistoryError, match="只有一个版本"):
        lib.compare("虚构甲实施细则")


def test_align_pairs_by_similarity_inside_a_changed_stretch(lib):
    old, new = lib.versions("虚构法")
    statuses = {c.status for c in align(old.articles, new.articles)}
    assert statuses == {"unchanged", "changed", "renumbered", "added"}


# --- the real corpus ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_corpus: Path) -> LawLibrary:
    return LawLibrary(shared_corpus)


def test_real_criminal_law_amendment_12_changed_exactly_seven_articles(real):
    old, new, changes = real.compare("刑法")
    assert (old.version, new.version) == ("2020-12-26", "2023-12-29")
    assert new.in_force == "2024-03-01" and old.in_force == "2021-03-01"
    changed = sorted(c.new.number for c in changes if c.status == "changed")
    assert changed == [165, 166, 169, 387, 390, 391, 393]
    assert not [c for c in changes if c.status in ("added", "removed", "renumbered")]


# The words each article gained and lost, read off 刑法修正案（十二） against the 2020 text.
CHANGED_WORDS = {
    165: (["其他公司、企业的董事、监事、高级管理人员违反法律、行政法规规定", "监事、高级管"], "经"),
    166: (["其他公司、企业的工作人员违反法律、行政法规规定", "、接受服务"], "向"),
    169: (["其他公司、企业直接负责的主管人员，徇私舞弊"], ""),
    387: (["；情节特别严重的，处三年以上十年以下有期徒刑"], "五"),
    390: (["有下列情形之一的，从重处罚", "调查突破、"], "五"),
    391: (["；情节严重的，处三年以上七年以下有期徒刑，并处罚金"], ""),
    393: (["情节特别严重的，处三年以上十年以下有期徒刑"], "五"),
}


@pytest.mark.parametrize("number", sorted(CHANGED_WORDS))
def test_real_article_history_has_dates_diff_and_amendment(real, number):
    h = real.article_history("刑法", number)
    newest, older = h.versions[0], h.versions[1]
    assert (newest.version, newest.in_force, newest.status) == ("2023-12-29", "2024-03-01", "changed")
    assert (older.version, older.in_force, older.status) == ("2020-12-26", "2021-03-01", "oldest")
    assert [a.title for a, _ in newest.amendments] == ["中华人民共和国刑法修正案（十二）"]
    inserted = "".join(b for op, _, b in newest.diff if op in ("insert", "replace"))
    deleted = "".join(a for op, a, _ in newest.diff if op in ("delete", "replace"))
    gained, lost = CHANGED_WORDS[number]
    assert all(words in inserted for words in gained), inserted
    assert lost in deleted
    assert "1997-03-14" in h.missing  # the 1997 text is named in the header, not held in the corpus


def test_real_earlier_amendments_are_listed_without_text(real):
    h = real.article_history("刑法", 390)
    assert ("中华人民共和国刑法修正案（九）", "2015-08-29") in {
        (a.title, a.adopted) for a, _ in h.earlier_amendments
    }


def test_real_civil_procedure_2023_renumbering_is_matched_by_content(real):
    old, new, changes = real.compare("民事诉讼法", "2023")
    assert (old.version, new.version) == ("2021-12-24", "2023-09-01")
    renumbered = [c for c in changes if c.renumbered]
    loose = [c for c in changes if c.status in ("added", "removed")]
    assert len(renumbered) > 50 and len(loose) < 25
    # 2021's 第二百七十一条 (涉外 …) keeps its words as 2023's 第二百七十五条
    pair = next(c for c in changes if c.old and c.old.number == 271)
    assert pair.new is not None and pair.new.number == 275
