"""`legal-assistant search "…"`: hybrid search over the index, citations first."""

from __future__ import annotations

import json
from typing import Any

import click


@click.command()
@click.argument("query")
@click.option(
    "--kind", type=click.Choice(["statutes", "interpretations", "cases"]), help="Search one collection."
)
@click.option("-k", "k", type=click.IntRange(1, 100), help="Number of hits (default retrieval.k).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list, best first.")
@click.pass_obj
def search(obj: Any, query: str, kind: str | None, k: int | None, as_json: bool) -> None:
    """Search statutes, interpretations and cases: 刑法第二百六十四条, 刑法264条 or a question."""
    from retrieval.errors import RetrievalError
    from retrieval.search import Searcher, check_query

    s = obj.settings
    try:
        check_query(query, s.retrieval)
        searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)
        hits = searcher.search(query, kind=kind, k=k)
    except RetrievalError as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        fields = (
            "citation",
            "law_title",
            "law_id",
            "number",
            "suffix",
            "number_cn",
            "text",
            "score",
            "version",
            "current",
            "kind",
            "collection",
            "record_id",
        )
        click.echo(
            json.dumps([{f: getattr(h, f) for f in fields} for h in hits], ensure_ascii=False, indent=2)
        )
        return
    if not hits:
        click.echo("no hits")
    for rank, h in enumerate(hits, start=1):
        version = "" if h.current else f" [{h.version} 版，非现行]"
        click.echo(f"{rank}. {h.citation}{version}  (score {h.score:.4f})")
        text = h.text.strip()
        text = text if len(text) <= 400 else text[:400] + "…"
        click.echo("   " + text.replace("\n", "\n   "))
