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
from typing import Any, Literal, Protocol

from assistant.backends.base import NumberedSource
from corpora.citations import CitationRef, normalize_law_name, parse_citations
from corpora.numerals import int_to_cn

log = logging.getLogger(__name__)

UNVERIFIED = "⚠未核实"
SECTION_TITLE = "**引用核验**"

# Laws repealed when the Civil Code took effect (民法典第一千二百六十条), and where their rules went.
REPEALED_LAWS: dict[str, tuple[str, str]] = {
    name: ("2021年1月1日", "中华人民共和国民法典")
    for name in (
        "合同法",
        "物权法",
        "担保法",
        "民法通则",
        "民法总则",
        "婚姻法",
        "继承法",
        "收养法",
        "侵权责任法",
    )
}
_SELF_REFERENCE = {"本法", "该法", "此法", "上述法", "前述法"}
_SOURCE_MARK = re.compile(r"\[(\d{1,3})\]")
_ADJACENT_MARK = re.compile(r" ?\[(\d{1,3})\]")  # a marker right after a citation: 第X条[3] or 第X条 [3]
_BOOK = re.compile(r"《([^《》\n]{1,80})》")

Status = Literal[
    "verified", "in_index", "not_found", "repealed", "outdated", "no_law", "bad_source", "wrong_source"
]
FLAGGED: frozenset[str] = frozenset(
    {"not_found", "repealed", "outdated", "no_law", "bad_source", "wrong_source"}
)


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


def _source_key(hit: Any) -> tuple[str, int, int]:
    law = str(getattr(hit, "law_id", "") or normalize_law_name(str(getattr(hit, "law_title", ""))))
    return law, int(getattr(hit, "number", 0) or 0), int(getattr(hit, "suffix", 0) or 0)


class CitationChecker:
    """`check(answer, sources)`; the searcher answers get_article for articles not among the sources."""

    def __init__(self, searcher: ArticleLookup | None) -> None:
        self.searcher = searcher

    def check(
        self, answer: str, sources: Sequence[NumberedSource], default_law: str | None = None
    ) -> CheckedAnswer:
        skip = _verbatim_spans(answer, sources)
        inside = lambda span: any(a <= span[0] and span[1] <= b for a, b in skip)  # noqa: E731
        by_key = {_source_key(s.hit): s.n for s in sources if not s.is_case}
        refs = parse_citations(answer)
        named = sorted(
            [(r.span[0], normalize_law_name(r.law)) for r in refs if r.law and r.law not in _SELF_REFERENCE]
            + [(m.start(), normalize_law_name(m.group(1))) for m in _BOOK.finditer(answer)]
        )
        checks: list[CitationCheck] = []
        for ref in refs:
            if inside(ref.span):
                continue
            law = self._resolve(self._law_for(ref, named, default_law))
            checks.append(self._check_article(ref, law, by_key))
        numbers = {s.n for s in sources}
        for m in _SOURCE_MARK.finditer(answer):
            if inside(m.span()):
                continue
            n = int(m.group(1))
            if n not in numbers:
                checks.append(CitationCheck(m.group(0), m.span(), "bad_source", f"没有编号为[{n}]的检索来源"))
        checks = self._check_adjacent_marks(answer, checks, {s.n: s for s in sources})
        checks.sort(key=lambda c: c.span)
        return CheckedAnswer(annotate(answer, checks), tuple(checks))

    @staticmethod
    def _law_for(ref: CitationRef, named: list[tuple[int, str]], default_law: str | None) -> str | None:
        """The law a citation names, else the last law named before it (or the answer's main law)."""
        if ref.law and ref.law not in _SELF_REFERENCE:
            return normalize_law_name(ref.law)
        before = [law for pos, law in named if pos < ref.span[0]]
        return before[-1] if before else default_law

    def _resolve(self, law: str | None) -> str | None:
        """The index's law id for a name as written (另见商标法 → 商标法); the name itself if unknown."""
        if law is None or self.searcher is None or not hasattr(self.searcher, "resolve_law"):
            return law
        try:
            return self.searcher.resolve_law(law) or law
        except Exception:  # resolution is a convenience; the name as written still gets checked
            return law

    def _check_article(
        self, ref: CitationRef, law: str | None, by_key: dict[tuple[str, int, int], int]
    ) -> CitationCheck:
        base = partial(CitationCheck, ref.text, ref.span, law=law, number=ref.number, suffix=ref.suffix)
        if law is None:
            return base(status="no_law", reason="没有写明是哪部法律的条文")
        label = _label(law, ref.number, ref.suffix)
        if law in REPEALED_LAWS:
            when, successor = REPEALED_LAWS[law]
            return base(status="repealed", reason=f"《{law}》已于{when}废止，现行规定见《{successor}》")
        n = by_key.get((law, ref.number, ref.suffix))
        if n is not None:
            return base(status="verified", reason=f"{label}见来源[{n}]（现行有效）", source=n)
        hit = self._lookup(law, ref.number, ref.suffix)
        if hit is None:
            return base(status="not_found", reason=f"法规库中没有{label}")
        n = by_key.get(_source_key(hit))
        if n is not None:
            return base(status="verified", reason=f"{hit.citation}见来源[{n}]（现行有效）", source=n)
        if not getattr(hit, "current", True):
            return base(status="outdated", reason=f"{hit.citation}不是现行有效的版本")
        return base(
            status="in_index",
            reason=f"{hit.citation}在法规库中存在且现行有效，但不在本次检索来源中，请核对原文",
        )

    def _lookup(self, law: str, number: int, suffix: int) -> Any:
        if self.searcher is None:
            return None
        try:
            return self.searcher.get_article(law, number, suffix)
        except Exception as e:  # a lookup failure must not lose the answer; the citation stays unverified
            log.warning("citation lookup failed for %s %s: %s", law, number, e)
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
    pieces: list[str] = []
    pos = 0
    for c in sorted(checks, key=lambda c: c.span):
        start, end = c.span
        if start < pos:
            continue
        pieces.append(answer[pos:end])
        if c.flagged:
            pieces.append(UNVERIFIED)
        elif c.status == "verified" and c.source is not None and not _ADJACENT_MARK.match(answer, end):
            pieces.append(f"[{c.source}]")
        pos = end
    pieces.append(answer[pos:])
    return "".join(pieces).rstrip() + "\n\n" + report(checks)


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
        mark = UNVERIFIED if c.flagged else ("✓" if c.status == "verified" else "○")
        lines.append(f"- {mark} {c.text}：{c.reason}")
    return "\n".join(lines) + "\n"
