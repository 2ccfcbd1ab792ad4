"""Find article citations in text: 刑法第二百六十四条, 《中华人民共和国刑法》第264条, 第一百三十三条之一.

Used by the searcher (a citation in a query resolves straight to the article) and by the
assistant's citation checker (every citation in an answer must exist in the index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpora.numerals import cn_to_int

_NUM = r"[零〇一二两三四五六七八九十百千\d]+"
# A law name written without 《》 ends in one of these; the name is at most 40 characters.
_NAME_ENDINGS = "法|条例|规定|细则|办法|解释|决定|规则|意见|批复|通知|宪法|法典"
_BARE_NAME = rf"[\u4e00-\u9fff（）()]{{0,38}}?(?:{_NAME_ENDINGS})"
_CITATION = re.compile(
    rf"(?:《(?P<book>[^《》\n]{{1,80}})》|(?P<name>{_BARE_NAME}))?"
    rf"\s*(?:(?P<di>第)\s*(?P<num>{_NUM})\s*条|(?<=[法例定则办释策典》])\s*(?P<num2>\d+)\s*条)"
    rf"(?:\s*之\s*(?P<suf>{_NUM}))?"
    rf"(?:\s*第\s*(?P<para>{_NUM})\s*款)?"
    rf"(?:\s*第\s*(?P<item>{_NUM})\s*项)?"
)
# Words that often stand right before a law name and are not part of it.
_LEADING_NOISE = re.compile(
    r"^(?:依照|依据|根据|按照|违反|适用|参照|对照|符合|触犯|构成|援引|引用|即|是|在|和|及|与|或|以及|或者|按|依|据|对|的)+"
)
# Between two citations, a second one without a law name belongs to the first one's law.
_CONTINUATION = re.compile(r"^[\s、，,和及与或者以及]{1,4}$")
_PREFIX = "中华人民共和国"
_VERSION_MARK = re.compile(r"[（(][^（）()]*(?:\d{4}|修正|修订|试行|年)[^（）()]*[）)]$")


@dataclass(frozen=True)
class CitationRef:
    """One citation found in a text. `law` is the law name as written (None when absent)."""

    law: str | None
    number: int
    suffix: int
    span: tuple[int, int]
    text: str
    paragraph: int | None = None
    item: int | None = None
    law_inherited: bool = False  # law taken from the citation just before (刑法第X条、第Y条)

    @property
    def law_id(self) -> str | None:
        return normalize_law_name(self.law) if self.law else None

    @property
    def article_key(self) -> str:
        return f"{self.number}-{self.suffix}" if self.suffix else str(self.number)


def normalize_law_name(name: str) -> str:
    """《中华人民共和国刑法》 → 刑法; strips 《》, spaces, the 中华人民共和国 prefix and version marks."""
    name = re.sub(r"\s+", "", name).strip("《》")
    while True:
        stripped = _VERSION_MARK.sub("", name)
        if stripped == name:
            break
        name = stripped
    if name.startswith(_PREFIX) and len(name) > len(_PREFIX):
        name = name[len(_PREFIX) :]
    return name


def match_law_name(name: str, known: dict[str, str]) -> str | None:
    """The law id for a name as written, given `known` (normalised name or alias → law id).

    A name without 《》 may carry words before it (我想知道刑法): the longest suffix that is a
    known name wins.
    """
    norm = normalize_law_name(name)
    for start in range(len(norm)):
        hit = known.get(norm[start:])
        if hit is not None:
            return hit
    return None


def _clean_bare_name(name: str) -> str | None:
    name = _LEADING_NOISE.sub("", name)
    if name in {"本法", "该法", "此法", "上述法", "前述法"}:
        return name
    return name or None


def _to_int(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return cn_to_int(text)
    except ValueError:
        return None


def parse_citations(text: str) -> list[CitationRef]:
    """Every article citation in `text`, in order of appearance."""
    refs: list[CitationRef] = []
    for m in _CITATION.finditer(text):
        number = _to_int(m.group("num") or m.group("num2"))
        if number is None or number == 0:
            continue
        law = m.group("book") or (_clean_bare_name(m.group("name")) if m.group("name") else None)
        if m.group("num2") and not law:
            continue  # "264条" alone is too ambiguous to be a citation
        start = (
            m.start("book") - 1 if m.group("book") else (m.start("name") if m.group("name") else m.start())
        )
        if law and m.group("name"):
            start = m.end("name") - len(law)
        inherited = False
        if law is None and refs and _CONTINUATION.match(text[refs[-1].span[1] : start]):
            law, inherited = refs[-1].law, refs[-1].law is not None
        refs.append(
            CitationRef(
                law=law,
                number=number,
                suffix=_to_int(m.group("suf")) or 0,
                span=(start, m.end()),
                text=text[start : m.end()],
                paragraph=_to_int(m.group("para")),
                item=_to_int(m.group("item")),
                law_inherited=inherited,
            )
        )
    return refs
