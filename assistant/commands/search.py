"""`legal-assistant search "…"`: hybrid search over the index, citations first; `--batch` answers a
file of queries in one process."""

from __future__ import annotations

import json
import sys
from typing import Any, BinaryIO

import click

from assistant.commands._subcommands import EXIT_CODES, EXIT_PARTIAL

HIT_FIELDS = (
    "citation",
    "law_title",
    "law_id",
    "number",
    "suffix",
    "number_cn",
    "text",
    "score",
    "version",
    "current",
    "kind",
    "collection",
    "record_id",
)
KINDS = ("statutes", "interpretations", "cases")


@click.command(epilog=EXIT_CODES)
@click.argument("query", required=False)
@click.option("--kind", type=click.Choice(KINDS), help="Search one collection.")
@click.option("-k", "k", type=click.IntRange(1, 100), help="Number of hits (default retrieval.k).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list, best first.")
@click.option(
    "--batch",
    type=click.File("rb"),
    help=(
        "Answer the queries of FILE ('-' for standard input) in one process: one JSON line each, "
        'either a string or {"query": "…", "kind": "statutes", "k": 5, "id": …}; one JSON line out '
        'per query, {"line", "id", "query", "hits"} or {"line", "error"}.'
    ),
)
@click.pass_obj
def search(
    obj: Any, query: str | None, kind: str | None, k: int | None, as_json: bool, batch: BinaryIO | None
) -> None:
    """Search statutes, interpretations and cases: 刑法第二百六十四条, 刑法264条 or a question.

    An exact citation is answered from the records alone, without loading the embedding model.
    """
    from retrieval.errors import RetrievalError, user_message
    from retrieval.search import Searcher, check_query

    s = obj.settings
    if (query is None) == (batch is None):
        raise click.UsageError("give either a QUERY or --batch FILE")
    try:
        if batch is not None:
            searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)
            failed = _run_batch(searcher, batch, kind, k)
            if failed:
                click.echo(f"{failed} 行无法回答，见输出中的 error。", err=True)
                sys.exit(EXIT_PARTIAL)
            return
        assert query is not None
        check_query(query, s.retrieval)
        searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)
        hits = searcher.search(query, kind=kind, k=k)
    except RetrievalError as e:
        raise click.ClickException(user_message(e)) from e
    if searcher.vector_store_problem:
        click.echo(f"注意：{searcher.vector_store_problem}", err=True)
    if as_json:
        click.echo(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no hits")
    for rank, h in enumerate(hits, start=1):
        version = "" if h.current else f" [{h.version} 版，非现行]"
        click.echo(f"{rank}. {h.citation}{version}  (score {h.score:.4f})")
        text = h.text.strip()
        text = text if len(text) <= 400 else text[:400] + "…"
        click.echo("   " + text.replace("\n", "\n   "))


def _hit_json(hit: Any) -> dict[str, Any]:
    return {f: getattr(hit, f) for f in HIT_FIELDS}


def _parse_line(raw: bytes, kind: str | None, k: int | None) -> dict[str, Any]:
    """One input line as {query, kind, k, id}; ValueError with a Chinese reason when malformed."""
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ValueError(f"不是 UTF-8 文本（第 {e.start + 1} 个字节）") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"不是合法的 JSON（{e.msg}，第 {e.colno} 列）") from e
    if isinstance(item, str):
        item = {"query": item}
    unknown = set(item) - {"query", "kind", "k", "id"} if isinstance(item, dict) else set()
    if unknown:
        raise ValueError(f"未知的字段 {', '.join(sorted(unknown))}：可用 query、kind、k、id")
    if not isinstance(item, dict) or not isinstance(item.get("query"), str):
        raise ValueError('应当是一个字符串，或带 "query" 字符串字段的对象')
    item_kind = item.get("kind", kind)
    if item_kind is not None and item_kind not in KINDS:
        raise ValueError(f"kind 应为 {'、'.join(KINDS)} 之一")
    item_k = item.get("k", k)
    if item_k is not None and (
        isinstance(item_k, bool) or not isinstance(item_k, int) or not 1 <= item_k <= 100
    ):
        raise ValueError("k 应为 1 到 100 的整数")
    return {"query": item["query"], "kind": item_kind, "k": item_k, "id": item.get("id")}


def _run_batch(searcher: Any, lines: BinaryIO, kind: str | None, k: int | None) -> int:
    """Answer each non-blank line; a malformed or failing line gets its error and line number, and the
    rest are still answered. Returns the number of lines that failed."""
    from retrieval.errors import RetrievalError, user_message

    failed = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = _parse_line(raw, kind, k)
            hits = searcher.search(item["query"], kind=item["kind"], k=item["k"])
            out: dict[str, Any] = {"line": number, "id": item["id"], "query": item["query"]}
            out["hits"] = [_hit_json(h) for h in hits]
            if searcher.vector_store_problem:
                out["warning"] = searcher.vector_store_problem
        except (ValueError, RetrievalError) as e:
            failed += 1
            reason = user_message(e) if isinstance(e, RetrievalError) else str(e)
            out = {"line": number, "error": f"第 {number} 行：{reason}"}
        click.echo(json.dumps(out, ensure_ascii=False))
    return failed
