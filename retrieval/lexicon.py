"""Everyday words → the words the law uses for them, read from a hand-written lexicon (everyday_law.toml).

A question told in everyday words (辞职, 被开除, 加班费, 告政府, 偷, 打人) shares few words with the article
that answers it (劳动者提前三十日以书面形式通知用人单位，可以解除劳动合同), and 公司 pulls 公司法. The
searcher adds the legal words of every entry whose everyday words the query uses to what its dense and
BM25 rankings read (`Searcher.expanded`), so `search`, `eval retrieval` and the assistant expand a question
the same way. An entry names words, never an answer: every article of every law is still weighed.

The learned term map (finetune.retriever.terms) covers the words the corpus's own questions use; this
lexicon the everyday words for which the corpus holds too few question → answer pairs to learn them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpora.citations import parse_citations

LEXICON_FILE = Path(__file__).with_name("everyday_law.toml")
SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the lexicons setting names files from here


class LexiconError(ValueError):
    """The lexicon file is unreadable or an entry is incomplete."""


@dataclass(frozen=True)
class LexiconEntry:
    words: tuple[str, ...]  # regular expressions; most are plain words
    legal: str  # words of the articles `source` names, separated by spaces
    source: str  # the articles whose words `legal` are (checked by a test against the corpus)
    also: tuple[str, ...] = ()  # patterns that must all match as well (who did it: 公款 with 侵吞)
    unless: tuple[str, ...] = ()  # patterns none of which may match (a 国有 company is not a private one)


class Lexicon:
    def __init__(self, entries: list[LexiconEntry]) -> None:
        self.entries = entries
        self._patterns = [re.compile("|".join(f"(?:{w})" for w in e.words)) for e in entries]
        self._also = [[re.compile(a) for a in e.also] for e in entries]
        self._unless = [[re.compile(u) for u in e.unless] for e in entries]

    @classmethod
    def read(cls, path: Path = LEXICON_FILE) -> Lexicon:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise LexiconError(f"cannot read the lexicon {path}: {e}") from e
        entries = []
        for i, item in enumerate(data.get("term", []), 1):
            words, also, unless = (
                tuple(str(w) for w in item.get(key, []) if str(w).strip())
                for key in ("words", "also", "unless")
            )
            legal, source = str(item.get("legal", "")).strip(), str(item.get("source", "")).strip()
            if not words or not legal or not source:
                raise LexiconError(f"{Path(path).name}: term {i} needs words, legal and source")
            for word in (*words, *also, *unless):
                try:
                    re.compile(word)
                except re.error as e:
                    raise LexiconError(f"{Path(path).name}: term {i}: {word!r} is not a pattern: {e}") from e
            if not any(ref.law for ref in parse_citations(source)):
                raise LexiconError(
                    f"{Path(path).name}: term {i}: source names no article of a law: {source!r}"
                )
            entries.append(LexiconEntry(words, legal, source, also, unless))
        return cls(entries)

    @classmethod
    def read_all(cls, paths: Sequence[str | Path]) -> Lexicon:
        """The entries of several lexicon files, in the order given (relative paths from SOURCE_ROOT)."""
        entries: list[LexiconEntry] = []
        for path in paths:
            entries += cls.read(SOURCE_ROOT / path).entries  # an absolute path stays itself
        return cls(entries)

    def matches(self, query: str) -> list[tuple[str, LexiconEntry]]:
        """(the everyday words found, their entry) for each entry the query uses, in file order."""
        return [(found, self.entries[i]) for i, found in self._found(query)]

    def matched(self, query: str) -> list[int]:
        """Positions of the entries the query uses, in file order."""
        return [i for i, _ in self._found(query)]

    def _found(self, query: str) -> list[tuple[int, str]]:
        out = []
        for i, (pattern, also, unless) in enumerate(
            zip(self._patterns, self._also, self._unless, strict=True)
        ):
            found = pattern.search(query)
            if (
                found is None
                or not all(a.search(query) for a in also)
                or any(u.search(query) for u in unless)
            ):
                continue
            out.append((i, found.group(0)))
        return out

    def legal_words(self, query: str) -> str:
        """The legal words of every entry the query uses, once each, none the query already has."""
        words: dict[str, None] = {}
        for _, entry in self.matches(query):
            for w in entry.legal.split():
                if w not in query:
                    words.setdefault(w)
        return " ".join(words)

    def expand(self, query: str) -> str:
        """The query followed by the legal words its everyday words stand for."""
        extra = self.legal_words(query)
        return f"{query} {extra}" if extra else query
