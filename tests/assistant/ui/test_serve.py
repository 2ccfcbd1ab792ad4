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


class _Searcher:
    def __init__(self) -> None:
        self.queries: list[str] = []
        self.prepared = False

    def prepare(self) -> None:
        self.prepared = True

    def search(self, query: str) -> list:
        self.queries.append(query)
        return []


class _Service:
    """What warm_up calls on the assistant service, recorded."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail
        self.searcher = _Searcher()

    def agent(self):
        self.calls.append("agent")
        if self.fail:
            raise RuntimeError("the index is damaged")
        return self

    def charge_ranker(self):
        self.calls.append("charge_ranker")


def test_warm_up_loads_behind_the_page_what_the_first_questions_need():
    from assistant.ui.app import warm_up

    service = _Service()
    warm_up(service).join(timeout=10)
    assert service.calls == ["agent", "charge_ranker"]
    assert service.searcher.queries  # BM25 and Chroma opened before the first question
    assert service.searcher.prepared  # the lexicons' patterns compiled, the bank's classifier read


def test_a_failing_warm_up_is_logged_and_left_to_the_first_question(caplog):
    from assistant.ui.app import warm_up

    service = _Service(fail=True)
    warm_up(service).join(timeout=10)
    assert service.calls == ["agent"]
    assert "warming up failed: the index is damaged" in caplog.text
