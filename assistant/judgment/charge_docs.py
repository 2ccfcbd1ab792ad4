"""What describes each charge of 刑法分则, read from the corpus: its 罪状 and its interpretations.

A *unit* is one (charge, article) pair: an article that defines several charges (第一百二十五条:
非法制造、买卖、运输、邮寄、储存枪支、弹药、爆炸物 and 非法制造、买卖、运输、储存危险物质) gives
one unit per charge, and the paragraph of the article whose words the charge name shares most is its
罪状. The interpretations (司法解释) that name the charge (「…的，以盗窃罪定罪处罚」) describe it in the
words cases use; their sentences are the charge's pseudo-examples beside the labelled cases.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from corpora.charges import ChargeMap
from corpora.records import ArticleRecord, CaseRecord

SPECIAL_PART = range(102, 452)  # 刑法分则: 第一百零二条 … 第四百五十一条
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")
_SENTENCE = re.compile(r"[。；\n]")
# A line that starts with an item number (（一）…) is a 项 of the 款 before it, not a 款 of its own.
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")
# A 款 that hands the act to another article (依照本法第三百八十五条…定罪处罚) or states the unit's
# liability (单位犯前款罪的) says nothing of the act its article's own charge names.
_NOT_OWN = re.compile(r"依照本法第|以本法第|单位犯|^\s*有前.{1,3}款行为")


def han_runs(text: str) -> list[str]:
    return [run for run in _NOT_HAN.split(text) if run]


def char_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of each run of Han characters: robust where word segmentation is not."""
    out: list[str] = []
    for run in han_runs(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class ChargeUnit:
    """One charge as one article defines it; `paragraph` is 1-based, `text` that paragraph."""

    charge: str  # official name without 罪: 盗窃
    article: int
    suffix: int
    paragraph: int
    text: str

    @property
    def article_label(self) -> str:
        return f"{self.article}之{self.suffix}" if self.suffix else str(self.article)


def paragraphs_of(text: str) -> list[str]:
    """The 款 of an article, each with its 项 (the numbered items that follow it)."""
    out: list[str] = []
    for line in (x.strip() for x in text.split("\n")):
        if not line:
            continue
        if _ITEM.match(line) and out:
            out[-1] += line
        else:
            out.append(line)
    return out


def _best_paragraph(
    article: ArticleRecord,
    charge: str,
    name_df: Counter[str],
    n_names: int,
    exclude: AbstractSet[int] = frozenset(),
    documented: int | None = None,
) -> tuple[int, str]:
    """The paragraph sharing most of the charge name's bigrams, each weighted by its rarity among
    charge names (狩猎 decides, 非法 hardly counts). Where no paragraph shares any, the one the 1997 opinion
    names (`documented`): 失火 is in no paragraph of 第一百一十五条, whose 第二款 (过失犯前款罪的) is its own, and
    whose 第一款 sentenced it to ten years (stop 24)."""
    paragraphs = paragraphs_of(article.text)
    if not paragraphs:
        return 1, article.text
    own = set(char_bigrams(charge))
    weight = {g: math.log((n_names + 1) / (name_df[g] + 1)) + 1e-3 for g in own}
    overlaps = [sum(weight[g] for g in own & set(char_bigrams(p))) for p in paragraphs]
    allowed = [i for i in range(len(paragraphs)) if i + 1 not in exclude] or list(range(len(paragraphs)))
    best = max(allowed, key=lambda i: (overlaps[i], -i))
    if not overlaps[best] and documented is not None and documented - 1 in allowed:
        best = documented - 1
    return best + 1, paragraphs[best]


def charge_units(articles: Iterable[ArticleRecord], charge_map: ChargeMap) -> list[ChargeUnit]:
    """Every charge of the current 分则 articles. Articles that define no charge (357's definition
    of 毒品) are left out: a prediction names the articles that define the offence."""
    articles = [a for a in articles if a.number in SPECIAL_PART]
    names = {n for a in articles for n in charge_map.charges_for(a.number, a.suffix)}
    name_df = Counter(g for n in names for g in set(char_bigrams(n)))
    units: list[ChargeUnit] = []
    for article in articles:
        here = charge_map.charges_for(article.number, article.suffix)
        if len(here) == 1:
            units.append(_sole_charge(article, here[0]))
            continue
        taken = _assign_paragraphs(article, here, name_df, len(names))
        for name in here:
            documented = charge_map.documented_paragraph(name, (article.number, article.suffix))
            paragraph, text = taken.get(name) or _best_paragraph(
                article, name, name_df, len(names), documented=documented
            )
            units.append(ChargeUnit(name, article.number, article.suffix, paragraph, text))
    return units


def _sole_charge(article: ArticleRecord, name: str) -> ChargeUnit:
    """The one charge of an article: its 罪状 is the first 款 of the article's own (第一百六十三条第一款,
    not 第二款, which only extends it «依照前款的规定处罚»); 款 that hand the act to another article
    (第二百四十二条第一款 → 第二百七十七条) or state 单位犯罪 are not its 罪状."""
    paragraphs = paragraphs_of(article.text) or [article.text]
    own = [i for i, p in enumerate(paragraphs) if not _NOT_OWN.search(p)] or [0]
    return ChargeUnit(name, article.number, article.suffix, own[0] + 1, paragraphs[own[0]])


def _assign_paragraphs(
    article: ArticleRecord, names: Sequence[str], name_df: Counter[str], n_names: int
) -> dict[str, tuple[int, str]]:
    """A charge whose name another charge of the article contains (组织卖淫 in 协助组织卖淫) does not
    take that charge's paragraph: 第三百五十八条第四款 (…协助组织他人卖淫…) holds both names, and is
    协助组织卖淫's; 组织卖淫 keeps 第一款 (组织、强迫他人卖淫的)."""
    out: dict[str, tuple[int, str]] = {}
    for name in names:
        longer = [other for other in names if other != name and name in other]
        if not longer:
            continue
        theirs = {_best_paragraph(article, other, name_df, n_names)[0] for other in longer}
        out[name] = _best_paragraph(article, name, name_df, n_names, exclude=theirs)
    return out


def interpretation_sentences(
    interpretations: Iterable[ArticleRecord], charges: Sequence[str], per_charge: int
) -> dict[str, list[str]]:
    """Up to `per_charge` sentences per charge from the interpretations that name it as 「X罪」
    (the 罪名 documents themselves are left out: they only list names)."""
    wanted = {f"{c}罪": c for c in charges}
    # A sentence is matched against every name it could hold: index the names by their first bigram.
    by_head: dict[str, list[str]] = {}
    for full in wanted:
        by_head.setdefault(full[:2], []).append(full)
    out: dict[str, list[str]] = {c: [] for c in charges}
    for record in interpretations:
        if "罪名" in record.law_title:
            continue
        for sentence in _SENTENCE.split(record.text):
            if len(sentence) < 10:
                continue
            for i in range(len(sentence) - 1):
                for full in by_head.get(sentence[i : i + 2], ()):
                    charge = wanted[full]
                    found = out[charge]
                    if sentence.startswith(full, i) and len(found) < per_charge and sentence not in found:
                        found.append(sentence)
    return out


def case_units(case: CaseRecord, charge_map: ChargeMap, index: dict[tuple[str, int, int], int]) -> list[int]:
    """The units a labelled case's charges refer to (a charge of several articles: the one the case
    cites, else its first)."""
    found: list[int] = []
    cited = set(case.articles)
    for label in case.charges:
        for name in charge_map.official_names(label):
            keys = [k for k in index if k[0] == name]
            keys.sort(key=lambda k: (k[1] not in cited, k[1], k[2]))
            if keys and index[keys[0]] not in found:
                found.append(index[keys[0]])
                break
    return found
