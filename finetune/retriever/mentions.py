"""Which 刑法 分则 articles a text points to: citations (刑法第X条) and charge names (盗窃罪).

Used to label interpretation sentences, exam questions and advice answers with the article they
are about, so that training reaches the many articles that no training case cites.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from corpora.citations import CRIMINAL_LAW_CITATION, normalize_law_name, parse_citations
from corpora.records import ArticleRecord

CRIMINAL_LAW = "刑法"
SPECIAL_PART_FIRST = 102  # 分则 starts at 第一百零二条
_BRACKET = re.compile(r"\[([^\[\]]+)\]")
# A citation as written in interpretations; unlike parse_citations' spans, it never takes
# the words before the law name (应当认定为刑法第…条) with it.
_CITATION_TEXT = CRIMINAL_LAW_CITATION


class ChargeMap(Protocol):
    def charges_for(self, article: int, suffix: int = 0) -> list[str]: ...

    def article_keys_for(self, charge: str) -> list[tuple[int, int]]: ...


def charge_variants(name: str, limit: int = 12) -> list[str]:
    """A charge name and the single-act names facts and interpretations also write:
    '走私、贩卖、运输、制造毒品' → [that, '走私毒品', '贩卖毒品', '运输毒品', '制造毒品'];
    CAIL's bracket notation '[走私、贩卖]毒品' works too."""
    name = name.removesuffix("罪")
    plain = _BRACKET.sub(lambda m: m.group(1), name)
    out = [plain]
    if "[" in name:
        singles = [""]
        for i, piece in enumerate(_BRACKET.split(name)):  # literal, options, literal, …
            singles = [s + o for s in singles for o in (piece.split("、") if i % 2 else [piece])][:limit]
        out += singles
    else:
        *acts, last = plain.split("、")
        width = len(acts[0]) if acts else 0
        # Only a leading list of equally short verbs shares the object that ends the last one.
        if acts and width <= 3 and all(len(a) == width for a in acts) and len(last) > width:
            obj = last[width:]
            out += [a + obj for a in [*acts, last[:width]]][:limit]
    return list(dict.fromkeys(v for v in out if len(v) >= 2))


def charge_articles(articles: Iterable[ArticleRecord], charges: ChargeMap) -> dict[str, list[str]]:
    """Every variant of every charge name of the given articles → the ids of its articles."""
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for art in articles:
        for name in charges.charges_for(art.number, art.suffix):
            for variant in charge_variants(name):
                out[variant][art.record_id] = None
    return {name: list(ids) for name, ids in out.items()}


class ArticleFinder:
    """Resolves citations and charge names in a text to current 分则 article ids."""

    def __init__(self, special_part: list[ArticleRecord], charges: ChargeMap | None) -> None:
        self._by_key = {(a.number, a.suffix): a.record_id for a in special_part}
        self.by_charge = charge_articles(special_part, charges) if charges is not None else {}
        # Longest names first, so that 非国家工作人员受贿 wins over 受贿.
        names = sorted((n for n, ids in self.by_charge.items() if len(ids) == 1), key=lambda n: (-len(n), n))
        alternatives = "|".join(map(re.escape, names))
        self._named = re.compile(f"({alternatives})罪") if names else None
        self._titled = re.compile(f"({alternatives})") if names else None

    def cited(self, text: str) -> list[str]:
        out: dict[str, None] = {}
        for ref in parse_citations(text):
            # A bare name may carry the words before it (应当认定为刑法): its ending decides.
            if (
                not ref.law
                or not normalize_law_name(ref.law).endswith(CRIMINAL_LAW)
                or ref.number < SPECIAL_PART_FIRST
            ):
                continue
            if (article_id := self._by_key.get((ref.number, ref.suffix))) is not None:
                out[article_id] = None
        return list(out)

    def named(self, text: str) -> list[str]:
        if self._named is None or "罪" not in text:
            return []
        return list(dict.fromkeys(self.by_charge[m][0] for m in self._named.findall(text)))

    def in_title(self, title: str) -> list[str]:
        """Articles of the charges a title names without 罪 (关于办理盗窃刑事案件…的解释)."""
        if self._titled is None:
            return []
        return list(dict.fromkeys(self.by_charge[m][0] for m in self._titled.findall(title)))

    def targets(self, text: str, max_targets: int = 1) -> list[str]:
        """Cited articles, else named ones; none when more than `max_targets` (a comparison)."""
        found = self.cited(text) or self.named(text)
        return found if len(found) <= max_targets else []


def strip_citations(text: str) -> str:
    """The text without its article citations: a query names facts, not article numbers."""
    return _CITATION_TEXT.sub("", text)
