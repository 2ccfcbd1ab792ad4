"""Samples → rows that trl's SFTTrainer takes: prompt/completion pairs (loss on the completion
only), or pre-tokenised text for continued pre-training (with tiered masking where asked).

Mixing rules live here too: chain-of-thought at the recipe's ratio to plain samples, caps, and
the per-sample hardness α_hard that HKRE reads from each batch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finetune.config import HKRESettings, Recipe
from finetune.masking import tokenize_masked
from finetune.samples import PRETRAIN_KINDS, DatasetError, Sample, read_samples

LAWYER_LLAMA_PROMPT = "指令: {instruction}\n分析结果: "


@dataclass
class Prepared:
    train: list[dict[str, Any]]
    valid: list[dict[str, Any]]
    dropped_long: int = 0
    per_kind: dict[str, int] = field(default_factory=dict)


def alpha_of(level: int, hkre: HKRESettings) -> float:
    """α_hard of one sample: Level-1 → 1.0, Level-2 → 0.7, soft (Level-3/4, ungraded) → 0."""
    return {1: hkre.alpha_level1, 2: hkre.alpha_level2}.get(level, 0.0)


def load_mixture(recipe: Recipe, data_dir: Path, split: str, kinds: Sequence[str]) -> list[Sample]:
    """The recipe's kinds from a built data folder, CoT capped at cot_to_plain × plain, shuffled."""
    by_kind: dict[str, list[Sample]] = {}
    for kind in kinds:
        try:
            by_kind[kind] = read_samples(data_dir, kind, split)
        except DatasetError:
            if split == "valid":  # a kind may have no held-out group in a small build
                continue
            raise
    rng = random.Random(recipe.seed)
    if recipe.cot_to_plain is not None and "sentencing_cot" in by_kind and "sentencing" in by_kind:
        cot_cap = int(len(by_kind["sentencing"]) * recipe.cot_to_plain)
        cot = by_kind["sentencing_cot"]
        by_kind["sentencing_cot"] = rng.sample(cot, min(cot_cap, len(cot)))
    samples = [s for kind in kinds for s in by_kind.get(kind, [])]
    samples += _rag_mix(recipe, data_dir, split, kinds, len(samples), rng)
    rng.shuffle(samples)
    cap = recipe.max_train_samples if split == "train" else recipe.max_eval_samples
    return samples[:cap] if cap else samples


def _rag_mix(
    recipe: Recipe, data_dir: Path, split: str, kinds: Sequence[str], n_others: int, rng: random.Random
) -> list[Sample]:
    """RAG samples at `rag_ratio` per sample of the recipe's own kinds (when `rag` is not one of them)."""
    if not recipe.rag_ratio or "rag" in kinds:
        return []
    try:
        rag = read_samples(data_dir, "rag", split)
    except DatasetError:
        if split == "valid":
            return []
        raise DatasetError(
            f"rag_ratio={recipe.rag_ratio} but {data_dir} has no RAG set: build it with an index "
            "(`legal-assistant index build`, then `finetune data build`) or drop --set rag_ratio"
        ) from None
    return rng.sample(rag, min(len(rag), round(n_others * recipe.rag_ratio)))


def _chat_row(s: Sample, system: str) -> dict[str, Any]:
    prompt: list[dict[str, str]] = []
    if s.system or system:
        prompt.append({"role": "system", "content": s.system or system})
    for user, assistant in s.history:
        prompt += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    prompt.append({"role": "user", "content": s.prompt_text})
    return {"prompt": prompt, "completion": [{"role": "assistant", "content": s.output}]}


def _lawyer_row(s: Sample, system: str) -> dict[str, Any]:
    history = "".join(LAWYER_LLAMA_PROMPT.format(instruction=u) + a + "\n" for u, a in s.history)
    head = f"{s.system or system}\n" if (s.system or system) else ""
    return {
        "prompt": head + history + LAWYER_LLAMA_PROMPT.format(instruction=s.prompt_text),
        "completion": s.output,
    }


def _n_tokens(tokenizer: Any, row: dict[str, Any]) -> int:
    if isinstance(row["prompt"], list):
        ids = tokenizer.apply_chat_template(row["prompt"] + row["completion"], tokenize=True)
        ids = ids["input_ids"] if isinstance(ids, dict) or hasattr(ids, "keys") else ids
        return len(ids)
    return len(tokenizer(row["prompt"] + row["completion"], add_special_tokens=False)["input_ids"]) + 1


def sft_rows(
    samples: list[Sample], recipe: Recipe, tokenizer: Any, with_hardness: bool
) -> tuple[list[dict], int]:
    """prompt/completion rows; samples longer than max_length tokens are dropped (and counted)."""
    rows, dropped = [], 0
    fmt = _chat_row if recipe.prompt_format == "chat" else _lawyer_row
    for s in samples:
        row = fmt(s, recipe.system_prompt)
        if _n_tokens(tokenizer, row) > recipe.max_length:
            dropped += 1
            continue
        if with_hardness:
            row["hardness"] = alpha_of(s.level, recipe.hkre)
        rows.append(row)
    return rows, dropped


def cpt_rows(
    samples: list[Sample], recipe: Recipe, tokenizer: Any, tiered: bool, with_hardness: bool
) -> tuple[list[dict], int]:
    """Pre-tokenised plain text; judgment_context gets tiered labels when `tiered`."""
    rng = random.Random(recipe.seed)
    rows, dropped = [], 0
    for s in samples:
        if tiered and s.kind in PRETRAIN_KINDS and s.meta.get("spans"):
            row: dict[str, Any] = tokenize_masked(tokenizer, s, recipe.max_length, rng)
        else:
            text = (s.prompt_text + "\n" + s.output) if s.prompt_text else s.output
            ids = tokenizer(text, add_special_tokens=False)["input_ids"]
            if len(ids) + 1 > recipe.max_length:
                dropped += 1
                continue
            ids = list(ids) + [tokenizer.eos_token_id]
            row = {"input_ids": ids, "labels": list(ids)}
        if with_hardness:
            row["hardness"] = alpha_of(s.level, recipe.hkre)
        rows.append(row)
    return rows, dropped


def prepare(
    recipe: Recipe,
    data_dir: Path,
    tokenizer: Any,
    objective: str = "sft",
    kinds: Sequence[str] | None = None,
    tiered: bool = False,
    hkre: bool = False,
) -> Prepared:
    kinds = list(kinds or recipe.kinds)
    out = Prepared(train=[], valid=[])
    for split in ("train", "valid"):
        samples = load_mixture(recipe, data_dir, split, kinds)
        if objective == "cpt":
            rows, dropped = cpt_rows(samples, recipe, tokenizer, tiered, hkre)
        else:
            rows, dropped = sft_rows(
                [s for s in samples if s.kind not in PRETRAIN_KINDS], recipe, tokenizer, hkre
            )
        setattr(out, split, rows)
        out.dropped_long += dropped
        if split == "train":
            for s in samples:
                out.per_kind[s.kind] = out.per_kind.get(s.kind, 0) + 1
    if not out.train:
        raise DatasetError(
            f"no training samples of kinds {kinds} in {data_dir} fit max_length={recipe.max_length} "
            f"({out.dropped_long} too long): raise --set max_length or build more data"
        )
    return out
