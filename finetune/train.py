"""`finetune train`: one run of a recipe on trl's SFTTrainer with a peft LoRA (or QLoRA) adapter.

setup (output folder, CUDA check) → data (prompt/completion or pre-tokenised text) → model
(4-bit only on CUDA, LoRA with rsLoRA, or full) → trainer (warmup + cosine, accumulation,
validation with early stopping, HKRE when on) → fit (resumable) → save (adapter or model,
tokenizer, recipe.json, metrics.json, loss_curve.png).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finetune.config import Recipe
from finetune.formatting import Prepared, prepare

RUN_MARKERS = ("recipe.json", "adapter_config.json", "trainer_state.json", "config.json")


class TrainError(RuntimeError):
    """A run that cannot start: the message says what to change."""


@dataclass
class TrainResult:
    output_dir: str
    steps: int
    seconds: float
    n_train: int
    n_eval: int
    dropped_long: int
    train_losses: list[tuple[int, float]] = field(default_factory=list)
    eval_losses: list[tuple[int, float]] = field(default_factory=list)
    per_kind: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_output_dir(out: Path, overwrite: bool, resume: bool) -> None:
    """Refuse to write over an earlier run unless --overwrite (or continue it with --resume)."""
    if not out.exists() or not any(out.iterdir()):
        if resume:
            raise TrainError(f"--resume: {out} holds no run to resume")
        return
    is_run = any((out / m).exists() for m in RUN_MARKERS) or any(out.glob("checkpoint-*"))
    if resume:
        if not any(out.glob("checkpoint-*")):
            raise TrainError(f"--resume: {out} holds no checkpoint-* folder to resume from")
        return
    if not is_run:
        raise TrainError(f"output folder {out} exists and is not a training run: choose another --output")
    if not overwrite:
        raise TrainError(
            f"{out} already holds a run: pass --overwrite to replace it, or --resume to continue it"
        )
    shutil.rmtree(out)


def check_quantization(recipe: Recipe) -> None:
    """4-bit means CUDA here (bitsandbytes would load NF4 on a CPU, too slowly to train)."""
    if recipe.quantization != "4bit":
        return
    import torch

    if not torch.cuda.is_available():
        raise TrainError(
            "quantization=4bit (QLoRA, NF4) needs a CUDA GPU with bitsandbytes, and this machine has no CUDA: "
            "train a plain LoRA adapter instead with --set quantization=none"
        )


def load_tokenizer(name: str) -> Any:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(name)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok


def load_model(recipe: Recipe, init_from: Path | None = None) -> Any:
    """The base (4-bit on CUDA if asked), wrapped in a new LoRA or the previous stage's adapter."""
    import torch
    from transformers import AutoModelForCausalLM

    cuda = torch.cuda.is_available()
    kwargs: dict[str, Any] = {"dtype": torch.bfloat16 if (recipe.bf16 and cuda) else torch.float32}
    if recipe.quantization == "4bit":
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=recipe.bnb_4bit_quant_type,
            bnb_4bit_use_double_quant=recipe.bnb_4bit_use_double_quant,
            bnb_4bit_compute_dtype=getattr(torch, recipe.bnb_4bit_compute_dtype),
        )
    source = str(init_from) if (init_from and recipe.method == "full") else recipe.model
    try:
        model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
    except OSError as e:
        raise TrainError(f"cannot load model {source!r}: {e}") from e
    if recipe.method == "full":
        return model
    from peft import LoraConfig, PeftModel, get_peft_model, prepare_model_for_kbit_training

    if recipe.quantization == "4bit":
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=recipe.gradient_checkpointing
        )
    if init_from is not None:
        return PeftModel.from_pretrained(model, str(init_from), is_trainable=True)
    config = LoraConfig(
        r=recipe.lora_r,
        lora_alpha=recipe.lora_alpha,
        lora_dropout=recipe.lora_dropout,
        use_rslora=recipe.use_rslora,
        target_modules=recipe.target_modules,
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)


def sft_config(recipe: Recipe, out: Path, has_eval: bool, progress: bool) -> Any:
    import torch
    from trl import SFTConfig

    cuda = torch.cuda.is_available()
    return SFTConfig(
        output_dir=str(out),
        learning_rate=recipe.learning_rate,
        lr_scheduler_type=recipe.lr_scheduler_type,
        warmup_steps=recipe.warmup,  # transformers 5: a float below 1 is a ratio (warmup_ratio is deprecated)
        weight_decay=recipe.weight_decay,
        per_device_train_batch_size=recipe.per_device_train_batch_size,
        per_device_eval_batch_size=recipe.per_device_eval_batch_size,
        gradient_accumulation_steps=recipe.gradient_accumulation_steps,
        num_train_epochs=recipe.num_train_epochs,
        max_steps=recipe.max_steps,
        max_length=recipe.max_length,
        seed=recipe.seed,
        bf16=recipe.bf16 and cuda,
        use_cpu=not cuda,
        # trl turns gradient checkpointing on by default; transformers 5 renamed it activation_checkpointing
        # (setting the new name overrides trl's default of the old one): the recipe decides.
        activation_checkpointing=recipe.gradient_checkpointing,
        completion_only_loss=None,  # prompt/completion rows → loss on the completion only
        logging_steps=recipe.logging_steps,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=recipe.eval_steps,
        save_strategy="steps",
        save_steps=recipe.save_steps,
        save_total_limit=recipe.save_total_limit,
        load_best_model_at_end=has_eval,
        metric_for_best_model="eval_loss",
        greater_is_better=False,
        report_to="none",
        disable_tqdm=not progress,
        dataset_num_proc=None,
    )


def make_trainer(
    recipe: Recipe, model: Any, tokenizer: Any, data: Prepared, out: Path, hkre: bool, progress: bool
) -> Any:
    from datasets import Dataset
    from transformers import EarlyStoppingCallback
    from trl import SFTTrainer

    has_eval = bool(data.valid)
    callbacks = []
    if has_eval and recipe.early_stopping_patience > 0:
        callbacks.append(
            EarlyStoppingCallback(recipe.early_stopping_patience, recipe.early_stopping_threshold)
        )
    kwargs: dict[str, Any] = dict(
        model=model,
        args=sft_config(recipe, out, has_eval, progress),
        train_dataset=Dataset.from_list(data.train),
        eval_dataset=Dataset.from_list(data.valid) if has_eval else None,
        processing_class=tokenizer,
        callbacks=callbacks,
    )
    if hkre:
        from finetune.hkre import hkre_trainer_class

        return hkre_trainer_class()(hkre=recipe.hkre, **kwargs)
    return SFTTrainer(**kwargs)


def plot_losses(result: TrainResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    if result.train_losses:
        ax.plot(*zip(*result.train_losses, strict=True), label="train loss")
    if result.eval_losses:
        ax.plot(*zip(*result.eval_losses, strict=True), marker="o", label="validation loss")
    ax.set_xlabel("optimiser step")
    ax.set_ylabel("loss")
    ax.set_title(Path(result.output_dir).name)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def train(
    recipe: Recipe,
    data_dir: Path,
    out: Path,
    *,
    overwrite: bool = False,
    resume: bool = False,
    progress: bool = True,
    objective: str = "sft",
    kinds: list[str] | None = None,
    tiered: bool = False,
    init_from: Path | None = None,
) -> TrainResult:
    """Train one recipe (or one stage of one) and save everything beside the adapter in `out`."""
    out = Path(out)
    check_quantization(recipe)
    check_output_dir(out, overwrite, resume)
    hkre = recipe.hkre.enabled
    tokenizer = load_tokenizer(recipe.model)
    data = prepare(recipe, Path(data_dir), tokenizer, objective, kinds, tiered, hkre)
    model = load_model(recipe, init_from)
    out.mkdir(parents=True, exist_ok=True)
    recipe.save(out / "recipe.json")
    trainer = make_trainer(recipe, model, tokenizer, data, out, hkre, progress)
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=True if resume else None)
    seconds = time.perf_counter() - start
    trainer.save_model(str(out))
    tokenizer.save_pretrained(str(out))
    logs = trainer.state.log_history
    result = TrainResult(
        output_dir=str(out),
        steps=trainer.state.global_step,
        seconds=round(seconds, 2),
        n_train=len(data.train),
        n_eval=len(data.valid),
        dropped_long=data.dropped_long,
        train_losses=[(e["step"], e["loss"]) for e in logs if "loss" in e],
        eval_losses=[(e["step"], e["eval_loss"]) for e in logs if "eval_loss" in e],
        per_kind=data.per_kind,
    )
    if hkre and getattr(trainer, "hkre_controller", None) is not None:
        (out / "hkre_history.json").write_text(
            json.dumps(trainer.hkre_controller.history, default=str), encoding="utf-8"
        )
    (out / "metrics.json").write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    plot_losses(result, out / "loss_curve.png")
    return result
