"""Turn an assistant Answer into what the page shows: linked answer text, source cards, checks, export.

Pure functions (no Gradio), so they are tested without a browser. Answers, hits and checks are read
through `field()`, which accepts objects and dicts alike: the UI depends on the names of the fields
only, not on the classes that carry them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.ui import texts

_SOURCE_REF = re.compile(r"\[(\d{1,3})\]")
_UNVERIFIED = "⚠未核实"
# The check's inline marks: unverified, and the two it knows for certain (the article does not
# exist; the law is repealed). All are highlighted alike.
_MARK = re.compile(r"⚠(?:未核实|该条不存在|已废止)")
_STATUS_MARK = {"nonexistent": "⚠该条不存在", "repealed": "⚠已废止"}


def field(obj: Any, name: str, default: Any = None) -> Any:
    """obj.name or obj[name], else default."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def link_sources(text: str, n_sources: int) -> str:
    """`[n]` → a link to source card n (only for n that exists); unverified marks highlighted."""

    def repl(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if 1 <= n <= n_sources:
            return f'<a href="#src-{n}" class="cite-link" title="来源 {n}">[{n}]</a>'
        return m.group(0)

    linked = _SOURCE_REF.sub(repl, text)
    return _MARK.sub(lambda m: f'<mark class="unverified">{m.group(0)}</mark>', linked)


def answer_markdown(text: str, n_sources: int, backend: str = "") -> str:
    """The assistant message as shown in the chat: linked text, then the notice under every answer."""
    parts = [link_sources(text.rstrip(), n_sources)]
    # The service closes every answer with its disclaimer; add ours only where it did not.
    notice = "" if "不构成法律意见" in text else texts.ANSWER_NOTICE
    tail = "　".join(p for p in (notice, f"回答方式：{backend}" if backend else "") if p)
    if tail:
        parts.append(f'<div class="answer-notice">{html.escape(tail)}</div>')
    return "\n\n".join(parts)


def _status(hit: Any) -> tuple[str, str]:
    current = field(hit, "current", True)
    return ("现行有效", "in-force") if current else ("非现行版本", "not-in-force")


def _case_card(n: int, hit: Any) -> str:
    meta = field(hit, "metadata", {}) or {}
    term = meta.get("term_months")
    outcome = "无期徒刑" if meta.get("life_imprisonment") else "死刑" if meta.get("death_penalty") else ""
    if not outcome and isinstance(term, int | float):  # below six months a term is 拘役 (刑法第四十二条)
        outcome = "未判处监禁刑" if term == 0 else f"{'拘役' if term < 6 else '有期徒刑'} {term:g} 个月"
    outcome = outcome or "刑期未知"
    fact = html.escape(str(field(hit, "text", "")))
    return (
        f'<div class="src-card case" id="src-{n}" data-n="{n}">'
        f'<div class="src-head"><span class="src-n">[{n}]</span> {html.escape(str(field(hit, "citation", "")))}</div>'
        f'<div class="src-meta">类似案例 · {html.escape(outcome)}</div>'
        f'<details><summary>案情</summary><div class="src-text">{fact}</div></details></div>'
    )


def source_card(n: int, hit: Any) -> str:
    if field(hit, "collection") == "cases":
        return _case_card(n, hit)
    citation = field(hit, "citation") or f"《{field(hit, 'law_title', '')}》{field(hit, 'number_cn', '')}"
    version = field(hit, "version") or "未注明"
    kind = field(hit, "kind", "")
    status, status_class = _status(hit)
    body = html.escape(str(field(hit, "text", ""))).replace("\n", "<br>")
    return (
        f'<div class="src-card" id="src-{n}" data-n="{n}">'
        f'<div class="src-head"><span class="src-n">[{n}]</span> {html.escape(str(citation))}</div>'
        f'<div class="src-meta">{html.escape(str(kind))} · 版本 {html.escape(str(version))} · '
        f'<span class="{status_class}">{status}</span></div>'
        f'<div class="src-text">{body}</div>{_history(hit)}</div>'
    )


def _history(hit: Any) -> str:
    from assistant.ui.history_view import history_section  # imports this module: import at call time

    return history_section(hit)


def sources_html(sources: Sequence[Any]) -> str:
    if not sources:
        return f'<div class="src-empty">{texts.NO_SOURCES}</div>'
    cards = "".join(source_card(i, hit) for i, hit in enumerate(sources, start=1))
    return f'<div class="src-list">{cards}</div>'


def _check_verified(check: Any) -> bool:
    flagged = field(check, "flagged")
    if flagged is not None:
        return not flagged
    status = field(check, "status")
    if status is not None:
        return str(status) in {"verified", "in_index"}
    return bool(field(check, "verified", False))


def checks_html(checks: Iterable[Any]) -> str:
    """The citation check: unverified ones listed and marked, verified ones folded, each linked to its card."""
    ok, bad = [], []
    for check in checks:
        label = html.escape(str(field(check, "text") or field(check, "citation") or ""))
        reason = html.escape(str(field(check, "reason") or ""))
        source = field(check, "source")
        if _check_verified(check):
            target = (
                f' → <a href="#src-{source}" class="cite-link">[{source}]</a>' if source else f" {reason}"
            )
            ok.append(f'<li class="check-ok">✓ {label}{target}</li>')
        else:
            mark = _STATUS_MARK.get(str(field(check, "status")), _UNVERIFIED)
            bad.append(f'<li class="check-bad"><mark class="unverified">{mark}</mark> {label} {reason}</li>')
    if not ok and not bad:
        return ""
    head = f"<b>引用核验</b>：{len(ok)} 处已核实" + (
        f"，<b class='check-bad'>{len(bad)} 处有问题</b>" if bad else ""
    )
    folded = f"<details><summary>已核实的引用</summary><ul>{''.join(ok)}</ul></details>" if ok else ""
    return f'<div class="checks">{head}<ul>{"".join(bad)}</ul>{folded}</div>'


def export_markdown(turns: Sequence[dict[str, Any]]) -> str:
    """The whole conversation as Markdown: each question, the answer and its numbered sources."""
    lines = [f"# {texts.TITLE}", "", f"> {texts.ANSWER_NOTICE}", ""]
    for i, turn in enumerate(turns, start=1):
        lines += [
            f"## 问题 {i}",
            "",
            str(turn["question"]),
            "",
            "### 回答",
            "",
            str(turn["text"]).rstrip(),
            "",
        ]
        sources = turn.get("sources") or []
        if sources:
            lines += ["### 来源", ""]
            for n, hit in enumerate(sources, start=1):
                status = _status(hit)[0]
                lines.append(
                    f"[{n}] {field(hit, 'citation', '')}（版本 {field(hit, 'version') or '未注明'}，{status}）"
                )
                lines += ["", "    " + str(field(hit, "text", "")).replace("\n", "\n    "), ""]
    return "\n".join(lines).rstrip() + "\n"
