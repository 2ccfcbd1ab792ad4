"""The citation check, driven by a scripted fake model through the whole agent and directly."""

from __future__ import annotations

import pytest

from assistant.agent.citation_check import NONEXISTENT, REPEALED, SECTION_TITLE, UNVERIFIED, CitationChecker
from assistant.backends.base import NumberedSource
from corpora.citations import normalize_law_name, parse_citations
from tests.assistant.assistant_fakes import FakeHit, FakeSearcher


def _article(law_id, title, number, text, collection="statutes", kind="法律", number_cn=""):
    from corpora.numerals import int_to_cn

    number_cn = number_cn or f"第{int_to_cn(number)}条"
    return FakeHit(
        f"{law_id}#a{number}",
        collection,
        f"《{title}》{number_cn}",
        title,
        law_id,
        number,
        0,
        number_cn,
        text,
        kind=kind,
    )


UNFAIR = "最高人民法院关于适用《中华人民共和国反不正当竞争法》若干问题的解释"
MARRIAGE = "最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（二）"
COMPANY = "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（{}）"
EXTRA = [
    # 民法典第一千二百六十条 as the corpus has it: the repeals are read from the repealing law's own words.
    _article(
        "民法典",
        "中华人民共和国民法典",
        1260,
        "本法自2021年1月1日起施行。《中华人民共和国婚姻法》、《中华人民共和国继承法》、《中华人民共和国民法通则》、"
        "《中华人民共和国收养法》、《中华人民共和国担保法》、《中华人民共和国合同法》、《中华人民共和国物权法》、"
        "《中华人民共和国侵权责任法》、《中华人民共和国民法总则》同时废止。",
    ),
    _article(
        "反不正当竞争法",
        "中华人民共和国反不正当竞争法",
        9,
        "经营者不得实施下列侵犯商业秘密的行为。（虚构测试条文）",
    ),
    _article(UNFAIR, UNFAIR, 9, "企业名称的认定。（虚构测试条文）", "interpretations", "司法解释"),
    _article(MARRIAGE, MARRIAGE, 10, "彩礼的返还。（虚构测试条文）", "interpretations", "司法解释"),
    _article(UNFAIR, UNFAIR, 15, "商业诋毁的认定。（虚构测试条文）", "interpretations", "司法解释"),
    _article(
        COMPANY.format("一"),
        COMPANY.format("一"),
        3,
        "公司设立。（虚构测试条文）",
        "interpretations",
        "司法解释",
    ),
    _article(
        COMPANY.format("二"),
        COMPANY.format("二"),
        3,
        "公司解散。（虚构测试条文）",
        "interpretations",
        "司法解释",
    ),
]


class CatalogSearcher(FakeSearcher):
    """The fake searcher with the real Searcher's catalogue methods (law names, a law's articles)."""

    def law_names(self):
        known = {}
        for h in self.hits:
            if h.law_id:
                known[normalize_law_name(h.law_title)] = h.law_id
                known[h.law_id] = h.law_id
        return known

    def articles_of(self, law_id):
        return sorted({(h.number, h.suffix) for h in self.hits if h.law_id == law_id and h.current})

    def applies_repealed_law(self, law_title):
        from retrieval.repeals import applied_law, repealed_laws

        texts = {i: h.text for i, h in enumerate(self.hits) if "废止" in h.text}
        repealed = repealed_laws(texts, texts.__getitem__, self.law_names())
        name = applied_law(law_title, repealed)
        return None if name is None else (name, self.hits[repealed[name].by])


@pytest.fixture
def searcher() -> FakeSearcher:
    return CatalogSearcher([*FakeSearcher.from_fixture().hits, *EXTRA])


def _sources(searcher, *keys):
    hits = [searcher.get_article(law, n, suf) for law, n, suf in keys]
    return [NumberedSource(i, h) for i, h in enumerate(hits, 1)]


def test_invented_article_and_repealed_law_are_flagged(service_with, fake_model):
    fake_model.enqueue("根据刑法第五百条，盗窃应当从重处罚；另见《合同法》第五十二条关于合同无效的规定。")
    answer = service_with(fake_model).answer("盗窃他人财物三千元怎么处理？", mode="general")
    flagged = {c.text: c.status for c in answer.unverified}
    assert flagged == {"刑法第五百条": "nonexistent", "《合同法》第五十二条": "repealed"}
    assert f"刑法第五百条{NONEXISTENT}" in answer.text
    assert f"《合同法》第五十二条{REPEALED}" in answer.text
    section = answer.text[answer.text.index(SECTION_TITLE) :]
    # the law's last article in the index, and the repeal by what and since when, from 民法典第一千二百六十条
    assert "《中华人民共和国刑法》没有第五百条，该法最后一条是第二百六十四条" in section
    assert "《合同法》已自2021年1月1日起废止（《中华人民共和国民法典》第一千二百六十条）" in section


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
    assert any(c.status == "nonexistent" for c in CitationChecker(searcher).check(fake_quote, sources).checks)
    assert quoted


def test_a_cross_reference_in_a_sentence_copied_without_quotation_marks_is_the_source_s(searcher):
    """A conclusion quotes the answering sentence without “”: 「依照刑法第二百一十七条[1]，…本法第二百六十四条…」.
    Its cross-reference is the law's own words, not a citation of the answer's (stop 20: 民法典第一千零六十二条's
    「但是本法第一千零六十三条第三项规定的除外」 was flagged ⚠未核实)."""
    sources = _sources(searcher, ("刑法", 217, 0))
    text = "".join(sources[0].hit.text.split())
    at = text.index("本法第二百六十四条")
    copied = text[max(0, at - 20) : at + len("本法第二百六十四条") + 6]
    answer = f"**结论**：依照刑法第二百一十七条[1]，{copied}。"
    assert [c.text for c in CitationChecker(searcher).check(answer, sources).checks] == ["刑法第二百一十七条"]
    # the same citation in the answer's own words is checked
    own = "**结论**：依照刑法第二百一十七条[1]，另可参照本法第二百六十四条。"
    assert any(
        c.text.endswith("本法第二百六十四条") for c in CitationChecker(searcher).check(own, sources).checks
    )


def test_no_citations_says_so(searcher):
    checked = CitationChecker(searcher).check("这个问题需要更多事实。", [])
    assert checked.checks == () and "没有引用具体法条" in checked.text


def _statuses(searcher, answer, sources=()):
    return {c.text: c.status for c in CitationChecker(searcher).check(answer, list(sources)).checks}


def test_every_class_of_citation(searcher):
    sources = _sources(searcher, ("刑法", 264, 0))
    answer = (
        "刑法第二百六十四条规定了盗窃罪。另见商标法第六十三条、刑法第五百条、《合同法》第五十二条、"
        "刑法第三百九十条、刑法第一千零零条、公司法解释第三条和虚构不存在法第一条。"
    )
    assert _statuses(searcher, answer, sources) == {
        "刑法第二百六十四条": "verified",
        "商标法第六十三条": "in_index",  # exists and in force, not among this answer's sources
        "刑法第五百条": "nonexistent",
        "《合同法》第五十二条": "repealed",
        "刑法第三百九十条": "outdated",  # only an older version is in the index
        "刑法第一千零零条": "unreadable",
        "公司法解释第三条": "ambiguous",
        "虚构不存在法第一条": "unknown_law",
    }


def test_nonexistent_paragraph_is_said_not_to_exist(searcher):
    checked = CitationChecker(searcher).check("刑法第二百六十四条第五款", [])
    (c,) = checked.checks
    assert c.status == "nonexistent" and "只有1款" in c.reason


def test_interpretation_article_is_never_read_as_the_laws(searcher):
    law9, interp9 = searcher.get_article("反不正当竞争法", 9), searcher.get_article(UNFAIR, 9)
    sources = [NumberedSource(1, law9), NumberedSource(2, interp9)]
    answer = (
        f"《{UNFAIR}》第九条[2]规定了企业名称；该解释第十五条另有规定。反不正当竞争法解释第九条[2]也是如此。"
    )
    checks = CitationChecker(searcher).check(answer, sources).checks
    by_text = {c.text: c for c in checks}
    first = by_text[f"《{UNFAIR}》第九条"]
    assert (first.status, first.source, first.law) == ("verified", 2, UNFAIR)
    # the short name people use, followed by its own source: verified by that source, no 不是第九条 flag
    short = by_text["反不正当竞争法解释第九条"]
    assert (short.status, short.source) == ("verified", 2)
    assert not [c for c in checks if c.status == "wrong_source"]
    # a bare 第十五条 after the interpretation was named is the interpretation's (not in the sources here)
    bare = [c for c in checks if c.number == 15][0]
    assert (bare.law, bare.status) == (UNFAIR, "in_index")


def test_nested_title_is_one_citation():
    (ref,) = parse_citations(f"《{UNFAIR}》第九条")
    assert (ref.law, ref.number) == (UNFAIR, 9)
    (ref,) = parse_citations("情形（反不正当竞争法第九条第四款）")
    assert (ref.law, ref.number, ref.paragraph) == ("反不正当竞争法", 9, 4)
    (ref,) = parse_citations("著作权法第十条第一款第（十二）项")
    assert (ref.law, ref.number, ref.paragraph, ref.item) == ("著作权法", 10, 1, 12)


@pytest.mark.parametrize(
    ("written", "ok"),
    [("二百六十四", True), ("一千零五", True), ("一千零一十", True), ("十", True), ("两百", True), ("264", True),
     ("一千零零", False), ("十十五", False), ("一百零", False)],
)  # fmt: skip
def test_malformed_article_numbers_are_named(written, ok):
    (ref,) = parse_citations(f"刑法第{written}条")
    assert (ref.problem is None) is ok


def test_statute_question_for_a_nonexistent_article_says_so_and_quotes_no_other(service_with):
    answer = service_with().answer("刑法第五百条是怎么规定的？")
    body = answer.text.split(SECTION_TITLE)[0]
    assert "《中华人民共和国刑法》没有第五百条" in body and "该法最后一条是第二百六十四条" in body
    assert "**法条原文**" not in body and "不是所问条文的内容" in body
    # The other articles are quoted, and only after the answer that the asked one does not exist.
    assert "“" in body and body.index("没有第五百条") < body.index("“")


def test_statute_question_for_a_repealed_law_names_the_repeal(service_with):
    answer = service_with().answer("合同法第五十二条是怎么规定的？")
    body = answer.text.split(SECTION_TITLE)[0]
    assert "《合同法》已自2021年1月1日起废止" in body and "《中华人民共和国民法典》" in body
    assert "**法条原文**" not in body


def test_malformed_number_gets_a_clear_message(service_with):
    answer = service_with().answer("刑法第一千零零条是怎么规定的？")
    assert "条号写法有误：“一千零零”不是规范的中文数字" in answer.text
    assert "**法条原文**" not in answer.text


def test_ambiguous_law_name_asks_which_one(service_with):
    answer = service_with().answer("公司法解释第三条是什么？")
    body = answer.text.split(SECTION_TITLE)[0]
    assert "“公司法解释”对应多部法律文件" in body and "请说明是哪一部" in body
    assert f"《{COMPANY.format('一')}》" in body and f"《{COMPANY.format('二')}》" in body


def test_traditional_question_is_answered_like_its_simplified_form(service_with):
    simplified = service_with().answer("盗窃公私财物三千元，有自首情节，判多久？")
    traditional = service_with().answer("盜竊公私財物三千元，有自首情節，判多久？")
    assert traditional.route == simplified.route == "sentencing"
    assert [s.hit.record_id for s in traditional.sources] == [s.hit.record_id for s in simplified.sources]


def test_question_over_the_limit_gets_the_limit_message(service_with):
    service = service_with()
    limit = service.settings.ui.max_question_chars
    answer = service.answer("“" + "盗窃" * limit + "”")
    assert answer.route == "invalid" and f"上限为 {limit:,} 个字符" in answer.text


def test_last_article_is_found_without_a_listing_of_the_law():
    """A searcher that cannot list a law's articles: the last one is found by doubling and bisecting."""
    hits = [_article("虚构法", "虚构法", n, f"虚构条文{n}。（虚构测试条文）") for n in range(1, 38)]
    checked = CitationChecker(FakeSearcher(hits)).check("虚构法第九十条", [])
    (c,) = checked.checks
    assert c.status == "nonexistent" and c.reason == "《虚构法》没有第九十条，该法最后一条是第三十七条"


def test_an_interpretation_of_a_repealed_law_is_said_to_be_so(searcher):
    """Its text is in the index as a current document, but 民法典第一千二百六十条 repealed the law it interprets."""
    checked = CitationChecker(searcher).check(f"《{MARRIAGE}》第十条规定彩礼应当返还。", [])
    (c,) = checked.checks
    assert c.status == "repealed" and c.flagged
    assert "婚姻法" in c.reason and "2021年1月1日" in c.reason and "民法典》第一千二百六十条" in c.reason
    # an interpretation of a law in force is checked as usual
    assert _statuses(searcher, f"《{UNFAIR}》第九条") == {f"《{UNFAIR}》第九条": "in_index"}


def test_a_title_of_a_series_written_without_book_marks_is_one_citation():
    """…若干问题的解释（二）第十条 names the second interpretation's article, not a bare 第十条 of any law."""
    (ref,) = parse_citations(f"{MARRIAGE}第十条")
    assert (ref.law, ref.number) == (MARRIAGE, 10)
    (short,) = parse_citations("公司法解释（三）第十三条")
    assert (short.law, short.number) == ("公司法解释（三）", 13)


def test_a_document_repealed_by_a_decision_the_corpus_lacks_is_labelled_so(searcher) -> None:
    """法释〔2020〕16号 is not in the corpus; retrieval/repeals_outside.toml names what it repealed, and a citation
    of such a document says so, with the decision, the date and the successor, never ✓现行有效."""
    from assistant.agent.citation_status import StatusResolver, for_question
    from retrieval.repeals import OutsideRepeal

    law = EXTRA[0].law_title if EXTRA else searcher.hits[0].law_title

    class Outside(CatalogSearcher):
        def repealed_outside(self, law_title):
            return (
                OutsideRepeal(law_title, "《某决定》（法释〔2020〕16号）", "2021年1月1日", "某新解释")
                if law_title == law
                else None
            )

    hit = next(h for h in searcher.hits if h.law_title == law and h.collection != "cases")
    resolver = StatusResolver(Outside(searcher.hits))
    (status,) = for_question(resolver, f"《{law}》{hit.number_cn}")
    assert status.kind == "repealed" and "法释〔2020〕16号" in status.message and "某新解释" in status.message


def test_an_article_a_repealed_answer_document_lacks_is_said_missing_and_its_repeal_named(searcher):
    """A title ending in 解答 is a document's name (「最高人民法院关于审理名誉权案件若干问题的解答第七条」 had been read
    as a bare 第七条 and answered with 宪法第七条); that 解答 numbers its answers 一、二、 and was abolished by
    法释〔2020〕16号, so the article is said missing and the repeal named (stop 20)."""
    from assistant.agent.citation_status import StatusResolver
    from retrieval.repeals import OutsideRepeal

    title = "最高人民法院关于审理虚构案件若干问题的解答"
    (ref,) = parse_citations(f"{title}第七条是怎么规定的？")
    assert ref.law == title and ref.number == 7

    class Lacking(FakeSearcher):
        def repealed_outside(self, law_title: str) -> OutsideRepeal | None:
            if law_title != title:
                return None
            return OutsideRepeal(
                title, "《虚构的废止决定》（法释〔2020〕16号）", "2021年1月1日", "中华人民共和国民法典"
            )

    lacking = Lacking(
        [*searcher.hits, _article(title, title, 1, "虚构的第一条。", "interpretations", "司法解释")]
    )
    status = StatusResolver(lacking).resolve(ref)
    assert status.kind == "nonexistent"
    assert "没有第七条" in status.message and "已自2021年1月1日起废止" in status.message


def test_an_interpretation_cited_by_its_number_is_not_fetched_from_the_criminal_law():
    """A lawyer's review (stop 26): 「（依据法释〔2022〕5号第三条[3]至第五条[4]）」 had fetched 刑法第三条 and 第五条 as the
    sources of the interpretation's articles, and the citation check verified them."""
    from assistant.agent.planning import cited_articles
    from tests.assistant.assistant_fakes import FakeSearcher

    searcher = FakeSearcher.from_fixture()
    text = "按盗窃罪（刑法第二百六十四条）估算（依据法释〔2013〕8号第四十二条至第四十五条），缓刑见第七十二条"
    assert [(h.law_id, h.number) for h in cited_articles(searcher, text)] == [("刑法", 264), ("刑法", 72)]
