"""The index operations behind the index page and `serve`, on the real pieces: corpora.loader,
retrieval.index and the Searcher the assistant answers from (shared, so an update is seen at once).

`DEFAULT_SCOPE` is what `serve` indexes on first start when there is no index yet: the laws and
interpretations the assistant's routes need — 刑法, 民法典, the IP laws (著作权法, 专利法, 商标法,
反不正当竞争法) and a few commercial laws, the criminal and IP judicial interpretations — and the
similar-case corpus (CAIL train): about 3,000 articles and 3,700 cases, which MiniLM embeds in a few
minutes on a CPU. `serve --full-index` indexes the whole corpus.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.services.index import CorpusScope, IndexService, ProgressFn
from assistant.settings import Settings
from corpora.workspace import FULL_SCOPE
from retrieval.rebuild import READ_ALL, RebuildOptions

log = logging.getLogger(__name__)

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
__all__ = ["DEFAULT_SCOPE", "FULL_SCOPE", "RetrievalIndexBackend", "build_initial_index", "index_exists"]


class RetrievalIndexBackend:
    """IndexBackend over retrieval.rebuild; `embedder` only for tests that index with a small model.

    `show_progress`: tqdm bars on stderr (the CLI; the index page tracks them too)."""

    def __init__(
        self, settings: Settings, searcher: Any = None, embedder: Any = None, show_progress: bool = True
    ) -> None:
        self.settings = settings
        self.searcher = searcher
        self.embedder = embedder
        self.show_progress = show_progress

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

    def status(self) -> dict[str, Any]:
        from retrieval.health import index_status

        s = self.settings
        return index_status(s.data_dir, s.embedding, s.vector_store)

    def prepare_model(self, base: Path | None, echo: Callable[[str], None]) -> None:
        """Train (or reuse) the legal embedding model when embedding.model is "auto", as `serve` does."""
        if self.embedder is not None:
            return
        from assistant.services.bootstrap import ensure_legal_model

        settings = self.settings.model_copy(update={"corpus_dir": base}) if base else self.settings
        ensure_legal_model(settings, echo=echo)

    def build(self, corpus_root: Path, progress: ProgressFn, options: RebuildOptions = READ_ALL) -> Any:
        return self._rebuild("build", corpus_root, progress, options)

    def update(self, corpus_root: Path, progress: ProgressFn, options: RebuildOptions = READ_ALL) -> Any:
        return self._rebuild("update", corpus_root, progress, options)

    def _rebuild(self, mode: Any, corpus_root: Path, progress: ProgressFn, options: RebuildOptions) -> Any:
        from retrieval.rebuild import rebuild

        s = self.settings
        progress(0.05, "解析语料")
        result = rebuild(
            mode, corpus_root, s.data_dir, s.embedding, s.vector_store, options,
            progress=self.show_progress, embedder=self.embedder,
            on_parsed=lambda _c: progress(0.3, "建立索引" if mode == "build" else "更新索引（只重新嵌入有变化的条文）"),
        )  # fmt: skip
        if self.searcher is not None:
            self.searcher.reload_if_changed()
        if mode == "build":  # an update keeps the bank's articles, and with them the cached classifier
            progress(0.95, "训练问题分类器")
            self._prepare_search()
        return result

    def _prepare_search(self) -> None:
        """Read the question bank and train its classifier now (about 2 minutes over the whole corpus, then kept
        in the index's cache), not in the first question's search. A failure here only leaves that to the search."""
        from retrieval.errors import RetrievalError
        from retrieval.search import Searcher

        r = self.settings.retrieval
        if not r.question_bank or (r.bank_weight <= 0 and r.classifier_weight <= 0):
            return
        s = self.settings
        try:
            if self.searcher is None:
                self.searcher = Searcher.open(
                    s.data_dir, s.embedding, s.vector_store, s.retrieval, embedder=self.embedder
                )
            self.searcher.prepare()
        except (RetrievalError, OSError, ValueError) as e:
            log.warning("the question bank's classifier was not prepared after the build: %s", e)


def index_exists(settings: Settings) -> bool:
    from retrieval.manifest import try_read_manifest

    return try_read_manifest(settings.data_dir, lazy_entries=True) is not None


def build_initial_index(
    settings: Settings,
    scope: CorpusScope = DEFAULT_SCOPE,
    embedder: Any = None,
    echo: Callable[[str], None] = print,
    base: Path | None = None,
) -> Any:
    """Build the index from scratch over `scope` of the corpus through the index service (training the
    legal model first when "auto" needs it); returns the BuildReport. `base`: a --corpus given."""
    service = IndexService(settings, RetrievalIndexBackend(settings, embedder=embedder), base=base)
    outcome = service.build(scope=scope, echo=echo)
    echo(f"索引范围（{scope.name}）：来自 {service.base_corpus()}")
    return outcome.result.report
