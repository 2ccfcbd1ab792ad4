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
