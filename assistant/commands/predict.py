"""`legal-assistant predict`: articles, charges and term from facts, one JSON line per input line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


class InputError(click.ClickException):
    pass


def read_fact_lines(path: Path) -> list[dict[str, Any]]:
    """Each line {"fact": …} with optional "charges"/"articles"; a bad line stops with its number."""
    items: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as e:
        raise InputError(f"input file not found: {path}") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{path} is not UTF-8 JSON lines") from e
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            # A plain ValueError too: an integer past Python's 4300-digit limit has no `.msg`.
            detail = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
            raise InputError(f"{path}:{number}: not valid JSON ({detail})") from e
        if not isinstance(obj, dict) or not str(obj.get("fact") or "").strip():
            raise InputError(f'{path}:{number}: each line needs a non-empty "fact"')
        items.append(obj)
    if not items:
        raise InputError(f'{path} holds no {{"fact": …}} lines')
    return items


def load_predictor(settings: Any, charges_as_of: str | None, use_dense: bool) -> Any:
    """The predictor over the configured corpus, with the trained legal embedder when present."""
    from assistant.judgment.predict import build_predictor
    from corpora.loader import CorpusError
    from retrieval.embeddings import load_embedder, minilm_path, resolve_embedding_model

    if settings.corpus_dir is None:
        raise click.ClickException("no corpus: give --corpus DIR (a folder with laws/ and cases/)")
    embedder = None
    if use_dense and resolve_embedding_model(settings.embedding, settings.data_dir) != minilm_path():
        # MiniLM reads almost no Chinese: its ranking only adds noise to the lexical one.
        embedder = load_embedder(settings.embedding, settings.data_dir)
    try:
        return build_predictor(
            settings.corpus_dir,
            embedder=embedder,
            charges_as_of=charges_as_of,
            data_dir=settings.data_dir,
            settings=settings.charges,
        )
    except CorpusError as e:
        raise click.ClickException(str(e)) from e


@click.command()
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path), help="FACTS.jsonl")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="PRED.jsonl")
@click.option(
    "--charges-as-of", default=None, help="Charge names in force on this ISO date (default: today's)."
)
@click.option("--no-dense", is_flag=True, help="Lexical ranking only (ignore the legal embedding model).")
@click.pass_obj
def predict(ctx: Any, input_path: Path, output_path: Path, charges_as_of: str | None, no_dense: bool) -> None:
    """Predict 分则 articles, charges and the term for each {"fact": …} line of INPUT.

    Output lines, in input order: {"articles": [int], "charges": [str], "term_months": number|null,
    "general_articles": [int], …}. Known "charges" or "articles" in an input line are used as given.
    """
    items = read_fact_lines(input_path)
    predictor = load_predictor(ctx.settings, charges_as_of, not no_dense)
    predictions = predictor.predict_many(items)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = output_path.with_suffix(output_path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for p in predictions:
            out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(output_path)
    click.echo(f"{len(predictions)} predictions written to {output_path}", err=True)
