"""The index pipeline's guards, through the CLI (the same service the index page calls).

Each test here reproduces a finding of the probe of the running app (issue 12, §6) on the
fictional fixture corpus: it failed before the fix.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from retrieval_fakes import FakeEmbedder

from assistant.cli import cli
from retrieval import manifest as mf

LAW = "laws/刑法/示例刑法.md"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    fake = FakeEmbedder()
    monkeypatch.setenv("LEGAL_ASSISTANT__EMBEDDING__MODEL", FakeEmbedder.name)
    for module in ("retrieval.index", "retrieval.search"):
        monkeypatch.setattr(f"{module}.load_embedder", lambda *a, **k: fake)
    return CliRunner()


@pytest.fixture
def corpus(tmp_path: Path, corpus_copy: Path) -> Path:
    """A real copy (not links) of the fixture corpus, so a test may damage a file."""
    root = tmp_path / "own-corpus"
    shutil.copytree(corpus_copy, root, symlinks=False)
    return root


def _ok(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _records(data: Path) -> dict[str, list]:
    return mf.read_manifest(data)["entries"]


def _law_records(data: Path, law: str) -> int:
    return sum(1 for v in _records(data).values() if v[4] == law)


def test_options_are_accepted_after_the_subcommand(runner, corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "elsewhere"
    out = _ok(runner, ["index", "build", "--corpus", str(corpus), "--data-dir", str(data)])
    assert "indexed 19 records" in out and (data / "index" / "manifest.json").is_file()
    _ok(runner, ["index", "update", f"--corpus={corpus}", "--data-dir", str(data)])


def test_an_empty_or_partial_corpus_does_not_wipe_the_index(runner, corpus: Path, tmp_path: Path) -> None:
    """6.2: a folder holding only an empty laws/ deleted every record."""
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    data = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]).parent
    empty = tmp_path / "empty"
    (empty / "laws").mkdir(parents=True)
    for confirm in (["--prune"], []):  # even a confirmed update never wipes the index with nothing
        result = runner.invoke(cli, ["--corpus", str(empty), "index", "update", *confirm])
        assert result.exit_code == 1 and "没有解析出任何条文或案例" in result.output
        assert len(_records(data)) == 19
    partial = tmp_path / "partial"
    shutil.copytree(corpus / "laws" / "刑法", partial / "laws" / "刑法")
    result = runner.invoke(cli, ["--corpus", str(partial), "index", "update"])
    assert result.exit_code == 1 and "--prune" in result.output and "删除 11 条记录" in result.output
    assert len(_records(data)) == 19
    _ok(runner, ["--corpus", str(partial), "index", "update", "--prune"])
    assert len(_records(data)) == 8


def test_a_law_that_fails_to_parse_keeps_its_records(runner, corpus: Path) -> None:
    """6.3: a corrupt law file made `index update` delete the whole law, with rc 0."""
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    data = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]).parent
    before = _law_records(data, "示例刑法")
    assert before > 0
    (corpus / LAW).write_bytes(b"\xff\xfe\x00garbage" * 10)
    result = runner.invoke(cli, ["--corpus", str(corpus), "index", "update"])
    assert result.exit_code == 3, result.output
    assert "无法解析" in result.output and LAW in result.output
    assert _law_records(data, "示例刑法") == before


def test_a_narrowing_option_never_prunes(runner, corpus: Path) -> None:
    """6.3: `--laws-only` or `--law-dirs` on an update removed everything outside them."""
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    data = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]).parent
    total = len(_records(data))
    _ok(runner, ["--corpus", str(corpus), "index", "update", "--law-dirs", "刑法"])
    assert len(_records(data)) == total
    _ok(runner, ["--corpus", str(corpus), "index", "update", "--laws-only"])
    assert len(_records(data)) == total
    _ok(runner, ["--corpus", str(corpus), "index", "build", "--laws-only", "--law-dirs", "刑法"])
    assert len(_records(data)) == total


def test_a_copied_data_dir_still_searches(tmp_path: Path, corpus_copy: Path) -> None:
    """6.4: the model identity was an absolute path, so a `cp -a` copy refused to search."""
    from corpora.loader import load_corpus
    from retrieval.index import build_index
    from retrieval.search import Searcher
    from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

    class InDataDir(FakeEmbedder):
        def __init__(self, data: Path) -> None:
            super().__init__()
            self.name = str(data / "models" / "legal-static")  # as load_embedder names the legal model

    data = tmp_path / "data-a"
    (data / "models" / "legal-static").mkdir(parents=True)
    c = load_corpus(corpus_copy)
    emb, vs = EmbeddingSettings(), VectorStoreSettings()
    build_index(c.articles, c.cases, data, emb, vs, progress=False, embedder=InDataDir(data))
    copy = tmp_path / "data-b"
    shutil.copytree(data, copy, symlinks=True)
    searcher = Searcher.open(copy, emb, vs, RetrievalSettings(), embedder=InDataDir(copy))
    assert searcher.search("示例刑法第二百六十四条")[0].number == 264
    # 6.6: `index status` and search agree on a moved data dir (status said ok while search refused)
    from retrieval.health import index_status

    named = EmbeddingSettings(model=str(copy / "models" / "legal-static"))
    assert index_status(copy, named, vs)["problem"] is None
    assert index_status(copy, named.model_copy(update={"model": "minilm"}), vs)["problem"]
    assert mf.read_manifest(data)["embedding"]["model"] == "<data_dir>/models/legal-static"


def test_a_missing_model_folder_is_named(tmp_path: Path, corpus_copy: Path) -> None:
    """6.12: a missing model folder was reported as "needs a full rebuild"."""
    from corpora.loader import load_corpus
    from retrieval.errors import EmbeddingModelError
    from retrieval.index import build_index, check_embedding
    from retrieval.settings import EmbeddingSettings, VectorStoreSettings

    data = tmp_path / "data"
    fake = FakeEmbedder()
    fake.name = str(data / "models" / "legal-static")
    c = load_corpus(corpus_copy)
    build_index(
        c.articles, c.cases, data, EmbeddingSettings(), VectorStoreSettings(), progress=False, embedder=fake
    )
    with pytest.raises(EmbeddingModelError, match="models/legal-static, and that folder is missing"):
        check_embedding(mf.read_manifest(data), EmbeddingSettings(), data, None)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_build_recovers_from_a_corrupt_chroma_file(runner, corpus: Path, damage: str) -> None:
    """6.5: `index build` failed on a corrupt chroma.sqlite3, and nothing said to delete index/chroma."""
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    info = json.loads(_ok(runner, ["index", "status", "--json"]))
    db = Path(info["index_dir"]) / "chroma" / "chroma.sqlite3"
    db.write_bytes(b"garbage" * 100 if damage == "garbage" else db.read_bytes()[:5000])
    assert runner.invoke(cli, ["index", "status"]).exit_code == 1
    out = _ok(runner, ["--corpus", str(corpus), "index", "build"])
    assert "indexed 19 records" in out
    _ok(runner, ["index", "status"])
    assert not list(Path(info["index_dir"]).glob("chroma.damaged-*"))


def _damage_bm25(index_dir: Path) -> None:
    generation = mf.read_manifest(index_dir.parent)["generation"]
    for f in (index_dir / "generations" / generation / "lexical").rglob("*"):
        if f.is_file():
            f.write_bytes(b"\x00garbage\xff" * 7)


@pytest.mark.parametrize("damage", ["missing chroma", "empty chroma", "garbage bm25", "model", "server down"])
def test_status_fails_on_an_unusable_index(runner, corpus: Path, damage: str) -> None:
    """6.6: `index status` returned 0 on an index that no search could use."""
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    index_dir = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"])
    args = ["index", "status"]
    if damage == "missing chroma":
        (index_dir / "chroma" / "chroma.sqlite3").unlink()
    elif damage == "empty chroma":
        (index_dir / "chroma" / "chroma.sqlite3").write_bytes(b"")
    elif damage == "garbage bm25":
        _damage_bm25(index_dir)
    elif damage == "model":
        args = ["index", "status"]
        runner.env = {"LEGAL_ASSISTANT__EMBEDDING__MODEL": "minilm"}  # type: ignore[attr-defined]
    else:
        manifest = mf.read_manifest(index_dir.parent)
        manifest["vector_store"]["mode"] = "server"
        mf.write_manifest(index_dir.parent, manifest)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # nothing listens here once the socket closes
        runner.env = {  # type: ignore[attr-defined]
            "LEGAL_ASSISTANT__VECTOR_STORE__MODE": "server",
            "LEGAL_ASSISTANT__VECTOR_STORE__PORT": str(port),
        }
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "Error:" in result.output, result.output


def test_update_repairs_damaged_bm25_files(runner, corpus: Path) -> None:
    """6.6: after BM25 damage, `index update` said "nothing changed" and left it broken."""
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    index_dir = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"])
    _damage_bm25(index_dir)
    out = _ok(runner, ["--corpus", str(corpus), "index", "update"])
    assert "repaired" in out and "nothing changed" not in out
    _ok(runner, ["index", "status"])
    hits = json.loads(_ok(runner, ["search", "多次盗窃", "--json"]))
    assert hits


def test_two_writers_do_not_mix(runner, corpus: Path) -> None:
    """Bad input: a second writer is refused with a clear message while the first holds the data dir."""
    from corpora.workspace import Workspace

    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    data = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]).parent
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with Workspace.load(data).writer_lock("index update"):
            holding.set()
            release.wait(30)

    t = threading.Thread(target=first)
    t.start()
    try:
        holding.wait(10)
        result = runner.invoke(cli, ["--corpus", str(corpus), "index", "update"])
        assert result.exit_code == 1 and "另一个索引写入正在进行（index update" in result.output
    finally:
        release.set()
        t.join()
    _ok(runner, ["--corpus", str(corpus), "index", "update"])


def test_add_and_remove_a_law_from_the_cli(runner, corpus: Path, tmp_path: Path) -> None:
    law = tmp_path / "虚构法.md"
    law.write_bytes((Path(__file__).parent.parent / "fixtures" / "ui" / "虚构法.md").read_bytes())
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    data = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]).parent
    out = _ok(runner, ["index", "add", str(law), "--target", "laws/其他/虚构法.md"])
    assert "workspace: laws/其他/虚构法.md" in out and _law_records(data, "虚构法") == 3
    status = _ok(runner, ["index", "status"])
    assert "added: laws/其他/虚构法.md" in status
    _ok(runner, ["index", "update"])
    assert _law_records(data, "虚构法") == 3
    _ok(runner, ["index", "remove", "虚构法"])
    assert _law_records(data, "虚构法") == 0 and len(_records(data)) == 19
    assert _law_records(data, "示例专利法") > 0
    _ok(runner, ["index", "remove", "示例专利法"])  # by title: both its versions
    assert "removed: laws/民法商法/示例专利法(2008-12-27).md, laws/民法商法/示例专利法.md" in _ok(
        runner, ["index", "status"]
    )
    _ok(runner, ["index", "update"])
    assert _law_records(data, "示例专利法") == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("不是法律.md", "这是一份购物清单，不是法律文件：\n- 苹果\n".encode(), "不是可识别的法律文件"),
        ("清单.md", "# 购物清单\n\n苹果\n牛奶\n".encode(), "不是可识别的法律文件"),
        ("大.md", b"# x\n" + b"a" * 6000, "超过上限 5,000 字节"),
    ],
)
def test_index_add_refuses_like_the_page(runner, corpus: Path, tmp_path: Path, name, data, message) -> None:
    """Bad input: `index add` of a non-law or oversized file gives the page's messages."""
    from assistant.services.index import IndexService, IndexServiceError
    from assistant.services.index_backend import RetrievalIndexBackend
    from assistant.settings import load_settings

    runner.env = {"LEGAL_ASSISTANT__UI__MAX_UPLOAD_BYTES": "5000"}  # type: ignore[attr-defined]
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(cli, ["index", "add", str(path), "--target", f"laws/其他/{name}"])
    settings = load_settings(overrides={"corpus_dir": str(corpus), "ui.max_upload_bytes": 5000})
    page = IndexService(settings, RetrievalIndexBackend(settings, embedder=FakeEmbedder()))
    with pytest.raises(IndexServiceError, match=message) as refused:
        page.apply_uploads([(name, data)], f"laws/其他/{name}")
    assert result.exit_code == 1 and f"Error: {refused.value}" in result.output


def test_index_add_of_a_gb18030_file_stores_utf8_and_says_so(runner, corpus: Path, tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "fixtures" / "ui" / "虚构法.md").read_text(encoding="utf-8")
    path = tmp_path / "虚构法.md"
    path.write_bytes(text.encode("gb18030"))
    _ok(runner, ["--corpus", str(corpus), "index", "build"])
    result = runner.invoke(cli, ["index", "add", str(path), "--target", "laws/其他/虚构法.md"])
    assert result.exit_code == 0 and "GB18030" in result.output
    data = Path(json.loads(_ok(runner, ["index", "status", "--json"]))["index_dir"]).parent
    assert (data / "corpus_overlay" / "laws" / "其他" / "虚构法.md").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("four_bit", [False, True])
def test_bitsandbytes_kernels_warning_only_where_4bit_is_used(four_bit: bool, caplog) -> None:
    """6.12: every command printed bitsandbytes' `kernels` warning (on CPUs with AVX512-BF16)."""
    import logging

    from assistant.cli import Context
    from assistant.services.bootstrap import BNB_KERNELS_LOGGER

    env = {"LEGAL_ASSISTANT__LLM__LOAD_IN_4BIT": "true"} if four_bit else {}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        Context(None, None, None)
    with caplog.at_level(logging.WARNING, logger=BNB_KERNELS_LOGGER):  # as bitsandbytes logs it at import
        logging.getLogger(BNB_KERNELS_LOGGER).warning(
            "Failed to load CPU gemm_4bit_forward from kernels-community: %s.", "offline"
        )
    assert any("kernels-community" in r.getMessage() for r in caplog.records) == four_bit
