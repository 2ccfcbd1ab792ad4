"""Everyday words for what the Criminal Law names in its own words (everyday_terms.toml).

`EverydayTerms.expand(facts)` returns the facts followed by the legal words of every entry whose
everyday words occur in them, and `articles(facts)` the articles those words come from: the charge
ranking reads the expanded text, and the articles are one more ranking in its fusion (a vote, never a
verdict: the other rankings still weigh every charge). `matches` says which everyday words were read
as which legal words (the answer's evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

from retrieval.lexicon import Lexicon, LexiconEntry, LexiconError

TERMS_FILE = Path(__file__).with_name("everyday_terms.toml")
# a state organ named as clients name it (镇政府财政所的出纳, 在编的): the entries that weigh who the offender works for
# read 国家机关 there (a lawyer's review, stop 27: a 镇政府 cashier's false invoices had been 职务侵占, not 贪污)
# One who works there, not the organ acting as itself (镇政府把扶贫款挪去修办公楼 is 挪用特定款物, a unit's act).
_STATE_ORGAN = re.compile(
    r"(?<![不非])(?:(?:乡|镇|县|区|市|省|街道)(?:人民)?政府|财政所|财政局|街道办(?:事处)?)"
    r"(?=[^，。；？\s]{0,8}(?:出纳|会计|干部|工作人员|职员|员工|科员|办事员|站长|所长|主任|上班|工作))"
    r"|(?:在编|编制内)(?:的)?(?:干部|人员|公务员)?"
)
DENIED_STATE = re.compile(
    r"(?:不是|并非|并不是|又不是|也不是|不属于|不算)(?:什么)?(?:国企|国有(?:企业|公司|单位)|国家机关|事业单位|公务员|国家工作人员)"
)


@dataclass(frozen=True)
class EverydayTerm(LexiconEntry):
    """A lexicon entry (retrieval.lexicon reads the file) whose source is articles of the Criminal Law.
    `narrative`: its words tell the defendant's own act even inside a court's narrative (窝藏, 顶包)."""

    narrative: bool = False

    @property
    def articles(self) -> list[tuple[int, int]]:
        """The (number, suffix) of the articles `source` names."""
        from corpora.citations import article_keys

        return article_keys(self.source)


class EverydayTerms:
    def __init__(self, terms: list[EverydayTerm]) -> None:
        self.terms = terms
        self._lexicon = Lexicon(list(terms))

    @classmethod
    def read(cls, path: Path = TERMS_FILE) -> EverydayTerms:
        """The file as the retrieval lexicon reads it (one grammar for both), each source holding articles."""
        import tomllib

        flags = [
            bool(item.get("narrative", False)) for item in tomllib.loads(path.read_text("utf-8"))["term"]
        ]
        terms = []
        for i, (entry, narrative) in enumerate(zip(Lexicon.read(path).entries, flags, strict=True), 1):
            term = EverydayTerm(entry.words, entry.legal, entry.source, entry.also, entry.unless, narrative)
            if not term.articles:
                raise LexiconError(f"{path.name}: term {i}: source names no article: {entry.source!r}")
            terms.append(term)
        return cls(terms)

    def matches(self, facts: str) -> list[tuple[str, EverydayTerm]]:
        """(the everyday words found, their entry) for each entry the facts use, in file order. A state
        employer denied (「私人的不是国企」) is read as the private one it tells: the entries that weigh who the
        offender works for (贪污 or 职务侵占) see no 国企 there; a state organ told in everyday words (镇政府, 在编) is
        read as the 国家机关 it is."""
        told = DENIED_STATE.sub("民营", facts)
        read = _STATE_ORGAN.sub(lambda m: f"{m.group(0)}（国家机关）", told)
        # the organ read as 国家机关 decides between the entries an act matches (贪污 or 职务侵占); it is no act itself:
        # 「我在镇政府上班，单位拖欠我三个月工资」 matches no entry by it (had been routed to a sentence)
        return [
            (found, cast(EverydayTerm, entry))
            for found, entry in self._lexicon.matches(read)
            if read == told or found in told
        ]

    def articles(self, facts: str) -> list[tuple[tuple[int, int], int]]:
        """(article, rank) for the articles whose words the facts' everyday words stand for: the
        rank is the entry's place among the entries found (the articles of one entry share it)."""
        out: list[tuple[tuple[int, int], int]] = []
        for rank, (_, term) in enumerate(self.matches(facts), 1):
            out += [(k, rank) for k in term.articles if all(k != seen for seen, _ in out)]
        return out

    def in_narratives(self, facts: str) -> set[tuple[int, int]]:
        """The articles of the matching entries whose words keep their whole vote in a long narrative."""
        return {k for _, term in self.matches(facts) if term.narrative for k in term.articles}

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
