"""Laws the index's own texts say were repealed, and the interpretations written to apply them.

民法典第一千二百六十条 says “《中华人民共和国婚姻法》、……《中华人民共和国民法总则》同时废止”. The
corpus still holds 《最高人民法院关于适用〈婚姻法〉若干问题的解释（二）》 and eight more interpretations
of the laws it names, as current documents: the decision that abolished them (法释〔2020〕16号) is not in
the corpus. An interpretation of a repealed law has lost what it interpreted, and a lawyer does not cite
it for today's law: before this, one of them was among the three interpretations cited for 33 of the 288
questions of the development suites (彩礼, 借款利息, 离婚 answered with 婚姻法解释（二）).

A name counts as repealed only when no law the index holds bears it: 国家安全法 of 1993 was repealed, and
the 国家安全法 of 2015 is current.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

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


def applied_law(title: str, repealed: Mapping[str, Repealed]) -> str | None:
    """The repealed law an interpretation's title names (关于适用《婚姻法》若干问题的解释 → 婚姻法), or None."""
    for name in _BOOK.findall(title.replace("〈", "《").replace("〉", "》")):
        name = normalize_law_name(name)
        if name in repealed:
            return name
    return None
