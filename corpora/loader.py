"""Load a whole corpus folder (laws/ and cases/) into records, with a parse report.

One bad file never stops a build: it is recorded in the report with its reason and line.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpora.cases import load_cail, load_judgments
from corpora.fetch import fetched_corpus_dir
from corpora.laws import LawDocument, LawParseError, parse_law_file, resolve_versions
from corpora.records import ArticleRecord, CaseRecord
from corpora.report import ParseReport

CRIMINAL_LAW = "刑法"
SPECIAL_PART = range(102, 452)  # 刑法分则: 第一百零二条 … 第四百五十一条

# Files in laws/ that are site scaffolding, not law texts.
NON_LAW_FILES = {"_index.md", "SOURCE.md", "README.md"}


class CorpusError(RuntimeError):
    """The corpus folder cannot be used at all (missing, unreadable, empty); the message says why."""


@dataclass
class Corpus:
    root: Path
    documents: list[LawDocument] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)  # every version; see .current
    cases: list[CaseRecord] = field(default_factory=list)
    report: ParseReport = field(default_factory=ParseReport)
    _by_key: dict[tuple[str, int, int], ArticleRecord] | None = field(default=None, init=False, repr=False)

    def current_articles(self) -> list[ArticleRecord]:
        return [a for a in self.articles if a.current]

    def law_documents(self, law_id: str) -> list[LawDocument]:
        return [d for d in self.documents if d.law_id == law_id]

    def article(self, law_id: str, number: int, suffix: int = 0) -> ArticleRecord | None:
        """The current article of a law by number: ('刑法', 264) → 第二百六十四条."""
        if self._by_key is None:  # built once: callers look up many citations
            self._by_key = {
                (a.law_id, a.number, a.suffix): a
                for a in self.articles
                if a.current and a.numbering == "article"
            }
        return self._by_key.get((law_id, number, suffix))


def _check_root(root: Path) -> None:
    if not root.exists():
        raise CorpusError(
            f"corpus folder not found: {root} (give another with --corpus DIR, or run `corpus fetch`)"
        )
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise CorpusError(f"no permission to read the corpus folder: {root}")


def resolve_corpus_root(corpus_dir: Path | None, data_dir: Path) -> Path:
    """The corpus to use: the configured one (--corpus, default ../shared/corpora where it exists),
    else the one `corpus fetch` downloaded into the data folder."""
    if corpus_dir is not None:
        return Path(corpus_dir).expanduser()
    fetched = fetched_corpus_dir(data_dir)
    if fetched.is_dir():
        return fetched
    raise CorpusError(
        "no corpus: give one with --corpus DIR, or download the laws with `legal-assistant corpus fetch`"
    )


def laws_dir_of(root: Path) -> Path | None:
    """root/laws, or root itself when it is a laws folder (folders of .md files)."""
    if (root / "laws").is_dir():
        return root / "laws"
    try:
        if any(root.glob("*/*.md")):
            return root
    except PermissionError as e:
        raise CorpusError(f"no permission to read the corpus folder: {root}") from e
    return None


def iter_law_files(laws_dir: Path, law_dirs: Iterable[str] | None = None) -> Iterator[Path]:
    """Law Markdown files in a stable order, skipping scaffolding; `law_dirs` limits top folders."""
    wanted = set(law_dirs) if law_dirs is not None else None
    for path in sorted(laws_dir.rglob("*.md")):
        if path.name in NON_LAW_FILES:
            continue
        rel = path.relative_to(laws_dir).parts
        if wanted is not None and (len(rel) < 2 or rel[0] not in wanted):
            continue
        yield path


def load_laws(
    root: Path, report: ParseReport, law_dirs: list[str] | None = None, progress: bool = False
) -> list[LawDocument]:
    laws_dir = laws_dir_of(root)
    if laws_dir is None:
        return []
    if law_dirs is not None:
        missing = [d for d in law_dirs if not (laws_dir / d).is_dir()]
        if missing:
            raise CorpusError(f"no such folder in {laws_dir}: {', '.join(missing)}")
    files = list(iter_law_files(laws_dir, law_dirs))
    if progress:
        from tqdm import tqdm

        files = tqdm(files, desc="parsing laws", unit="file")
    docs: list[LawDocument] = []
    for path in files:
        report.files_seen += 1
        try:
            docs.append(parse_law_file(path, root))
        except LawParseError as e:
            report.fail(e.file or str(path), e.reason, e.line)
        except (OSError, ValueError) as e:  # never let one file stop the build
            report.fail(str(path.relative_to(root)), f"{type(e).__name__}: {e}")
    return docs


def load_cases(root: Path, report: ParseReport) -> list[CaseRecord]:
    cases_dir = root / "cases"
    out: list[CaseRecord] = []
    for path in sorted((cases_dir / "cail2018").glob("*.jsonl")):
        out += load_cail(path, f"cail2018/{path.stem}", report=report, corpus_root=root)
    judgments = cases_dir / "judge" / "judgments.jsonl"
    if judgments.is_file():
        out += load_judgments(judgments, report=report, corpus_root=root)
    for case in out:
        report.cases_per_source[case.source] += 1
    return out


def _summarise(docs: list[LawDocument], kept: list[LawDocument], report: ParseReport) -> None:
    kept_ids = {id(d) for d in kept}
    report.duplicate_copies = [d.source_file for d in docs if id(d) not in kept_ids]
    versions: dict[str, set[str]] = {}
    for doc in kept:
        report.documents_per_kind[doc.kind] += 1
        report.numbering[doc.numbering] += 1
        report.articles_per_kind[doc.kind] += len(doc.articles)
        report.current_articles_per_kind[doc.kind] += sum(a.current for a in doc.articles)
        versions.setdefault(doc.law_id, set()).add(doc.version)
        for w in doc.warnings:
            report.warn(doc.source_file, w)
    report.laws_with_versions = {k: sorted(v) for k, v in versions.items() if len(v) > 1}


def _name_charges(root: Path, documents: list[LawDocument]) -> None:
    """Give each 刑法 分则 article the charges it defines (today's names, every version alike, so a
    rename alone never reads as an amended article). Without the charge-name documents, none."""
    from dataclasses import replace

    from corpora.charges import ChargeMapError, load_charge_map

    criminal = [d for d in documents if d.law_id == CRIMINAL_LAW]
    if not criminal:
        return
    try:
        cmap = load_charge_map(root)
    except (ChargeMapError, OSError):
        return
    for doc in criminal:
        doc.articles = [
            replace(a, charges=tuple(cmap.charges_for(a.number, a.suffix)))
            if a.numbering == "article" and a.number in SPECIAL_PART
            else a
            for a in doc.articles
        ]


def load_corpus(
    root: Path,
    *,
    laws: bool = True,
    cases: bool = True,
    law_dirs: list[str] | None = None,
    progress: bool = False,
) -> Corpus:
    """Parse laws/ (all versions, current marked) and cases/ under `root` into records."""
    root = Path(root).expanduser()
    _check_root(root)
    if laws_dir_of(root) is None and not (root / "cases").is_dir():
        raise CorpusError(f"{root} holds no laws/ or cases/ folder: is it a corpus folder?")
    corpus = Corpus(root=root)
    report = corpus.report
    start = time.perf_counter()
    if laws:
        docs = load_laws(root, report, law_dirs, progress)
        corpus.documents = resolve_versions(docs)
        _name_charges(root, corpus.documents)
        corpus.articles = [a for d in corpus.documents for a in d.articles]
        _summarise(docs, corpus.documents, report)
        report.seconds["laws"] = time.perf_counter() - start
    if cases:
        t = time.perf_counter()
        corpus.cases = load_cases(root, report)
        report.seconds["cases"] = time.perf_counter() - t
    report.seconds["total"] = time.perf_counter() - start
    return corpus


def corpus_fingerprint(root: Path) -> str:
    """Hash of relative path, size and mtime of every law and case file: cheap change detection."""
    root = Path(root).expanduser()
    _check_root(root)
    h = hashlib.sha256()
    laws_dir = laws_dir_of(root)
    paths: list[Path] = []
    if laws_dir is not None:
        paths += list(iter_law_files(laws_dir))
    if (root / "cases").is_dir():
        paths += sorted((root / "cases").rglob("*.jsonl"))
    for path in paths:
        st = path.stat()
        h.update(f"{path.relative_to(root).as_posix()}\x1f{st.st_size}\x1f{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]
