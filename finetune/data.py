"""`finetune data build`: every training set from the corpus in one pass.

corpus (corpora.load_corpus) → samples per kind (knowledge, sentencing, adversarial, imports,
judgment context, contrastive) → drop empty / duplicate / over-long → held-out split by group →
alpaca + sharegpt + pretraining JSON, dataset_info.json, the JEC-QA held-out questions, summary.
With a searcher (an index), the RAG set too: the agent's own prompts over retrieved sources with
the gold present or held out (`finetune.rag`), and its held-out questions for `eval faithfulness`.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpora.loader import Corpus, load_corpus
from corpora.records import ArticleRecord, CaseRecord
from finetune.contrastive import contrastive_samples
from finetune.imports import jec_qa_samples, lawyer_llama_samples
from finetune.knowledge import case_conclusion, soft_reasoning, statute_samples
from finetune.masking import context_sample
from finetune.samples import BuildStats, Sample, export, filter_samples, split_of, summary_lines
from finetune.sentencing import sentencing_samples

log = logging.getLogger(__name__)
TRAIN_CASE_SOURCES = ("judge", "cail2018/train")  # cail2018/test stays out: it is the evaluation set


class DataBuildError(RuntimeError):
    """The build cannot run (no corpus, output folder in the way); the message says what to do."""


@dataclass(frozen=True)
class BuildOptions:
    corpus: Path
    output: Path
    limit: int | None = None  # at most this many articles and cases per source (a quick sample)
    valid_fraction: float = 0.02
    max_length: int = 2048
    tokenizer: str | None = None  # measure lengths in this tokenizer's tokens (else characters)
    law_dirs: list[str] | None = None
    overwrite: bool = False
    progress: bool = True
    searcher: Any = None  # an open retrieval.search.Searcher: the RAG set needs the index
    rag_per_origin: int = 400  # RAG questions per origin (CAIL, consultations, JEC-QA, articles)
    gold_absent_share: float = 0.2  # share of RAG samples whose gold articles are held out
    rag_max_length: int = 6144  # the RAG prompts carry up to ~10 sources of 600 characters
    seed: int = 0


def _length_fn(tokenizer: str | None) -> tuple[Callable[[str], int], str]:
    if not tokenizer:
        return len, "chars"
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tokenizer)
    return (lambda text: len(tok(text, add_special_tokens=False)["input_ids"])), "tokens"


def _spread(items: list, limit: int | None) -> list:
    """`limit` items spread evenly over the list (a sample of every law / source, not the first few)."""
    if not limit or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _criminal_law_lookups(corpus: Corpus) -> tuple[Callable[[int], str], Callable[[int], str]]:
    by_number: dict[int, ArticleRecord] = {}
    for a in corpus.articles:
        if a.current and a.law_id == "刑法" and a.numbering == "article" and not a.suffix:
            by_number[a.number] = a

    def text(n: int) -> str:
        a = by_number.get(n)
        return a.text if a else ""

    def chapter(n: int) -> str:
        a = by_number.get(n)
        return next((p for p in reversed(a.path) if "章" in p), "") if a else ""

    return text, chapter


def _generate(corpus: Corpus, opts: BuildOptions, stats: BuildStats) -> Iterator[Sample]:
    articles = _spread(corpus.current_articles(), opts.limit)
    for a in articles:
        yield from statute_samples(a)
    by_source: dict[str, list[CaseRecord]] = defaultdict(list)
    for c in corpus.cases:
        by_source[c.source].append(c)
    cases = [c for s in TRAIN_CASE_SOURCES for c in _spread(by_source.get(s, []), opts.limit)]
    text_of, chapter_of = _criminal_law_lookups(corpus)
    for c in cases:
        for s in (case_conclusion(c), soft_reasoning(c), context_sample(c)):
            if s is not None:
                yield s
    yield from sentencing_samples(cases, text_of)
    yield from contrastive_samples(cases, chapter_of)
    qa = corpus.root / "qa"
    if (qa / "lawyer_llama" / "data").is_dir():
        yield from lawyer_llama_samples(qa / "lawyer_llama" / "data", stats, opts.limit)
    if (qa / "jec_qa" / "0_train.json").is_file():
        yield from jec_qa_samples(qa / "jec_qa" / "0_train.json", stats, opts.limit)
    yield from _rag(corpus, opts, stats)


def _charge_ranker(root: Path, searcher: Any) -> Any:
    """The charge ranking the served agent uses, so the RAG prompts are the agent's own; None where
    the corpus cannot give one (the agent then ranks as the service would without it)."""
    from assistant.judgment.build import ranker_for_service
    from assistant.judgment.settings import ChargeRankerSettings

    try:
        return ranker_for_service(
            root,
            getattr(searcher, "data_dir", None),
            ChargeRankerSettings(),
            getattr(searcher, "embedding", None),
        )
    except Exception as e:  # no 刑法 in a partial corpus
        log.warning("RAG prompts without the charge ranking: %s", e)
        return None


def _charge_names(root: Path) -> Any:
    """The official charge names the served agent checks named charges against (None without them)."""
    from corpora.charges import ChargeMapError, load_charge_map

    try:
        return load_charge_map(root)
    except (ChargeMapError, OSError) as e:
        log.warning("RAG prompts without the charge names: %s", e)
        return None


def _rag(corpus: Corpus, opts: BuildOptions, stats: BuildStats) -> Iterator[Sample]:
    from finetune.rag import RagStats, rag_samples
    from finetune.rag_questions import gather

    if opts.searcher is None:
        stats.drop("rag", "no index to retrieve from (run `legal-assistant index build` first)")
        return
    per_origin = min(opts.rag_per_origin, opts.limit) if opts.limit else opts.rag_per_origin
    questions = gather(corpus, corpus.root, per_origin, opts.seed)
    rag_stats = RagStats()
    ranker = _charge_ranker(corpus.root, opts.searcher)
    yield from rag_samples(
        opts.searcher,
        questions,
        opts.gold_absent_share,
        opts.seed,
        rag_stats,
        charge_ranker=ranker,
        charge_map=_charge_names(corpus.root),
    )
    for reason, n in rag_stats.dropped.items():
        stats.drop("rag", reason, n)


def _progress(items: Iterable[Sample], enabled: bool) -> Iterable[Sample]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="building samples", unit=" samples", mininterval=1.0)


def build(opts: BuildOptions) -> BuildStats:
    """Build and write everything under opts.output; returns the statistics the summary prints."""
    out = Path(opts.output)
    if (out / "dataset_info.json").exists() and not opts.overwrite:
        raise DataBuildError(f"{out} already holds a built data set: pass --overwrite to replace it")
    start = time.perf_counter()
    try:
        corpus = load_corpus(Path(opts.corpus), law_dirs=opts.law_dirs, progress=opts.progress)
    except Exception as e:  # CorpusError and friends: one line for the user
        raise DataBuildError(f"cannot read the corpus at {opts.corpus}: {e}") from e
    if not corpus.articles and not corpus.cases:
        raise DataBuildError(f"{opts.corpus} holds no laws or cases to build from")
    stats = BuildStats()
    length, stats.length_unit = _length_fn(opts.tokenizer)
    by_kind_split: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    generated = _progress(_generate(corpus, opts, stats), opts.progress)
    for s in filter_samples(generated, stats, opts.max_length, length, {"rag": opts.rag_max_length}):
        split = split_of(s.group or s.source, opts.valid_fraction)
        by_kind_split[(s.kind, split)].append(s)
        stats.kept[f"{s.kind}/{split}"] += 1
    export(by_kind_split, out)
    _write_mcq(by_kind_split.get(("jec_qa", "valid"), []), out / "mcq" / "jec_qa.valid.json")
    if opts.searcher is not None:
        _write_rag_heldout(by_kind_split.get(("rag", "valid"), []), corpus, out / "rag" / "heldout.jsonl")
    stats.seconds = time.perf_counter() - start
    (out / "summary.json").write_text(
        json.dumps(
            {
                "kept": dict(stats.kept),
                "dropped": dict(stats.dropped),
                "seconds": round(stats.seconds, 1),
                "length_unit": stats.length_unit,
                "corpus": str(opts.corpus),
                "limit": opts.limit,
                "valid_fraction": opts.valid_fraction,
                "max_length": opts.max_length,
                "rag_per_origin": opts.rag_per_origin if opts.searcher is not None else 0,
                "gold_absent_share": opts.gold_absent_share,
                "rag_max_length": opts.rag_max_length,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return stats


def _write_rag_heldout(samples: list[Sample], corpus: Corpus, path: Path, n: int = 200) -> None:
    """Questions for `eval faithfulness`: the RAG set's held-out split, then held-out consultations
    and CAIL test facts (neither ever enters training), up to `n` in all."""
    from finetune.rag_questions import RagQuestion, heldout_questions, refs_of

    lines = [
        RagQuestion(
            s.meta["question"],
            tuple(g for label in s.meta["gold"] for g in refs_of(label)),
            s.meta["origin"],
            s.source,
        ).to_json()
        for s in samples
    ]
    lines += [q.to_json() for q in heldout_questions(corpus, corpus.root, max(0, n - len(lines)))]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines[:n]) + ("\n" if lines else ""), encoding="utf-8")


def _write_mcq(samples: list[Sample], path: Path) -> None:
    """The held-out JEC-QA questions in their own format, for `eval mcq --questions`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(s.meta["question"], ensure_ascii=False) for s in samples if "question" in s.meta]
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


__all__ = ["BuildOptions", "DataBuildError", "build", "summary_lines"]
