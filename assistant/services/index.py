"""The one door into the index, for the CLI's `index` commands, the index page and `serve`.

What the index holds is the corpus workspace recorded in the data dir (corpora.workspace): a base
folder, a scope, added laws and removed laws. Every change goes through here: take the writer lock,
lay out the workspace's view, hand it to the backend (retrieval.rebuild behind it), and record the
workspace only once the index is committed. So a CLI update and an update from the page index the
same thing, and an added law survives both.

Every added file is checked before anything is written (name, size, encoding, that it parses as a law,
with the corpus loader's own parser: corpora.laws.check_law_bytes), and a failed check or a failed
update leaves the added files and the index as they were.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from assistant.settings import Settings
from corpora.workspace import CorpusScope, Workspace
from corpora.workspace import WorkspaceError as IndexServiceError
from retrieval.rebuild import READ_ALL, RebuildOptions

__all__ = [
    "CorpusScope",
    "IndexBackend",
    "IndexService",
    "IndexServiceError",
    "LawChange",
    "RebuildOptions",
    "UpdateOutcome",
    "change_rows",
    "check_file_name",
    "check_target",
    "summarize",
]

LAW_SUFFIXES = (".md", ".txt")
_BAD_NAME = re.compile(r"[\x00-\x1f\\:*?\"<>|]")
ProgressFn = Callable[[float, str], None]


@dataclass(frozen=True)
class LawChange:
    law: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class UpdateOutcome:
    """What a build or update did: per-law changes, the files added, a summary, and any warnings."""

    changes: list[LawChange]
    files: list[str] = field(default_factory=list)
    summary: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    result: Any = None  # the backend's own report (retrieval.rebuild.RebuildResult), for the CLI

    @property
    def changed_any(self) -> bool:
        return any(c.added or c.changed or c.removed for c in self.changes)


class IndexBackend(Protocol):
    """The retrieval operations behind the service (retrieval.rebuild; fakes in tests)."""

    def stats(self) -> list[dict[str, Any]]: ...

    def manifest(self) -> dict[str, Any]: ...

    def update(self, corpus_root: Path, progress: ProgressFn, options: RebuildOptions = ...) -> Any:
        """Update the index from the corpus at corpus_root: list[LawChange], or a RebuildResult."""
        ...


def check_file_name(name: str) -> str:
    """A plain law-file name (no folders, no `..`, .md or .txt); returns it stripped."""
    name = name.strip()
    if not name:
        raise IndexServiceError("文件名为空。")
    if "/" in name or "\\" in name or name in {".", ".."} or ".." in name:
        raise IndexServiceError(f"文件名不允许包含路径或“..”：{name!r}")
    if _BAD_NAME.search(name) or name.startswith("."):
        raise IndexServiceError(f"文件名含有不允许的字符：{name!r}")
    if not name.lower().endswith(LAW_SUFFIXES):
        raise IndexServiceError(f"只接受 Markdown 或文本格式的法律文件（.md / .txt）：{name!r}")
    if len(name.encode("utf-8")) > 200:
        raise IndexServiceError("文件名过长（最多 200 字节）。")
    return name


def check_target(target: str) -> str:
    """A relative path inside the corpus, under laws/: `laws/刑法/刑法.md`."""
    target = target.strip().replace("\\", "/")
    path = PurePosixPath(target)
    if path.is_absolute() or any(part in {"..", "."} for part in path.parts) or ".." in target:
        raise IndexServiceError(f"保存路径必须是语料内的相对路径，不允许“..”或绝对路径：{target!r}")
    if len(path.parts) < 3 or path.parts[0] != "laws":
        raise IndexServiceError(f"保存路径应为 laws/<分类>/<文件名>，例如 laws/刑法/刑法.md：{target!r}")
    for part in path.parts[1:-1]:
        if _BAD_NAME.search(part) or part.startswith("."):
            raise IndexServiceError(f"保存路径含有不允许的字符：{target!r}")
    check_file_name(path.name)
    return path.as_posix()


def _first_title(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f.readline().strip().lstrip("#").strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class PlannedFile:
    rel: str  # where it goes in the workspace: laws/<folder>/<file>
    data: bytes  # UTF-8, whatever the upload's encoding was
    title: str
    warnings: tuple[str, ...] = ()


class IndexService:
    """The index's statistics, its workspace, and every change to it; the CLI and the UI call only this.

    `base`: a corpus folder given explicitly (the CLI's --corpus); it becomes the workspace's base
    once an index is committed from it.
    """

    def __init__(
        self,
        settings: Settings,
        backend: IndexBackend,
        on_updated: Callable[[], None] | None = None,
        *,
        base: Path | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.on_updated = on_updated
        self._base_override = Path(base).expanduser() if base is not None else None
        self.overlay_dir = settings.data_dir / "corpus_overlay"
        self.view_dir = settings.data_dir / "corpus_view"

    # -- reading ---------------------------------------------------------------------------
    def workspace(self) -> Workspace:
        """The recorded workspace, with an explicit --corpus, or else the configured corpus, as its base."""
        ws = Workspace.load(self.settings.data_dir)
        if self._base_override is not None:
            return ws.with_base(self._base_override)
        if ws.base is None:
            configured = self.settings.corpus_dir or _fetched_corpus(self.settings.data_dir)
            if configured is not None:
                return ws.with_base(configured)
        return ws

    def stats(self) -> list[dict[str, Any]]:
        return self.backend.stats()

    def manifest(self) -> dict[str, Any]:
        return self.backend.manifest()

    def kinds(self) -> dict[str, int]:
        """Records per document kind (法律, 司法解释, 案例 …), where the backend tells."""
        kinds = getattr(self.backend, "kinds", None)
        return dict(kinds()) if callable(kinds) else {}

    def status(self) -> dict[str, Any]:
        """The workspace and the index's health (`problem` is None when a search would work)."""
        status = getattr(self.backend, "status", None)
        return {"workspace": self.workspace().describe(), **(status() if callable(status) else {})}

    def overview(self) -> str:
        """One paragraph for the index page: what the index holds and from where."""
        ws = self.workspace()
        parts = "、".join(f"{kind} {n:,}" for kind, n in self.kinds().items())
        where = (
            "全部语料"
            if ws.scope.laws is None and ws.scope.cases is None
            else f"语料的一部分（{ws.scope.name}）"
        )
        added = f"；添加的文件 {len(ws.added())} 个" if ws.added() else ""
        removed = f"；移除的法律文件 {len(ws.removed)} 个" if ws.removed else ""
        base = str(ws.base) if ws.base else "（未配置）"
        return f"索引内容：{parts or '（未知）'}。范围：{where}，语料目录 {base}{added}{removed}。"

    def scope(self) -> CorpusScope:
        return self.workspace().scope

    def base_corpus(self) -> Path:
        """The corpus the added laws lie over."""
        base = self.workspace().base
        if base is None:
            raise IndexServiceError(
                "没有配置语料目录：请用 --corpus 指定，或在索引页填写服务器上的语料文件夹。"
            )
        return base

    def overlay_files(self) -> list[str]:
        return self.workspace().added()

    def save_state(self, base: Path, scope: CorpusScope) -> None:
        """Record the base and scope (what a committed build over them leaves behind)."""
        Workspace.load(self.settings.data_dir).with_base(base).with_scope(scope).save()

    def build_view(self) -> Path:
        return self.workspace().build_view()

    # -- writing: every road below goes through _commit ------------------------------------
    def build(
        self,
        scope: CorpusScope | None = None,
        options: RebuildOptions = READ_ALL,
        progress: ProgressFn | None = None,
        echo: Callable[[str], None] = print,
    ) -> UpdateOutcome:
        """Index the workspace from scratch (training the legal model first when "auto" needs it)."""
        ws = self.workspace()
        ws = ws.with_scope(scope) if scope is not None else ws
        prepare = getattr(self.backend, "prepare_model", None)

        def before(view: Path) -> None:
            if callable(prepare):
                prepare(ws.base, echo)

        return self._commit(ws, "build", options, progress, "index build", before)

    def update(self, options: RebuildOptions = READ_ALL, progress: ProgressFn | None = None) -> UpdateOutcome:
        """Bring the index in line with the workspace, embedding only what changed."""
        return self._commit(self.workspace(), "update", options, progress, "index update")

    def apply_uploads(
        self,
        files: Sequence[tuple[str, bytes]],
        target: str = "",
        progress: ProgressFn | None = None,
        prune: bool = False,
    ) -> UpdateOutcome:
        """Check every file, then add them all to the workspace and update the index; all or nothing."""
        if not files:
            raise IndexServiceError("请先选择要上传的法律文件。")
        if target.strip() and len(files) > 1:
            raise IndexServiceError("填写“保存路径”时一次只能上传一个文件。")
        ws = self.workspace()
        plans = [self.plan_upload(name, data, target) for name, data in files]
        with ws.writer_lock("index add"):
            backups = {p.rel: ws.read_added(p.rel) for p in plans}
            try:
                for p in plans:
                    ws.write_added(p.rel, p.data)
                ws = ws.with_removed(tuple(r for r in ws.removed if r not in backups))
                outcome = self._commit(ws, "update", RebuildOptions(prune=prune), progress, "", locked=True)
            except BaseException:
                for rel, old in backups.items():
                    ws.write_added(rel, old)
                raise
        outcome.files = [p.rel for p in plans]
        outcome.warnings[:0] = [f"{p.rel}：{w}" for p in plans for w in p.warnings]
        return outcome

    def remove_law(self, law: str, progress: ProgressFn | None = None) -> UpdateOutcome:
        """Take a law out of the index: its added file is deleted, its base file left out of the view."""
        ws = self.workspace()
        with ws.writer_lock("index remove"):
            view = ws.build_view()
            rels = _find_law_files(view, law)
            base_rels = [r for r in rels if ws.base is not None and (ws.base / r).is_file()]
            backups = {r: ws.read_added(r) for r in rels}
            try:
                for rel in rels:
                    ws.write_added(rel, None)
                ws = ws.with_removed((*ws.removed, *base_rels))
                outcome = self._commit(ws, "update", RebuildOptions(prune=True), progress, "", locked=True)
            except BaseException:
                for rel, old in backups.items():
                    ws.write_added(rel, old)
                raise
        outcome.files = rels
        return outcome

    def update_from_folder(
        self, folder: str, progress: ProgressFn | None = None, prune: bool = False
    ) -> UpdateOutcome:
        """Make a corpus folder on the server the new base (added laws kept on top) and update the index."""
        import os

        path = Path(folder.strip()).expanduser()
        if not folder.strip():
            raise IndexServiceError("请填写服务器上的语料文件夹路径。")
        if not path.is_dir():
            raise IndexServiceError(f"服务器上没有这个文件夹：{path}")
        if not (path / "laws").is_dir():
            raise IndexServiceError(f"{path} 不是语料文件夹：其中没有 laws/ 子目录。")
        if not os.access(path / "laws", os.R_OK | os.X_OK):
            raise IndexServiceError(f"没有读取 {path / 'laws'} 的权限。")
        ws = self.workspace().with_base(path)
        return self._commit(ws, "update", RebuildOptions(prune=prune), progress, "update from folder")

    def plan_upload(self, name: str, data: bytes, target: str = "") -> PlannedFile:
        """Check one file and decide where it goes (the same checks for the page and `index add`)."""
        from corpora.laws import LawParseError, check_law_bytes

        name = check_file_name(name)
        limit = self.settings.ui.max_upload_bytes
        if len(data) > limit:
            raise IndexServiceError(f"文件 {name} 大小 {len(data):,} 字节，超过上限 {limit:,} 字节。")
        rel = check_target(target) if target.strip() else ""
        try:
            doc = check_law_bytes(data, rel or f"laws/其他/{name}", limit)
        except LawParseError as e:
            raise IndexServiceError(f"{name} 不是可识别的法律文件：{e}") from e
        warnings: tuple[str, ...] = ()
        if any("GB18030" in w for w in doc.warnings):  # the corpus format is UTF-8: store it so
            from corpora.laws import decode_law_bytes

            data = decode_law_bytes(data)[0].encode("utf-8")
            warnings = (
                "文件不是 UTF-8 编码，已按 GB18030 读取并转存为 UTF-8（not UTF-8: decoded as GB18030）",
            )
        return PlannedFile(rel or self._default_target(name, doc.title), data, doc.title, warnings)

    def _default_target(self, name: str, title: str) -> str:
        """Replace the base file of the same name, else the one law with the same title; else ask."""
        base = self.base_corpus()
        laws = base / "laws"
        same_name = sorted(laws.glob(f"*/{name}")) if laws.is_dir() else []
        if len(same_name) == 1:
            return same_name[0].relative_to(base).as_posix()
        same_title = [
            p for p in sorted(laws.glob("*/*")) if p.suffix in LAW_SUFFIXES and _first_title(p) == title
        ]
        if len(same_title) == 1:
            return same_title[0].relative_to(base).as_posix()
        found = "、".join(p.relative_to(base).as_posix() for p in (same_name or same_title)[:5])
        hint = f"语料中有多个候选：{found}。" if found else "语料中没有同名或同标题的文件。"
        raise IndexServiceError(
            f"无法确定 {name} 保存到哪里：{hint}请填写“保存路径”，例如 laws/刑法/{name}。"
        )

    # -- internals -------------------------------------------------------------------------
    def _commit(
        self,
        ws: Workspace,
        mode: str,
        options: RebuildOptions,
        progress: ProgressFn | None,
        what: str,
        before: Callable[[Path], None] | None = None,
        locked: bool = False,
    ) -> UpdateOutcome:
        """Under the writer lock: lay out the view, index it, then (only then) record the workspace."""
        if not locked:
            with ws.writer_lock(what):
                return self._commit(ws, mode, options, progress, what, before, locked=True)
        progress = progress or (lambda _f, _m: None)
        start = time.perf_counter()
        progress(0.0, "准备语料视图")
        view = ws.build_view()
        if before is not None:
            before(view)
        result = _translated(lambda: self._run_backend(mode, view, progress, options))
        ws.save()
        if self.on_updated is not None:
            self.on_updated()
        outcome = _outcome(result, time.perf_counter() - start)
        progress(1.0, "完成")
        return outcome

    def _run_backend(self, mode: str, view: Path, progress: ProgressFn, options: RebuildOptions) -> Any:
        if mode == "build":
            return self.backend.build(view, progress, options)  # type: ignore[attr-defined]
        return self.backend.update(view, progress, options)


def _fetched_corpus(data_dir: Path) -> Path | None:
    from corpora.fetch import fetched_corpus_dir

    fetched = fetched_corpus_dir(data_dir)
    return fetched if fetched.is_dir() else None


def _find_law_files(view: Path, law: str) -> list[str]:
    """The view's files of a law named by path (laws/刑法/刑法.md), file name, or title."""
    from corpora.laws import short_title_of

    law = law.strip()
    if not law:
        raise IndexServiceError("请指定要移除的法律：语料内路径（laws/刑法/刑法.md）或法律名称。")
    files = sorted(p for p in (view / "laws").rglob("*") if p.is_file() and p.suffix in LAW_SUFFIXES)
    wanted = short_title_of(law.removesuffix(".md").removesuffix(".txt"))
    found = [
        p.relative_to(view).as_posix()
        for p in files
        if p.relative_to(view).as_posix() == law or p.name == law or short_title_of(_first_title(p)) == wanted
    ]
    if not found:
        raise IndexServiceError(f"索引的语料中没有这部法律：{law}（可用语料内路径，如 laws/刑法/刑法.md）")
    return found


def _translated(run: Callable[[], Any]) -> Any:
    """The retrieval errors a user can act on, in the service's words (the CLI and the page alike)."""
    from retrieval.index import PruneRefusedError
    from retrieval.rebuild import EmptyCorpusError

    try:
        return run()
    except PruneRefusedError as e:
        laws = "、".join(e.laws[:8]) + (f" 等 {len(e.laws)} 部" if len(e.laws) > 8 else "")
        raise IndexServiceError(
            f"这次更新将从索引删除 {e.removed} 条记录（共 {e.total} 条；来自 {laws}），超过无需确认即可删除的 "
            f"{e.limit} 条。请检查语料文件夹是否完整；确认删除请加 --prune（命令行）或勾选“允许删除”（索引页）。"
        ) from e
    except EmptyCorpusError as e:
        raise IndexServiceError(f"语料中没有解析出任何条文或案例，索引未改变（{e}）。") from e


def _outcome(result: Any, seconds: float) -> UpdateOutcome:
    if isinstance(result, list):  # a backend that reports only the changes
        changes = [c for c in result if c.added or c.changed or c.removed]
        return UpdateOutcome(changes, summary=summarize(changes, seconds), seconds=seconds)
    laws = getattr(result.report, "laws", {})
    changes = [
        LawChange(law, tuple(c.added), tuple(c.changed), tuple(c.removed))
        for law, c in sorted(laws.items())
        if c
    ]
    summary = summarize(changes, seconds) if result.mode == "update" else result.report.summary()
    if getattr(result.report, "repaired", ""):
        summary += "（已修复损坏的索引文件）"
    return UpdateOutcome(changes, summary=summary, seconds=seconds, warnings=result.warnings(), result=result)


def summarize(changes: Iterable[LawChange], seconds: float = 0.0) -> str:
    changes = list(changes)
    added = sum(len(c.added) for c in changes)
    changed = sum(len(c.changed) for c in changes)
    removed = sum(len(c.removed) for c in changes)
    if not changes:
        return f"索引已是最新：没有条文变化（用时 {seconds:.1f} 秒）。"
    return (
        f"更新完成：{len(changes)} 部法律有变化，新增 {added} 条、修改 {changed} 条、删除 {removed} 条"
        f"（用时 {seconds:.1f} 秒）。"
    )


def change_rows(changes: Iterable[LawChange]) -> list[list[str]]:
    """Rows for the change-report table: law, then the article labels per kind of change."""
    return [[c.law, "、".join(c.added), "、".join(c.changed), "、".join(c.removed)] for c in changes]
