"""The chat carries the case facts from one turn to the next; the sentencing view reads the typed estimate."""

from __future__ import annotations

from assistant.agent.conversation import CaseFacts
from assistant.sentencing import estimate_sentence
from assistant.ui import sentencing_view
from assistant.ui.chat import ChatController
from tests.assistant.assistant_fakes import FakeAssistant


def test_the_last_turns_facts_go_with_the_next_question():
    fake = FakeAssistant()
    controller = ChatController(fake, max_question_chars=50)
    facts = CaseFacts.from_messages(["盗窃4800元"])
    turns = [{"question": "盗窃4800元", "text": "…", "sources": [], "facts": facts}]
    list(controller.stream("如果是15万元呢？", "auto", turns))
    list(controller.stream("第一问", "auto", []))  # a cleared conversation: no facts
    assert fake.facts_seen == [facts, None]


def test_the_view_reads_the_engines_typed_estimate():
    estimate = estimate_sentence("醉酒驾驶机动车，血液酒精含量180mg/100ml，到案后自首", ["危险驾驶"], [133])
    rows = sentencing_view.step_rows(estimate)
    assert rows and rows[0][0] == "危险驾驶（刑法第133条之一）"
    assert "自首" in sentencing_view.circumstances_html(estimate)
    low, high, point, kind = sentencing_view.estimate_of(estimate)
    assert (low, high, point, kind) == (
        estimate.low_months,
        estimate.high_months,
        estimate.point_months,
        estimate.kind,
    )
    assert sentencing_view.summary_line(estimate).startswith(f"估计判处{estimate.kind}")  # the engine's words
    assert sentencing_view.terms_chart(estimate).axes


def test_the_view_plots_no_term_where_the_amount_is_missing(shared_corpus):
    """An amount-based crime told without its amount gets its ranges, not a term (issue 10): the chart and
    the summary line show none either; the summary gives the engine's words with the ranges."""
    from assistant.evaluation.sentencing import criminal_law_texts

    texts = criminal_law_texts(shared_corpus)
    estimate = estimate_sentence("公司出纳利用职务便利把公司的钱转到自己卡上花了", ["职务侵占"], [271], texts)
    assert estimate.figure_missing is not None
    assert sentencing_view.estimate_of(estimate)[:3] == (None, None, None)
    line = sentencing_view.summary_line(estimate)
    assert "不估计具体刑期" in line and "无法估计" not in line
    assert sentencing_view.terms_chart(estimate).axes
