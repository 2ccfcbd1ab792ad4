"""An article's text on a past day, from what the corpus holds: the newest version of the law in force
that day, or, for a day before every version the corpus holds, the wording an amendment in force that
day gave the whole article (刑法修正案（六）七、「将刑法第一百六十三条修改为：“……”」 is 第一百六十三条
from 2006 until 刑法修正案（十一） changed it in 2021).

A judgment applies the law of its day: CAIL2018's cases were judged under 第一百六十三条's 五年以下, not
today's 三年以下. Where neither is held (the 1997 wording of an article that one later amendment
changed), the article is left out, and the caller keeps today's text.
"""

from __future__ import annotations

import re
from pathlib import Path

from corpora.history import Amendment, AmendmentPart, library_for

# 「将刑法第X条修改为：“…”」, 「在刑法第X条后增加一条，作为第X条之一：“…”」: the whole article; a part that
# changes one 款 (「将刑法第X条第一款修改为」) or adds a 款 does not give the whole text
_WHOLE = re.compile(r"^[^“]*?(?:第[^“款项]*?条修改为|作为第[^“款项]*?条(?:之[^“款项]*?)?)[:：]\s*“")


def _day_of(amendment: Amendment) -> str:
    return amendment.in_force or amendment.adopted or ""


def _quoted(part: AmendmentPart) -> str | None:
    """The new wording of a whole article, its paragraphs one a line, without the quotation marks."""
    if not _WHOLE.match(part.text):
        return None
    body = part.text.split("“", 1)[1]
    lines = [line.strip().lstrip("“").rstrip("”").strip() for line in body.splitlines()]
    return "\n".join(line for line in lines if line) or None


def texts_in_force(root: Path, law_id: str, day: str) -> dict[tuple[int, int], str]:
    """(number, suffix) → the article's text on `day` (ISO), for the articles whose text that day
    differs from today's and can be read from the corpus."""
    library = library_for(Path(root))
    versions = library.versions(law_id)
    if not versions:
        return {}
    current = max(versions, key=lambda v: v.in_force or v.adopted or v.version)
    held = [v for v in versions if (v.in_force or v.adopted or v.version) <= day]
    if held:  # the corpus holds the law as it stood that day
        then = max(held, key=lambda v: v.in_force or v.adopted or v.version)
        return {
            (a.number, a.suffix): a.text
            for a in then.articles
            if (now := current.article(a.number, a.suffix)) is None or now.text != a.text
        }
    out: dict[tuple[int, int], str] = {}
    amendments = library.amendments(law_id)
    later = {t for a in amendments if _day_of(a) > day for p in a.parts for t in p.targets}
    for target in later:
        earlier = [
            (a, p) for a in amendments if _day_of(a) and _day_of(a) <= day for p in a.parts_for(*target)
        ]
        if not earlier:
            continue  # the 1997 wording, which the corpus does not hold
        text = _quoted(earlier[-1][1])  # the last change before the day decides the wording
        if text:
            out[target] = text
    return out
