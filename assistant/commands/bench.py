"""`legal-assistant bench …`: measured throughput and latency on this machine."""

from __future__ import annotations

import json
from typing import Any

import click


@click.group()
def bench() -> None:
    """Benchmarks: index build vs raw encoding, query latency, memory."""


@bench.command()
@click.option(
    "--sample", type=click.IntRange(1), help="Index only this many records, spread over the corpus."
)
@click.option("--laws-only", is_flag=True, help="Laws only, no cases.")
@click.option(
    "--law-dirs", multiple=True, help="Only these top folders of laws/ (comma-separated): 刑法,司法解释."
)
@click.option("--queries", "n_queries", default=200, show_default=True, help="Queries timed.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def retrieval(
    obj: Any, sample: int | None, laws_only: bool, law_dirs: tuple[str, ...], n_queries: int, as_json: bool
) -> None:
    """Build throughput beside raw encode throughput (same model, same texts), hybrid query p50/p95 over
    the data dir's index (the bench index when there is none), and peak memory."""
    from corpora.loader import CorpusError, resolve_corpus_root
    from retrieval.bench import run_retrieval_bench
    from retrieval.errors import RetrievalError
    from retrieval.rebuild import RebuildOptions, read_corpus

    s = obj.settings
    dirs = tuple(d.strip() for v in law_dirs for d in v.split(",") if d.strip()) or None
    try:
        corpus, vocabulary = read_corpus(
            resolve_corpus_root(s.corpus_dir, s.data_dir),
            RebuildOptions(law_dirs=dirs, laws_only=laws_only),
            progress=False,
        )
        figures = run_retrieval_bench(
            corpus.articles, corpus.cases, s.data_dir, s.embedding, s.vector_store, s.retrieval,
            sample=sample, n_queries=n_queries, vocabulary=vocabulary, progress=not as_json,
        )  # fmt: skip
    except (CorpusError, RetrievalError) as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    f = figures
    click.echo(f"model {f['model']} ({f['dimension']} d), {f['records']} records")
    click.echo(f"raw encode:  {f['raw_encode_per_s']:8.1f} records/s ({f['raw_encode_s']:.1f} s)")
    click.echo(
        f"index build: {f['build_per_s']:8.1f} records/s ({f['build_s']:.1f} s) = "
        f"{f['build_vs_encode']:.2f} × raw encode"
    )
    click.echo(
        f"hybrid query over the {f['query_index']} ({f['query_index_records']} records), "
        f"{f['query_queries']} queries: p50 {f['query_p50_ms']:.1f} ms, p95 {f['query_p95_ms']:.1f} ms"
    )
    click.echo(f"peak memory: {f['peak_rss_mb']:.0f} MB")


@bench.command()
@click.option(
    "--repeat", default=3, show_default=True, type=click.IntRange(1), help="Fresh processes per figure."
)
@click.option(
    "--serve/--no-serve", "with_serve", default=True, help="Also time `serve` until its page answers."
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def startup(obj: Any, repeat: int, with_serve: bool, as_json: bool) -> None:
    """Cold start over the data dir's index, in fresh processes, with PYTHONDONTWRITEBYTECODE=1 set and
    unset: `search` of a citation (刑法第二百六十四条), `search` of a question, and `serve` until its page
    answers. Wall time (median), CPU time and peak RSS of each."""
    from retrieval.bench import run_startup_bench
    from retrieval.errors import RetrievalError, user_message
    from retrieval.manifest import read_manifest

    s = obj.settings
    try:
        read_manifest(s.data_dir)
    except RetrievalError as e:
        raise click.ClickException(user_message(e)) from e
    rows = run_startup_bench(s.data_dir, repeat=repeat, serve=with_serve)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{'command':<16} {'PYTHONDONTWRITEBYTECODE':<24} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>12}"
        )
        for r in rows:
            click.echo(
                f"{r['command']:<16} {r['PYTHONDONTWRITEBYTECODE']:<24} {r['median_s']:7.2f} {r['cpu_s']:6.2f} "
                f"{r['peak_rss_mb']:12.0f}"
                + (f"  ({r['failed']} failed: {r['error']})" if r["failed"] else "")
            )
    if any(r["failed"] for r in rows):
        raise click.ClickException("some runs failed; see the table")
