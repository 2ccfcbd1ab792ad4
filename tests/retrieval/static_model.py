"""A tiny StaticEmbedding folder written the way sentence-transformers saves one (modules.json,
tokenizer.json, model.safetensors), without importing it: the legal model's format at toy size."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "retrieval" / "corpus"
STATIC_TYPE = "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding"


def write_static_model(folder: Path, dim: int = 24, seed: int = 0) -> Path:
    """Characters of the fixture corpus plus its frequent character pairs, as a forward maximum
    matching WordPiece tokenizer (the legal model's recipe), and random float32 vectors."""
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*")) if p.is_file())
    chars = sorted({c for c in text if not c.isspace()})
    pairs: dict[str, int] = {}
    for a, b in zip(text, text[1:], strict=False):
        if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff":
            pairs[a + b] = pairs.get(a + b, 0) + 1
    words = [w for w, n in sorted(pairs.items(), key=lambda t: -t[1])[:300] if n > 2]
    vocab = {"[UNK]": 0, **{t: i + 1 for i, t in enumerate([*chars, *words])}}
    tokenizer = Tokenizer(
        models.WordPiece(
            vocab, unk_token="[UNK]", continuing_subword_prefix="", max_input_chars_per_word=10**5
        )
    )
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(), pre_tokenizers.Digits()]
    )
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(folder / "tokenizer.json"))
    weights = np.random.default_rng(seed).normal(size=(len(vocab), dim)).astype(np.float32)
    save_file({"embedding.weight": weights}, str(folder / "model.safetensors"))
    modules = [{"idx": 0, "name": "0", "path": "", "type": STATIC_TYPE}]
    (folder / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    return folder
