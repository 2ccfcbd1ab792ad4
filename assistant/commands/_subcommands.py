"""Attach optional subcommand modules to a click group, each in its own file; the exit codes they share."""

from __future__ import annotations

import importlib

import click

EXIT_PARTIAL = 3  # a batch in which some lines could not be answered
# \b keeps click from rewrapping the list.
EXIT_CODES = """Exit codes:

\b
  0  done
  1  an error, explained in one line (no index, damaged index, bad query, wrong setting …)
  2  wrong usage: unknown option, missing or extra argument
  3  search --batch: some lines could not be answered (each has its error); the rest were
"""


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
