"""The index page: statistics and manifest of the index, uploads and server-folder updates, for administrators.

The login is checked on the server for every action (the `admin` flag lives in per-session
gr.State, which the browser cannot set); the chat tab needs no login.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.services.index import IndexService, IndexServiceError, UpdateOutcome, change_rows
from assistant.ui import texts

log = logging.getLogger(__name__)
STATS_HEADERS = ["法律", "类别", "条文数", "版本日期"]
CHANGE_HEADERS = ["法律", "新增条文", "修改条文", "删除条文"]


class AdminAuth:
    """Administrator credentials from settings.ui (which reads LEGAL_ASSISTANT__UI__ADMIN_* too), with a
    per-client lockout: after `max_failures` wrong logins a client waits `lock_s`, doubling with each
    further failure, and during the wait even the right password is refused (it would confirm a guess)."""

    def __init__(
        self,
        user: str,
        password: str,
        max_failures: int = 5,
        lock_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user, self.password = user, password
        self.max_failures, self.lock_s, self.clock = max_failures, lock_s, clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.password)

    def check(self, user: str, password: str) -> bool:
        if not self.enabled:
            return False
        ok_user = hmac.compare_digest(user.encode(), self.user.encode())
        ok_password = hmac.compare_digest(password.encode(), self.password.encode())
        return ok_user and ok_password

    def wait_s(self, client: str) -> float:
        """Seconds this client must wait before its next login attempt (0 when it may try)."""
        with self._lock:
            return max(0.0, self._locked_until.get(client, 0.0) - self.clock())

    def login(self, user: str, password: str, client: str) -> bool:
        """Check a login from `client` (its address), counting failures; False while it is locked out."""
        if self.wait_s(client) > 0:
            return False
        ok = self.check(user, password)
        with self._lock:
            if ok:
                self._failures.pop(client, None)
                self._locked_until.pop(client, None)
                return True
            n = self._failures.get(client, 0) + 1
            self._failures[client] = n
            if n >= self.max_failures:
                self._locked_until[client] = self.clock() + self.lock_s * 2 ** (n - self.max_failures)
        return False


def uploaded_paths(paths: list[str] | None, upload_root: Path) -> list[Path]:
    """The files Gradio received for this upload: only paths inside its upload folder, never any other
    server file an API call might name."""
    root = upload_root.resolve()
    out = []
    for raw in paths or []:
        path = Path(raw).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise IndexServiceError(f"只接受通过本页上传的文件，拒绝服务器路径：{Path(raw).name}")
        out.append(path)
    return out


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
    lines += [f"⚠️ {w}" for w in outcome.warnings]
    return "\n\n".join(lines)


def upload_folder() -> str:
    """Where Gradio stores uploaded files (its GRADIO_TEMP_DIR rule)."""
    from gradio.utils import get_upload_folder

    return str(get_upload_folder())


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
        prune = gr.Checkbox(
            label="允许删除（这次更新若要删除较多条文，需勾选确认）", value=False, elem_id="allow-prune"
        )
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

    def do_login(u, p, request):
        if service is None or not auth.enabled:
            return {login_msg: f"⚠️ {texts.ADMIN_DISABLED}", admin: False}
        client = getattr(getattr(request, "client", None), "host", None) or "unknown"
        if not auth.login(u, p, client):
            wait = auth.wait_s(client)
            if wait > 0:
                return {login_msg: f"⚠️ 登录失败次数过多，请 {wait:.0f} 秒后再试。", admin: False}
            time.sleep(1.0)  # slows guessing; the lockout stops it
            return {login_msg: f"⚠️ {texts.LOGIN_FAILED}", admin: False}
        return {login_msg: "", admin: True, password: "", **view(True)}

    # Gradio passes the request to a parameter annotated gr.Request; the annotation must be the class
    # itself (this module's annotations are strings, and `gr` is not a global here).
    do_login.__annotations__ = {"u": str, "p": str, "request": gr.Request}

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

    def do_upload(paths: list[str] | None, tgt: str, allow_prune: bool, is_admin: bool, progress=tracker):
        def action(p):
            assert service is not None  # run_update refused already
            files = uploaded_paths(paths, Path(upload_folder()))
            uploads = [(x.name, x.read_bytes()) for x in files]
            return service.apply_uploads(uploads, tgt, progress=p, prune=allow_prune)

        return run_update(is_admin, action, progress)

    def do_folder(path: str, allow_prune: bool, is_admin: bool, progress=tracker):
        def action(p):
            assert service is not None
            return service.update_from_folder(path, progress=p, prune=allow_prune)

        return run_update(is_admin, action, progress)

    panel_outputs = [panel, login_box, overview, stats, manifest]
    login.click(do_login, [user, password], [login_msg, admin, password, *panel_outputs])
    password.submit(do_login, [user, password], [login_msg, admin, password, *panel_outputs])
    logout.click(do_logout, None, [admin, *panel_outputs])
    refresh.click(view, [admin], panel_outputs)
    update_outputs = [result, report, files, *panel_outputs]
    upload.click(
        do_upload, [files, target, prune, admin], update_outputs, concurrency_limit=1, concurrency_id="index"
    )
    folder_button.click(
        do_folder, [folder, prune, admin], update_outputs, concurrency_limit=1, concurrency_id="index"
    )
