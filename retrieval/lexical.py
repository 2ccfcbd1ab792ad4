"""Chinese lexical search: jieba words (with the corpus's legal vocabulary) scored by BM25 (bm25s)."""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

# Function words and question words that carry no legal meaning; a query such as
# "盗窃公私财物数额较大怎么处罚" must be scored on 盗窃 / 公私 / 财物 / 数额较大 / 处罚.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 或者 以及 是 在 对 为 被 把 将 由 从 向 于 之 其 这 那 这个 那个 这些 那些 该 本 此
    有 有的 也 都 就 又 还 而 并 并且 但 但是 如果 如何 怎么 怎么样 怎样 什么 哪些 哪个 哪 吗 呢 吧 啊 么
    多少 几 多久 是否 能否 可否 可以 应该 应当 会 要 需要 请问 请 问 我 我们 你 你们 他 她 它 他们 一个 一种
    等 等等 之一 规定 相关 关于 问题 情况 时候 时 后 前 中 上 下 里 内 外 个 条 第 款 项""".split()  # noqa: SIM905
)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_VOCAB_FILE = "user_words.json"
_IDS_FILE = "ids.json"
_FREQ_FILE = "jieba_freq.npz"
log = logging.getLogger(__name__)


_BASE: Any = None


def _base_dictionary() -> Any:
    """jieba's dictionary, loaded once per process; each tokenizer copies it (fast) and adds words."""
    global _BASE
    if _BASE is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        base = jieba.Tokenizer()
        base.initialize()
        _BASE = base
    return _BASE


def _new_jieba() -> Any:
    import jieba

    base = _base_dictionary()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
    return tk


class FrozenFreq(Mapping[str, int]):
    """A jieba frequency table (every word it knows and every prefix of one, with its frequency) as one
    sorted array per word length, searched by bisection.

    jieba's own table is a dict of 535,000 entries for the whole corpus's words: 1.6 s of CPU and 80 MB
    for every cold search, which tokenises a dozen characters. Saved beside the BM25 index by the build
    that tokenised with it, this loads in milliseconds and answers the same look-ups (get_DAG, calc,
    cut_for_search read FREQ through `in`, `[]` and `get` only).
    """

    def __init__(self, keys: dict[int, np.ndarray], values: dict[int, np.ndarray]) -> None:
        self._keys, self._values = keys, values

    @classmethod
    def from_dict(cls, freq: Mapping[str, int]) -> FrozenFreq:
        by_len: dict[int, list[str]] = {}
        for word in freq:
            by_len.setdefault(len(word), []).append(word)
        keys = {n: np.array(sorted(words), dtype=f"<U{max(n, 1)}") for n, words in by_len.items()}
        values = {n: np.array([freq[w] for w in keys[n].tolist()], dtype=np.int64) for n in keys}
        return cls(keys, values)

    def save(self, path: Path, total: int) -> None:
        arrays: dict[str, Any] = {"total": np.array(total, dtype=np.int64), "size": np.array(len(self))}
        arrays |= {f"k{n}": a for n, a in self._keys.items()} | {f"v{n}": a for n, a in self._values.items()}
        with open(path, "wb") as f:
            np.savez(f, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path) -> tuple[FrozenFreq, int]:
        """(table, jieba's total); ValueError when the file is damaged or incomplete."""
        with np.load(path, allow_pickle=False) as z:
            lengths = sorted(int(name[1:]) for name in z.files if name.startswith("k"))
            keys = {n: z[f"k{n}"] for n in lengths}
            values = {n: z[f"v{n}"] for n in lengths}
            total, size = int(z["total"]), int(z["size"])
        table = cls(keys, values)
        if any(len(keys[n]) != len(values[n]) for n in lengths) or len(table) != size:
            raise ValueError(f"{path} is incomplete")
        return table, total

    def _find(self, word: str) -> int:
        keys = self._keys.get(len(word))
        if keys is None or not isinstance(word, str):
            return -1
        i = int(np.searchsorted(keys, word))
        return i if i < len(keys) and keys[i] == word else -1

    def __getitem__(self, word: str) -> int:
        i = self._find(word)
        if i < 0:
            raise KeyError(word)
        return int(self._values[len(word)][i])

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) >= 0

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        i = self._find(word)
        return int(self._values[len(word)][i]) if i >= 0 else default

    def __len__(self) -> int:
        return sum(len(k) for k in self._keys.values())

    def __iter__(self) -> Iterator[str]:
        for n in sorted(self._keys):
            yield from self._keys[n].tolist()


def _clean_words(words: Iterable[str]) -> list[str]:
    return sorted({w.strip() for w in words if w and w.strip() and " " not in w.strip()})


class ChineseTokenizer:
    """jieba words without punctuation, whitespace and stopwords.

    Each instance owns its own `jieba.Tokenizer`, so user words (charge names, law titles)
    added here never change the tokenisation of other code in the process.
    """

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self._given: Iterable[str] = ()
        self._user_words: list[str] | None = _clean_words(user_words)
        self._jieba = _new_jieba()
        for word in self.user_words:
            # A high frequency makes jieba prefer the whole legal term over its parts.
            self._jieba.add_word(word, freq=max(1000, 200 * len(word)))

    @classmethod
    def from_table(cls, user_words: Iterable[str], freq: Mapping[str, int], total: int) -> ChineseTokenizer:
        """A tokenizer over a saved frequency table (already holding the user words), without
        loading jieba's dictionary. Read-only: it only tokenises."""
        import jieba

        self = cls.__new__(cls)
        self._given, self._user_words = user_words, None  # cleaned when asked for: a search never asks
        self._jieba = jieba.Tokenizer()
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = freq, total, True
        return self

    @property
    def user_words(self) -> list[str]:
        if self._user_words is None:
            self._user_words = _clean_words(self._given)
        return self._user_words

    def table(self) -> tuple[Mapping[str, int], int]:
        """(the frequency table, its total): what from_table needs to tokenise as this one does."""
        return self._jieba.FREQ, self._jieba.total

    def tokenize(self, text: str) -> list[str]:
        return self._words(unicodedata.normalize("NFKC", text).lower())

    def _words(self, text: str) -> list[str]:
        out = []
        # Search-engine mode also emits the words inside long ones (行贿罪 → 行贿, 行贿罪), so a query
        # word matches the compounds that contain it; HMM off keeps tokenisation deterministic.
        for token in self._jieba.cut_for_search(text, HMM=False):
            token = token.strip()
            if token and token not in STOPWORDS and _KEEP.search(token):
                out.append(token)
        return out

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        """`tokenize` of each text, cutting each distinct block once.

        jieba cuts a text block by block (runs of 汉字/letters/digits, and what lies between them), so
        the tokens of the blocks joined are the tokens of the text; legal texts repeat blocks
        (处三年以下有期徒刑, 情节严重的), and the memo (this call only) makes a build's tokenising 1.5×
        faster (25,000 corpus texts: 7.4 s against 11.1 s).
        """
        import jieba

        memo: dict[str, list[str]] = {}
        out = []
        for text in texts:
            tokens: list[str] = []
            for block in jieba.re_han_default.split(unicodedata.normalize("NFKC", text).lower()):
                if block:
                    words = memo.get(block)
                    if words is None:
                        words = memo[block] = self._words(block)
                    tokens += words
            out.append(tokens)
        return out


class LexicalIndex:
    """BM25 over record ids; the whole index stays in memory for fast queries."""

    def __init__(self, tokenizer: ChineseTokenizer | None = None, k1: float = 1.2, b: float = 0.75) -> None:
        self.tokenizer = tokenizer or ChineseTokenizer()
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self._bm25: Any = None

    def __len__(self) -> int:
        return len(self.ids)

    def build(self, ids: Sequence[str], texts: Sequence[str]) -> LexicalIndex:
        if len(ids) != len(texts):
            raise ValueError(f"LexicalIndex.build: {len(ids)} ids but {len(texts)} texts")
        return self.build_tokenized(ids, self.tokenizer.tokenize_many(texts))

    def build_tokenized(self, ids: Sequence[str], tokens: Sequence[list[str]]) -> LexicalIndex:
        import bm25s

        self.ids = list(ids)
        self._bm25 = bm25s.BM25(k1=self.k1, b=self.b)
        if self.ids:
            # An empty document would make bm25s' vocabulary empty: give it a token of its own.
            self._bm25.index([t or [""] for t in tokens], show_progress=False)
        return self

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every document (0 where the mask is 0)."""
        if self._bm25 is None or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        vocab = self._bm25.vocab_dict
        token_ids = [vocab[t] for t in self.tokenizer.tokenize(query) if t in vocab]
        if not token_ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        weight = None if mask is None else mask.astype(np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(token_ids, weight_mask=weight))

    def known_tokens(self) -> set[str]:
        """Every word the index holds."""
        return set(self._bm25.vocab_dict) if self._bm25 is not None else set()

    def token_scores(self, tokens: Sequence[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every document for already-tokenised words (unknown words are ignored)."""
        if self._bm25 is None or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        vocab = self._bm25.vocab_dict
        token_ids = [vocab[t] for t in tokens if t in vocab]
        if not token_ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        weight = None if mask is None else mask.astype(np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(token_ids, weight_mask=weight))

    def search(self, query: str, k: int = 10, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Best k (id, score), best first; documents with score 0 are left out."""
        scores = self.scores(query, mask)
        if not len(scores) or k <= 0:
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None and self.ids:
            self._bm25.save(str(directory / "bm25"), show_progress=False)
        (directory / _IDS_FILE).write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")
        freq, total = self.tokenizer.table()
        table = freq if isinstance(freq, FrozenFreq) else FrozenFreq.from_dict(freq)
        table.save(directory / _FREQ_FILE, total)
        meta = {
            "user_words": self.tokenizer.user_words,
            "k1": self.k1,
            "b": self.b,
            "table": {"size": len(table), "total": int(total)},  # which table file belongs to this index
        }
        (directory / _VOCAB_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(
        cls,
        directory: Path,
        tokenizer: ChineseTokenizer | None = None,
        known_ids: Callable[[bytes], list[str] | None] | None = None,
    ) -> LexicalIndex:
        """`known_ids(raw)`: the ids that ids.json's bytes `raw` hold when the caller has them already (a
        search has the catalogue's: parsing the file again cost 40 ms), else None (the file is parsed)."""
        directory = Path(directory)
        meta = json.loads((directory / _VOCAB_FILE).read_text(encoding="utf-8"))
        tokenizer = tokenizer or _saved_tokenizer(directory, meta["user_words"], meta.get("table"))
        index = cls(tokenizer, k1=meta["k1"], b=meta["b"])
        raw = (directory / _IDS_FILE).read_bytes()
        ids = known_ids(raw) if known_ids is not None else None
        index.ids = ids if ids is not None else json.loads(raw.decode("utf-8"))
        if index.ids:
            # Memory-mapped: a query reads the columns of its few words, and processes share the pages.
            # A generation's files are never rewritten, and a deleted one stays readable while mapped.
            index._bm25 = SavedScores.open(directory / "bm25")
            if index._bm25 is None:
                import bm25s

                index._bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, mmap=True)
        return index


class SavedScores:
    """A saved bm25s index (`BM25.save`: the BM25 score of each word in each document, as a sparse
    column matrix, and the word table), scored as bm25s' numpy backend scores it
    (`BM25.get_scores_from_ids`), without importing bm25s: it imports scipy, 0.35 s of a cold search's
    CPU, and a search only adds up columns. Indexes whose scoring needs more (BM25L and BM25+ add a
    non-occurrence score; the numba backend adds in another order) are left to bm25s."""

    def __init__(
        self, vocab: Mapping[str, int], arrays: tuple[np.ndarray, ...], params: dict[str, Any]
    ) -> None:
        self.vocab_dict = vocab
        self.data, self.indices, self.indptr = arrays
        self.num_docs, self.dtype = int(params["num_docs"]), np.dtype(params["dtype"])
        self.int_dtype = np.dtype(params["int_dtype"])

    @classmethod
    def open(cls, folder: Path) -> SavedScores | None:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") in ("bm25l", "bm25+") or params.get("backend", "numpy") != "numpy":
            return None
        vocab = SortedVocab.open(folder)
        arrays = tuple(
            np.load(folder / f"{name}.csc.index.npy", mmap_mode="r") for name in ("data", "indices", "indptr")
        )
        return cls(vocab, arrays, params)

    def get_scores_from_ids(
        self, token_ids: Sequence[int], weight_mask: np.ndarray | None = None
    ) -> np.ndarray:
        ids = np.asarray(token_ids, dtype=self.int_dtype)
        if int(ids.max(initial=0)) >= len(self.indptr) - 1:
            raise ValueError(f"token id {int(ids.max())} is beyond the index's {len(self.indptr) - 1} words")
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        for start, end in zip(self.indptr[ids], self.indptr[ids + 1], strict=True):
            np.add.at(scores, self.indices[start:end], self.data[start:end])  # as bm25s adds them
        if weight_mask is not None:
            scores *= weight_mask
        return scores


class SortedVocab(Mapping[str, int]):
    """bm25s' word → column table (vocab.index.json) as its words sorted, searched by bisection. The
    JSON dict of 90,000 words cost a cold search 50 ms to parse; vocab.index.npz, made from it once
    (under the SHA-1 of the JSON, so a changed file is read again), loads as one string and one array."""

    FILE, FORMAT = "vocab.index.npz", 1

    def __init__(self, words: list[str], columns: np.ndarray) -> None:
        self._words, self._columns = words, columns

    @classmethod
    def open(cls, folder: Path) -> Mapping[str, int]:
        raw = (folder / "vocab.index.json").read_bytes()
        digest = hashlib.sha1(raw).hexdigest()
        try:
            with np.load(folder / cls.FILE, allow_pickle=False) as z:
                header = json.loads(z["header"].tobytes().decode("utf-8"))
                words, columns = z["words"].tobytes().decode("utf-8"), z["columns"]
            if header == {"format": cls.FORMAT, "source": digest}:
                found = words.split("\n") if len(columns) else []
                if len(found) == len(columns):
                    return cls(found, columns)
            log.info("%s was made from another vocab.index.json: reading the JSON", folder / cls.FILE)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            log.warning("%s cannot be used (%s): reading vocab.index.json", folder / cls.FILE, e)
        vocab: dict[str, int] = json.loads(raw.decode("utf-8"))
        cls._write(folder, vocab, digest)
        return vocab

    @classmethod
    def _write(cls, folder: Path, vocab: dict[str, int], digest: str) -> None:
        """Best effort and atomic; no file when a word holds a line break (the words are joined by them)."""
        words = sorted(vocab)
        if any("\n" in w for w in words):
            return
        header = json.dumps({"format": cls.FORMAT, "source": digest}).encode("utf-8")
        tmp = folder / f"{cls.FILE}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                np.savez(
                    f,
                    header=np.frombuffer(header, dtype=np.uint8),
                    words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
                    columns=np.asarray([vocab[w] for w in words], dtype=np.int64),
                )
            os.replace(tmp, folder / cls.FILE)
        except OSError as e:
            log.info("cannot write %s (%s)", folder / cls.FILE, e)
            tmp.unlink(missing_ok=True)

    def _find(self, word: object) -> int:
        if not isinstance(word, str):
            return -1
        i = bisect.bisect_left(self._words, word)
        return i if i < len(self._words) and self._words[i] == word else -1

    def __getitem__(self, word: str) -> int:
        i = self._find(word)
        if i < 0:
            raise KeyError(word)
        return int(self._columns[i])

    def __contains__(self, word: object) -> bool:
        return self._find(word) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


def _saved_tokenizer(
    directory: Path, user_words: list[str], expected: dict[str, int] | None
) -> ChineseTokenizer:
    """The tokenizer the index was built with, from its saved table. An index written before the table
    existed, or whose table is damaged or is not the one its user_words.json names, gets the table
    rebuilt from jieba's dictionary and the user words: the same tokens, 1.6 s slower."""
    path = directory / _FREQ_FILE
    if expected is not None and path.is_file():
        try:
            freq, total = FrozenFreq.load(path)
            if len(freq) != expected["size"] or total != expected["total"]:
                raise ValueError(f"{len(freq)} words, total {total}; user_words.json names {expected}")
            return ChineseTokenizer.from_table(user_words, freq, total)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            log.warning("the saved jieba table %s cannot be used (%s): rebuilding it", path, e)
    return ChineseTokenizer(user_words)
