"""Uploads and folder updates: checked before anything is written; the overlay never touches the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.services.index import (
    CorpusScope,
    IndexService,
    IndexServiceError,
    check_file_name,
    check_target,
)
from assistant.services.index_backend import DEFAULT_SCOPE, RetrievalIndexBackend
from assistant.settings import load_settings
from tests.assistant.assistant_fakes import FakeIndexBackend

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "ui"


class ParsingFakeBackend(FakeIndexBackend):
    """The fake index, with the real law parser deciding what is a law file."""

    def parse_law(self, data: bytes, rel_path: str) -> tuple[str, int]:
        return RetrievalIndexBackend.parse_law(self, data, rel_path)  # type: ignore[arg-type]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "laws" / "其他").mkdir(parents=True)
    (root / "laws" / "其他" / "虚构法.md").write_bytes((FIXTURES / "虚构法.md").read_bytes())
    (root / "cases").mkdir()
    return root


@pytest.fixture
def service(base: Path, tmp_path: Path) -> IndexService:
    settings = load_settings(overrides={"corpus_dir": str(base), "ui.max_upload_bytes": 2000})
    svc = IndexService(settings, ParsingFakeBackend())
    svc.build_view()
    svc.backend.update(svc.view_dir, lambda f, m: None)  # the "index" now knows the base files
    svc.backend.updates.clear()
    return svc


@pytest.mark.parametrize("name", ["../x.md", "a/b.md", "..\\x.md", ".hidden.md", "law.exe", "", "x..md"])
def test_bad_file_names_are_refused(name: str):
    with pytest.raises(IndexServiceError):
        check_file_name(name)


@pytest.mark.parametrize(
    "target", ["../../etc/x.md", "/laws/刑法/x.md", "laws/../x.md", "other/a/x.md", "laws/x.md"]
)
def test_bad_targets_are_refused(target: str):
    with pytest.raises(IndexServiceError, match="路径"):
        check_target(target)


def test_good_target_and_name_pass():
    assert check_target(" laws/刑法/刑法.md ") == "laws/刑法/刑法.md"
    assert check_file_name("刑法(2020-12-26修正案十一).md") == "刑法(2020-12-26修正案十一).md"


def _changed() -> bytes:
    return (FIXTURES / "虚构法-修改.md").read_bytes()


def test_upload_replaces_the_same_law_in_the_view_and_reports_it(service: IndexService, base: Path):
    before = (base / "laws" / "其他" / "虚构法.md").read_bytes()
    outcome = service.apply_uploads([("虚构法.md", _changed())])
    assert outcome.files == ["laws/其他/虚构法.md"]
    assert [c.law for c in outcome.changes] == ["laws/其他/虚构法.md"] and "修改 1 条" in outcome.summary
    assert (service.view_dir / "laws" / "其他" / "虚构法.md").read_bytes() == _changed()
    assert (base / "laws" / "其他" / "虚构法.md").read_bytes() == before  # the corpus is never written
    assert service.overlay_files() == ["laws/其他/虚构法.md"]


def test_upload_under_another_name_replaces_the_law_with_the_same_title(service: IndexService):
    outcome = service.apply_uploads([("虚构法(2100修正).md", _changed())])
    assert outcome.files == ["laws/其他/虚构法.md"]


def test_unknown_law_needs_a_target(service: IndexService):
    data = _changed().replace("虚构法".encode(), "另一部虚构法".encode())
    with pytest.raises(IndexServiceError, match="保存路径"):
        service.apply_uploads([("另一部.md", data)])
    outcome = service.apply_uploads([("另一部.md", data)], target="laws/其他/另一部.md")
    assert outcome.files == ["laws/其他/另一部.md"] and (service.view_dir / "laws/其他/另一部.md").is_file()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("不是法律.md", (FIXTURES / "不是法律.md").read_bytes(), "不是可识别的法律文件"),
        ("清单.md", "# 购物清单\n\n苹果\n牛奶\n".encode(), "不是可识别的法律文件"),
        ("大.md", b"# x\n" + b"a" * 3000, "超过上限 2,000 字节"),
        ("../虚构法.md", _changed(), "不允许包含路径"),
    ],
)
def test_bad_uploads_change_nothing(service: IndexService, name: str, data: bytes, message: str):
    with pytest.raises(IndexServiceError, match=message):
        service.apply_uploads([("虚构法.md", _changed()), (name, data)])
    assert service.overlay_files() == [] and service.backend.updates == []


def test_bad_target_path_changes_nothing(service: IndexService):
    with pytest.raises(IndexServiceError, match="不允许“..”"):
        service.apply_uploads([("虚构法.md", _changed())], target="../../outside/虚构法.md")
    assert service.overlay_files() == [] and not (service.overlay_dir.parent / "outside").exists()


def test_failed_update_restores_the_overlay(service: IndexService):
    def boom(root, progress, options=None):
        raise RuntimeError("index is locked")

    service.backend.update = boom  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.apply_uploads([("虚构法.md", _changed())])
    assert service.overlay_files() == []


def test_folder_update_checks_the_folder_and_switches_the_base(service: IndexService, tmp_path: Path):
    with pytest.raises(IndexServiceError, match="没有这个文件夹"):
        service.update_from_folder(str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexServiceError, match="没有 laws/"):
        service.update_from_folder(str(tmp_path / "empty"))
    other = tmp_path / "other"
    (other / "laws" / "其他").mkdir(parents=True)
    (other / "laws" / "其他" / "虚构法.md").write_bytes(_changed())
    outcome = service.update_from_folder(str(other))
    assert outcome.changed_any and service.base_corpus() == other.resolve()


def test_scope_limits_the_view_but_never_the_overlay(service: IndexService, base: Path):
    (base / "laws" / "刑法").mkdir()
    (base / "laws" / "刑法" / "刑法.md").write_text("# x", encoding="utf-8")
    service.save_state(base, CorpusScope(laws=("laws/刑法/*",), cases=(), name="t"))
    service.apply_uploads([("虚构法.md", _changed())], target="laws/其他/虚构法.md")
    files = sorted(p.relative_to(service.view_dir).as_posix() for p in service.view_dir.rglob("*.md"))
    assert files == ["laws/其他/虚构法.md", "laws/刑法/刑法.md"]
    assert service.scope().name == "t" and service.base_corpus() == base.resolve()


def test_default_scope_holds_criminal_and_ip_law_but_not_the_evaluation_cases():
    assert DEFAULT_SCOPE.includes("laws/刑法/刑法.md") and DEFAULT_SCOPE.includes(
        "laws/民法商法/专利法(2020-10-17).md"
    )
    assert DEFAULT_SCOPE.includes(
        "laws/司法解释/最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释.md"
    )
    assert not DEFAULT_SCOPE.includes("laws/行政法规/某条例.md")
    assert DEFAULT_SCOPE.includes("cases/cail2018/train.jsonl") and not DEFAULT_SCOPE.includes(
        "cases/cail2018/test.jsonl"
    )


# -- the two doors: the page's service and the CLI index one workspace ------------------------------
RETRIEVAL_CORPUS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "retrieval" / "corpus"


@pytest.fixture
def cli_and_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from click.testing import CliRunner

    from tests.assistant.ui.embedder import HashEmbedder

    corpus = tmp_path / "corpus"
    shutil.copytree(RETRIEVAL_CORPUS, corpus)
    monkeypatch.setenv("LEGAL_ASSISTANT__EMBEDDING__MODEL", HashEmbedder.name)
    monkeypatch.setattr("retrieval.index.load_embedder", lambda *a, **k: HashEmbedder())
    monkeypatch.setattr("retrieval.search.load_embedder", lambda *a, **k: HashEmbedder())
    settings = load_settings(overrides={"corpus_dir": str(corpus)})
    page = IndexService(
        settings, RetrievalIndexBackend(settings, embedder=HashEmbedder(), show_progress=False)
    )
    return CliRunner(), page, settings, corpus


def _cli(runner, args: list[str]) -> str:
    from assistant.cli import cli

    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _records(settings) -> int:
    from retrieval.manifest import read_manifest

    return len(read_manifest(settings.data_dir)["entries"])


def _finds_the_added_law(settings) -> bool:
    from retrieval.search import Searcher
    from tests.assistant.ui.embedder import HashEmbedder

    s = settings
    searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval, embedder=HashEmbedder())
    hits = searcher.search("虚构法第二条", k=3)
    return bool(hits) and hits[0].citation == "《中华人民共和国虚构法》第二条"


def test_an_added_law_survives_cli_and_page_updates_and_the_counts_agree(cli_and_page):
    """Acceptance (issue 12): the page adds a law; the CLI updates; the page updates again."""
    from assistant.services.index_backend import build_initial_index
    from tests.assistant.ui.embedder import HashEmbedder

    runner, page, settings, corpus = cli_and_page
    criminal_only = CorpusScope(laws=("laws/刑法/*",), cases=(), name="刑法")
    build_initial_index(settings, criminal_only, embedder=HashEmbedder(), echo=lambda _m: None)  # as serve
    assert _records(settings) == 8
    _cli(runner, ["index", "build"])  # the CLI builds the same workspace, not the whole folder
    assert _records(settings) == 8
    page.update_from_folder(str(corpus))
    assert _records(settings) == 8

    outcome = page.apply_uploads([("虚构法.md", _changed())], target="laws/其他/虚构法.md")
    assert outcome.files == ["laws/其他/虚构法.md"] and _records(settings) == 12
    assert _finds_the_added_law(settings)
    out = _cli(runner, ["index", "update"])
    assert "nothing changed" in out and _records(settings) == 12 and _finds_the_added_law(settings)
    assert "added: laws/其他/虚构法.md" in _cli(runner, ["index", "status"])
    outcome = page.update_from_folder(str(corpus))
    assert not outcome.changed_any and _records(settings) == 12 and _finds_the_added_law(settings)
    _cli(runner, ["index", "build"])
    assert _records(settings) == 12 and _finds_the_added_law(settings)


def test_a_folder_that_would_delete_much_needs_confirmation(cli_and_page, tmp_path: Path):
    """6.2: 「从文件夹更新索引」 with a folder holding only an empty laws/ deleted every record."""
    runner, page, settings, corpus = cli_and_page
    _cli(runner, ["--corpus", str(corpus), "index", "build"])
    assert _records(settings) == 19
    empty = tmp_path / "empty"
    (empty / "laws").mkdir(parents=True)
    with pytest.raises(IndexServiceError, match="没有解析出任何条文或案例"):
        page.update_from_folder(str(empty))
    partial = tmp_path / "partial"
    shutil.copytree(corpus / "laws" / "刑法", partial / "laws" / "刑法")
    with pytest.raises(IndexServiceError, match="允许删除"):
        page.update_from_folder(str(partial))
    assert _records(settings) == 19 and page.base_corpus() == corpus.resolve()
    page.update_from_folder(str(partial), prune=True)
    assert _records(settings) == 8 and page.base_corpus() == partial.resolve()


def test_the_page_passes_the_legal_vocabulary_like_the_cli(cli_and_page):
    """Lost laws: the UI update passed no legal vocabulary; the CLI did."""
    from retrieval.manifest import read_manifest

    runner, page, settings, corpus = cli_and_page
    _cli(runner, ["--corpus", str(corpus), "index", "build"])
    words = read_manifest(settings.data_dir)["vocabulary_size"]
    (corpus / "laws" / "刑法" / "示例刑法.md").write_text(
        (corpus / "laws" / "刑法" / "示例刑法.md").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    page.update_from_folder(str(corpus))
    assert read_manifest(settings.data_dir)["vocabulary_size"] == words


def test_a_titled_text_kept_whole_is_accepted_by_both_doors(service: IndexService):
    """6.11: a file with no 第X条 was indexed as 全文 by the CLI and refused by the UI: one validator now."""
    from corpora.laws import LawParseError, parse_law_text

    amendment = "# 虚构法修正案\n\n2099年1月1日 虚构人民代表大会通过\n\n<!-- INFO END -->\n\n将虚构法第三条修改为：……\n"
    plan = service.plan_upload("虚构法修正案.md", amendment.encode(), "laws/其他/虚构法修正案.md")
    assert plan.title == "虚构法修正案"
    assert parse_law_text(amendment, "laws/其他/x.md", "其他").numbering == "whole"
    with pytest.raises(LawParseError, match="not a law text"):
        parse_law_text("# 购物清单\n\n苹果\n牛奶\n", "laws/其他/清单.md", "其他")


# -- the page's own guards ----------------------------------------------------------------------------
def test_admin_login_locks_a_guessing_client_out():
    """6.8: 50 wrong passwords in 13.6 s, and the right one was accepted at once afterwards."""
    from assistant.ui.index_page import AdminAuth

    now = [1000.0]
    auth = AdminAuth("admin", "s3cret", max_failures=5, lock_s=30.0, clock=lambda: now[0])
    for _ in range(5):
        assert not auth.login("admin", "guess", "10.0.0.9")
    assert not auth.login("admin", "s3cret", "10.0.0.9")  # locked: the right password is refused too
    assert auth.wait_s("10.0.0.9") == 30.0
    assert auth.login("admin", "s3cret", "10.0.0.7")  # another client is not locked out
    now[0] += 31
    assert not auth.login("admin", "guess", "10.0.0.9") and auth.wait_s("10.0.0.9") == 60.0  # doubles
    now[0] += 61
    assert auth.login("admin", "s3cret", "10.0.0.9") and auth.wait_s("10.0.0.9") == 0


def test_the_upload_api_takes_only_uploaded_files(tmp_path: Path):
    """6.9: the logged-in upload API accepted any server file path ending in .md or .txt."""
    from assistant.ui.index_page import uploaded_paths

    uploads = tmp_path / "gradio"
    (uploads / "abc").mkdir(parents=True)
    good = uploads / "abc" / "虚构法.md"
    good.write_bytes(_changed())
    secret = tmp_path / "server" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("# 密码\n", encoding="utf-8")
    assert uploaded_paths([str(good)], uploads) == [good.resolve()]
    for path in (secret, uploads / ".." / "server" / "secret.md"):
        with pytest.raises(IndexServiceError, match="只接受通过本页上传的文件"):
            uploaded_paths([str(good), str(path)], uploads)


def test_the_public_settings_and_config_show_no_server_path(tmp_path: Path):
    """6.10: the anonymous settings tab and /config showed the data directory's server path."""
    from assistant.ui.app import build_app
    from tests.assistant.assistant_fakes import FakeAssistant

    data = tmp_path / "secret-data-dir"
    settings = load_settings(overrides={"data_dir": str(data), "embedding.model": str(data / "models" / "m")})
    demo = build_app(settings, FakeAssistant(), None)
    config = json.dumps(demo.get_config_file(), ensure_ascii=False, default=str)
    assert "嵌入模型" in config and str(data) not in config and str(tmp_path) not in config


# -- the same guards through the page's own handlers (what a browser or an API call reaches) ----------
@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    """The app's handlers by name (one app for the module: building it takes seconds), and its backend."""
    from assistant.ui.app import build_app
    from tests.assistant.assistant_fakes import FakeAssistant, FakeIndexBackend

    root = tmp_path_factory.mktemp("page")
    (root / "corpus" / "laws" / "其他").mkdir(parents=True)
    (root / "corpus" / "laws" / "其他" / "虚构法.md").write_bytes((FIXTURES / "虚构法.md").read_bytes())
    overrides = {
        "data_dir": str(root / "data"),
        "corpus_dir": str(root / "corpus"),
        "ui.admin_password": "s3cret",
    }
    backend = FakeIndexBackend()
    settings = load_settings(overrides=overrides)
    demo = build_app(settings, FakeAssistant(), IndexService(settings, backend))
    return {f.name: f.fn for f in demo.fns.values()}, backend


def _shown(result: dict, elem_id: str) -> object:
    return next(v for k, v in result.items() if getattr(k, "elem_id", None) == elem_id)


def _admin(result: dict) -> bool:
    from gradio import State

    return next(v for k, v in result.items() if isinstance(k, State))


def test_the_pages_login_locks_a_guessing_client_out(page, monkeypatch: pytest.MonkeyPatch):
    """6.8, through the login button's handler: after 5 wrong passwords the right one is refused too."""
    from types import SimpleNamespace

    monkeypatch.setattr("assistant.ui.index_page.time.sleep", lambda _s: None)  # the 1 s per failure
    login = page[0]["do_login"]
    guesser, other = (SimpleNamespace(client=SimpleNamespace(host=h)) for h in ("10.0.0.9", "10.0.0.7"))
    for _ in range(5):
        assert not _admin(login("admin", "guess", guesser))
    locked = login("admin", "s3cret", guesser)
    assert not _admin(locked) and "登录失败次数过多" in str(_shown(locked, "admin-login-message"))
    assert _admin(login("admin", "s3cret", other))


def test_the_pages_upload_takes_only_uploaded_files(page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """6.9, through the upload button's handler: a server path is refused, an uploaded file is indexed."""
    handlers, backend = page
    uploads = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    upload, before = handlers["do_upload"], len(backend.updates)
    secret = tmp_path / "server" / "虚构法.md"
    secret.parent.mkdir()
    secret.write_bytes(_changed())
    refused = upload([str(secret)], "laws/其他/虚构法.md", False, True, progress=lambda *a, **k: None)
    assert "只接受通过本页上传的文件" in str(_shown(refused, "update-result"))
    assert len(backend.updates) == before
    good = uploads / "abc" / "虚构法.md"
    good.parent.mkdir(parents=True)
    good.write_bytes(_changed())
    done = upload([str(good)], "laws/其他/虚构法.md", False, True, progress=lambda *a, **k: None)
    assert "✓" in str(_shown(done, "update-result")) and len(backend.updates) == before + 1
