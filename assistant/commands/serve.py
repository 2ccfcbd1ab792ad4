"""`legal-assistant serve`: the chat UI in the browser, building the index first when there is none."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from assistant.cli import Context  # the CLI imports this module: for the annotation only


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: settings ui.host, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default: settings ui.port, 7860).")
@click.option(
    "--full-index",
    is_flag=True,
    help="When there is no index yet, index the whole corpus instead of the default part (much slower on a CPU).",
)
@click.option(
    "--api-port",
    type=int,
    default=None,
    help="Serve the OpenAI-compatible /v1 endpoint on this port (default: settings api.port, else the UI's port).",
)
@click.pass_obj
def serve(obj: Context, host: str | None, port: int | None, full_index: bool, api_port: int | None) -> None:
    """Start the chat UI: streamed answers with their cited sources, the sentencing view and the index page.

    On first start (no index in the data dir) it indexes the criminal law, civil and commercial law
    with the IP laws, the criminal and IP judicial interpretations and the similar-case corpus, with
    progress bars. The index page needs ui.admin_password (or LEGAL_ASSISTANT__UI__ADMIN_PASSWORD).
    It also offers POST /v1/chat/completions and GET /v1/models for OpenAI clients (api.api_key, when
    set, is required as the Bearer token; api.enabled = false turns it off).
    Not legal advice: consult a licensed lawyer.
    """
    from assistant.services.bootstrap import BootstrapError
    from assistant.services.index import IndexServiceError
    from assistant.services.index_backend import DEFAULT_SCOPE, FULL_SCOPE, build_initial_index, index_exists
    from assistant.ui.app import create_app, launch
    from corpora.loader import CorpusError
    from retrieval.errors import RetrievalError

    settings = obj.settings
    started = time.perf_counter()
    try:
        if not index_exists(settings):
            # The same door as `index build`: the legal model first when "auto" needs it, then the index.
            click.echo(f"没有找到索引（{settings.index_dir}），先建立索引……")
            report = build_initial_index(
                settings,
                FULL_SCOPE if full_index else DEFAULT_SCOPE,
                echo=click.echo,
                base=getattr(obj, "corpus", None),
            )
            click.echo(report.summary())
        demo = create_app(settings)
    except (IndexServiceError, CorpusError, RetrievalError, BootstrapError) as e:
        raise click.ClickException(str(e)) from e
    if not settings.ui.admin_password:
        click.echo("提示：没有设置 ui.admin_password，索引管理页已停用。")
    click.echo(f"就绪，用时 {time.perf_counter() - started:.1f} 秒。")
    api_port = api_port or settings.api.port
    try:
        if settings.api.enabled and api_port:
            _start_api(demo, settings, host or settings.ui.host, api_port)
        app, url, _ = launch(demo, settings, host=host, port=port, block=False)
    except OSError as e:  # Gradio's "Cannot find empty port" and bind errors
        where = f"{host or settings.ui.host}:{port or settings.ui.port}"
        raise click.ClickException(f"cannot listen on {where}: {e}; choose another --port or --host") from e
    click.echo(f"界面：{url}")
    _first_answer(url)
    demo.warm_up()
    if settings.api.enabled and not api_port:
        from assistant.api.server import mount_api

        mount_api(app, demo.assistant_service, settings)
        click.echo(f"OpenAI 兼容接口：{url.rstrip('/')}/v1")
    demo.block_thread()


def _start_api(demo: Any, settings: Any, host: str, api_port: int) -> None:
    from assistant.api.server import start_api_server

    try:
        start_api_server(demo.assistant_service, settings, host, api_port)
    except OSError as e:
        raise click.ClickException(f"{e}; choose another --api-port") from e
    click.echo(f"OpenAI 兼容接口：http://{host}:{api_port}/v1")


def _first_answer(url: str, timeout: float = 10.0) -> None:
    """Wait until the page has answered once before the warm-up starts: a warm-up thread started at once
    (the charge ranker's fit is 15 s of CPU the first time) competes for the GIL with the server's first
    answer, which a loaded 2-core machine measured 1.5 s later. Never raises: the warm-up follows anyway."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:  # trust_env=False: a proxy from the environment must not stand between us and ourselves
            if httpx.get(url, timeout=timeout, trust_env=False).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        except Exception:  # a URL httpx cannot use: nothing to wait for
            return
        time.sleep(0.05)
