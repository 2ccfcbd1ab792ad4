"""The records of one index generation, opened without parsing them all.

records.jsonl holds every record with its text: 128 MB for the whole corpus, which took 9 s and
550 MB to parse on every CLI start. Beside it, catalogue.json holds in columns what a search needs
for every entry before it knows which records it will show (ids, collections, article keys, version
dates, law names, cites, the score prior's inputs) and the byte offset of each line; metadata.jsonl
holds each entry's filter metadata, read on the first filtered search. A record is parsed when a
search shows it. A generation written before the catalogue existed is parsed whole, as before.

catalogue.json itself took a cold search 0.25 s to parse, and the Python lists it became 0.2 s more
to walk. catalogue.npz holds the same columns as arrays (codes into small string tables, the ids as
one string, the cites flattened), under the SHA-1 of the catalogue.json it was made from: a column
becomes a list only when asked for, and the searcher works on the arrays. A build writes it; a
search that finds it missing, damaged or made from another catalogue.json makes it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

CATALOGUE_FILE = "catalogue.json"
ARRAYS_FILE = "catalogue.npz"
METADATA_FILE = "metadata.jsonl"
FORMAT = 1
ARRAYS_FORMAT = 1
log = logging.getLogger(__name__)
CACHE_RECORDS = 4096  # parsed records kept per generation (a search shows a few dozen)


def _columns(entry: dict[str, Any]) -> dict[str, Any]:
    rec = entry["record"]
    return {
        "ids": entry["entry_id"],
        "collection": entry["collection"],
        "record_type": entry["record_type"],
        "kind": entry["metadata"].get("kind", ""),
        "law_id": rec.get("law_id", ""),
        "short_title": rec.get("short_title", ""),
        "law_title": rec.get("law_title", ""),
        "numbering": rec.get("numbering", ""),
        "number": rec.get("number", 0),
        "suffix": rec.get("suffix", 0),
        "current": bool(rec.get("current", True)),
        "date": rec.get("effective") or rec.get("version") or "",
        "cites": [list(c) for c in entry.get("cites", [])],
    }


COLUMNS = tuple(_columns({"entry_id": "", "collection": "", "record_type": "", "metadata": {}, "record": {}}))
_STRINGS = ("law_id", "short_title", "law_title", "date", "kind")  # columns stored as indexes into a table
# columns held as codes into a table in catalogue.npz: a few distinct values each
CODED = ("collection", "record_type", "numbering", *_STRINGS)
NUMBERS = ("number", "suffix", "current")


def write_records(folder: Path, records_file: str, entries: Sequence[dict[str, Any]]) -> None:
    """records.jsonl (one JSON entry a line), catalogue.json and metadata.jsonl, in one pass."""
    folder = Path(folder)
    offsets = [0]
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    with (
        open(folder / records_file, "wb") as records,
        open(folder / METADATA_FILE, "w", encoding="utf-8") as metadata,
    ):
        for entry in entries:
            line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
            records.write(line)
            offsets.append(offsets[-1] + len(line))
            metadata.write(json.dumps(entry["metadata"], ensure_ascii=False) + "\n")
            for name, value in _columns(entry).items():
                columns[name].append(value)
    tables: dict[str, list[str]] = {}
    for name in _STRINGS:  # a few hundred distinct law names and dates for 70,000 entries
        index: dict[str, int] = {}
        columns[name] = [index.setdefault(v, len(index)) for v in columns[name]]
        tables[name] = list(index)
    catalogue = {"format": FORMAT, "count": len(offsets) - 1, "offsets": offsets, "tables": tables, **columns}
    raw = json.dumps(catalogue, ensure_ascii=False).encode("utf-8")
    (folder / CATALOGUE_FILE).write_bytes(raw)
    for name, table in tables.items():
        columns[name] = list(map(table.__getitem__, columns[name]))
    _write_arrays(folder, _to_arrays(columns, offsets), hashlib.sha1(raw).digest())


class Catalogue:
    """Column access to a generation's entries: `col("law_id")[i]` (a list, made on first use), `codes`
    and `array` (numpy, for whole-column work), `cites(i)`; `records[i]` parses one record."""

    def __init__(self, arrays: Arrays, records: Records, metadata: Any) -> None:
        self._arrays, self.records, self._metadata = arrays, records, metadata
        self._columns: dict[str, list[Any]] = dict(arrays.lists)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.records)

    def col(self, name: str) -> list[Any]:
        found = self._columns.get(name)
        if found is None:
            with self._lock:
                found = self._columns.get(name)
                if found is None:
                    found = self._columns[name] = self._arrays.as_list(name)
        return found

    def codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """(code of each entry, the table they index) of a column in CODED."""
        return self._arrays.arrays[f"{name}_codes"], self._arrays.tables[name]

    def array(self, name: str) -> np.ndarray:
        """A column in NUMBERS as an array (current as bool)."""
        return self._arrays.arrays[name]

    def unique_ids(self) -> bool:
        """True when no id is there twice (kept in catalogue.npz)."""
        if self._arrays.unique_ids is None:
            ids = self.col("ids")
            self._arrays.unique_ids = len(set(ids)) == len(ids)
        return self._arrays.unique_ids

    def ids_digest(self) -> str:
        """SHA-1 of the ids as `json.dumps(ids, ensure_ascii=False)` writes them (kept in catalogue.npz)."""
        digest = self._arrays.ids_digest
        if digest is None:
            digest = self._arrays.ids_digest = _ids_digest(self.col("ids"))
        return digest

    def ids_if_json(self, raw: bytes) -> list[str] | None:
        """The ids column when `raw` is the ids as `json.dumps(ids, ensure_ascii=False)` writes them (the
        BM25 index's ids.json), else None."""
        return self.col("ids") if hashlib.sha1(raw).hexdigest() == self.ids_digest() else None

    def cites(self, i: int) -> list[list[Any]]:
        """Entry i's cites, [law, number, suffix] each, without making the whole column."""
        a = self._arrays.arrays
        start, end = int(a["cites_ptr"][i]), int(a["cites_ptr"][i + 1])
        laws = self._arrays.tables["cites"]
        return [
            [laws[law], number, suffix]
            for law, number, suffix in zip(
                a["cites_law"][start:end].tolist(),
                a["cites_number"][start:end].tolist(),
                a["cites_suffix"][start:end].tolist(),
                strict=True,
            )
        ]

    def metadata(self) -> list[dict[str, Any]]:
        """Every entry's filter metadata (read on first use)."""
        with self._lock:
            if callable(self._metadata):
                self._metadata = self._metadata()
            return self._metadata


class Records(Sequence):
    """records.jsonl as a sequence: item i is parsed from its line when asked for, and kept a while."""

    def __init__(
        self, path: Path, offsets: Sequence[int] | np.ndarray | None = None, parsed: list[dict] | None = None
    ) -> None:
        self.path, self._offsets, self._parsed = Path(path), offsets, parsed
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_RDONLY) if parsed is None else -1

    def __len__(self) -> int:
        if self._parsed is not None:
            return len(self._parsed)
        return len(self._offsets) - 1 if self._offsets is not None else 0

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if self._parsed is not None:
            return self._parsed[i]
        assert self._offsets is not None
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        with self._lock:
            entry = self._cache.get(i)
            if entry is not None:
                self._cache.move_to_end(i)
                return entry
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        entry = json.loads(os.pread(self._fd, end - start, start))
        with self._lock:
            self._cache[i] = entry
            if len(self._cache) > CACHE_RECORDS:
                self._cache.popitem(last=False)
        return entry

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self._parsed is not None:
            return iter(self._parsed)
        return (self[i] for i in range(len(self)))

    def __del__(self) -> None:
        if getattr(self, "_fd", -1) >= 0:
            os.close(self._fd)


class Arrays:
    """The columns as arrays: `arrays` (numpy), `tables` (the strings the codes index), and `lists`:
    the columns already at hand as lists (none when read from catalogue.npz)."""

    def __init__(
        self,
        arrays: dict[str, np.ndarray],
        tables: dict[str, list[str]],
        lists: dict[str, list[Any]],
        ids_digest: str | None = None,
        unique_ids: bool | None = None,
    ) -> None:
        self.arrays, self.tables, self.lists, self.ids_digest = arrays, tables, lists, ids_digest
        self.unique_ids = unique_ids

    def as_list(self, name: str) -> list[Any]:
        a = self.arrays
        if name == "ids":
            text = a["ids"].tobytes().decode("utf-8")
            return text.split("\n") if len(a["number"]) else []
        if name in CODED:
            table = np.empty(len(self.tables[name]), dtype=object)
            table[:] = self.tables[name]
            return table[a[f"{name}_codes"]].tolist()
        if name in NUMBERS:
            return a[name].tolist()
        if name == "cites":
            ptr, laws = a["cites_ptr"].tolist(), self.tables["cites"]
            flat = [
                [laws[law], number, suffix]
                for law, number, suffix in zip(
                    a["cites_law"].tolist(),
                    a["cites_number"].tolist(),
                    a["cites_suffix"].tolist(),
                    strict=True,
                )
            ]
            return [flat[ptr[i] : ptr[i + 1]] for i in range(len(ptr) - 1)]
        raise KeyError(name)


def _to_arrays(columns: dict[str, list[Any]], offsets: list[int]) -> Arrays:
    """The columns (as lists of values) as Arrays."""
    arrays: dict[str, np.ndarray] = {"offsets": np.asarray(offsets, dtype=np.int64)}
    tables: dict[str, list[str]] = {}
    for name in CODED:
        index: dict[str, int] = {}
        arrays[f"{name}_codes"] = np.fromiter(
            (index.setdefault(v, len(index)) for v in columns[name]), dtype=np.int32, count=len(columns[name])
        )
        tables[name] = list(index)
    arrays["number"] = np.asarray(columns["number"], dtype=np.int64)
    arrays["suffix"] = np.asarray(columns["suffix"], dtype=np.int64)
    arrays["current"] = np.asarray(columns["current"], dtype=bool)
    ids = columns["ids"]
    arrays["ids"] = np.frombuffer("\n".join(ids).encode("utf-8"), dtype=np.uint8)
    cite_laws: dict[str, int] = {}
    flat = [c for cites in columns["cites"] for c in cites]
    arrays["cites_ptr"] = np.cumsum([0, *map(len, columns["cites"])], dtype=np.int64)
    arrays["cites_law"] = np.asarray(
        [cite_laws.setdefault(c[0], len(cite_laws)) for c in flat], dtype=np.int32
    )
    arrays["cites_number"] = np.asarray([c[1] for c in flat], dtype=np.int64)
    arrays["cites_suffix"] = np.asarray([c[2] for c in flat], dtype=np.int64)
    tables["cites"] = list(cite_laws)
    return Arrays(arrays, tables, {"ids": ids})


def _write_arrays(folder: Path, arrays: Arrays, source: bytes) -> None:
    """catalogue.npz, atomically; best effort (a read-only data dir searches from catalogue.json). An id
    holding a line break cannot be kept in one joined string: then no file is written."""
    ids = arrays.lists.get("ids")
    if ids is None or any("\n" in i for i in ids):
        return
    path = Path(folder) / ARRAYS_FILE
    tmp = path.with_name(f"{ARRAYS_FILE}.{os.getpid()}.tmp")
    if arrays.ids_digest is None:
        arrays.ids_digest = _ids_digest(ids)
    if arrays.unique_ids is None:
        arrays.unique_ids = len(set(ids)) == len(ids)
    header = {
        "format": ARRAYS_FORMAT,
        "source": source.hex(),
        "ids": arrays.ids_digest,
        "unique_ids": arrays.unique_ids,
        "tables": arrays.tables,
    }
    meta = np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    try:
        with open(tmp, "wb") as f:
            members: dict[str, Any] = {"header": meta, **arrays.arrays}
            np.savez(f, allow_pickle=False, **members)
        os.replace(tmp, path)
    except OSError as e:
        log.info("cannot write %s (%s): searches read catalogue.json", path, e)
        tmp.unlink(missing_ok=True)


def _read_arrays(folder: Path, source: bytes, count: int) -> Arrays | None:
    """catalogue.npz when it was made from this catalogue.json (its SHA-1) and is whole; else None."""
    path = Path(folder) / ARRAYS_FILE
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {
                name: npz[name] for name in npz.files
            }  # all read now: damage shows here, not mid-search
        header = json.loads(arrays.pop("header").tobytes().decode("utf-8"))
        if header["format"] != ARRAYS_FORMAT or header["source"] != source.hex():
            return None
        tables = header["tables"]
        lengths = {len(arrays[f"{c}_codes"]) for c in CODED} | {len(arrays[c]) for c in NUMBERS}
        if lengths != {count} or len(arrays["offsets"]) != count + 1 or len(arrays["cites_ptr"]) != count + 1:
            raise ValueError("its columns differ in length")
        for c in CODED:
            if count and int(arrays[f"{c}_codes"].max()) >= len(tables[c]):
                raise ValueError(f"a code of {c} is beyond its table")
        if len(arrays["cites_law"]) and int(arrays["cites_law"].max()) >= len(tables["cites"]):
            raise ValueError("a cite's law is beyond its table")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as e:
        log.warning("%s cannot be used (%s): reading catalogue.json", path, e)
        return None
    return Arrays(arrays, tables, {}, header["ids"], bool(header["unique_ids"]))


def _ids_digest(ids: list[str]) -> str:
    return hashlib.sha1(json.dumps(ids, ensure_ascii=False).encode("utf-8")).hexdigest()


def open_catalogue(folder: Path, records_file: str) -> Catalogue:
    """The generation's catalogue; a generation without one (an older build) is parsed whole.
    Raises OSError or ValueError for a missing or damaged generation."""
    folder = Path(folder)
    path = folder / CATALOGUE_FILE
    if not path.is_file():
        with open(folder / records_file, encoding="utf-8") as f:
            parsed = [json.loads(line) for line in f]
        columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
        for entry in parsed:
            for name, value in _columns(entry).items():
                columns[name].append(value)
        records = Records(folder / records_file, parsed=parsed)
        arrays = _to_arrays(columns, [0] * (len(parsed) + 1))
        arrays.lists.update(columns)
        return Catalogue(arrays, records, [e["metadata"] for e in parsed])
    raw = path.read_bytes()
    source = hashlib.sha1(raw).digest()
    count = _count(raw)
    found = _read_arrays(folder, source, count) if count is not None else None
    if found is None:
        found = _parse_catalogue(path, raw)
        _write_arrays(folder, found, source)
    offsets = found.arrays["offsets"]
    size = (folder / records_file).stat().st_size
    if int(offsets[-1]) != size:
        raise ValueError(f"{folder / records_file} is {size} bytes, the catalogue says {int(offsets[-1])}")

    def metadata() -> list[dict[str, Any]]:
        with open(folder / METADATA_FILE, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        if len(rows) != len(offsets) - 1:
            raise ValueError(
                f"{folder / METADATA_FILE} holds {len(rows)} rows, the catalogue {len(offsets) - 1}"
            )
        return rows

    return Catalogue(found, Records(folder / records_file, offsets=offsets), metadata)


def _count(raw: bytes) -> int | None:
    """The entry count written at the head of catalogue.json ({"format": 1, "count": N, …}), unparsed."""
    head = raw[:64].decode("utf-8", errors="replace")
    start = head.find('"count": ')
    if start < 0:
        return None
    digits = head[start + 9 :].split(",", 1)[0]
    return int(digits) if digits.isdigit() else None


def _parse_catalogue(path: Path, raw: bytes) -> Arrays:
    data = json.loads(raw)  # bytes: UTF-8 decoded by the parser, no text copy first
    if data.get("format") != FORMAT or len(data["offsets"]) != data["count"] + 1:
        raise ValueError(f"{path} has another format or is damaged")
    for name, table in data["tables"].items():
        data[name] = list(map(table.__getitem__, data[name]))
    columns = {c: data[c] for c in COLUMNS}
    if any(len(v) != data["count"] for v in columns.values()):
        raise ValueError(f"{path} is damaged: its columns differ in length")
    arrays = _to_arrays(columns, data["offsets"])
    arrays.lists.update(columns)
    return arrays
