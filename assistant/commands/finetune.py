"""`legal-assistant finetune …`: training data, adapters, export, and the retriever model."""

from __future__ import annotations

import click

from assistant.commands._subcommands import attach


@click.group()
def finetune() -> None:
    """Build training data and train models (LoRA/QLoRA adapters, the legal retriever)."""


attach(
    finetune,
    [
        ("finetune_data", "data"),
        ("finetune_train", "train"),
        ("finetune_export", "export"),
        ("finetune_compare", "compare"),
        ("finetune_retriever", "retriever"),
    ],
)
