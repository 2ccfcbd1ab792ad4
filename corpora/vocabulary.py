"""The legal vocabulary the corpus itself gives, for jieba user dictionaries.

Charge names (with and without 罪), law titles, and terms the laws define or list: "本法所称X，是指",
short enumerated items ("（一）管制；" in 刑法第三十三条), and chapter names ("侵犯财产罪").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from corpora.charges import ChargeMap, ChargeMapError, load_charge_map
from corpora.numerals import heading_name

if TYPE_CHECKING:
    from corpora.loader import Corpus

_CHINESE = re.compile(r"^[\u4e00-\u9fff、]+$")
_DEFINED = re.compile(r"所称(?:的)?“?([\u4e00-\u9fff、]{2,12}?)”?[，,]?(?:是指|包括)")
_ITEM = re.compile(r"^（[一二三四五六七八九十]+）([\u4e00-\u9fff、]{2,10})[；。]?$")
_STOP = {"其他", "其他情形", "下列", "本法", "规定", "情形", "有关"}


def _ok(term: str, max_len: int = 16) -> bool:
    return (
        2 <= len(term) <= max_len
        and bool(_CHINESE.match(term))
        and term not in _STOP
        and not term.endswith(("、", "的"))  # "需要进行爆破作业的" is a clause, not a term
    )


def charge_terms(cmap: ChargeMap) -> list[str]:
    out: list[str] = []
    for name in [*cmap.all_charges(), *cmap.former]:
        out += [name, f"{name}罪"]
    return out


def law_terms(titles: Iterable[str]) -> list[str]:
    out: list[str] = []
    for title in titles:
        out.append(title)
        if title.startswith("中华人民共和国") and len(title) > 7:
            out.append(title[7:])
    return [t for t in out if _ok(t, 40)]


def defined_terms(texts: Iterable[str], min_count: int = 1) -> list[str]:
    """Terms the texts define (所称X是指) or enumerate as short items, with their counts."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_DEFINED.findall(text))
        for line in text.split("\n"):
            m = _ITEM.match(line.strip())
            if m:
                counts[m.group(1)] += 1
    return [t for t, n in counts.items() if n >= min_count and _ok(t)]


def heading_terms(paths: Iterable[tuple[str, ...]]) -> list[str]:
    out: set[str] = set()
    for path in paths:
        for heading in path:
            name = re.sub(r"^[一二三四五六七八九十]+、", "", heading_name(heading))
            if _ok(name, 12):
                out.add(name)
    return sorted(out)


def legal_vocabulary(corpus: Corpus, charge_map: ChargeMap | None = None) -> list[str]:
    """Sorted, unique words for a jieba user dictionary, drawn from the parsed corpus."""
    if charge_map is None:
        try:
            charge_map = load_charge_map(Path(corpus.root))
        except ChargeMapError:
            charge_map = ChargeMap()  # a laws-only corpus without the charge documents
    docs = corpus.documents
    terms = charge_terms(charge_map)
    terms += law_terms(d.title for d in docs)
    terms += [d.short_title for d in docs if _ok(d.short_title, 40)]
    terms += defined_terms(a.text for a in corpus.articles if a.current)
    terms += heading_terms(a.path for a in corpus.articles if a.current)
    return sorted(set(terms))


def jieba_userdict_lines(words: Iterable[str], freq: int = 2000) -> list[str]:
    """Lines for jieba.load_userdict: "word freq"; jieba splits on spaces, so words have none."""
    return [f"{w} {freq}" for w in words if w and " " not in w]
