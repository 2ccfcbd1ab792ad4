"""The chat tab: streaming answers, mode selector, examples, clear and export; sources and sentencing beside.

Each browser session has its own `gr.State` (the turns so far, each with the case facts its answer
left), so two users never see each other's conversation, and a follow-up changes the facts of the
case before it. The callbacks only call the assistant service and render what it returns.
"""

from __future__ import annotations

import html
import logging
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from assistant.ui import render, sentencing_view, texts

log = logging.getLogger(__name__)

# Stream updates at most this often: each yield is a websocket message per session.
_STREAM_INTERVAL_S = 0.08
CHAT_CONCURRENCY = 8


class ChatAssistant(Protocol):
    """What the chat needs of the assistant service (`AssistantService.stream`)."""

    def stream(
        self, question: str, history: Sequence[Any] = (), mode: str = "auto", facts: Any = None
    ) -> Iterator[Any]: ...


class ChatController:
    """The chat callbacks, bound to one assistant service (shared) and per-session state (passed in)."""

    def __init__(self, assistant: ChatAssistant, max_question_chars: int) -> None:
        self.assistant = assistant
        self.max_question_chars = max_question_chars

    def check_question(self, question: str) -> str | None:
        """The service's own message for a question it would refuse (empty, too long …), else None.

        Checked before the question enters the conversation, so the user can edit it in place.
        """
        from assistant.services.answer import question_problem

        return question_problem(question, self.max_question_chars)

    @staticmethod
    def history(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for turn in turns:
            out += [
                {"role": "user", "content": turn["question"]},
                {"role": "assistant", "content": turn["text"]},
            ]
        return out

    @staticmethod
    def facts(turns: list[dict[str, Any]]) -> Any:
        """The case facts the last answer left (None: the service folds them from the history)."""
        return turns[-1].get("facts") if turns else None

    def stream(self, question: str, mode: str, turns: list[dict[str, Any]]) -> Iterator[tuple[str, Any]]:
        """("token", text so far) while the answer streams, then ("final", Answer)."""
        text = ""
        final = None
        events = self.assistant.stream(question, self.history(turns), mode, self.facts(turns))
        for event in events:
            answer = render.field(event, "answer")
            if answer is not None:
                final = answer
                break
            text += str(render.field(event, "text", "") or "")
            yield "token", text
        if final is None:
            raise RuntimeError("assistant stream ended without a final answer")
        yield "final", final


def _export(turns: list[dict[str, Any]]) -> str:
    folder = Path(tempfile.mkdtemp(prefix="legal-assistant-export-"))
    path = folder / f"法律咨询记录-{time.strftime('%Y%m%d-%H%M%S')}.md"
    path.write_text(render.export_markdown(turns), encoding="utf-8")
    return str(path)


def build_chat_tab(gr: Any, controller: ChatController) -> None:
    """Lay out the chat tab inside the current gr.Blocks context and wire its events."""
    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            mode = gr.Radio(list(texts.MODES), value="自动", label="模式", elem_id="mode")
            chatbot = gr.Chatbot(label="对话", height=520, elem_id="chatbot", buttons=["copy"])
            question = gr.Textbox(
                label="问题", placeholder="输入案情或法律问题，回车发送（Shift+回车换行）", lines=1, max_lines=8,
                elem_id="question",
            )  # fmt: skip
            with gr.Row():
                send = gr.Button("发送", variant="primary", elem_id="send")
                clear = gr.Button("清空对话", elem_id="clear")
                export = gr.Button("导出 Markdown", elem_id="export")
            status = gr.Markdown("", elem_id="chat-status")
            export_file = gr.File(label="导出的对话", visible=False, elem_id="export-file")
            gr.Examples([[e] for e in texts.EXAMPLES], inputs=[question], label="示例问题")
            with gr.Column(visible=False, elem_id="sentencing-view") as sentencing:
                gr.Markdown("### 量刑分析")
                circumstances = gr.HTML(elem_id="circumstances")
                steps = gr.Dataframe(
                    headers=sentencing_view.STEP_HEADERS,
                    interactive=False,
                    wrap=True,
                    elem_id="guideline-steps",
                    column_widths=["17%", "11%", "9%", "30%", "33%"],
                )
                chart = gr.Plot(label="类似案例刑期与本案估计", elem_id="terms-chart")
        with gr.Column(scale=2, min_width=320, elem_id="sources-column"):
            gr.Markdown("### 引用来源")
            checks = gr.HTML("", elem_id="checks")
            sources = gr.HTML(f'<div class="src-empty">{texts.NO_SOURCES}</div>', elem_id="sources")

    def respond(q: str, mode_label: str, state: list[dict[str, Any]], messages: list[dict[str, Any]]):
        problem = controller.check_question(q)
        if problem is not None:
            yield {status: f"⚠️ {problem}"}
            return
        messages = [
            *(messages or []),
            {"role": "user", "content": q},
            {"role": "assistant", "content": "正在检索…"},
        ]
        yield {question: "", chatbot: messages, status: "", export_file: gr.File(visible=False)}
        last = 0.0
        try:
            for kind, payload in controller.stream(q, texts.MODES.get(mode_label, "auto"), state):
                if kind == "token":
                    if time.monotonic() - last >= _STREAM_INTERVAL_S:
                        last = time.monotonic()
                        messages[-1] = {"role": "assistant", "content": payload}
                        yield {chatbot: messages}
                    continue
                yield _final_update(q, payload, state, messages)
        except Exception as e:  # the service answers its own errors; this keeps the page alive for the rest
            log.exception("chat callback failed")
            messages[-1] = {"role": "assistant", "content": f"⚠️ 回答失败：{type(e).__name__}: {e}"}
            yield {chatbot: messages, status: f"⚠️ 回答失败：{e}。对话已保留，请重试。"}

    def _final_update(q: str, answer: Any, state: list[dict[str, Any]], messages: list[dict[str, Any]]):
        text = str(render.field(answer, "text", ""))
        hits = [
            render.field(h, "hit", h) for h in render.field(answer, "sources", None) or []
        ]  # NumberedSource
        backend = str(render.field(answer, "backend", "") or "")
        messages[-1] = {"role": "assistant", "content": render.answer_markdown(text, len(hits), backend)}
        # the facts go with the turn, so the next question changes them (the previous ones where this
        # answer carries none, e.g. an error)
        facts = render.field(answer, "facts", None) or ChatController.facts(state)
        new_state = [*state, {"question": q, "text": text, "sources": hits, "facts": facts}]
        trace = render.field(answer, "sentencing", None)
        update = {
            chatbot: messages,
            turns: new_state,
            sources: render.sources_html(hits),
            checks: render.checks_html(render.field(answer, "citations", None) or []),
            sentencing: gr.Column(visible=bool(trace)),
        }
        if trace:
            estimate = html.escape(sentencing_view.summary_line(trace))
            update[circumstances] = (
                f'<div class="estimate"><b>{estimate}</b></div>' + sentencing_view.circumstances_html(trace)
            )
            update[steps] = sentencing_view.step_rows(trace) or [[""] * len(sentencing_view.STEP_HEADERS)]
            update[chart] = sentencing_view.terms_chart(trace)
        return update

    outputs = [
        question,
        chatbot,
        status,
        export_file,
        turns,
        sources,
        checks,
        sentencing,
        circumstances,
        steps,
        chart,
    ]
    inputs = [question, mode, turns, chatbot]
    for trigger in (question.submit, send.click):
        trigger(respond, inputs, outputs, concurrency_limit=CHAT_CONCURRENCY, concurrency_id="chat")

    def do_clear():
        return [], [], f'<div class="src-empty">{texts.NO_SOURCES}</div>', "", gr.Column(visible=False), ""

    clear.click(do_clear, None, [chatbot, turns, sources, checks, sentencing, status])

    def do_export(state: list[dict[str, Any]]):
        if not state:
            return gr.File(visible=False), "⚠️ 还没有可以导出的对话。"
        return gr.File(value=_export(state), visible=True), "已导出当前对话（Markdown）。"

    export.click(do_export, [turns], [export_file, status])
