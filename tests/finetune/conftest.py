"""Session fixtures for the finetune tests: training data built from a small sample of the real
corpus, and a tiny Qwen3 (hidden 64, 4 heads, 2 KV heads, head_dim 16) with a byte-level BPE
tokenizer trained on that data. Builders live in tests/tiny_models.py for other packages too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.tiny_models import build_tiny_model, build_tiny_model_dir


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread():
    """One intra-op thread: on a shared 2-core machine more threads make tiny models 10× slower."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def ft_data(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`finetune data build` over 60 articles and 60 cases per source of the real corpus."""
    from finetune.data import BuildOptions, build

    out = tmp_path_factory.mktemp("ft") / "data"
    build(
        BuildOptions(
            corpus=shared_corpus,
            output=out,
            limit=60,
            valid_fraction=0.15,
            law_dirs=["刑法", "司法解释"],
            progress=False,
        )
    )
    return out


def _texts(data: Path, kinds: tuple[str, ...], n: int) -> list[str]:
    texts: list[str] = []
    for kind in kinds:
        rows = json.loads((data / "alpaca" / f"{kind}.train.json").read_text(encoding="utf-8"))
        texts += [r["instruction"] + r["input"] + r["output"] for r in rows[:n]]
    return texts


@pytest.fixture(scope="session")
def tiny_model(ft_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer tiny Qwen3 folder whose tokenizer was trained on the built data."""
    texts = _texts(ft_data, ("statute", "jec_qa", "sentencing", "contrastive"), 80)
    return build_tiny_model_dir(
        tmp_path_factory.mktemp("tiny") / "qwen3-2l",
        texts,
        num_layers=2,
        vocab_size=2000,
        initializer_range=0.2,
    )


@pytest.fixture(scope="session")
def tiny_model_10l(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 layers, so that HKRE's lower (1–4), middle (5–8) and upper (9–10) bands all exist.
    Same tokenizer as `tiny_model` (training another one would cost seconds for nothing)."""
    from transformers import AutoTokenizer

    out = tmp_path_factory.mktemp("tiny") / "qwen3-10l"
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    tokenizer.save_pretrained(out)
    build_tiny_model(tokenizer, num_layers=10, initializer_range=0.2).save_pretrained(out)
    return out


def _tiny_recipe(model: Path, data: Path, out: Path, **overrides):
    """A LoRA recipe sized for CPU tests: short samples, a high learning rate, few steps."""
    from finetune.config import load_recipe

    base = {
        "model": str(model),
        "data": str(data),
        "output": str(out),
        "quantization": "none",
        "kinds": ["statute"],
        "max_length": 192,
        "per_device_train_batch_size": 8,
        "per_device_eval_batch_size": 8,
        "gradient_accumulation_steps": 1,
        "learning_rate": 1e-2,
        "warmup_ratio": 0.1,
        "max_steps": 16,
        "eval_steps": 4,
        "save_steps": 8,
        "logging_steps": 4,
        "lora_r": 8,
        "lora_alpha": 16,
        "lora_dropout": 0.0,
        "max_eval_samples": 16,
        "bf16": False,
        "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    }
    base.update(overrides)
    return load_recipe("qwen3-4b-criminal-qlora", base)


@pytest.fixture(scope="session")
def make_recipe():
    """make_recipe(model, data, out, **overrides) → a validated LoRA recipe sized for CPU tests."""
    return _tiny_recipe
