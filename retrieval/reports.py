"""What a build or an update did, for the CLI, the UI and the tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from corpora.numerals import cn_to_int
from retrieval.entries import IndexEntry


@dataclass
class BuildReport:
    records: int
    counts: dict[str, int]
    embedded: int
    seconds: float
    embed_seconds: float
    model: str
    dimension: int
    duplicates: list[str] = field(default_factory=list)
    generation: str = ""

    @property
    def records_per_s(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "records_per_s": self.records_per_s}

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        dup = f"; {len(self.duplicates)} duplicate records skipped" if self.duplicates else ""
        return (
            f"indexed {self.records} records ({counts}) with {self.model} ({self.dimension} d) in "
            f"{self.seconds:.1f} s, {self.records_per_s:.1f} records/s{dup}"
        )


@dataclass
class LawChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class UpdateReport:
    laws: dict[str, LawChanges]  # law_id (or cases:<source>) → article labels
    reembedded: int  # texts sent to the embedding model
    reused: int  # new entries whose vector was copied (only metadata such as the version changed)
    resumed: int  # entries an interrupted earlier run had already written
    records: int
    seconds: float
    duplicates: list[str] = field(default_factory=list)
    generation: str = ""
    repaired: str = ""  # what was damaged in the previous generation, rewritten by this update

    @property
    def added(self) -> int:
        return sum(len(c.added) for c in self.laws.values())

    @property
    def changed(self) -> int:
        return sum(len(c.changed) for c in self.laws.values())

    @property
    def removed(self) -> int:
        return sum(len(c.removed) for c in self.laws.values())

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(added=self.added, changed=self.changed, removed=self.removed)
        return d

    def summary(self) -> str:
        lines = [
            f"{law}: "
            + "; ".join(
                f"{name} {', '.join(getattr(c, name))}"
                for name in ("added", "changed", "removed")
                if getattr(c, name)
            )
            for law, c in sorted(self.laws.items())
        ]
        head = (
            f"update: {self.added} added, {self.changed} changed, {self.removed} removed; "
            f"{self.reembedded} re-embedded, {self.reused} vectors reused"
            + (f", {self.resumed} completed from an interrupted run" if self.resumed else "")
            + f"; {self.records} records in {self.seconds:.1f} s"
        )
        if self.repaired:
            lines.append(f"repaired: {self.repaired}; records and BM25 files rewritten")
        return "\n".join([head, *lines]) if lines else head + "\nnothing changed"


def _label_order(label: str) -> tuple[int, str]:
    try:
        return (cn_to_int(label.removeprefix("第").split("条")[0]), label)
    except ValueError:
        return (10**9, label)


def diff_entries(old: dict[str, list], new: Sequence[IndexEntry]) -> dict[str, LawChanges]:
    """Per law: articles added, changed (content hash differs) and removed, compared by logical key."""
    before = {v[1]: (v[2], v[4], v[5]) for v in old.values()}
    after = {e.logical_key: (e.content_hash, e.law_key, e.label) for e in new}
    laws: dict[str, LawChanges] = {}
    for key, (chash, law, label) in after.items():
        if key not in before:
            laws.setdefault(law, LawChanges()).added.append(label)
        elif before[key][0] != chash:
            laws.setdefault(law, LawChanges()).changed.append(label)
    for key, (_, law, label) in before.items():
        if key not in after:
            laws.setdefault(law, LawChanges()).removed.append(label)
    for changes in laws.values():
        for name in ("added", "changed", "removed"):
            getattr(changes, name).sort(key=_label_order)
    return {law: c for law, c in laws.items() if c}
