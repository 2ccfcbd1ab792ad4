"""The two jobs the CLI runs: train (and score) the retriever, and evaluate retrieval methods."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from finetune.retriever.data import EVAL_SETS, RetrieverData
from finetune.retriever.evaluate import METHODS, FusionParams, evaluate_set
from finetune.retriever.train import SCORES_FILE, RetrieverTrainConfig, train_retriever

Encoder = Callable[[list[str]], np.ndarray]


def sentence_transformer_encoder(model: str, batch_size: int = 64, max_chars: int = 512) -> Encoder:
    """Encode as the index does (retrieval.embeddings): clipped texts, L2-normalised vectors."""
    from retrieval.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, "cpu", batch_size, max_chars).encode


def evaluate_methods(
    data: RetrieverData,
    encoders: dict[str, Encoder],
    fusion: FusionParams,
    methods: Sequence[str] = METHODS,
    set_names: tuple[str, ...] = EVAL_SETS,
    log: Callable[[str], None] = print,
) -> dict[str, dict[str, dict[str, float]]]:
    """{set: {method: {recall@1, recall@5, recall@10, mrr}}} for every held-out set."""
    from tqdm import tqdm

    results: dict[str, dict[str, dict[str, float]]] = {}
    for eval_set in tqdm(data.eval_sets(set_names), desc="evaluating", unit="set"):
        log(f"{eval_set.name}: {len(eval_set)} queries over {eval_set.searched}")
        results[eval_set.name] = evaluate_set(eval_set, encoders, data.user_words, fusion, methods)
    return results


def encode_rate(encode: Encoder, texts: list[str], repeats: int = 1) -> float:
    """Texts per second over `texts` (best of `repeats`)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        encode(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / max(best, 1e-9)


def train_and_score(
    data: RetrieverData,
    output: Path,
    config: RetrieverTrainConfig,
    fusion: FusionParams,
    *,
    evaluate: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Train into `output`; then score it (dense, lexical, hybrid) into `output/scores.json`."""
    record = train_retriever(data.training_data(), output, config, log=log, table=data.table)
    if not evaluate:
        return {"training": record}
    log("scoring the trained model on the held-out sets …")
    encoder = sentence_transformer_encoder(str(output))
    scores = evaluate_methods(data, {"dense": encoder}, fusion, ("dense", "lexical", "hybrid"), log=log)
    texts = [a.text for a in data.table.special_part()]
    payload = {
        "scores": scores,
        "definitions": {
            "hit@k": "a query is a hit at k when any of its gold articles is in the first k results",
            "mrr": "mean of 1 / rank of the first gold article (0 when none is in the first 100)",
            "hybrid": f"weighted reciprocal-rank fusion (k={fusion.k}, dense {fusion.dense_weight}, "
            f"lexical {fusion.lexical_weight}, {fusion.candidates} candidates each)",
        },
        "encode_texts_per_second": round(encode_rate(encoder, texts), 1),
        "seed": config.seed,
    }
    (Path(output) / SCORES_FILE).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return {"training": record, **payload}
