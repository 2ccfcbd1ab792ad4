"""`legal-assistant index build|update|add|remove|status`: the index of the corpus workspace.

Each command calls the index service (assistant.services.index), the same door as the index page,
so the CLI and the UI index the same workspace. Exit codes: 0 done; 1 refused or failed (one line
says why; the index is left as it was); 3 done, but some law files did not parse (their previous
records were kept).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

EXIT_PARTIAL = 3


def _service(obj: Any) -> Any:
    from assistant.services.index import IndexService
    from assistant.services.index_backend import RetrievalIndexBackend

    s = obj.settings
    return IndexService(s, RetrievalIndexBackend(s), base=getattr(obj, "corpus", None))


def _options(laws_only: bool, law_dirs: tuple[str, ...], prune: bool) -> Any:
    from retrieval.rebuild import RebuildOptions

    dirs = tuple(d.strip() for value in law_dirs for d in value.split(",") if d.strip()) or None
    return RebuildOptions(law_dirs=dirs, laws_only=laws_only, prune=prune)


def _call(job: Any) -> Any:
    """Run a service call; every error a user can act on becomes one line and exit code 1."""
    from assistant.services.bootstrap import BootstrapError
    from assistant.services.index import IndexServiceError
    from corpora.loader import CorpusError
    from retrieval.errors import RetrievalError

    try:
        return job()
    except (IndexServiceError, CorpusError, RetrievalError, BootstrapError) as e:
        raise click.ClickException(str(e)) from e


def _echo_outcome(outcome: Any, as_json: bool) -> None:
    result = outcome.result
    if as_json:
        body = result.to_dict() if result is not None else {}
        click.echo(
            json.dumps(
                {**body, "files": outcome.files, "warnings": outcome.warnings}, ensure_ascii=False, indent=2
            )
        )
    else:
        if result is not None:
            click.echo(f"corpus: {result.root}\n{result.parse.to_text(max_failures=20)}")
            click.echo(result.report.summary())
        for f in outcome.files:
            click.echo(f"workspace: {f}")
        for w in outcome.warnings:
            click.echo(f"warning: {w}", err=True)
    if result is not None and result.failed:
        raise SystemExit(EXIT_PARTIAL)


def _read_options(f: Any) -> Any:
    f = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")(f)
    f = click.option(
        "--prune",
        is_flag=True,
        help="Allow removing more records than the safety limit (max of 10 and 5% of the index).",
    )(f)
    f = click.option(
        "--law-dirs",
        multiple=True,
        help="Only read these top folders of laws/ (comma-separated or repeated): 刑法,司法解释. "
        "Records of the other folders are kept as they are.",
    )(f)
    return click.option("--laws-only", is_flag=True, help="Only read the laws; the indexed cases are kept.")(
        f
    )


@click.group()
def index() -> None:
    """Build, update and inspect the search index (Chroma + jieba/BM25) of the corpus workspace.

    The workspace (recorded in the data dir) is a base corpus folder (--corpus), the part of it in
    scope, laws added with `index add` or the index page, and laws taken out with `index remove`.
    Exit codes: 0 done; 1 refused or failed, index unchanged; 3 done but some law files did not parse.
    """


@index.command()
@click.option(
    "--scope",
    type=click.Choice(["keep", "full", "default"]),
    default="keep",
    show_default=True,
    help="Part of the base corpus to index: as recorded, the whole corpus, or serve's default part.",
)
@_read_options
@click.pass_obj
def build(
    obj: Any, scope: str, laws_only: bool, law_dirs: tuple[str, ...], prune: bool, as_json: bool
) -> None:
    """Index the workspace from scratch (the old index answers until it is done).

    With embedding.model = "auto" it first trains the legal embedding model from the corpus when the
    data dir has none (as `serve` does), so the index reads Chinese.
    """
    from assistant.services.index_backend import DEFAULT_SCOPE, FULL_SCOPE

    chosen = {"keep": None, "full": FULL_SCOPE, "default": DEFAULT_SCOPE}[scope]
    service = _service(obj)
    outcome = _call(
        lambda: service.build(
            chosen, _options(laws_only, law_dirs, prune), echo=lambda m: click.echo(m, err=True)
        )
    )
    _echo_outcome(outcome, as_json)


@index.command()
@_read_options
@click.pass_obj
def update(obj: Any, laws_only: bool, law_dirs: tuple[str, ...], prune: bool, as_json: bool) -> None:
    """Re-index only what changed in the workspace: report per law the articles added, changed, removed."""
    service = _service(obj)
    _echo_outcome(_call(lambda: service.update(_options(laws_only, law_dirs, prune))), as_json)


@index.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--target", default="", help="Where the file goes in the corpus: laws/<folder>/<file> (one file only)."
)
@click.option("--prune", is_flag=True, help="Allow the update to remove more records than the safety limit.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def add(obj: Any, files: tuple[Path, ...], target: str, prune: bool, as_json: bool) -> None:
    """Add (or replace) law files in the workspace and update the index, as the index page's upload does.

    A file replaces the base corpus file of the same name, else the one with the same title; give
    --target for a new law. Files are checked first (name, size, encoding, law format): one bad file
    and nothing is written.
    """
    uploads = []
    for path in files:
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as e:
            raise click.ClickException(f"cannot read {path}: {e.strerror or e}") from e
    service = _service(obj)
    _echo_outcome(_call(lambda: service.apply_uploads(uploads, target, prune=prune)), as_json)


@index.command()
@click.argument("law")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def remove(obj: Any, law: str, as_json: bool) -> None:
    """Take a law out of the workspace and the index: by corpus path (laws/刑法/刑法.md) or by title."""
    service = _service(obj)
    _echo_outcome(_call(lambda: service.remove_law(law)), as_json)


@index.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status(obj: Any, as_json: bool) -> None:
    """The workspace and the index: model, counts, build time, and whether a search would work.

    Exits 1 with the problem when the index is unusable (missing or damaged files, another model,
    an unreachable Chroma server).
    """
    info = _call(lambda: _service(obj).status())
    ws = info["workspace"]
    if info.get("exists") and not info.get("problem"):
        info["coverage"] = _coverage(obj.settings.data_dir, info, obj.settings.corpus_dir)
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        scope = ws["scope"]["name"] or "custom"
        click.echo(f"workspace: base {ws['base'] or '(none)'}; scope {scope}")
        click.echo("  added: " + (", ".join(ws["added"]) or "(none)"))
        click.echo("  removed: " + (", ".join(ws["removed"]) or "(none)"))
        if not info["exists"]:
            click.echo(f"no usable index in {info['index_dir']}")
        else:
            emb = info["embedding"]
            click.echo(f"index: {info['index_dir']} ({info['vector_store']['mode']} Chroma)")
            click.echo(f"model: {emb['model']} ({emb['dimension']} d)")
            click.echo(
                f"records: {info['records']} in {info['laws']} laws/sources: "
                + ", ".join(f"{k} {v}" for k, v in info["counts"].items())
            )
            click.echo(
                f"built: {info['built_at']}; updated: {info['updated_at']}; corpus: {info['corpus_fingerprint']}"
            )
        if info.get("coverage"):
            from retrieval.coverage import coverage_lines

            click.echo("\n".join(coverage_lines(info["coverage"])))
    if info["problem"]:
        raise click.ClickException(info["problem"])


def _coverage(data_dir: Any, info: dict[str, Any], corpus_root: Any) -> dict[str, Any] | None:
    """Which laws the index holds, how fresh they are, and what is not covered (None if unreadable)."""
    from retrieval import manifest as mf
    from retrieval.coverage import coverage_from_records

    records = mf.generation_dir(data_dir, info["generation"]) / mf.RECORDS_FILE
    try:
        return coverage_from_records(records, corpus_root)
    except (OSError, ValueError, KeyError):
        return None
