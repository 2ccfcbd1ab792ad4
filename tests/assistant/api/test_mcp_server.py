"""The MCP server, driven by the `mcp` client library over stdio against a server process on the
fixture searcher and the real corpus's law versions."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.agent.disclaimer import DISCLAIMER

HERE = Path(__file__).resolve().parent
TOOLS = {
    "search_law",
    "get_article",
    "validate_citation",
    "article_history",
    "estimate_sentence",
    "index_status",
}


def _run(coro_fn, *args: Any) -> Any:
    return asyncio.run(coro_fn(*args))


async def _session(
    corpus: Path, calls: list[tuple[str, dict[str, Any]]]
) -> tuple[set[str], list[Any], float]:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable,
        args=[str(HERE / "mcp_fixture_server.py"), str(corpus)],
        env={
            k: v for k, v in os.environ.items() if k.startswith(("LEGAL_", "HF_", "XDG_", "PYTHON", "PATH"))
        },
        cwd=str(HERE.parents[2]),
    )
    async with Client(params, read_timeout_seconds=120) as client:
        listed = {t.name for t in (await client.list_tools()).tools}
        results = []
        start = time.perf_counter()
        for name, arguments in calls:
            results.append(await client.call_tool(name, arguments))
        per_call = (time.perf_counter() - start) / max(1, len(calls))
    return listed, results, per_call


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if isinstance(data, dict) else data
    return json.loads(result.content[0].text)


@pytest.fixture(scope="module")
def session(shared_corpus: Path):
    calls = [
        ("validate_citation", {"citation": "民法典第一千四百三十八条"}),
        ("validate_citation", {"citation": "合同法第五十二条"}),
        ("validate_citation", {"citation": "刑法第二百六十四条"}),
        ("validate_citation", {"citation": "第五十二条"}),
        ("get_article", {"citation": "刑法第二百六十四条"}),
        ("article_history", {"citation": "刑法第三百九十条"}),
        ("search_law", {"query": "盗窃公私财物数额较大", "k": 3}),
        ("index_status", {}),
        ("get_article", {}),  # missing argument
        ("article_history", {"citation": "刑法第九百条"}),  # never existed
        ("get_article", {"citation": "刑法第二百六十四条", "on_date": "yesterday"}),
        ("get_article", {"citation": "刑法第三百九十条", "on_date": "2022-01-01"}),
        (
            "get_article",
            {"citation": "刑法第三百九十条", "on_date": "2024-01-15"},
        ),  # adopted, not yet in force
        ("get_article", {"citation": "刑法第三百九十条", "on_date": "2024-03-01"}),
    ]
    listed, results, per_call = _run(_session, shared_corpus, calls)
    print(f"MCP round trip over stdio: {per_call * 1000:.0f} ms per tool call")
    return listed, dict(zip(range(len(calls)), results, strict=True))


def test_lists_the_six_tools(session):
    listed, _ = session
    assert listed == TOOLS


def test_validate_citation_labels(session):
    _, r = session
    assert _data(r[0])["status"] == "nonexistent"
    superseded = _data(r[1])
    assert superseded["status"] == "repealed_or_superseded" and "民法典" in superseded["replacement"]["law"]
    verified = _data(r[2])
    assert verified["status"] == "verified" and verified["article"]["article"] == "第二百六十四条"
    assert _data(r[3])["status"] == "ambiguous"
    for k in range(4):
        assert _data(r[k])["disclaimer"] == DISCLAIMER and _data(r[k])["data_date"] == "2025-04-19"


def test_article_tools_answer_on_real_articles(session):
    _, r = session
    assert "盗窃公私财物" in _data(r[4])["article"]["text"]
    history = _data(r[5])
    assert [v["version"] for v in history["versions"]] == ["2023-12-29", "2020-12-26"]
    assert history["versions"][0]["in_force"] == "2024-03-01" and "刑法修正案（十二）" in history["summary"]
    hits = _data(r[6])["hits"]
    assert hits and hits[0]["law_id"] == "刑法" and hits[0]["article"] == "第二百六十四条"


def test_get_article_on_a_date_picks_the_version_then_in_force(session):
    _, r = session
    for k, version in ((11, "2020-12-26"), (12, "2020-12-26"), (13, "2023-12-29")):
        article = _data(r[k])["article"]
        assert article["version"] == version, (k, article)
        assert ("处五年以下有期徒刑" in article["text"]) == (version == "2020-12-26")


FACTS = "被告人盗窃他人财物价值三千元，到案后如实供述。"


def _check_estimate(data: dict[str, Any]) -> None:
    charge = data["estimate"]["charges"][0]
    assert "盗窃" in charge["charge"] and charge["article"] == 264 and charge["steps"]
    assert 0 < data["estimate"]["point_months"] <= 36  # 数额较大: 三年以下 (刑法第二百六十四条)
    assert DISCLAIMER in data["answer"] and data["disclaimer"] == DISCLAIMER


def test_index_status_reports_coverage_and_date(session):
    _, r = session
    data = _data(r[7])
    assert data["data_date"] == "2025-04-19" and data["corpus"]["laws"] > 1000


def test_bad_tool_calls_are_error_results(session):
    _, r = session
    assert r[8].is_error and "citation" in r[8].content[0].text
    assert r[9].is_error and "刑法没有第九百条" in r[9].content[0].text
    assert r[10].is_error and "not a date" in r[10].content[0].text


def test_estimate_sentence_returns_the_estimate_with_its_trace(searcher, shared_corpus):
    """In process (the stdio path is the same wrapper; its cold start is the slow test below)."""
    from assistant.api.mcp import LegalTools
    from assistant.services.answer import AssistantService
    from assistant.settings import load_settings
    from corpora.history import LawLibrary

    settings = load_settings(overrides={"corpus_dir": str(shared_corpus)})
    service = AssistantService(settings, searcher=searcher)
    tools = LegalTools(settings, searcher=searcher, service=service, library=LawLibrary(shared_corpus))
    _check_estimate(tools.estimate_sentence(FACTS))


@pytest.mark.slow  # a cold server process loads the whole agent (about 30 s on a busy machine)
def test_estimate_sentence_over_stdio(shared_corpus):
    _, results, _ = _run(_session, shared_corpus, [("estimate_sentence", {"facts": FACTS})])
    _check_estimate(_data(results[0]))


def test_without_an_index_the_tools_say_how_to_build_one(tmp_path, shared_corpus):
    from assistant.api.mcp import LegalTools, build_server
    from assistant.settings import load_settings

    settings = load_settings(
        overrides={"data_dir": str(tmp_path / "empty"), "corpus_dir": str(shared_corpus)}
    )
    server = build_server(LegalTools(settings))

    async def call() -> Any:
        from mcp import Client

        async with Client(server) as client:
            return await client.call_tool("search_law", {"query": "盗窃"})

    result = _run(call)
    assert result.is_error and "index build" in result.content[0].text
