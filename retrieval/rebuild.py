"""THE corpus → index pipeline: a corpus folder → records → legal vocabulary → build or update.

Every road into the index (the CLI's `index` commands, the index page, `serve`'s first build) ends
here, through the index service, so they all index alike. The guards that keep a committed index
from being emptied by bad input live here too:
- a corpus that yields nothing is refused;
- removing more records than `removal_limit` needs `prune` (the CLI's `--prune`, the page's checkbox);
- a law file that fails to parse keeps its previous records, and the result names it;
- a narrowing option (`law_dirs`, `laws_only`) limits what is read again, never what is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpora.loader import Corpus, corpus_fingerprint, load_corpus
from corpora.records import ArticleRecord, CaseRecord
from corpora.report import ParseReport
from retrieval import manifest as mf
from retrieval.errors import RetrievalError
from retrieval.index import build_index, previous_words, update_index
from retrieval.reports import BuildReport, UpdateReport
from retrieval.settings import EmbeddingSettings, VectorStoreSettings

# Removals above max(PRUNE_MIN, PRUNE_FRACTION of the index) need confirmation: a law amended by
# deleting a few articles passes, a folder that lost half its laws does not.
PRUNE_MIN = 10
PRUNE_FRACTION = 0.05

Mode = Literal["build", "update"]


class EmptyCorpusError(RetrievalError):
    """The corpus gave no article and no case: indexing it would empty the index."""


def removal_limit(total: int) -> int:
    return max(PRUNE_MIN, int(total * PRUNE_FRACTION))


@dataclass(frozen=True)
class RebuildOptions:
    """What one build or update reads; none of these ever removes what it does not read."""

    law_dirs: tuple[str, ...] | None = None  # only these top folders of laws/
    laws_only: bool = False  # no cases
    prune: bool = False  # allow removals above removal_limit


READ_ALL = RebuildOptions()


@dataclass
class RebuildResult:
    mode: Mode
    root: Path
    parse: ParseReport
    report: BuildReport | UpdateReport
    failed: list[str] = field(default_factory=list)  # law files that did not parse
    kept_for_failed: int = 0  # records of those files kept from the previous index
    kept_unread: int = 0  # records outside a narrowing option, kept as they were

    @property
    def ok(self) -> bool:
        return not self.failed

    def warnings(self) -> list[str]:
        out = []
        if self.failed:
            files = "、".join(self.failed[:10]) + (
                f" 等 {len(self.failed)} 个" if len(self.failed) > 10 else ""
            )
            out.append(
                f"{len(self.failed)} 个法律文件无法解析，未更新，保留其原有的 {self.kept_for_failed} 条记录"
                f"（{len(self.failed)} law files could not be parsed; their previous records were kept）：{files}"
            )
        return out

    def summary(self) -> str:
        extra = (
            [f"kept {self.kept_unread} records outside the narrowed part unchanged"]
            if self.kept_unread
            else []
        )
        return "\n".join([self.report.summary(), *extra, *self.warnings()])

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "report": self.report.to_dict(),
            "failed": self.failed,
            "kept_for_failed": self.kept_for_failed,
            "kept_unread": self.kept_unread,
        }


def read_corpus(
    root: Path, options: RebuildOptions = READ_ALL, *, progress: bool = True
) -> tuple[Corpus, list[str]]:
    """The corpus at `root` parsed as `options` says, and its legal vocabulary: what an index is built
    from (the real one here, the benchmark's scratch one in retrieval.bench). A corpus that yields
    nothing is refused."""
    from corpora.vocabulary import legal_vocabulary

    corpus = load_corpus(
        root,
        cases=not options.laws_only,
        law_dirs=list(options.law_dirs) if options.law_dirs else None,
        progress=progress,
    )
    if not corpus.articles and not corpus.cases:
        raise EmptyCorpusError(
            f"the corpus {root} gave no articles and no cases ({corpus.report.files_seen} law files read, "
            f"{len(corpus.report.failures)} failed): nothing to index, and the index is left as it was"
        )
    return corpus, legal_vocabulary(corpus)


def rebuild(
    mode: Mode,
    root: Path,
    data_dir: Path,
    embedding: EmbeddingSettings,
    vector_store: VectorStoreSettings,
    options: RebuildOptions = READ_ALL,
    *,
    progress: bool = True,
    embedder: Any = None,
    on_parsed: Callable[[Corpus], None] | None = None,
) -> RebuildResult:
    """Parse the corpus at `root` and build (from scratch) or update the index of `data_dir` from it."""
    data_dir = Path(data_dir)
    corpus, vocabulary = read_corpus(root, options, progress=progress)
    if on_parsed is not None:
        on_parsed(corpus)
    failed = sorted({f.file for f in corpus.report.failures})
    old = mf.try_read_manifest(data_dir)
    narrowed = bool(options.law_dirs) or options.laws_only
    kept_failed, kept_unread = _carried(data_dir, old, corpus, options, set(failed))
    if narrowed and old is not None:  # the words of the laws not read this time stay in the dictionary
        vocabulary = sorted({*vocabulary, *previous_words(data_dir, old)})
    articles = [*corpus.articles, *(r for r in (*kept_failed, *kept_unread) if isinstance(r, ArticleRecord))]
    cases = [*corpus.cases, *(r for r in (*kept_failed, *kept_unread) if isinstance(r, CaseRecord))]
    limit = None if options.prune or old is None else removal_limit(len(old["entries"]))
    job = build_index if mode == "build" else update_index
    report = job(
        articles, cases, data_dir, embedding, vector_store, vocabulary, progress,
        corpus_fingerprint=corpus_fingerprint(root), embedder=embedder, max_removed=limit,
    )  # fmt: skip
    return RebuildResult(mode, Path(root), corpus.report, report, failed, len(kept_failed), len(kept_unread))


def _carried(
    data_dir: Path, old: dict[str, Any] | None, corpus: Corpus, options: RebuildOptions, failed: set[str]
) -> tuple[list[ArticleRecord | CaseRecord], list[ArticleRecord | CaseRecord]]:
    """Records of the committed index to keep: those of files that failed to parse, and those outside
    a narrowing option. Records the corpus gave again are never doubled."""
    if old is None or not (failed or options.law_dirs or options.laws_only):
        return [], []
    wanted_dirs = set(options.law_dirs or ())
    present = {a.record_id for a in corpus.articles} | {c.case_id for c in corpus.cases}
    for_failed: list[ArticleRecord | CaseRecord] = []
    unread: list[ArticleRecord | CaseRecord] = []
    for entry in _committed_records(data_dir, old):
        record: ArticleRecord | CaseRecord
        if entry["record_type"] == "case":
            record = CaseRecord.from_dict(entry["record"])
            if options.laws_only and record.case_id not in present:
                unread.append(record)
            continue
        record = ArticleRecord.from_dict(entry["record"])
        if record.record_id in present:
            continue
        parts = Path(record.source_file).parts
        if record.source_file in failed:
            for_failed.append(record)
        elif wanted_dirs and (len(parts) < 3 or parts[1] not in wanted_dirs):
            unread.append(record)
    return for_failed, unread


def _committed_records(data_dir: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    path = mf.generation_dir(data_dir, manifest["generation"]) / mf.RECORDS_FILE
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    except (OSError, ValueError) as e:
        raise RetrievalError(
            f"the records of the committed index ({path}) cannot be read ({e}), so the laws this run does "
            "not read could not be kept: run `legal-assistant index build` over the whole corpus first"
        ) from e
