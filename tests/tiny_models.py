"""Tiny Qwen3 models and a byte-level BPE tokenizer built from scratch, for CPU tests.

Importable by every test package (``from tests.tiny_models import build_tiny_model_dir``):
nothing here downloads, and a whole model folder (config, weights, tokenizer, chat
template) is written in well under a second, so the real loading code stays under test.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

# ChatML, the template family of Qwen; enough for trl's prompt/completion tokenisation.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# Fictional sentences with the characters legal text uses, so a tokenizer trained on them alone
# still covers digits, punctuation and the common legal vocabulary.
DEFAULT_TEXTS = [
    "第一百条 本法所称虚构公司，是指虚构的组织。（虚构示例）",
    "本院认为，被告人以非法占有为目的，其行为已构成盗窃罪。判决如下：判处有期徒刑六个月，并处罚金人民币二千元。",
    "被告人到案后如实供述自己的罪行，依法可以从轻处罚。依照《中华人民共和国刑法》第二百六十四条之规定。",
    "指令: 下列说法正确的是？\n分析结果: 答案：A、C。0123456789 ABCD abcd，。；：！？“”（）《》、",
]


def train_tokenizer(texts: Iterable[str] = (), vocab_size: int = 800, save_dir: Path | None = None) -> Any:
    """A byte-level BPE tokenizer (every byte is in the alphabet, so no text maps to unknown)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(DEFAULT_TEXTS) + list(texts), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        bos_token=None,
        unk_token=None,
    )
    fast.chat_template = CHAT_TEMPLATE
    fast.padding_side = "right"
    if save_dir is not None:
        fast.save_pretrained(save_dir)
    return fast


def tiny_qwen3_config(vocab_size: int, num_layers: int = 2, **overrides: Any) -> Any:
    from transformers import Qwen3Config

    kwargs: dict[str, Any] = dict(
        vocab_size=vocab_size,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=num_layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        max_position_embeddings=1024,
        tie_word_embeddings=False,
        use_cache=False,
    )
    kwargs.update(overrides)
    return Qwen3Config(**kwargs)


def build_tiny_model(tokenizer: Any, num_layers: int = 2, seed: int = 0, **config: Any) -> Any:
    """A randomly initialised Qwen3ForCausalLM sized for the tokenizer.

    `config` overrides Qwen3Config fields; training tests pass a larger ``initializer_range``
    (e.g. 0.2): with the default 0.02 the logits of a 64-wide model span a few tenths, so a LoRA
    adapter on a random base can barely move the loss.
    """
    import torch
    from transformers import Qwen3ForCausalLM

    torch.manual_seed(seed)
    config = tiny_qwen3_config(len(tokenizer), num_layers=num_layers, **config)
    config.eos_token_id = tokenizer.eos_token_id
    config.pad_token_id = tokenizer.pad_token_id
    config.bos_token_id = None
    model = Qwen3ForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    return model


def build_tiny_model_dir(
    out_dir: Path,
    texts: Iterable[str] = (),
    num_layers: int = 2,
    vocab_size: int = 800,
    seed: int = 0,
    **config: Any,
) -> Path:
    """Write a loadable model folder (AutoModelForCausalLM / AutoTokenizer) and return it."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = train_tokenizer(texts, vocab_size=vocab_size, save_dir=out_dir)
    model = build_tiny_model(tokenizer, num_layers=num_layers, seed=seed, **config)
    model.save_pretrained(out_dir)
    return out_dir
