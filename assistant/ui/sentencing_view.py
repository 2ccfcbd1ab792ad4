"""The sentencing view: circumstances with their evidence words, the guideline steps, the similar-case chart.

Reads the sentencing estimate of an Answer (the engine's typed `SentenceEstimate`; the dict that
`--json` prints reads the same, through `field()`) and draws it; computes nothing legal itself.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from assistant.ui.render import field
from corpora.numerals import int_to_cn

# Debian's fonts-noto-cjk; without a CJK font matplotlib draws Chinese labels as boxes.
_CJK_FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
]
STEP_HEADERS = ["罪名", "步骤", "刑期（月）", "依据", "说明与事实"]
_DIRECTION = {"从宽": "从宽", "从严": "从严", "不调节": "不调节"}


def circumstances_html(trace: Any) -> str:
    """Each circumstance with the exact words of the facts it was found in."""
    items = []
    for c in field(trace, "circumstances") or []:
        name = html.escape(str(field(c, "name", "")))
        evidence = html.escape(str(field(c, "evidence", "")))
        direction = str(field(c, "direction", "") or "")
        effect = html.escape(_DIRECTION.get(direction, direction))
        effect_html = f' <span class="circ-effect">（{effect}）</span>' if effect else ""
        items.append(f'<li><b>{name}</b>{effect_html} — 事实原文：<q class="evidence">{evidence}</q></li>')
    if not items:
        return '<div class="circ"><b>量刑情节</b>：没有从事实中识别出量刑情节。</div>'
    return '<div class="circ"><b>量刑情节</b><ul>' + "".join(items) + "</ul></div>"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return "" if value is None else str(value)


def _article(charge: Any) -> str:
    """第133条之一: the suffix matters (133 is 交通肇事, 133之一 危险驾驶)."""
    suffix = field(charge, "article_suffix") or 0
    return f"第{field(charge, 'article')}条" + (f"之{int_to_cn(int(suffix))}" if suffix else "")


def step_rows(trace: Any) -> list[list[str]]:
    """One row per guideline step of each charge: 量刑起点 → 基准刑 → 调节 → 宣告刑, with its basis."""
    rows = []
    for charge in field(trace, "charges") or []:
        label = str(field(charge, "charge") or "未定罪名")
        if field(charge, "article"):
            label += f"（刑法{_article(charge)}）"
        for s in field(charge, "steps") or []:
            detail = str(field(s, "detail", "") or "")
            if field(s, "evidence"):
                detail += f"（“{field(s, 'evidence')}”）"
            rows.append(
                [label, _fmt(field(s, "name")), _fmt(field(s, "months")), _fmt(field(s, "basis")), detail]
            )
    return rows


def similar_terms(trace: Any) -> list[tuple[str, float]]:
    """(case id, term in months) of the similar cases with a fixed term, closest first."""
    similar = field(trace, "similar") or {}
    out = []
    for case in field(similar, "cases") or []:
        months = field(case, "term_months")
        if months is not None:
            out.append((str(field(case, "case_id", "")), float(months)))
    return out


def estimate_of(trace: Any) -> tuple[float | None, float | None, float | None, str]:
    """(low, high, point, kind) of the final estimate, in months; no point nor range where the facts lack
    the figure the charge's ranges depend on (the answer then gives the ranges, not a term)."""
    if field(trace, "figure_missing"):
        return None, None, None, str(field(trace, "kind") or "")
    span = field(trace, "range_months") or [field(trace, "low_months"), field(trace, "high_months")]
    low, high = (list(span) + [None, None])[:2]
    return low, high, field(trace, "point_months"), str(field(trace, "kind") or "")


def summary_line(trace: Any) -> str:
    low, high, point, kind = estimate_of(trace)
    if point is None and not field(trace, "figure_missing"):
        return "无法估计刑期（见回答中的说明）。"
    # the engine's own words: kind, range, fine and 缓刑 as the law reads (a method of the typed estimate)
    words = getattr(trace, "conclusion", None)
    conclusion = words() if callable(words) else field(trace, "conclusion")
    if conclusion:
        return str(conclusion)
    line = f"估计：{kind or '有期徒刑'} 约 {_fmt(point)} 个月"
    if low is not None and high is not None:
        line += f"（幅度 {_fmt(low)}–{_fmt(high)} 个月）"
    similar = field(trace, "similar") or {}
    if field(similar, "median_months") is not None:
        line += (
            f"；相似案例 {field(similar, 'n_terms')} 件，中位数 {_fmt(field(similar, 'median_months'))} 个月"
        )
    return line + ("；可能适用缓刑" if field(trace, "probation_plausible") else "")


def _use_cjk_font(plt: Any) -> None:
    from matplotlib import font_manager

    for path in _CJK_FONTS:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name()
            plt.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            break
    plt.rcParams["axes.unicode_minus"] = False


def terms_chart(trace: Any) -> Any:
    """A matplotlib figure: each similar case's term as a bar, the estimate as a band and a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    _use_cjk_font(plt)
    terms = similar_terms(trace)
    low, high, point, _kind = estimate_of(trace)
    fig = Figure(figsize=(6.4, 3.4), dpi=100, layout="constrained")
    ax = fig.subplots()
    if terms:
        xs = range(1, len(terms) + 1)
        ax.bar(xs, [m for _, m in terms], color="#8aa4c8", label="类似案例刑期", zorder=3)
        ax.set_xticks(list(xs), [f"案例{i}" for i in xs])
    else:  # say so rather than draw an empty axis
        ax.set_xticks([])
        ax.text(
            0.5,
            0.5,
            "没有带有期徒刑刑期的类似案例",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#666",
        )
    if low is not None and high is not None:
        ax.axhspan(
            float(low),
            float(high),
            color="#f2b36b",
            alpha=0.35,
            label=f"估计幅度 {_fmt(low)}–{_fmt(high)} 个月",
            zorder=1,
        )
    if point is not None:
        ax.axhline(
            float(point), color="#c0392b", linewidth=2.2, label=f"本案估计 {_fmt(point)} 个月", zorder=4
        )
    ax.set_ylabel("刑期（月）")
    ax.set_title("类似案例刑期与本案估计", fontsize=11)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3, zorder=0)
    if terms or point is not None:
        # Below the axes, so it never covers a bar.
        fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig
