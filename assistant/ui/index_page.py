"""The index page: statistics and manifest of the index, uploads and server-folder updates, for administrators.

The login is checked on the server for every action (the `admin` flag lives in per-session
gr.State, which the browser cannot set); the chat tab needs no login.
"""

from __future__ import annotations

import hmac
import logging
import time
from pathlib import Path
from typing import Any

from assistant.index_service import IndexService, IndexServiceError, UpdateOutcome, change_rows
from assistant.ui import texts

log = logging.getLogger(__name__)
STATS_HEADERS = ["法律", "类别", "条文数", "版本日期"]
CHANGE_HEADERS = ["法律", "新增条文", "修改条文", "删除条文"]


class AdminAuth:
    """Administrator credentials from settings.ui (which reads LEGAL_ASSISTANT__UI__ADMIN_* too)."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password

    @property
    def enabled(self) -> bool:
        return bool(self.password)

    def check(self, user: str, password: str) -> bool:
        if not self.enabled:
            return False
        ok_user = hmac.compare_digest(user.encode(), self.user.encode())
        ok_password = hmac.compare_digest(password.encode(), self.password.encode())
        return ok_user and ok_password


def stats_rows(service: IndexService) -> list[list[Any]]:
    rows = []
    for s in service.stats():
        versions = s.get("versions") or []
        rows.append(
            [s.get("law", ""), s.get("kind", ""), s.get("articles", 0), "、".join(map(str, versions))]
        )
    return rows or [["（索引为空）", "", 0, ""]]


def outcome_markdown(outcome: UpdateOutcome) -> str:
    lines = [f"✓ {outcome.summary}"]
    if outcome.files:
        lines.append("写入上传目录：" + "、".join(f"`{f}`" for f in outcome.files))
    return "\n\n".join(lines)


def build_index_tab(gr: Any, service: IndexService | None, auth: AdminAuth) -> None:
    admin = gr.State(False)
    with gr.Column(elem_id="admin-login") as login_box:
        gr.Markdown("### 管理员登录\n索引管理需要管理员身份；咨询页无需登录。")
        if not auth.enabled or service is None:
            gr.Markdown(texts.ADMIN_DISABLED, elem_id="admin-disabled")
        user = gr.Textbox(label="用户名", elem_id="admin-user")
        password = gr.Textbox(label="密码", type="password", elem_id="admin-password")
        login = gr.Button("登录", variant="primary", elem_id="admin-login-button")
        login_msg = gr.Markdown("", elem_id="admin-login-message")
    with gr.Column(visible=False, elem_id="admin-panel") as panel:
        with gr.Row():
            gr.Markdown("### 索引概况")
            refresh = gr.Button("刷新", size="sm", elem_id="admin-refresh")
            logout = gr.Button("退出登录", size="sm", elem_id="admin-logout")
        overview = gr.Markdown("", elem_id="index-overview")
        stats = gr.Dataframe(headers=STATS_HEADERS, interactive=False, wrap=True, elem_id="index-stats")
        manifest = gr.JSON(label="索引清单（manifest）", elem_id="index-manifest")
        gr.Markdown(
            "### 更新索引\n上传修改后的法律文件（语料格式的 Markdown / 文本），或填写服务器上的语料文件夹。"
        )
        files = gr.File(
            label="法律文件", file_count="multiple", file_types=[".md", ".txt"], elem_id="law-upload"
        )
        target = gr.Textbox(
            label="保存路径（可留空：替换语料中同名或同标题的文件）",
            placeholder="laws/刑法/刑法.md",
            elem_id="upload-target",
        )
        upload = gr.Button("上传并更新索引", variant="primary", elem_id="upload-button")
        folder = gr.Textbox(label="服务器上的语料文件夹", placeholder="/srv/corpora", elem_id="corpus-folder")
        folder_button = gr.Button("从文件夹更新索引", elem_id="folder-button")
        result = gr.Markdown("", elem_id="update-result")
        report = gr.Dataframe(headers=CHANGE_HEADERS, interactive=False, wrap=True, elem_id="change-report")

    def view(is_admin: bool) -> dict[Any, Any]:
        if not is_admin or service is None:
            return {panel: gr.Column(visible=False), login_box: gr.Column(visible=True)}
        return {
            panel: gr.Column(visible=True),
            login_box: gr.Column(visible=False),
            overview: service.overview(),
            stats: stats_rows(service),
            manifest: service.manifest(),
        }

    def do_login(u: str, p: str):
        if service is None or not auth.enabled:
            return {login_msg: f"⚠️ {texts.ADMIN_DISABLED}", admin: False}
        if not auth.check(u, p):
            time.sleep(1.0)  # slows guessing without locking anyone out
            return {login_msg: f"⚠️ {texts.LOGIN_FAILED}", admin: False}
        return {login_msg: "", admin: True, password: "", **view(True)}

    def do_logout():
        return {admin: False, **view(False)}

    def run_update(is_admin: bool, action, progress: Any):
        if not is_admin or service is None:
            return {result: f"⚠️ {texts.ADMIN_REQUIRED}", **view(False)}
        try:
            outcome = action(lambda fraction, message: progress(fraction, desc=message))
        except IndexServiceError as e:
            return {result: f"⚠️ {e}（索引未改变）"}
        except Exception as e:  # corpus or index errors: the update is atomic, the old index still answers
            log.exception("index update failed")
            return {result: f"⚠️ 更新失败：{type(e).__name__}: {e}（索引未改变，仍使用上一版）"}
        return {
            result: outcome_markdown(outcome),
            report: change_rows(outcome.changes) or [["（没有变化）", "", "", ""]],
            files: None,  # applied: clear the picker for the next upload
            **view(True),
        }

    # Gradio injects a progress bar for a parameter whose default is a gr.Progress; track_tqdm shows the
    # index build's own tqdm bars in it.
    tracker = gr.Progress(track_tqdm=True)

    def do_upload(paths: list[str] | None, tgt: str, is_admin: bool, progress=tracker):
        def action(p):
            assert service is not None  # run_update refused already
            uploads = [(Path(x).name, Path(x).read_bytes()) for x in (paths or [])]
            return service.apply_uploads(uploads, tgt, progress=p)

        return run_update(is_admin, action, progress)

    def do_folder(path: str, is_admin: bool, progress=tracker):
        def action(p):
            assert service is not None
            return service.update_from_folder(path, progress=p)

        return run_update(is_admin, action, progress)

    panel_outputs = [panel, login_box, overview, stats, manifest]
    login.click(do_login, [user, password], [login_msg, admin, password, *panel_outputs])
    password.submit(do_login, [user, password], [login_msg, admin, password, *panel_outputs])
    logout.click(do_logout, None, [admin, *panel_outputs])
    refresh.click(view, [admin], panel_outputs)
    update_outputs = [result, report, files, *panel_outputs]
    upload.click(
        do_upload, [files, target, admin], update_outputs, concurrency_limit=1, concurrency_id="index"
    )
    folder_button.click(
        do_folder, [folder, admin], update_outputs, concurrency_limit=1, concurrency_id="index"
    )
