"""The Chroma side of the index: clients (embedded or server), collections, batched writes.

Chroma only holds vectors and filter metadata; texts and hashes live in the index generation
(see retrieval.index), so an entry in Chroma is immutable: its id carries a hash of everything
it stores, and a changed record is a new entry.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.errors import VectorStoreError
from retrieval.settings import VectorStoreSettings

COLLECTIONS = ("statutes", "interpretations", "cases")
MAX_ADD_BATCH = 5000  # Chroma refuses more than 5,461 records per add
CHROMA_SUBDIR = "chroma"


def make_client(vector_store: VectorStoreSettings, index_dir: Path) -> Any:
    """A Chroma client for the settings: PersistentClient in index_dir/chroma, or HttpClient.

    An embedded client sees every commit of the index, from any process (see _unshare_if_stale)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    match vector_store.mode:
        case "embedded":
            path = Path(index_dir) / CHROMA_SUBDIR
            try:
                path.mkdir(parents=True, exist_ok=True)
                with _SHARED_LOCK:
                    _unshare_if_stale(path)
                    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except Exception as e:  # chromadb raises plain Exceptions from its Rust core
                raise VectorStoreError(f"cannot open the Chroma folder {path}: {e}") from e
        case "server":
            try:
                return chromadb.HttpClient(
                    host=vector_store.host, port=vector_store.port, settings=chroma_settings
                )
            except Exception as e:
                raise VectorStoreError(
                    f"cannot reach the Chroma server at {vector_store.host}:{vector_store.port} "
                    f"(start one with `chroma run --path DIR --host {vector_store.host} --port {vector_store.port}`"
                    f" or set vector_store.mode = 'embedded'): {e}"
                ) from e
    raise VectorStoreError(f"unknown vector_store.mode {vector_store.mode!r}")  # pragma: no cover


def check_client(client: Any) -> None:
    """Make the client read its store (opening a client reads nothing); VectorStoreError when it cannot."""
    try:
        client.list_collections()
    except Exception as e:  # chromadb raises plain Exceptions from its Rust core and its HTTP client
        raise VectorStoreError(f"the Chroma store cannot be read: {str(e).splitlines()[0]}") from e


# folder → the stamp of the index manifest when chromadb's shared system for that folder was made
_SHARED_SINCE: dict[str, tuple[int, int, int] | None] = {}
_SHARED_LOCK = threading.Lock()


def _manifest_stamp(index_dir: Path) -> tuple[int, int, int] | None:
    try:
        st = (Path(index_dir) / "manifest.json").stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _unshare_if_stale(path: Path) -> None:
    """Let the next client of this folder start a Chroma system of its own when the index was committed
    since the shared one was made. chromadb shares one system per folder in a process, and it keeps the
    HNSW indexes it loaded in memory: it never sees what another process wrote (after a CLI `index
    update`, serve's searches answered from the old vectors, finding 6.1). The old system is not stopped:
    clients and collections made from it (a search still on the previous generation, a build in this
    process) hold it and go on with it; it is freed with them. One new system per commit, not per client."""
    stamp = _manifest_stamp(path.parent)
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        systems = SharedSystemClient._identifier_to_system
        if str(path) in systems and _SHARED_SINCE.get(str(path)) != stamp:
            systems.pop(str(path), None)
        if str(path) not in systems:
            _SHARED_SINCE[str(path)] = stamp
    except Exception:  # a private API: if it moved, the worst case is the old, shared system
        pass


def _forget_client(path: Path) -> None:
    """Drop chromadb's in-process cache of the client for this folder, so a new one reopens the files."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        system = SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
        if system is not None:
            system.stop()
    except Exception:  # a private API: if it moved, the worst case is the error the caller reports
        pass


def client_for_build(vector_store: VectorStoreSettings, index_dir: Path) -> tuple[Any, Path | None]:
    """A client a full build can write to. A damaged embedded store (a corrupt chroma.sqlite3) is moved
    aside to `chroma.damaged-<time>` and a fresh one started: a build rewrites every vector anyway.
    Returns (client, the folder moved aside or None); the caller removes it once the build is committed."""
    try:
        client = make_client(vector_store, index_dir)
        check_client(client)
        return client, None
    except VectorStoreError:
        if vector_store.mode != "embedded":
            raise
    path = Path(index_dir) / CHROMA_SUBDIR
    _forget_client(path)
    aside = path.with_name(f"{CHROMA_SUBDIR}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
    try:
        path.rename(aside)
    except OSError as e:
        raise VectorStoreError(
            f"the Chroma folder {path} is damaged and cannot be moved aside ({e}): delete {path} "
            "and run `legal-assistant index build` again"
        ) from e
    client = make_client(vector_store, index_dir)
    check_client(client)
    return client, aside


def remove_damaged(aside: Path | None) -> None:
    if aside is not None:
        _forget_client(aside)
        shutil.rmtree(aside, ignore_errors=True)


# Chroma's embedded HNSW index is written to disk every `sync_threshold` (1000) changes; the changes since
# (up to 999 per collection, and the deletes of an update) stay in its log and are re-inserted into the
# graph by every process that opens the collection: on the whole corpus 1,932 of them cost each cold
# search 1.2 s of CPU. Only that replay persists, so a fresh process opens each collection once under
# a low threshold. In a child: a new Chroma system in the builder's process would stop the one that a
# `serve` running the build shares for its searches.
PERSIST_MIN = 3000  # entries from which the child is worth its start (about 1.5 s of CPU)
_PERSIST_THRESHOLD = 100  # Chroma's default batch_size: the smallest threshold it validates


def persist_logs(
    vector_store: VectorStoreSettings, index_dir: Path, names: dict[str, str], entries: int
) -> None:
    """Make the embedded Chroma write the collections' HNSW indexes whole, so opening them replays nothing."""
    if vector_store.mode != "embedded" or entries < PERSIST_MIN:
        return
    from retrieval import children

    child = children.Child("retrieval.store:persist_child_main", "writing the Chroma index to disk")
    child.send((vector_store.model_dump(), str(index_dir), dict(names)))
    try:
        child.finish()
    finally:
        child.kill()


def persist_child_main() -> None:
    from retrieval import children

    for settings, index_dir, names in children.messages():
        client = make_client(VectorStoreSettings(**settings), Path(index_dir))
        for name in names.values():
            persist_collection(client.get_collection(name, embedding_function=None))


def persist_collection(collection: Any) -> None:
    """Open (load) a collection not yet loaded in this process under a low sync threshold: the replay
    of its log then persists the graph, exactly as every reader would have rebuilt it."""
    keep = collection.configuration["hnsw"]["sync_threshold"]
    collection.modify(configuration={"hnsw": {"sync_threshold": _PERSIST_THRESHOLD}})
    try:
        collection.count()  # loads the index: the log is replayed, and written under the threshold
    finally:
        collection.modify(configuration={"hnsw": {"sync_threshold": keep}})


def collection_names(prefix: str, build_id: str) -> dict[str, str]:
    """Collection names for one full build; a rebuild writes new collections beside the old ones."""
    return {c: f"{prefix}-{c}-{build_id}" for c in COLLECTIONS}


# HNSW inserts are the largest part of Chroma's share of a build. Measured on the whole corpus (70,604
# vectors of the legal model in one collection; recall@50 of 200 queries against exact search; CPU
# seconds of the adds, noisy on a shared machine): Chroma's defaults (ef_construction 100, ef_search
# 100) 78 s, recall 0.918; ef_construction 64 / ef_search 200: 56 s, 0.942; 48 / 256: 46 s, 0.936;
# 40 / 200: 48 s, 0.899. A wider search makes up for a cheaper graph; queries stay near 3 ms.
HNSW = {"space": "cosine", "ef_construction": 48, "ef_search": 256}


def create_collections(client: Any, names: dict[str, str]) -> dict[str, Any]:
    # embedding_function=None: vectors are always precomputed, and Chroma's default function
    # would try to download an ONNX model.
    return {
        c: client.get_or_create_collection(name, embedding_function=None, configuration={"hnsw": dict(HNSW)})
        for c, name in names.items()
    }


def open_collections(client: Any, names: dict[str, str]) -> dict[str, Any]:
    """The existing collections; a missing one raises VectorStoreError naming it."""
    out = {}
    existing = set(list_collection_names(client))
    for c, name in names.items():
        if name not in existing:
            raise VectorStoreError(f"Chroma collection {name} is missing")
        out[c] = client.get_collection(name, embedding_function=None)
    return out


def list_collection_names(client: Any) -> list[str]:
    return [getattr(c, "name", c) for c in client.list_collections()]


def drop_collections_except(client: Any, prefix: str, keep: set[str]) -> list[str]:
    """Delete this index's collections (by prefix) that the manifest no longer names."""
    dropped = []
    for name in list_collection_names(client):
        if name.startswith(f"{prefix}-") and name not in keep and name.split("-")[-2] in COLLECTIONS:
            client.delete_collection(name)
            dropped.append(name)
    return dropped


def _batches(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def add_vectors(collection: Any, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict]) -> None:
    for s in _batches(len(ids), MAX_ADD_BATCH):
        collection.upsert(ids=list(ids[s]), embeddings=vectors[s], metadatas=list(metadatas[s]))


def existing_ids(collection: Any, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for s in _batches(len(ids), MAX_ADD_BATCH):
        found.update(collection.get(ids=list(ids[s]), include=[])["ids"])
    return found


def get_vectors(collection: Any, ids: Sequence[str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for s in _batches(len(ids), MAX_ADD_BATCH):
        got = collection.get(ids=list(ids[s]), include=["embeddings"])
        for i, vec in zip(got["ids"], got["embeddings"], strict=True):
            out[i] = np.asarray(vec, dtype=np.float32)
    return out


def all_ids(collection: Any) -> list[str]:
    ids: list[str] = []
    offset = 0
    while True:
        page = collection.get(include=[], limit=MAX_ADD_BATCH, offset=offset)["ids"]
        ids.extend(page)
        if len(page) < MAX_ADD_BATCH:
            return ids
        offset += len(page)


def delete_ids(collection: Any, ids: Sequence[str]) -> None:
    for s in _batches(len(ids), MAX_ADD_BATCH):
        collection.delete(ids=list(ids[s]))
