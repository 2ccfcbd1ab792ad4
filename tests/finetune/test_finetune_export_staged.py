"""Export refusals (quantised base, another base), the CLI around them, and staged training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def adapter(tiny_model: Path, ft_data: Path, make_recipe, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from finetune.train import train

    out = tmp_path_factory.mktemp("exp") / "adapter"
    train(
        make_recipe(tiny_model, ft_data, out, max_steps=2, eval_steps=2, save_steps=2),
        ft_data,
        out,
        progress=False,
    )
    return out


def test_adapter_for_another_base_is_refused(adapter: Path, tiny_model_10l: Path, tmp_path: Path):
    from finetune.export import ExportError, load_for_inference, merge_adapter

    with pytest.raises(ExportError, match=r"was trained for base .* differs in .*num_hidden_layers.*--base"):
        merge_adapter(adapter, tmp_path / "m", base=str(tiny_model_10l))
    with pytest.raises(ExportError, match="differs in"):
        load_for_inference(str(tiny_model_10l), adapter)
    assert not (tmp_path / "m").exists()


def test_quantised_base_is_refused(adapter: Path, tiny_model: Path, tmp_path: Path):
    import shutil

    from finetune.export import ExportError, merge_adapter

    quantised = tmp_path / "q"
    shutil.copytree(tiny_model, quantised)
    config = json.loads((quantised / "config.json").read_text(encoding="utf-8"))
    config["quantization_config"] = {"quant_method": "bitsandbytes", "load_in_4bit": True}
    (quantised / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ExportError, match="is quantised: merging into 4-bit weights would lose the adapter"):
        merge_adapter(adapter, tmp_path / "m", base=str(quantised))


def test_export_cli_refuses_a_full_output_without_overwrite(adapter: Path, tmp_path: Path):
    from click.testing import CliRunner

    from assistant.cli import cli

    out = tmp_path / "merged"
    first = CliRunner().invoke(cli, ["finetune", "export", "--adapter", str(adapter), "--output", str(out)])
    assert first.exit_code == 0, first.output
    assert (out / "config.json").is_file() and (out / "model.safetensors").is_file()
    second = CliRunner().invoke(cli, ["finetune", "export", "--adapter", str(adapter), "--output", str(out)])
    assert second.exit_code == 1 and "pass --overwrite" in second.output


def test_compare_prints_base_and_adapter_answers(adapter: Path, ft_data: Path):
    from click.testing import CliRunner

    from assistant.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "finetune",
            "compare",
            "--adapter",
            str(adapter),
            "--data",
            str(ft_data),
            "-n",
            "2",
            "--max-new-tokens",
            "6",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("基座") == 2 and result.output.count("适配器") == 2


def test_stages_run_in_order_each_from_the_previous(
    tiny_model: Path, ft_data: Path, make_recipe, tmp_path: Path
):
    """ec-miip's three stages; stage 2 gets a learning rate of ~0, so its adapter must equal stage 1's."""
    from safetensors.torch import load_file

    from finetune.config import StageSpec
    from finetune.staged import run_recipe

    base = make_recipe(tiny_model, ft_data, tmp_path / "x", max_steps=2, eval_steps=2, save_steps=2)
    stages = [
        StageSpec(name="hard-knowledge", objective="cpt", kinds=["statute"], hkre=True),
        StageSpec(
            name="context",
            objective="cpt",
            kinds=["judgment_context", "contrastive"],
            tiered_masking=True,
            learning_rate=1e-12,
        ),
        StageSpec(name="sft", objective="sft", kinds=["sentencing", "sentencing_cot"]),
    ]
    recipe = base.model_copy(update={"stages": stages, "max_length": 256})
    out = tmp_path / "staged"
    results = run_recipe(recipe, ft_data, out, progress=False)
    assert [Path(r.output_dir).name for r in results] == ["hard-knowledge", "context", "sft"]
    index = json.loads((out / "stages.json").read_text(encoding="utf-8"))
    assert index["final"] == str(out / "sft") and all(s["done"] for s in index["stages"])
    assert (out / "hard-knowledge" / "hkre_history.json").is_file()
    assert not (out / "context" / "hkre_history.json").exists()
    one, two, three = (
        load_file(str(out / s / "adapter_model.safetensors")) for s in ("hard-knowledge", "context", "sft")
    )
    assert one.keys() == two.keys() == three.keys()
    assert any(v.abs().sum() > 0 for k, v in one.items() if "lora_B" in k)
    for k in one:
        assert (one[k] - two[k]).abs().max().item() < 1e-6, k  # stage 2 started from stage 1's adapter
    assert any((two[k] - three[k]).abs().max().item() > 1e-6 for k in two)
    with pytest.raises(Exception, match="already holds a run"):
        run_recipe(recipe, ft_data, out, progress=False)
