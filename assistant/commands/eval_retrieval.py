"""`legal-assistant eval retrieval`: statute retrieval scores of dense, lexical and hybrid search."""

from __future__ import annotations

import json
from typing import Any

import click

from retrieval.quality import SUITE_FILES

SETS = ("cail_test", "lawyer_llama_heldout")
INDEX_SETS = ("lawyer_llama_all", *SUITE_FILES, "phrases")  # the kept suites named once (retrieval.quality)
METHODS = ("dense", "dense_minilm", "lexical", "hybrid", "hybrid_minilm")


@click.command(name="retrieval")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object and nothing else.")
@click.option("--model", help="Model for 'dense' and 'hybrid' (default: the embedding.model setting).")
@click.option(
    "--set",
    "set_names",
    multiple=True,
    type=click.Choice(SETS + INDEX_SETS),
    help="Evaluate only this set (repeatable; default: cail_test and lawyer_llama_heldout, plus the index "
    "sets when the data dir holds an index).",
)
@click.option(
    "--method",
    "methods",
    multiple=True,
    type=click.Choice(METHODS),
    help="Evaluate only this method (repeatable; default all five).",
)
@click.pass_obj
def retrieval(
    obj, as_json: bool, model: str | None, set_names: tuple[str, ...], methods: tuple[str, ...]
) -> None:
    """Recall@1/5/10 and MRR of statute retrieval on held-out sets.

    \b
    Sets (never trained on):
      cail_test             CAIL2018 test facts → the 分则 articles they were judged under,
                            searched over every current 刑法 分则 article;
      lawyer_llama_heldout  held-out Lawyer-LLaMA consultations → the articles their answers
                            cite, searched over every current article of the laws cited
                            (all 1,260 articles of 民法典 on the shared corpus).
    Index sets (scored through `search` itself, over the index in the data dir, method 'search'):
      lawyer_llama_all      the held-out consultations over every current article of every law
                            and interpretation in the index (lawyer_llama_heldout above is
                            the 民法典-only view of the same questions);
      everyday              the kept question suite (tests/retrieval/questions/everyday.toml):
                            questions as people ask them → the articles a lawyer would cite
                            (the development suite);
      heldout               more such questions (tests/retrieval/questions/heldout.toml);
                            development data since stop 14, when its misses were read;
      heldout2              60 more (heldout2.toml), written from the law text by a lawyer who
                            saw no run; development data since stop 15, when its misses were read;
      heldout3              60 more (heldout3.toml), written the same way in stop 15;
                            development data since stop 16, when its misses were read;
      heldout4              72 more (heldout4.toml), written the same way in stop 16;
                            development data since stop 18, when its misses were read;
      heldout5              72 more (heldout5.toml), written the same way in stop 17;
                            development data since stop 28, when its misses were read;
      heldout6              72 more (heldout6.toml), written the same way in stop 18; likewise
                            read in stop 28;
      heldout7              72 more (heldout7.toml), written the same way in stop 19;
                            development data from the start;
      heldout8              72 more (heldout8.toml), written the same way in stop 19; read in
                            stop 28;
      heldout9              72 more (heldout9.toml), written the same way in stop 22; read in
                            stop 28;
      heldout10, heldout11  72 more each, written the same way in stop 23 (a Q&A forum's posts,
                            a legal-aid hotline's calls); development data since stop 23,
                            when their misses were read after one fresh run;
      heldout12, heldout13  72 more each, written the same way in stop 24 (a law firm's online
                            form, a community legal service desk); development data since
                            stop 24, when their misses were read after one fresh run;
      heldout14, heldout15  72 more each, written the same way in stop 25 (the 12348
                            hotline's calls, a Q&A forum's posts); development data since
                            stop 25, when their misses were read after one fresh run;
      heldout16, heldout17  72 more each, written the same way in stop 26 (WeChat messages to
                            a lawyer friend, a legal-help mini-program's search box);
                            development data since stop 27, when their misses were read;
      heldout18, heldout19  72 more each, written the same way in stop 27 (calls to the 12348
                            hotline typed out, a community Q&A forum's posts); development
                            data since stop 28, when their misses were read;
      heldout20, heldout21  72 more each, written the same way in stop 28 (WeChat voice
                            messages, a legal-aid centre's intake forms); development data
                            since, when their misses were read after one fresh run;
      heldout22, heldout23  72 more each, written the same way in stop 28 (a lawyer's
                            live-stream comments, a community adviser's consultation); never
                            read;
      phrases               300 seeded sentences (≥ 20 characters) of current articles: a hit is
                            an article containing the sentence (R@1: it came first).
    Methods: dense (the configured embedding model; with 'auto', the trained legal model),
    dense_minilm (the bundled MiniLM), lexical (jieba + BM25 as the index does), hybrid and
    hybrid_minilm (reciprocal-rank fusion of that dense ranking and the lexical one, with the
    retrieval settings' rrf_k, weights and candidates). Articles are embedded and indexed as
    the index does (law, number, heading, text).
    Multi-label queries: a query is a hit at k when ANY of its gold articles is in the top k;
    its reciprocal rank uses the rank of the FIRST gold article (0 when none is in the top 100).
    """
    from finetune.retriever.data import RetrieverDataError
    from retrieval.errors import EmbeddingModelError, RetrievalError
    from retrieval.quality import SuiteError

    settings = obj.settings
    log = (lambda _msg: None) if as_json else click.echo
    wanted = methods or METHODS
    chosen = set_names or SETS + INDEX_SETS
    index_sets = [n for n in chosen if n in INDEX_SETS]
    if index_sets and not set_names and not _has_index(settings.data_dir):
        log(
            f"no index in {settings.data_dir}: the index sets are skipped (run `legal-assistant index build`)"
        )
        index_sets = []
    results: dict = {}
    try:
        if any(n in SETS for n in chosen):
            results.update(_model_sets(settings, model, wanted, tuple(n for n in chosen if n in SETS), log))
        if index_sets:
            results.update(_index_sets(settings, index_sets, log))
    except (RetrieverDataError, EmbeddingModelError, RetrievalError, SuiteError) as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
        return
    for set_name, per_method in results.items():
        for method, m in per_method.items():
            click.echo(
                f"{set_name:24s} {method:14s} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  "
                f"R@10 {m['recall@10']:.3f}  MRR {m['mrr']:.3f}"
                + (f"  ({int(m['queries'])} queries)" if "queries" in m else "")
            )


def _has_index(data_dir) -> bool:
    from retrieval.manifest import try_read_manifest

    return try_read_manifest(data_dir) is not None


def _model_sets(settings, model, wanted, set_names, log) -> dict:
    """The sets scored on an in-memory index of their own documents (no index needed)."""
    from assistant.commands.finetune_retriever import fusion_from
    from finetune.retriever.data import load_retriever_data
    from finetune.retriever.evaluate import FusionParams
    from finetune.retriever.pipeline import evaluate_methods, sentence_transformer_encoder
    from retrieval.embeddings import minilm_path, resolve_embedding_model

    dense_model = model or resolve_embedding_model(settings.embedding, settings.data_dir)
    encoders = {}
    e = settings.embedding
    if {"dense", "hybrid"} & set(wanted):
        log(f"dense model: {dense_model}")
        encoders["dense"] = sentence_transformer_encoder(dense_model, e.batch_size, e.max_chars)
    if {"dense_minilm", "hybrid_minilm"} & set(wanted):
        encoders["dense_minilm"] = sentence_transformer_encoder(minilm_path(), e.batch_size, e.max_chars)
    data = load_retriever_data(settings.corpus_dir, log=log)
    return evaluate_methods(data, encoders, fusion_from(settings, FusionParams), wanted, set_names, log=log)


def _index_sets(settings, names, log) -> dict:
    """The sets scored through `search` over the index in the data dir."""
    from functools import partial
    from pathlib import Path

    from tqdm import tqdm

    from finetune.retriever.consultations import (
        ConsultationDataError,
        load_consultations,
        split_consultations,
    )
    from finetune.retriever.data import RetrieverDataError
    from retrieval import quality
    from retrieval.search import Searcher

    s = settings
    searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        if name.startswith("lawyer_llama"):
            if s.corpus_dir is None:
                raise RetrieverDataError("no corpus folder for the consultations: give one with --corpus DIR")
            try:
                _, heldout = split_consultations(load_consultations(Path(s.corpus_dir)))
            except ConsultationDataError as e:
                raise RetrieverDataError(str(e)) from e
            questions, where = quality.consultation_questions(searcher, heldout), quality.ARTICLES_ONLY
        elif name in quality.SUITE_FILES:
            path = quality.SUITE_FILES[name]
            questions, where = quality.load_suite(searcher, path), quality.ARTICLES_ONLY
        else:
            questions, where = quality.phrase_questions(searcher), quality.ARTICLES_ONLY
        log(f"{name}: {len(questions)} queries through search")
        scores = quality.score(searcher, name, questions, where, progress=partial(tqdm, desc=name))
        metrics: dict[str, Any] = {**scores.metrics()}
        if name in quality.SUITE_FILES:
            metrics["by_area"] = scores.by_area()
        out[name] = {"search": metrics}
    return out
