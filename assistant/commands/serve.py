"""`legal-assistant serve`: the chat UI in the browser, building the index first when there is none."""

from __future__ import annotations

import time

import click


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: settings ui.host, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default: settings ui.port, 7860).")
@click.option(
    "--full-index",
    is_flag=True,
    help="When there is no index yet, index the whole corpus instead of the default part (much slower on a CPU).",
)
@click.pass_obj
def serve(obj: object, host: str | None, port: int | None, full_index: bool) -> None:
    """Start the chat UI: streamed answers with their cited sources, the sentencing view and the index page.

    On first start (no index in the data dir) it indexes the criminal law, civil and commercial law
    with the IP laws, the criminal and IP judicial interpretations and the similar-case corpus, with
    progress bars. The index page needs ui.admin_password (or LEGAL_ASSISTANT__UI__ADMIN_PASSWORD).
    Not legal advice: consult a licensed lawyer.
    """
    from assistant.bootstrap import BootstrapError
    from assistant.index_backend import DEFAULT_SCOPE, FULL_SCOPE, build_initial_index, index_exists
    from assistant.index_service import IndexServiceError
    from assistant.ui.app import create_app, launch
    from corpora.loader import CorpusError
    from retrieval.errors import RetrievalError

    settings = obj.settings  # type: ignore[attr-defined]
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
    try:
        launch(demo, settings, host=host, port=port, block=True)
    except OSError as e:  # Gradio's "Cannot find empty port" and bind errors
        where = f"{host or settings.ui.host}:{port or settings.ui.port}"
        raise click.ClickException(f"cannot listen on {where}: {e}; choose another --port or --host") from e
