"""The real transformers loading path on a tiny Qwen3 and a LoRA adapter built here (no download)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.backends.base import BackendError
from assistant.backends.factory import create_backend
from assistant.backends.transformers_backend import TransformersBackend
from assistant.settings import LLMSettings
from tests.tiny_models import build_tiny_model, build_tiny_model_dir, tiny_qwen3_config

MESSAGES = [{"role": "system", "content": "你是法律助手。"}, {"role": "user", "content": "盗窃罪怎么判？"}]


def _lora(model, base_name: str, out: Path) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model

    model.config._name_or_path = base_name  # what peft records as the adapter's base model
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    torch.manual_seed(1)
    with torch.no_grad():  # lora_B starts at zero; make the adapter change the outputs
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.5)
    peft_model.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """A saved tiny base model with its LoRA adapter, and an adapter trained on a deeper base
    (only that base's config.json is written: enough to tell the two apart)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    root = tmp_path_factory.mktemp("tiny")
    base = build_tiny_model_dir(root / "base")
    tokenizer = AutoTokenizer.from_pretrained(base)
    other = build_tiny_model(tokenizer, num_layers=3)
    other.config.save_pretrained(root / "other")
    return {
        "base": base,
        "adapter": _lora(AutoModelForCausalLM.from_pretrained(base), str(base), root / "adapter"),
        "other_adapter": _lora(other, str(root / "other"), root / "other_adapter"),
    }


def test_loads_with_adapter_and_streams_token_by_token(tiny):
    import torch
    from peft import PeftModel

    backend = create_backend(
        LLMSettings(
            mode="transformers",
            model=str(tiny["base"]),
            adapter=str(tiny["adapter"]),
            max_new_tokens=8,
            temperature=0,
        )
    )
    assert isinstance(backend, TransformersBackend) and isinstance(backend.model, PeftModel)
    assert "adapter" in backend.description or "适配器" in backend.description
    pieces = list(backend.stream(MESSAGES))
    assert len(pieces) >= 2  # streamed piece by piece, not in one block
    inputs = backend.prompt_ids(MESSAGES)
    with torch.no_grad():
        out = backend.model.generate(**inputs, max_new_tokens=8, do_sample=False)
    expected = backend.tokenizer.decode(out[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    assert "".join(pieces) == expected
    # the chat template of the model was used: the prompt ends with the assistant turn opener
    prompt = backend.tokenizer.decode(inputs["input_ids"][0])
    assert prompt.endswith("<|im_start|>assistant\n") and "盗窃罪怎么判？" in prompt


def test_adapter_changes_the_model(tiny):
    import torch

    plain = TransformersBackend(str(tiny["base"]), temperature=0)
    adapted = TransformersBackend(str(tiny["base"]), adapter=str(tiny["adapter"]), temperature=0)
    inputs = plain.prompt_ids(MESSAGES)
    with torch.no_grad():
        assert not torch.allclose(plain.model(**inputs).logits, adapted.model(**inputs).logits)


def test_adapter_for_another_base_model_is_refused(tiny):
    with pytest.raises(BackendError, match=r"llm.adapter .*(another base model|num_hidden_layers)"):
        TransformersBackend(str(tiny["base"]), adapter=str(tiny["other_adapter"]))


def test_adapter_declaring_an_unknown_base_that_does_not_fit(tiny, tmp_path):
    import shutil

    adapter = Path(shutil.copytree(tiny["other_adapter"], tmp_path / "a"))
    config = json.loads((adapter / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = "/gone/elsewhere"  # the base folder no longer exists
    (adapter / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(BackendError, match="llm.adapter"):
        TransformersBackend(str(tiny["base"]), adapter=str(adapter))


def test_missing_model_folder_and_empty_model():
    with pytest.raises(BackendError, match="llm.model folder not found: /nonexistent/model"):
        TransformersBackend("/nonexistent/model")
    with pytest.raises(BackendError, match="llm.model is empty"):
        TransformersBackend("")


def test_missing_adapter_folder(tiny, tmp_path):
    with pytest.raises(BackendError, match="not a PEFT adapter folder"):
        TransformersBackend(str(tiny["base"]), adapter=str(tmp_path / "no-adapter"))


def test_four_bit_without_cuda_names_the_setting(tiny):
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA present: 4-bit is allowed here")
    with pytest.raises(BackendError, match="llm.load_in_4bit"):
        TransformersBackend(str(tiny["base"]), load_in_4bit=True)


def test_config_helper_is_the_shared_one():
    assert tiny_qwen3_config(100).hidden_size == 64


def test_service_streams_a_local_model_answer_and_checks_it(tiny, service_with):
    service = service_with(
        **{
            "llm.mode": "transformers",
            "llm.model": str(tiny["base"]),
            "llm.adapter": str(tiny["adapter"]),
            "llm.max_new_tokens": 6,
            "llm.temperature": 0,
        }
    )
    events = list(service.stream("刑法第二百六十四条是怎么规定的？"))
    tokens = [e.text for e in events if e.kind == "token"]
    final = events[-1].answer
    assert len(tokens) >= 2 and final.backend.startswith("本地模型")
    assert final.text.startswith("".join(tokens).strip()[:5])
    assert "引用核验" in final.text and final.sources[0].hit.number == 264
