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

import functools
import json
import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from corpora.citations import CitationRef, match_law_name, normalize_law_name, parse_citations
from retrieval import manifest as mf
from retrieval import store
from retrieval.article_classifier import ArticleClassifier
from retrieval.catalogue import Catalogue, open_catalogue
from retrieval.coverage import coverage
from retrieval.embeddings import MINILM_ID, Embedder, load_embedder, resolve_embedding_model
from retrieval.errors import IndexCorruptError, QueryError, RetrievalError, VectorStoreDownError
from retrieval.filters import compile_where, to_chroma
from retrieval.fusion import rrf
from retrieval.hits import CITATION_SCORE, CITED_BY_SCORE, KIND_PRIORITY, Hit, make_hit
from retrieval.index import check_embedding, check_vector_store
from retrieval.lexical import LexicalIndex
from retrieval.lexicon import Lexicon, literal_text
from retrieval.memory import QuestionMemory
from retrieval.phrases import PhraseIndex, core_text, flat_text, quoted_phrases
from retrieval.question_bank import bank_key, bank_questions, read_bank
from retrieval.repeals import (
    OutsideRepeal,
    Repealed,
    applied_law,
    outside_repealed_titles,
    outside_repeals,
    repealed_laws,
    superseded_documents,
)
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

__all__ = ["CITATION_SCORE", "PHRASE_SCORE", "Hit", "Searcher", "check_query"]

TERM_MAP_FILE = "term_map.json"  # finetune.retriever.terms writes it beside the legal model
CLASSIFIER_VERSION = "fasttext-4"  # part of the classifier cache's key: a change of recipe retrains it
CACHE_DIR = "cache"  # in the index folder: what a search derives from its inputs, under their hash
STATUTE_KINDS = frozenset({"宪法", "法律"})
PHRASE_SCORE = 0.5  # below an exact citation, above any fused score (those are < 0.2)
# A name the searcher may take as a law's when the query writes it (著作权法, 工伤保险条例).
LAW_NAME_END = re.compile(r"(?:法|条例|规定|细则|办法|解释|解答|答复|决定|规则|意见|批复|法典)$")
_NAME_LAST_CHARS = frozenset("法例定则释答见复典")
VERBATIM_CANDIDATES = 100  # fused candidates read for a pasted sentence

log = logging.getLogger(__name__)

FOLLOW_ATTEMPTS = 3  # answers of a call during which the index changed, before the last is kept
STORE_RETRY_S = 10.0  # while a Chroma server is down, how long searches skip it before trying again


def check_query(query: str, retrieval: RetrievalSettings) -> str:
    """The stripped query, or QueryError naming what is wrong (checked before any model loads)."""
    if not isinstance(query, str) or not query.strip():
        raise QueryError("查询是空的：请输入问题或条文引用，例如 刑法第二百六十四条")
    if len(query) > retrieval.max_query_chars:
        raise QueryError(
            f"查询过长：{len(query)} 个字符，上限为 {retrieval.max_query_chars} 个字符"
            "（retrieval.max_query_chars）"
        )
    return query.strip()


class _Generation:
    """One committed index generation as loaded. Records and the citation lookups are read at once;
    the BM25 index, the Chroma collections and the fusion's arrays on first use, so an exact
    citation needs neither jieba nor Chroma nor a model. Never changed once made (a lazy part is set
    once, under the lock), so a search that holds one generation never mixes two."""

    def __init__(self, manifest: dict[str, Any], folder: Path, cat: Catalogue) -> None:
        self.manifest, self.folder, self.catalogue, self.entries = manifest, folder, cat, cat.records
        self.where_masks: dict[str, np.ndarray] = {}
        self.by_article = ArticleKeys(cat)
        self.laws = _law_names(cat)
        self._parts: dict[str, Any] = {}
        self._lock = threading.RLock()
        self.ranking: dict[str, Any] | None = None  # set once by SearchEngine._rk, on first use

    @property
    def pos(self) -> dict[str, int]:
        """Entry id → position (made on first use: 70,000 ids)."""
        return self.part("pos", lambda: {eid: i for i, eid in enumerate(self.catalogue.col("ids"))})

    def ids_are_positions(self, ids: list[str]) -> bool:
        """True when `ids[i]` is the id of entry i, each once (the BM25 index's ids are the catalogue's
        list): position i is then entry i, and the id → position dict need not be made."""
        if ids is not self.catalogue.col("ids"):
            return False
        return self.catalogue.unique_ids()

    def part(self, name: str, make: Callable[[], Any]) -> Any:
        value = self._parts.get(name)
        if value is None:
            with self._lock:
                value = self._parts.get(name)
                if value is None:
                    value = self._parts[name] = make()
        return value


def _code(table: list[str], value: str) -> int:
    """The code of a value in a column's table, -1 when no entry has it."""
    try:
        return table.index(value)
    except ValueError:
        return -1


def _law_names(cat: Catalogue) -> dict[str, str]:
    """Every name of every law (its id, short title and title, normalised) → its id, the first article
    naming it winning: worked out once per distinct (id, short title, title) of the articles."""
    types, type_table = cat.codes("record_type")
    rows = np.flatnonzero(types == _code(type_table, "article"))
    columns = [cat.codes(c) for c in ("law_id", "short_title", "law_title")]
    key = np.zeros(len(rows), dtype=np.int64)
    for codes, table in columns:
        key = key * max(len(table), 1) + codes[rows]
    _, first = np.unique(key, return_index=True)
    laws: dict[str, str] = {}
    seen: set[str] = set()
    for i in rows[np.sort(first)].tolist():  # in corpus order, as the first article of each law names it
        law_id, *names = (table[codes[i]] for codes, table in columns)
        for name in (law_id, *names):
            if name and name not in seen:
                seen.add(name)
                for alias in title_aliases(normalize_law_name(name)):
                    laws.setdefault(alias, law_id)
    return laws


# A title the corpus misspells: 「最高人民法院于适用财产刑若干问题的规定」 lacks the 关 of 关于, so the name
# everyone writes (and the sentencing rules cite) finds it too.
_MISSING_GUAN = re.compile(r"^((?:最高人民法院|最高人民检察院)(?:、最高人民检察院)?)于")


def title_aliases(name: str) -> list[str]:
    """The normalised name, and the name as it should have been spelt where the corpus misspells it."""
    fixed = _MISSING_GUAN.sub(r"\1关于", name)
    return [name] if fixed == name else [name, fixed]


class ArticleKeys(Mapping):
    """(law id, number, suffix) → positions of the articles numbered so (each version of a law has its
    own), in corpus order. A look-up searches sorted arrays; a dict of the 58,000 keys cost a cold
    search 0.2 s, and is made only when all keys are walked (a bare 第X条, `articles_of`)."""

    _LAW, _NUMBER, _SUFFIX = 23, 24, 16  # bits of the packed key

    def __init__(self, cat: Catalogue) -> None:
        types, type_table = cat.codes("record_type")
        numbering, numbering_table = cat.codes("numbering")
        self._law_codes, self._law_table = cat.codes("law_id")
        self._number, self._suffix = cat.array("number"), cat.array("suffix")
        article = (types == _code(type_table, "article")) & (numbering == _code(numbering_table, "article"))
        self._rows = np.flatnonzero(article)
        self._law_index = {law: code for code, law in enumerate(self._law_table)}
        self._all: dict[tuple[str, int, int], list[int]] | None = None
        number, suffix = self._number[self._rows], self._suffix[self._rows]
        self._packed = len(self._rows) == 0 or (
            len(self._law_table) < 1 << self._LAW
            and number.min() >= 0 and number.max() < 1 << self._NUMBER
            and suffix.min() >= 0 and suffix.max() < 1 << self._SUFFIX
        )  # fmt: skip
        if self._packed:
            keys = self._pack(self._law_codes[self._rows].astype(np.int64), number, suffix)
            order = np.argsort(keys, kind="stable")  # stable: a key's positions stay in corpus order
            self._keys, self._sorted_rows = keys[order], self._rows[order]

    def _pack(self, law: Any, number: Any, suffix: Any) -> Any:
        return (law << (self._NUMBER + self._SUFFIX)) | (number << self._SUFFIX) | suffix

    def get(self, key: tuple[str, int, int], default: Any = None) -> Any:
        if not self._packed or self._all is not None:
            return self._dict().get(key, default)
        law_id, number, suffix = key
        law = self._law_index.get(law_id)
        if (
            law is None
            or not isinstance(number, int) or not 0 <= number < 1 << self._NUMBER
            or not isinstance(suffix, int) or not 0 <= suffix < 1 << self._SUFFIX
        ):  # fmt: skip
            return default
        packed = self._pack(law, number, suffix)
        lo, hi = np.searchsorted(self._keys, [packed, packed + 1])
        return self._sorted_rows[lo:hi].tolist() if hi > lo else default

    def __getitem__(self, key: tuple[str, int, int]) -> list[int]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 3 and self.get(key) is not None

    def _dict(self) -> dict[tuple[str, int, int], list[int]]:
        if self._all is None:
            found: dict[tuple[str, int, int], list[int]] = {}
            laws = self._law_table
            for i, law, number, suffix in zip(
                self._rows.tolist(),
                self._law_codes[self._rows].tolist(),
                self._number[self._rows].tolist(),
                self._suffix[self._rows].tolist(),
                strict=True,
            ):
                found.setdefault((laws[law], number, suffix), []).append(i)
            self._all = found
        return self._all

    def numbered(self, number: int, suffix: int) -> list[list[int]]:
        """The positions of each law's articles numbered so, a law's in corpus order, the laws in the order
        of their first such article: what a bare 第X条 may name, read from the arrays, not from all keys."""
        rows = self._rows[(self._number[self._rows] == number) & (self._suffix[self._rows] == suffix)]
        found: dict[int, list[int]] = {}
        for i, law in zip(rows.tolist(), self._law_codes[rows].tolist(), strict=True):
            found.setdefault(law, []).append(i)
        return list(found.values())

    def __iter__(self) -> Iterator[tuple[str, int, int]]:
        return iter(self._dict())

    def items(self) -> Any:  # the dict's own view: Mapping's would look up every key again
        return self._dict().items()

    def keys(self) -> Any:
        return self._dict().keys()

    def values(self) -> Any:
        return self._dict().values()

    def __len__(self) -> int:
        return len(self._dict())


class _Cites(Sequence):
    """`_resolve_cites` of each entry, worked out when the citation vote first asks for it: a query
    reads the cites of its ten best hits, and resolving all 70,000 entries cost a cold search 1-2 s."""

    def __init__(self, searcher: Searcher, cat: Catalogue) -> None:
        self._searcher, self._cat = searcher, cat
        self._done: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._cat)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        found = self._done.get(i)
        if found is None:
            cat = self._cat
            laws, table = cat.codes("law_id")
            entry = {"cites": cat.cites(i), "record": {"law_id": table[laws[i]]}}
            found = self._done[i] = self._searcher._resolve_cites([entry])[0]
        return found


def _lazy(name: str) -> property:
    """A Searcher attribute read from the generation the current call holds, made on first use."""

    def get(self: Searcher) -> Any:
        gen = self._held()
        return gen.part(name, lambda: getattr(self, f"_make{name}")(gen))

    return property(get)


def _holding(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a public method on one generation from start to end, even when a reload swaps it meanwhile.
    When another process commits a new generation during the call (an update deletes the old
    generation's vectors and folder once it has committed), the call is answered again from the new one."""

    @functools.wraps(method)
    def run(self: Searcher, *args: Any, **kwargs: Any) -> Any:
        if getattr(self._local, "gen", None) is not None:  # nested call: already holding one
            return method(self, *args, **kwargs)
        for attempt in range(FOLLOW_ATTEMPTS):
            self._follow_index()
            stamp, self._local.gen = self._stamp, self._current
            try:
                result = method(self, *args, **kwargs)
            except Exception:
                if attempt + 1 < FOLLOW_ATTEMPTS and self._manifest_stamp() != stamp:
                    continue  # the index changed under the call: try again on the new one
                raise
            finally:
                self._local.gen = None
            if attempt + 1 == FOLLOW_ATTEMPTS or self._manifest_stamp() == stamp:
                return result
        raise AssertionError("unreachable")  # pragma: no cover

    return run


_NOT_CITATION = re.compile(r"[^\s、，,。.;；:：和及与或（）()《》]")


def _only_citations(query: str) -> bool:
    """True when the query is citations and nothing else (刑法第二百六十四条、第二百六十七条)."""
    rest, end = [], 0
    for ref in parse_citations(query):
        rest.append(query[end : ref.span[0]])
        end = ref.span[1]
    rest.append(query[end:])
    return end > 0 and not _NOT_CITATION.search("".join(rest))


def _unreachable(e: BaseException) -> bool:
    """A connection failure (the server is down or unreachable), not a damaged store."""
    import httpx

    while e is not None:
        if isinstance(e, httpx.TransportError | ConnectionError | TimeoutError | VectorStoreDownError):
            return True
        if "Could not connect to a Chroma server" in str(e) or "Connection refused" in str(e):
            return True
        e = e.__cause__ or e.__context__  # type: ignore[assignment]
    return False


def _falls_back(dense: Callable[..., list[int]]) -> Callable[..., list[int]]:
    """Dense search, or none while a Chroma server is down: the search goes on with BM25 and exact
    citations, and `vector_store_problem` says so. Retried every STORE_RETRY_S seconds."""

    @functools.wraps(dense)
    def run(self: Searcher, *args: Any, **kwargs: Any) -> list[int]:
        if self.vector_store.mode != "server":
            return dense(self, *args, **kwargs)
        if time.monotonic() < self._store_down_until:
            return []
        try:
            found = dense(self, *args, **kwargs)
        except Exception as e:
            if not _unreachable(e):
                raise
            vs = self.vector_store
            self._store_down_until = time.monotonic() + STORE_RETRY_S
            self.vector_store_problem = (
                f"向量库（Chroma 服务器 {vs.host}:{vs.port}）连接不上，本次只用了关键词检索（BM25）和条文精确查找，"
                f"结果可能不全；服务器恢复后自动改回混合检索（{type(e).__name__}: {str(e).splitlines()[0][:160]}）"
            )
            return []
        self.vector_store_problem = None
        return found

    return run


class Searcher:
    """Open once (reads the manifest and records), then search many times. `reload_if_changed`
    switches to a newer committed generation in one step: every attribute a search reads comes from
    the generation that search started on."""

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
        self._embedder_lock = threading.Lock()
        self._ranking_lock = threading.RLock()
        self._query_cache: dict[str, np.ndarray] = {}
        self._local = threading.local()
        self._reload_lock = threading.Lock()
        self._store_down_until = 0.0
        self.vector_store_problem: str | None = None  # set while Chroma cannot be reached (server mode)
        self._stamp = self._manifest_stamp()
        self._current = self._load()

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
    def _held(self) -> _Generation:
        return getattr(self._local, "gen", None) or self._current

    manifest = property(lambda self: self._held().manifest)
    _entries = property(lambda self: self._held().entries)
    _pos = property(lambda self: self._held().pos)
    _by_article = property(lambda self: self._held().by_article)
    _laws = property(lambda self: self._held().laws)
    _where_masks = property(lambda self: self._held().where_masks)
    _lexical = _lazy("_lexical")
    _store = _lazy("_store")
    _collections = property(lambda self: self._store[0])
    _counts = property(lambda self: self._store[1])
    _cites = _lazy("_cites")
    _factor = _lazy("_factor")
    _scope_masks = _lazy("_scope_masks")
    _statutes = _lazy("_statutes")
    _metadata = _lazy("_metadata")
    _repeals = _lazy("_repeals")
    _outside = _lazy("_outside")

    def _load(self, manifest: dict[str, Any] | None = None) -> _Generation:
        manifest = manifest or mf.read_manifest(self.data_dir, lazy_entries=True)
        check_embedding(manifest, self.embedding, self.data_dir, self._embedder)
        check_vector_store(manifest, self.vector_store)
        folder = mf.generation_dir(self.data_dir, manifest["generation"])
        try:
            cat = open_catalogue(folder, mf.RECORDS_FILE)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
            raise IndexCorruptError(
                f"索引的记录文件缺失或已损坏（{folder}：{e}），请运行 `legal-assistant index build` 重建索引"
            ) from e
        # the counts per collection add up to the entries (read without parsing the entries)
        expected = sum(manifest["counts"].values()) if "counts" in manifest else len(manifest["entries"])
        if len(cat) != expected:
            raise IndexCorruptError(
                f"索引的记录文件与清单（manifest）不符（{folder}），请运行 `legal-assistant index build` 重建索引"
            )
        chroma_db = mf.index_dir(self.data_dir) / store.CHROMA_SUBDIR / "chroma.sqlite3"
        if self.vector_store.mode == "embedded" and not chroma_db.is_file():
            raise IndexCorruptError(
                f"索引的 Chroma 向量文件缺失（{chroma_db}），请运行 `legal-assistant index build` 重建索引"
            )
        return _Generation(manifest, folder, cat)

    def _make_lexical(self, gen: _Generation) -> LexicalIndex:
        try:
            lexical = LexicalIndex.load(gen.folder / mf.LEXICAL_DIR, known_ids=gen.catalogue.ids_if_json)
        except (OSError, ValueError, KeyError) as e:
            raise IndexCorruptError(
                f"索引的 BM25 关键词索引缺失或已损坏（{gen.folder}：{e}），"
                "请运行 `legal-assistant index build` 重建索引"
            ) from e
        if lexical.ids != gen.catalogue.col("ids"):
            raise IndexCorruptError(
                f"BM25 关键词索引与记录文件不符（{gen.folder}），请运行 `legal-assistant index build` 重建索引"
            )
        return lexical

    def _make_store(self, gen: _Generation) -> tuple[dict[str, Any], dict[str, int]]:
        """The collections to query: the HNSW files an embedded Chroma wrote, read without Chroma, when
        they hold exactly what Chroma would answer from (see retrieval.hnsw_files); Chroma otherwise."""
        if self.vector_store.mode == "embedded":
            from retrieval import hnsw_files

            m = gen.manifest
            chroma = functools.partial(lambda g: g.part("_chroma", lambda: self._make_chroma(g))[0], gen)
            index_dir = mf.index_dir(self.data_dir)
            cat = gen.catalogue
            positions = hnsw_files.Positions(
                cat.ids_digest(), lambda: gen.pos, len(cat), index_dir / CACHE_DIR
            )
            chroma_dir = index_dir / store.CHROMA_SUBDIR
            files = hnsw_files.open_collections(chroma_dir, m["collections"], m["counts"], chroma, positions)
            if files is not None:
                return files, {c: col.count() for c, col in files.items()}
        return gen.part("_chroma", lambda: self._make_chroma(gen))

    def _make_chroma(self, gen: _Generation) -> tuple[dict[str, Any], dict[str, int]]:
        manifest = gen.manifest
        try:
            client = store.make_client(self.vector_store, mf.index_dir(self.data_dir))
            collections = store.open_collections(client, manifest["collections"])
            counts = {c: col.count() for c, col in collections.items()}
        except Exception as e:  # chromadb raises plain Exceptions (and httpx ones for a server)
            if self.vector_store.mode == "server" and _unreachable(e):
                raise VectorStoreDownError(str(e)) from e
            raise IndexCorruptError(
                f"索引的 Chroma 向量库无法使用（{e}），请运行 `legal-assistant index build` 重建索引"
            ) from e
        for c, n in manifest["counts"].items():
            if counts.get(c, 0) < n:
                raise IndexCorruptError(
                    f"Chroma 集合 {manifest['collections'][c]} 只有 {counts.get(c, 0)} 个向量，清单（manifest）记有 {n} 个："
                    "Chroma 文件不全，请运行 `legal-assistant index build` 重建索引"
                )
        return collections, counts

    def _make_cites(self, gen: _Generation) -> _Cites:
        return _Cites(self, gen.catalogue)

    def _make_factor(self, gen: _Generation) -> np.ndarray:
        """`_prior` of each entry, worked out once per distinct (type, title, current, kind): a dict per
        entry for 70,000 entries cost a cold search 0.3 s."""
        cat = gen.catalogue
        (types, type_table), (titles, title_table), (kinds, kind_table) = (
            cat.codes(n) for n in ("record_type", "law_title", "kind")
        )
        current = cat.array("current")
        key = ((types.astype(np.int64) * len(title_table) + titles) * 2 + current) * len(kind_table) + kinds
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        factors = np.empty(len(first), dtype=np.float64)
        for n, i in enumerate(first.tolist()):
            entry = {
                "record_type": type_table[types[i]],
                "record": {
                    "law_title": title_table[titles[i]],
                    "current": bool(current[i]),
                    "kind": kind_table[kinds[i]],
                },
            }
            factors[n] = self._prior(entry)
        return factors[inverse.reshape(-1)]

    def _make_scope_masks(self, gen: _Generation) -> dict[str, np.ndarray]:
        codes, table = gen.catalogue.codes("collection")
        return {c: codes == _code(table, c) for c in store.COLLECTIONS}

    def _make_statutes(self, gen: _Generation) -> np.ndarray:
        """Mask of the current articles of 法律 and 宪法: the statutes that govern."""
        cat = gen.catalogue
        (types, type_table), (kinds, kind_table) = cat.codes("record_type"), cat.codes("kind")
        statute_kinds = [i for i, k in enumerate(kind_table) if k in STATUTE_KINDS]
        return (types == _code(type_table, "article")) & np.isin(kinds, statute_kinds) & cat.array("current")

    def _make_repeals(self, gen: _Generation) -> tuple[dict[str, Repealed], dict[str, str]]:
        """(the laws the index's current articles say were repealed, law title → the repealed law it
        applies) from the articles holding 废止 (one column of the BM25 index: no scan of every text)."""
        lexical = self._lexical
        found = np.flatnonzero(lexical.token_scores(["废止"]) > 0).tolist()
        ids = lexical.ids
        positions = found if gen.ids_are_positions(ids) else [gen.pos[ids[j]] for j in found]
        current = gen.catalogue.col("current")
        types = gen.catalogue.col("record_type")
        articles = [i for i in positions if current[i] and types[i] == "article"]

        def text_of(i: int) -> str:
            return str(gen.entries[i]["record"]["text"])

        repealed = repealed_laws(articles, text_of, gen.laws)
        titles = {t for t in gen.catalogue.codes("law_title")[1] if t}
        applies = {t: name for t in titles if (name := applied_law(t, repealed))}
        title_col, date_col = gen.catalogue.col("law_title"), gen.catalogue.col("date")
        held: dict[str, str] = {}
        for t, d in zip(title_col, date_col, strict=True):
            if t:
                held[t] = max(held.get(t, ""), d or "")
        superseded = superseded_documents(
            articles, text_of, title_col.__getitem__, lambda i: str(date_col[i] or ""), held
        )
        for title, repeal in superseded.items():  # a held document repealed by name: it is its own "law"
            repealed.setdefault(title, repeal)
            applies.setdefault(title, title)
        return repealed, applies

    def _make_outside(self, gen: _Generation) -> dict[str, OutsideRepeal]:
        """Held title → its repeal by a decision the corpus does not hold (retrieval/repeals_outside.toml)."""
        titles = [t for t in gen.catalogue.codes("law_title")[1] if t]
        try:
            return outside_repealed_titles(titles, outside_repeals())
        except ValueError as e:  # the shipped list is unreadable: answer as the corpus stands, and say so
            log.warning("%s", e)
            return {}

    @_holding
    def repealed_outside(self, law_title: str) -> OutsideRepeal | None:
        """The repeal of a held document by a decision the corpus does not hold (法释〔2020〕16号), or None."""
        return self._outside.get(law_title)

    @_holding
    def applies_repealed_law(self, law_title: str) -> tuple[str, Hit] | None:
        """(the repealed law, the article that repealed it) for a document written to apply a law the index
        says was repealed (《关于适用〈婚姻法〉若干问题的解释（二）》 → 婚姻法, 民法典第一千二百六十条)."""
        repealed, applies = self._repeals
        name = applies.get(law_title)
        if name is None:
            return None
        return name, make_hit(self._entries[repealed[name].by], CITATION_SCORE, "citation")

    def _make_metadata(self, gen: _Generation) -> list[dict[str, Any]]:
        try:
            return gen.catalogue.metadata()
        except (OSError, ValueError) as e:
            raise IndexCorruptError(
                f"索引的元数据文件缺失或已损坏（{gen.folder}：{e}），请运行 `legal-assistant index build` 重建索引"
            ) from e

    def _nearest(
        self, collection: str, vec: np.ndarray, where: dict | None, n: int
    ) -> list[tuple[float, int]]:
        """(distance, position) of the n nearest committed entries of one collection. Entries that an
        update has added to Chroma and not yet committed are dropped; when they took places among the
        n, Chroma is asked again, further, so that they never push committed ones out meanwhile."""
        want = ask = min(n, self._counts[collection])
        col, chroma_where = self._collections[collection], to_chroma(where)
        # the HNSW files map their labels to positions themselves: no id → position dict to make
        by_position = getattr(col, "nearest_positions", None) if not chroma_where else None
        while True:
            found = by_position(vec, ask) if by_position is not None else None
            if found is not None:
                got, asked = found
            else:
                pos = self._pos  # once: a look-up of the held generation
                res = col.query(
                    query_embeddings=[vec], n_results=ask, where=chroma_where, include=["distances"]
                )
                ids, distances = res["ids"][0], res["distances"][0]
                got = [(d, pos[eid]) for eid, d in zip(ids, distances, strict=True) if eid in pos]
                asked = len(ids)
            if len(got) >= want or asked < ask:  # enough, or nothing further
                return got[:want]
            ask += asked - len(got)

    def _query_embedder(self) -> Embedder:
        """The query model, loaded on the first query that needs it (an exact citation does not)."""
        with self._embedder_lock:
            if self._embedder is None:
                embedder = load_embedder(self.embedding, self.data_dir)
                check_embedding(self.manifest, self.embedding, self.data_dir, embedder)
                self._embedder = embedder
            return self._embedder

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
            # 修正案, and the decisions amending a law or an interpretation (最高人民法院关于修改《…》的决定): their text
            # is the consolidated document's (a lawyer's review, stop 20, found them cited as interpretations)
            if "修正案" in title or ("关于修改" in title and title.endswith("决定")):
                factor *= self.retrieval.amendment_factor
            if not rec.get("current", True):
                factor *= self.retrieval.outdated_factor
            # A question about rights under a 法律 is answered by the 法律 before its 实施条例, a 部门规章
            # or an interpretation that repeats its words (the brief's "interpretations crowding out the statute").
            factor *= self.retrieval.kind_factors.get(rec.get("kind", ""), 1.0)
        return factor

    def _manifest_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = (mf.index_dir(self.data_dir) / mf.MANIFEST).stat()
        except OSError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def _follow_index(self) -> None:
        """Switch to a generation another process committed (an `index update` or `index build` while
        `serve` answers): one stat of the manifest per search, a reload when it was replaced. When the
        new generation cannot be loaded, searches stay on the current one and the next search retries."""
        stamp = self._manifest_stamp()
        if stamp == self._stamp:
            return
        try:
            self.reload_if_changed()
        except RetrievalError as e:
            self._stamp = stamp  # retried when the manifest changes again, not on every search
            log.warning("the index changed but could not be reloaded: %s", e)

    def reload_if_changed(self) -> bool:
        """Switch to a newer committed index (after `index update` or `index build`, from this process
        or another); True when it switched. The new generation is loaded whole, then swapped in one
        assignment: a search running meanwhile finishes on the old one."""
        with self._reload_lock:
            stamp = self._manifest_stamp()
            current = mf.try_read_manifest(self.data_dir, lazy_entries=True)
            if current is None or current["generation"] == self._current.manifest["generation"]:
                self._stamp = stamp
                return False
            gen = self._load(current)
            # Open the new Chroma collections before the switch: a build makes new ones and drops the old.
            self._local.gen = gen
            try:
                self._store  # noqa: B018 - opens them now, not during the first search after
            except VectorStoreDownError:
                pass  # the store is down: searches fall back to lexical until it is back
            finally:
                self._local.gen = None
            self._current, self._stamp = gen, stamp
            self._query_cache.clear()
            return True

    # --- public API --------------------------------------------------------------------------
    @property
    def entries(self) -> Sequence[dict[str, Any]]:
        """The committed entries (read-only by convention), in index order."""
        return self._entries

    @_holding
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
        if _only_citations(query):  # an exact lookup: no model, no BM25, no Chroma
            for i in self._citation_positions(refs):
                e = self._entries[i]
                if i not in seen and e["collection"] in scope and keep(e["metadata"]):
                    seen.add(i)
                    hits.append(make_hit(e, CITATION_SCORE, "citation"))
            if hits:
                return self._with_citing(hits, seen, scope, keep, k)
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

    def _with_citing(
        self, hits: list[Hit], seen: set[int], scope: tuple[str, ...], keep: Callable[[dict], bool], k: int
    ) -> list[Hit]:
        """The cited articles, then the current entries that cite them (interpretations before
        cases, in corpus order), from the catalogue's columns."""
        cat = self._held().catalogue
        laws, numbers, suffixes = cat.col("law_id"), cat.col("number"), cat.col("suffix")
        wanted = {(laws[i], numbers[i], suffixes[i]) for i in seen}
        articles = {(n, s) for _, n, s in wanted}  # checked first: most cites name other articles
        names: dict[str, str | None] = {}
        citing = []
        columns = zip(cat.col("cites"), laws, cat.col("current"), cat.col("collection"), strict=True)
        for i, (cites, own_law, current, collection) in enumerate(columns):
            if not cites or not current or i in seen or collection not in scope:
                continue
            for law, number, suffix in cites:
                if (number, suffix) not in articles:
                    continue
                if law and law not in names:
                    names[law] = self.resolve_law(law)
                if ((names[law] if law else own_law), number, suffix) in wanted:
                    citing.append(i)
                    break
        kinds = cat.col("kind")
        for i in sorted(citing, key=lambda i: KIND_PRIORITY.get(kinds[i], 9)):
            if len(hits) >= k:
                break
            e = self._entries[i]
            if keep(e["metadata"]):
                hits.append(make_hit(e, CITED_BY_SCORE, "cites"))
        return hits[:k]

    @_holding
    def lookup(self, citation_text: str) -> list[Hit]:
        """The articles a citation text names (current versions), in the order cited."""
        return [
            make_hit(self._entries[i], CITATION_SCORE, "citation")
            for i in self._citation_positions(parse_citations(citation_text))
        ]

    @_holding
    def resolve_law(self, name: str) -> str | None:
        return match_law_name(name, self._laws)

    @_holding
    def law_names(self) -> dict[str, str]:
        """Every name and alias the index knows (normalised) → law id."""
        return dict(self._laws)

    @_holding
    def articles_of(self, law_id: str) -> list[tuple[int, int]]:
        """(number, suffix) of the law's current articles, in order."""
        positions = [(key[1:], pos) for key, pos in self._by_article.items() if key[0] == law_id]
        return sorted(k for k, pos in positions if any(self._is_current(i) for i in pos))

    def _is_current(self, i: int) -> bool:
        return bool(self._held().catalogue.col("current")[i])  # a column: no record parsed

    @_holding
    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Hit | None:
        """One article: the current version, or the version in force on `on_date` (ISO date)."""
        law_id = self.resolve_law(law_id_or_title)
        i = self._pick_version(self._by_article.get((law_id or "", number, suffix), []), on_date)
        return None if i is None else make_hit(self._entries[i], CITATION_SCORE, "citation")

    @_holding
    def stats(self, corpus_root: Path | None = None) -> dict[str, Any]:
        laws: dict[str, dict[str, Any]] = {}
        kinds: dict[str, int] = {}
        cat = self._held().catalogue
        for meta, record_type, collection in zip(
            self._metadata, cat.col("record_type"), cat.col("collection"), strict=True
        ):
            kinds[meta["kind"]] = kinds.get(meta["kind"], 0) + 1
            if record_type != "article":
                continue
            law = laws.setdefault(
                meta["law_id"],
                {
                    "law_id": meta["law_id"],
                    "law_title": meta["law_title"],
                    "kind": meta["kind"],
                    "collection": collection,
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
            "records": len(cat),
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
            f"未知的检索范围 {kind!r}：可选 {'、'.join(store.COLLECTIONS)}，或 法律、司法解释 这样的文件类别"
        )

    def _pick_version(self, positions: list[int], on_date: str | None) -> int | None:
        cat = self._held().catalogue  # effective or version date, and current, without parsing records
        date = cat.col("date").__getitem__

        if on_date:
            in_force = [i for i in positions if date(i) and date(i) <= on_date]
            return max(in_force, key=date) if in_force else None
        current = [i for i in positions if cat.col("current")[i]]
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
                self._pick_version(pos, None) for pos in self._by_article.numbered(ref.number, ref.suffix)
            ]
            kinds = self._held().catalogue.col("kind")  # a column: a bare 第七条 matches hundreds of laws
            ranked = sorted(
                (i for i in matches if i is not None), key=lambda i: KIND_PRIORITY.get(kinds[i], 9)
            )
            out.extend(ranked[:3])
        return out

    def _query_vector(self, query: str) -> np.ndarray:
        vec = self._query_cache.get(query)
        if vec is None:
            vec = self._query_embedder().encode([query])[0]
            if len(self._query_cache) > 1024:
                self._query_cache.clear()
            self._query_cache[query] = vec
        return vec

    @_falls_back
    def _dense(self, query: str, scope: tuple[str, ...], where: dict | None, n: int) -> list[int]:
        """Positions of the n nearest committed entries over the collections in scope."""
        vec = self._query_vector(query)
        found: list[tuple[float, int]] = []
        for c in scope:
            if self._counts.get(c):
                found += self._nearest(c, vec, where, n)
        return [i for _, i in sorted(found)[:n]]

    def _mask(self, scope: tuple[str, ...], where: dict | None) -> np.ndarray | None:
        mask = None
        if scope != store.COLLECTIONS:
            mask = np.logical_or.reduce([self._scope_masks[c] for c in scope])
        if where:
            key = json.dumps([scope, where], sort_keys=True, ensure_ascii=False)
            if key not in self._where_masks:
                # only the entries in scope are tested: a filter on the cases need not read 65,000 articles
                keep = compile_where(where)
                meta = self._metadata
                inside = np.flatnonzero(mask) if mask is not None else range(len(meta))
                found = np.zeros(len(meta), dtype=bool)
                found[np.array([i for i in inside if keep(meta[i])], dtype=int)] = True
                self._where_masks[key] = found
            mask = self._where_masks[key] if mask is None else mask & self._where_masks[key]
        return mask

    def _hybrid(self, query: str, scope: tuple[str, ...], where: dict | None) -> list[tuple[int, float]]:
        r = self.retrieval
        n = r.candidates
        dense_weight = (
            r.minilm_dense_weight if self.manifest["embedding"]["model"] == MINILM_ID else r.dense_weight
        )
        lexicon = self._rk()["lexicon"]
        legal = lexicon.legal_words(query) if lexicon is not None else ""
        # The dense model reads the question with the law's words (the remembered questions, the question).
        searched = f"{query} {legal}" if legal else query
        dense = self._dense(searched, scope, where, n) if dense_weight > 0 else []
        mask = self._mask(scope, where)
        scores = self._lexical_scores(query, mask)
        legal_ranking: list[int] = []
        if legal:  # at a weight of their own: a pasted sentence saying 开除 must still find its own article
            legal_scores = self._legal_scores(query, mask)
            scores = scores + r.lexicon_weight * legal_scores
            if r.lexicon_rank_weight > 0:
                legal_ranking = self._best(legal_scores, n)
        lexical = self._best(scores, n)
        statute = []
        if r.statute_weight > 0:
            # BM25 among the statutes alone (one scoring serves both): a 法律's own article reaches the fusion
            # even when regulations and interpretations that repeat its words fill the whole-corpus ranking.
            statute = self._best(scores * self._statutes, n)
        dense_weight *= self._dense_agreement(
            dense, [*lexical[: r.agreement_depth], *statute[: r.agreement_depth]]
        )
        rankings, weights = [dense, lexical], [dense_weight, r.lexical_weight]
        if legal_ranking:  # the articles the law's words for the question's everyday words reach, alone
            rankings.append(legal_ranking)
            weights.append(r.lexicon_rank_weight)
        if statute:
            rankings.append(statute)
            weights.append(r.statute_weight)
        if r.memory_weight > 0 and self._rk()["memory"] is not None:
            remembered, nearest = self._remembered(query, scope, mask)
            rankings.append(remembered)
            weights.append(r.memory_weight * _ramp(nearest, *r.memory_similarity_range))
        named: set[int] = set()  # the articles the bank's nearest questions were written for
        if r.bank_weight > 0 and r.question_bank:
            banked, nearest = self._banked(query, scope, mask)
            if banked:
                share = _ramp(nearest, *r.bank_similarity_range)
                rankings.append(banked)
                weights.append(r.bank_weight * share)
                if share > 0:
                    named = set(banked[: r.bank_unweighed])
        if r.citation_weight > 0:
            rankings.append(self._cited_by(rrf(rankings, k=r.rrf_k, weights=weights), scope, mask))
            weights.append(r.citation_weight)
        if legal and r.source_weight > 0:
            sourced = self._sourced(query, scope, mask, rrf(rankings, k=r.rrf_k, weights=weights))
            if sourced:
                rankings.append(sourced)
                weights.append(r.source_weight)
        if r.classifier_weight > 0 and r.question_bank:
            # after the citation and source votes, so as not to steer them (before or after: heldout4 .708 both, stop 21)
            classified, confidence = self._classified(query, scope, mask)
            if classified:
                rankings.append(classified)
                weights.append(r.classifier_weight * _ramp(confidence, *r.classifier_confidence_range))
        fused = rrf(rankings, k=r.rrf_k, weights=weights)
        # an article the bank names is the one a lawyer cites for such a question, whatever its document's kind
        scored = [
            (i, float(score * (max(self._factor[i], 1.0) if i in named else self._factor[i])))
            for i, score in fused
        ]
        return sorted(scored, key=lambda t: -t[1])

    def _sourced(
        self, query: str, scope: tuple[str, ...], mask: np.ndarray | None, fused: list[tuple[int, float]]
    ) -> list[int]:
        """The current articles the lexicon entries the query uses were written from (their `source`),
        best fused first: an entry's everyday words stand for its article, not only for its words."""
        collections = self._held().catalogue.col("collection")
        found = []
        for law_id, number, suffix in self.lexicon_evidence(query):  # in the lexicon's order, not a set's
            i = self._pick_version(self._by_article.get((law_id, number, suffix), []), None)
            if i is not None and collections[i] in scope and (mask is None or mask[i]):
                found.append(i)
        order = {i: rank for rank, (i, _) in enumerate(fused)}
        # the same order in every process: a set of law ids iterates in the order of its strings' hashes
        return sorted(dict.fromkeys(found), key=lambda i: (order.get(i, len(order)), i))

    def _dense_agreement(self, dense: list[int], lexical: list[int]) -> float:
        """Factor of the dense weight for this query: dense_agreement_floor, up to 1 as the laws of the best
        dense hits are the laws the query's words reach (the overlap of the two shares of laws). The static
        model pulls a short question towards the subjects of its training questions, half of them family law
        (孩子, 怎么判 → 抚养): when no law of its hits is a law the words reach, it counts for less."""
        floor = self.retrieval.agreement_floor
        if floor >= 1 or not dense or not lexical:
            return 1.0
        laws = self._held().catalogue.col("law_id")

        def shares(positions: list[int]) -> dict[str, float]:
            found = Counter(laws[i] for i in positions if laws[i])
            total = sum(found.values()) or 1
            return {law: c / total for law, c in found.items()}

        ours, theirs = shares(dense[: self.retrieval.agreement_depth]), shares(lexical)
        overlap = sum(min(p, theirs.get(law, 0.0)) for law, p in ours.items())
        return floor + (1 - floor) * overlap

    def _cited_by(
        self, fused: list[tuple[int, float]], scope: tuple[str, ...], mask: np.ndarray | None
    ) -> list[int]:
        """Articles cited by the best hits, ranked by the summed fused score of the hits citing them."""
        votes: dict[int, float] = {}
        collections = self._held().catalogue.col("collection")
        for i, score in fused[: self.retrieval.citation_sources]:
            for j in self._cites[i]:
                if j != i and collections[j] in scope and (mask is None or mask[j]):
                    votes[j] = votes.get(j, 0.0) + score
        return sorted(votes, key=lambda j: -votes[j])

    # --- ranking beyond the fusion --------------------------------------------------------------
    def _init_ranking(self) -> dict[str, Any]:
        """The exact-phrase index over current articles, and law names longest first."""
        rk: dict[str, Any] = {"phrases": None}
        rk["law_name_ids"] = {
            name: law_id for name, law_id in self._laws.items() if LAW_NAME_END.search(name)
        }
        rk["longest_law_name"] = max(map(len, rk["law_name_ids"]), default=0)
        rk["memory"], rk["memory_positions"], rk["memory_laws"] = self._load_memory()
        rk["terms"] = self._load_terms()
        rk["lexicon"] = (
            Lexicon.read_all(self.retrieval.lexicons, mf.index_dir(self.data_dir) / CACHE_DIR)
            if self.retrieval.lexicons
            else None
        )
        rk["legal_scores"] = {}  # lexicon entry → BM25 scores of its legal words, filled on first use
        rk["entry_articles"] = {}  # lexicon entry → (law id, number, suffix) of its source, filled likewise
        return rk

    def _rk(self) -> dict[str, Any]:
        """The ranking state of the generation this call holds, made on first use (not at open)."""
        gen = self._held()
        state = getattr(gen, "ranking", None)
        if state is None:
            with self._ranking_lock:
                state = getattr(gen, "ranking", None)
                if state is None:
                    state = self._init_ranking()
                    gen.ranking = state
        return state

    def _load_terms(self) -> dict[str, list[tuple[str, float]]]:
        """The everyday-word → legal-term map written beside the legal model, terms the BM25 index knows."""
        if self.retrieval.expansion_weight <= 0:
            return {}
        path = Path(resolve_embedding_model(self.embedding, self.data_dir)) / TERM_MAP_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except (OSError, ValueError):
            return {}
        if not raw:  # no map beside the model: the BM25 vocabulary need not be read for it
            return {}
        known = self._lexical.known_tokens()
        return {w: [(t, float(x)) for t, x in terms if t in known] for w, terms in raw.items()}

    def expanded(self, query: str) -> str:
        """The query as the dense and BM25 rankings read it: followed by the legal words that its everyday
        words stand for in the lexicons (retrieval.lexicons; 辞职 → 劳动者提前三十日…解除劳动合同, 偷 → 盗窃)."""
        lexicon = self._rk()["lexicon"]
        return lexicon.expand(query) if lexicon is not None else query

    def lexicon_articles(self, query: str) -> set[tuple[str, int, int]]:
        """(law id, number, suffix) of the articles whose words the lexicon entries the query uses give
        (each entry's `source`): where the question's everyday words come from in the law. The ranking never
        reads them; a caller weighing hits of two searches whose scores do not compare may."""
        return set(self.lexicon_evidence(query))

    def lexicon_evidence(self, query: str) -> dict[tuple[str, int, int], int]:
        """`lexicon_articles` with, for each article, the length of the longest stretch of the query that an
        entry naming it matched: how much of the question's situation the entry describes."""
        lexicon = self._rk()["lexicon"]
        if lexicon is None:
            return {}
        found: dict[tuple[str, int, int], int] = {}
        for i, words in lexicon.found(query):
            for article in self._entry_articles(lexicon, i):
                found[article] = max(found.get(article, 0), len(words))
        return found

    def _entry_articles(self, lexicon: Lexicon, i: int) -> list[tuple[str, int, int]]:
        """(law id, number, suffix) of the articles lexicon entry i's source names, in its order, once each."""
        cache: dict[int, list[tuple[str, int, int]]] = self._rk()["entry_articles"]
        if i not in cache:
            cache[i] = list(
                dict.fromkeys(
                    (law_id, ref.number, ref.suffix)
                    for ref in parse_citations(lexicon.entries[i].source)
                    if ref.law and (law_id := self.resolve_law(ref.law))
                )
            )
        return cache[i]

    def _legal_scores(self, query: str, mask: np.ndarray | None) -> np.ndarray:
        """BM25 scores of the legal words of the lexicon entries the query uses: the sum of each entry's
        scores, kept per entry once worked out (a BM25 pass over 70,000 entries per query cost ~10 ms)."""
        lexicon, cache = self._rk()["lexicon"], self._rk()["legal_scores"]
        total = np.zeros(len(self._lexical.ids), dtype=np.float32)
        for i in lexicon.matched(query):
            found = cache.get(i)
            if found is None:
                found = cache[i] = self._lexical.scores(lexicon.entries[i].legal)
            total = total + found
        return total if mask is None else total * mask  # BM25 with a weight mask is the masked scores

    def expansion(self, query: str) -> dict[str, float]:
        """Legal terms the query's everyday words stand for (开除 → 解除), with weights, none already in it."""
        words = self._lexical.tokenizer.tokenize(query)
        out: dict[str, float] = {}
        for w in words:
            for t, x in self._rk()["terms"].get(w, ()):
                if t not in words:
                    out[t] = max(out.get(t, 0.0), x)
        return out

    def _lexical_ranking(self, query: str, n: int, mask: np.ndarray | None) -> list[int]:
        """BM25 positions for the query, plus its expansion terms scored together at `expansion_weight`."""
        return self._best(self._lexical_scores(query, mask), n)

    def _lexical_scores(self, query: str, mask: np.ndarray | None) -> np.ndarray:
        """BM25 score of every entry (0 outside the mask), expansion terms included."""
        scores = self._lexical.scores(query, mask)
        expansion = self.expansion(query) if self._rk()["terms"] else {}
        if expansion:  # one BM25 pass for all terms: the per-term weights only chose them
            scores = scores + self.retrieval.expansion_weight * self._lexical.token_scores(
                list(expansion), mask
            )
        return scores

    def _best(self, scores: np.ndarray, n: int) -> list[int]:
        """Positions of the n best scores above 0, best first."""
        n = min(n, len(scores))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        ids = self._lexical.ids
        if self._held().ids_are_positions(ids):
            return [i for i in top.tolist() if scores[i] > 0]
        return [self._pos[ids[i]] for i in top if scores[i] > 0]

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
        if self._rk()["memory"] is None or self.retrieval.law_prior_weight <= 0:
            return {}
        near = self._rk()["memory"].nearest(self._query_vector(query), self.retrieval.memory_neighbours)
        total = sum(max(sim, 0.0) for _, sim in near) or 1.0
        prior: dict[str, float] = {}
        for row, sim in near:
            for law in self._rk()["memory_laws"][row]:
                prior[law] = prior.get(law, 0.0) + max(sim, 0.0) / total
        return prior

    def _remembered(
        self, query: str, scope: tuple[str, ...], mask: np.ndarray | None
    ) -> tuple[list[int], float]:
        """Articles cited by the remembered questions nearest the query, by summed similarity; and the
        nearest one's similarity."""
        assert self._rk()["memory"] is not None
        votes: dict[int, float] = {}
        collections = self._held().catalogue.col("collection")
        near = self._rk()["memory"].nearest(self._query_vector(query), self.retrieval.memory_neighbours)
        for row, sim in near:
            for j in self._rk()["memory_positions"][row]:
                if collections[j] in scope and (mask is None or mask[j]):
                    votes[j] = votes.get(j, 0.0) + sim
        return sorted(votes, key=lambda j: -votes[j]), (near[0][1] if near else 0.0)

    def _banked(self, query: str, scope: tuple[str, ...], mask: np.ndarray | None) -> tuple[list[int], float]:
        """Articles the bank questions nearest the query were written for, by summed similarity (an `also`
        article by its share); and the nearest question's similarity."""
        bank, targets, lexical = self._bank()
        if bank is None:
            return [], 0.0
        r = self.retrieval
        near = bank.nearest(self._query_vector(query), r.bank_neighbours)
        voters = [(row, max(sim, 0.0)) for row, sim in near]
        if r.bank_lexical_weight > 0:
            # the bank questions sharing most words with the query, by their share of the best one's BM25
            scores = lexical.scores(query)
            best = float(scores.max()) if len(scores) else 0.0
            if best > 0:
                top = np.argsort(-scores, kind="stable")[: r.bank_neighbours]
                voters += [(int(row), r.bank_lexical_weight * float(scores[row]) / best) for row in top]
        votes: dict[int, float] = {}
        collections = self._held().catalogue.col("collection")
        for row, weight in voters:
            for j, share in targets[row]:
                if collections[j] in scope and (mask is None or mask[j]):
                    votes[j] = votes.get(j, 0.0) + share * weight
        return sorted(votes, key=lambda j: -votes[j]), (near[0][1] if near else 0.0)

    @_holding
    def bank_lead(self, query: str) -> tuple[tuple[str, int, int], float] | None:
        """(law id, number, suffix) of the article the nearest bank question was written for, and that
        question's similarity, when it is at least retrieval.bank_lead_similarity alike: a near restatement
        of a question the bank answers is answered by that article (on the development suites the nearest
        question's article was right for 17 of the 18 questions whose nearest was ≥ .9 alike)."""
        r = self.retrieval
        if r.bank_weight <= 0 or not r.question_bank or r.bank_lead_similarity > 1:
            return None
        bank, targets, _ = self._bank()
        if bank is None:
            return None
        near = bank.nearest(self._query_vector(query), 1)
        if not near or near[0][1] < r.bank_lead_similarity:
            return None
        row, sim = near[0]
        first = next((j for j, share in targets[row] if share >= 1.0), None)
        if first is None:
            return None
        rec = self._entries[first]["record"]
        return (
            str(rec.get("law_id", "")),
            int(rec.get("number", 0) or 0),
            int(rec.get("suffix", 0) or 0),
        ), sim

    @_holding
    def classifier_lead(self, query: str) -> tuple[tuple[str, int, int], float] | None:
        """(law id, number, suffix) of the article the bank's classifier finds most likely for the query, and
        its probability, when that is at least retrieval.classifier_lead_probability."""
        r = self.retrieval
        if r.classifier_weight <= 0 or not r.question_bank or r.classifier_lead_probability > 1:
            return None
        classifier, positions = self._classifier()
        if classifier is None:
            return None
        labels, confidence = classifier.ranked(query, self._lexical.tokenizer.tokenize, 1)
        if not labels or confidence < r.classifier_lead_probability or labels[0] not in positions:
            return None
        law, number, suffix = labels[0].rsplit("|", 2)
        return (law, int(number), int(suffix)), confidence

    def _bank(self) -> tuple[QuestionMemory | None, list[list[tuple[int, float]]], LexicalIndex]:
        """The question bank (retrieval.question_bank) encoded by the index's model, with the positions of
        each question's articles; questions none of whose articles the index holds are left out."""
        return self._ranking_part("bank", self._load_bank)

    def _ranking_part(self, name: str, make: Callable[[], Any]) -> Any:
        """A part of the ranking state made once per generation, on first use, under the ranking lock."""
        rk = self._rk()
        if name not in rk:
            with self._ranking_lock:
                if name not in rk:
                    rk[name] = make()
        return rk[name]

    def _bank_targets(self) -> tuple[list[str], list[list[tuple[int, float]]]]:
        """The bank's questions whose articles the index holds, with those articles' positions and shares; read
        once per generation for both the bank's vote and its classifier."""
        return self._ranking_part("bank_targets", self._read_bank_targets)

    def _read_bank_targets(self) -> tuple[list[str], list[list[tuple[int, float]]]]:
        positions: dict[str, int | None] = {}
        texts, targets = [], []
        for q in bank_questions(read_bank(self.retrieval.question_bank)):
            found = []
            for cite, share in q.targets:
                if cite not in positions:
                    named = self._citation_positions(parse_citations(cite))
                    positions[cite] = named[0] if named else None
                at = positions[cite]
                if at is not None:
                    found.append((at, share))
            if found:
                texts.append(q.text)
                targets.append(found)
        return texts, targets

    def _load_bank(self) -> tuple[QuestionMemory | None, list[list[tuple[int, float]]], LexicalIndex]:
        texts, targets = self._bank_targets()
        if not texts:
            return None, [], LexicalIndex()
        lexical = LexicalIndex(self._lexical.tokenizer).build([str(i) for i in range(len(texts))], texts)
        return QuestionMemory(self._bank_vectors(texts), [[] for _ in texts]), targets, lexical

    def _bank_vectors(self, texts: list[str]) -> np.ndarray:
        """The bank questions' unit vectors, kept in the index's cache under a hash of the questions, the model
        and the index build (a hub model takes a minute to encode them; the legal model half a second)."""
        # the model by its settings and the build that used it: a rebuilt index may come with a retrained model
        model = json.dumps(self.manifest["embedding"], sort_keys=True, ensure_ascii=False)
        key = bank_key([*texts, model, str(self.manifest.get("build_id", ""))])
        cache = mf.index_dir(self.data_dir) / CACHE_DIR / f"bank-{key}.npy"
        try:
            vectors = np.load(cache)
            if vectors.shape[0] == len(texts):
                return vectors.astype(np.float32)
        except (OSError, ValueError):
            pass
        vectors = np.asarray(self._query_embedder().encode(texts), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp.npy")
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(tmp, vectors.astype(np.float16))
            os.replace(tmp, cache)
            for old in cache.parent.glob("bank-*.npy"):
                if old != cache:
                    old.unlink(missing_ok=True)
        except OSError as e:  # a read-only data dir searches without the cache
            log.info("the question bank cache %s cannot be written (%s)", cache, e)
            tmp.unlink(missing_ok=True)
        return vectors

    def _classified(
        self, query: str, scope: tuple[str, ...], mask: np.ndarray | None
    ) -> tuple[list[int], float]:
        """Articles ranked by the classifier trained on the question bank (retrieval.article_classifier), and
        its best article's probability; nothing when there is no bank to train it on."""
        classifier, positions = self._classifier()
        if classifier is None:
            return [], 0.0
        labels, confidence = classifier.ranked(
            query, self._lexical.tokenizer.tokenize, self.retrieval.classifier_candidates
        )
        collections = self._held().catalogue.col("collection")
        found = [
            i
            for label in labels
            if (i := positions.get(label)) is not None
            and collections[i] in scope
            and (mask is None or mask[i])
        ]
        return found, confidence

    def _classifier(self) -> tuple[ArticleClassifier | None, dict[str, int]]:
        """The classifier and the entry position of each of its labels, trained on first use or read from the
        index's cache (kept under a hash of the bank's questions, their articles and the training settings)."""
        return self._ranking_part("classifier", self._load_classifier)

    def prepare(self) -> None:
        """Read or train now what the first searches would otherwise wait for: the lexicons' patterns, the
        bank and its classifier."""
        lexicon = self._rk()["lexicon"]
        if lexicon is not None:
            lexicon.compile_all()
        if self.retrieval.question_bank and (
            self.retrieval.bank_weight > 0 or self.retrieval.classifier_weight > 0
        ):
            self._bank()
            self._classifier()

    def _load_classifier(self) -> tuple[ArticleClassifier | None, dict[str, int]]:
        r = self.retrieval
        if r.classifier_weight <= 0 or not r.question_bank:
            return None, {}
        cat = self._held().catalogue
        laws, numbers, suffixes = cat.col("law_id"), cat.col("number"), cat.col("suffix")
        texts, labels = [], []
        for text, found in zip(*self._bank_targets(), strict=True):
            for at, share in found:
                if share >= 1.0:  # the article a lawyer cites first, not an `also`
                    texts.append(text)
                    labels.append(f"{laws[at]}|{numbers[at]}|{suffixes[at]}")
        if len(set(labels)) < 2:  # one article is no choice: its probability would always be 1
            return None, {}
        more_texts, more_labels = self._classifier_examples(set(labels))
        texts, labels = texts + more_texts, labels + more_labels
        key = bank_key(
            [
                *texts,
                *labels,
                f"{CLASSIFIER_VERSION} {r.classifier_dim} {r.classifier_epochs} {r.classifier_members}",
            ]
        )
        cache = mf.index_dir(self.data_dir) / CACHE_DIR / f"classifier-{key}.npz"
        classifier = None
        if cache.is_file():
            try:
                classifier = ArticleClassifier.load(cache)
            except (OSError, ValueError, KeyError) as e:
                log.warning("the classifier cache %s is unreadable (%s): training it again", cache, e)
        if classifier is None:
            start = time.perf_counter()
            tokenize = self._lexical.tokenizer.tokenize
            classifier = ArticleClassifier.train(
                texts,
                labels,
                tokenize,
                dim=r.classifier_dim,
                epochs=r.classifier_epochs,
                members=r.classifier_members,
            )
            log.info(
                "trained the question classifier on %d questions in %.1f s",
                len(texts),
                time.perf_counter() - start,
            )
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                classifier.save(cache)
                for old in cache.parent.glob("classifier-*.npz"):
                    if old != cache:
                        old.unlink(missing_ok=True)
            except OSError as e:  # a read-only data dir trains it in each process
                log.info("the classifier cache %s cannot be written (%s)", cache, e)
        positions: dict[str, int] = {}
        for label in map(str, classifier.classes):
            law, number, suffix = label.rsplit("|", 2)
            picked = self._pick_version(self._by_article.get((law, int(number), int(suffix)), []), None)
            if picked is not None:
                positions[label] = picked
        return classifier, positions

    def _classifier_examples(self, labels: set[str]) -> tuple[list[str], list[str]]:
        """More examples of the bank's articles (labels "law id|number|suffix") than its questions: each
        lexicon entry's everyday words, for the first article its source names, and each article's own text.
        They taught it the words that tell one article from another where the bank's few questions per
        article did not (stop 22: a tenth of the bank's questions, left out of training, had their article
        first for .222 of them without these, .330 with them)."""
        texts, out = [], []
        lexicon = self._rk()["lexicon"]
        for i, entry in enumerate(lexicon.entries if lexicon is not None else ()):
            articles = self._entry_articles(lexicon, i)
            label = "|".join(map(str, articles[0])) if articles else ""
            if label in labels:
                texts.append(" ".join(literal_text(w) for w in entry.words))
                out.append(label)
        for label in sorted(labels):
            law, number, suffix = label.rsplit("|", 2)
            at = self._pick_version(self._by_article.get((law, int(number), int(suffix)), []), None)
            text = self.entries[at]["record"].get("text", "") if at is not None else ""
            if text:
                texts.append(text)
                out.append(label)
        return texts, out

    def named_laws(self, query: str) -> set[str]:
        """Law ids the query names (著作权法, 《劳动合同法》); a name inside a longer named one does not count
        (合同法 in 劳动合同法). Names end in 法/例/定/则 …: only the stretches ending there are looked up."""
        found: list[tuple[int, int, str]] = []  # (start, end, law id)
        for end in range(1, len(query) + 1):
            if query[end - 1] not in _NAME_LAST_CHARS:
                continue
            for start in range(max(0, end - self._rk()["longest_law_name"]), end - 1):
                law_id = self._rk()["law_name_ids"].get(query[start:end])
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
        cat = self._held().catalogue  # columns first: only current articles' texts are parsed
        types, current, kinds = cat.col("record_type"), cat.col("current"), cat.col("kind")
        found = [
            i
            for i, _ in hybrid[:VERBATIM_CANDIDATES]
            if types[i] == "article" and current[i] and core in flat_text(self._entries[i]["record"]["text"])
        ]
        found.sort(key=lambda i: KIND_PRIORITY.get(kinds[i], 9))
        return [(i, PHRASE_SCORE, "phrase") for i in found]

    def _phrase_index(self) -> PhraseIndex:
        """Built at the first quoted phrase (about 3 s), so that opening the searcher does not pay for it."""
        if self._rk()["phrases"] is None:
            entries = self._entries
            current = [
                i
                for i, e in enumerate(entries)
                if e["record_type"] == "article" and e["record"].get("current", True)
            ]
            self._rk()["phrases"] = PhraseIndex(current, [entries[i]["record"]["text"] for i in current])
        return self._rk()["phrases"]

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
        cat = self._held().catalogue  # columns: no record is parsed to rank the candidates
        laws, kinds, numbers, suffixes = (
            cat.col("law_id"),
            cat.col("kind"),
            cat.col("number"),
            cat.col("suffix"),
        )
        applies = self._repeals[1]
        outside = self._outside
        titles = cat.col("law_title") if applies or outside else None
        rescored = []
        for i, score in hybrid:
            law = laws[i]
            if titles is not None and titles[i] in applies and law not in named:
                continue  # it applies a repealed law (retrieval.repeals): cited only when asked for by name
            if titles is not None and titles[i] in outside and law not in named:
                continue  # repealed by a decision the corpus lacks (retrieval/repeals_outside.toml): likewise
            score *= 1.0 + r.law_prior_weight * prior.get(law, 0.0)
            if named and law in named:
                # the kind factor does not hold against a document the question names (工伤保险条例)
                score *= r.named_law_factor / (r.kind_factors.get(kinds[i], 1.0) or 1.0)
            elif cited_numbers and law and (numbers[i], suffixes[i]) in cited_numbers:
                continue  # 公司法第二百六十四条 answers no question about 刑法第二百六十四条
            rescored.append((i, score))
        rescored.sort(key=lambda t: -t[1])
        out: list[tuple[int, float, str]] = []
        phrase = [
            i
            for i in self._phrase_positions(query)
            if self._entries[i]["collection"] in scope and keep(self._entries[i]["metadata"])
        ]
        phrase.sort(key=lambda i: (-fused.get(i, 0.0), KIND_PRIORITY.get(kinds[i], 9)))
        out += [(i, PHRASE_SCORE, "phrase") for i in phrase]
        floor = rescored[0][1] * r.min_relative_score if rescored else 0.0
        out += [(i, score, "hybrid") for i, score in rescored if score >= floor]
        return out


def _ramp(value: float, low: float, high: float) -> float:
    """0 at or below `low`, 1 at or above `high`, linear between; 1 always when the range is empty."""
    if high <= low:
        return 1.0
    return min(1.0, max(0.0, (value - low) / (high - low)))
