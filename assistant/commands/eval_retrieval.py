"""`legal-assistant eval retrieval`: statute retrieval scores of dense, lexical and hybrid search."""

from __future__ import annotations

import json

import click

SETS = ("cail_test", "lawyer_llama_heldout")
METHODS = ("dense", "dense_minilm", "lexical", "hybrid", "hybrid_minilm")


@click.command(name="retrieval")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object and nothing else.")
@click.option("--model", help="Model for 'dense' and 'hybrid' (default: the embedding.model setting).")
@click.option(
    "--set",
    "set_names",
    multiple=True,
    type=click.Choice(SETS),
    help="Evaluate only this set (repeatable; default both).",
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
    Methods: dense (the configured embedding model; with 'auto', the trained legal model),
    dense_minilm (the bundled MiniLM), lexical (jieba + BM25 as the index does), hybrid and
    hybrid_minilm (reciprocal-rank fusion of that dense ranking and the lexical one, with the
    retrieval settings' rrf_k, weights and candidates). Articles are embedded and indexed as
    the index does (law, number, heading, text).
    Multi-label queries: a query is a hit at k when ANY of its gold articles is in the top k;
    its reciprocal rank uses the rank of the FIRST gold article (0 when none is in the top 100).
    """
    from assistant.commands.finetune_retriever import fusion_from
    from finetune.retriever.data import RetrieverDataError, load_retriever_data
    from finetune.retriever.evaluate import FusionParams
    from finetune.retriever.pipeline import evaluate_methods, sentence_transformer_encoder
    from retrieval.embeddings import minilm_path, resolve_embedding_model
    from retrieval.errors import EmbeddingModelError

    settings = obj.settings
    log = (lambda _msg: None) if as_json else click.echo
    wanted = methods or METHODS
    try:
        dense_model = model or resolve_embedding_model(settings.embedding, settings.data_dir)
        encoders = {}
        e = settings.embedding
        if {"dense", "hybrid"} & set(wanted):
            log(f"dense model: {dense_model}")
            encoders["dense"] = sentence_transformer_encoder(dense_model, e.batch_size, e.max_chars)
        if {"dense_minilm", "hybrid_minilm"} & set(wanted):
            encoders["dense_minilm"] = sentence_transformer_encoder(minilm_path(), e.batch_size, e.max_chars)
        data = load_retriever_data(settings.corpus_dir, log=log)
        results = evaluate_methods(
            data, encoders, fusion_from(settings, FusionParams), wanted, set_names or SETS, log=log
        )
    except (RetrieverDataError, EmbeddingModelError) as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
        return
    for set_name, per_method in results.items():
        for method, m in per_method.items():
            click.echo(
                f"{set_name:22s} {method:14s} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  "
                f"R@10 {m['recall@10']:.3f}  MRR {m['mrr']:.3f}"
            )
