"""A deterministic, fast embedder for UI tests: hashed character bigrams (no model, no download).

The browser tests are about the UI and its services, not about embedding quality; the lexical
half of hybrid search still ranks by the real BM25.
"""

from __future__ import annotations

import zlib

import numpy as np


class HashEmbedder:
    name = "test:hashed-bigrams-256"
    dimension = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for a, b in zip(text, text[1:], strict=False):
                out[i, zlib.crc32((a + b).encode("utf-8")) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)
