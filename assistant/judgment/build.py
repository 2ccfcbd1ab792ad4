"""Build the charge ranker from the corpus, or load the copy cached in the data dir.

The ranker is fitted once per corpus, naming date and settings (about 15 s) and pickled to
`<data_dir>/models/charge-ranker/<key>.pkl`; the key hashes all three, so a changed corpus or
setting builds a new one. A data dir that cannot be written (a shared, read-only one) only costs
the rebuild.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.judgment.charge_docs import SPECIAL_PART, charge_units, interpretation_sentences
from assistant.judgment.ranker import ChargeRanker
from assistant.judgment.settings import ChargeRankerSettings
from corpora.records import CaseRecord

log = logging.getLogger(__name__)

CACHE_SUBDIR = Path("models") / "charge-ranker"
CACHE_VERSION = "7"  # bump when the fitted ranker changes shape or meaning (7: 款 the 1997 opinion names, where words tie)
# Settings read only when ranking: changing them needs no refit.
RANKING_ONLY = frozenset(
    {
        "rrf_k",
        "lexical_weight",
        "classifier_weight",
        "dense_weight",
        "everyday_weight",
        "everyday_full_chars",
        "candidates",
        "classifier_prior",
        "classifier_centred",
        "second_charge_ratio",
        "max_charges",
    }
)
# The labelled cases the classifier learns from: never a test split.
TRAINING_SOURCES = ("cail2018/train", "judge")


def training_cases(
    cases: Sequence[CaseRecord], sources: Sequence[str] = TRAINING_SOURCES
) -> list[CaseRecord]:
    return [c for c in cases if c.source in sources and c.charges and c.fact.strip()]


def fit_from_corpus(
    corpus_root: Path,
    settings: ChargeRankerSettings,
    charges_as_of: str | None = None,
    exclude_facts: Sequence[str] = (),
) -> ChargeRanker:
    """Load the 刑法, the interpretations, the charge map and the labelled cases, and fit."""
    from corpora.charges import load_charge_map
    from corpora.loader import load_corpus

    corpus = load_corpus(Path(corpus_root), law_dirs=["刑法", "司法解释"], cases=True)
    charge_map = load_charge_map(Path(corpus_root), as_of=charges_as_of)
    articles = [
        a
        for a in corpus.articles
        if a.law_id == "刑法" and a.current and a.numbering == "article" and a.number in SPECIAL_PART
    ]
    units = charge_units(articles, charge_map)
    interps = [a for a in corpus.articles if a.kind == "司法解释" and a.current]
    sentences = interpretation_sentences(
        interps, sorted({u.charge for u in units}), settings.interpretation_sentences
    )
    excluded = set(exclude_facts)
    cases = [c for c in training_cases(corpus.cases) if c.fact not in excluded]
    return ChargeRanker.fit(units, charge_map, cases, sentences, settings)


def cache_key(corpus_root: Path, settings: ChargeRankerSettings, charges_as_of: str | None) -> str:
    from corpora.loader import corpus_fingerprint

    payload = "\x1f".join(
        [
            CACHE_VERSION,
            corpus_fingerprint(Path(corpus_root)),
            settings.model_dump_json(),
            charges_as_of or "today",
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def load_or_fit(
    corpus_root: Path,
    data_dir: Path | None,
    settings: ChargeRankerSettings | None = None,
    charges_as_of: str | None = None,
) -> ChargeRanker:
    """The cached ranker for this corpus, naming date and settings, fitting it when missing. Each
    caller gets its own shallow copy, to attach its own embedder to."""
    settings = settings or ChargeRankerSettings()
    key = cache_key(corpus_root, settings, charges_as_of)
    if key in _FITTED:  # one fit per process and corpus (tests and several services share it)
        return copy.copy(_FITTED[key])
    ranker = _load_or_fit(corpus_root, data_dir, settings, charges_as_of, key)
    _FITTED[key] = ranker
    return copy.copy(ranker)


_FITTED: dict[str, ChargeRanker] = {}


def _load_or_fit(
    corpus_root: Path,
    data_dir: Path | None,
    settings: ChargeRankerSettings,
    charges_as_of: str | None,
    key: str,
) -> ChargeRanker:
    path = None
    if data_dir is not None:
        path = Path(data_dir) / CACHE_SUBDIR / f"{key}.pkl"
        if path.is_file():
            try:
                ranker = pickle.loads(path.read_bytes())
                if isinstance(ranker, ChargeRanker):
                    ranker.settings = settings
                    return ranker
            except Exception as e:  # a cache from another version: rebuild it
                log.warning("charge ranker cache %s unreadable (%s): rebuilding", path, e)
    ranker = fit_from_corpus(corpus_root, settings, charges_as_of)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(ranker, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        except OSError as e:
            log.info("charge ranker not cached (%s): it is rebuilt next time", e)
    return ranker


def ranker_for_service(
    corpus_root: Path, data_dir: Path | None, settings: ChargeRankerSettings | None, embedding: Any
) -> ChargeRanker:
    """The ranker as the served agent uses it: cached, with the legal embedder's vote where the index
    uses the legal model (the English MiniLM cannot read a 罪状), as `predict` does."""
    from retrieval.embeddings import load_embedder, minilm_path, resolve_embedding_model

    ranker = load_or_fit(Path(corpus_root), Path(data_dir) if data_dir else None, settings)
    if data_dir is not None and resolve_embedding_model(embedding, data_dir) != minilm_path():
        ranker.attach_embedder(load_embedder(embedding, data_dir))
    return ranker
