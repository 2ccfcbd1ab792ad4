"""Everyday words for what the Criminal Law names in its own words (everyday_terms.toml).

`EverydayTerms.expand(facts)` returns the facts followed by the legal words of every entry whose
everyday words occur in them, and `articles(facts)` the articles those words come from: the charge
ranking reads the expanded text, and the articles are one more ranking in its fusion (a vote, never a
verdict: the other rankings still weigh every charge). `matches` says which everyday words were read
as which legal words (the answer's evidence).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TERMS_FILE = Path(__file__).with_name("everyday_terms.toml")


@dataclass(frozen=True)
class EverydayTerm:
    words: tuple[str, ...]  # regular expressions; most are plain words
    legal: str
    source: str  # the 刑法 article(s) whose words `legal` are
    also: tuple[str, ...] = ()  # patterns that must all match as well (who did it: 公款 with 侵吞)
    unless: tuple[str, ...] = ()  # patterns none of which may match (a 国有 company is not a private one)

    @property
    def articles(self) -> list[tuple[int, int]]:
        """The (number, suffix) of the articles `source` names."""
        from corpora.citations import article_keys

        return article_keys(self.source)


class EverydayTerms:
    def __init__(self, terms: list[EverydayTerm]) -> None:
        self.terms = terms
        self._patterns = [re.compile("|".join(f"(?:{w})" for w in t.words)) for t in terms]
        self._also = [[re.compile(a) for a in t.also] for t in terms]
        self._unless = [[re.compile(u) for u in t.unless] for t in terms]

    @classmethod
    def read(cls, path: Path = TERMS_FILE) -> EverydayTerms:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        terms = []
        for i, item in enumerate(data.get("term", []), 1):
            words = tuple(str(w) for w in item.get("words", []) if str(w).strip())
            also = tuple(str(w) for w in item.get("also", []) if str(w).strip())
            unless = tuple(str(w) for w in item.get("unless", []) if str(w).strip())
            legal, source = str(item.get("legal", "")).strip(), str(item.get("source", "")).strip()
            if not words or not legal or not source:
                raise ValueError(f"{path.name}: term {i} needs words, legal and source")
            term = EverydayTerm(words, legal, source, also, unless)
            for word in (*words, *also, *unless):
                try:
                    re.compile(word)
                except re.error as e:
                    raise ValueError(f"{path.name}: term {i}: {word!r} is not a pattern: {e}") from e
            if not term.articles:
                raise ValueError(f"{path.name}: term {i}: source names no article: {source!r}")
            terms.append(term)
        return cls(terms)

    def matches(self, facts: str) -> list[tuple[str, EverydayTerm]]:
        """(the everyday words found, their entry) for each entry the facts use, in file order."""
        out = []
        for term, pattern, also, unless in zip(
            self.terms, self._patterns, self._also, self._unless, strict=True
        ):
            found = pattern.search(facts)
            if found is None or not all(a.search(facts) for a in also):
                continue
            if not any(u.search(facts) for u in unless):
                out.append((found.group(0), term))
        return out

    def articles(self, facts: str) -> list[tuple[tuple[int, int], int]]:
        """(article, rank) for the articles whose words the facts' everyday words stand for: the
        rank is the entry's place among the entries found (the articles of one entry share it)."""
        out: list[tuple[tuple[int, int], int]] = []
        for rank, (_, term) in enumerate(self.matches(facts), 1):
            out += [(k, rank) for k in term.articles if all(k != seen for seen, _ in out)]
        return out

    def alternatives(self) -> set[frozenset[tuple[int, int]]]:
        """Pairs of articles that read the same words by who did them (侵吞: 贪污 for a 国家工作人员, 职务侵占
        for a company's employee): entries with the same everyday words and different articles."""
        by_words: dict[tuple[str, ...], set[tuple[int, int]]] = {}
        for term in self.terms:
            by_words.setdefault(term.words, set()).update(term.articles)
        return {frozenset((a, b)) for arts in by_words.values() for a in arts for b in arts if a != b}

    def expand(self, facts: str) -> str:
        legal = [term.legal for _, term in self.matches(facts)]
        return f"{facts}\n{' '.join(legal)}" if legal else facts


@lru_cache(maxsize=1)
def everyday_terms() -> EverydayTerms:
    return EverydayTerms.read()
