"""The charge name of a Criminal Law article, read from the 罪名 documents in the index.

最高人民检察院《关于适用刑法分则规定的犯罪的罪名的意见》 lists every charge of 1997 as
`134．侵犯著作权罪（第217条）`; the 确定罪名的补充规定 (一)–(八) add and rename charges in tables
`| 第一百三十三条之一 （…） |危险驾驶罪 |`. The latest document that names the article wins, and it
is returned with the name so that the answer can cite it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Protocol

from corpora.numerals import int_to_cn

log = logging.getLogger(__name__)

CHARGE_LIST_1997 = "最高人民检察院关于适用刑法分则规定的犯罪的罪名的意见"


class InterpretationSearch(Protocol):
    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: Any = None
    ) -> list[Any]: ...


def _patterns(number: int, suffix: int) -> list[re.Pattern[str]]:
    label = f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
    table = re.compile(rf"\|\s*{label}(?!之)[^|]*\|\s*([^|（(\s]+?罪)")
    if suffix:
        return [table]
    return [re.compile(rf"[．.、]\s*([^（）()\s．.]+?罪)（第{number}条(?:第\d+款)?[）、]"), table]


def charge_for_article(
    searcher: InterpretationSearch, number: int, suffix: int = 0
) -> tuple[str, Any] | None:
    """(charge name, the hit that names it) for 刑法第number条(之suffix), or None when no document does."""
    label = f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
    try:
        hits = searcher.search(f"罪名 刑法条文 {label} 第{number}条", kind="interpretations", k=20)
        hits += searcher.search(
            f"罪名 第{number}条", kind="interpretations", k=3, where={"law_title": CHARGE_LIST_1997}
        )
    except Exception as e:  # the name is a convenience: without it the answer cites the article alone
        log.warning("charge lookup for article %s failed: %s", label, e)
        return None
    found: list[tuple[str, str, Any]] = []
    for hit in hits:
        if "罪名" not in str(getattr(hit, "law_title", "")):
            continue
        for pattern in _patterns(number, suffix):
            m = pattern.search(str(hit.text))
            if m:
                found.append((str(getattr(hit, "version", "") or ""), m.group(1), _one_line(hit, m)))
                break
    if not found:
        return None
    _, name, hit = max(found, key=lambda t: t[0])
    return name, hit


def _one_line(hit: Any, m: re.Match[str]) -> Any:
    """The hit cut to the line that names the charge: the 1997 opinion runs to 9,500 characters, and
    an answer cites one item of it (134．侵犯著作权罪（第217条）), not the whole."""
    text = str(hit.text)
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    line = text[start : end if end >= 0 else len(text)]
    if len(line) > 200:  # a list written as one paragraph: from the item's number to its closing bracket
        head = re.search(r"\d+\s*[．.]\s*$", text[max(0, m.start() - 8) : m.start() + 1])
        start = max(0, m.start() - 8) + head.start() if head else m.start()
        line = text[start : m.end()].strip()
    try:
        return replace(hit, text=line)
    except TypeError:  # not a dataclass hit: keep it whole rather than lose the citation
        return hit
