"""What the page shows for an answer: linked citations, source cards, checks, export, sentencing view."""

from __future__ import annotations

from assistant.agent.citation_check import CitationCheck
from assistant.sentencing import SimilarSummary
from assistant.ui import render, sentencing_view, texts
from assistant.ui.chat import ChatController
from assistant.ui.index_page import AdminAuth
from tests.assistant.assistant_fakes import (
    FakeAssistant,
    fictional_article,
    fictional_case,
    fictional_estimate,
)

ESTIMATE = fictional_estimate()


def test_source_marks_become_links_only_for_existing_sources_and_unverified_is_marked():
    out = render.link_sources("依据[1]和[2]，另见[9]。《合同法》第五十二条⚠未核实", n_sources=2)
    assert '<a href="#src-1"' in out and '<a href="#src-2"' in out
    assert "#src-9" not in out and "[9]" in out
    assert '<mark class="unverified">⚠未核实</mark>' in out


def test_notice_is_added_once_under_every_answer():
    plain = render.answer_markdown("答案[1]", 1, backend="本回答由检索到的法条和案例整理而成，未使用生成模型")
    assert texts.ANSWER_NOTICE in plain and "未使用生成模型" in plain
    with_service_disclaimer = render.answer_markdown("答案\n\n---\n【免责声明】…不构成法律意见；…", 0)
    assert texts.ANSWER_NOTICE not in with_service_disclaimer


def test_source_cards_show_law_article_version_status_and_escaped_full_text():
    old = fictional_article(
        "虚构法", 2, "第一款。\n第二款<script>x</script>", version="2001-02-03", current=False
    )
    html = render.sources_html([fictional_article("虚构法", 1, "全文一"), old])
    assert 'id="src-1"' in html and 'id="src-2"' in html
    assert "《虚构法》第二条" in html and "2001-02-03" in html and "非现行版本" in html and "现行有效" in html
    assert "第一款。<br>第二款&lt;script&gt;" in html and "<script>" not in html


def test_case_sources_show_their_outcome():
    case = fictional_case("t:1", "某日，被告人…", term_months=7)
    assert "有期徒刑 7 个月" in render.sources_html([case]) and "案例 t:1" in render.sources_html([case])


def test_checks_link_verified_and_mark_flagged():
    checks = [
        CitationCheck("刑法第264条", (0, 7), "verified", "", "刑法", 264, source=1),
        CitationCheck("《合同法》第五十二条", (8, 18), "repealed", "合同法已废止"),
    ]
    out = render.checks_html(checks)
    assert 'class="check-ok"' in out and '#src-1"' in out
    assert (
        '<li class="check-bad"><mark class="unverified">⚠已废止</mark> 《合同法》第五十二条 合同法已废止'
        in out
    )


def test_export_holds_each_question_answer_and_sources():
    turns = [
        {
            "question": "问一",
            "text": "答一[1]",
            "sources": [fictional_article("虚构法", 1, "条文甲")],
        },
        {"question": "问二", "text": "答二", "sources": []},
    ]
    md = render.export_markdown(turns)
    assert md.index("## 问题 1") < md.index("问一") < md.index("答一[1]") < md.index("[1] 《虚构法》第一条")
    assert "条文甲" in md and "## 问题 2" in md and texts.ANSWER_NOTICE in md


def test_sentencing_view_reads_the_estimate():
    assert sentencing_view.step_rows(ESTIMATE)[1] == [
        "盗窃（刑法第264条）", "自首", "4.8", "指导意见 三（五）", "（“主动投案”）",
    ]  # fmt: skip
    assert "主动到派出所投案" in sentencing_view.circumstances_html(ESTIMATE)
    assert sentencing_view.similar_terms(ESTIMATE) == [
        ("a", 6.0),
        ("c", 12.0),
    ]  # b (life) has no term to draw
    line = sentencing_view.summary_line(ESTIMATE)
    assert line == ESTIMATE.conclusion()  # the engine's own words
    assert (
        line.startswith("估计判处有期徒刑8个月（合理幅度有期徒刑6个月至10个月）")
        and "可以考虑宣告缓刑" in line
    )


def test_chart_draws_case_terms_and_marks_the_estimate():
    fig = sentencing_view.terms_chart(ESTIMATE)
    ax = fig.axes[0]
    assert [round(p.get_height()) for p in ax.patches if p.get_width() < 1] == [6, 12]
    assert any(list(line.get_ydata()) == [8.0, 8.0] for line in ax.lines)


def test_controller_streams_then_finishes_and_passes_the_history():
    fake = FakeAssistant()
    controller = ChatController(fake, max_question_chars=50)
    events = list(controller.stream("第一问", "statute", []))
    assert [k for k, _ in events] == ["token", "token", "final"]
    assert events[1][1] == events[2][1].text  # the streamed text adds up to the answer
    turns = [{"question": "第一问", "text": events[2][1].text, "sources": []}]
    list(controller.stream("第二问", "auto", turns))
    assert fake.calls[1][1] == [
        {"role": "user", "content": "第一问"},
        {"role": "assistant", "content": events[2][1].text},
    ]
    assert "问题过长" in controller.check_question("长" * 51)
    assert controller.check_question("短问题") is None


def test_controller_hands_the_view_the_answers_typed_parts():
    """The final event carries the service's Answer: NumberedSources, CitationChecks, a SentenceEstimate."""
    [*_, (kind, answer)] = ChatController(FakeAssistant(), max_question_chars=50).stream(
        "盗窃判多久？", "sentencing", []
    )
    assert kind == "final" and answer.route == "sentencing"
    [source] = answer.sources
    assert (
        source.n == 1
        and 'id="src-1"' in render.sources_html([source.hit])
        and "虚构条文：盗窃判多久？" in source.hit.text
    )
    out = render.checks_html(answer.citations)
    assert (
        "1 处已核实" in out and "1 处有问题" in out and "《虚构旧法》第九条 语料库中没有《虚构旧法》" in out
    )
    assert sentencing_view.step_rows(answer.sentencing)[0][:2] == ["盗窃（刑法第264条）", "量刑起点"]


def test_admin_auth():
    assert not AdminAuth("admin", "").enabled and not AdminAuth("admin", "").check("admin", "")
    auth = AdminAuth("admin", "s3cret")
    assert auth.check("admin", "s3cret")
    assert not auth.check("admin", "wrong") and not auth.check("root", "s3cret")


def test_chart_without_similar_terms_says_so():
    trace = fictional_estimate()
    trace.similar = SimilarSummary(cases=(), n_terms=0, median_months=None, q1_months=None, q3_months=None)
    ax = sentencing_view.terms_chart(trace).axes[0]
    assert any("没有" in t.get_text() for t in ax.texts) and not list(ax.get_xticks())
    assert any(list(line.get_ydata()) == [8.0, 8.0] for line in ax.lines)


def test_nonexistent_and_repealed_marks_are_highlighted_and_listed_as_such():
    from assistant.agent.citation_check import CitationCheck

    out = render.link_sources("刑法第五百条⚠该条不存在；《合同法》第五十二条⚠已废止", n_sources=0)
    assert (
        '<mark class="unverified">⚠该条不存在</mark>' in out
        and '<mark class="unverified">⚠已废止</mark>' in out
    )
    checks = [
        CitationCheck(
            "刑法第五百条",
            (0, 6),
            "nonexistent",
            "《中华人民共和国刑法》没有第五百条，该法最后一条是第四百五十二条",
        ),
        CitationCheck("《合同法》第五十二条", (7, 17), "repealed", "《合同法》已自2021年1月1日起废止"),
    ]
    html = render.checks_html(checks)
    assert "⚠该条不存在</mark> 刑法第五百条" in html and "最后一条是第四百五十二条" in html
    assert "⚠已废止</mark> 《合同法》第五十二条" in html and "2 处有问题" in html
