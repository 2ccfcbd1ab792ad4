"""What the index holds, recorded in the data dir: a base corpus folder, the part of it in scope, the
laws added on top (uploads, `index add`) and the base laws taken out (`index remove`).

Every road into the index (the CLI's `index build|update|add|remove`, the index page, `serve`'s first
build) reads this one record, so they all index the same thing. The record is `<data_dir>/workspace.json`;
added files live under `<data_dir>/corpus_overlay/` with corpus-relative paths (`laws/刑法/刑法.md`).
A *view* (`<data_dir>/corpus_view`) lays them together, file by file, hard-linked, so that the corpus
loader sees one ordinary corpus with unchanged relative paths and the base corpus is never written.

One writer at a time: `writer_lock` is held for a whole build or update (view, parse, index).
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

WORKSPACE_FILE = "workspace.json"
LEGACY_STATE_FILE = "corpus_state.json"  # what the index page wrote before the workspace
OVERLAY_DIR = "corpus_overlay"
VIEW_DIR = "corpus_view"
WRITER_LOCK = ".index-writer.lock"


class WorkspaceError(ValueError):
    """The workspace cannot be used as asked; the message says why, in the user's terms."""


class WorkspaceBusyError(WorkspaceError):
    """Another build or update holds the data dir."""


@dataclass(frozen=True)
class CorpusScope:
    """Which files of the base corpus the index holds: glob patterns on corpus-relative paths.

    None means everything of that part. Added laws are always included.
    """

    laws: tuple[str, ...] | None = None
    cases: tuple[str, ...] | None = None
    name: str = "full"

    def includes(self, rel: str) -> bool:
        patterns = self.laws if rel.startswith("laws/") else self.cases if rel.startswith("cases/") else None
        return patterns is None or any(fnmatch.fnmatchcase(rel, p) for p in patterns)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "laws": self.laws, "cases": self.cases}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CorpusScope:
        laws, cases = d.get("laws"), d.get("cases")
        return cls(
            tuple(laws) if laws is not None else None,
            tuple(cases) if cases is not None else None,
            d.get("name", "full"),
        )


FULL_SCOPE = CorpusScope(name="full")


@dataclass(frozen=True)
class Workspace:
    """The recorded workspace of one data dir (immutable: `with_*` return changed copies)."""

    data_dir: Path
    base: Path | None = None  # None: not recorded yet (the caller's configured corpus applies)
    scope: CorpusScope = FULL_SCOPE
    removed: tuple[str, ...] = ()  # corpus-relative paths of base laws taken out
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    # -- the record ------------------------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path) -> Workspace:
        data_dir = Path(data_dir)
        for name in (WORKSPACE_FILE, LEGACY_STATE_FILE):
            path = data_dir / name
            if not path.is_file():
                continue
            try:
                d = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise WorkspaceError(f"工作区记录 {path} 无法读取（{e}）：请删除它后重新建立索引。") from e
            base = _from_stored(d.get("base"), data_dir)
            scope = CorpusScope.from_dict(d.get("scope") or {})
            return cls(data_dir, base, scope, tuple(d.get("removed") or ()))
        return cls(data_dir)

    @property
    def recorded(self) -> bool:
        return (self.data_dir / WORKSPACE_FILE).is_file() or (self.data_dir / LEGACY_STATE_FILE).is_file()

    def save(self) -> None:
        """Write the record atomically (a kill leaves the old or the new one)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        d = {
            "base": _to_stored(self.base, self.data_dir),
            "scope": self.scope.to_dict(),
            "removed": list(self.removed),
            "added": self.added(),
        }
        tmp = self.data_dir / (WORKSPACE_FILE + ".tmp")
        tmp.write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.data_dir / WORKSPACE_FILE)
        (self.data_dir / LEGACY_STATE_FILE).unlink(missing_ok=True)

    def with_base(self, base: Path) -> Workspace:
        return replace(self, base=Path(base).expanduser().resolve())

    def with_scope(self, scope: CorpusScope) -> Workspace:
        return replace(self, scope=scope)

    def with_removed(self, removed: tuple[str, ...]) -> Workspace:
        return replace(self, removed=tuple(sorted(set(removed))))

    # -- added laws (the overlay) ----------------------------------------------------------
    @property
    def overlay_dir(self) -> Path:
        return self.data_dir / OVERLAY_DIR

    @property
    def view_dir(self) -> Path:
        return self.data_dir / VIEW_DIR

    def added(self) -> list[str]:
        if not self.overlay_dir.is_dir():
            return []
        return sorted(
            p.relative_to(self.overlay_dir).as_posix()
            for p in self.overlay_dir.rglob("*")
            if p.is_file() and not p.name.endswith(".part")
        )

    def read_added(self, rel: str) -> bytes | None:
        path = self.overlay_dir / rel
        return path.read_bytes() if path.is_file() else None

    def write_added(self, rel: str, data: bytes | None) -> None:
        """Write (or, with None, delete) one added file; the path must stay inside the overlay."""
        path = (self.overlay_dir / rel).resolve()
        if not path.is_relative_to(self.overlay_dir.resolve()):
            raise WorkspaceError(f"保存路径越出了上传目录：{rel!r}")
        if data is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    # -- the view --------------------------------------------------------------------------
    def build_view(self) -> Path:
        """Base files in scope and not removed, with added files in their place, linked into a fresh view."""
        if self.base is None:
            raise WorkspaceError("没有配置语料目录：请用 --corpus 指定语料文件夹。")
        if not self.base.is_dir():
            raise WorkspaceError(f"语料目录不存在：{self.base}（corpus folder not found）")
        removed = set(self.removed)
        staging = self.view_dir.with_name(self.view_dir.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "laws").mkdir(parents=True)  # an empty base reads as an empty corpus, refused as such
        _link_tree(self.base, staging, lambda rel: self.scope.includes(rel) and rel not in removed)
        if self.overlay_dir.is_dir():
            _link_tree(self.overlay_dir, staging, lambda rel: not rel.endswith(".part"))
        shutil.rmtree(self.view_dir, ignore_errors=True)
        staging.rename(self.view_dir)
        return self.view_dir

    def describe(self) -> dict[str, Any]:
        """For `index status` and the index page."""
        return {
            "base": str(self.base) if self.base else None,
            "scope": self.scope.to_dict(),
            "added": self.added(),
            "removed": list(self.removed),
        }

    # -- one writer at a time --------------------------------------------------------------
    @contextlib.contextmanager
    def writer_lock(self, what: str) -> Iterator[None]:
        """Hold the data dir for one build or update; a second writer is refused, naming the first."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / WRITER_LOCK
        with open(path, "a+", encoding="utf-8") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as e:
                f.seek(0)
                holder = f.read().strip() or "另一个进程"
                raise WorkspaceBusyError(
                    f"另一个索引写入正在进行（{holder}）：请等它完成后再试（another index build or update "
                    f"is running on {self.data_dir})。"
                ) from e
            try:
                f.seek(0)
                f.truncate()
                f.write(f"{what}，进程 {os.getpid()}，始于 {time.strftime('%H:%M:%S')}")
                f.flush()
                yield
            finally:
                f.seek(0)
                f.truncate()
                fcntl.flock(f, fcntl.LOCK_UN)


def _to_stored(base: Path | None, data_dir: Path) -> str | None:
    """Relative to the data dir when inside it (a fetched corpus), so a copied data dir still finds it."""
    if base is None:
        return None
    try:
        return "<data_dir>/" + Path(base).resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        return str(Path(base).resolve())


def _from_stored(value: str | None, data_dir: Path) -> Path | None:
    if not value:
        return None
    if value.startswith("<data_dir>/"):
        return Path(data_dir) / value.removeprefix("<data_dir>/")
    return Path(value)


def _link_tree(src: Path, dst: Path, keep: Callable[[str], bool]) -> None:
    """Hard-link (or copy, across file systems) every file of src into dst, replacing what is there.

    Links, not symlinks: the corpus loader resolves paths relative to the corpus root, and a
    symlink would resolve back into the base corpus.
    """
    for dirpath, _dirs, files in os.walk(src):
        rel_dir = Path(dirpath).relative_to(src)
        for name in files:
            if not keep((rel_dir / name).as_posix()):
                continue
            (dst / rel_dir).mkdir(parents=True, exist_ok=True)
            source, target = Path(dirpath) / name, dst / rel_dir / name
            target.unlink(missing_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
