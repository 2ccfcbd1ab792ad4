"""Whether a committed index can answer: `index status` and the index page ask here.

A status that says "ok" must mean a search would work, so this reads what a search reads: the
manifest, the generation's records and BM25 files, the Chroma store and its vector counts, and the
model the settings name against the one the index was built with. It never raises: it names the
first problem, and the CLI exits non-zero on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from retrieval import manifest as mf
from retrieval import store
from retrieval.errors import RetrievalError
from retrieval.index import check_embedding, check_vector_store, generation_problem
from retrieval.settings import EmbeddingSettings, VectorStoreSettings


def index_status(
    data_dir: Path,
    embedding: EmbeddingSettings | None = None,
    vector_store: VectorStoreSettings | None = None,
    *,
    corpus_root: Path | None = None,
    with_coverage: bool = False,
) -> dict[str, Any]:
    """What is indexed, for `index status` and the UI; never raises for a broken index.

    With the settings it also checks what a search needs: the generation's records and BM25 files, the
    Chroma store and its vectors, and that the configured model is the one the index was built with.
    `problem` names the first thing that would make a search fail (None when the index is usable).
    """
    data_dir = Path(data_dir)
    status: dict[str, Any] = {"index_dir": str(mf.index_dir(data_dir)), "exists": False, "problem": None}
    try:
        manifest = mf.read_manifest(data_dir)
    except Exception as e:  # a status report must describe the problem, not raise it
        status["problem"] = str(e)
        return status
    status["exists"] = True
    status.update({k: v for k, v in manifest.items() if k != "entries"})
    status["records"] = len(manifest["entries"])
    laws: dict[str, int] = {}
    for value in manifest["entries"].values():
        laws[value[4]] = laws.get(value[4], 0) + 1
    status["laws"] = len(laws)
    problem = generation_problem(data_dir, manifest)
    if problem is None and vector_store is not None:
        problem = _store_problem(data_dir, manifest, vector_store)
    if problem is None and embedding is not None:
        try:
            check_embedding(manifest, embedding, data_dir, None)
        except RetrievalError as e:
            problem = str(e)
    if problem is not None and "legal-assistant index" not in problem:
        problem += ": run `legal-assistant index update` to repair it, or `legal-assistant index build`"
    status["problem"] = problem
    if with_coverage and problem is None:  # reads every record: asked for by `index status` only
        from retrieval.coverage import coverage_from_records

        records = mf.generation_dir(data_dir, manifest["generation"]) / mf.RECORDS_FILE
        status["coverage"] = coverage_from_records(records, corpus_root)
    return status


def _store_problem(data_dir: Path, manifest: dict[str, Any], vector_store: VectorStoreSettings) -> str | None:
    """Whether the Chroma store answers and holds the committed vectors."""
    try:
        check_vector_store(manifest, vector_store)
    except RetrievalError as e:
        return str(e)
    db = mf.index_dir(data_dir) / store.CHROMA_SUBDIR / "chroma.sqlite3"
    if vector_store.mode == "embedded" and (not db.is_file() or db.stat().st_size == 0):
        return f"the Chroma database {db} is missing or empty: run `legal-assistant index build`"
    try:
        client = store.make_client(vector_store, mf.index_dir(data_dir))
        store.check_client(client)
        collections = store.open_collections(client, manifest["collections"])
        counts = {c: col.count() for c, col in collections.items()}
    except Exception as e:  # chromadb raises plain Exceptions for a damaged file or a dead server
        where = (
            f"server {vector_store.host}:{vector_store.port}" if vector_store.mode == "server" else str(db)
        )
        return f"the Chroma store ({where}) is unusable: {str(e).splitlines()[0]}"
    short = {c: (counts.get(c, 0), n) for c, n in manifest["counts"].items() if counts.get(c, 0) < n}
    if short:
        return (
            "Chroma holds fewer vectors than the manifest ("
            + ", ".join(f"{c} {have} of {n}" for c, (have, n) in short.items())
            + "): run `legal-assistant index build`"
        )
    return None
