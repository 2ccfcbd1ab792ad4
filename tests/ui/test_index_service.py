"""Uploads and folder updates: checked before anything is written; the overlay never touches the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index_backend import DEFAULT_SCOPE, RetrievalIndexBackend
from assistant.index_service import (
    CorpusScope,
    IndexService,
    IndexServiceError,
    check_file_name,
    check_target,
)
from assistant.settings import load_settings
from tests.ui.fakes import FakeIndexBackend

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ui"


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
