"""`eval answers` on the fictional fixture index: the first cited article, the body, conclusion first."""

from __future__ import annotations

from assistant.agent.citation_check import SECTION_TITLE
from assistant.agent.disclaimer import DISCLAIMER
from assistant.evaluation.answers import first_cited, score_answers
from assistant.services.answer import Answer, body_of
from retrieval.quality import Question, resolve_gold


def _questions(searcher):
    return [
        Question(
            "刑法第二百六十四条是怎么规定的？", resolve_gold(searcher, ["刑法第二百六十四条"], "q1"), "刑事"
        ),
        Question("劳动关系要订立书面合同吗？", resolve_gold(searcher, ["商标法第六十三条"], "q2"), "劳动"),
        Question(
            "商标侵权的赔偿数额怎么确定？", resolve_gold(searcher, ["商标法第六十三条"], "q3"), "知识产权"
        ),
    ]


def test_the_body_is_the_answer_before_its_check_and_disclaimer(service_with):
    answer = service_with().answer("商标侵权的赔偿数额怎么确定？")
    assert SECTION_TITLE in answer.text and DISCLAIMER in answer.text
    assert answer.text.startswith(answer.body)
    assert SECTION_TITLE not in answer.body and DISCLAIMER not in answer.body
    assert answer.to_dict()["body_chars"] == len(answer.body)
    assert answer.conclusion.startswith("**结论**") and answer.leads_with_conclusion


def test_a_refused_question_is_its_own_body(service_with):
    answer = service_with().answer("")
    assert answer.body == answer.text.strip() and answer.conclusion == answer.body


def test_body_of_cuts_the_last_section_only():
    text = f"**结论**：见下。\n\n“引文”\n\n{SECTION_TITLE}\n- ✓ 第一条\n\n---\n{DISCLAIMER}\n"
    assert body_of(text) == "**结论**：见下。\n\n“引文”"
    quoted_first = Answer(
        "q",
        f"*本回答由检索到的法条和案例整理而成，未使用生成模型*\n\n“第一款 原文照录的条文内容”\n\n**结论**：……\n\n{SECTION_TITLE}",
    )
    assert quoted_first.conclusion == "“第一款 原文照录的条文内容”" and not quoted_first.leads_with_conclusion
    note_first = Answer("q", "*标签*\n\n> **结论**：按盗窃罪估算。\n\n- 刑法第二百六十四条：“盗窃……”")
    assert note_first.conclusion == "**结论**：按盗窃罪估算。" and note_first.leads_with_conclusion
    term = Answer(
        "q",
        "*标签*\n\n> **结论**：数额3000元，达到“较大”的标准。\n\n- 刑法第二百六十四条：“盗窃公私财物，数额较大的……”",
    )
    assert term.leads_with_conclusion  # a defined term in quotation marks is no quotation of a source
    named = Answer(
        "q",
        "*标签*\n\n**结论**：依照《解释》第十二条[1]，有下列情形之一的，属于行政诉讼法第二十五条第一款规定的“与行政行为有利害关系”：\n\n"
        "- 《解释》第十二条[1]：“有下列情形之一的……”",
    )
    assert named.leads_with_conclusion  # a longer term, as the article names it (规定的“…”)
    said = Answer(
        "q", "*标签*\n\n**结论**：依照刑法第十七条[1]，规定的“已满十六周岁的人犯罪，应当负刑事责任”。"
    )
    assert (
        not said.leads_with_conclusion
    )  # a sentence of the law in quotation marks is a quotation all the same


def test_first_cited_skips_citations_the_index_lacks(searcher):
    hit = first_cited("依照商标法第九百条和《中华人民共和国商标法》第六十三条[1]，……", searcher)
    assert hit is not None and hit.number == 63
    assert first_cited("没有引用。", searcher) is None


def test_scores_count_the_first_cited_article_per_area(service_with, searcher):
    service = service_with()
    # no sentencing question (the first fits the charge ranking from the corpus: seconds)
    scores = score_answers(service.answer, searcher, "fixture", _questions(searcher), warm_up="商标是什么？")
    rights = [r.right for r in scores.rows]
    # the labour question's gold is deliberately another law's article: the answer cites 劳动合同法第十条
    assert rights == [True, False, True]
    assert scores.rows[1].first.endswith("劳动合同法》第十条")
    m = scores.metrics()
    assert m["answers"] == 3 and m["first_right"] == round(2 / 3, 3)
    assert m["by_area"] == {"刑事": 1.0, "劳动": 0.0, "知识产权": 1.0}
    assert 0 < m["median_body_chars"] < m["median_chars"]
    assert m["p95_ms"] >= m["p50_ms"] > 0 and m["conclusion_first"] == 1.0 and m["without_sources"] == 0
    assert scores.to_dict()["questions"][0]["question"] == "刑法第二百六十四条是怎么规定的？"


def test_the_command_without_an_index_says_so_in_one_line():
    from click.testing import CliRunner

    from assistant.cli import cli

    result = CliRunner().invoke(cli, ["eval", "answers", "--set", "everyday"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error:" in result.output and len(result.output.strip().splitlines()) == 1


def test_a_declined_question_is_counted_apart_from_conclusion_first(service_with, searcher):
    declined = Question("今天天气怎么样？", frozenset(), "其他")
    scores = score_answers(service_with().answer, searcher, "fixture", [declined], warm_up=None)
    m = scores.metrics()
    assert scores.rows[0].route == "non_legal" and scores.rows[0].sources == 0
    assert m["without_sources"] == 1 and m["first_right"] == 0.0
