"""`legal-assistant finetune data build`: training sets from the corpus."""

from __future__ import annotations

from pathlib import Path

import click


@click.group(name="data")
def data() -> None:
    """Training data for the generation models (alpaca / sharegpt / LLaMA-Factory)."""


@data.command(name="build")
@click.option(
    "--output", type=click.Path(path_type=Path), help="Output folder (default <data_dir>/finetune/data)."
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="At most N articles and N cases per source (a quick sample)."
)
@click.option(
    "--valid-fraction",
    type=click.FloatRange(0, 0.5),
    default=0.02,
    show_default=True,
    help="Share of groups (cases, articles, questions) held out for validation.",
)
@click.option(
    "--max-length",
    type=click.IntRange(min=16),
    default=2048,
    show_default=True,
    help="Drop samples longer than this (tokens with --tokenizer, else characters).",
)
@click.option("--tokenizer", help="Tokenizer (folder or hub id) to measure lengths in tokens.")
@click.option("--overwrite", is_flag=True, help="Replace a data set already built in --output.")
@click.option(
    "--rag-per-origin",
    type=click.IntRange(min=0),
    default=400,
    show_default=True,
    help="RAG questions per origin (CAIL train, consultations, JEC-QA, articles); 0 skips the RAG set.",
)
@click.option(
    "--rag-max-length",
    type=click.IntRange(min=16),
    default=6144,
    show_default=True,
    help="Drop RAG samples longer than this (their prompts carry the retrieved sources).",
)
@click.option(
    "--gold-absent-share",
    type=float,
    default=0.2,
    show_default=True,
    help="Share of RAG samples whose gold articles are held out of the sources (0–1).",
)
@click.pass_obj
def build_cmd(
    obj,
    output: Path | None,
    limit: int | None,
    valid_fraction: float,
    max_length: int,
    tokenizer: str | None,
    overwrite: bool,
    rag_per_origin: int,
    rag_max_length: int,
    gold_absent_share: float,
) -> None:
    """Build statute, sentencing, adversarial, judgment-context, contrastive, imported Q&A and RAG sets.

    The RAG set runs the agent over the index in the data folder: build the index first."""
    from finetune.data import BuildOptions, DataBuildError, build, summary_lines
    from finetune.rag import RagBuildError, check_share

    settings = obj.settings
    if settings.corpus_dir is None:
        raise click.ClickException("no corpus folder: give one with --corpus DIR")
    try:
        check_share(gold_absent_share)
    except RagBuildError as e:
        raise click.UsageError(str(e)) from e
    searcher = _open_index(settings) if rag_per_origin else None
    out = output or settings.data_dir / "finetune" / "data"
    opts = BuildOptions(
        corpus=settings.corpus_dir,
        output=out,
        limit=limit,
        valid_fraction=valid_fraction,
        max_length=max_length,
        tokenizer=tokenizer,
        overwrite=overwrite,
        searcher=searcher,
        rag_per_origin=rag_per_origin,
        rag_max_length=rag_max_length,
        gold_absent_share=gold_absent_share,
    )
    try:
        stats = build(opts)
    except (DataBuildError, OSError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    for line in summary_lines(stats):
        click.echo(line)
    click.echo(f"written to {out}")


def _open_index(settings) -> object | None:
    """The index the agent answers from, or None (with a warning) when there is none to open."""
    from retrieval.errors import RetrievalError
    from retrieval.search import Searcher

    try:
        return Searcher.open(settings.data_dir, settings.embedding, settings.vector_store, settings.retrieval)
    except RetrievalError as e:
        click.echo(f"warning: no RAG set: the index in {settings.data_dir} cannot be opened ({e})", err=True)
        return None
