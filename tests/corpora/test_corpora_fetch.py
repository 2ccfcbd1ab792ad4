"""`corpus fetch` against a zip served on 127.0.0.1, and what it says when offline."""

from __future__ import annotations

import functools
import http.server
import io
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from corpora.fetch import FetchError, fetch_laws, law_member_path

LAW = "# 中华人民共和国虚构法\n\n<!-- 虚构文本，仅供测试 -->\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n第一条 虚构。\n"


def _zip(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return buf.getvalue()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An http.server on 127.0.0.1 (random port) serving tmp_path/www; stopped at the end."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", www
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fetch_extracts_only_law_folders(served: tuple[str, Path], tmp_path: Path) -> None:
    base, www = served
    (www / "master.zip").write_bytes(
        _zip(
            {
                "Laws-master/刑法/虚构法.md": LAW,
                "Laws-master/司法解释/子目录/虚构解释.md": LAW.replace("虚构法", "虚构解释"),
                "Laws-master/README.md": "# readme",
                "Laws-master/scripts/build.md": "# script notes",
                "Laws-master/.github/刑法.md": "# hidden",
                "Laws-master/刑法/data.json": "{}",
            }
        )
    )
    data = tmp_path / "data"
    result = fetch_laws(data, f"{base}/master.zip", progress=False)
    laws = data / "corpora" / "laws"
    assert result.laws_dir == laws and result.files == 2 and result.folders == ["刑法", "司法解释"]
    got = sorted(p.relative_to(laws).as_posix() for p in laws.rglob("*") if p.is_file())
    assert got == ["刑法/虚构法.md", "司法解释/子目录/虚构解释.md"]
    assert (laws / "刑法" / "虚构法.md").read_text(encoding="utf-8") == LAW
    # a second fetch replaces the tree, and leaves no temporary folders behind
    (www / "master.zip").write_bytes(_zip({"Laws-master/宪法/虚构宪法.md": LAW}))
    fetch_laws(data, f"{base}/master.zip", progress=False)
    assert [p.name for p in (data / "corpora").iterdir()] == ["laws"]
    assert sorted(p.name for p in laws.iterdir()) == ["宪法"]


def test_unsafe_archive_is_refused_and_old_tree_kept(served: tuple[str, Path], tmp_path: Path) -> None:
    base, www = served
    data = tmp_path / "data"
    (www / "good.zip").write_bytes(_zip({"Laws-master/刑法/虚构法.md": LAW}))
    fetch_laws(data, f"{base}/good.zip", progress=False)
    (www / "evil.zip").write_bytes(_zip({"Laws-master/刑法/../../../逃逸.md": LAW}))
    with pytest.raises(FetchError, match="unsafe path"):
        fetch_laws(data, f"{base}/evil.zip", progress=False)
    assert (data / "corpora" / "laws" / "刑法" / "虚构法.md").is_file()
    assert not list(tmp_path.rglob("逃逸.md"))


@pytest.mark.parametrize("name", ["/etc/刑法/x.md", "Laws-master/../刑法/x.md", "C:/刑法/x.md"])
def test_unsafe_member_names(name: str) -> None:
    with pytest.raises(FetchError):
        law_member_path(name)


def test_http_errors_and_non_zip(served: tuple[str, Path], tmp_path: Path) -> None:
    base, www = served
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_laws(tmp_path / "d", f"{base}/missing.zip", progress=False)
    (www / "not.zip").write_text("hello")
    with pytest.raises(FetchError, match="not a zip"):
        fetch_laws(tmp_path / "d", f"{base}/not.zip", progress=False)
    (www / "empty.zip").write_bytes(_zip({"Laws-master/README.md": "# x"}))
    with pytest.raises(FetchError, match="no law Markdown"):
        fetch_laws(tmp_path / "d", f"{base}/empty.zip", progress=False)


def test_offline_message_points_to_corpus_option(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as info:
        fetch_laws(tmp_path, f"http://127.0.0.1:{_closed_port()}/master.zip", progress=False, timeout=3)
    assert "offline" in str(info.value) and "--corpus DIR" in str(info.value)


def test_cli_fetch_then_report(served: tuple[str, Path], tmp_path: Path) -> None:
    base, www = served
    (www / "master.zip").write_bytes(_zip({"Laws-master/刑法/虚构法.md": LAW}))
    data = tmp_path / "cli-data"
    runner = CliRunner()
    out = runner.invoke(cli, ["--data-dir", str(data), "corpus", "fetch", "--url", f"{base}/master.zip"])
    assert out.exit_code == 0, out.output
    assert "1 law files in 1 folders" in out.output
    out = runner.invoke(cli, ["--corpus", str(data / "corpora"), "corpus", "report", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["documents"] == 1 and report["articles"] == 1 and report["failures"] == []


def test_cli_offline_and_missing_corpus(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli, ["corpus", "fetch", "--url", f"http://127.0.0.1:{_closed_port()}/x.zip", "--timeout", "3"]
    )
    assert out.exit_code == 1
    assert out.output.startswith("Error: cannot reach") and "--corpus DIR" in out.output
    assert "Traceback" not in out.output
    out = runner.invoke(cli, ["--corpus", str(tmp_path / "nowhere"), "corpus", "report"])
    assert out.exit_code == 1 and "corpus folder not found" in out.output
