"""The index manifest and its generations: what makes an update safe to kill at any point.

Layout of <data_dir>/index/:
  manifest.json            the committed state; replaced atomically (os.replace), never edited
  generations/<gen>/       immutable: records.jsonl (texts, hashes) and lexical/ (BM25)
  chroma/                  Chroma's files (embedded mode)
Whatever is not named by manifest.json (new Chroma entries, a half-written generation) is
invisible to search and is cleaned up by the next build or update.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from retrieval.errors import IndexCorruptError, IndexNotFoundError, RetrievalError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
GENERATIONS = "generations"
RECORDS_FILE = "records.jsonl"
LEXICAL_DIR = "lexical"
LOCK_FILE = ".lock"
# Tests set these to stop an update between two steps and kill it there.
PAUSE_AT_ENV = "LEGAL_ASSISTANT_INDEX_PAUSE_AT"
PAUSE_S_ENV = "LEGAL_ASSISTANT_INDEX_PAUSE_S"


def index_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def checkpoint(step: str) -> None:
    """Pause at a named step when the test hook asks for it (announced on stderr)."""
    wanted = os.environ.get(PAUSE_AT_ENV, "")
    if step in wanted.split(","):
        print(f"index-pause:{step}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get(PAUSE_S_ENV, "30")))


# The last manifest parsed in this process, by its path and a hash of its bytes, for the next read
# only: the whole-corpus manifest is 18 MB of JSON (0.45 s of CPU to parse, 30 ms to hash), and
# `serve` reads it to know an index exists, then again to open it. Any change to the file is a new
# hash, however it was written. The next reader of the same bytes gets the first reader's dict: readers
# treat a manifest as read-only (a change is a new one, written with write_manifest).
_PARSED: tuple[tuple[str, bytes], dict[str, Any]] | None = None
# write_manifest writes "entries" last, as json.dump separates keys: a reader that needs everything but
# the entries (a search) parses the bytes before them, and the entries when first asked for.
_ENTRIES_KEY = b', "entries": '
_HEAD_KEYS = ("format_version", "generation", "embedding", "collections", "counts")


class LazyEntries(Mapping):
    """The manifest's entries, parsed from the manifest's own bytes (raw[start:end]) when first used."""

    def __init__(self, raw: bytes, start: int, end: int, path: Path) -> None:
        self._raw: bytes | None = raw
        self._span = start, end
        self._path = path
        self._parsed: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _entries(self) -> dict[str, Any]:
        with self._lock:
            if self._parsed is None:
                assert self._raw is not None
                try:
                    parsed = json.loads(memoryview(self._raw)[slice(*self._span)].tobytes())
                except ValueError as e:
                    raise IndexCorruptError(
                        f"the index manifest {self._path} is unreadable ({e}); run `legal-assistant index build`"
                    ) from e
                if not isinstance(parsed, dict):
                    raise IndexCorruptError(f"the entries of the index manifest {self._path} are not a table")
                self._parsed, self._raw = parsed, None
            return self._parsed

    def __getitem__(self, key: str) -> Any:
        return self._entries()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())


def _parse_head(raw: bytes, path: Path) -> dict[str, Any] | None:
    """The manifest with LazyEntries, from the bytes before its entries; None (parse it whole) unless
    they are last: the entries' values are lists, so the file then ends in `]}}` (or `{}}` for none),
    and what comes before them holds every other key a manifest needs."""
    i = raw.find(_ENTRIES_KEY)
    start, end = i + len(_ENTRIES_KEY), len(raw.rstrip())  # the bytes are not copied: 18 MB
    if (
        i < 0
        or raw[start : start + 1] != b"{"
        or not (raw.endswith(b"]}}", 0, end) or (end - start == 3 and raw[start:end] == b"{}}"))
    ):
        return None
    try:
        head = json.loads(raw[:i] + b"}")
    except ValueError:  # the key was inside another value
        return None
    if not isinstance(head, dict) or "entries" in head or any(k not in head for k in _HEAD_KEYS):
        return None
    head["entries"] = LazyEntries(raw, start, end - 1, path)
    return head


def read_manifest(data_dir: Path, *, lazy_entries: bool = False) -> dict[str, Any]:
    """The committed manifest; IndexNotFoundError when none, IndexCorruptError when unreadable.
    `lazy_entries`: its "entries" are parsed when first used (a search never uses them: 0.3 s of CPU)."""
    global _PARSED
    path = index_dir(data_dir) / MANIFEST
    if not path.exists():
        raise IndexNotFoundError(
            f"no index in {index_dir(data_dir)}: run `legal-assistant index build` first"
        )
    try:
        raw = path.read_bytes()
        stamp = (
            (str(path.resolve()), hashlib.blake2b(raw, digest_size=16).digest())
            if _PARSED or not lazy_entries
            else None
        )
        if _PARSED is not None and _PARSED[0] == stamp:
            manifest, _PARSED = _PARSED[1], None
            return manifest
        head = _parse_head(raw, path) if lazy_entries else None
        manifest = head if head is not None else json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise IndexCorruptError(
            f"the index manifest {path} is unreadable ({e}); run `legal-assistant index build` to rebuild"
        ) from e
    required = ("format_version", "generation", "embedding", "collections", "entries")
    if not isinstance(manifest, dict) or any(k not in manifest for k in required):
        raise IndexCorruptError(
            f"the index manifest {path} is not a manifest of this program; run `legal-assistant index build`"
        )
    if manifest["format_version"] != FORMAT_VERSION:
        raise IndexCorruptError(
            f"the index in {index_dir(data_dir)} has format {manifest['format_version']}, this program reads "
            f"{FORMAT_VERSION}: run `legal-assistant index build`"
        )
    if stamp is not None and not isinstance(manifest["entries"], LazyEntries):
        _PARSED = stamp, manifest
    return manifest


def try_read_manifest(data_dir: Path, *, lazy_entries: bool = False) -> dict[str, Any] | None:
    try:
        return read_manifest(data_dir, lazy_entries=lazy_entries)
    except RetrievalError:
        return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(data_dir: Path, manifest: dict[str, Any]) -> None:
    """Commit: write beside, fsync, os.replace. A kill leaves either the old or the new one."""
    directory = index_dir(data_dir)
    tmp = directory / f"{MANIFEST}.tmp"
    ordered = {k: v for k, v in manifest.items() if k != "entries"}
    if "entries" in manifest:  # last, so that a search can read what comes before (see _parse_head)
        ordered["entries"] = dict(manifest["entries"])
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(ordered, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, directory / MANIFEST)
    _fsync_dir(directory)


def generation_dir(data_dir: Path, generation: str) -> Path:
    return index_dir(data_dir) / GENERATIONS / generation


def new_generation_name() -> str:
    return (
        time.strftime("g%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    )


@contextlib.contextmanager
def staging_generation(data_dir: Path, generation: str) -> Iterator[Path]:
    """A folder to write a generation into; renamed into place only when fully written."""
    final = generation_dir(data_dir, generation)
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    yield tmp
    for path in tmp.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    os.rename(tmp, final)
    _fsync_dir(final.parent)


def remove_stale_generations(data_dir: Path, keep: str) -> list[str]:
    root = index_dir(data_dir) / GENERATIONS
    removed = []
    if root.is_dir():
        for child in root.iterdir():
            if child.name != keep:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
    return removed


@contextlib.contextmanager
def index_lock(data_dir: Path) -> Iterator[None]:
    """One build or update at a time per index; the OS drops the lock if the process dies."""
    directory = index_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise RetrievalError(f"another index build or update is running on {directory}") from e
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
