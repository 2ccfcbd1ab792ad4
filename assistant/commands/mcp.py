"""`legal-assistant mcp`: the MCP server on stdio (or streamable HTTP) for Claude Desktop, Cursor and other hosts."""

from __future__ import annotations

from typing import Any

import click


@click.command()
@click.option(
    "--transport",
    type=click.Choice(["stdio", "streamable-http"]),
    default="stdio",
    show_default=True,
    help="stdio for a host that starts the server itself; streamable-http to serve at http://HOST:PORT/mcp.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="streamable-http: address to listen on.")
@click.option("--port", type=int, default=8765, show_default=True, help="streamable-http: port to listen on.")
@click.pass_obj
def mcp(obj: Any, transport: str, host: str, port: int) -> None:
    """Serve the tools search_law, get_article, validate_citation, article_history, estimate_sentence
    and index_status over MCP. Every result carries the disclaimer and the data date (2025-04-19).

    The index is opened on the first tool call that needs it; build it first with `index build`.
    """
    from assistant.api.mcp import LegalTools, build_server

    server = build_server(LegalTools(obj.settings))
    if transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
