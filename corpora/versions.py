"""One law, several files: collapse copies, order versions, mark the one in force as current.

A law's files share a `law_id`. Files of the same version are either copies (a dated and an
undated copy, or the same law filed under two folders) or complementary parts (民法典's 编).
Older versions keep their records with current=False so that they stay queryable by date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpora.laws import LawDocument


def _content_key(doc: LawDocument) -> tuple[tuple[str, str], ...]:
    return tuple((a.number_cn, a.text) for a in doc.articles)


def _richness(doc: LawDocument) -> tuple[int, int, str]:
    """Prefer the copy with more dates, then the dated file name, then a stable path order."""
    dates = sum(1 for d in (doc.adopted, doc.amended, doc.effective) if d)
    return (-dates, 0 if "(" in doc.source_file else 1, doc.source_file)


def _dedupe(docs: list[LawDocument]) -> tuple[list[LawDocument], list[LawDocument]]:
    """(kept, dropped): identical copies collapse to the richest one."""
    by_content: dict[tuple[tuple[str, str], ...], list[LawDocument]] = defaultdict(list)
    for doc in docs:
        by_content[_content_key(doc)].append(doc)
    kept, dropped = [], []
    for copies in by_content.values():
        copies.sort(key=_richness)
        kept.append(copies[0])
        dropped.extend(copies[1:])
    return kept, dropped


def _version_groups(docs: list[LawDocument]) -> dict[str, list[LawDocument]]:
    """Docs of one law by version; overlapping article numbers within a version are not parts
    of one whole but rival copies, so only the first (richest) one is kept for that version."""
    groups: dict[str, list[LawDocument]] = defaultdict(list)
    for doc in sorted(docs, key=_richness):
        keys = {(a.numbering, a.number, a.suffix) for a in doc.articles}
        clash = next(
            (
                d
                for d in groups[doc.version]
                if keys & {(a.numbering, a.number, a.suffix) for a in d.articles}
            ),
            None,
        )
        if clash is None:
            groups[doc.version].append(doc)
            continue
        # Same law, same date, different text: a rival copy. It gets its own version string so
        # that its record ids stay unique, and never wins over the first copy.
        alt = f"{doc.version}~{hashlib.sha1(doc.source_file.encode()).hexdigest()[:8]}"
        clash.warnings.append(
            f"{doc.source_file} has the same version {doc.version or '(undated)'} but other text"
        )
        doc.warnings.append(f"rival copy of {clash.source_file}: version renamed {alt}")
        doc.version = alt
        doc.articles = [replace(a, version=alt) for a in doc.articles]
        groups[alt].append(doc)
    return groups


def version_in_force(docs: list[LawDocument], on_date: str | dt.date) -> list[LawDocument]:
    """The documents of one law's version in force on `on_date` (ISO): the latest version whose
    effective (else version) date is not after it. Undated versions count as in force from the start.
    Empty when every version starts later."""
    day = on_date.isoformat() if isinstance(on_date, dt.date) else on_date
    groups = _plain_groups(docs)
    in_force = [v for v in groups if _start(groups[v]) <= day]
    if not in_force:
        return []
    best = max(in_force, key=lambda v: _order(v, groups[v]))
    return groups[best]


def _plain_groups(docs: list[LawDocument]) -> dict[str, list[LawDocument]]:
    groups: dict[str, list[LawDocument]] = defaultdict(list)
    for doc in docs:
        groups[doc.version].append(doc)
    return groups


def _start(docs: list[LawDocument]) -> str:
    return max((d.in_force_from for d in docs), default="")


def _order(version: str, docs: list[LawDocument]) -> tuple[str, int, str]:
    """Later in-force date wins; on a tie the real version beats a rival copy ("v~file")."""
    return (_start(docs), 0 if "~" in version else 1, version)


def resolve_versions(docs: list[LawDocument], today: str | None = None) -> list[LawDocument]:
    """Collapse identical copies and mark each law's version in force today as current.

    Returns the kept documents (laws in input order of first appearance), each article with
    `current` set. Versions whose in-force date is still in the future are kept, not current.
    """
    today = today or dt.date.today().isoformat()
    by_law: dict[str, list[LawDocument]] = defaultdict(list)
    for doc in docs:
        by_law[doc.law_id].append(doc)
    out: list[LawDocument] = []
    for law_docs in by_law.values():
        kept, _dropped = _dedupe(law_docs)
        groups = _version_groups(kept)
        in_force = [v for v in groups if _start(groups[v]) <= today] or list(groups)
        current = max(in_force, key=lambda v: _order(v, groups[v]))
        for version, group in sorted(groups.items(), key=lambda kv: _order(*kv)):
            for doc in sorted(group, key=lambda d: d.source_file):
                is_current = version == current
                doc.articles = [
                    a if a.current == is_current else replace(a, current=is_current) for a in doc.articles
                ]
                out.append(doc)
    return out
