"""What the index covers and how fresh it is, for `index status`, `--json` outputs and the UI.

Answers: which laws and how many (by kind), the date of the newest document, and what is not covered.
The corpus snapshot is read from the corpus's own `laws/SOURCE.md` (LawRefBook/Laws, commit date) when
the corpus folder is known; a law revised after that date is not in the index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from retrieval.hits import KIND_PRIORITY

_SOURCE_REPO = re.compile(r"^source repo:\s*(\S+)", re.MULTILINE)
_SOURCE_COMMIT = re.compile(r"^commit:\s*\S+\s*\((\d{4}-\d{2}-\d{2})\)", re.MULTILINE)
NOT_COVERED = (
    "local regulations (地方性法规) and local government rules: the corpus is national-level only",
    "court judgments beyond the bundled CAIL2018 and sample criminal cases",
)


def corpus_snapshot(corpus_root: Path | None) -> dict[str, str]:
    """{'source': 'LawRefBook/Laws', 'date': '2025-04-19'} from laws/SOURCE.md; {} when unknown."""
    if corpus_root is None:
        return {}
    try:
        text = (Path(corpus_root) / "laws" / "SOURCE.md").read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    if m := _SOURCE_REPO.search(text):
        out["source"] = m.group(1)
    if m := _SOURCE_COMMIT.search(text):
        out["date"] = m.group(1)
    return out


def _document_date(record: dict[str, Any]) -> str:
    """When the document was last made: its latest adoption or amendment (not a future effective date)."""
    return max((record.get(k) or "" for k in ("amended", "adopted", "version")), default="")


def coverage(entries: Iterable[dict[str, Any]], corpus_root: Path | None = None) -> dict[str, Any]:
    """Laws by kind, current articles, cases, the newest document, the snapshot, and what is not covered."""
    documents: dict[str, dict[str, Any]] = {}
    articles = cases = 0
    for entry in entries:
        rec = entry["record"]
        if entry["record_type"] != "article":
            cases += 1
            continue
        if not rec.get("current", True):
            continue
        articles += 1
        doc = documents.setdefault(
            rec["law_id"], {"title": rec["law_title"], "kind": rec["kind"], "date": ""}
        )
        doc["date"] = max(doc["date"], _document_date(rec))
    by_kind: dict[str, int] = {}
    for doc in documents.values():
        by_kind[doc["kind"]] = by_kind.get(doc["kind"], 0) + 1
    newest = max(documents.values(), key=lambda d: d["date"], default=None)
    snapshot = corpus_snapshot(corpus_root)
    as_of = snapshot.get("date") or (newest["date"] if newest else "")
    not_covered = [f"laws made or revised after {as_of}: the corpus stops there"] if as_of else []
    return {
        "laws": len(documents),
        "laws_by_kind": dict(sorted(by_kind.items(), key=lambda kv: KIND_PRIORITY.get(kv[0], 9))),
        "current_articles": articles,
        "cases": cases,
        "newest_document": {"title": newest["title"], "date": newest["date"]} if newest else None,
        "corpus": snapshot,
        "as_of": as_of,
        "not_covered": not_covered + list(NOT_COVERED),
    }


def coverage_from_records(records_file: Path, corpus_root: Path | None = None) -> dict[str, Any]:
    """`coverage` of a committed generation's records file (one JSON entry per line)."""
    with open(records_file, encoding="utf-8") as f:
        return coverage((json.loads(line) for line in f), corpus_root)


def coverage_lines(cov: dict[str, Any]) -> list[str]:
    """Plain-text lines for `index status` and the UI."""
    kinds = "、".join(f"{kind} {n}" for kind, n in cov["laws_by_kind"].items())
    lines = [
        f"coverage: {cov['laws']} laws and documents ({kinds}); {cov['current_articles']} current articles"
    ]
    if cov["cases"]:
        lines[0] += f"; {cov['cases']} cases"
    newest = cov.get("newest_document")
    corpus = cov.get("corpus") or {}
    if corpus:
        lines.append(f"corpus: {corpus.get('source', '?')} as of {corpus.get('date', '?')}")
    if newest:
        lines.append(f"newest document: {newest['title']} ({newest['date']})")
    lines += [f"not covered: {item}" for item in cov["not_covered"]]
    return lines
