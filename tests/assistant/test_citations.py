"""The citation check, driven by a scripted fake model through the whole agent and directly."""

from __future__ import annotations

from assistant.backends.base import NumberedSource
from assistant.citations import SECTION_TITLE, UNVERIFIED, CitationChecker


def _sources(searcher, *keys):
    hits = [searcher.get_article(law, n, suf) for law, n, suf in keys]
    return [NumberedSource(i, h) for i, h in enumerate(hits, 1)]


def test_invented_article_and_repealed_law_are_flagged(service_with, fake_model):
    fake_model.enqueue("根据刑法第五百条，盗窃应当从重处罚；另见《合同法》第五十二条关于合同无效的规定。")
    answer = service_with(fake_model).answer("盗窃他人财物三千元怎么处理？", mode="general")
    flagged = {c.text: c.status for c in answer.unverified}
    assert flagged == {"刑法第五百条": "not_found", "《合同法》第五十二条": "repealed"}
    assert f"刑法第五百条{UNVERIFIED}" in answer.text
    assert f"《合同法》第五十二条{UNVERIFIED}" in answer.text
    section = answer.text[answer.text.index(SECTION_TITLE) :]
    assert "刑法第五百条" in section and "《合同法》已于2021年1月1日废止" in section
    assert "民法典" in section


def test_answer_citing_only_retrieved_articles_flags_nothing(service_with, fake_model, searcher):
    fake_model.enqueue(
        "依照《中华人民共和国刑法》第二百六十四条[1]，盗窃数额较大的处三年以下有期徒刑；"
        "自首的，依照刑法第67条可以从轻处罚。"
    )
    service = service_with(fake_model)
    answer = service.answer("盗窃他人财物三千元，有自首情节，依照哪些法条处理？", mode="general")
    numbers = {(s.hit.law_id, s.hit.number): s.n for s in answer.sources}
    assert ("刑法", 264) in numbers and ("刑法", 67) in numbers
    assert answer.unverified == []
    assert UNVERIFIED not in answer.text
    statuses = {c.text: (c.status, c.source) for c in answer.citations}
    assert statuses["《中华人民共和国刑法》第二百六十四条"] == ("verified", numbers[("刑法", 264)])
    assert statuses["刑法第67条"] == ("verified", numbers[("刑法", 67)])
    assert f"刑法第67条[{numbers[('刑法', 67)]}]" in answer.text  # the verified citation links to its source
    # the fake model saw the numbered sources in its prompt
    prompt = fake_model.calls[0][0][-1]["content"]
    assert f"[{numbers[('刑法', 264)]}] 《中华人民共和国刑法》第二百六十四条" in prompt


def test_bare_article_takes_the_law_named_before_it(searcher):
    sources = _sources(searcher, ("刑法", 264, 0), ("刑法", 67, 0))
    checked = CitationChecker(searcher).check(
        "《刑法》第二百六十四条规定了盗窃罪；有自首的，适用第六十七条。", sources
    )
    bare = [c for c in checked.checks if c.text == "第六十七条"][0]
    assert (bare.law, bare.number, bare.status, bare.source) == ("刑法", 67, "verified", 2)


def test_bare_article_with_no_law_named_is_flagged(searcher):
    sources = _sources(searcher, ("商标法", 63, 0))
    checked = CitationChecker(searcher).check("适用第六十七条。", sources)
    assert [c.status for c in checked.checks] == ["no_law"]


def test_bad_source_number_old_version_and_wrong_marker(searcher):
    sources = _sources(searcher, ("刑法", 264, 0), ("刑法", 67, 0))
    answer = "刑法第二百六十四条[2]规定了盗窃罪[9]。刑法第三百九十条也有规定。"
    checks = {c.text: c.status for c in CitationChecker(searcher).check(answer, sources).checks}
    assert checks["[9]"] == "bad_source"
    assert checks["[2]"] == "wrong_source"  # [2] is article 67, not 264
    assert checks["刑法第三百九十条"] == "outdated"  # only an old version is in the index


def test_existing_article_not_retrieved_is_listed_but_not_flagged(searcher):
    sources = _sources(searcher, ("刑法", 264, 0))
    checked = CitationChecker(searcher).check("另参见商标法第六十三条。", sources)
    (c,) = checked.checks
    assert c.status == "in_index" and not c.flagged
    assert UNVERIFIED not in checked.text and "不在本次检索来源中" in checked.text


def test_labour_contract_law_is_not_mistaken_for_the_repealed_contract_law(searcher):
    checked = CitationChecker(searcher).check("《劳动合同法》第十条要求订立书面合同。", [])
    assert [c.status for c in checked.checks] == ["in_index"]


def test_citations_inside_a_verbatim_quotation_of_a_source_are_the_sources(searcher):
    sources = _sources(searcher, ("刑法", 217, 0))
    quoted = "“" + sources[0].hit.text[:60] + "”"
    assert "本法第二百六十四条" in sources[0].hit.text
    answer = f"刑法第二百一十七条[1]：“{sources[0].hit.text}”"
    checks = CitationChecker(searcher).check(answer, sources).checks
    assert [c.text for c in checks] == ["刑法第二百一十七条"]
    # an invented quotation is not a source's text: the citation inside it is checked
    fake_quote = "刑法第二百一十七条[1]：“依照本法第九百条处罚，这是编造的引文内容”"
    assert any(c.status == "not_found" for c in CitationChecker(searcher).check(fake_quote, sources).checks)
    assert quoted


def test_no_citations_says_so(searcher):
    checked = CitationChecker(searcher).check("这个问题需要更多事实。", [])
    assert checked.checks == () and "没有引用具体法条" in checked.text
