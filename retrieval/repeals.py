"""Laws the index's own texts say were repealed, and the interpretations written to apply them.

民法典第一千二百六十条 says “《中华人民共和国婚姻法》、……《中华人民共和国民法总则》同时废止”. The
corpus still holds 《最高人民法院关于适用〈婚姻法〉若干问题的解释（二）》 and eight more interpretations
of the laws it names, as current documents: the decision that abolished them (法释〔2020〕16号) is not in
the corpus. An interpretation of a repealed law has lost what it interpreted, and a lawyer does not cite
it for today's law: before this, one of them was among the three interpretations cited for 33 of the 288
questions of the development suites (彩礼, 借款利息, 离婚 answered with 婚姻法解释（二）).

A name counts as repealed only when no law the index holds bears it: 国家安全法 of 1993 was repealed, and
the 国家安全法 of 2015 is current.

A document the index still holds is superseded when a later document of another title says so:
《人民检察院刑事诉讼规则》 (2019) 第六百八十四条: “《人民检察院刑事诉讼规则（试行）》……同时废止”; 《印花税法》
第二十条 repeals 《印花税暂行条例》. 44 documents of the corpus (2025-04-19) are so named, and were answered
from as current (the 2012 rules' 第二百三十七条 was cited ✓现行有效 for a question about 城管). Only a later
document counts: the 2012 rules repeal the rules “1999年1月18日发布”, whose title the 2019 rules bear.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from corpora.citations import normalize_law_name

_SENTENCE = re.compile(r"[^。；]*废止")
_BOOK = re.compile(r"《([^《》]{2,60})》")


@dataclass(frozen=True)
class Repealed:
    name: str  # as normalised (婚姻法)
    by: int  # position of the article that says so


def repealed_laws(
    positions: Iterable[int], text_of: Callable[[int], str], known: Mapping[str, str]
) -> dict[str, Repealed]:
    """Normalised law name → the article saying it was repealed, from the texts of `positions` (the current
    articles holding 废止); names that `known` (normalised names of the laws the index holds) has stay out."""
    out: dict[str, Repealed] = {}
    for i in positions:
        for sentence in _SENTENCE.findall(text_of(i)):
            for name in _BOOK.findall(sentence):
                name = normalize_law_name(name)
                if name and name not in known and name not in out:
                    out[name] = Repealed(name, i)
    return out


def _title_key(title: str) -> str:
    return re.sub(r"[《》〈〉\s]|中华人民共和国", "", title)


def superseded_documents(
    positions: Iterable[int],
    text_of: Callable[[int], str],
    title_of: Callable[[int], str],
    date_of: Callable[[int], str],
    held: Mapping[str, str],
) -> dict[str, Repealed]:
    """Title of a held document → the article of a later document of another title that says it was
    repealed. `held`: each held document's title → its date (ISO, "" when unknown); `positions`: the current
    articles holding 废止, with their text, their document's title and date."""
    by_key: dict[str, list[str]] = {}
    for title in held:
        by_key.setdefault(_title_key(title), []).append(title)
    out: dict[str, Repealed] = {}
    for i in positions:
        own, date = _title_key(title_of(i)), date_of(i)
        for sentence in _SENTENCE.findall(text_of(i)):
            for name in _BOOK.findall(sentence.replace("〈", "<").replace("〉", ">")):
                for title in by_key.get(_title_key(name.replace("<", "〈").replace(">", "〉")), []):
                    later = bool(date) and held[title] < date  # an undated document is never counted later
                    if _title_key(title) != own and later and title not in out:
                        out[title] = Repealed(title, i)
    return out


OUTSIDE_FILE = Path(__file__).with_name("repeals_outside.toml")


@dataclass(frozen=True)
class OutsideRepeal:
    """A held document repealed by a decision the corpus does not hold (retrieval/repeals_outside.toml)."""

    title: str
    by: str  # the deciding document, as cited: 《…的决定》（法释〔2020〕16号）
    since: str  # 2021年1月1日
    successor: str  # the title of the document that replaced it


def outside_repeals(path: Path = OUTSIDE_FILE) -> dict[str, OutsideRepeal]:
    """Title key (no 《》〈〉, no 中华人民共和国) → the repeal, from the data file; a broken file is one ValueError."""
    try:
        rows = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("repealed", [])
        found = [OutsideRepeal(r["title"], r["by"], r["since"], r["successor"]) for r in rows]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as e:
        raise ValueError(f"cannot read the repeals the corpus does not hold ({path}): {e}") from e
    return {_title_key(r.title): r for r in found}


def outside_repealed_titles(
    titles: Iterable[str], repeals: Mapping[str, OutsideRepeal]
) -> dict[str, OutsideRepeal]:
    """Each held title that `repeals` names → its repeal."""
    return {t: r for t in titles if (r := repeals.get(_title_key(t))) is not None}


def applied_law(title: str, repealed: Mapping[str, Repealed]) -> str | None:
    """The repealed law an interpretation's title names (关于适用《婚姻法》若干问题的解释 → 婚姻法), or None."""
    for name in _BOOK.findall(title.replace("〈", "《").replace("〉", "》")):
        name = normalize_law_name(name)
        if name in repealed:
            return name
    return None
