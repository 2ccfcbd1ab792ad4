"""A local chat model through transformers: hub id or folder, optional PEFT adapter, optional 4-bit NF4,
the model's own chat template, and token-by-token streaming with TextIteratorStreamer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.backends.base import BackendError, GenerationContext, Message

# Fields of config.json that must agree between an adapter's base model and the model it is put on.
_SHAPE_FIELDS = ("model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size")


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", "./", "../", "~")) or Path(name).expanduser().exists()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def check_adapter_base(adapter_dir: Path, model_name: str, model_config: dict[str, Any]) -> None:
    """Refuse an adapter trained on another base model before peft fails with a shape error."""
    declared = str(_read_json(adapter_dir / "adapter_config.json").get("base_model_name_or_path") or "")
    if not declared:
        return
    declared_dir = Path(declared).expanduser()
    if declared_dir.is_dir():
        base = _read_json(declared_dir / "config.json")
        diff = [f for f in _SHAPE_FIELDS if f in base and f in model_config and base[f] != model_config[f]]
        if diff:
            raise BackendError(
                f"llm.adapter {adapter_dir} was trained for base model {declared}, whose {', '.join(diff)} "
                f"differ from llm.model {model_name}; use the adapter's base model or another adapter"
            )
    elif not _looks_like_path(declared) and not _looks_like_path(model_name) and declared != model_name:
        raise BackendError(
            f"llm.adapter {adapter_dir} was trained for base model {declared}, not llm.model {model_name}"
        )


class TransformersBackend:
    """Loads once in the constructor; every `stream` call generates in a worker thread."""

    def __init__(
        self,
        model: str,
        adapter: str = "",
        load_in_4bit: bool = False,
        max_new_tokens: int = 768,
        temperature: float = 0.2,
        device: str | None = None,
    ) -> None:
        if not model:
            raise BackendError(
                "llm.mode is 'transformers' but llm.model is empty: give a hub id or a model folder"
            )
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.model, self.tokenizer = self._load(model, adapter, load_in_4bit, device)
        self.description = f"本地模型 {Path(model).name or model}" + (
            f" + 适配器 {Path(adapter).name}" if adapter else ""
        )

    @staticmethod
    def _load(model: str, adapter: str, load_in_4bit: bool, device: str | None) -> tuple[Any, Any]:
        if _looks_like_path(model) and not Path(model).expanduser().is_dir():
            raise BackendError(f"llm.model folder not found: {model}")
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

        kwargs: dict[str, Any] = {"dtype": "auto"}
        if load_in_4bit:
            if not torch.cuda.is_available():
                raise BackendError(
                    "llm.load_in_4bit needs a CUDA GPU and none is available: set llm.load_in_4bit = false "
                    "(or LEGAL_ASSISTANT__LLM__LOAD_IN_4BIT=false), or run on a machine with CUDA"
                )
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True,
                bnb_4bit_quant_type="nf4",
                bnb_4bit_compute_dtype=torch.bfloat16,
                bnb_4bit_use_double_quant=True,
            )
            kwargs["device_map"] = "auto"
        try:
            config = AutoConfig.from_pretrained(model)
            tokenizer = AutoTokenizer.from_pretrained(adapter if _has_tokenizer(adapter) else model)
            lm = AutoModelForCausalLM.from_pretrained(model, **kwargs)
        except (OSError, ValueError) as e:
            raise BackendError(f"cannot load llm.model {model!r}: {e}".splitlines()[0]) from e
        if adapter:
            lm = _apply_adapter(lm, Path(adapter).expanduser(), model, config.to_dict())
        if device and not load_in_4bit:
            lm = lm.to(device)
        if getattr(tokenizer, "chat_template", None) is None:
            raise BackendError(f"llm.model {model} has no chat template; use a chat (instruct) model")
        lm.eval()
        return lm, tokenizer

    def prompt_ids(self, messages: Sequence[Message]) -> Any:
        kwargs: dict[str, Any] = {}
        if "enable_thinking" in (self.tokenizer.chat_template or ""):
            kwargs["enable_thinking"] = False  # Qwen3: answer directly, no <think> block
        return self.tokenizer.apply_chat_template(
            list(messages), add_generation_prompt=True, return_tensors="pt", return_dict=True, **kwargs
        )

    def stream(self, messages: Sequence[Message], context: GenerationContext | None = None) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self.prompt_ids(messages).to(self.model.device)
        streamer = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=600
        )
        gen: dict[str, Any] = {**inputs, "streamer": streamer, "max_new_tokens": self.max_new_tokens}
        if self.temperature > 0:
            gen.update(do_sample=True, temperature=self.temperature, top_p=0.9)
        else:
            gen.update(do_sample=False)
        if self.tokenizer.pad_token_id is None:
            gen["pad_token_id"] = self.tokenizer.eos_token_id
        errors: list[BaseException] = []

        def run() -> None:
            try:
                self.model.generate(**gen)
            except BaseException as e:  # re-raised in the caller's thread below
                errors.append(e)
                streamer.end()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        yield from (piece for piece in streamer if piece)
        worker.join()
        if errors:
            raise BackendError(f"generation failed: {errors[0]}") from errors[0]


def _has_tokenizer(folder: str) -> bool:
    return bool(folder) and (Path(folder).expanduser() / "tokenizer_config.json").is_file()


def _apply_adapter(lm: Any, adapter_dir: Path, model: str, model_config: dict[str, Any]) -> Any:
    from peft import PeftModel

    if not (adapter_dir / "adapter_config.json").is_file():
        raise BackendError(f"llm.adapter {adapter_dir} is not a PEFT adapter folder (no adapter_config.json)")
    check_adapter_base(adapter_dir, model, model_config)
    check_adapter_weights(lm, adapter_dir, model)
    try:
        return PeftModel.from_pretrained(lm, str(adapter_dir))
    except (RuntimeError, ValueError, KeyError) as e:
        raise BackendError(
            f"llm.adapter {adapter_dir} does not fit llm.model {model} (trained for another base model?): "
            + str(e).splitlines()[0][:200]
        ) from e


def check_adapter_weights(lm: Any, adapter_dir: Path, model: str) -> None:
    """Every LoRA matrix must sit on a layer of this model with the same shape; peft alone would
    silently skip the layers a deeper base model had, and fail obscurely on other widths."""
    weights = adapter_dir / "adapter_model.safetensors"
    if not weights.is_file():
        return  # an old .bin adapter: peft's own loading reports mismatches
    from safetensors import safe_open

    modules = dict(lm.named_modules())
    with safe_open(str(weights), framework="pt") as f:
        for key in f.keys():  # noqa: SIM118 (safe_open is not a mapping)
            path, _, kind = key.removeprefix("base_model.model.").rpartition(".lora_")
            module = modules.get(path)
            if module is None:
                raise BackendError(
                    f"llm.adapter {adapter_dir} has weights for layer {path}, which llm.model {model} lacks: the adapter was trained for another base model"
                )
            shape = tuple(f.get_slice(key).get_shape())
            expected = (
                getattr(module, "in_features", None)
                if kind.startswith("A")
                else getattr(module, "out_features", None)
            )
            actual = shape[1] if kind.startswith("A") else shape[0]
            if expected is not None and expected != actual:
                raise BackendError(
                    f"llm.adapter {adapter_dir} does not fit llm.model {model}: layer {path} is {expected} wide, the adapter expects {actual} (trained for another base model)"
                )
