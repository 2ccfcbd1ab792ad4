"""Build and launch the Gradio app: disclaimer banner, chat tab, index page, read-only settings."""

from __future__ import annotations

import functools
import html
import logging
import threading
from pathlib import Path
from typing import Any

from assistant.services.index import IndexService
from assistant.settings import Settings
from assistant.ui import texts
from assistant.ui.chat import ChatController, build_chat_tab
from assistant.ui.index_page import AdminAuth, build_index_tab
from assistant.ui.render import field

log = logging.getLogger(__name__)
_ACK_KEY = "legal-assistant-disclaimer-ack"

CSS = """
#disclaimer-banner { background: #fff7e0; border: 1px solid #e0b050; border-radius: 8px; padding: 8px 12px; }
.answer-notice { color: #666; font-size: 0.85em; border-top: 1px dashed #ccc; margin-top: 6px; padding-top: 4px; }
mark.unverified { background: #fde2e1; color: #b3261e; font-weight: 600; padding: 0 2px; border-radius: 3px; }
a.cite-link { font-weight: 600; text-decoration: none; }
.src-list { max-height: 900px; overflow-y: auto; padding-right: 4px; }
.src-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; background: #fafbfc; }
.src-card.flash { outline: 3px solid #f2b36b; }
.src-head { font-weight: 600; }
.src-n { color: #1f6feb; }
.src-meta { color: #555; font-size: 0.85em; margin: 2px 0 4px; }
.src-meta .in-force { color: #1a7f37; }
.src-meta .not-in-force { color: #b3261e; font-weight: 600; }
.src-text { font-size: 0.92em; line-height: 1.55; white-space: normal; }
.checks .check-bad { color: #b3261e; }
.checks li.check-ok { color: #1a7f37; }
q.evidence { background: #eef4ff; }
"""

# Clicking [n] in an answer scrolls its source card into view and flashes it (one listener for the page).
HEAD = """
<script>
document.addEventListener("click", (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href^="#src-"]');
  if (!a) return;
  const card = document.getElementById(a.getAttribute("href").slice(1));
  if (!card) return;
  ev.preventDefault();
  card.scrollIntoView({behavior: "smooth", block: "center"});
  card.classList.add("flash");
  setTimeout(() => card.classList.remove("flash"), 1500);
}, true);
</script>
"""


def backend_line(assistant: Any, settings: Settings) -> str:
    """The active backend, stated plainly (the service knows whether a model really loaded)."""
    for name in ("backend_description", "description"):
        value = field(assistant, name)
        if callable(value):
            value = value()
        if value:
            return str(value)
    if settings.llm.mode == "extractive":
        return "本回答由检索到的法条和案例整理而成，未使用生成模型"
    return f"{settings.llm.mode}: {settings.llm.model or '（未配置模型）'}"


def _public(value: str) -> str:
    """A setting as anyone may see it: a server path shows its last part only."""
    return f"…/{Path(value).name}" if value.startswith(("/", "~", "./", "../")) else value


def settings_markdown(assistant: Any, settings: Settings) -> str:
    rows = [
        ("当前生成后端", backend_line(assistant, settings)),
        ("后端模式（llm.mode）", settings.llm.mode),
        ("模型（llm.model）", _public(settings.llm.model) or "（未配置）"),
        ("适配器（llm.adapter）", _public(settings.llm.adapter) or "（无）"),
        ("检索深度（retrieval.k）", str(settings.retrieval.k)),
        ("嵌入模型（embedding.model）", _public(settings.embedding.model)),
        ("向量库（vector_store.mode）", settings.vector_store.mode),
    ]  # no server paths (data dir, corpus, model folders): this tab and /config are public
    body = "\n".join(f"| {k} | {html.escape(v)} |" for k, v in rows)
    return "### 当前设置（只读）\n修改请编辑设置文件或环境变量后重启。\n\n| 项目 | 值 |\n|---|---|\n" + body


def build_app(settings: Settings, assistant: Any, index_service: IndexService | None = None) -> Any:
    """The whole app as a gr.Blocks; `assistant` offers stream(question, history=, mode=)."""
    from assistant.ui.gradio_import import import_gradio

    gr = import_gradio()

    controller = ChatController(assistant, settings.ui.max_question_chars)
    auth = AdminAuth(settings.ui.admin_user, settings.ui.admin_password)
    with gr.Blocks(title=texts.TITLE, analytics_enabled=False) as demo:
        with gr.Column(elem_id="disclaimer-banner") as banner:
            gr.Markdown(texts.DISCLAIMER_BANNER)
            ack = gr.Button(texts.DISCLAIMER_ACK, size="sm", elem_id="disclaimer-ack")
        acked = gr.Checkbox(value=False, visible=False)
        gr.Markdown(f"## {texts.TITLE}\n<small>{html.escape(backend_line(assistant, settings))}</small>")
        with gr.Tabs():
            with gr.Tab("咨询", id="chat"):
                build_chat_tab(gr, controller)
            with gr.Tab("索引管理", id="index"):
                build_index_tab(gr, index_service, auth)
            with gr.Tab("设置", id="settings"):
                gr.Markdown(settings_markdown(assistant, settings), elem_id="settings-view")
        gr.Markdown(f'<div class="answer-notice">{texts.ANSWER_NOTICE}</div>')

        ack.click(
            lambda: gr.Column(visible=False),
            None,
            banner,
            js=f"() => {{ localStorage.setItem('{_ACK_KEY}', '1'); }}",
        )
        demo.load(
            lambda seen: gr.Column(visible=not seen),
            [acked],
            banner,
            js=f"() => [localStorage.getItem('{_ACK_KEY}') === '1']",
        )
    return demo


def create_app(settings: Settings, *, embedder: Any = None) -> Any:
    """The app over the real services: one Searcher shared by the assistant and the index page,
    so an index update is answered from at once. `embedder` only for tests with a small model."""
    from assistant.services.answer import AssistantService
    from assistant.services.index_backend import RetrievalIndexBackend
    from retrieval.search import Searcher

    s = settings
    searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval, embedder=embedder)
    assistant = AssistantService(s, searcher=searcher)
    if s.llm.mode != "extractive":
        # load the generation model now, not on the first question: the page states whether it loaded
        assistant.agent()
    index_service = IndexService(s, RetrievalIndexBackend(s, searcher=searcher, embedder=embedder))
    demo = build_app(s, assistant, index_service)
    demo.assistant_service = assistant  # `serve` mounts the /v1 endpoint on the same service
    demo.warm_up = functools.partial(warm_up, assistant)  # `serve` calls it once the page answers
    return demo


def warm_up(assistant: Any) -> threading.Thread:
    """Behind the ready page, what the first questions would otherwise wait for: the agent (with the
    extractive backend only imports, langgraph's 1.8 s of CPU), the index's BM25 and Chroma halves
    (2 s) and the charge ranking (2 s to load, about 15 s to fit the first time). Started after the
    page answers: on a busy machine a thread started before competes with the start for the GIL. A
    question that comes first waits for them under the service's locks."""

    def run() -> None:
        try:
            searcher = assistant.agent().searcher
            searcher.prepare()
            searcher.search("盗窃")
            assistant.charge_ranker()
        except Exception as e:  # the first question meets it again and reports it
            log.warning("warming up failed: %s", e)

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread


def launch(
    demo: Any, settings: Settings, *, host: str | None = None, port: int | None = None, block: bool = True
) -> Any:
    """Start the server (never shared, no analytics); returns (app, local_url, share_url)."""
    demo.queue(default_concurrency_limit=4)
    return demo.launch(
        server_name=host or settings.ui.host,
        server_port=port or settings.ui.port,
        share=False,
        inbrowser=False,
        prevent_thread_lock=not block,
        show_error=True,
        quiet=not block,
        # Gradio's own cap stops huge bodies early; the index service gives the clear message below it.
        max_file_size=max(settings.ui.max_upload_bytes * 4, 20_000_000),
        footer_links=[],
        css=CSS,
        head=HEAD,
        mcp_server=False,
        ssr_mode=False,
    )
