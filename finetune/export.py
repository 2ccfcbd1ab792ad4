"""Adapters for serving: load one on its base (unmerged) or merge it into a full-precision base and
save a folder that transformers' AutoModelForCausalLM (and the assistant's backend) loads.

A merge never happens into a quantised base: rounding the LoRA delta into 4-bit weights loses it.
An adapter is matched to its base by the base recorded in adapter_config.json and the shape of
the model config, so an adapter for another model is refused before peft fails with a shape error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHAPE_FIELDS = (
    "model_type",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "vocab_size",
)


class ExportError(RuntimeError):
    """An adapter that cannot be loaded or merged as asked; the message says why."""


def _json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def adapter_base(adapter: Path) -> str:
    """The base model an adapter was trained on (adapter_config.json's base_model_name_or_path)."""
    config = Path(adapter) / "adapter_config.json"
    if not config.is_file():
        raise ExportError(f"{adapter} is not a PEFT adapter folder (no adapter_config.json)")
    return str(_json(config).get("base_model_name_or_path") or "")


def _base_config(base: str) -> dict[str, Any]:
    if Path(base).is_dir():
        return _json(Path(base) / "config.json")
    try:
        from transformers import AutoConfig

        return AutoConfig.from_pretrained(base).to_dict()
    except (OSError, ValueError):
        return {}


def check_adapter_matches(adapter: Path, base: str) -> None:
    """Raise ExportError when `adapter` was trained for a base whose shape differs from `base`."""
    declared = adapter_base(adapter)
    if not declared or declared == base:
        return
    mine, theirs = _base_config(base), _base_config(declared)
    diff = [f for f in SHAPE_FIELDS if f in mine and f in theirs and mine[f] != theirs[f]]
    if diff:
        raise ExportError(
            f"adapter {adapter} was trained for base {declared}, but {base} differs in {', '.join(diff)}: "
            "pass the adapter's own base with --base"
        )
    if not theirs and Path(declared).name != Path(base).name:
        raise ExportError(
            f"adapter {adapter} was trained for base {declared!r}, not {base!r}: pass --base {declared}"
        )


def _is_quantised(base: str) -> bool:
    config = _base_config(base)
    q = config.get("quantization_config") or {}
    return bool(q.get("load_in_4bit") or q.get("load_in_8bit") or q.get("quant_method"))


def load_for_inference(
    base: str | None = None, adapter: str | Path | None = None, *, merge: bool = False
) -> tuple[Any, Any]:
    """(model, tokenizer) in eval mode: the base alone, the base with the adapter, or merged.

    `base` defaults to the adapter's recorded base; the tokenizer comes from the adapter folder
    when it holds one (training saves it there), else from the base.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model: Any
    if base is None:
        if adapter is None:
            raise ExportError("give a base model, an adapter, or both")
        base = adapter_base(Path(adapter))
        if not base:
            raise ExportError(f"adapter {adapter} does not record its base model: pass --base")
    if adapter is not None:
        check_adapter_matches(Path(adapter), base)
    tok_source = (
        str(adapter) if adapter is not None and (Path(adapter) / "tokenizer_config.json").is_file() else base
    )
    try:
        tokenizer = AutoTokenizer.from_pretrained(tok_source)
        model = AutoModelForCausalLM.from_pretrained(base)
    except OSError as e:
        raise ExportError(f"cannot load base model {base!r}: {e}") from e
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter))
        if merge:
            model = model.merge_and_unload()
    model.eval()
    return model, tokenizer


def merge_adapter(adapter: Path, output: Path, base: str | None = None, *, overwrite: bool = False) -> Path:
    """Merge `adapter` into its full-precision base and save model + tokenizer in `output`."""
    adapter, output = Path(adapter), Path(output)
    base = base or adapter_base(adapter)
    if not base:
        raise ExportError(f"adapter {adapter} does not record its base model: pass --base")
    if _is_quantised(base):
        raise ExportError(
            f"base {base} is quantised: merging into 4-bit weights would lose the adapter; "
            "merge into the full-precision base (pass it with --base)"
        )
    if output.exists() and any(output.iterdir()) and not overwrite:
        raise ExportError(f"{output} is not empty: pass --overwrite to replace it")
    model, tokenizer = load_for_inference(base, adapter, merge=True)
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output)
    tokenizer.save_pretrained(output)
    recipe = adapter / "recipe.json"
    if recipe.is_file():
        (output / "recipe.json").write_text(recipe.read_text(encoding="utf-8"), encoding="utf-8")
    (output / "merged_from.json").write_text(
        json.dumps({"base": base, "adapter": str(adapter)}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return output
