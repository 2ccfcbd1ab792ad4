"""Check every legal citation in an answer against the index and the retrieved sources.

A citation is 《中华人民共和国刑法》第二百六十四条, 刑法第264条, a bare 第六十七条 after a law was
named, or a source marker [3]. Each is resolved: does the article exist in the index, is it the
version in force, is its law repealed, was it among the sources retrieved for this answer. What
cannot be verified is marked inline (⚠未核实) and listed in a closing 引用核验 section; verified
citations get a link to their source [n].
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any, Literal, Protocol, get_args

from assistant.agent.citation_status import StatusResolver
from assistant.backends.base import NumberedSource
from corpora.citations import (
    BOOK,
    SELF_REFERENCE,
    CitationRef,
    laws_matching,
    normalize_law_name,
    parse_citations,
)
from corpora.numerals import int_to_cn

log = logging.getLogger(__name__)

UNVERIFIED = "⚠未核实"
NONEXISTENT = "⚠该条不存在"
REPEALED = "⚠已废止"
SECTION_TITLE = "**引用核验**"

_SOURCE_MARK = re.compile(r"\[(\d{1,3})\]")
_ADJACENT_MARK = re.compile(r" ?\[(\d{1,3})\]")  # a marker right after a citation: 第X条[3] or 第X条 [3]

# verified: the article is among this answer's sources; in_index: it exists and is in force but was not
# retrieved; the rest are flagged, each with what is wrong.
Status = Literal[
    "verified",
    "in_index",
    "nonexistent",
    "repealed",
    "outdated",
    "ambiguous",
    "unknown_law",
    "unreadable",
    "no_law",
    "bad_source",
    "wrong_source",
]
FLAGGED: frozenset[str] = frozenset(get_args(Status)) - {"verified", "in_index"}
_MARKS = {"nonexistent": NONEXISTENT, "repealed": REPEALED}
_FROM_KIND: dict[str, Status] = {
    "nonexistent": "nonexistent",
    "repealed": "repealed",
    "outdated": "outdated",
    "ambiguous": "ambiguous",
    "unknown_law": "unknown_law",
    "malformed": "unreadable",
    "no_law": "no_law",
}


class ArticleLookup(Protocol):
    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Any: ...


@dataclass(frozen=True)
class CitationCheck:
    text: str  # as written in the answer
    span: tuple[int, int]
    status: Status
    reason: str  # one line in Chinese
    law: str | None = None  # normalised law name the citation was resolved against
    number: int | None = None
    suffix: int = 0
    source: int | None = None  # [n] it links to

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "span": list(self.span), "flagged": self.flagged}


@dataclass(frozen=True)
class CheckedAnswer:
    text: str  # the answer with inline marks and the 引用核验 section
    checks: tuple[CitationCheck, ...]
    body: str = ""  # the answer with inline marks alone: what the reader reads before the section

    @property
    def flagged(self) -> list[CitationCheck]:
        return [c for c in self.checks if c.flagged]


def _label(law: str | None, number: int, suffix: int) -> str:
    article = f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
    return f"《{law}》{article}" if law else article


_ANCHOR = 16  # characters after an opening quote that must be found in a source to start a match


def _verbatim_spans(answer: str, sources: Sequence[NumberedSource]) -> list[tuple[int, int]]:
    """Quotations copied from a source (whitespace aside): citations inside them are the source's,
    not the answer's. A quotation starts at “ and runs as long as it matches the source."""
    keep = [(i, ch) for i, ch in enumerate(answer) if not ch.isspace()]
    flat = "".join(ch for _, ch in keep)
    texts = ["".join(str(s.hit.text).split()) for s in sources]
    spans = []
    for j, (_, ch) in enumerate(keep):
        if ch != "“":
            continue
        head = flat[j + 1 : j + 1 + _ANCHOR]
        best = 0
        for t in texts:
            start = t.find(head) if len(head) == _ANCHOR else -1
            if start < 0:
                continue
            k = _ANCHOR
            while j + 1 + k < len(flat) and start + k < len(t) and flat[j + 1 + k] == t[start + k]:
                k += 1
            best = max(best, k)
        if best:
            spans.append((keep[j][0], keep[j + best][0] + 1))
    return spans


_LEAD = (
    10  # characters before a citation that, with it, must stand in a source for the words to be the source's
)


def _copied(answer: str, span: tuple[int, int], texts: Sequence[str]) -> bool:
    """Whether the citation at `span` stands in words copied from a source without quotation marks: a conclusion
    quotes the sentence that answers (「……但是本法第一千零六十三条第三项规定的除外」); its cross-reference is the
    law's own, not a citation of the answer's to verify (it had been flagged ⚠未核实), though it is still linked to
    the source that holds it."""
    words = "".join(answer[max(0, span[0] - _LEAD) : span[1]].split())
    return len(words) > span[1] - span[0] and any(words in t for t in texts)


def _source_key(hit: Any) -> tuple[str, int, int]:
    law = str(getattr(hit, "law_id", "") or normalize_law_name(str(getattr(hit, "law_title", ""))))
    return law, int(getattr(hit, "number", 0) or 0), int(getattr(hit, "suffix", 0) or 0)


def _names_law(hit: Any, law: str) -> bool:
    """Does a law name as written (反不正当竞争法解释, 刑法) name this source's law?"""
    titles = {normalize_law_name(str(getattr(hit, n, "") or "")) for n in ("law_title", "law_id")}
    short = str((getattr(hit, "metadata", None) or {}).get("short_title") or "")
    titles |= {normalize_law_name(short)} if short else set()
    return any(t and (t == law or laws_matching(law, {t: t}) == [t]) for t in titles)


class CitationChecker:
    """`check(answer, sources)`; the searcher answers get_article for articles not among the sources."""

    def __init__(self, searcher: ArticleLookup | None) -> None:
        self.searcher = searcher
        self.status = StatusResolver(searcher)  # type: ignore[arg-type]  # a lookup without search finds no repeals

    def check(
        self, answer: str, sources: Sequence[NumberedSource], default_law: str | None = None
    ) -> CheckedAnswer:
        skip = _verbatim_spans(answer, sources)
        texts = ["".join(str(s.hit.text).split()) for s in sources]

        def inside(span: tuple[int, int]) -> bool:
            return any(a <= span[0] and span[1] <= b for a, b in skip)

        by_n = {s.n: s for s in sources}
        by_key = {_source_key(s.hit): s.n for s in sources if not s.is_case}
        refs = parse_citations(answer)
        named = sorted(
            [(r.span[0], normalize_law_name(r.law)) for r in refs if r.law and r.law not in SELF_REFERENCE]
            + [(m.start(), normalize_law_name(m.group("book"))) for m in BOOK.finditer(answer)]
        )
        checks: list[CitationCheck] = []
        for ref in refs:
            if inside(ref.span):
                continue
            law = self._law_for(ref, named, default_law)
            found = self._check_article(answer, ref, law, by_key, by_n)
            if found.status != "verified" and _copied(answer, ref.span, texts):
                continue  # the law's own cross-reference in a sentence copied from a source: linked when verified
            checks.append(found)
        for m in _SOURCE_MARK.finditer(answer):
            if inside(m.span()):
                continue
            n = int(m.group(1))
            if n not in by_n:
                checks.append(CitationCheck(m.group(0), m.span(), "bad_source", f"没有编号为[{n}]的检索来源"))
        checks = self._check_adjacent_marks(answer, checks, by_n)
        checks.sort(key=lambda c: c.span)
        body = mark(answer, checks)
        return CheckedAnswer(f"{body}\n\n{report(checks)}", tuple(checks), body)

    @staticmethod
    def _law_for(ref: CitationRef, named: list[tuple[int, str]], default_law: str | None) -> str | None:
        """The law a citation names, else the last law named before it (or the answer's main law)."""
        if ref.law and ref.law not in SELF_REFERENCE:
            return normalize_law_name(ref.law)
        before = [law for pos, law in named if pos < ref.span[0]]
        return before[-1] if before else default_law

    def _check_article(
        self,
        answer: str,
        ref: CitationRef,
        law: str | None,
        by_key: dict[tuple[str, int, int], int],
        by_n: dict[int, NumberedSource],
    ) -> CitationCheck:
        base = partial(CitationCheck, ref.text, ref.span, number=ref.number, suffix=ref.suffix)
        # The source it points at ([n] right after it) verifies it when that source is this article of
        # the law it names: 反不正当竞争法解释第九条[5] where [5] is that interpretation's 第九条.
        mark = _ADJACENT_MARK.match(answer, ref.span[1])
        own = by_n.get(int(mark.group(1))) if mark else None
        if (
            own is not None
            and law
            and not ref.problem
            and not own.is_case
            and (own.hit.number, own.hit.suffix) == (ref.number, ref.suffix)
            and _names_law(own.hit, law)
        ):
            return base(
                status="verified",
                reason=f"{own.hit.citation}见来源[{own.n}]（现行有效）",
                law=law,
                source=own.n,
            )
        if law and not ref.problem:
            resolved = self._resolve(law)
            n = by_key.get((resolved or law, ref.number, ref.suffix))
            if n is not None:
                cited = by_n[n].hit.citation
                return base(
                    status="verified", reason=f"{cited}见来源[{n}]（现行有效）", law=resolved, source=n
                )
        st = self.status.resolve(ref, law)
        if st.kind != "found":
            return base(status=_FROM_KIND[st.kind], reason=st.message, law=st.law or law)
        assert st.hit is not None
        n = by_key.get(_source_key(st.hit))
        if n is not None:
            return base(
                status="verified", reason=f"{st.hit.citation}见来源[{n}]（现行有效）", law=st.law, source=n
            )
        return base(
            status="in_index",
            reason=f"{st.hit.citation}在法规库中存在且现行有效，但不在本次检索来源中，请核对原文",
            law=st.law,
        )

    def _resolve(self, law: str) -> str | None:
        """The index's law id for a name as written (另见商标法 → 商标法), or None."""
        resolve = getattr(self.searcher, "resolve_law", None)
        if not callable(resolve):
            return None
        try:
            return resolve(law)
        except Exception:  # resolution is a convenience; the name as written still gets checked
            return None

    @staticmethod
    def _check_adjacent_marks(
        answer: str, checks: list[CitationCheck], by_n: dict[int, NumberedSource]
    ) -> list[CitationCheck]:
        """刑法第二百六十四条[3] where [3] is another article: the marker points at the wrong source."""
        out = list(checks)
        for c in checks:
            if c.status != "verified" or c.number is None:
                continue
            m = _ADJACENT_MARK.match(answer, c.span[1])
            if m and int(m.group(1)) in by_n and int(m.group(1)) != c.source:
                cited = by_n[int(m.group(1))]
                out.append(
                    CitationCheck(
                        m.group(0),
                        m.span(),
                        "wrong_source",
                        f"来源[{m.group(1)}]是{cited.hit.citation}，不是{c.text}",
                    )
                )
        return out


def annotate(answer: str, checks: Sequence[CitationCheck]) -> str:
    """Inline marks (⚠未核实 after a flagged citation, [n] after a verified one lacking it) + the section."""
    return mark(answer, checks) + "\n\n" + report(checks)


def mark(answer: str, checks: Sequence[CitationCheck]) -> str:
    """The answer with its inline marks: ⚠未核实 after a flagged citation, [n] after a verified one lacking it."""
    pieces: list[str] = []
    pos = 0
    for c in sorted(checks, key=lambda c: c.span):
        start, end = c.span
        if start < pos:
            continue
        pieces.append(answer[pos:end])
        if c.flagged:
            pieces.append(_MARKS.get(c.status, UNVERIFIED))
        elif c.status == "verified" and c.source is not None and not _ADJACENT_MARK.match(answer, end):
            pieces.append(f"[{c.source}]")
        pos = end
    pieces.append(answer[pos:])
    return "".join(pieces).rstrip()


def report(checks: Sequence[CitationCheck]) -> str:
    """The closing 引用核验 section: one line per distinct citation."""
    if not checks:
        return f"{SECTION_TITLE}：回答中没有引用具体法条或来源编号。\n"
    lines, seen = [SECTION_TITLE], set()
    for c in checks:
        key = (c.status, c.law, c.number, c.suffix, c.text if c.number is None else "")
        if key in seen:
            continue
        seen.add(key)
        mark = _MARKS.get(c.status, UNVERIFIED) if c.flagged else ("✓" if c.status == "verified" else "○")
        lines.append(f"- {mark} {c.text}：{c.reason}")
    return "\n".join(lines) + "\n"
