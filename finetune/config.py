"""Training recipes: one typed, validated description of a run, loaded from TOML plus overrides.

Every check lives here (``Recipe``'s validators), and each error names the flag to change, so a
bad combination is refused before a model is loaded. The resolved recipe is written beside
every adapter (``recipe.json``) so that a run can be reproduced and an adapter matched to its base.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

RECIPES_DIR = Path(__file__).resolve().parent / "recipes"

Kind = Literal[
    "statute",
    "case_conclusion",
    "soft_reasoning",
    "sentencing",
    "sentencing_cot",
    "adversarial",
    "lawyer_llama",
    "jec_qa",
    "judgment_context",
    "contrastive",
    "rag",
]


DEFAULT_KINDS: list[Kind] = ["sentencing", "sentencing_cot"]


class RecipeError(ValueError):
    """A recipe or override that cannot be used; the message names the flag."""


class HKRESettings(BaseModel):
    """Hardness-aware knowledge retention: weight decay λ_base·(1−α)·β(t), α per sample and layer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(False, description="Apply HKRE decay (stage 1 of ec-miip turns it on).")
    lambda_base: float = Field(0.1, ge=0, description="λ_base: the decay a soft batch gets.")
    beta: Literal["constant", "cosine"] = Field(
        "constant", description="β(t): 'constant' (1) or 'cosine' (1 → 0 over training)."
    )
    alpha_level1: float = Field(
        1.0, ge=0, le=1, description="α_hard for Level-1 (statutes, penalties, time limits)."
    )
    alpha_level2: float = Field(0.7, ge=0, le=1, description="α_hard for Level-2 (judicial interpretations).")
    lower_layers: int = Field(4, ge=0, description="Layers 1..N (1-based) get factor 0 for hard knowledge.")
    middle_layers: int = Field(8, ge=0, description="Layers N_lower+1..N get the middle factor.")
    middle_factor: float = Field(0.3, ge=0, le=1, description="Decay factor on the middle layers (hard).")
    upper_factor: float = Field(0.7, ge=0, le=1, description="Decay factor above the middle layers (hard).")


class StageSpec(BaseModel):
    """One stage of staged training; it continues from the previous stage's output."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Stage name; its output goes to <output>/<name>.")
    objective: Literal["cpt", "sft"] = Field(
        "sft", description="cpt: plain text LM; sft: prompt → completion."
    )
    kinds: list[Kind] | None = Field(None, description="Sample kinds for this stage (default: the recipe's).")
    hkre: bool = Field(False, description="Turn HKRE on for this stage.")
    tiered_masking: bool = Field(False, description="Tiered loss masking on judgment text (100/80/60%).")
    learning_rate: float | None = Field(None, gt=0, description="Override the recipe's learning rate.")
    max_steps: int | None = Field(None, description="Override the recipe's max_steps.")


class Recipe(BaseModel):
    """A training run: model, adapter, optimiser, data and evaluation, all in one place."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field("custom", description="Recipe name; the default output folder is runs/<name>.")
    description: str = Field("", description="One line for `finetune train --help`-like listings.")
    model: str = Field(description="Base model: hub id (needs the hub) or a local folder.")
    method: Literal["lora", "full"] = Field("lora", description="LoRA adapter or full fine-tuning.")
    quantization: Literal["none", "4bit"] = Field("none", description="4bit = QLoRA (NF4); needs CUDA.")
    bnb_4bit_quant_type: Literal["nf4", "fp4"] = Field("nf4", description="4-bit quantisation type.")
    bnb_4bit_use_double_quant: bool = Field(True, description="Quantise the quantisation constants too.")
    bnb_4bit_compute_dtype: Literal["bfloat16", "float16", "float32"] = Field(
        "bfloat16", description="Matmul dtype."
    )
    lora_r: int = Field(16, ge=1, description="LoRA rank.")
    lora_alpha: int = Field(32, ge=1, description="LoRA alpha.")
    lora_dropout: float = Field(0.05, ge=0, lt=1, description="LoRA dropout.")
    use_rslora: bool = Field(True, description="Rank-stabilised LoRA scaling alpha/sqrt(r).")
    target_modules: list[str] | str = Field("all-linear", description="Modules LoRA wraps.")
    learning_rate: float = Field(1e-4, gt=0, description="Peak learning rate.")
    lr_scheduler_type: str = Field("cosine", description="transformers scheduler name.")
    warmup_steps: int | None = Field(None, ge=0, description="Warmup in optimiser steps.")
    warmup_ratio: float | None = Field(None, ge=0, lt=1, description="Warmup as a fraction of training.")
    weight_decay: float = Field(0.0, ge=0, description="AdamW weight decay (HKRE replaces it when on).")
    per_device_train_batch_size: int = Field(4, ge=1, description="Micro-batch size.")
    per_device_eval_batch_size: int = Field(4, ge=1, description="Evaluation batch size.")
    gradient_accumulation_steps: int = Field(1, ge=1, description="Micro-batches per optimiser step.")
    num_train_epochs: float = Field(1.0, gt=0, description="Epochs (ignored when max_steps > 0).")
    max_steps: int = Field(-1, description="Stop after this many optimiser steps (-1: use epochs).")
    max_length: int = Field(2048, ge=16, description="Longest sample in tokens; longer ones are dropped.")
    seed: int = Field(42, description="Random seed.")
    bf16: bool = Field(False, description="bfloat16 mixed precision (ignored on CPU).")
    gradient_checkpointing: bool = Field(False, description="Trade compute for memory (trl's default is on).")
    data: str = Field(
        "", description="Data folder from `finetune data build` (default <data_dir>/finetune/data)."
    )
    output: str = Field("", description="Run folder (default <data_dir>/finetune/runs/<name>).")
    kinds: list[Kind] = Field(default_factory=lambda: list(DEFAULT_KINDS), description="Kinds to train on.")
    rag_ratio: float | None = Field(
        None,
        ge=0,
        description="Add the RAG set (the agent's prompts with retrieved sources) at this many RAG samples "
        "per sample of the recipe's kinds (None: only if `rag` is among the kinds).",
    )
    max_train_samples: int | None = Field(None, ge=1, description="Cap on training samples (after mixing).")
    max_eval_samples: int | None = Field(200, ge=1, description="Cap on validation samples.")
    cot_to_plain: float | None = Field(
        0.25, ge=0, description="Chain-of-thought samples per plain sample (1:4)."
    )
    prompt_format: Literal["chat", "lawyer_llama"] = Field(
        "chat", description="Chat template or 指令/分析结果."
    )
    system_prompt: str = Field(
        "你是一名中国刑事与知识产权法律助手。依据法律条文与案件事实作答，引用具体条文。",
        description="System prompt added to every chat sample.",
    )
    logging_steps: int = Field(10, ge=1, description="Log the training loss every N steps.")
    eval_steps: int = Field(100, ge=1, description="Evaluate on the validation split every N steps.")
    save_steps: int = Field(100, ge=1, description="Checkpoint every N steps (must divide by eval_steps).")
    save_total_limit: int = Field(2, ge=1, description="Checkpoints kept.")
    early_stopping_patience: int = Field(
        3, ge=0, description="Evaluations without improvement before stopping (0 = off)."
    )
    early_stopping_threshold: float = Field(0.0, ge=0, description="Smallest improvement that counts.")
    hkre: HKRESettings = Field(default_factory=lambda: HKRESettings.model_validate({}))
    stages: list[StageSpec] = Field(default_factory=list, description="Staged training, run in order.")

    @model_validator(mode="after")
    def _check(self) -> Recipe:
        if self.warmup_steps is not None and self.warmup_ratio is not None:
            raise ValueError(
                "Can't give both warmup_steps and warmup_ratio: drop one "
                "(--set warmup_steps=N or --set warmup_ratio=F)"
            )
        if self.quantization == "4bit" and self.method == "full":
            raise ValueError(
                "quantization=4bit needs method=lora (a 4-bit base cannot be fully fine-tuned): "
                "use --set method=lora or --set quantization=none"
            )
        if self.save_steps % self.eval_steps:
            raise ValueError(
                f"save_steps ({self.save_steps}) must be a multiple of eval_steps ({self.eval_steps}) "
                "for early stopping to keep the best checkpoint: change --set save_steps or --set eval_steps"
            )
        names = [s.name for s in self.stages]
        if len(set(names)) != len(names):
            raise ValueError(f"stage names must be unique, got {names}")
        return self

    @property
    def warmup(self) -> int | float:
        """What transformers 5 wants: an int is steps, a float below 1 is a ratio."""
        if self.warmup_steps is not None:
            return self.warmup_steps
        return float(self.warmup_ratio) if self.warmup_ratio is not None else 0

    def resolved_dirs(self, data_dir: Path) -> tuple[Path, Path]:
        """(data folder, output folder) with the defaults filled in under the settings' data_dir."""
        data = Path(self.data) if self.data else data_dir / "finetune" / "data"
        out = Path(self.output) if self.output else data_dir / "finetune" / "runs" / self.name
        return data, out

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(), ensure_ascii=False, indent=2), encoding="utf-8")


def list_recipes() -> list[str]:
    return sorted(p.stem for p in RECIPES_DIR.glob("*.toml"))


def _parse_value(raw: str) -> Any:
    """`--set` values: TOML scalars/arrays (1e-4, true, ["q_proj"]) or else the raw string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def parse_set_options(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """['lora_r=8', 'hkre.enabled=true'] → {'lora_r': 8, 'hkre.enabled': True}."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise RecipeError(f"--set expects key=value, got {item!r}")
        out[key.strip()] = _parse_value(raw.strip())
    return out


def _apply(tree: dict[str, Any], dotted: str, value: Any) -> None:
    node = tree
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise RecipeError(f"--set {dotted}: {part} is not a table")
    node[parts[-1]] = value


def load_recipe(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Recipe:
    """A recipe by name (finetune/recipes/<name>.toml) or path, with dotted-key overrides applied.

    Setting one of warmup_steps/warmup_ratio by override clears the other from the file, so
    `--set warmup_steps=10` on a recipe with a warmup_ratio does what the user means.
    """
    path = Path(name_or_path)
    if path.suffix != ".toml":  # a name ("qwen2.5-0.5b-lawyer-sft" has a dot, so test the suffix itself)
        path = RECIPES_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        raise RecipeError(f"no recipe {name_or_path!r}: known recipes are {', '.join(list_recipes())}")
    try:
        tree = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise RecipeError(f"recipe {path} is not valid TOML: {e}") from e
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    for a, b in (("warmup_steps", "warmup_ratio"), ("warmup_ratio", "warmup_steps")):
        if a in overrides and b not in overrides:
            tree.pop(b, None)
    for key, value in overrides.items():
        _apply(tree, key, value)
    return validate_recipe(tree, source=str(path))


def validate_recipe(tree: dict[str, Any], source: str = "recipe") -> Recipe:
    try:
        return Recipe.model_validate(tree)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        raise RecipeError(f"{source}: {where + ': ' if where else ''}{msg}") from e
