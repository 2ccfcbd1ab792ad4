"""From corpus records to index entries: what is embedded, what is searched, what is filtered on.

An entry's id is `<record_id>|<hash of everything it stores>`, so an entry never changes in place:
a changed article becomes a new entry, written before the manifest switches to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from corpora.citations import parse_citations
from corpora.records import ArticleRecord, CaseRecord

KIND_TO_COLLECTION = {"司法解释": "interpretations", "案例": "cases"}
CASE_KIND = "判决"


def collection_for_kind(kind: str) -> str:
    return KIND_TO_COLLECTION.get(kind, "statutes")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class IndexEntry:
    entry_id: str
    record_id: str
    collection: str
    logical_key: str  # what update compares: the current article of a law, whatever its version
    law_key: str  # the group it is reported under: law_id, or the case source
    label: str  # how the update report names it: 第三百九十条 / case id
    content_hash: str
    embed_hash: str
    embed_text: str
    lexical_text: str
    metadata: dict[str, Any]
    record: dict[str, Any]
    record_type: str  # "article" | "case"
    cites: tuple[tuple[str, int, int], ...] = ()  # (law as written, "" for the same law; number; suffix)

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "record_id": self.record_id,
            "collection": self.collection,
            "logical_key": self.logical_key,
            "law_key": self.law_key,
            "label": self.label,
            "content_hash": self.content_hash,
            "embed_hash": self.embed_hash,
            "metadata": self.metadata,
            "record": self.record,
            "record_type": self.record_type,
            "cites": [list(c) for c in self.cites],
        }


def charge_label(a: ArticleRecord) -> str:
    """【盗窃罪】: the charges a 刑法 分则 article defines, as annotated codes print them."""
    return "".join(f"【{name}罪】" for name in a.charges)


def article_embed_text(a: ArticleRecord) -> str:
    # The heading just above (第五章 侵犯财产罪) tells the model what the article is about; the
    # charge names tell it, and BM25, what a question naming the crime is after.
    heading = a.path[-1] if a.path else ""
    parts = (a.short_title or a.law_title, a.number_cn, charge_label(a), heading, a.text)
    return " ".join(p for p in parts if p)


def cited_articles(text: str) -> tuple[tuple[str, int, int], ...]:
    """Articles a text cites; a citation without a law (本法第X条, 第X条) means the text's own law."""
    if "条" not in text:  # every citation ends in 条 (第X条, 264条): skip the costly scan
        return ()
    out = []
    for ref in parse_citations(text):
        law = "" if not ref.law or ref.law in ("本法", "本解释", "本规定", "本条例") else ref.law
        out.append((law, ref.number, ref.suffix))
    return tuple(dict.fromkeys(out))


def article_entry(a: ArticleRecord) -> IndexEntry:
    embed_text = article_embed_text(a)
    metadata = {
        "record_id": a.record_id,
        "law_id": a.law_id,
        "law_title": a.law_title,
        "kind": a.kind,
        "category": a.category,
        "number": int(a.number),
        "suffix": int(a.suffix),
        "numbering": a.numbering,
        "version": a.version or "",
        "current": bool(a.current),
        "effective": a.effective or "",
    }
    record = a.to_dict()
    entry_hash = _sha(json.dumps([record, embed_text], ensure_ascii=False, sort_keys=True))
    logical = f"{a.law_id}#{a.numbering[:1]}{a.article_key}" if a.current else a.record_id
    return IndexEntry(
        entry_id=f"{a.record_id}|{entry_hash[:16]}",
        record_id=a.record_id,
        collection=collection_for_kind(a.kind),
        logical_key=logical,
        law_key=a.law_id,
        label=a.number_cn if a.current else f"{a.number_cn}（{a.version or 'undated'}）",
        content_hash=a.content_hash,
        embed_hash=_sha(embed_text),
        embed_text=embed_text,
        lexical_text=" ".join(
            p for p in (a.short_title, a.number_cn, charge_label(a), " ".join(a.path[-1:]), a.text) if p
        ),
        metadata=metadata,
        record=record,
        record_type="article",
        cites=cited_articles(a.text),
    )


def case_entry(c: CaseRecord) -> IndexEntry:
    charges = "、".join(c.charges)
    embed_text = c.fact
    metadata = {
        "record_id": c.case_id,
        "law_id": "",
        "law_title": "",
        "kind": CASE_KIND,
        "category": c.source,
        "number": 0,
        "suffix": 0,
        "numbering": "whole",
        "version": "",
        "current": True,
        "effective": "",
        "charges": charges,
        "articles": ",".join(str(n) for n in c.articles),
    }
    record = c.to_dict()
    content_hash = _sha(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str))
    entry_hash = _sha(content_hash + embed_text)
    return IndexEntry(
        entry_id=f"{c.case_id}|{entry_hash[:16]}",
        record_id=c.case_id,
        collection="cases",
        logical_key=c.case_id,
        law_key=f"cases:{c.source}",
        label=c.case_id,
        content_hash=content_hash,
        embed_hash=_sha(embed_text),
        embed_text=embed_text,
        lexical_text=f"{charges} {c.fact}",
        metadata=metadata,
        record=record,
        record_type="case",
        cites=tuple(("刑法", n, 0) for n in (*c.articles, *c.general_articles)),
    )


def make_entries(
    articles: Iterable[ArticleRecord], cases: Iterable[CaseRecord]
) -> tuple[list[IndexEntry], list[str]]:
    """Entries in corpus order, and the record ids left out because they were duplicates."""
    out: list[IndexEntry] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    for entry in [*(article_entry(a) for a in articles), *(case_entry(c) for c in cases)]:
        if entry.logical_key in seen or entry.record_id in seen:
            duplicates.append(entry.record_id)
            continue
        seen.update((entry.logical_key, entry.record_id))
        out.append(entry)
    return out, duplicates
