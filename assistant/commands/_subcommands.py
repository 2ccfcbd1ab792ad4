"""The exit codes the subcommands share (shown in `--help`)."""

from __future__ import annotations

EXIT_PARTIAL = 3  # a batch in which some lines could not be answered
# \b keeps click from rewrapping the list.
EXIT_CODES = """Exit codes:

\b
  0  done
  1  an error, explained in one line (no index, damaged index, bad query, wrong setting …)
  2  wrong usage: unknown option, missing or extra argument
  3  search --batch: some lines could not be answered (each has its error); the rest were
"""
