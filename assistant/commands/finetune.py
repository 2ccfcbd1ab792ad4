"""`legal-assistant finetune …`: training data, adapters, export, and the retriever model."""

from __future__ import annotations

import click

from assistant.commands.finetune_compare import compare as finetune_compare
from assistant.commands.finetune_data import data as finetune_data
from assistant.commands.finetune_export import export as finetune_export
from assistant.commands.finetune_retriever import retriever as finetune_retriever
from assistant.commands.finetune_train import train as finetune_train


@click.group()
def finetune() -> None:
    """Build training data and train models (LoRA/QLoRA adapters, the legal retriever)."""


for _command in (finetune_data, finetune_train, finetune_export, finetune_compare, finetune_retriever):
    finetune.add_command(_command)
