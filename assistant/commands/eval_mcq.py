"""`legal-assistant eval mcq`: JEC-QA-format multiple-choice accuracy of any backend."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command(name="mcq")
@click.option(
    "--questions",
    type=click.Path(path_type=Path),
    required=True,
    help="JEC-QA file (JSON lines or list), e.g. <data_dir>/finetune/data/mcq/jec_qa.valid.json.",
)
@click.option("--model", help="Local model (hub id or folder) to score; default: the configured llm backend.")
@click.option("--adapter", type=click.Path(path_type=Path), help="PEFT adapter to put on --model.")
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N questions.")
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="Write per-question results as JSON here.")
@click.pass_obj
def mcq(
    obj,
    questions: Path,
    model: str | None,
    adapter: Path | None,
    limit: int | None,
    max_new_tokens: int,
    output: Path | None,
) -> None:
    """Accuracy overall, per subject and single/multiple answer; options parsed from generated replies."""
    from assistant.backends.base import BackendError
    from assistant.backends.factory import create_backend
    from finetune.mcq import MCQError, evaluate, load_questions

    llm = obj.settings.llm
    if model:
        llm = llm.model_copy(update={"mode": "transformers", "model": model, "adapter": str(adapter or "")})
    elif adapter:
        llm = llm.model_copy(update={"adapter": str(adapter)})
    llm = llm.model_copy(update={"temperature": 0.0, "max_new_tokens": max_new_tokens})
    try:
        qs, skipped = load_questions(questions, limit)
        backend = create_backend(llm)
        report = evaluate(qs, lambda messages: "".join(backend.stream(messages)))
    except (MCQError, BackendError) as e:
        raise click.ClickException(str(e)) from e
    report.skipped = skipped
    click.echo(f"backend: {getattr(backend, 'description', llm.mode)}")
    for line in report.lines():
        click.echo(line)
    if output:
        output.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
