"""The parse report: what a corpus build read, per kind and source, and every file it skipped."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Failure:
    """A file (or one line of it) that could not be parsed; line is 1-based, 0 for the whole file."""

    file: str
    reason: str
    line: int = 0

    def __iter__(self):  # unpacks as (file, reason, line)
        return iter((self.file, self.reason, self.line))


@dataclass
class ParseReport:
    documents_per_kind: Counter[str] = field(default_factory=Counter)
    articles_per_kind: Counter[str] = field(default_factory=Counter)
    current_articles_per_kind: Counter[str] = field(default_factory=Counter)
    numbering: Counter[str] = field(default_factory=Counter)  # documents by article / part / whole
    cases_per_source: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    files_seen: int = 0
    duplicate_copies: list[str] = field(default_factory=list)  # identical copies collapsed
    laws_with_versions: dict[str, list[str]] = field(default_factory=dict)  # law_id → versions
    seconds: dict[str, float] = field(default_factory=dict)  # laws / cases / total

    def fail(self, file: str, reason: str, line: int = 0) -> None:
        self.failures.append(Failure(file, reason, line))

    def warn(self, file: str, message: str) -> None:
        self.warnings.append((file, message))

    @property
    def documents(self) -> int:
        return sum(self.documents_per_kind.values())

    @property
    def articles(self) -> int:
        return sum(self.articles_per_kind.values())

    @property
    def cases(self) -> int:
        return sum(self.cases_per_source.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_seen": self.files_seen,
            "documents": self.documents,
            "articles": self.articles,
            "cases": self.cases,
            "documents_per_kind": dict(self.documents_per_kind),
            "articles_per_kind": dict(self.articles_per_kind),
            "current_articles_per_kind": dict(self.current_articles_per_kind),
            "numbering": dict(self.numbering),
            "cases_per_source": dict(self.cases_per_source),
            "failures": [{"file": f.file, "reason": f.reason, "line": f.line} for f in self.failures],
            "warnings": [{"file": f, "message": m} for f, m in self.warnings],
            "duplicate_copies": list(self.duplicate_copies),
            "laws_with_versions": dict(self.laws_with_versions),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self, max_failures: int = 50) -> str:
        lines = [
            f"Files read: {self.files_seen}; documents: {self.documents}; articles: {self.articles} "
            f"({sum(self.current_articles_per_kind.values())} current); cases: {self.cases}",
            "",
            f"{'kind':<8} {'documents':>9} {'articles':>9} {'current':>9}",
        ]
        for kind, n in sorted(self.documents_per_kind.items(), key=lambda kv: -kv[1]):
            lines.append(
                f"{kind:<8} {n:>9} {self.articles_per_kind[kind]:>9} {self.current_articles_per_kind[kind]:>9}"
            )
        if self.numbering:
            lines.append("numbered by: " + ", ".join(f"{k} {v}" for k, v in self.numbering.most_common()))
        if self.cases_per_source:
            lines += ["", "cases:"] + [f"  {src}: {n}" for src, n in sorted(self.cases_per_source.items())]
        if self.laws_with_versions:
            lines.append(f"\nlaws with several versions: {len(self.laws_with_versions)}")
        if self.duplicate_copies:
            lines.append(f"identical copies collapsed: {len(self.duplicate_copies)}")
        if self.seconds:
            lines.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items()))
        lines.append(f"\nfailures: {len(self.failures)}")
        for f in self.failures[:max_failures]:
            lines.append(f"  {f.file}{':' + str(f.line) if f.line else ''}: {f.reason}")
        if len(self.failures) > max_failures:
            lines.append(f"  … and {len(self.failures) - max_failures} more (use --json for all)")
        if self.warnings:
            lines.append(f"warnings: {len(self.warnings)}")
            for file, message in self.warnings[:10]:
                lines.append(f"  {file}: {message}")
        return "\n".join(lines)
