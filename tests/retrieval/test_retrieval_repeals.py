"""Laws the index's texts say were repealed, and the interpretations that apply them (retrieval.repeals).
Fictional texts written here."""

from __future__ import annotations

from retrieval.repeals import applied_law, repealed_laws

TEXTS = {
    1: "本法自2031年1月1日起施行。《中华人民共和国示例婚姻法》、《中华人民共和国示例合同法》同时废止。",
    2: "本法自2030年5月1日起施行。1990年公布的《中华人民共和国示例安全法》同时废止。",
    3: "违反本法规定的，由有关部门责令改正；拒不改正的，依法废止其许可。",
}
KNOWN = {"示例安全法": "示例安全法", "示例民法典": "示例民法典"}  # the 示例安全法 of 2030 is in the index


def test_the_laws_an_article_says_were_repealed_are_read_from_its_text() -> None:
    found = repealed_laws(TEXTS, TEXTS.__getitem__, KNOWN)
    assert set(found) == {"示例婚姻法", "示例合同法"}
    assert found["示例婚姻法"].by == 1
    # 《示例安全法》 of 1990 was repealed, but a law of that name is current: it is not taken as repealed
    assert "示例安全法" not in found


def test_an_interpretation_applying_a_repealed_law_is_named_by_it() -> None:
    repealed = repealed_laws(TEXTS, TEXTS.__getitem__, KNOWN)
    assert (
        applied_law("最高人民法院关于适用《中华人民共和国示例婚姻法》若干问题的解释（二）", repealed)
        == "示例婚姻法"
    )
    assert applied_law("最高人民法院关于适用〈示例合同法〉若干问题的解释", repealed) == "示例合同法"
    assert (
        applied_law("最高人民法院关于适用《中华人民共和国示例民法典》婚姻家庭编的解释（一）", repealed)
        is None
    )
    assert applied_law("最高人民法院关于审理示例安全案件的解释", repealed) is None


def test_a_held_document_is_superseded_only_by_a_later_one_of_another_title() -> None:
    """The 2030 rules repeal 《示例规则（试行）》 (held, 2020); the 2020 rules' repeal of the 2010 rules, whose
    title the 2030 rules bear, repeals nothing held; a document never repeals itself."""
    from retrieval.repeals import superseded_documents

    texts = {
        1: "本规则施行后，《示例规则（试行）》同时废止。",
        2: "本规则施行后，2010年发布的《示例规则》同时废止。",
        3: "《中华人民共和国示例税法》施行后，《中华人民共和国示例税暂行条例》同时废止。",
        4: "本法施行后，《示例规则》同时废止。",
    }
    titles = {1: "示例规则", 2: "示例规则（试行）", 3: "中华人民共和国示例税法", 4: "示例规则"}
    dates = {1: "2030-01-01", 2: "2020-01-01", 3: "2031-01-01", 4: "2030-01-01"}
    held = {
        "示例规则": "2030-01-01",
        "示例规则（试行）": "2020-01-01",
        "中华人民共和国示例税暂行条例": "1999-01-01",
    }
    found = superseded_documents(texts, texts.__getitem__, titles.__getitem__, dates.__getitem__, held)
    assert {t: r.by for t, r in found.items()} == {"示例规则（试行）": 1, "中华人民共和国示例税暂行条例": 3}
    # an undated repealing article proves nothing later
    found = superseded_documents(texts, texts.__getitem__, titles.__getitem__, lambda i: "", held)
    assert found == {}


def test_the_repeals_the_corpus_does_not_hold_are_data_with_their_decision(tmp_path) -> None:
    """retrieval/repeals_outside.toml: the labour-dispute interpretations 法释〔2020〕16号 abolished, which the corpus
    keeps unmarked; matched by title whatever its 《》 and 中华人民共和国; a broken file is one ValueError."""
    import pytest

    from retrieval.repeals import outside_repealed_titles, outside_repeals

    shipped = outside_repeals()
    held = [
        "最高人民法院关于审理劳动争议案件适用法律若干问题的解释（四）",
        "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）",
    ]
    found = outside_repealed_titles(held, shipped)
    assert list(found) == [held[0]]
    assert "法释〔2020〕16号" in found[held[0]].by and found[held[0]].since == "2021年1月1日"
    assert found[held[0]].successor == held[1]
    # the construction-contract interpretations of 2004 and 2018, replaced by 法释〔2020〕25号 (one title bare, one （二）)
    works = [
        "最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释",
        "最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（二）",
        "最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）",
    ]
    found = outside_repealed_titles(works, shipped)
    assert list(found) == works[:2] and {r.successor for r in found.values()} == {works[2]}
    # the 名誉权 解答 (1993) and 解释 (1998): their rules are 民法典's 人格权编 now
    honour = ["最高人民法院关于审理名誉权案件若干问题的解答", "最高人民法院关于审理名誉权案件若干问题的解释"]
    assert {r.successor for r in outside_repealed_titles(honour, shipped).values()} == {
        "中华人民共和国民法典"
    }
    broken = tmp_path / "repeals.toml"
    broken.write_text('[[repealed]]\ntitle = "只有标题"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the repeals"):
        outside_repeals(broken)


def test_a_decision_amending_an_interpretation_is_weighed_as_an_amendment() -> None:
    """「最高人民法院关于修改《…》的决定」 holds the consolidated interpretation's text again, as a 修正案 holds the
    law's: weighed by amendment_factor, so the consolidated document answers (a lawyer's review, stop 20, found
    such decisions cited as interpretations)."""
    from retrieval.search import Searcher
    from retrieval.settings import RetrievalSettings

    searcher = Searcher.__new__(Searcher)
    searcher.retrieval = RetrievalSettings()

    def prior(title: str, kind: str = "司法解释") -> float:
        entry = {"record_type": "article", "record": {"law_title": title, "current": True, "kind": kind}}
        return searcher._prior(entry)

    amending = (
        "最高人民法院关于修改《关于审理掩饰、隐瞒犯罪所得、犯罪所得收益刑事案件适用法律若干问题的解释》的决定"
    )
    consolidated = "最高人民法院关于审理掩饰、隐瞒犯罪所得、犯罪所得收益刑事案件适用法律若干问题的解释"
    assert prior(amending) == searcher.retrieval.amendment_factor * prior(consolidated)
    assert prior("中华人民共和国刑法修正案（十一）", "法律") == searcher.retrieval.amendment_factor * prior(
        "中华人民共和国刑法", "法律"
    )
