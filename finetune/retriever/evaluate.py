"""Statute retrieval on held-out sets: recall@1/5/10 and MRR of dense, lexical and hybrid search.

Sets (never used in training):
- `cail_test`: CAIL2018 *test* facts → the 分则 articles they were judged under, searched over
  every current 刑法 分则 article;
- `lawyer_llama_heldout`: the held-out Lawyer-LLaMA consultations → the articles their answers
  cite, searched over every current article of the laws those answers cite (民法典 only, today).

Multi-label queries: a query is a hit at k when any of its gold articles is in the top k;
its reciprocal rank is 1 / the rank of the first gold article, 0 when none is in the top 100.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from corpora.records import ArticleRecord, CaseRecord
from finetune.retriever.consultations import Consultation
from finetune.retriever.mentions import ChargeMap
from finetune.retriever.pairs import ArticleTable, resolve_case_articles

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings

KS = (1, 5, 10)
DEPTH = 100  # ranks looked at for MRR
METHODS = ("dense", "dense_minilm", "lexical", "hybrid", "hybrid_minilm")
Ranker = Callable[[list[str]], list[list[str]]]  # queries → ranked document ids per query


@dataclass
class EvalSet:
    name: str
    queries: list[str]
    gold: list[set[str]]  # record ids per query
    doc_ids: list[str]
    doc_texts: list[str]  # as embedded
    lexical_texts: list[str]  # as given to BM25
    searched: str  # what the documents are, for the report

    def __len__(self) -> int:
        return len(self.queries)


def article_document(article: ArticleRecord) -> str:
    """The text the index embeds for an article (law, number, heading, text)."""
    from retrieval.entries import article_embed_text

    return article_embed_text(article)


def article_lexical_text(article: ArticleRecord) -> str:
    """The text the index gives BM25 for an article."""
    from retrieval.entries import article_entry

    return article_entry(article).lexical_text


def cail_test_set(cases: Sequence[CaseRecord], table: ArticleTable, charges: ChargeMap | None) -> EvalSet:
    docs = table.special_part()
    queries, gold = [], []
    for case in cases:
        if case.source != "cail2018/test":
            continue
        ids = {a.record_id for a in resolve_case_articles(case, table, charges)}
        if ids:
            queries.append(case.fact)
            gold.append(ids)
    return EvalSet(
        "cail_test",
        queries,
        gold,
        [a.record_id for a in docs],
        [article_document(a) for a in docs],
        [article_lexical_text(a) for a in docs],
        f"all {len(docs)} current 刑法 分则 articles",
    )


def consultation_set(heldout: Sequence[Consultation], table: ArticleTable) -> EvalSet:
    queries, gold, laws = [], [], set()
    for item in heldout:
        ids = {a.record_id for law, n, s in item.citations if (a := table.get(law, n, s)) is not None}
        if ids:
            queries.append(item.query)
            gold.append(ids)
            laws |= {table.by_id[i].law_id for i in ids}
    docs = sorted(
        (a for a in table.by_id.values() if a.law_id in laws), key=lambda a: (a.law_id, a.number, a.suffix)
    )
    return EvalSet(
        "lawyer_llama_heldout",
        queries,
        gold,
        [a.record_id for a in docs],
        [article_document(a) for a in docs],
        [article_lexical_text(a) for a in docs],
        f"all {len(docs)} current articles of {'、'.join(sorted(laws))}",
    )


def first_gold_ranks(rankings: Sequence[Sequence[str]], gold: Sequence[set[str]]) -> list[int | None]:
    out: list[int | None] = []
    for ranking, wanted in zip(rankings, gold, strict=True):
        out.append(next((r for r, doc in enumerate(ranking[:DEPTH], start=1) if doc in wanted), None))
    return out


def metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    n = max(len(ranks), 1)
    out = {f"recall@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    out["mrr"] = sum(1.0 / r for r in ranks if r is not None) / n
    return {k: round(v, 4) for k, v in out.items()}


def dense_rankings(
    query_vecs: np.ndarray, doc_vecs: np.ndarray, doc_ids: Sequence[str], depth: int = DEPTH
) -> list[list[str]]:
    """Cosine ranking (vectors L2-normalised), ties broken by document order."""
    scores = query_vecs @ doc_vecs.T
    order = np.argsort(-scores, axis=1, kind="stable")[:, :depth]
    return [[doc_ids[j] for j in row] for row in order]


def fuse(
    rankings: Sequence[Sequence[Sequence[str]]], weights: Sequence[float], k: int, depth: int
) -> list[list[str]]:
    """Per query, weighted RRF of the first `depth` ids of each method's ranking."""
    from retrieval.fusion import rrf

    fused = []
    for per_query in zip(*rankings, strict=True):
        fused.append(
            [doc for doc, _ in rrf([list(r[:depth]) for r in per_query], k=k, weights=list(weights))]
        )
    return fused


def lexical_rankings(eval_set: EvalSet, user_words: Sequence[str], depth: int = DEPTH) -> list[list[str]]:
    """jieba + BM25 (retrieval.lexical, as the searcher uses it) over the set's documents."""
    from retrieval.lexical import ChineseTokenizer, LexicalIndex

    index = LexicalIndex(ChineseTokenizer(user_words)).build(eval_set.doc_ids, eval_set.lexical_texts)
    return [[doc for doc, _ in index.search(q, depth)] for q in eval_set.queries]


@dataclass(frozen=True)
class FusionParams:
    """The searcher's fusion, read from retrieval.settings.RetrievalSettings (one set of constants for
    search and for the trainer's scoring).

    Chosen on half A of each held-out set (queries whose md5 is even), confirmed on half B, with the
    trained legal-static model; MRR / recall@5 (stop 8):
      cail_test      k60 d1.0 c50 (before)  A .489/.661  B .473/.644;  k20 d1.5 c100  A .503/.665  B .480/.638
      lawyer_llama   k60 d1.0 c50 (before)  A .550/.726  B .537/.754;  k20 d1.5 c100  A .589/.793  B .564/.785
      (dense alone: cail A .436/.578 B .403/.546; lawyer_llama A .544/.764 B .547/.739)
    """

    k: int = field(default_factory=lambda: _searcher_fusion().rrf_k)
    dense_weight: float = field(default_factory=lambda: _searcher_fusion().dense_weight)
    lexical_weight: float = field(default_factory=lambda: _searcher_fusion().lexical_weight)
    candidates: int = field(default_factory=lambda: _searcher_fusion().candidates)


def _searcher_fusion() -> RetrievalSettings:
    from retrieval.settings import RetrievalSettings

    return RetrievalSettings()


def evaluate_set(
    eval_set: EvalSet,
    encoders: dict[str, Callable[[list[str]], np.ndarray]],
    user_words: Sequence[str],
    fusion: FusionParams,
    methods: Sequence[str] = METHODS,
) -> dict[str, dict[str, float]]:
    """Scores of each method on one set; `encoders` maps 'dense' / 'dense_minilm' to encode functions."""
    rankings: dict[str, list[list[str]]] = {}
    if any(m.startswith("lexical") or m.startswith("hybrid") for m in methods):
        rankings["lexical"] = lexical_rankings(eval_set, user_words)
    for name, encode in encoders.items():
        if name in methods or name.replace("dense", "hybrid") in methods:
            rankings[name] = dense_rankings(
                encode(eval_set.queries), encode(eval_set.doc_texts), eval_set.doc_ids
            )
    weights = (fusion.dense_weight, fusion.lexical_weight)
    for dense_name in encoders:
        hybrid = dense_name.replace("dense", "hybrid")
        if hybrid in methods:
            pair = (rankings[dense_name], rankings["lexical"])
            rankings[hybrid] = fuse(pair, weights, fusion.k, fusion.candidates)
    return {m: metrics(first_gold_ranks(rankings[m], eval_set.gold)) for m in methods if m in rankings}
