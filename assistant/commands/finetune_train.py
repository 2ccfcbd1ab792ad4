"""`legal-assistant finetune train --recipe NAME [overrides]`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="train")
@click.option(
    "--recipe",
    "recipe_name",
    required=True,
    help="Recipe name (qwen3-4b-criminal-qlora, qwen2.5-0.5b-lawyer-sft, ec-miip-ip) or a TOML path.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a recipe field, e.g. --set lora_r=8 --set hkre.enabled=true (repeatable).",
)
@click.option("--model", help="Base model (hub id or folder) instead of the recipe's.")
@click.option("--data", type=click.Path(path_type=Path), help="Data folder from `finetune data build`.")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Run folder (default <data_dir>/finetune/runs/<recipe>).",
)
@click.option("--max-steps", type=int, help="Stop after N optimiser steps.")
@click.option("--overwrite", is_flag=True, help="Replace an earlier run in the output folder.")
@click.option(
    "--resume", is_flag=True, help="Continue the run in the output folder from its last checkpoint."
)
@click.pass_obj
def train(
    obj,
    recipe_name: str,
    sets: tuple[str, ...],
    model: str | None,
    data: Path | None,
    output: Path | None,
    max_steps: int | None,
    overwrite: bool,
    resume: bool,
) -> None:
    """Train a LoRA/QLoRA adapter (or a full model) with a recipe; stages run in order when it has them."""
    from finetune.config import RecipeError, load_recipe, parse_set_options
    from finetune.samples import DatasetError
    from finetune.staged import StagedError, run_recipe
    from finetune.train import TrainError

    if overwrite and resume:
        raise click.ClickException("give either --overwrite or --resume, not both")
    try:
        overrides = parse_set_options(sets)
        overrides.update(
            {
                "model": model,
                "data": str(data) if data else None,
                "output": str(output) if output else None,
                "max_steps": max_steps,
            }
        )
        recipe = load_recipe(recipe_name, overrides)
        data_dir, out = recipe.resolved_dirs(obj.settings.data_dir)
        results = run_recipe(recipe, data_dir, out, overwrite=overwrite, resume=resume)
    except (RecipeError, TrainError, DatasetError, StagedError) as e:
        raise click.ClickException(str(e)) from e
    for r in results:
        first = r.train_losses[0][1] if r.train_losses else float("nan")
        last = r.train_losses[-1][1] if r.train_losses else float("nan")
        evals = ", ".join(f"{v:.3f}" for _, v in r.eval_losses) or "none"
        click.echo(
            f"{r.output_dir}: {r.steps} steps in {r.seconds:.0f} s on {r.n_train} samples "
            f"(valid {r.n_eval}, {r.dropped_long} too long dropped); train loss {first:.3f} → {last:.3f}; "
            f"validation loss {evals}"
        )
