"""The retriever's tokenizer: forward maximum matching over corpus characters and frequent words.

A WordPiece model with an empty continuing-subword prefix matches the longest vocabulary entry
at each position, which is forward maximum matching: 盗窃罪 becomes one token when it is a word
of the vocabulary, and any run of characters still splits into single characters, because every
character of the corpus is in the vocabulary. Punctuation, whitespace and digits split the input
first, so that a character missing from the vocabulary turns only its own clause into [UNK].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tokenizers import Tokenizer

UNK = "[UNK]"
# Words shorter than this are covered by the characters; longer ones are rare and overfit.
MIN_WORD_CHARS = 2
MAX_WORD_CHARS = 8


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def count_words(texts: Iterable[str], user_words: Iterable[str] = ()) -> Counter[str]:
    """jieba word counts (CJK words of 2–8 characters) over `texts`, after adding `user_words`."""
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()  # eager, so that its log line comes before any progress bar
    for word in user_words:
        tok.add_word(word, freq=2000)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            w
            for w in tok.cut(text, HMM=False)
            if MIN_WORD_CHARS <= len(w) <= MAX_WORD_CHARS and all(_is_cjk(c) for c in w)
        )
    return counts


def build_vocabulary(
    texts: list[str], word_counts: Counter[str], *, min_word_count: int = 3, max_words: int = 40_000
) -> list[str]:
    """[UNK], every character of `texts`, then the most frequent words (ties broken by the word)."""
    chars = sorted({ch for text in texts for ch in text if not ch.isspace()})
    frequent = [w for w, n in word_counts.items() if n >= min_word_count]
    frequent.sort(key=lambda w: (-word_counts[w], w))
    return [UNK, *chars, *frequent[:max_words]]


def build_tokenizer(vocabulary: list[str]) -> Tokenizer:
    """A `tokenizers.Tokenizer` doing forward maximum matching over `vocabulary`."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import WordPiece

    vocab = {token: i for i, token in enumerate(dict.fromkeys(vocabulary))}
    if UNK not in vocab:
        raise ValueError(f"the vocabulary must contain {UNK}")
    model = WordPiece(vocab, unk_token=UNK, continuing_subword_prefix="", max_input_chars_per_word=100_000)
    tokenizer = Tokenizer(model)
    # NFKC folds full-width letters and digits (Ａ１ → A1) to the forms the vocabulary holds.
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(), pre_tokenizers.Digits()]
    )
    return tokenizer


def train_tokenizer(
    texts: list[str],
    *,
    word_texts: list[str] | None = None,
    user_words: Iterable[str] = (),
    min_word_count: int = 3,
    max_words: int = 40_000,
) -> Tokenizer:
    """Every character of `texts` plus the frequent jieba words of `word_texts` (default: `texts`)."""
    import unicodedata

    def norm(batch: list[str]) -> list[str]:
        return [unicodedata.normalize("NFKC", t).lower() for t in batch]

    counts = count_words(norm(word_texts if word_texts is not None else texts), user_words)
    return build_tokenizer(
        build_vocabulary(norm(texts), counts, min_word_count=min_word_count, max_words=max_words)
    )
