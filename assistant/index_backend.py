"""The index operations behind the index page and `serve`, on the real pieces: corpora.loader,
retrieval.index and the Searcher the assistant answers from (shared, so an update is seen at once).

`DEFAULT_SCOPE` is what `serve` indexes on first start when there is no index yet: the laws and
interpretations the assistant's routes need — 刑法, 民法典, the IP laws (著作权法, 专利法, 商标法,
反不正当竞争法) and a few commercial laws, the criminal and IP judicial interpretations — and the
similar-case corpus (CAIL train): about 3,000 articles and 3,700 cases, which MiniLM embeds in a few
minutes on a CPU. `serve --full-index` indexes the whole corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.index_service import CorpusScope, IndexService, IndexServiceError, LawChange, ProgressFn
from assistant.settings import Settings

_INTERPRETATION_TOPICS = (
    "盗窃", "诈骗", "抢劫", "抢夺", "故意伤害", "危险驾驶", "醉酒", "交通肇事", "毒品", "贪污", "贿赂",
    "知识产权", "著作权", "专利", "商标", "商业秘密", "不正当竞争", "罪名", "量刑", "自首", "立功",
)  # fmt: skip
_CIVIL_COMMERCIAL = (
    "著作权法",
    "专利法",
    "商标法",
    "公司法(2023",
    "消费者权益保护法",
    "电子商务法",
    "合伙企业法",
)
DEFAULT_SCOPE = CorpusScope(
    laws=(
        "laws/刑法/*",
        "laws/民法典/*",
        *(f"laws/民法商法/{law}*" for law in _CIVIL_COMMERCIAL),
        "laws/经济法/反不正当竞争法*",
        *(f"laws/司法解释/*{topic}*" for topic in _INTERPRETATION_TOPICS),
    ),
    cases=("cases/cail2018/train.jsonl",),
    name="default",
)
FULL_SCOPE = CorpusScope(name="full")


class RetrievalIndexBackend:
    """IndexBackend over retrieval; `embedder` only for tests that index with a small model."""

    def __init__(self, settings: Settings, searcher: Any = None, embedder: Any = None) -> None:
        self.settings = settings
        self.searcher = searcher
        self.embedder = embedder

    def _stats(self) -> dict[str, Any]:
        if self.searcher is None:
            from retrieval.search import Searcher

            s = self.settings
            self.searcher = Searcher.open(
                s.data_dir, s.embedding, s.vector_store, s.retrieval, embedder=self.embedder
            )
        self.searcher.reload_if_changed()
        return dict(self.searcher.stats())

    def stats(self) -> list[dict[str, Any]]:
        return [
            {"law": s["law_title"], "kind": s["kind"], "articles": s["articles"], "versions": s["versions"]}
            for s in self._stats()["laws"]
        ]

    def kinds(self) -> dict[str, int]:
        return dict(self._stats()["kinds"])

    def manifest(self) -> dict[str, Any]:
        from retrieval.manifest import read_manifest

        m = read_manifest(self.settings.data_dir)
        shown = ("built_at", "updated_at", "counts", "corpus_fingerprint", "generation", "vocabulary_size")
        return {
            "embedding_model": m["embedding"]["model"],
            "dimension": m["embedding"]["dimension"],
            "records": len(m["entries"]),
            **{k: m.get(k) for k in shown},
            "vector_store": m.get("vector_store", {}).get("mode"),
        }

    def parse_law(self, data: bytes, rel_path: str) -> tuple[str, int]:
        from corpora.laws import category_of, decode_law_bytes, parse_law_text

        text, _warnings = decode_law_bytes(data)
        doc = parse_law_text(text, rel_path, category_of(rel_path))
        if doc.numbering == "whole":  # a titled text without 第X条 or 一、 is not in the corpus format
            raise ValueError("没有找到按“第X条”或“一、”编号的条文")
        return doc.title, len(doc.articles)

    def update(self, corpus_root: Path, progress: ProgressFn) -> list[LawChange]:
        from corpora.loader import corpus_fingerprint, load_corpus
        from retrieval.index import update_index

        s = self.settings
        progress(0.05, "解析语料")
        corpus = load_corpus(corpus_root, progress=True)
        progress(0.3, "更新索引（只重新嵌入有变化的条文）")
        report = update_index(
            corpus.articles, corpus.cases, s.data_dir, s.embedding, s.vector_store, progress=True,
            corpus_fingerprint=corpus_fingerprint(corpus_root), embedder=self.embedder,
        )  # fmt: skip
        if self.searcher is not None:
            self.searcher.reload_if_changed()
        return [
            LawChange(law, tuple(c.added), tuple(c.changed), tuple(c.removed))
            for law, c in sorted(report.laws.items())
        ]


def index_exists(settings: Settings) -> bool:
    from retrieval.manifest import try_read_manifest

    return try_read_manifest(settings.data_dir) is not None


def build_initial_index(
    settings: Settings,
    scope: CorpusScope = DEFAULT_SCOPE,
    embedder: Any = None,
    echo: Callable[[str], None] = print,
) -> Any:
    """Build the index from scratch over `scope` of the corpus (with tqdm progress); returns the BuildReport."""
    from corpora.loader import corpus_fingerprint, load_corpus
    from corpora.vocabulary import legal_vocabulary
    from retrieval.index import build_index

    if settings.corpus_dir is None:
        raise IndexServiceError(
            "没有语料目录：请用 --corpus DIR 指定（或先运行 `legal-assistant corpus fetch`）。"
        )
    service = IndexService(settings, RetrievalIndexBackend(settings, embedder=embedder))
    base = Path(settings.corpus_dir)
    started = time.perf_counter()
    view = service.build_view(base, scope)
    corpus = load_corpus(view, progress=True)
    echo(
        f"索引范围（{scope.name}）：{len(corpus.articles)} 条条文、{len(corpus.cases)} 个案例，来自 {base}；"
        f"解析用时 {time.perf_counter() - started:.1f} 秒"
    )
    report = build_index(
        corpus.articles, corpus.cases, settings.data_dir, settings.embedding, settings.vector_store,
        legal_vocabulary(corpus), progress=True, corpus_fingerprint=corpus_fingerprint(view), embedder=embedder,
    )  # fmt: skip
    service.save_state(base, scope)  # only now: a failed build must not redirect later updates
    return report
