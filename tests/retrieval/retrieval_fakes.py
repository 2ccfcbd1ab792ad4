"""A deterministic fake embedder for the retrieval tests (importable by subprocesses too)."""

from __future__ import annotations

import hashlib

import numpy as np


class FakeEmbedder:
    """Character bigrams hashed into 64 dimensions: texts sharing words get close vectors.

    Deterministic and instant, for tests about index logic rather than model quality.
    """

    name = "fake-bigram-64"
    dimension = 64

    def __init__(self) -> None:
        self.calls: list[int] = []  # texts per encode call, to count what was re-embedded

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in zip(text, text[1:], strict=False):
                h = int.from_bytes(hashlib.blake2b((a + b).encode(), digest_size=4).digest(), "little")
                out[row, h % self.dimension] += 1.0
            out[row, 0] += 1e-3  # never the zero vector
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    @property
    def encoded(self) -> int:
        return sum(self.calls)
