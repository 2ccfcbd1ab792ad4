"""Keep the index in step with the laws: uploaded law files, a server corpus folder, and the change report.

Uploaded files never touch the corpus they came from: they go into an overlay under the data dir
(`<data_dir>/corpus_overlay/laws/<folder>/<file>`). Updates read a *view*: the base corpus with
the overlay laid over it, file by file, hard-linked (copied across file systems) into
`<data_dir>/corpus_view`, so the corpus loader sees one ordinary corpus with unchanged relative paths.
Every upload is checked before anything is written — name, size, encoding, that it parses as a law —
and a failed check or a failed update leaves the overlay and the index as they were.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from assistant.settings import Settings

LAW_SUFFIXES = (".md", ".txt")
_BAD_NAME = re.compile(r"[\x00-\x1f\\:*?\"<>|]")
ProgressFn = Callable[[float, str], None]


class IndexServiceError(ValueError):
    """A request the index page must refuse; the message says what is wrong, in the user's terms."""


@dataclass(frozen=True)
class LawChange:
    law: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class UpdateOutcome:
    """What an update did: per-law changes, the files written to the overlay, and a one-line summary."""

    changes: list[LawChange]
    files: list[str] = field(default_factory=list)
    summary: str = ""
    seconds: float = 0.0

    @property
    def changed_any(self) -> bool:
        return any(c.added or c.changed or c.removed for c in self.changes)


@dataclass(frozen=True)
class CorpusScope:
    """Which files of a corpus the index holds: glob patterns on paths relative to the corpus root.

    None means everything of that part. The overlay's files are always included.
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
            d.get("name", ""),
        )


class IndexBackend(Protocol):
    """The retrieval operations the index page needs (retrieval.* behind it; fakes in tests)."""

    def stats(self) -> list[dict[str, Any]]: ...

    def manifest(self) -> dict[str, Any]: ...

    def update(self, corpus_root: Path, progress: ProgressFn) -> list[LawChange]: ...

    def parse_law(self, data: bytes, rel_path: str) -> tuple[str, int]:
        """(law title, number of articles); raises ValueError with the reason for a non-law file."""
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


class IndexService:
    """Index statistics, manifest and updates for the index page; the UI calls only this."""

    def __init__(
        self,
        settings: Settings,
        backend: IndexBackend,
        on_updated: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.on_updated = on_updated
        self.overlay_dir = settings.data_dir / "corpus_overlay"
        self.view_dir = settings.data_dir / "corpus_view"
        self._state_file = settings.data_dir / "corpus_state.json"

    # -- reading ---------------------------------------------------------------------------
    def stats(self) -> list[dict[str, Any]]:
        return self.backend.stats()

    def manifest(self) -> dict[str, Any]:
        return self.backend.manifest()

    def kinds(self) -> dict[str, int]:
        """Records per document kind (法律, 司法解释, 案例 …), where the backend tells."""
        kinds = getattr(self.backend, "kinds", None)
        return dict(kinds()) if callable(kinds) else {}

    def overview(self) -> str:
        """One paragraph for the index page: what the index holds and from where."""
        scope = self.scope()
        parts = "、".join(f"{kind} {n:,}" for kind, n in self.kinds().items())
        where = "全部语料" if scope.laws is None and scope.cases is None else f"语料的一部分（{scope.name}）"
        overlay = f"；上传目录中有 {len(self.overlay_files())} 个文件" if self.overlay_files() else ""
        try:
            base = str(self.base_corpus())
        except IndexServiceError as e:
            base = f"（{e}）"
        return f"索引内容：{parts or '（未知）'}。范围：{where}，语料目录 {base}{overlay}。"

    def _state(self) -> dict[str, Any]:
        if self._state_file.is_file():
            return dict(json.loads(self._state_file.read_text(encoding="utf-8")))
        return {}

    def save_state(self, base: Path, scope: CorpusScope) -> None:
        """Remember which corpus and which part of it the index holds (written by every full build)."""
        self._state_file.parent.mkdir(parents=True, exist_ok=True)
        state = {"base": str(Path(base).resolve()), "scope": scope.to_dict()}
        self._state_file.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")

    def scope(self) -> CorpusScope:
        """The part of the corpus the index holds; the whole corpus when no build recorded it."""
        return CorpusScope.from_dict(self._state().get("scope") or {})

    def base_corpus(self) -> Path:
        """The corpus the overlay lies over: the last server folder applied, else settings.corpus_dir."""
        if self._state().get("base"):
            return Path(self._state()["base"])
        if self.settings.corpus_dir is None:
            raise IndexServiceError(
                "没有配置语料目录：请用 --corpus 指定，或在索引页填写服务器上的语料文件夹。"
            )
        return Path(self.settings.corpus_dir)

    def overlay_files(self) -> list[str]:
        if not self.overlay_dir.is_dir():
            return []
        return sorted(
            p.relative_to(self.overlay_dir).as_posix() for p in self.overlay_dir.rglob("*") if p.is_file()
        )

    # -- uploads ---------------------------------------------------------------------------
    def plan_upload(self, name: str, data: bytes, target: str = "") -> tuple[str, str]:
        """Check one upload and decide where it goes; returns (relative path, law title)."""
        name = check_file_name(name)
        limit = self.settings.ui.max_upload_bytes
        if len(data) > limit:
            raise IndexServiceError(f"文件 {name} 大小 {len(data):,} 字节，超过上限 {limit:,} 字节。")
        rel = check_target(target) if target.strip() else ""
        try:
            title, n_articles = self.backend.parse_law(data, rel or f"laws/其他/{name}")
        except ValueError as e:
            raise IndexServiceError(f"{name} 不是可识别的法律文件：{e}") from e
        if n_articles == 0:
            raise IndexServiceError(f"{name} 不是可识别的法律文件：没有找到任何条文。")
        return rel or self._default_target(name, title), title

    def _default_target(self, name: str, title: str) -> str:
        """Replace the base file of the same name, else the one law with the same title; else ask."""
        laws = self.base_corpus() / "laws"
        same_name = sorted(laws.glob(f"*/{name}")) if laws.is_dir() else []
        if len(same_name) == 1:
            return same_name[0].relative_to(self.base_corpus()).as_posix()
        same_title = [
            p for p in sorted(laws.glob("*/*")) if p.suffix in LAW_SUFFIXES and _first_title(p) == title
        ]
        if len(same_title) == 1:
            return same_title[0].relative_to(self.base_corpus()).as_posix()
        found = "、".join(p.relative_to(self.base_corpus()).as_posix() for p in (same_name or same_title)[:5])
        hint = f"语料中有多个候选：{found}。" if found else "语料中没有同名或同标题的文件。"
        raise IndexServiceError(
            f"无法确定 {name} 保存到哪里：{hint}请填写“保存路径”，例如 laws/刑法/{name}。"
        )

    def apply_uploads(
        self, files: Sequence[tuple[str, bytes]], target: str = "", progress: ProgressFn | None = None
    ) -> UpdateOutcome:
        """Check every file, then write them all to the overlay and update the index; all or nothing."""
        if not files:
            raise IndexServiceError("请先选择要上传的法律文件。")
        if target.strip() and len(files) > 1:
            raise IndexServiceError("填写“保存路径”时一次只能上传一个文件。")
        plans = [(self.plan_upload(name, data, target)[0], data) for name, data in files]
        backups = {rel: self._read_overlay(rel) for rel, _ in plans}
        try:
            for rel, data in plans:
                self._write_overlay(rel, data)
            outcome = self._update(progress)
        except BaseException:
            for rel, old in backups.items():
                self._restore_overlay(rel, old)
            raise
        outcome.files = [rel for rel, _ in plans]
        return outcome

    def update_from_folder(self, folder: str, progress: ProgressFn | None = None) -> UpdateOutcome:
        """Make a corpus folder on the server the new base (overlay kept on top) and update the index."""
        path = Path(folder.strip()).expanduser()
        if not folder.strip():
            raise IndexServiceError("请填写服务器上的语料文件夹路径。")
        if not path.is_dir():
            raise IndexServiceError(f"服务器上没有这个文件夹：{path}")
        if not (path / "laws").is_dir():
            raise IndexServiceError(f"{path} 不是语料文件夹：其中没有 laws/ 子目录。")
        if not os.access(path / "laws", os.R_OK | os.X_OK):
            raise IndexServiceError(f"没有读取 {path / 'laws'} 的权限。")
        previous = self._state_file.read_text(encoding="utf-8") if self._state_file.is_file() else None
        self.save_state(path, self.scope())
        try:
            return self._update(progress)
        except BaseException:
            if previous is None:
                self._state_file.unlink(missing_ok=True)
            else:
                self._state_file.write_text(previous, encoding="utf-8")
            raise

    # -- internals -------------------------------------------------------------------------
    def _update(self, progress: ProgressFn | None) -> UpdateOutcome:
        import time

        progress = progress or (lambda _f, _m: None)
        start = time.perf_counter()
        progress(0.0, "准备语料视图")
        view = self.build_view()
        changes = self.backend.update(view, progress)
        if self.on_updated is not None:
            self.on_updated()
        outcome = UpdateOutcome(changes=[c for c in changes if c.added or c.changed or c.removed])
        outcome.seconds = time.perf_counter() - start
        outcome.summary = summarize(outcome.changes, outcome.seconds)
        progress(1.0, "完成")
        return outcome

    def build_view(self, base: Path | None = None, scope: CorpusScope | None = None) -> Path:
        """Base corpus files (within the scope) with overlay files in their place, linked into a fresh view."""
        base = base or self.base_corpus()
        scope = scope or self.scope()
        if not base.is_dir():
            raise IndexServiceError(f"语料目录不存在：{base}")
        staging = self.view_dir.with_name(self.view_dir.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        _link_tree(base, staging, scope.includes)
        if self.overlay_dir.is_dir():
            _link_tree(self.overlay_dir, staging, lambda rel: True)
        shutil.rmtree(self.view_dir, ignore_errors=True)
        staging.rename(self.view_dir)
        return self.view_dir

    def _read_overlay(self, rel: str) -> bytes | None:
        path = self.overlay_dir / rel
        return path.read_bytes() if path.is_file() else None

    def _write_overlay(self, rel: str, data: bytes) -> None:
        path = (self.overlay_dir / rel).resolve()
        if not path.is_relative_to(self.overlay_dir.resolve()):  # check_target already refused this
            raise IndexServiceError(f"保存路径越出了上传目录：{rel!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    def _restore_overlay(self, rel: str, old: bytes | None) -> None:
        path = self.overlay_dir / rel
        if old is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(old)


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
