"""Recipes: the published hyperparameters, validation in one place, overrides from the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from finetune.config import RecipeError, list_recipes, load_recipe, parse_set_options


def test_the_three_published_recipes_carry_their_hyperparameters():
    assert {"qwen3-4b-criminal-qlora", "qwen2.5-0.5b-lawyer-sft", "ec-miip-ip"} <= set(list_recipes())
    crim = load_recipe("qwen3-4b-criminal-qlora")
    assert (crim.quantization, crim.bnb_4bit_quant_type, crim.bnb_4bit_use_double_quant) == (
        "4bit",
        "nf4",
        True,
    )
    assert (crim.lora_r, crim.lora_alpha, crim.use_rslora, crim.learning_rate) == (64, 128, True, 1e-4)
    assert crim.lr_scheduler_type == "cosine" and crim.num_train_epochs == 2
    assert crim.per_device_train_batch_size * crim.gradient_accumulation_steps == 16
    assert "adversarial" in crim.kinds
    sft = load_recipe("qwen2.5-0.5b-lawyer-sft")
    assert (sft.method, sft.max_length, sft.per_device_train_batch_size, sft.gradient_accumulation_steps) == (
        "full",
        512,
        4,
        8,
    )
    assert (sft.num_train_epochs, sft.learning_rate, sft.prompt_format) == (3, 2e-5, "lawyer_llama")
    assert sft.system_prompt and sft.early_stopping_patience > 0
    ip = load_recipe("ec-miip-ip")
    assert (ip.lora_r, ip.lora_alpha, ip.lora_dropout, ip.learning_rate) == (64, 128, 0.05, 2e-5)
    assert (ip.per_device_train_batch_size, ip.gradient_accumulation_steps, ip.seed) == (8, 8, 42)
    assert ip.lr_scheduler_type == "cosine" and ip.cot_to_plain == 0.25
    assert [s.name for s in ip.stages] == ["hard-knowledge", "context", "sft"]
    assert ip.stages[0].hkre and ip.stages[1].tiered_masking and "contrastive" in ip.stages[1].kinds
    assert ip.hkre.alpha_level1 == 1.0 and ip.hkre.alpha_level2 == 0.7
    assert (ip.hkre.middle_factor, ip.hkre.upper_factor, ip.hkre.lower_layers) == (0.3, 0.7, 4)


def test_both_warmups_is_refused_naming_the_flags(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text('model = "m"\nwarmup_steps = 10\nwarmup_ratio = 0.1\n', encoding="utf-8")
    with pytest.raises(
        RecipeError, match="Can't give both warmup_steps and warmup_ratio.*--set warmup_steps"
    ):
        load_recipe(path)
    with pytest.raises(RecipeError, match="Can't give both"):
        load_recipe("qwen3-4b-criminal-qlora", {"warmup_steps": 5, "warmup_ratio": 0.2})
    # one of them from the command line replaces the file's other one
    assert load_recipe("qwen3-4b-criminal-qlora", {"warmup_steps": 5}).warmup == 5
    assert load_recipe("qwen3-4b-criminal-qlora").warmup == pytest.approx(0.03)


def test_other_conflicts_and_bad_values():
    with pytest.raises(RecipeError, match="quantization=4bit needs method=lora"):
        load_recipe("qwen3-4b-criminal-qlora", {"method": "full"})
    with pytest.raises(RecipeError, match="save_steps .* multiple of eval_steps"):
        load_recipe("qwen3-4b-criminal-qlora", {"eval_steps": 30, "save_steps": 100})
    with pytest.raises(RecipeError, match="lora_r"):
        load_recipe("qwen3-4b-criminal-qlora", {"lora_r": 0})
    with pytest.raises(RecipeError, match="no recipe 'nope': known recipes are"):
        load_recipe("nope")
    with pytest.raises(RecipeError, match="lora_rank"):
        load_recipe("qwen3-4b-criminal-qlora", {"lora_rank": 8})


def test_set_options_parse_toml_values():
    assert parse_set_options(
        ["lora_r=8", "hkre.enabled=true", "learning_rate=1e-3", 'target_modules=["q_proj"]', "model=/tmp/m"]
    ) == {
        "lora_r": 8,
        "hkre.enabled": True,
        "learning_rate": 1e-3,
        "target_modules": ["q_proj"],
        "model": "/tmp/m",
    }
    with pytest.raises(RecipeError, match="key=value"):
        parse_set_options(["lora_r"])
    assert load_recipe("ec-miip-ip", {"hkre.lambda_base": 0.5}).hkre.lambda_base == 0.5


def test_cli_turns_recipe_errors_into_one_line():
    from assistant.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "finetune",
            "train",
            "--recipe",
            "qwen3-4b-criminal-qlora",
            "--set",
            "warmup_steps=3",
            "--set",
            "warmup_ratio=0.1",
        ],
    )
    assert result.exit_code != 0
    assert "Can't give both warmup_steps and warmup_ratio" in result.output
    assert "Traceback" not in result.output


def test_cli_four_bit_without_cuda_is_one_clear_line(tmp_path):
    import torch

    from assistant.cli import cli

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = CliRunner().invoke(
        cli,
        [
            "finetune",
            "train",
            "--recipe",
            "qwen3-4b-criminal-qlora",
            "--model",
            str(tmp_path),
            "--data",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert "needs a CUDA GPU" in result.output and "--set quantization=none" in result.output
