"""`legal-assistant finetune retriever`: train the Chinese legal embedding model from the corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


@click.command(name="retriever")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Model folder (default <data_dir>/models/legal-static, which embedding.model 'auto' uses).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of sampling, initialisation and order."
)
@click.option("--epochs", type=int, default=2, show_default=True, help="Passes over the training pairs.")
@click.option("--batch-size", type=int, default=256, show_default=True, help="Pairs per optimiser step.")
@click.option("--learning-rate", type=float, default=0.1, show_default=True, help="Peak learning rate.")
@click.option(
    "--dim", "embedding_dim", type=int, default=512, show_default=True, help="Embedding dimensions."
)
@click.option(
    "--cap",
    "cap_per_article",
    type=int,
    default=100,
    show_default=True,
    help="Most training pairs per article from each source.",
)
@click.option(
    "--loss",
    type=click.Choice(["corpus_softmax", "mnrl"]),
    default="corpus_softmax",
    show_default=True,
    help="corpus_softmax: each query against every candidate article; mnrl: in-batch negatives.",
)
@click.option(
    "--sif-a",
    type=float,
    default=3e-4,
    show_default=True,
    help="Frequency weighting a/(a+p) folded into the token vectors after training (0: off).",
)
@click.option("--threads", type=int, help="torch threads (default: up to 2).")
@click.option("--no-eval", is_flag=True, help="Skip scoring the model on the held-out sets afterwards.")
@click.pass_obj
def retriever(
    obj,
    output: Path | None,
    seed: int,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    embedding_dim: int,
    cap_per_article: int,
    loss: str,
    sif_a: float,
    threads: int | None,
    no_eval: bool,
) -> None:
    """Train a StaticEmbedding retriever on pairs mined from the corpus, offline, in minutes.

    Pairs: CAIL train facts and judgments → their articles, Lawyer-LLaMA consultations (training
    split) → cited articles, charge names → articles, judicial interpretations and exam questions
    → the articles they cite or name, the lexicons' everyday words (retrieval.lexicons) → the
    articles each entry was written from, and every clause of those laws → its article. CAIL test
    facts and held-out consultations are never used.
    The result is a sentence-transformers folder with training_config.json and scores.json.
    """
    from finetune.retriever.data import RetrieverDataError, load_retriever_data
    from finetune.retriever.evaluate import FusionParams
    from finetune.retriever.pipeline import train_and_score
    from finetune.retriever.train import RetrieverTrainConfig, RetrieverTrainingError
    from retrieval.embeddings import LEGAL_MODEL_SUBDIR

    settings = obj.settings
    out = output or Path(settings.data_dir) / LEGAL_MODEL_SUBDIR
    knobs: dict[str, Any] = {
        "seed": seed,
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "embedding_dim": embedding_dim,
        "cap_per_article": cap_per_article,
        "loss": loss,
        "sif_a": sif_a,
        "max_chars": settings.embedding.max_chars,
    }
    if threads:
        knobs["threads"] = threads
    try:
        config = RetrieverTrainConfig(**knobs)
        data = load_retriever_data(
            settings.corpus_dir,
            log=click.echo,
            lexicons=settings.retrieval.lexicons,
            bank=settings.retrieval.question_bank,
        )
        result = train_and_score(
            data, out, config, fusion_from(settings, FusionParams), evaluate=not no_eval, log=click.echo
        )
    except (RetrieverTrainingError, RetrieverDataError) as e:
        raise click.ClickException(str(e)) from e
    for set_name, methods in result.get("scores", {}).items():
        for method, m in methods.items():
            click.echo(
                f"{set_name:22s} {method:8s} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  "
                f"R@10 {m['recall@10']:.3f}  MRR {m['mrr']:.3f}"
            )
    click.echo(f"model: {out}")


def fusion_from(settings, cls):
    """Fusion parameters from the retrieval settings, as the searcher fuses."""
    r = settings.retrieval
    return cls(
        k=r.rrf_k, dense_weight=r.dense_weight, lexical_weight=r.lexical_weight, candidates=r.candidates
    )
