"""`legal-assistant serve`: its flags, and clear one-line errors before anything starts."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli


def test_serve_is_registered_with_host_and_port():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "--full-index" in result.output


def test_serve_without_index_and_with_a_missing_corpus_says_so(tmp_path: Path):
    missing = tmp_path / "no-corpus"
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path / "data"), "--corpus", str(missing), "serve"]
    )
    assert result.exit_code == 1
    assert f"语料目录不存在：{missing}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "data" / "index" / "manifest.json").exists()
    assert not (tmp_path / "data" / "corpus_state.json").exists()  # a later --corpus is not overridden
