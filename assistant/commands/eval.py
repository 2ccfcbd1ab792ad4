"""`legal-assistant eval …`: judgment prediction, retrieval and multiple-choice scores."""

from __future__ import annotations

import click

from assistant.commands._subcommands import attach


@click.group(name="eval")
def eval_() -> None:
    """Score the assistant's parts on held-out data."""


attach(
    eval_,
    [
        ("eval_judgment", "judgment"),
        ("eval_retrieval", "retrieval"),
        ("eval_mcq", "mcq"),
        ("eval_faithfulness", "faithfulness"),
    ],
)
