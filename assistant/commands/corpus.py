"""`legal-assistant corpus fetch|report`: get the laws, and see what the parser makes of them."""

from __future__ import annotations

import json

import click

from corpora.fetch import DEFAULT_URL, FetchError, fetch_laws


@click.group()
def corpus() -> None:
    """The legal corpus: download it, and report how it parses."""


@corpus.command()
@click.option(
    "--url", default=DEFAULT_URL, show_default=True, help="Zip archive of the LawRefBook/Laws repository."
)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for the server.")
@click.pass_obj
def fetch(obj, url: str, timeout: float) -> None:
    """Download the LawRefBook/Laws archive into <data dir>/corpora/laws (Markdown law folders only)."""
    try:
        result = fetch_laws(obj.settings.data_dir, url, timeout=timeout)
    except FetchError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"{result.files} law files in {len(result.folders)} folders → {result.laws_dir}")
    click.echo(f"Use it with: legal-assistant --corpus {result.laws_dir.parent} …")


@corpus.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-cases", is_flag=True, help="Parse the laws only.")
@click.pass_obj
def report(obj, as_json: bool, no_cases: bool) -> None:
    """Parse the corpus and print documents, articles and cases per kind, and every failure."""
    from corpora.loader import CorpusError, load_corpus, resolve_corpus_root

    try:
        root = resolve_corpus_root(obj.settings.corpus_dir, obj.settings.data_dir)
        parsed = load_corpus(root, cases=not no_cases, progress=not as_json)
    except CorpusError as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps(parsed.report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"corpus: {root}")
        click.echo(parsed.report.to_text())
