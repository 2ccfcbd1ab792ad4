"""Attach optional subcommand modules to a click group, each in its own file."""

from __future__ import annotations

import importlib

import click


def attach(group: click.Group, entries: list[tuple[str, str]]) -> None:
    """entries: (module under assistant.commands, attribute holding a click command)."""
    for module_name, attr in entries:
        try:
            module = importlib.import_module(f"assistant.commands.{module_name}")
        except ModuleNotFoundError as e:
            if e.name == f"assistant.commands.{module_name}":
                continue
            raise
        group.add_command(getattr(module, attr))
