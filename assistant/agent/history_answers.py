"""Answer "how did this law change" questions from corpora.history, never from a model's memory.

Three kinds: one article (刑法第三百九十条修改了什么？), one amendment (修正案（十二）改了哪些条文？) and
one version of a law (民事诉讼法2023年修改了哪些条文？). The text states the corpus's data date and
says which versions it does not hold instead of guessing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corpora.citations import parse_citations
from corpora.history import (
    DATA_DATE,
    Amendment,
    ArticleChange,
    ArticleHistory,
    HistoryError,
    LawLibrary,
    LawVersion,
    clean_text,
)
from corpora.numerals import article_label

# Asking what changed, not mentioning a change in passing ("修改后加班费怎么算" is a consultation).
_HISTORY_WORDS = re.compile(
    r"(?:修改|修正|修订|改动|变动|变更|变化|改)了?(?:什么|哪些|哪几|啥|多少)|哪些条|历次|沿革|修改历史|修订历史|"
    r"新旧|前后对比|有何变化|有什么变化|怎么改|如何修改|改成了?什么"
)
_AMENDMENT_NAME = re.compile(r"(?:[\u4e00-\u9fff]{0,12}?)修正案(?:[（(][^）)]{1,6}[）)])?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CONTEXT = 14  # characters of unchanged text kept on each side of a change
MAX_LISTED = 60


@dataclass
class HistoryQuery:
    kind: str  # article / amendment / version
    law: str = ""
    number: int = 0
    suffix: int = 0
    amendment: str = ""
    year: str | None = None


def is_history_question(question: str) -> bool:
    """Asks how a law changed: a change word and an article, an amendment or a law with a year."""
    q = question.strip()
    if not _HISTORY_WORDS.search(q):
        return False
    return bool(parse_citations(q) or "修正案" in q or _YEAR.search(q))


def parse_history_query(question: str, lib: LawLibrary) -> HistoryQuery | None:
    refs = [r for r in parse_citations(question) if r.law]
    if refs:
        return HistoryQuery("article", law=refs[0].law or "", number=refs[0].number, suffix=refs[0].suffix)
    m = _AMENDMENT_NAME.search(question)
    if "修正案" in question and m:
        return HistoryQuery("amendment", amendment=m.group(0))
    law = lib.find_law_in(question)
    if law:
        y = _YEAR.search(question)
        return HistoryQuery("version", law=law, year=y.group(1) if y else None)
    return None


def compact_diff(ops: list[tuple[str, str, str]]) -> str:
    """Markdown: ~~deleted~~ and **inserted**, long unchanged stretches shortened to their ends."""
    out = []
    last = len(ops) - 1
    for k, (op, a, b) in enumerate(ops):
        if op != "equal":
            out.append((f"~~{a}~~" if a else "") + (f"**{b}**" if b else ""))
        elif k == 0 and k != last:
            out.append(a if len(a) <= _CONTEXT else "…" + a[-_CONTEXT:])
        elif k == last and k != 0:
            out.append(a if len(a) <= _CONTEXT else a[:_CONTEXT] + "…")
        else:
            out.append(a if len(a) <= 2 * _CONTEXT else f"{a[:_CONTEXT]}……{a[-_CONTEXT:]}")
    return "".join(out).replace("\n", "↵")


def _dates(adopted: str | None, in_force: str | None) -> str:
    return f"通过 {adopted or '未载明'}，施行 {in_force or '语料库未载明'}"


def article_markdown(h: ArticleHistory) -> str:
    lines = [f"**《{h.law_title}》{h.asked}的历次修改**（语料库数据截至 {h.data_date}，新版本在前）", ""]
    for k, v in enumerate(h.versions, start=1):
        by = "、".join(f"《{a.title}》{p.label}" for a, p in v.amendments)
        label = f"{k}. **{v.version} 版** {v.number_cn}（{_dates(v.adopted, v.in_force)}）："
        if v.status == "changed":
            older = h.versions[k].number_cn if k < len(h.versions) else ""
            moved = f"（原{older}）" if older and older != v.number_cn else ""
            lines.append(f"{label}较上一版本有修改{moved}" + (f"，修改依据：{by}" if by else "") + "。")
            lines.append(f"   修改内容：{compact_diff(v.diff)}")
        elif v.status == "renumbered":
            lines.append(f"{label}内容未变，条文序号由{h.versions[k].number_cn}改为{v.number_cn}。")
        elif v.status == "unchanged":
            lines.append(f"{label}与上一版本相同。")
        elif v.status == "added":
            lines.append(f"{label}本版本新增的条文" + (f"，依据：{by}" if by else "") + "。")
        else:
            lines.append(f"{label}语料库中最早的文本：")
            lines.append(f"   {clean_text(v.text)[:300]}")
    if h.earlier_amendments:
        named = "、".join(
            f"《{a.title}》（{a.adopted or '日期未载明'}通过）{p.label}" for a, p in h.earlier_amendments
        )
        lines.append(f"\n更早的修改：{named}也涉及本条；这些修改之前的条文全文不在语料库中。")
    if h.missing:
        lines.append(f"\n语料库没有以下版本的全文，无法比较（不作推测）：{'、'.join(h.missing)}。")
    return "\n".join(lines)


def _change_line(c: ArticleChange) -> str:
    if c.status == "added":
        return f"- 新增{c.new.number_cn if c.new else ''}"
    if c.status == "removed":
        return f"- 删去原{c.old.number_cn if c.old else ''}（新版本中没有内容相近的条文）"
    moved = f"（原{c.old.number_cn}）" if c.renumbered and c.old else ""
    return f"- 修改{c.new.number_cn if c.new else ''}{moved}"


def _article_number(change: ArticleChange) -> int:
    """Where the change stands: its new number, else (removed) its old one."""
    article = change.new or change.old
    return article.number if article is not None else 0


def comparison_markdown(old: LawVersion, new: LawVersion, changes: list[ArticleChange]) -> str:
    changed = [c for c in changes if c.status in ("changed", "added", "removed")]
    changed.sort(key=_article_number)
    moved = sum(1 for c in changes if c.status == "renumbered")
    lines = [
        f"**《{new.title}》{new.version} 版与 {old.version} 版的比较**（语料库数据截至 {DATA_DATE}）",
        f"{new.version} 版：{_dates(new.adopted, new.in_force)}；{old.version} 版：{_dates(old.adopted, old.in_force)}。",
        "",
        f"共有 {sum(c.status == 'changed' for c in changes)} 条修改、{sum(c.status == 'added' for c in changes)} 条新增、"
        f"{sum(c.status == 'removed' for c in changes)} 条删去；另有 {moved} 条内容未变、只是条文序号变化（按内容对应）。",
    ]
    lines += [_change_line(c) for c in changed[:MAX_LISTED]]
    if len(changed) > MAX_LISTED:
        lines.append(f"- ……另有 {len(changed) - MAX_LISTED} 条，见 `legal-assistant history` 的 JSON 输出")
    return "\n".join(lines)


def amendment_markdown(lib: LawLibrary, a: Amendment) -> str:
    lines = [
        f"**《{a.title}》修改的条文**（{_dates(a.adopted, a.in_force)}；语料库数据截至 {DATA_DATE}）",
        "",
    ]
    law = lib.versions(a.law_id)
    title = law[-1].title if law else a.law_id
    for p in a.parts:
        if p.targets:
            arts = "、".join(article_label(n, s) for n, s in p.targets)
            lines.append(f"- {p.label}《{title}》{arts}：{p.text.split('“', 1)[0].rstrip('：:')}")
    after = next((v for v in law if v.version == a.adopted), None)
    if after is None:
        lines.append(f"\n语料库中没有该修正案通过后的{a.law_id}全文，无法给出逐字比较。")
    else:
        lines.append(f'\n逐字比较见各条的历次修改（例如 `legal-assistant history "{a.law_id}第X条"`）。')
    return "\n".join(lines)


def answer_question(question: str, lib: LawLibrary) -> tuple[str, dict[str, Any] | None]:
    """(Markdown answer, the data as a dict) for a history question; HistoryError when it cannot be answered."""
    query = parse_history_query(question, lib)
    if query is None:
        raise HistoryError(
            "没有看出问的是哪部法律的哪一条或哪个修正案。请这样问：“刑法第三百九十条修改了什么？”"
            "“修正案（十二）改了哪些条文？”“民事诉讼法2023年修改了哪些条文？”"
        )
    return answer_query(query, lib)


def answer_query(query: HistoryQuery, lib: LawLibrary) -> tuple[str, dict[str, Any] | None]:
    if query.kind == "article":
        h = lib.article_history(query.law, query.number, query.suffix)
        return article_markdown(h), {"kind": "article", **h.to_dict()}
    if query.kind == "amendment":
        a = lib.find_amendment(query.amendment)
        return amendment_markdown(lib, a), {"kind": "amendment", "law_id": a.law_id, **a.to_dict()}
    law_id = lib.resolve_law(query.law)
    old, new, changes = lib.compare(law_id, query.year)
    data: dict[str, Any] = {
        "kind": "version",
        "law_id": law_id,
        "old_version": old.version,
        "new_version": new.version,
        "new_in_force": new.in_force,
        "changes": [c.to_dict() for c in changes if c.status != "unchanged"],
        "data_date": DATA_DATE,
    }
    text = comparison_markdown(old, new, changes)
    between = [a for a in lib.amendments(law_id) if old.version < (a.adopted or "") <= new.version]
    if between:
        text += "\n\n修改依据：" + "、".join(f"《{a.title}》" for a in between)
    else:
        text += "\n\n语料库中没有这次修改的修正案或修改决定文本；以上是按两版全文逐条比较的结果。"
    data["amendments"] = [a.title for a in between]
    return text, data


# --- the service's use: a history route and the 「历次修改」 of each source card ------------------


def source_history(hit: Any, lib: LawLibrary) -> list[dict[str, Any]] | None:
    """The versions of a source article, newest first, when the corpus holds more than one or an
    amendment touched it; None otherwise (and for cases, interpretations without articles …)."""
    law_id, number = getattr(hit, "law_id", ""), int(getattr(hit, "number", 0) or 0)
    if not law_id or not number or getattr(hit, "collection", "") == "cases":
        return None
    try:
        h = lib.article_history(law_id, number, int(getattr(hit, "suffix", 0) or 0))
    except HistoryError:
        return None
    if len(h.versions) < 2 and not h.earlier_amendments and not h.versions[0].amendments:
        return None
    rows = [v.to_dict() for v in h.versions]
    for row in rows:
        row.pop("text", None)  # the card already shows the text; the diff carries the change
    rows.append({"earlier_amendments": h.to_dict()["earlier_amendments"], "missing_versions": h.missing})
    return rows


def attach_histories(sources: list[Any], lib: LawLibrary) -> list[Any]:
    """Sources whose hits carry metadata["history"] (copies: index hits are shared and never mutated)."""
    from dataclasses import is_dataclass, replace

    out = []
    for s in sources:
        hit = getattr(s, "hit", None)
        rows = source_history(hit, lib) if hit is not None else None
        if rows and is_dataclass(hit) and is_dataclass(s):
            meta = {**(getattr(hit, "metadata", None) or {}), "history": rows}
            s = replace(s, hit=replace(hit, metadata=meta))  # type: ignore[type-var]
        out.append(s)
    return out


def history_sources(query: HistoryQuery | None, lib: LawLibrary, searcher: Any) -> list[Any]:
    """For an article question: the article as in force now and in the older version, from the index."""
    from assistant.backends.base import NumberedSource

    if query is None or query.kind != "article" or searcher is None:
        return []
    hits: list[Any] = []
    try:
        h = lib.article_history(query.law, query.number, query.suffix)
        for v in h.versions[:2]:
            hit = searcher.get_article(h.law_id, v.number, v.suffix, on_date=v.in_force or v.version)
            if hit is not None and all(hit.record_id != x.record_id for x in hits):
                hits.append(hit)
    except Exception:  # sources are a convenience: the history answer stands without them
        return []
    return [NumberedSource(n, hit) for n, hit in enumerate(hits, start=1)]


def answer_for_service(
    question: str, lib: LawLibrary | None, open_searcher: Any
) -> tuple[str, list[Any], list[Any]]:
    """(text with citation check and disclaimer, sources, checks) for the service's history route."""
    from assistant.agent.citation_check import CitationChecker, annotate
    from assistant.agent.disclaimer import with_disclaimer

    if lib is None:
        return with_disclaimer("没有可用的语料库，无法查询法律的修改历史。"), [], []
    try:
        query = parse_history_query(question, lib)
        text, _data = answer_question(question, lib)
    except HistoryError as e:
        return with_disclaimer(str(e)), [], []
    try:
        searcher = open_searcher()
    except Exception:  # no index: the history still answers, without source cards
        searcher = None
    sources = attach_histories(history_sources(query, lib, searcher), lib)
    if not sources:
        return with_disclaimer(text), [], []
    # Only the heading cites the article as it is today; the version lines quote the corpus itself and
    # name old numbers that today belong to other articles, which a check against the index would misread.
    head = text.split("\n", 1)[0]
    checks = CitationChecker(searcher).check(head, sources, default_law=sources[0].hit.law_id).checks
    return with_disclaimer(annotate(text, checks)), sources, list(checks)
