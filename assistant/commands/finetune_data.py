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
@click.pass_obj
def build_cmd(
    obj,
    output: Path | None,
    limit: int | None,
    valid_fraction: float,
    max_length: int,
    tokenizer: str | None,
    overwrite: bool,
) -> None:
    """Build statute, sentencing, adversarial, judgment-context, contrastive and imported Q&A sets."""
    from finetune.data import BuildOptions, DataBuildError, build, summary_lines

    settings = obj.settings
    if settings.corpus_dir is None:
        raise click.ClickException("no corpus folder: give one with --corpus DIR")
    out = output or settings.data_dir / "finetune" / "data"
    opts = BuildOptions(
        corpus=settings.corpus_dir,
        output=out,
        limit=limit,
        valid_fraction=valid_fraction,
        max_length=max_length,
        tokenizer=tokenizer,
        overwrite=overwrite,
    )
    try:
        stats = build(opts)
    except (DataBuildError, OSError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    for line in summary_lines(stats):
        click.echo(line)
    click.echo(f"written to {out}")
