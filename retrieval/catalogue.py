"""The records of one index generation, opened without parsing them all.

records.jsonl holds every record with its text: 128 MB for the whole corpus, which took 9 s and
550 MB to parse on every CLI start. Beside it, catalogue.json holds in columns what a search needs
for every entry before it knows which records it will show (ids, collections, article keys, version
dates, law names, cites, the score prior's inputs) and the byte offset of each line; metadata.jsonl
holds each entry's filter metadata, read on the first filtered search. A record is parsed when a
search shows it. A generation written before the catalogue existed is parsed whole, as before.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

CATALOGUE_FILE = "catalogue.json"
METADATA_FILE = "metadata.jsonl"
FORMAT = 1
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
    (folder / CATALOGUE_FILE).write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")


class Catalogue:
    """Column access to a generation's entries: `col("law_id")[i]`; `records[i]` parses one record."""

    def __init__(self, columns: dict[str, list[Any]], records: Records, metadata: Any) -> None:
        self._columns, self.records, self._metadata = columns, records, metadata
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.records)

    def col(self, name: str) -> list[Any]:
        return self._columns[name]

    def metadata(self) -> list[dict[str, Any]]:
        """Every entry's filter metadata (read on first use)."""
        with self._lock:
            if callable(self._metadata):
                self._metadata = self._metadata()
            return self._metadata


class Records(Sequence):
    """records.jsonl as a sequence: item i is parsed from its line when asked for, and kept a while."""

    def __init__(
        self, path: Path, offsets: list[int] | None = None, parsed: list[dict] | None = None
    ) -> None:
        self.path, self._offsets, self._parsed = Path(path), offsets, parsed
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_RDONLY) if parsed is None else -1

    def __len__(self) -> int:
        return len(self._parsed) if self._parsed is not None else len(self._offsets or [0]) - 1

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
        start, end = self._offsets[i], self._offsets[i + 1]
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
        return Catalogue(columns, records, [e["metadata"] for e in parsed])
    data = json.loads(path.read_bytes())  # bytes: UTF-8 decoded by the parser, no text copy first
    if data.get("format") != FORMAT or len(data["offsets"]) != data["count"] + 1:
        raise ValueError(f"{path} has another format or is damaged")
    size = (folder / records_file).stat().st_size
    if data["offsets"][-1] != size:
        raise ValueError(f"{folder / records_file} is {size} bytes, the catalogue says {data['offsets'][-1]}")
    for name, table in data["tables"].items():
        data[name] = list(map(table.__getitem__, data[name]))
    columns = {c: data[c] for c in COLUMNS}
    if any(len(v) != data["count"] for v in columns.values()):
        raise ValueError(f"{path} is damaged: its columns differ in length")

    def metadata() -> list[dict[str, Any]]:
        with open(folder / METADATA_FILE, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        if len(rows) != data["count"]:
            raise ValueError(
                f"{folder / METADATA_FILE} holds {len(rows)} rows, the catalogue {data['count']}"
            )
        return rows

    return Catalogue(columns, Records(folder / records_file, offsets=data["offsets"]), metadata)
