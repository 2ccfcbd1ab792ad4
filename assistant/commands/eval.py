"""`legal-assistant eval …`: judgment prediction, retrieval, answer and multiple-choice scores."""

from __future__ import annotations

import click

from assistant.commands.eval_answers import answers as eval_answers
from assistant.commands.eval_faithfulness import faithfulness as eval_faithfulness
from assistant.commands.eval_judgment import judgment as eval_judgment
from assistant.commands.eval_mcq import mcq as eval_mcq
from assistant.commands.eval_retrieval import retrieval as eval_retrieval


@click.group(name="eval")
def eval_() -> None:
    """Score the assistant's parts on held-out data."""


for _command in (eval_judgment, eval_retrieval, eval_answers, eval_mcq, eval_faithfulness):
    eval_.add_command(_command)
