"""`legal-assistant eval faithfulness`: citation faithfulness of the agent with any backend."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command(name="faithfulness")
@click.option(
    "--questions",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    required=True,
    help="JSON lines {question, gold: [《法》第X条 …]}, e.g. <data_dir>/finetune/data/rag/heldout.jsonl.",
)
@click.option(
    "--model", help="Local model (hub id or folder) to evaluate; default: the configured llm backend."
)
@click.option("--adapter", type=click.Path(path_type=Path), help="PEFT adapter to put on --model.")
@click.option(
    "--base-url", help="An OpenAI-compatible endpoint to evaluate instead (with --model as its name)."
)
@click.option(
    "--gold-absent-share",
    type=float,
    default=0.2,
    show_default=True,
    help="Share of questions whose gold articles are held out of retrieval (0–1).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate only the first N questions.")
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=512, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def faithfulness(
    obj,
    questions: Path,
    model: str | None,
    adapter: Path | None,
    base_url: str | None,
    gold_absent_share: float,
    limit: int | None,
    max_new_tokens: int,
    as_json: bool,
) -> None:
    """Citation precision and recall, unsupported citations, answer-first and refusal correctness."""
    from assistant.backends.base import BackendError
    from assistant.backends.factory import create_backend
    from finetune.faithfulness import FaithfulnessError, evaluate
    from finetune.rag import RagBuildError, check_share
    from finetune.rag_questions import read_question_file
    from retrieval.errors import RetrievalError
    from retrieval.search import Searcher

    try:
        check_share(gold_absent_share)
    except RagBuildError as e:
        raise click.UsageError(str(e)) from e
    llm = obj.settings.llm
    if base_url:
        llm = llm.model_copy(update={"mode": "openai", "base_url": base_url, "model": model or llm.model})
    elif model:
        llm = llm.model_copy(update={"mode": "transformers", "model": model, "adapter": str(adapter or "")})
    elif adapter:
        llm = llm.model_copy(update={"adapter": str(adapter)})
    llm = llm.model_copy(update={"temperature": 0.0, "max_new_tokens": max_new_tokens})
    qs, problems = read_question_file(questions)
    for p in problems:
        click.echo(f"skipped {questions.name} {p}", err=True)
    if not qs:
        raise click.ClickException(f"{questions} holds no usable questions")
    s = obj.settings
    try:
        backend = create_backend(llm)
        searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)
        report = evaluate(searcher, backend, qs[:limit] if limit else qs, gold_absent_share)
    except (BackendError, FaithfulnessError, RetrievalError) as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
