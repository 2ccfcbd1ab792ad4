"""`legal-assistant index build|update|status`: the Chroma + BM25 index over the corpus."""

from __future__ import annotations

import json
from typing import Any

import click


def _load(obj: Any, laws_only: bool, law_dirs: tuple[str, ...], quiet: bool) -> tuple[Any, Any, str]:
    from corpora.loader import CorpusError, corpus_fingerprint, load_corpus, resolve_corpus_root

    dirs = [d.strip() for value in law_dirs for d in value.split(",") if d.strip()] or None
    try:
        root = resolve_corpus_root(obj.settings.corpus_dir, obj.settings.data_dir)
        corpus = load_corpus(root, cases=not laws_only, law_dirs=dirs, progress=not quiet)
        fingerprint = corpus_fingerprint(root)
    except CorpusError as e:
        raise click.ClickException(str(e)) from e
    if not corpus.articles and not corpus.cases:
        raise click.ClickException(f"the corpus {root} gave no articles and no cases: nothing to index")
    return root, corpus, fingerprint


def _corpus_options(f: Any) -> Any:
    f = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")(f)
    f = click.option(
        "--law-dirs",
        multiple=True,
        help="Only these top folders of laws/ (comma-separated or repeated): 刑法,司法解释.",
    )(f)
    return click.option("--laws-only", is_flag=True, help="Index the laws only, not the cases.")(f)


def _vocabulary(corpus: Any) -> list[str]:
    from corpora.vocabulary import legal_vocabulary

    return legal_vocabulary(corpus)


@click.group()
def index() -> None:
    """Build, update and inspect the search index (Chroma + jieba/BM25) in the data folder."""


def _run(obj: Any, job: Any, laws_only: bool, law_dirs: tuple[str, ...], as_json: bool) -> None:
    """Parse the corpus, hand it to `job` (build_index or update_index), print its report."""
    from retrieval.errors import RetrievalError

    s = obj.settings
    root, corpus, fingerprint = _load(obj, laws_only, law_dirs, as_json)
    if not as_json:
        click.echo(f"corpus: {root}\n{corpus.report.to_text(max_failures=20)}")
    try:
        report = job(
            corpus.articles, corpus.cases, s.data_dir, s.embedding, s.vector_store, _vocabulary(corpus),
            progress=not as_json, corpus_fingerprint=fingerprint,
        )  # fmt: skip
    except RetrievalError as e:
        raise click.ClickException(str(e)) from e
    click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else report.summary())


@index.command()
@_corpus_options
@click.pass_obj
def build(obj: Any, laws_only: bool, law_dirs: tuple[str, ...], as_json: bool) -> None:
    """Parse the corpus and index everything from scratch (the old index answers until it is done)."""
    from retrieval.index import build_index

    _run(obj, build_index, laws_only, law_dirs, as_json)


@index.command()
@_corpus_options
@click.pass_obj
def update(obj: Any, laws_only: bool, law_dirs: tuple[str, ...], as_json: bool) -> None:
    """Re-index only what changed in the corpus: report per law the articles added, changed, removed."""
    from retrieval.index import update_index

    _run(obj, update_index, laws_only, law_dirs, as_json)


@index.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status(obj: Any, as_json: bool) -> None:
    """What is indexed: model, counts, build time, corpus fingerprint, and any problem."""
    from retrieval.index import index_status

    info = index_status(obj.settings.data_dir, obj.settings.corpus_dir)
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
    elif not info["exists"]:
        click.echo(f"no usable index in {info['index_dir']}: {info['problem']}")
    else:
        emb = info["embedding"]
        click.echo(f"index: {info['index_dir']} ({info['vector_store']['mode']} Chroma)")
        click.echo(f"model: {emb['model']} ({emb['dimension']} d)")
        click.echo(
            f"records: {info['records']} in {info['laws']} laws/sources: "
            + ", ".join(f"{k} {v}" for k, v in info["counts"].items())
        )
        click.echo(
            f"built: {info['built_at']}; updated: {info['updated_at']}; corpus: {info['corpus_fingerprint']}"
        )
        if info.get("coverage"):
            from retrieval.catalog import coverage_lines

            click.echo("\n".join(coverage_lines(info["coverage"])))
    if info["problem"]:
        raise click.ClickException(info["problem"])
