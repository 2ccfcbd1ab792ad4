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
    assert "还没有索引" in result.output  # search errors lead in Chinese, as ask's do
    result = runner.invoke(cli, ["--corpus", str(tmp_path / "missing"), "index", "build"])
    assert result.exit_code == 1 and "corpus folder not found" in result.output
    _ok(runner, ["--corpus", str(corpus_copy), "index", "build", "--laws-only", "--law-dirs", "刑法"])
    for query, message in [("  ", "查询是空的"), ("字" * 100_000, "100000 个字符")]:
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


def test_bench_retrieval_reads_the_corpus_as_the_index_does(runner, tmp_path: Path) -> None:
    # the same parse as `index build`: a corpus that yields nothing is one clear error, not a bench of nothing
    empty = tmp_path / "empty"
    (empty / "laws").mkdir(parents=True)
    result = runner.invoke(cli, ["--corpus", str(empty), "bench", "retrieval", "--json"])
    assert result.exit_code == 1 and "gave no articles and no cases" in result.output
    assert "Traceback" not in result.output


def test_search_batch_answers_every_good_line(runner, corpus_copy: Path, tmp_path: Path) -> None:
    _ok(runner, ["--corpus", str(corpus_copy), "index", "build"])
    batch = tmp_path / "queries.jsonl"
    lines = [
        json.dumps("示例刑法264条", ensure_ascii=False),
        '{"query": "多次盗窃", "kind": "interpretations", "k": 2, "id": "q2"}',
        "{not json",
        "",
        '{"query": "   "}',
        '{"query": "盗窃", "kind": "laws"}',
        '{"query": "盗窃", "k": 0}',
        '{"question": "盗窃"}',
    ]
    batch.write_bytes("\n".join(lines).encode("utf-8") + b"\n" + "盗窃\n".encode("gb18030"))
    result = runner.invoke(cli, ["search", "--batch", str(batch)], catch_exceptions=False)
    assert result.exit_code == 3, result.output  # some lines failed, the rest answered
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 5, 6, 7, 8, 9]  # the blank line 4 is skipped
    assert out[0]["hits"][0]["number"] == 264 and out[0]["query"] == "示例刑法264条"
    assert out[1]["id"] == "q2" and len(out[1]["hits"]) == 2
    assert out[1]["hits"][0]["collection"] == "interpretations"
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert set(errors) == {3, 5, 6, 7, 8, 9}
    assert errors[3].startswith("第 3 行：") and "JSON" in errors[3]
    assert "查询是空的" in errors[5] and "kind" in errors[6] and "k 应为" in errors[7]
    assert "question" in errors[8] and "UTF-8" in errors[9]
    assert "6 行无法回答" in result.stderr
    good = tmp_path / "good.jsonl"
    good.write_text('"示例刑法第二条"\n"盗窃"\n', encoding="utf-8")
    result = runner.invoke(cli, ["search", "--batch", str(good), "-k", "1"], catch_exceptions=False)
    assert result.exit_code == 0 and [len(json.loads(x)["hits"]) for x in result.stdout.splitlines()] == [
        1,
        1,
    ]
    result = runner.invoke(cli, ["search", "盗窃", "--batch", str(good)])
    assert result.exit_code == 2 and "either a QUERY or --batch" in result.output


def test_exit_codes_are_in_help(runner) -> None:
    for args in (["--help"], ["search", "--help"]):
        text = _ok(runner, args)
        assert "Exit codes" in text and "3  search --batch" in text
