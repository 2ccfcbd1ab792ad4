"""What a trained adapter answers against its base model, on held-out questions, side by side.

One model is loaded: the base answers are generated with the adapter switched off
(peft's `disable_adapter`), so the comparison costs one model's memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finetune.config import Recipe
from finetune.export import load_for_inference
from finetune.formatting import LAWYER_LLAMA_PROMPT, load_mixture
from finetune.samples import PRETRAIN_KINDS, Sample


@dataclass
class Comparison:
    question: str
    reference: str
    base: str
    adapter: str
    kind: str


def _recipe_of(adapter: Path) -> Recipe | None:
    path = Path(adapter) / "recipe.json"
    if not path.is_file():
        return None
    return Recipe.model_validate(json.loads(path.read_text(encoding="utf-8")))


def _prompt_ids(tokenizer: Any, sample: Sample, recipe: Recipe | None) -> Any:
    system = (recipe.system_prompt if recipe else "") or ""
    if recipe is not None and recipe.prompt_format == "lawyer_llama":
        text = (system + "\n" if system else "") + LAWYER_LLAMA_PROMPT.format(instruction=sample.prompt_text)
        return tokenizer(text, return_tensors="pt", add_special_tokens=False)
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": sample.prompt_text}
    ]
    return tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )


def generate(model: Any, tokenizer: Any, inputs: Any, max_new_tokens: int) -> str:
    import torch

    with torch.no_grad():
        out = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
        )
    return tokenizer.decode(out[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True).strip()


def held_out(data_dir: Path, recipe: Recipe | None, kinds: list[str] | None, n: int) -> list[Sample]:
    base = recipe or Recipe.model_validate({"model": "-"})
    chosen = kinds or base.kinds
    samples = load_mixture(base, data_dir, "valid", [k for k in chosen if k not in PRETRAIN_KINDS])
    return samples[:n]


def compare(
    adapter: Path,
    data_dir: Path,
    *,
    base: str | None = None,
    n: int = 5,
    kinds: list[str] | None = None,
    max_new_tokens: int = 128,
) -> list[Comparison]:
    recipe = _recipe_of(adapter)
    samples = held_out(data_dir, recipe, kinds, n)
    model, tokenizer = load_for_inference(base, adapter)
    out = []
    for s in samples:
        inputs = _prompt_ids(tokenizer, s, recipe)
        tuned = generate(model, tokenizer, inputs, max_new_tokens)
        with model.disable_adapter():
            plain = generate(model, tokenizer, inputs, max_new_tokens)
        out.append(Comparison(s.prompt_text, s.output, plain, tuned, s.kind))
    return out


def render(rows: list[Comparison], width: int = 60) -> list[str]:
    """Plain-text blocks: question, reference, base and adapter answers, each cut to `width`·4 chars."""
    cut = lambda t: t.replace("\n", " ")[: width * 4]  # noqa: E731
    lines: list[str] = []
    for i, r in enumerate(rows, start=1):
        lines += [
            f"── {i} ({r.kind}) " + "─" * 40,
            f"问题    {cut(r.question)}",
            f"参考    {cut(r.reference)}",
            f"基座    {cut(r.base)}",
            f"适配器  {cut(r.adapter)}",
        ]
    return lines
