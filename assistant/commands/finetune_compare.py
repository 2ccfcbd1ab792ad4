"""`legal-assistant finetune compare`: adapter vs base answers on held-out questions."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="compare")
@click.option(
    "--adapter",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    required=True,
    help="Adapter folder written by `finetune train`.",
)
@click.option("--base", help="Base model (default: the one the adapter records).")
@click.option(
    "--data", type=click.Path(path_type=Path), help="Data folder (default <data_dir>/finetune/data)."
)
@click.option(
    "--kind", "kinds", multiple=True, help="Sample kinds to draw questions from (default: the recipe's)."
)
@click.option(
    "-n", "n", type=click.IntRange(min=1), default=5, show_default=True, help="Questions to compare."
)
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=128, show_default=True)
@click.pass_obj
def compare(
    obj,
    adapter: Path,
    base: str | None,
    data: Path | None,
    kinds: tuple[str, ...],
    n: int,
    max_new_tokens: int,
) -> None:
    """Print what ADAPTER answers against its base model on held-out questions, side by side."""
    from finetune.compare import compare as run_compare
    from finetune.compare import render
    from finetune.export import ExportError
    from finetune.samples import DatasetError

    data_dir = data or obj.settings.data_dir / "finetune" / "data"
    try:
        rows = run_compare(
            adapter, data_dir, base=base, n=n, kinds=list(kinds) or None, max_new_tokens=max_new_tokens
        )
    except (ExportError, DatasetError) as e:
        raise click.ClickException(str(e)) from e
    for line in render(rows):
        click.echo(line)
