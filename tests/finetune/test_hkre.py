"""HKRE measured on the optimiser's actual update, and the hardness flowing from real samples
through trl's collator to the decay set before each step."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

LR = 0.01
LAMBDA = 0.1


def _batch(tokenizer, data: Path, kind: str, n: int = 4):
    from finetune.samples import read_samples

    samples = [s for s in read_samples(data, kind, "train")][:n]
    texts = [s.prompt_text + s.output for s in samples]
    enc = tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=64)
    return samples, enc


def _effective_decay(base, hardness: list[float], enc) -> dict[str, float]:
    """Step the HKRE optimiser and a decay-free AdamW from the same weights and gradients; since
    AdamW computes p·(1 − lr·wd) − lr·adam, the difference of the two results is lr·wd·p."""
    import torch

    from finetune.config import HKRESettings
    from finetune.hkre import build_optimizer

    hk_model, ref_model = copy.deepcopy(base), copy.deepcopy(base)
    optimizer, controller = build_optimizer(hk_model, HKRESettings(enabled=True, lambda_base=LAMBDA), LR, 10)
    reference = torch.optim.AdamW(ref_model.parameters(), lr=LR, weight_decay=0.0)
    for model in (hk_model, ref_model):
        model(**enc, labels=enc["input_ids"]).loss.backward()
    controller.observe(torch.tensor(hardness))
    old = {n: p.detach().clone() for n, p in base.named_parameters()}
    optimizer.step()
    reference.step()
    ref = dict(ref_model.named_parameters())
    out = {}
    for name, p in hk_model.named_parameters():
        big = old[name].abs() > 1e-3
        ratio = (ref[name].detach() - p.detach())[big] / (LR * old[name][big])
        out[name] = ratio.median().item()
    return out


def _band(name: str) -> str:
    if "norm" in name:
        return "norm"
    if "embed_tokens" in name:
        return "embedding"
    m = re.search(r"layers\.(\d+)\.", name)
    if not m:
        return "head"
    layer = int(m.group(1)) + 1
    return "lower" if layer <= 4 else "middle" if layer <= 8 else "upper"


@pytest.fixture(scope="module")
def base_10l(tiny_model_10l: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return AutoModelForCausalLM.from_pretrained(tiny_model_10l), AutoTokenizer.from_pretrained(tiny_model_10l)


def test_level1_batch_keeps_embedding_and_lower_layers_and_scales_the_rest(base_10l, ft_data: Path):
    from finetune.config import HKRESettings
    from finetune.formatting import alpha_of

    model, tok = base_10l
    samples, enc = _batch(tok, ft_data, "statute", 16)
    level1 = [s for s in samples if s.level == 1][:4]
    assert len(level1) == 4, "the sample of 刑法 holds Level-1 articles"
    enc = tok(
        [s.prompt_text + s.output for s in level1],
        return_tensors="pt",
        padding=True,
        truncation=True,
        max_length=64,
    )
    hardness = [alpha_of(s.level, HKRESettings()) for s in level1]
    assert hardness == [1.0] * 4
    decay = _effective_decay(model, hardness, enc)
    expected = {
        "embedding": 0.0,
        "lower": 0.0,
        "middle": 0.3 * LAMBDA,
        "upper": 0.7 * LAMBDA,
        "head": 0.7 * LAMBDA,
        "norm": 0.0,
    }
    bands = {_band(n) for n in decay}
    assert {"embedding", "lower", "middle", "upper"} <= bands
    for name, wd in decay.items():
        assert wd == pytest.approx(expected[_band(name)], abs=2e-4), name


def test_soft_batch_gets_full_decay_and_level2_the_blend(base_10l, ft_data: Path):
    model, tok = base_10l
    samples, enc = _batch(tok, ft_data, "sentencing", 4)
    assert all(s.level == 4 for s in samples)  # sentencing is soft reasoning
    soft = _effective_decay(model, [0.0] * 4, enc)
    for name, wd in soft.items():
        assert wd == pytest.approx(0.0 if "norm" in name else LAMBDA, abs=2e-4), name
    level2 = _effective_decay(model, [0.7] * 4, enc)
    factor = {"embedding": 0.0, "lower": 0.0, "middle": 0.3, "upper": 0.7, "head": 0.7}
    for name, wd in level2.items():
        if "norm" not in name:
            assert wd == pytest.approx(LAMBDA * (1 - 0.7 * (1 - factor[_band(name)])), abs=2e-4), name


def test_trainer_reads_hardness_from_each_batch(
    tiny_model_10l: Path, ft_data: Path, make_recipe, tmp_path: Path
):
    """Full fine-tuning stage with HKRE on: the decay written before each step follows the batch."""
    from finetune.train import train

    recipe = make_recipe(
        tiny_model_10l,
        ft_data,
        tmp_path / "r",
        method="full",
        max_steps=3,
        eval_steps=3,
        save_steps=3,
        per_device_train_batch_size=4,
        max_length=96,
        **{"hkre.enabled": True, "hkre.lambda_base": LAMBDA},
    )
    train(recipe, ft_data, tmp_path / "r", objective="cpt", progress=False)
    history = json.loads((tmp_path / "r" / "hkre_history.json").read_text(encoding="utf-8"))
    assert len(history) == 3
    for step in history:
        alpha = step["alpha"]
        assert 0.7 - 1e-6 <= alpha <= 1.0 + 1e-6  # statute batches: Level-1 (1.0) and Level-2 (0.7) samples
        decays = step["decay"]
        assert decays["0"] == pytest.approx(LAMBDA * (1 - alpha))
        assert decays["0.3"] == pytest.approx(LAMBDA * (1 - alpha * 0.7))
        assert decays["0.7"] == pytest.approx(LAMBDA * (1 - alpha * 0.3))
        assert decays["no_decay"] == 0.0
