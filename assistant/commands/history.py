"""`legal-assistant history "刑法第三百九十条"`: every version of an article the corpus holds, with diffs."""

from __future__ import annotations

import json
from typing import Any

import click


@click.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the versions, dates and diffs as JSON.")
@click.pass_obj
def history(obj: Any, query: str, as_json: bool) -> None:
    """How a law changed, from the corpus's dated versions and amendments, newest first.

    QUERY is an article (刑法第三百九十条, 刑法390条), an amendment (刑法修正案（十二）) or a law with an
    optional year (民事诉讼法2023). Versions the corpus does not hold are named as missing, never guessed.
    """
    from assistant.agent.history_answers import HistoryQuery, answer_query, parse_history_query
    from corpora.history import HistoryError, library_for
    from corpora.loader import CorpusError, resolve_corpus_root

    s = obj.settings
    try:
        lib = library_for(resolve_corpus_root(s.corpus_dir, s.data_dir))
        parsed = parse_history_query(query, lib)
        if parsed is None:
            parsed = HistoryQuery("version", law=query.strip())
        text, data = answer_query(parsed, lib)
    except (HistoryError, CorpusError) as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(text)
