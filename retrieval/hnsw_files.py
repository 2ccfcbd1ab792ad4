"""Read-only queries of the HNSW indexes that the embedded Chroma has written to disk, without Chroma.

`import chromadb` and opening its client cost a cold search about 1.5 s of CPU, and counting three
collections 0.4 s more. Chroma's embedded store keeps each collection's vectors in an hnswlib index
(header.bin, data_level0.bin, length.bin, link_lists.bin) and its label → id table in
index_metadata.pickle, in one folder per vector segment; `chroma-hnswlib` (Chroma's fork of hnswlib,
the same C++) opens that folder and answers the same neighbours.

It is used only where it answers what Chroma would: every change in Chroma's log has been written
into the files (the vector segment's max_seq_id reaches the last logged change of its collection; a
change since is replayed into the graph only by a Chroma that opens the collection), the collection
is cosine, the files load, their dimension and their live ids agree with the table, and nothing
was logged while they were read. Otherwise `open_collections` returns None and the caller uses Chroma.
Measured on the whole corpus (745 queries, 100 neighbours per collection): the same neighbours in
the same order, except where two records have identical vectors (one text in two versions of a
law) and tie at the 100th place, where either may be kept; distances agree within 1.2e-7 (Chroma's
build and the wheel compute the dot product with different SIMD widths).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

SEGMENT_TYPE = "urn:chroma:segment/vector/hnsw-local-persisted"
FILES = ("header.bin", "data_level0.bin", "length.bin", "link_lists.bin", "index_metadata.pickle")
DEFAULT_EF_SEARCH = 100  # Chroma's, when a collection's configuration names none


class NotUsable(Exception):
    """Why the files cannot stand in for Chroma (logged; the caller falls back to Chroma)."""


@dataclass(frozen=True)
class _Segment:
    collection: str  # Chroma's collection name
    folder: Path
    topic: str  # a LIKE pattern of the collection's log topic in embeddings_queue
    ef_search: int
    dimension: int


class Positions:
    """The searcher's entries, for a table of each collection's HNSW labels → entry positions: `digest`
    names the entry ids, `pos()` maps an id to its position, `count` entries. The tables are kept in
    `cache_dir` under a hash of Chroma's id table (index_metadata.pickle) and of the ids: unpickling
    Chroma's three dicts of 70,000 ids and mapping them cost a cold search 0.15 s."""

    def __init__(self, digest: str, pos: Callable[[], dict[str, int]], count: int, cache_dir: Path) -> None:
        self.digest, self.pos, self.count, self.cache_dir = digest, pos, count, Path(cache_dir)


class FileCollection:
    """One collection's persisted HNSW index, queried as `chromadb.Collection.query` is (no `where`)."""

    def __init__(
        self,
        name: str,
        index: Any,
        label_to_id: Callable[[], dict[int, str]],
        count: int,
        chroma: Callable[[], Any],
        label_positions: np.ndarray | None = None,
    ) -> None:
        self.name, self._index, self._label_to_id, self._count = name, index, label_to_id, count
        self._chroma, self._positions = chroma, label_positions

    def count(self) -> int:
        return self._count

    @functools.cached_property
    def _ids(self) -> dict[int, str]:
        return self._label_to_id()

    def query(
        self,
        query_embeddings: list[Any],
        n_results: int,
        where: dict | None = None,
        include: tuple[str, ...] | list[str] = ("distances",),
    ) -> dict[str, list]:
        if where:  # Chroma filters by the metadata it holds: the files hold none
            return self._chroma().query(
                query_embeddings=query_embeddings, n_results=n_results, where=where, include=include
            )
        k = min(int(n_results), self._count)
        if k <= 0:
            return {"ids": [[] for _ in query_embeddings], "distances": [[] for _ in query_embeddings]}
        vectors = np.asarray(query_embeddings, dtype=np.float32).reshape(len(query_embeddings), -1)
        labels, distances = self._index.knn_query(vectors, k=k, num_threads=1)
        return {
            # a label without an id (none was seen) counts as an entry the index does not name
            "ids": [[self._ids.get(int(label), "") for label in row] for row in labels],
            "distances": [[float(d) for d in row] for row in distances],
        }

    def nearest_positions(self, vector: Any, n_results: int) -> tuple[list[tuple[float, int]], int] | None:
        """((distance, entry position) of the n nearest that are the searcher's entries, how many
        neighbours were found), as `query` would give them mapped through the positions; None
        without a table of positions."""
        if self._positions is None:
            return None
        k = min(int(n_results), self._count)
        if k <= 0:
            return [], 0
        labels, distances = self._index.knn_query(
            np.asarray(vector, dtype=np.float32).reshape(1, -1), k=k, num_threads=1
        )
        table = self._positions
        labels = labels[0].astype(np.int64)
        inside = labels < len(table)
        found = np.where(inside, table[np.where(inside, labels, 0)], -1).tolist()
        got = [(float(d), p) for d, p in zip(distances[0], found, strict=True) if p >= 0]
        return got, len(found)


def open_collections(
    chroma_dir: Path,
    names: dict[str, str],
    counts: dict[str, int],
    chroma: Callable[[], dict[str, Any]],
    positions: Positions | None = None,
) -> dict[str, FileCollection] | None:
    """{key: FileCollection} for Chroma collections `names` ({key: collection name}) holding at least
    `counts` vectors, or None (logged) when the files cannot answer exactly what Chroma would.
    `chroma()`: the same collections opened in Chroma, for the queries with a `where` filter.
    `positions`: the searcher's entries, for `FileCollection.nearest_positions`."""
    try:
        segments = _open(Path(chroma_dir), names, counts, positions)
    except NotUsable as e:
        log.info("Chroma's index files are not used (%s): searching through Chroma", e)
        return None
    except Exception as e:  # a damaged file raises whatever its reader raises: Chroma says what is wrong
        log.info(
            "Chroma's index files cannot be read (%s: %s): searching through Chroma", type(e).__name__, e
        )
        return None
    return {
        key: FileCollection(
            seg.collection, index, ids, count, functools.partial(_chroma_one, chroma, key), table
        )
        for key, (seg, index, ids, count, table) in segments.items()
    }


def _chroma_one(chroma: Callable[[], dict[str, Any]], key: str) -> Any:
    return chroma()[key]


def _open(
    chroma_dir: Path, names: dict[str, str], counts: dict[str, int], positions: Positions | None
) -> dict[str, tuple]:
    db_path = chroma_dir / "chroma.sqlite3"
    if not db_path.is_file():
        raise NotUsable(f"no {db_path}")
    db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=1.0)
    try:
        segments = {key: _segment(db, chroma_dir, name) for key, name in names.items()}
        before = _log_state(db, segments)
        out = {key: _load(seg, counts.get(key, 0), positions) for key, seg in segments.items()}
        if _log_state(db, segments) != before:
            raise NotUsable("Chroma was written while its files were read")
    finally:
        db.close()
    return out


def _segment(db: sqlite3.Connection, chroma_dir: Path, name: str) -> _Segment:
    row = db.execute(
        "select c.id, c.dimension, c.schema_str, c.config_json_str, s.id, s.type from collections c "
        "join segments s on s.collection = c.id where c.name = ? and s.scope = 'VECTOR'",
        (name,),
    ).fetchone()
    if row is None:
        raise NotUsable(f"no vector segment for collection {name}")
    collection_id, dimension, schema_json, config_json, segment_id, segment_type = row
    if segment_type != SEGMENT_TYPE:
        raise NotUsable(f"collection {name} has a {segment_type} segment")
    hnsw = _hnsw_config(schema_json, config_json)
    if hnsw.get("space", "l2") != "cosine":
        raise NotUsable(f"collection {name} is not cosine")
    folder = chroma_dir / str(segment_id)
    if not all((folder / f).is_file() for f in FILES):
        raise NotUsable(f"collection {name} has not been written to disk yet")
    topic = f"%/{collection_id}"  # persistent://<tenant>/<database>/<collection id>
    ef = int(hnsw.get("ef_search") or DEFAULT_EF_SEARCH)
    return _Segment(name, folder, topic, ef, int(dimension or 0))


def _hnsw_config(schema_json: str | None, config_json: str | None) -> dict[str, Any]:
    """The vector index settings of a collection: from its schema (Chroma 1.x), else its configuration."""
    schema = json.loads(schema_json or "{}")
    for section in (
        schema.get("keys", {}).get("#embedding", {}).get("float_list", {}).get("vector_index", {}),
        schema.get("defaults", {}).get("float_list", {}).get("vector_index", {}),
    ):
        inner = section.get("config", {})
        if "hnsw" in inner:
            return {"space": inner.get("space", "l2"), **inner["hnsw"]}
    hnsw = json.loads(config_json or "{}").get("hnsw")
    if isinstance(hnsw, dict):
        return hnsw
    raise NotUsable("no HNSW configuration recorded")


def _log_state(db: sqlite3.Connection, segments: dict[str, _Segment]) -> dict[str, tuple[int, int]]:
    """Per collection: (the vector segment's applied seq id, the last logged change). Changes logged
    beyond the first are not in the files (Chroma replays them into its graph when it opens it)."""
    state = {}
    for key, seg in segments.items():
        applied = db.execute(
            "select seq_id from max_seq_id where segment_id = ?", (seg.folder.name,)
        ).fetchone()
        logged = db.execute(
            "select max(seq_id) from embeddings_queue where topic like ?", (seg.topic,)
        ).fetchone()
        a = _seq(applied[0]) if applied else -1
        last = _seq(logged[0]) if logged and logged[0] is not None else -1
        if last > a:
            raise NotUsable(f"{last - a} changes of {seg.collection} are only in Chroma's log")
        state[key] = (a, last)
    return state


def _seq(value: Any) -> int:
    """Chroma stores seq ids as integers, or (older stores) as big-endian bytes."""
    return int.from_bytes(value, "big") if isinstance(value, bytes) else int(value)


def _load(seg: _Segment, expected: int, positions: Positions | None) -> tuple:
    """(segment, hnswlib index, label → id (a function: read on first use), id count, label → position
    table or None)."""
    import hnswlib

    raw = (seg.folder / "index_metadata.pickle").read_bytes()  # written by Chroma itself in the index folder
    cache = _table_path(seg, raw, positions) if positions is not None else None
    table = _read_table(cache, positions) if cache is not None and positions is not None else None
    if table is not None:
        n_ids = int(table[-1])  # its id count: its ids and labels were checked equal in number
        table = table[:-1]
    else:
        meta = pickle.loads(raw)
        label_to_id = meta["label_to_id"]
        n_ids = len(label_to_id)
        if n_ids != len(meta["id_to_label"]):
            raise NotUsable(f"{seg.collection} holds {n_ids} ids for {len(meta['id_to_label'])} labels")
        if cache is not None and positions is not None:
            table = _write_table(cache, label_to_id, positions, seg.folder)
    if n_ids < expected:
        raise NotUsable(f"{seg.collection} holds {n_ids} ids, the index names {expected}")
    index = hnswlib.Index(space="cosine", dim=seg.dimension)
    index.load_index(str(seg.folder), is_persistent_index=True, max_elements=0)
    if index.element_count < n_ids:
        raise NotUsable(f"{seg.collection}: {index.element_count} vectors for {n_ids} ids")
    _check_sizes(seg, index)
    index.set_ef(seg.ef_search)
    return seg, index, functools.partial(_label_to_id, raw), n_ids, table


def _label_to_id(raw: bytes) -> dict[int, str]:
    return pickle.loads(raw)["label_to_id"]


TABLE_FORMAT = b"label-positions 1"


def _table_path(seg: _Segment, raw: bytes, positions: Positions) -> Path:
    digest = hashlib.sha1(TABLE_FORMAT + b"\0" + positions.digest.encode() + b"\0")
    digest.update(raw)
    key = digest.hexdigest()[:24]
    return positions.cache_dir / f"hnsw-{seg.folder.name}-{key}.npz"


def _read_table(path: Path, positions: Positions) -> np.ndarray | None:
    """The label → position table (its last item: the id count), when it is there and whole."""
    try:
        with np.load(path, allow_pickle=False) as z:
            table = z["table"]  # read whole: a zip member's CRC is checked, so a damaged table is refused
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
        log.warning("the table %s cannot be used (%s): reading Chroma's ids", path, e)
        return None
    if (
        table.ndim != 1
        or table.dtype != np.int64
        or len(table) < 1
        or int(table[:-1].max(initial=-1)) >= positions.count
    ):
        log.warning("the table %s is damaged: reading Chroma's ids", path)
        return None
    return table


def _write_table(path: Path, label_to_id: dict[int, str], positions: Positions, segment: Path) -> np.ndarray:
    """The table, written best effort (atomically; older tables of the segment removed)."""
    pos = positions.pos()
    size = max(label_to_id, default=-1) + 1
    table = np.full(size + 1, -1, dtype=np.int64)
    for label, eid in label_to_id.items():
        table[label] = pos.get(eid, -1)
    table[-1] = len(label_to_id)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            np.savez(f, allow_pickle=False, table=table)
        os.replace(tmp, path)
        for old in path.parent.glob("hnsw-*.np[yz]"):  # older tables of this segment, tables of dropped ones
            name = old.name[len("hnsw-") : -len("-.npz") - 24]
            if old != path and (name == segment.name or not (segment.parent / name).is_dir()):
                old.unlink(missing_ok=True)
    except OSError as e:
        log.info("the table %s cannot be written (%s)", path, e)
        tmp.unlink(missing_ok=True)
    return table[:-1]


def _check_sizes(seg: _Segment, index: Any) -> None:
    """hnswlib reads a short file without complaint (the rest of its memory is left as it was): the
    files must hold `element_count` elements. Per element, data_level0.bin holds its vector, a link
    count, 2·M links and its label, and length.bin its norm (float32), both written up to the index's
    capacity or its count; link_lists.bin holds the byte size of each element's upper-level links, then
    those links."""
    n = index.element_count
    per_element = seg.dimension * 4 + 4 + 2 * index.M * 4 + 8
    if (seg.folder / "data_level0.bin").stat().st_size < n * per_element or (
        seg.folder / "length.bin"
    ).stat().st_size < n * 4:
        raise NotUsable(f"the index files of {seg.collection} are shorter than their header says")
    links = (seg.folder / "link_lists.bin").read_bytes()
    if _links_hold(links, n):
        return
    raise NotUsable(f"the link lists of {seg.collection} do not hold {n} elements")


def _links_hold(links: bytes, n: int) -> bool:
    """True when the link lists are exactly n (byte size, links) records. Sizes are whole links (4 bytes):
    the file is then read as 4-byte words (walking 70,000 records with struct cost 25 ms)."""
    if len(links) % 4 == 0:
        words = np.frombuffer(links, dtype="<u4").tolist()
        at, end = 0, len(words)
        for _ in range(n):
            if at >= end:
                return False
            size = words[at]
            if size % 4:
                break  # not whole words: walked by bytes below
            at += 1 + size // 4
        else:
            return at == end
    pos, unpack = 0, struct.Struct("<I").unpack_from
    for _ in range(n):
        if pos + 4 > len(links):
            return False
        pos += 4 + unpack(links, pos)[0]
    return pos == len(links)
