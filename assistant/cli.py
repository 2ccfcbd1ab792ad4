"""The one console script, `legal-assistant`, with a subcommand per job.

Each subcommand lives in `assistant/commands/<name>.py` and imports its heavy libraries
inside the function body, so that `--help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from assistant.commands._subcommands import EXIT_CODES
from assistant.commands.ask import ask
from assistant.commands.bench import bench
from assistant.commands.corpus import corpus as corpus_group
from assistant.commands.eval import eval_
from assistant.commands.finetune import finetune
from assistant.commands.history import history
from assistant.commands.index import index
from assistant.commands.mcp import mcp
from assistant.commands.predict import predict
from assistant.commands.search import search
from assistant.commands.serve import serve
from assistant.settings import SettingsError, apply_offline_environment, load_settings

# (module in assistant.commands, attribute): each attribute is a click command or group.


class Context:
    """What every subcommand receives: the resolved settings (loaded once, here)."""

    def __init__(self, config: Path | None, data_dir: Path | None, corpus: Path | None) -> None:
        overrides = {"data_dir": data_dir, "corpus_dir": corpus}
        self.corpus = corpus  # given on the command line: it becomes the index workspace's base
        try:
            self.settings = load_settings(config, overrides)
        except SettingsError as e:
            raise click.ClickException(str(e)) from e
        from assistant.services.bootstrap import quiet_unused_4bit_warning

        quiet_unused_4bit_warning(self.settings)


# Options of the whole program that may also follow the subcommand: `index update --corpus DIR`.
GLOBAL_OPTIONS = ("--config", "--data-dir", "--corpus")


def hoist_global_options(args: list[str]) -> list[str]:
    """Move --config/--data-dir/--corpus (with their values) in front of the subcommand.

    No subcommand defines options of these names, so wherever they stand they mean the global ones.
    Arguments after `--` are left alone (a query may be any text).
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            take = 1 if "=" in arg else 2
            front += args[i : i + take]
            i += take
            continue
        rest.append(arg)
        i += 1
    return front + rest


class _Group(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.option("--config", type=click.Path(path_type=Path), help="Settings TOML file.")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    help="Where the index and generated data live (env LEGAL_ASSISTANT_DATA_DIR).",
)
@click.option(
    "--corpus", "corpus", type=click.Path(path_type=Path), help="Corpus root (default ../shared/corpora)."
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None, data_dir: Path | None, corpus: Path | None) -> None:
    """A grounded Chinese legal assistant: retrieval, cited answers, sentencing and IP analysis.

    --config, --data-dir and --corpus may also follow the subcommand (`index update --corpus DIR`).
    Not legal advice: consult a licensed lawyer.
    """
    apply_offline_environment()
    ctx.obj = Context(config, data_dir, corpus)


# The command table. Each module imports its heavy libraries inside its functions, so importing
# them all here costs milliseconds.
for _command in (corpus_group, index, search, predict, eval_, bench, ask, serve, history, mcp, finetune):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="legal-assistant")


if __name__ == "__main__":
    main()
