"""The index/search/bench commands, in process, with the fake embedder standing in for the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from retrieval_fakes import FakeEmbedder

from assistant.cli import cli

HISTORY = (
    Path(__file__).resolve().parent.parent / "fixtures" / "retrieval" / "history" / "示例刑法(2019-01-01).md"
)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    fake = FakeEmbedder()
    monkeypatch.setenv("LEGAL_ASSISTANT__EMBEDDING__MODEL", FakeEmbedder.name)
    for module in ("retrieval.index", "retrieval.search", "retrieval.bench"):
        monkeypatch.setattr(f"{module}.load_embedder", lambda *a, **k: fake)
    return CliRunner()


def _ok(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_build_search_update_status(runner, corpus_copy: Path, swap_file) -> None:
    law = corpus_copy / "laws" / "刑法" / "示例刑法.md"
    current = law.resolve()
    swap_file(law, HISTORY)
    out = _ok(runner, ["--corpus", str(corpus_copy), "index", "build"])
    assert "indexed 19 records" in out and "statutes 14" in out
    hits = json.loads(_ok(runner, ["search", "示例刑法264条", "--json", "-k", "3"]))
    assert hits[0]["citation"] == "《中华人民共和国示例刑法》第二百六十四条" and hits[0]["number"] == 264
    assert set(hits[0]) >= {"law_title", "number", "citation", "text", "score", "version"}
    text = _ok(runner, ["search", "多次盗窃", "--kind", "interpretations"])
    assert text.startswith("1. 《最高人民法院关于审理示例盗窃案件适用法律若干问题的解释》第二条")
    swap_file(law, current)
    out = _ok(runner, ["--corpus", str(corpus_copy), "index", "update"])
    assert "示例刑法: added 第一百三十三条之一; changed 第二条, 第三百九十条; removed 第二百七十条" in out
    assert "3 re-embedded" in out
    status = json.loads(_ok(runner, ["index", "status", "--json"]))
    assert status["records"] == 19 and status["embedding"]["model"] == FakeEmbedder.name


def test_errors_are_one_line(runner, corpus_copy: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["search", "刑法第二百六十四条"])
    assert result.exit_code == 1 and "run `legal-assistant index build` first" in result.output
    result = runner.invoke(cli, ["--corpus", str(tmp_path / "missing"), "index", "build"])
    assert result.exit_code == 1 and "corpus folder not found" in result.output
    _ok(runner, ["--corpus", str(corpus_copy), "index", "build", "--laws-only", "--law-dirs", "刑法"])
    for query, message in [("  ", "the query is empty"), ("字" * 100_000, "100000 characters")]:
        result = runner.invoke(cli, ["search", query])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    manifest = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]) / "manifest.json"
    manifest.write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["index", "status"])
    assert result.exit_code == 1 and "unreadable" in result.output
    result = runner.invoke(cli, ["--corpus", str(corpus_copy), "index", "update"])
    assert result.exit_code == 1 and "unreadable" in result.output


def test_bench_retrieval_reports_all_figures(runner, corpus_copy: Path) -> None:
    figures = json.loads(
        _ok(runner, ["--corpus", str(corpus_copy), "bench", "retrieval", "--queries", "30", "--json"])
    )
    assert figures["records"] == 19 and figures["query_queries"] == 30
    for key in (
        "raw_encode_per_s",
        "build_per_s",
        "build_vs_encode",
        "query_p50_ms",
        "query_p95_ms",
        "peak_rss_mb",
    ):
        assert figures[key] > 0
    assert figures["query_p50_ms"] <= figures["query_p95_ms"]
