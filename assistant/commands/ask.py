"""`legal-assistant ask "…"`: one question, the answer streamed to the terminal (or JSON)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from assistant.agent.routing import MODES

if TYPE_CHECKING:
    from assistant.cli import Context  # the CLI imports this module: for the annotation only


@click.command()
@click.argument("question", required=False)
@click.option(
    "--mode", type=click.Choice([*MODES, "consult"]), default="auto", show_default=True, help="Force a route."
)
@click.option(
    "--earlier",
    "earlier",
    multiple=True,
    metavar="QUESTION",
    help="An earlier question of the same conversation (repeatable, oldest first): QUESTION is then "
    "a follow-up that changes the facts of that case, e.g. --earlier '盗窃4800元' '如果是15万元呢？'.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print answer, sources, citation check and sentencing trace as JSON.",
)
@click.pass_obj
def ask(obj: Context, question: str | None, mode: str, earlier: tuple[str, ...], as_json: bool) -> None:
    """Answer QUESTION (or standard input when it is '-' or absent) from the index, with cited sources.

    Not legal advice: consult a licensed lawyer.
    """
    from assistant.services.answer import AssistantService, question_problem

    settings = obj.settings
    if question is None or question == "-":
        question = sys.stdin.read() if not sys.stdin.isatty() else ""
    problem = question_problem(question, settings.ui.max_question_chars)
    if problem is not None:
        raise click.ClickException(problem)
    service = AssistantService(settings)
    # only the user's earlier messages make the case; the answers to them are not replayed
    history = [{"role": "user", "content": q} for q in earlier]
    final = None
    streamed = False
    for event in service.stream(question, history, mode=mode):
        if event.answer is not None:
            final = event.answer
        elif not as_json:
            click.echo(event.text, nl=False)
            streamed = True
    assert final is not None
    if as_json:
        click.echo(json.dumps(final.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    if final.route in ("invalid", "error"):
        raise click.ClickException(final.text.splitlines()[0])
    # The streamed draft was printed as it came; what the check added (the 引用核验 section with
    # every unverified citation and its reason, and the disclaimer) follows it.
    from assistant.agent.citation_check import SECTION_TITLE  # here: every CLI start imports this module

    tail = final.text
    if streamed and SECTION_TITLE in tail:
        tail = "\n\n" + tail[tail.index(SECTION_TITLE) :]
    click.echo(tail)
    _print_sources(final)


def _print_sources(final: object) -> None:
    sources = getattr(final, "sources", [])
    if not sources:
        return
    click.echo("来源：")
    for s in sources:
        status = "" if getattr(s.hit, "current", True) else "（非现行版本）"
        click.echo(f"  [{s.n}] {s.hit.citation}{status}")
