"""Download the LawRefBook/Laws archive and unpack its Markdown law folders into the data folder.

Only `<law folder>/…/*.md` entries are extracted (the law folders have Chinese names; scripts,
dot-folders and top-level files are skipped), and never outside the target: entries with absolute
paths, `..`, or symlinks are refused. The new tree replaces the old one only once it is complete.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

DEFAULT_URL = "https://github.com/LawRefBook/Laws/archive/refs/heads/master.zip"
MAX_UNPACKED_BYTES = 2 * 1024**3  # a zip bomb guard far above the real archive (~100 MB)


class FetchError(RuntimeError):
    """The archive could not be downloaded or unpacked; the message says why and what to do."""


@dataclass(frozen=True)
class FetchResult:
    laws_dir: Path
    files: int
    folders: list[str]
    bytes_downloaded: int


def fetched_corpus_dir(data_dir: Path) -> Path:
    """Where `corpus fetch` puts the corpus: <data_dir>/corpora (with laws/ inside)."""
    return Path(data_dir) / "corpora"


def _is_law_folder(name: str) -> bool:
    return not name.startswith((".", "_")) and any("\u4e00" <= ch <= "\u9fff" for ch in name)


def law_member_path(name: str) -> PurePosixPath | None:
    """The path under laws/ for an archive entry, or None to skip it.

    'Laws-master/刑法/刑法.md' → '刑法/刑法.md'. Raises FetchError for unsafe entries.
    """
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
        raise FetchError(f"refusing unsafe path in the archive: {name!r}")
    parts = p.parts[1:]  # drop the archive's top folder (Laws-master/)
    if len(parts) < 2 or p.suffix.lower() != ".md" or not _is_law_folder(parts[0]):
        return None
    if any(part.startswith(".") for part in parts):
        return None
    return PurePosixPath(*parts)


def download(url: str, dest: Path, *, progress: bool = True, timeout: float = 30.0) -> int:
    """Stream `url` into `dest`; FetchError with an offline hint when the host cannot be reached."""
    import httpx
    from tqdm import tqdm

    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=timeout) as response:
            if response.status_code != 200:
                raise FetchError(f"download failed: {url} answered HTTP {response.status_code}")
            total = int(response.headers.get("content-length") or 0) or None
            written = 0
            with (
                dest.open("wb") as fh,
                tqdm(
                    total=total, unit="B", unit_scale=True, desc="downloading laws", disable=not progress
                ) as bar,
            ):
                for chunk in response.iter_bytes(1 << 16):
                    fh.write(chunk)
                    written += len(chunk)
                    bar.update(len(chunk))
            return written
    except httpx.HTTPError as e:
        raise FetchError(
            f"cannot reach {url} ({type(e).__name__}: {e}); this machine looks offline. "
            "Point to a corpus folder you already have with --corpus DIR."
        ) from e


def extract_laws(archive: Path, target: Path) -> tuple[int, list[str]]:
    """Unpack the law Markdown files of `archive` into `target` (created); (files, top folders)."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as e:
        raise FetchError(f"the download is not a zip archive: {e}") from e
    with zf:
        members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for info in zf.infolist():
            if info.is_dir():
                continue
            rel = law_member_path(info.filename)
            if rel is None:
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                raise FetchError(f"refusing symlink in the archive: {info.filename!r}")
            members.append((info, rel))
        if sum(i.file_size for i, _ in members) > MAX_UNPACKED_BYTES:
            raise FetchError("the archive unpacks to more than 2 GiB: refusing it")
        if not members:
            raise FetchError("the archive holds no law Markdown folders (is it LawRefBook/Laws?)")
        root = target.resolve()
        for info, rel in members:
            out = (root / rel).resolve()
            if root not in out.parents:
                raise FetchError(f"refusing path outside the target: {info.filename!r}")
            out.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, out.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    return len(members), sorted({rel.parts[0] for _, rel in members})


def fetch_laws(
    data_dir: Path, url: str = DEFAULT_URL, *, progress: bool = True, timeout: float = 30.0
) -> FetchResult:
    """Download and unpack into <data_dir>/corpora/laws, replacing an earlier fetch only on success."""
    corpora = fetched_corpus_dir(data_dir)
    corpora.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=corpora, prefix=".fetch-") as tmp:
        archive = Path(tmp) / "laws.zip"
        size = download(url, archive, progress=progress, timeout=timeout)
        staging = Path(tmp) / "laws"
        files, folders = extract_laws(archive, staging)
        final = corpora / "laws"
        old = Path(tmp) / "old"
        if final.exists():
            final.rename(old)  # removed with the temporary folder
        staging.rename(final)
    return FetchResult(laws_dir=final, files=files, folders=folders, bytes_downloaded=size)
