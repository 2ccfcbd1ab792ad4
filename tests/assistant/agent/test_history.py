"""History questions: the CLI, the service's history route and the 「历次修改」 part of source cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.agent import history_answers
from assistant.cli import cli
from assistant.services.answer import AssistantService
from assistant.settings import load_settings
from assistant.ui.history_view import history_section
from assistant.ui.render import source_card
from corpora.history import LawLibrary

FIXTURE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "history"


@pytest.fixture(scope="module")
def lib() -> LawLibrary:
    return LawLibrary(FIXTURE)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("刑法第三百九十条修改了什么？", "article"),
        ("修正案（十二）改了哪些条文？", "amendment"),
        ("民事诉讼法2023年修改了哪些条文？", "version"),
        ("刑法第三百九十条的修改历史", "article"),
        ("刑法第390条新旧对比", "article"),
    ],
)
def test_history_questions_are_recognised(question, kind, shared_corpus):
    lib = LawLibrary(shared_corpus)
    assert history_answers.is_history_question(question)
    assert history_answers.parse_history_query(question, lib).kind == kind


@pytest.mark.parametrize(
    "question", ["盗窃三千元判几年？", "刑法第二百六十四条怎么规定的？", "离婚后孩子归谁"]
)
def test_other_questions_are_not_history_questions(question):
    assert not history_answers.is_history_question(question)


def test_cli_history_json_follows_the_renumbered_article(tmp_path):
    result = CliRunner().invoke(cli, ["--corpus", str(FIXTURE), "history", "虚构法第五条", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(v["article"], v["status"]) for v in data["versions"]] == [
        ("第五条", "changed"),
        ("第四条", "oldest"),
    ]
    assert data["versions"][0]["in_force"] == "2023-10-01" and data["data_date"] == "2025-04-19"
    assert ["insert", "", "特别"] in data["versions"][0]["diff"]


def test_cli_history_text_names_the_amendment_and_the_missing_version():
    result = CliRunner().invoke(cli, ["--corpus", str(FIXTURE), "history", "虚构法第二条"])
    assert result.exit_code == 0, result.output
    assert "《中华人民共和国虚构法修正案（一）》一、" in result.output
    assert "~~三~~**五**" in result.output
    assert "语料库没有以下版本的全文，无法比较（不作推测）：2018-03-01" in result.output


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("虚构法第九十九条", "虚构法没有第九十九条"),
        ("实施细则第一条", "“实施细则”可以指2部法律：虚构乙实施细则、虚构甲实施细则"),
        ("不存在法第一条", "没有名为“不存在法”的法律"),
    ],
)
def test_cli_history_bad_input_is_one_line(query, message):
    result = CliRunner().invoke(cli, ["--corpus", str(FIXTURE), "history", query])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_service_answers_history_questions_from_the_corpus(searcher):
    service = AssistantService(load_settings(overrides={"corpus_dir": str(FIXTURE)}), searcher=searcher)
    answer = service.answer("虚构法第二条修改了什么？")
    assert answer.route == "history"
    assert "2023-06-01 版" in answer.text and "~~三~~**五**" in answer.text
    assert "不构成法律意见" in answer.text
    amendment = service.answer("虚构法修正案（一）改了哪些条文？")
    assert "第二条" in amendment.text and "第三条" in amendment.text and amendment.route == "history"
    bad = service.answer("虚构法第九十九条修改了什么？")
    assert "虚构法没有第九十九条" in bad.text and bad.route == "history"


def test_history_mode_forces_the_route_and_asks_for_a_target(searcher):
    service = AssistantService(load_settings(overrides={"corpus_dir": str(FIXTURE)}), searcher=searcher)
    answer = service.answer("这部法律怎么变的", mode="history")
    assert answer.route == "history" and "刑法第三百九十条修改了什么" in answer.text


def test_real_history_answer_has_sources_with_their_history_and_the_card_shows_the_diff(
    searcher, shared_corpus
):
    service = AssistantService(load_settings(overrides={"corpus_dir": str(shared_corpus)}), searcher=searcher)
    answer = service.answer("刑法第三百九十条修改了什么？")
    assert answer.route == "history" and "刑法修正案（十二）" in answer.text
    assert answer.sources and answer.sources[0].hit.number == 390
    card = source_card(1, answer.sources[0].hit)
    assert "历次修改" in card and ">五</del>" in card and ">三</ins>" in card
    assert any(c.status == "verified" for c in answer.citations) and not answer.unverified


def test_source_cards_of_ordinary_answers_carry_history(searcher, shared_corpus):
    service = AssistantService(load_settings(overrides={"corpus_dir": str(shared_corpus)}), searcher=searcher)
    answer = service.answer("对犯行贿罪的怎么处罚？刑法第三百九十条")
    cards = [history_section(s.hit) for s in answer.sources if s.hit.law_id == "刑法" and s.hit.number == 390]
    assert cards and "2023-12-29 版" in cards[0]


def test_unchanged_article_history_says_so_and_names_older_amendments(searcher, shared_corpus):
    hit = searcher.get_article("刑法", 264)
    rows = history_answers.source_history(hit, LawLibrary(shared_corpus))
    assert [r["status"] for r in rows[:-1]] == ["unchanged", "oldest"]
    assert "中华人民共和国刑法修正案（八）" in {a["title"] for a in rows[-1]["earlier_amendments"]}
    assert "与上一版本相同" in history_section(type("H", (), {"metadata": {"history": rows}})())
