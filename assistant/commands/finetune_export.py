"""`legal-assistant finetune export`: merge an adapter into its base for serving."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="export")
@click.option(
    "--adapter",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    required=True,
    help="Adapter folder written by `finetune train`.",
)
@click.option("--base", help="Full-precision base model (default: the one the adapter records).")
@click.option("--output", type=click.Path(path_type=Path), required=True, help="Folder for the merged model.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty output folder.")
def export(adapter: Path, base: str | None, output: Path, overwrite: bool) -> None:
    """Merge ADAPTER into its (non-quantised) base and save a model AutoModelForCausalLM loads.

    The assistant can also serve the adapter unmerged: set llm.model to the base and llm.adapter to it.
    """
    from finetune.export import ExportError, merge_adapter

    try:
        out = merge_adapter(adapter, output, base, overwrite=overwrite)
    except ExportError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"merged model written to {out} (serve it with llm.mode=transformers, llm.model={out})")
