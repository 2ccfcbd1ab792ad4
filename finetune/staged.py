"""Staged training (EC-MIIP): stage 1 hard-knowledge CPT with HKRE, stage 2 context learning on
judgments (tiered masking, contrastive samples), then SFT — each stage starting from the output
of the one before (the same LoRA adapter continued, or the saved full model).

The run folder holds one sub-folder per stage and `stages.json`, which names the final adapter.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from finetune.config import Recipe, StageSpec, validate_recipe
from finetune.train import TrainError, TrainResult, train


class StagedError(RuntimeError):
    """A staged run that cannot start or continue; the message says what to do."""


def stage_recipe(recipe: Recipe, stage: StageSpec) -> Recipe:
    """The recipe as this stage runs it: its kinds, HKRE on or off, its learning rate and steps."""
    tree = recipe.model_dump()
    tree["stages"] = []
    tree["name"] = f"{recipe.name}/{stage.name}"
    if stage.kinds:
        tree["kinds"] = list(stage.kinds)
    tree["hkre"] = {**tree["hkre"], "enabled": stage.hkre}
    if stage.learning_rate is not None:
        tree["learning_rate"] = stage.learning_rate
    if stage.max_steps is not None:
        tree["max_steps"] = stage.max_steps
    return validate_recipe(tree, source=f"stage {stage.name}")


def _done(stage_dir: Path) -> bool:
    return (stage_dir / "metrics.json").is_file()


def run_staged(
    recipe: Recipe,
    data_dir: Path,
    out: Path,
    *,
    overwrite: bool = False,
    resume: bool = False,
    progress: bool = True,
) -> list[TrainResult]:
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not resume:
        if not (out / "stages.json").exists() and not (out / "recipe.json").exists():
            raise StagedError(
                f"output folder {out} exists and is not a training run: choose another --output"
            )
        if not overwrite:
            raise StagedError(
                f"{out} already holds a run: pass --overwrite to replace it, or --resume to continue it"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    recipe.save(out / "recipe.json")
    results: list[TrainResult] = []
    previous: Path | None = None
    for stage in recipe.stages:
        stage_dir = out / stage.name
        if resume and _done(stage_dir):
            previous = stage_dir  # finished earlier: the next stage starts from it
            continue
        partial = resume and stage_dir.exists() and any(stage_dir.glob("checkpoint-*"))
        result = train(
            stage_recipe(recipe, stage),
            data_dir,
            stage_dir,
            overwrite=resume and not partial,
            resume=partial,
            progress=progress,
            objective=stage.objective,
            tiered=stage.tiered_masking,
            init_from=previous,
        )
        results.append(result)
        previous = stage_dir
        _write_index(out, recipe, previous)
    return results


def _write_index(out: Path, recipe: Recipe, final: Path) -> None:
    stages = [
        {"name": s.name, "objective": s.objective, "dir": str(out / s.name), "done": _done(out / s.name)}
        for s in recipe.stages
    ]
    (out / "stages.json").write_text(
        json.dumps({"stages": stages, "final": str(final)}, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def run_recipe(
    recipe: Recipe,
    data_dir: Path,
    out: Path,
    *,
    overwrite: bool = False,
    resume: bool = False,
    progress: bool = True,
) -> list[TrainResult]:
    """Every stage in order when the recipe has stages, else one run."""
    if recipe.stages:
        return run_staged(recipe, data_dir, out, overwrite=overwrite, resume=resume, progress=progress)
    return [train(recipe, data_dir, out, overwrite=overwrite, resume=resume, progress=progress)]


__all__ = ["StagedError", "TrainError", "run_recipe", "run_staged", "stage_recipe"]
