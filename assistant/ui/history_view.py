"""The 「历次修改」 part of a source card: each version of the article, its dates and the diff highlighted.

Reads hit.metadata["history"] (set by the service from corpora.history); a hit without it gets nothing.
Inline styles, so that the part needs no change to the app's stylesheet.
"""

from __future__ import annotations

import html
from typing import Any

from assistant.ui.render import field

_DEL = "background:#fde2e1;color:#b3261e;text-decoration:line-through"
_INS = "background:#dafbe1;color:#1a7f37;text-decoration:none"
_STATUS = {
    "changed": "较上一版本有修改",
    "renumbered": "内容未变，条文序号变化",
    "unchanged": "与上一版本相同",
    "added": "本版本新增",
    "oldest": "语料库中最早的文本",
}


def diff_html(ops: list[Any]) -> str:
    out = []
    for op, old, new in ops:
        if op == "equal":
            out.append(html.escape(old))
            continue
        if old:
            out.append(f'<del style="{_DEL}">{html.escape(old)}</del>')
        if new:
            out.append(f'<ins style="{_INS}">{html.escape(new)}</ins>')
    return "".join(out).replace("\n", "<br>")


def _version_row(row: dict[str, Any]) -> str:
    head = (
        f"<b>{html.escape(str(row.get('version') or ''))} 版</b> {html.escape(str(row.get('article') or ''))}"
        f"（施行 {html.escape(str(row.get('in_force') or '语料库未载明'))}）："
        f"{_STATUS.get(str(row.get('status')), html.escape(str(row.get('status'))))}"
    )
    by = "、".join(f"《{a['title']}》{a['part']}" for a in row.get("amendments") or [])
    if by:
        head += f"，依据{html.escape(by)}"
    diff = row.get("diff") or []
    body = f'<div class="src-diff">{diff_html(diff)}</div>' if diff else ""
    return f"<li>{head}{body}</li>"


def history_section(hit: Any) -> str:
    """HTML for the card, or "" when the corpus holds one version of the article and no amendment."""
    rows = (field(hit, "metadata", {}) or {}).get("history")
    if not rows:
        return ""
    versions = [r for r in rows if "version" in r]
    notes: dict[str, Any] = next((r for r in rows if "missing_versions" in r), {})
    items = "".join(_version_row(r) for r in versions)
    extra = []
    if notes.get("earlier_amendments"):
        named = "、".join(f"《{a['title']}》{a['part']}" for a in notes["earlier_amendments"])
        extra.append(f"更早的修改：{html.escape(named)}（这些版本的全文不在语料库中）")
    if notes.get("missing_versions"):
        extra.append("语料库没有这些版本的全文：" + html.escape("、".join(notes["missing_versions"])))
    tail = "".join(f'<div class="src-meta">{e}</div>' for e in extra)
    return (
        f'<details class="src-history"><summary>历次修改（语料库中 {len(versions)} 个版本）</summary>'
        f"<ol>{items}</ol>{tail}</details>"
    )
