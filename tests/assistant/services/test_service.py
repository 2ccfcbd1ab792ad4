"""Bad input and unavailable parts: each gets a clear message or a graceful answer, nothing raises."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.agent.disclaimer import DISCLAIMER
from assistant.cli import cli
from assistant.services.answer import AssistantService
from assistant.settings import load_settings
from tests.assistant.assistant_fakes import FakeSearcher


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("", "问题是空的"),
        ("   \n", "问题是空的"),
        ("盗" * 100_000, "问题过长：100,000 个字符，上限为 4,000"),
        ("How long is the sentence for theft in China?", "中文"),
    ],
)
def test_bad_questions_get_a_clear_message(service_with, searcher, question, words):
    answer = service_with().answer(question)
    assert answer.route == "invalid" and words in answer.text
    assert not searcher.calls  # nothing was searched


def test_unknown_mode(service_with):
    assert "未知的模式" in service_with().answer("盗窃怎么判？", mode="poetry").text


def test_missing_index_says_how_to_build_it():
    service = AssistantService(load_settings())  # the autouse fixture points data_dir at an empty tmp dir
    answer = service.answer("盗窃他人财物三千元，可能判多久？")
    assert answer.route == "error" and "legal-assistant index build" in answer.text
    # the service stays usable: a second question gets the same clear answer, not an exception
    assert "index build" in service.answer("醉酒驾驶机动车会判什么刑？").text


def test_missing_model_folder_falls_back_with_one_line(service_with, tmp_path):
    service = service_with(**{"llm.mode": "transformers", "llm.model": str(tmp_path / "no-such-model")})
    answer = service.answer("刑法第二百六十四条是怎么规定的？")
    first = answer.text.splitlines()[0]
    assert "生成模型不可用" in first and "llm.model folder not found" in first and "检索式回答" in first
    assert "盗窃公私财物" in answer.text and DISCLAIMER in answer.text
    assert any("llm.model folder not found" in n for n in answer.notes)


def test_no_model_configured_is_extractive_by_default(service_with):
    answer = service_with(**{"llm.mode": "transformers"}).answer("刑法第二百六十四条是怎么规定的？")
    assert answer.backend == "本回答由检索到的法条和案例整理而成，未使用生成模型"


def test_failure_inside_the_agent_becomes_an_answer(service_with, searcher, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(searcher, "search", broken)
    answer = service_with().answer("商标侵权的赔偿数额怎么确定？")
    assert answer.route == "error" and "disk on fire" in answer.text


def test_an_unreadable_retrieval_resource_is_one_clear_answer_and_the_service_stays(
    service_with, searcher, monkeypatch
):
    """A bank setting naming no folder (a typo) or a broken bank file is said in one line, as an index problem
    is, not as a failure to retry."""
    from retrieval.question_bank import BankError

    def broken(*args, **kwargs):
        raise BankError("the question bank /tmp/no-such-bank does not exist")

    monkeypatch.setattr(searcher, "search", broken)
    service = service_with()
    answer = service.answer("商标侵权的赔偿数额怎么确定？")
    assert answer.route == "error" and "法律索引暂时不可用" in answer.text and "no-such-bank" in answer.text
    assert "回答时出错" not in answer.text and DISCLAIMER in answer.text
    assert (
        service.answer("商标侵权的赔偿数额怎么确定？").route == "error"
    )  # asked again: the same, no exception


def test_answer_to_dict_is_json(service_with):
    data = service_with().answer("盗窃他人财物三千元，有自首情节，可能判多久？").to_dict()
    text = json.dumps(data, ensure_ascii=False, default=str)
    assert data["sources"][0]["n"] == 1 and data["sources"][0]["number"] == 264
    assert data["sentencing"]["point_months"] > 0 and "citations" in data and "自首" in text


def _cli(monkeypatch, *args: str):
    monkeypatch.setattr(AssistantService, "_open_searcher", lambda self: FakeSearcher.from_fixture())
    return CliRunner().invoke(cli, ["ask", *args])


def test_ask_streams_then_prints_the_check_and_disclaimer(monkeypatch):
    result = _cli(monkeypatch, "刑法第二百六十四条是怎么规定的？")
    assert result.exit_code == 0, result.output
    assert "盗窃公私财物" in result.output and "引用核验" in result.output and DISCLAIMER in result.output
    assert "[1] 《中华人民共和国刑法》第二百六十四条" in result.output


def test_ask_json(monkeypatch):
    result = _cli(monkeypatch, "盗窃他人财物三千元，有自首情节，可能判多久？", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"answer", "sources", "citations", "sentencing", "route", "backend"}
    assert data["route"] == "sentencing" and data["sentencing"]["circumstances"]


def test_ask_refuses_an_empty_question_in_one_line(monkeypatch):
    result = _cli(monkeypatch, "  ")
    assert result.exit_code != 0 and "问题是空的" in result.output and "Traceback" not in result.output


def test_ask_forced_mode(monkeypatch):
    result = _cli(monkeypatch, "商标侵权的赔偿数额怎么确定？", "--mode", "general", "--json")
    assert json.loads(result.output)["route"] == "general"


def test_ask_follow_up_with_earlier_questions(monkeypatch):
    result = _cli(
        monkeypatch, "如果盗窃的是15万元呢？", "--earlier", "盗窃他人财物4800元，可能判多久？", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sentencing"]["quantities"]["amount_yuan"] == 150000
    assert {"kind": "数额", "name": "", "value": "15万元", "words": "15万元", "message": 2} in data["facts"][
        "facts"
    ]
