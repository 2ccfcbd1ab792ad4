"""The test doubles of the assistant's collaborators and of the service itself, built from the real types.

- FakeSearcher: an in-memory searcher with the real Searcher's interface, over fictional fixture articles;
  scoring is character-bigram overlap, deterministic and enough for tests about the agent's logic.
- FakeAssistant: a scripted AssistantService for the UI, streaming real AnswerEvents whose Answer holds
  real NumberedSources, CitationChecks and a SentenceEstimate.
- FakeIndexBackend: the index operations behind IndexService, counted from the files it is shown.

The assistant tests import this module as `assistant_fakes` (their folder is on the path), the UI tests
as `tests.assistant.assistant_fakes`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.agent.citation_check import CitationCheck
from assistant.backends.base import NumberedSource
from assistant.sentencing import Circumstance, Quantities, SentenceEstimate, SimilarSummary
from assistant.sentencing.similar import SimilarCase
from assistant.sentencing.trace import ChargeEstimate, Step
from assistant.services.answer import Answer, AnswerEvent
from assistant.services.index import LawChange, ProgressFn
from corpora.citations import match_law_name, normalize_law_name, parse_citations
from corpora.numerals import int_to_cn
from retrieval.hits import Hit

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "assistant" / "mini_index.json"


def FakeHit(  # noqa: N802 - stands where a class was
    *identity: Any,
    score: float = 0.0,
    version: str = "2023-12-29",
    current: bool = True,
    kind: str = "法律",
    metadata: dict[str, Any] | None = None,
    **fields: Any,
) -> Hit:
    """The real retrieval Hit with fixture defaults, so the fakes cannot drift from the searcher.

    identity: record_id, collection, citation, law_title, law_id, number, suffix, number_cn, text.
    """
    return Hit(
        *identity,
        score=score,
        version=version,
        current=current,
        kind=kind,
        metadata=metadata or {},
        **fields,
    )


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class FakeSearcher:
    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.calls: list[tuple[str, Any]] = []

    @classmethod
    def from_fixture(cls, path: Path = FIXTURE) -> FakeSearcher:
        data = json.loads(path.read_text(encoding="utf-8"))
        hits = []
        for a in data["articles"]:
            key = f"{a['number']}-{a['suffix']}" if a["suffix"] else str(a["number"])
            hits.append(
                FakeHit(
                    record_id=f"{a['law_id']}@{a.get('version', '2023-12-29')}#a{key}",
                    collection=a["collection"],
                    citation=f"《{a['law_title']}》{a['number_cn']}",
                    law_title=a["law_title"],
                    law_id=a["law_id"],
                    number=a["number"],
                    suffix=a["suffix"],
                    number_cn=a["number_cn"],
                    text=a["text"],
                    version=a.get("version", "2023-12-29"),
                    current=a.get("current", True),
                    kind=a["kind"],
                )
            )
        for c in data["cases"]:
            meta = {k: c[k] for k in ("charges", "articles", "term_months")}
            hits.append(
                FakeHit(
                    c["record_id"],
                    "cases",
                    c["record_id"],
                    "",
                    "",
                    0,
                    0,
                    "",
                    c["text"],
                    kind="判决",
                    metadata=meta,
                )
            )
        return cls(hits)

    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: Any = None
    ) -> list[Hit]:
        self.calls.append(("search", (query, kind)))
        if where is not None and not isinstance(where, dict):
            raise TypeError("where must be a dict")
        q = _bigrams(query)
        pool = [h for h in self.hits if (kind is None or h.collection == kind) and h.current]
        if where and "law_title" in where:  # the filters the assistant uses: a law by title, laws by id
            pool = [h for h in pool if h.law_title == where["law_title"]]
        if where and "law_id" in where:
            pool = [h for h in pool if h.law_id in where["law_id"]["$in"]]
        scored = [(len(q & _bigrams(h.law_title + h.text)), i, h) for i, h in enumerate(pool)]
        ranked = [h for s, _, h in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]
        return ranked[: k or 8]

    def resolve_law(self, name: str) -> str | None:
        known = {}
        for h in self.hits:
            if h.law_id:
                known[normalize_law_name(h.law_title)] = h.law_id
                known[h.law_id] = h.law_id
        return match_law_name(name, known)

    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Hit | None:
        self.calls.append(("get_article", (law_id_or_title, number, suffix)))
        law = self.resolve_law(law_id_or_title) or ""
        found = [
            h
            for h in self.hits
            if h.collection != "cases"
            and law in (h.law_id, normalize_law_name(h.law_title))
            and (h.number, h.suffix) == (number, suffix)
        ]
        found.sort(key=lambda h: not h.current)
        return found[0] if found else None

    def lookup(self, citation_text: str) -> list[Hit]:
        out = []
        for ref in parse_citations(citation_text):
            hit = self.get_article(ref.law or "刑法", ref.number, ref.suffix)
            if hit is not None:
                out.append(hit)
        return out


def fictional_article(
    law_title: str, number: int, text: str, *, version: str = "2099-01-01", current: bool = True
) -> Hit:
    """A real Hit for article `number` of a fictional law (law_id = its title)."""
    number_cn = f"第{int_to_cn(number)}条"
    return FakeHit(
        f"{law_title}@{version}#a{number}", "laws", f"《{law_title}》{number_cn}", law_title, law_title,
        number, 0, number_cn, text, version=version, current=current,
    )  # fmt: skip


def fictional_case(case_id: str, fact: str, **metadata: Any) -> Hit:
    """A real Hit for a fictional judgment, as the searcher returns cases (metadata: term_months …)."""
    return FakeHit(
        case_id, "cases", f"案例 {case_id}", "", "", 0, 0, "", fact, kind="判决", metadata=metadata
    )


def fictional_estimate() -> SentenceEstimate:
    """A real SentenceEstimate with fictional figures: 盗窃 from 6 to 4.8 months for 自首, a point of 8
    within 6–10, 缓刑 plausible, and three similar cases (a 6 months, b life, c 12 months)."""
    steps = [
        Step("量刑起点", 6.0, "指导意见 四（十三）"),
        Step("自首", 4.8, "指导意见 三（五）", evidence="主动投案", percent=-20),
    ]
    charge = ChargeEstimate(
        "盗窃", 264, True, steps=steps, point=8.0, low=6.0, high=10.0, kind="有期徒刑", probation=True
    )
    similar = SimilarSummary(
        cases=(
            SimilarCase("a", ("盗窃",), 6.0, False, False, 0.9, "虚构案情甲"),
            SimilarCase("b", ("盗窃",), None, True, False, 0.8, "虚构案情乙"),
            SimilarCase("c", ("盗窃",), 12.0, False, False, 0.7, "虚构案情丙"),
        ),
        n_terms=2,
        median_months=9.0,
        q1_months=6.0,
        q3_months=12.0,
        n_life_or_death=1,
    )
    return SentenceEstimate(
        charges=[charge],
        circumstances=[Circumstance("自首", "主动到派出所投案", (3, 11), "从宽")],
        quantities=Quantities(),
        similar=similar,
        point_months=8.0,
        low_months=6.0,
        high_months=10.0,
        kind="有期徒刑",
        probation_plausible=True,
        probation_reason="虚构的缓刑理由",
    )


class FakeAssistant:
    """The AssistantService's stream(), scripted: the question echoed in two pieces, one fictional
    source, one verified and one unverified citation, and in sentencing mode `fictional_estimate()`.
    Records each call and the case facts passed with it."""

    backend_description = "本回答由检索到的法条和案例整理而成，未使用生成模型"

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[dict[str, str]], str]] = []
        self.facts_seen: list[Any] = []

    def stream(
        self, question: str, history: Sequence[Any] = (), mode: str = "auto", facts: Any = None
    ) -> Iterator[AnswerEvent]:
        self.calls.append((question, list(history), mode))
        self.facts_seen.append(facts)
        text = f"关于“{question}”，依据《虚构法》第一条[1]回答。另见《虚构旧法》第九条⚠未核实。"
        for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
            yield AnswerEvent("token", text=piece)
        verified, unverified = "《虚构法》第一条", "《虚构旧法》第九条"
        at, later = text.index(verified), text.index(unverified)
        checks = [
            CitationCheck(verified, (at, at + len(verified)), "verified", "", "虚构法", 1, source=1),
            CitationCheck(
                unverified, (later, later + len(unverified)), "unknown_law", "语料库中没有《虚构旧法》"
            ),
        ]
        answer = Answer(
            question,
            text,
            sources=[NumberedSource(1, fictional_article("虚构法", 1, f"虚构条文：{question}"))],
            citations=checks,
            sentencing=fictional_estimate() if mode == "sentencing" else None,
            route=mode,
            backend=self.backend_description,
        )
        yield AnswerEvent("final", answer=answer)


class FakeIndexBackend:
    """IndexService's backend: fixed stats; update() reports the laws whose files differ from the last view."""

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

    def update(self, corpus_root: Path, progress: ProgressFn, options: Any = None) -> list[LawChange]:
        self.updates.append(corpus_root)
        changes = []
        for path in sorted((corpus_root / "laws").rglob("*.md")):
            rel = path.relative_to(corpus_root).as_posix()
            data = path.read_bytes()
            if self.seen.get(rel) not in (None, data):
                changes.append(LawChange(law=rel, changed=("第一条",)))
            self.seen[rel] = data
        return changes
