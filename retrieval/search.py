"""Hybrid search over the committed index: exact citations first, then dense + BM25 fused.

The fusion is weighted reciprocal-rank fusion of three rankings: dense (Chroma), lexical (jieba +
BM25) and a citation vote (the articles that the best hits cite: an interpretation's
刑法第二百六十四条, a case's articles). Measured on 25 legal questions over 刑法 + 司法解释 with
MiniLM: R@1 0.24 for BM25 alone, 0.00 for plain RRF with MiniLM, 0.76 with the citation vote and
MiniLM weighted 0.25 (see RetrievalSettings).

Only entries named by the committed manifest are ever returned, so entries that an interrupted
update left in Chroma stay invisible.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from retrieval import manifest as mf
from retrieval import store
from retrieval.catalog import coverage
from retrieval.citations import CitationRef, match_law_name, normalize_law_name, parse_citations
from retrieval.embeddings import MINILM_ID, Embedder, load_embedder, resolve_embedding_model
from retrieval.errors import IndexCorruptError, QueryError, VectorStoreError
from retrieval.filters import compile_where, to_chroma
from retrieval.fusion import rrf
from retrieval.hits import CITATION_SCORE, KIND_PRIORITY, Hit, make_hit
from retrieval.index import check_embedding, check_vector_store
from retrieval.lexical import LexicalIndex
from retrieval.memory import QuestionMemory
from retrieval.phrases import PhraseIndex, core_text, flat_text, quoted_phrases
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

__all__ = ["CITATION_SCORE", "PHRASE_SCORE", "Hit", "Searcher", "check_query"]

TERM_MAP_FILE = "term_map.json"  # finetune.retriever.terms writes it beside the legal model
PHRASE_SCORE = 0.5  # below an exact citation, above any fused score (those are < 0.2)
# A name the searcher may take as a law's when the query writes it (著作权法, 工伤保险条例).
LAW_NAME_END = re.compile(r"(?:法|条例|规定|细则|办法|解释|决定|规则|意见|批复|法典)$")
_NAME_LAST_CHARS = frozenset("法例定则释见复典")
VERBATIM_CANDIDATES = 100  # fused candidates read for a pasted sentence


def check_query(query: str, retrieval: RetrievalSettings) -> str:
    """The stripped query, or QueryError naming what is wrong (checked before any model loads)."""
    if not isinstance(query, str) or not query.strip():
        raise QueryError("the query is empty: type a question or a citation such as 刑法第二百六十四条")
    if len(query) > retrieval.max_query_chars:
        raise QueryError(
            f"the query has {len(query)} characters; the most is {retrieval.max_query_chars} "
            "(retrieval.max_query_chars)"
        )
    return query.strip()


class Searcher:
    """Open once (loads BM25, records and the query model), then search many times."""

    def __init__(
        self,
        data_dir: Path,
        embedding: EmbeddingSettings,
        vector_store: VectorStoreSettings,
        retrieval: RetrievalSettings,
        embedder: Embedder | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.embedding, self.vector_store, self.retrieval = embedding, vector_store, retrieval
        self._embedder = embedder
        self._query_cache: dict[str, np.ndarray] = {}
        self._load()

    @classmethod
    def open(
        cls,
        data_dir: Path,
        embedding: EmbeddingSettings,
        vector_store: VectorStoreSettings,
        retrieval: RetrievalSettings,
        *,
        embedder: Embedder | None = None,
    ) -> Searcher:
        return cls(data_dir, embedding, vector_store, retrieval, embedder)

    # --- loading -----------------------------------------------------------------------------
    def _load(self) -> None:
        manifest = mf.read_manifest(self.data_dir)
        check_embedding(manifest, self.embedding, self.data_dir, self._embedder)
        check_vector_store(manifest, self.vector_store)
        folder = mf.generation_dir(self.data_dir, manifest["generation"])
        try:
            with open(folder / mf.RECORDS_FILE, encoding="utf-8") as f:
                entries = [json.loads(line) for line in f]
            lexical = LexicalIndex.load(folder / mf.LEXICAL_DIR)
        except (OSError, ValueError, KeyError) as e:
            raise IndexCorruptError(
                f"index generation {folder} is missing or damaged ({e}); run `legal-assistant index build`"
            ) from e
        if lexical.ids != [e["entry_id"] for e in entries] or len(entries) != len(manifest["entries"]):
            raise IndexCorruptError(
                f"index generation {folder} does not match the manifest; run `legal-assistant index build`"
            )
        chroma_db = mf.index_dir(self.data_dir) / store.CHROMA_SUBDIR / "chroma.sqlite3"
        if self.vector_store.mode == "embedded" and not chroma_db.is_file():
            raise IndexCorruptError(
                f"the Chroma files of the index are missing ({chroma_db}); run `legal-assistant index build`"
            )
        client = store.make_client(self.vector_store, mf.index_dir(self.data_dir))
        try:
            collections = store.open_collections(client, manifest["collections"])
            counts = {c: col.count() for c, col in collections.items()}
        except (VectorStoreError, Exception) as e:
            raise IndexCorruptError(
                f"the Chroma store of the index is unusable ({e}); run `legal-assistant index build`"
            ) from e
        for c, n in manifest["counts"].items():
            if counts.get(c, 0) < n:
                raise IndexCorruptError(
                    f"Chroma collection {manifest['collections'][c]} holds {counts.get(c, 0)} vectors, the manifest "
                    f"{n}: Chroma files are missing; run `legal-assistant index build`"
                )
        self.manifest, self._entries, self._lexical = manifest, entries, lexical
        self._collections, self._counts = collections, counts
        self._pos = {e["entry_id"]: i for i, e in enumerate(entries)}
        coll = np.array([e["collection"] for e in entries])
        self._scope_masks = {c: coll == c for c in store.COLLECTIONS}
        self._where_masks: dict[str, np.ndarray] = {}
        self._by_article: dict[tuple[str, int, int], list[int]] = {}
        self._laws: dict[str, str] = {}
        seen_names: set[str] = set()
        for i, entry in enumerate(entries):
            if entry["record_type"] != "article":
                continue
            rec = entry["record"]
            if rec["numbering"] == "article":
                self._by_article.setdefault((rec["law_id"], rec["number"], rec["suffix"]), []).append(i)
            for name in (rec["law_id"], rec["short_title"], rec["law_title"]):
                if name and name not in seen_names:
                    seen_names.add(name)
                    self._laws.setdefault(normalize_law_name(name), rec["law_id"])
        self._cites = self._resolve_cites(entries)
        self._factor = np.array([self._prior(e) for e in entries], dtype=np.float64)
        self._init_ranking(entries)
        if self._embedder is None:
            self._embedder = load_embedder(self.embedding, self.data_dir)
            check_embedding(manifest, self.embedding, self.data_dir, self._embedder)

    def _resolve_cites(self, entries: list[dict[str, Any]]) -> list[list[int]]:
        """Positions of the (current) articles each entry cites, for the citation vote in the fusion."""
        laws: dict[str, str | None] = {}
        out: list[list[int]] = []
        for e in entries:
            own = e["record"].get("law_id", "")
            found = []
            for law, number, suffix in e.get("cites", []):
                if law not in laws:
                    laws[law] = self.resolve_law(law) if law else None
                law_id = laws[law] if law else own
                i = self._pick_version(self._by_article.get((law_id or "", number, suffix), []), None)
                if i is not None:
                    found.append(i)
            out.append(found)
        return out

    def _prior(self, entry: dict[str, Any]) -> float:
        rec = entry["record"]
        factor = 1.0
        if entry["record_type"] == "article":
            title = rec.get("law_title", "")
            if "修正案" in title or title.startswith("全国人民代表大会常务委员会关于修改"):
                factor *= self.retrieval.amendment_factor
            if not rec.get("current", True):
                factor *= self.retrieval.outdated_factor
        return factor

    def reload_if_changed(self) -> bool:
        """Pick up a newer committed index (after `index update`); True when it reloaded."""
        current = mf.try_read_manifest(self.data_dir)
        if current is None or current["generation"] == self.manifest["generation"]:
            return False
        self._load()
        return True

    # --- public API --------------------------------------------------------------------------
    @property
    def entries(self) -> list[dict[str, Any]]:
        """The committed entries (read-only by convention), in index order."""
        return self._entries

    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: dict[str, Any] | None = None
    ) -> list[Hit]:
        """Best k hits: articles cited exactly in the query first, then the articles containing its quoted
        phrase or verbatim text, then hybrid dense + BM25 above the relevance floor."""
        query = self._validate(query)
        k = k or self.retrieval.k
        scope, where = self._scope(kind, where)
        keep = compile_where(where)
        refs = parse_citations(query)
        hits: list[Hit] = []
        seen: set[int] = set()
        hybrid = self._hybrid(query, scope, where)
        verbatim = self._verbatim_positions(query, hybrid)
        # A sentence copied from an article names that article before any it cites (实施刑法第二百三十四条…).
        for i, score, match in [
            *verbatim,
            *((i, CITATION_SCORE, "citation") for i in self._citation_positions(refs)),
        ]:
            e = self._entries[i]
            if i not in seen and e["collection"] in scope and keep(e["metadata"]):
                seen.add(i)
                hits.append(make_hit(e, score, match))
        for i, score, match in self._ranked(query, refs, hybrid, scope, keep):
            if len(hits) >= k:
                break
            if i not in seen:
                seen.add(i)
                hits.append(make_hit(self._entries[i], score, match))
        return hits[:k]

    def lookup(self, citation_text: str) -> list[Hit]:
        """The articles a citation text names (current versions), in the order cited."""
        return [
            make_hit(self._entries[i], CITATION_SCORE, "citation")
            for i in self._citation_positions(parse_citations(citation_text))
        ]

    def resolve_law(self, name: str) -> str | None:
        return match_law_name(name, self._laws)

    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Hit | None:
        """One article: the current version, or the version in force on `on_date` (ISO date)."""
        law_id = self.resolve_law(law_id_or_title)
        i = self._pick_version(self._by_article.get((law_id or "", number, suffix), []), on_date)
        return None if i is None else make_hit(self._entries[i], CITATION_SCORE, "citation")

    def stats(self, corpus_root: Path | None = None) -> dict[str, Any]:
        laws: dict[str, dict[str, Any]] = {}
        kinds: dict[str, int] = {}
        for e in self._entries:
            meta = e["metadata"]
            kinds[meta["kind"]] = kinds.get(meta["kind"], 0) + 1
            if e["record_type"] != "article":
                continue
            law = laws.setdefault(
                meta["law_id"],
                {
                    "law_id": meta["law_id"],
                    "law_title": meta["law_title"],
                    "kind": meta["kind"],
                    "collection": e["collection"],
                    "articles": 0,
                    "versions": set(),
                    "current_version": "",
                },
            )
            law["versions"].add(meta["version"])
            if meta["current"]:
                law["articles"] += 1
                law["current_version"], law["law_title"] = meta["version"], meta["law_title"]
        for law in laws.values():
            law["versions"] = sorted(law["versions"])
        m = self.manifest
        return {
            "records": len(self._entries),
            "collections": dict(m["counts"]),
            "kinds": kinds,
            "laws": sorted(laws.values(), key=lambda d: (KIND_PRIORITY.get(d["kind"], 9), d["law_id"])),
            "model": m["embedding"]["model"],
            "dimension": m["embedding"]["dimension"],
            "built_at": m["built_at"],
            "updated_at": m["updated_at"],
            "corpus_fingerprint": m.get("corpus_fingerprint", ""),
            "coverage": coverage(self._entries, corpus_root),
        }

    # --- internals ---------------------------------------------------------------------------
    def _validate(self, query: str) -> str:
        return check_query(query, self.retrieval)

    def _scope(self, kind: str | None, where: dict[str, Any] | None) -> tuple[tuple[str, ...], dict | None]:
        if kind is None or kind == "all":
            return store.COLLECTIONS, where
        if kind in store.COLLECTIONS:
            return (kind,), where
        if kind in KIND_PRIORITY or kind == "判决":  # a document kind such as 法律 narrows by metadata
            return store.COLLECTIONS, {**(where or {}), "kind": kind}
        raise QueryError(
            f"unknown kind {kind!r}: use one of {', '.join(store.COLLECTIONS)} or a kind such as 法律"
        )

    def _pick_version(self, positions: list[int], on_date: str | None) -> int | None:
        def date(i: int) -> str:
            rec = self._entries[i]["record"]
            return rec.get("effective") or rec.get("version") or ""

        if on_date:
            in_force = [i for i in positions if date(i) and date(i) <= on_date]
            return max(in_force, key=date) if in_force else None
        current = [i for i in positions if self._entries[i]["record"].get("current", True)]
        pool = current or positions
        return max(pool, key=date) if pool else None

    def _citation_positions(self, refs: list[CitationRef]) -> list[int]:
        out: list[int] = []
        for ref in refs:
            if ref.law:
                law_id = self.resolve_law(ref.law)
                i = self._pick_version(self._by_article.get((law_id or "", ref.number, ref.suffix), []), None)
                if i is not None:
                    out.append(i)
                continue
            # A bare 第X条 names no law: offer that article of the laws that have it, 法律 first.
            matches = [
                self._pick_version(pos, None)
                for (_, n, s), pos in self._by_article.items()
                if n == ref.number and s == ref.suffix
            ]
            ranked = sorted(
                (i for i in matches if i is not None),
                key=lambda i: KIND_PRIORITY.get(self._entries[i]["metadata"]["kind"], 9),
            )
            out.extend(ranked[:3])
        return out

    def _query_vector(self, query: str) -> np.ndarray:
        vec = self._query_cache.get(query)
        if vec is None:
            assert self._embedder is not None
            vec = self._embedder.encode([query])[0]
            if len(self._query_cache) > 1024:
                self._query_cache.clear()
            self._query_cache[query] = vec
        return vec

    def _dense(self, query: str, scope: tuple[str, ...], where: dict | None, n: int) -> list[int]:
        """Positions of the n nearest committed entries over the collections in scope."""
        vec = self._query_vector(query)
        found: list[tuple[float, int]] = []
        for c in scope:
            if not self._counts.get(c):
                continue
            res = self._collections[c].query(
                query_embeddings=[vec],
                n_results=min(n, self._counts[c]),
                where=to_chroma(where),
                include=["distances"],
            )
            for eid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
                if eid in self._pos:  # committed entries only
                    found.append((dist, self._pos[eid]))
        return [i for _, i in sorted(found)[:n]]

    def _mask(self, scope: tuple[str, ...], where: dict | None) -> np.ndarray | None:
        mask = None
        if scope != store.COLLECTIONS:
            mask = np.logical_or.reduce([self._scope_masks[c] for c in scope])
        if where:
            key = json.dumps(where, sort_keys=True, ensure_ascii=False)
            if key not in self._where_masks:
                keep = compile_where(where)
                self._where_masks[key] = np.array([keep(e["metadata"]) for e in self._entries], dtype=bool)
            mask = self._where_masks[key] if mask is None else mask & self._where_masks[key]
        return mask

    def _hybrid(self, query: str, scope: tuple[str, ...], where: dict | None) -> list[tuple[int, float]]:
        r = self.retrieval
        n = r.candidates
        dense_weight = (
            r.minilm_dense_weight if self.manifest["embedding"]["model"] == MINILM_ID else r.dense_weight
        )
        dense = self._dense(query, scope, where, n) if dense_weight > 0 else []
        mask = self._mask(scope, where)
        lexical = self._lexical_ranking(query, n, mask)
        rankings, weights = [dense, lexical], [dense_weight, r.lexical_weight]
        if r.memory_weight > 0 and self._memory is not None:
            rankings.append(self._remembered(query, scope, mask))
            weights.append(r.memory_weight)
        if r.citation_weight > 0:
            rankings.append(self._cited_by(rrf(rankings, k=r.rrf_k, weights=weights), scope, mask))
            weights.append(r.citation_weight)
        fused = rrf(rankings, k=r.rrf_k, weights=weights)
        scored = [(i, float(score * self._factor[i])) for i, score in fused]
        return sorted(scored, key=lambda t: -t[1])

    def _cited_by(
        self, fused: list[tuple[int, float]], scope: tuple[str, ...], mask: np.ndarray | None
    ) -> list[int]:
        """Articles cited by the best hits, ranked by the summed fused score of the hits citing them."""
        votes: dict[int, float] = {}
        for i, score in fused[: self.retrieval.citation_sources]:
            for j in self._cites[i]:
                if j != i and self._entries[j]["collection"] in scope and (mask is None or mask[j]):
                    votes[j] = votes.get(j, 0.0) + score
        return sorted(votes, key=lambda j: -votes[j])

    # --- ranking beyond the fusion --------------------------------------------------------------
    def _init_ranking(self, entries: list[dict[str, Any]]) -> None:
        """The exact-phrase index over current articles, and law names longest first."""
        self._phrases: PhraseIndex | None = None
        self._law_name_ids = {
            name: law_id for name, law_id in self._laws.items() if LAW_NAME_END.search(name)
        }
        self._longest_law_name = max(map(len, self._law_name_ids), default=0)
        self._memory, self._memory_positions, self._memory_laws = self._load_memory()
        self._terms = self._load_terms()

    def _load_terms(self) -> dict[str, list[tuple[str, float]]]:
        """The everyday-word → legal-term map written beside the legal model, terms the BM25 index knows."""
        if self.retrieval.expansion_weight <= 0:
            return {}
        path = Path(resolve_embedding_model(self.embedding, self.data_dir)) / TERM_MAP_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except (OSError, ValueError):
            return {}
        known = self._lexical.known_tokens()
        return {w: [(t, float(x)) for t, x in terms if t in known] for w, terms in raw.items()}

    def expansion(self, query: str) -> dict[str, float]:
        """Legal terms the query's everyday words stand for (开除 → 解除), with weights, none already in it."""
        words = self._lexical.tokenizer.tokenize(query)
        out: dict[str, float] = {}
        for w in words:
            for t, x in self._terms.get(w, ()):
                if t not in words:
                    out[t] = max(out.get(t, 0.0), x)
        return out

    def _lexical_ranking(self, query: str, n: int, mask: np.ndarray | None) -> list[int]:
        """BM25 positions for the query, plus its expansion terms scored together at `expansion_weight`."""
        scores = self._lexical.scores(query, mask)
        expansion = self.expansion(query) if self._terms else {}
        if expansion:  # one BM25 pass for all terms: the per-term weights only chose them
            scores = scores + self.retrieval.expansion_weight * self._lexical.token_scores(
                list(expansion), mask
            )
        n = min(n, len(scores))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [self._pos[self._lexical.ids[i]] for i in top if scores[i] > 0]

    def _load_memory(self) -> tuple[QuestionMemory | None, list[list[int]], list[set[str]]]:
        """The question memory written beside the legal model: per remembered question, the entry
        positions of the articles it cites and the law ids it points to (those articles' laws, and
        laws its answer named, stored as (law, 0, 0))."""
        if self.retrieval.memory_weight <= 0 and self.retrieval.law_prior_weight <= 0:
            return None, [], []
        folder = Path(resolve_embedding_model(self.embedding, self.data_dir))
        memory = QuestionMemory.load(folder) if folder.is_dir() else None
        if memory is None or memory.vectors.shape[1] != self.manifest["embedding"]["dimension"]:
            return None, [], []
        positions, laws = [], []
        for targets in memory.targets:
            found, named = [], set()
            for law, n, s in targets:
                law_id = self.resolve_law(law)
                if law_id is None:
                    continue
                named.add(law_id)
                i = self._pick_version(self._by_article.get((law_id, n, s), []), None) if n else None
                if i is not None:
                    found.append(i)
            positions.append(found)
            laws.append(named)
        return memory, positions, laws

    def _law_prior(self, query: str) -> dict[str, float]:
        """Share of the nearest remembered questions (by similarity) that point to each law."""
        if self._memory is None or self.retrieval.law_prior_weight <= 0:
            return {}
        near = self._memory.nearest(self._query_vector(query), self.retrieval.memory_neighbours)
        total = sum(max(sim, 0.0) for _, sim in near) or 1.0
        prior: dict[str, float] = {}
        for row, sim in near:
            for law in self._memory_laws[row]:
                prior[law] = prior.get(law, 0.0) + max(sim, 0.0) / total
        return prior

    def _remembered(self, query: str, scope: tuple[str, ...], mask: np.ndarray | None) -> list[int]:
        """Articles cited by the remembered questions nearest the query, by summed similarity."""
        assert self._memory is not None
        votes: dict[int, float] = {}
        for row, sim in self._memory.nearest(self._query_vector(query), self.retrieval.memory_neighbours):
            for j in self._memory_positions[row]:
                if self._entries[j]["collection"] in scope and (mask is None or mask[j]):
                    votes[j] = votes.get(j, 0.0) + sim
        return sorted(votes, key=lambda j: -votes[j])

    def named_laws(self, query: str) -> set[str]:
        """Law ids the query names (著作权法, 《劳动合同法》); a name inside a longer named one does not count
        (合同法 in 劳动合同法). Names end in 法/例/定/则 …: only the stretches ending there are looked up."""
        found: list[tuple[int, int, str]] = []  # (start, end, law id)
        for end in range(1, len(query) + 1):
            if query[end - 1] not in _NAME_LAST_CHARS:
                continue
            for start in range(max(0, end - self._longest_law_name), end - 1):
                law_id = self._law_name_ids.get(query[start:end])
                if law_id is not None:
                    found.append((start, end, law_id))
                    break  # the longest name ending here
        taken = [False] * len(query)
        out: set[str] = set()
        for start, end, law_id in sorted(found, key=lambda t: t[0] - t[1]):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                out.add(law_id)
        return out

    def _verbatim_positions(
        self, query: str, hybrid: list[tuple[int, float]]
    ) -> list[tuple[int, float, str]]:
        """Candidates whose current text contains the whole query (punctuation at its ends aside) when it is
        long: a pasted sentence. A sentence of 12 or more characters shares enough rare words with its article
        to be among the BM25 candidates, so only they are read (a scan of all 7 million characters costs
        up to 40 ms)."""
        core = core_text(query)
        if len(core) < self.retrieval.phrase_min_chars:
            return []
        found = [
            i
            for i, _ in hybrid[:VERBATIM_CANDIDATES]
            if self._entries[i]["record_type"] == "article"
            and self._entries[i]["record"].get("current", True)
            and core in flat_text(self._entries[i]["record"]["text"])
        ]
        found.sort(key=lambda i: KIND_PRIORITY.get(self._entries[i]["metadata"]["kind"], 9))
        return [(i, PHRASE_SCORE, "phrase") for i in found]

    def _phrase_index(self) -> PhraseIndex:
        """Built at the first quoted phrase (about 3 s), so that opening the searcher does not pay for it."""
        if self._phrases is None:
            entries = self._entries
            current = [
                i
                for i, e in enumerate(entries)
                if e["record_type"] == "article" and e["record"].get("current", True)
            ]
            self._phrases = PhraseIndex(current, [entries[i]["record"]["text"] for i in current])
        return self._phrases

    def _phrase_positions(self, query: str) -> list[int]:
        """Articles containing every quoted phrase of the query."""
        found: list[int] | None = None
        for phrase in quoted_phrases(query):
            hits = self._phrase_index().containing(phrase)
            found = hits if found is None else [i for i in found if i in set(hits)]
        return found or []

    def _ranked(
        self,
        query: str,
        refs: list[CitationRef],
        hybrid: list[tuple[int, float]],
        scope: tuple[str, ...],
        keep: Any,
    ) -> list[tuple[int, float, str]]:
        """(position, score, match) after the citations: exact phrases first, then the fused hits of the
        laws the query names boosted, other laws' articles of a cited number dropped, and a score floor."""
        r = self.retrieval
        named = {law_id for ref in refs if ref.law and (law_id := self.resolve_law(ref.law))}
        named |= self.named_laws(query)
        cited_numbers = {(ref.number, ref.suffix) for ref in refs if ref.law}
        fused = dict(hybrid)
        prior = self._law_prior(query)
        rescored = []
        for i, score in hybrid:
            meta = self._entries[i]["metadata"]
            score *= 1.0 + r.law_prior_weight * prior.get(meta["law_id"], 0.0)
            if named and meta["law_id"] in named:
                score *= r.named_law_factor
            elif cited_numbers and meta["law_id"] and (meta["number"], meta["suffix"]) in cited_numbers:
                continue  # 公司法第二百六十四条 answers no question about 刑法第二百六十四条
            rescored.append((i, score))
        rescored.sort(key=lambda t: -t[1])
        out: list[tuple[int, float, str]] = []
        phrase = [
            i
            for i in self._phrase_positions(query)
            if self._entries[i]["collection"] in scope and keep(self._entries[i]["metadata"])
        ]
        phrase.sort(
            key=lambda i: (-fused.get(i, 0.0), KIND_PRIORITY.get(self._entries[i]["metadata"]["kind"], 9))
        )
        out += [(i, PHRASE_SCORE, "phrase") for i in phrase]
        floor = rescored[0][1] * r.min_relative_score if rescored else 0.0
        out += [(i, score, "hybrid") for i, score in rescored if score >= floor]
        return out
