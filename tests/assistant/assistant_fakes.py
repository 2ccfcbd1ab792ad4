"""A small in-memory searcher with the real Searcher's interface, over fictional fixture articles.

Scoring is character-bigram overlap: deterministic and enough for tests about the agent's logic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpora.citations import match_law_name, normalize_law_name, parse_citations
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
        if where and "law_title" in where:  # the one filter the assistant uses
            pool = [h for h in pool if h.law_title == where["law_title"]]
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
