"""Question memory: questions people asked, with the articles their answers cite, as nearest neighbours.

A question in everyday words (我要离婚他不离) rarely shares words with the article that answers it
(民法典第一千零七十九条), but often with an earlier question whose answer cited that article. The
memory holds such questions from the training splits of the corpus (Lawyer-LLaMA consultations,
exam questions whose answers cite articles or name a charge), encoded by the legal model that the
index uses; `finetune retriever` writes it next to the model. At query time the nearest questions
vote for the articles they cite, a fourth ranking in the fusion.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MEMORY_VECTORS = "question_memory.npy"
MEMORY_TARGETS = "question_memory.json"


class QuestionMemory:
    """Unit vectors of remembered questions and, per question, the articles (law, number, suffix) it cites."""

    def __init__(self, vectors: np.ndarray, targets: Sequence[Sequence[tuple[str, int, int]]]) -> None:
        if len(vectors) != len(targets):
            raise ValueError(f"QuestionMemory: {len(vectors)} vectors but {len(targets)} target lists")
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.targets = [[(str(law), int(n), int(s)) for law, n, s in t] for t in targets]

    def __len__(self) -> int:
        return len(self.targets)

    def nearest(self, query_vector: np.ndarray, n: int) -> list[tuple[int, float]]:
        """The n most similar remembered questions (row, cosine), best first."""
        if not len(self) or n <= 0:
            return []
        sims = self.vectors @ np.asarray(query_vector, dtype=np.float32)
        n = min(n, len(sims))
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(i), float(sims[i])) for i in top]

    def save(self, folder: Path, texts: Sequence[str] = ()) -> None:
        folder = Path(folder)
        np.save(folder / MEMORY_VECTORS, self.vectors.astype(np.float16))
        payload = {"targets": self.targets, "texts": list(texts)}
        (folder / MEMORY_TARGETS).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> QuestionMemory | None:
        """The memory saved in a model folder, or None when the folder has none (or it is unreadable)."""
        folder = Path(folder)
        if not (folder / MEMORY_VECTORS).is_file() or not (folder / MEMORY_TARGETS).is_file():
            return None
        try:
            vectors = np.load(folder / MEMORY_VECTORS).astype(np.float32)
            targets = json.loads((folder / MEMORY_TARGETS).read_text(encoding="utf-8"))["targets"]
            return cls(vectors, targets)
        except (OSError, ValueError, KeyError):
            return None
