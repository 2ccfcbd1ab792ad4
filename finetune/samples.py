"""One training sample, the held-out split, and export as alpaca / sharegpt / pretraining JSON
with a `dataset_info.json` that LLaMA-Factory reads (its `dataset_dir` is the data folder).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Kinds trained as plain text (continued pre-training); the rest are instruction → answer pairs.
PRETRAIN_KINDS = {"judgment_context"}
SPLITS = ("train", "valid")


class DatasetError(ValueError):
    """A data file that cannot be used; the message names the file and line."""


@dataclass
class Sample:
    kind: str  # statute, sentencing, adversarial, … (see finetune.config.Kind)
    instruction: str
    output: str
    input: str = ""
    system: str = ""
    history: list[list[str]] = field(default_factory=list)  # earlier [user, assistant] turns
    level: int = 0  # knowledge level 1..4 (HKRE hardness); 0 = not graded, treated as soft
    group: str = ""  # samples of one group (a case, an article) fall in the same split
    source: str = ""  # where it came from: file and line, case id, article citation
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. tier spans for masking

    @property
    def prompt_text(self) -> str:
        return f"{self.instruction}\n{self.input}".strip() if self.input else self.instruction

    def to_alpaca(self) -> dict[str, Any]:
        d: dict[str, Any] = {"instruction": self.instruction, "input": self.input, "output": self.output}
        if self.system:
            d["system"] = self.system
        if self.history:
            d["history"] = self.history
        d.update(kind=self.kind, level=self.level, source=self.source)
        if self.meta:
            d["meta"] = self.meta
        return d

    def to_sharegpt(self) -> dict[str, Any]:
        turns: list[dict[str, str]] = []
        for user, assistant in self.history:
            turns += [{"from": "human", "value": user}, {"from": "gpt", "value": assistant}]
        turns += [{"from": "human", "value": self.prompt_text}, {"from": "gpt", "value": self.output}]
        d: dict[str, Any] = {"conversations": turns, "kind": self.kind, "level": self.level}
        if self.system:
            d["system"] = self.system
        return d

    def to_pretrain(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.output,
            "kind": self.kind,
            "level": self.level,
            "source": self.source,
        }
        if self.meta:
            d["meta"] = self.meta
        return d

    @classmethod
    def from_alpaca(cls, d: dict[str, Any], kind: str = "") -> Sample:
        if "text" in d and "instruction" not in d:
            return cls(
                kind=d.get("kind") or kind,
                instruction="",
                output=d["text"],
                level=int(d.get("level") or 0),
                source=d.get("source", ""),
                meta=d.get("meta") or {},
            )
        return cls(
            kind=d.get("kind") or kind,
            instruction=d["instruction"],
            output=d["output"],
            input=d.get("input") or "",
            system=d.get("system") or "",
            history=[list(h) for h in d.get("history") or []],
            level=int(d.get("level") or 0),
            source=d.get("source", ""),
            meta=d.get("meta") or {},
        )


def split_of(group: str, valid_fraction: float) -> str:
    """Deterministic by the group's hash, so every variant of a case lands in the same split."""
    h = int.from_bytes(hashlib.blake2b(group.encode("utf-8"), digest_size=8).digest(), "big")
    return "valid" if (h % 10_000) < valid_fraction * 10_000 else "train"


@dataclass
class BuildStats:
    kept: Counter[str] = field(default_factory=Counter)  # "kind/split"
    dropped: Counter[str] = field(default_factory=Counter)  # "kind: reason"
    lengths: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    length_unit: str = "chars"
    seconds: float = 0.0

    def drop(self, kind: str, reason: str, n: int = 1) -> None:
        self.dropped[f"{kind}: {reason}"] += n


def filter_samples(
    samples: Iterable[Sample],
    stats: BuildStats,
    max_length: int,
    length: Callable[[str], int],
    limits: dict[str, int] | None = None,
) -> Iterable[Sample]:
    """Drop empty, over-long and duplicate samples, recording why. `limits`: a kind's own maximum
    (the RAG prompts carry their sources and are longer by design)."""
    seen: set[str] = set()
    for s in samples:
        if not s.output.strip():
            stats.drop(s.kind, "empty output")
            continue
        if not s.instruction.strip() and s.kind not in PRETRAIN_KINDS:
            stats.drop(s.kind, "empty instruction")
            continue
        key = hashlib.blake2b(
            f"{s.kind}\x1f{s.prompt_text}\x1f{s.output}".encode(), digest_size=12
        ).hexdigest()
        if key in seen:
            stats.drop(s.kind, "duplicate")
            continue
        n = length(s.system + s.prompt_text + s.output + "".join("".join(h) for h in s.history))
        limit = (limits or {}).get(s.kind, max_length)
        if n > limit:
            stats.drop(s.kind, f"longer than max length {limit}")
            continue
        seen.add(key)
        stats.lengths[s.kind].append(n)
        yield s


def _dump(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")


def _info_entries(kind: str, split: str) -> dict[str, dict[str, Any]]:
    stem = f"{kind}.{split}.json"
    if kind in PRETRAIN_KINDS:
        return {f"legal_{kind}_{split}": {"file_name": f"pretrain/{stem}", "columns": {"prompt": "text"}}}
    return {
        f"legal_{kind}_{split}": {
            "file_name": f"alpaca/{stem}",
            "columns": {
                "prompt": "instruction",
                "query": "input",
                "response": "output",
                "system": "system",
                "history": "history",
            },
        },
        f"legal_{kind}_{split}_sharegpt": {
            "file_name": f"sharegpt/{stem}",
            "formatting": "sharegpt",
            "columns": {"messages": "conversations", "system": "system"},
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"},
        },
    }


def export(by_kind_split: dict[tuple[str, str], list[Sample]], out: Path) -> dict[str, Any]:
    """Write every (kind, split) as alpaca + sharegpt (or pretrain text) and the dataset_info.json."""
    info: dict[str, Any] = {}
    for (kind, split), samples in sorted(by_kind_split.items()):
        if kind in PRETRAIN_KINDS:
            _dump(out / "pretrain" / f"{kind}.{split}.json", [s.to_pretrain() for s in samples])
        else:
            _dump(out / "alpaca" / f"{kind}.{split}.json", [s.to_alpaca() for s in samples])
            _dump(out / "sharegpt" / f"{kind}.{split}.json", [s.to_sharegpt() for s in samples])
        info.update(_info_entries(kind, split))
    (out / "dataset_info.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return info


def read_samples(data_dir: Path, kind: str, split: str) -> list[Sample]:
    """Samples of one kind and split from a built data folder; a malformed record → DatasetError."""
    sub = "pretrain" if kind in PRETRAIN_KINDS else "alpaca"
    path = Path(data_dir) / sub / f"{kind}.{split}.json"
    if not path.is_file():
        raise DatasetError(f"{path} not found: run `legal-assistant finetune data build` (kind {kind!r})")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise DatasetError(f"{path} is not a JSON list: {e}") from e
    if not isinstance(rows, list):
        raise DatasetError(f"{path} is not a JSON list of records")
    out: list[Sample] = []
    for i, row in enumerate(rows, start=1):
        try:
            sample = Sample.from_alpaca(row, kind)
        except (KeyError, TypeError, AttributeError) as e:
            raise DatasetError(f"{path}: record {i} is malformed (missing or wrong field {e})") from e
        if not isinstance(sample.output, str) or not sample.output.strip():
            raise DatasetError(f"{path}: record {i} has an empty output")
        out.append(sample)
    return out


def _quantile(ordered: list[int], q: float) -> int:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary_lines(stats: BuildStats) -> list[str]:
    """The printed summary: samples per kind and split, lengths, drops with reasons."""
    lines = [f"{'kind':<18}{'train':>8}{'valid':>7}   {stats.length_unit}: mean  p50  p95  max"]
    for kind in sorted(stats.lengths):
        ls = sorted(stats.lengths[kind])
        if not ls:
            continue
        p50, p95 = _quantile(ls, 0.5), _quantile(ls, 0.95)
        lines.append(
            f"{kind:<18}{stats.kept[kind + '/train']:>8}{stats.kept[kind + '/valid']:>7}   "
            f"{sum(ls) / len(ls):>10.0f}{p50:>5}{p95:>5}{ls[-1]:>5}"
        )
    total = sum(stats.kept.values())
    lines.append(f"total kept {total}, dropped {sum(stats.dropped.values())}, {stats.seconds:.1f} s")
    for reason, n in sorted(stats.dropped.items(), key=lambda kv: -kv[1]):
        lines.append(f"  dropped {n:>6}  {reason}")
    return lines
