"""Scripted stand-ins for the assistant and retrieval services (fictional content), for UI logic tests."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.index_service import LawChange


@dataclass
class FakeHit:
    citation: str
    law_title: str
    number_cn: str
    text: str
    version: str = "2099-01-01"
    current: bool = True
    kind: str = "法律"


@dataclass
class FakeAnswer:
    text: str
    sources: list[Any] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    sentencing: dict[str, Any] | None = None
    route: str = "statute"
    backend: str = "未加载生成模型：检索式回答"


@dataclass
class FakeEvent:
    text: str = ""
    answer: Any = None


class FakeAssistant:
    """Answers by echoing the question with one fictional source; records every call."""

    backend_description = "未加载生成模型：检索式回答"

    def __init__(self, delay_s: float = 0.0) -> None:
        self.calls: list[tuple[str, list[dict[str, str]], str]] = []
        self.facts_seen: list[Any] = []  # the case facts passed with each question
        self.delay_s = delay_s

    def stream(self, question: str, history=(), mode: str = "auto", facts=None):
        self.calls.append((question, list(history), mode))
        self.facts_seen.append(facts)
        hit = FakeHit("《虚构法》第一条", "虚构法", "第一条", f"虚构条文：{question}")
        text = f"关于“{question}”，依据[1]回答。另见《虚构旧法》第九条⚠未核实。"
        for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
            time.sleep(self.delay_s)
            yield FakeEvent(text=piece)
        trace = None
        if mode == "sentencing":
            trace = {  # the shape of SentenceEstimate.to_dict(), with fictional content
                "point_months": 7.0,
                "range_months": [5.0, 9.0],
                "kind": "有期徒刑",
                "probation_plausible": False,
                "circumstances": [
                    {"name": "自首", "evidence": "主动投案", "span": [0, 4], "direction": "从宽"}
                ],
                "charges": [
                    {
                        "charge": "虚构罪",
                        "article": 1,
                        "steps": [{"name": "量刑起点", "months": 6.0, "basis": "虚构指导意见"}],
                    }
                ],
                "similar": {
                    "cases": [{"case_id": "c1", "term_months": 6}, {"case_id": "c2", "term_months": 10}],
                    "n_terms": 2,
                    "median_months": 8.0,
                },
            }
        checks = [
            {"text": "《虚构法》第一条", "verified": True, "source": 1},
            {"text": "《虚构旧法》第九条", "verified": False, "reason": "不在检索结果中"},
        ]
        yield FakeEvent(answer=FakeAnswer(text, [hit], checks, trace, route=mode))


class FakeIndexBackend:
    """Counts per law from a dict; update() reports the laws whose files differ from the last view."""

    def __init__(self) -> None:
        self.updates: list[Path] = []
        self.seen: dict[str, bytes] = {}

    def stats(self) -> list[dict[str, Any]]:
        return [{"law": "虚构法", "kind": "法律", "articles": 3, "versions": ["2099-01-01"]}]

    def manifest(self) -> dict[str, Any]:
        return {"embedding_model": "fake", "built_at": "2099-01-01T00:00:00"}

    def parse_law(self, data: bytes, rel_path: str) -> tuple[str, int]:
        text = data.decode("utf-8")
        if not text.startswith("# "):
            raise ValueError("第 1 行不是 “# 标题”")
        return text.splitlines()[0][2:].strip(), sum(1 for line in text.splitlines() if line.startswith("第"))

    def update(self, corpus_root: Path, progress, options=None) -> list[LawChange]:
        self.updates.append(corpus_root)
        changes = []
        for path in sorted((corpus_root / "laws").rglob("*.md")):
            rel = path.relative_to(corpus_root).as_posix()
            data = path.read_bytes()
            if self.seen.get(rel) not in (None, data):
                changes.append(LawChange(law=rel, changed=("第一条",)))
            self.seen[rel] = data
        return changes
