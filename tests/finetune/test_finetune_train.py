"""End to end on CPU: a recipe trains a LoRA adapter on data built from the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def trained(tiny_model: Path, ft_data: Path, make_recipe, tmp_path_factory: pytest.TempPathFactory):
    from finetune.train import train

    out = tmp_path_factory.mktemp("run") / "adapter"
    recipe = make_recipe(tiny_model, ft_data, out)
    result = train(recipe, ft_data, out, progress=False)
    return recipe, result, out


def test_validation_loss_falls_and_artefacts_are_saved(trained):
    recipe, result, out = trained
    evals = [v for _, v in result.eval_losses]
    assert len(evals) >= 3
    assert evals[-1] < evals[0] - 0.1, evals
    assert result.train_losses[-1][1] < result.train_losses[0][1] - 0.5
    for name in (
        "adapter_config.json",
        "adapter_model.safetensors",
        "recipe.json",
        "metrics.json",
        "loss_curve.png",
        "tokenizer_config.json",
    ):
        assert (out / name).is_file(), name
    saved = json.loads((out / "recipe.json").read_text(encoding="utf-8"))
    assert saved["lora_r"] == 8 and saved["use_rslora"] is True and saved["max_steps"] == 16
    config = json.loads((out / "adapter_config.json").read_text(encoding="utf-8"))
    assert config["use_rslora"] is True and config["r"] == 8
    assert (out / "loss_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert result.dropped_long > 0  # statute samples over max_length=192 tokens: dropped, and counted
    state = json.loads((out / "checkpoint-16" / "trainer_state.json").read_text(encoding="utf-8"))
    assert "EarlyStoppingCallback" in state["stateful_callbacks"] and state["best_metric"] == pytest.approx(
        min(evals)
    )


def test_lora_params_change_and_base_params_do_not(trained, tiny_model: Path):
    import torch
    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    _, _, out = trained
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    before = {k: v.clone() for k, v in base.state_dict().items()}
    model = PeftModel.from_pretrained(base, str(out))
    for name, p in model.named_parameters():
        if "lora_" in name:
            continue
        key = name.removeprefix("base_model.model.").replace(".base_layer", "")
        assert torch.equal(p, before[key]), name
    lora = load_file(str(out / "adapter_model.safetensors"))
    b_mats = [v for k, v in lora.items() if "lora_B" in k]
    assert b_mats and all(v.abs().sum() > 0 for v in b_mats)  # B starts at zero: training moved it


def test_adapter_reloads_and_merged_model_matches(trained, tmp_path: Path):
    import torch
    from transformers import AutoModelForCausalLM

    from finetune.export import load_for_inference, merge_adapter

    _, _, out = trained
    model, tok = load_for_inference(adapter=out)
    ids = tok("本院认为，被告人的行为已构成盗窃罪。", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        unmerged = model(ids).logits
    merged_dir = merge_adapter(out, tmp_path / "merged")
    merged = AutoModelForCausalLM.from_pretrained(merged_dir)
    with torch.no_grad():
        merged_logits = merged(ids).logits
    assert (unmerged - merged_logits).abs().max().item() < 1e-4
    with model.disable_adapter(), torch.no_grad():
        assert (model(ids).logits - unmerged).abs().max().item() > 1e-3  # the adapter does something


def test_assistant_backend_loads_the_adapter_and_the_merged_model(trained, tiny_model: Path, tmp_path: Path):
    from peft import PeftModel

    from assistant.backends.transformers_backend import TransformersBackend
    from finetune.export import merge_adapter

    _, _, out = trained
    merged = str(merge_adapter(out, tmp_path / "m"))
    for model, adapter, wrapped in ((str(tiny_model), str(out), True), (merged, "", False)):
        backend = TransformersBackend(model, adapter=adapter, max_new_tokens=4, temperature=0)
        assert isinstance(backend.model, PeftModel) is wrapped
        list(backend.stream([{"role": "user", "content": "盗窃罪如何处罚？"}]))  # generates without error


def test_existing_run_is_not_overwritten(trained, make_recipe, tiny_model: Path, ft_data: Path):
    from finetune.train import TrainError, train

    _, _, out = trained
    stamp = (out / "adapter_model.safetensors").stat().st_mtime_ns
    with pytest.raises(TrainError, match="already holds a run: pass --overwrite"):
        train(make_recipe(tiny_model, ft_data, out), ft_data, out, progress=False)
    assert (out / "adapter_model.safetensors").stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_resume_continues_from_the_last_checkpoint(
    tiny_model: Path, ft_data: Path, make_recipe, tmp_path: Path
):
    from finetune.train import train

    out = tmp_path / "run"
    first = train(
        make_recipe(tiny_model, ft_data, out, max_steps=4, eval_steps=2, save_steps=2, logging_steps=1),
        ft_data,
        out,
        progress=False,
    )
    assert first.steps == 4 and (out / "checkpoint-4").is_dir()
    again = train(
        make_recipe(tiny_model, ft_data, out, max_steps=6, eval_steps=2, save_steps=2, logging_steps=1),
        ft_data,
        out,
        resume=True,
        progress=False,
    )
    assert again.steps == 6
    steps = [s for s, _ in again.train_losses]
    # Logged every step: 5 and 6 after the checkpoint, and no step logged twice (none redone).
    assert steps[-2:] == [5, 6] and len(steps) == len(set(steps)), steps


def test_four_bit_without_cuda_says_what_it_needs(
    make_recipe, tiny_model: Path, ft_data: Path, tmp_path: Path
):
    import torch

    from finetune.train import TrainError, train

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    recipe = make_recipe(tiny_model, ft_data, tmp_path / "q", quantization="4bit")
    with pytest.raises(TrainError, match=r"needs a CUDA GPU.*--set quantization=none"):
        train(recipe, ft_data, tmp_path / "q", progress=False)
    assert not (tmp_path / "q").exists()
