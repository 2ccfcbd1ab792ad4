"""`legal-assistant eval judgment`: article and charge F1 and the term score on CAIL-format cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


@click.command()
@click.option(
    "--cases", "cases_path", required=True, type=click.Path(path_type=Path), help="CAIL-format JSONL."
)
@click.option(
    "--charges-as-of",
    default="auto",
    show_default=True,
    help="Predict the charge names in force on this ISO date; 'today'; or 'auto': the naming period "
    "whose names cover most of the file's gold labels (CAIL2018's predate the 2015 renames).",
)
@click.option(
    "--leave-one-out",
    is_flag=True,
    help="The cases are the similar-case corpus: exclude each from its own pool.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N cases.")
@click.option("--no-dense", is_flag=True, help="Without the legal embedder's ranking.")
@click.option(
    "--first-sentence",
    is_flag=True,
    help="Predict from the first sentence of each fact (at most 60 characters) alone.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def judgment(
    ctx: Any,
    cases_path: Path,
    charges_as_of: str,
    leave_one_out: bool,
    limit: int | None,
    no_dense: bool,
    first_sentence: bool,
    as_json: bool,
) -> None:
    """Per-case F1 of the article set and of the charge set (brackets dropped), averaged, and the
    term score mean((ln 216 − |ln(gold+1) − ln(pred+1)|) / ln 216) skipping life and death; from
    facts alone, with the gold charges, and with gold charges and articles."""
    from assistant.commands.predict import load_predictor
    from assistant.evaluation.judgment import evaluate_judgment
    from corpora.cases import load_cail
    from corpora.report import ParseReport

    if not cases_path.is_file():
        raise click.ClickException(f"cases file not found: {cases_path}")
    report = ParseReport()
    cases = load_cail(cases_path, cases_path.stem, report=report)[:limit]
    if not cases:
        raise click.ClickException(f"no CAIL-format cases in {cases_path}")
    as_of = resolve_as_of(ctx.settings.corpus_dir, charges_as_of, cases)
    if not as_json:
        click.echo(f"charge names in force on {as_of or 'today'}")
    predictor = load_predictor(ctx.settings, as_of, not no_dense)
    results = evaluate_judgment(
        predictor,
        cases,
        leave_one_out=leave_one_out,
        progress=not as_json,
        first_sentence_only=first_sentence,
    )
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
        return
    click.echo(f"{len(cases)} cases from {cases_path}" + (" (leave-one-out)" if leave_one_out else ""))
    click.echo(f"{'setting':24} {'article F1':>10} {'charge F1':>10} {'term':>8} {'s/case':>8}")
    for name, s in results.items():
        click.echo(
            f"{name:24} {s['article_f1']:>10.4f} {s['charge_f1']:>10.4f} {s['term_score']:>8.4f} "
            f"{s['seconds_per_case']:>8.4f}"
        )


def resolve_as_of(corpus_dir: Path, value: str, cases: Any) -> str | None:
    from datetime import date

    from corpora.charges import ChargeMapError, as_of_for_labels

    if value == "today":
        return None
    if value == "auto":
        try:
            return as_of_for_labels(corpus_dir, (c for case in cases for c in case.charges))
        except (ChargeMapError, OSError) as err:
            raise click.ClickException(f"cannot read the charge names: {err}") from err
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise click.ClickException(f"--charges-as-of: not a date, 'today' or 'auto': {value!r}") from err
