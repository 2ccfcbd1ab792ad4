"""Charges the user names (「诈骗罪会判几年？」「构成盗窃罪吗」「以合同诈骗罪起诉」), checked against
the official charge names of the corpus (`corpora.charges`: the 1997 opinion and the 补充规定).

A name found there is taken as given: the case is analysed under that charge. A cancelled name is
resolved to the one that replaced it (偷税罪 → 逃税罪). A name that is no charge at all (「醉驾罪」)
is reported with the nearest real one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from corpora.charges import ArticleKey, ChargeMap
from corpora.numerals import int_to_cn

_RUN = re.compile(r"[\u4e00-\u9fff、]{1,24}$")
# After 罪 these make another word: 罪名, 罪犯, 罪行, 罪状, 罪责, 罪过.
_NOT_A_NAME_AFTER = "名犯行状责过孽恶证"
# What stands before a name in a question: 构成, 以, 涉嫌, 犯了 …; a name starts after the last of them.
_CUE = re.compile(
    r".*(?:构成|涉嫌|犯了|犯有|犯|以|按照|按|定为|定|判为|认定为|认定|属于|成立|是|告他|告|算|还是|或者|和|与|、)"
)
_SUBJECT = re.compile(
    r"^(?:我朋友|我同事|我的|我|他们|他|她|对方|被告人|被告|嫌疑人|这个|那个|这种|那种|这样的|个(?!人)|这|那|如果|要是|假如)+"
)
_QUESTION = ("什么", "哪", "啥", "何", "几", "多少")
# A count of crimes (两个罪, 好几项罪) names none: 「犯了两个罪，一个判三年一个判五年」 asks about 数罪并罚.
_COUNT = re.compile(r"[一二两三四五六七八九十几多数]+[个项种条起宗]$")
# Before 罪 these make a word that is no charge: 认罪, 定罪, 获罪, 服罪, 顶罪, 脱罪, 赎罪, 谢罪, 请罪, 问罪, 治罪,
# 怪罪, 归罪, 判罪 (被告人当庭自愿认罪 names no charge 「自愿认罪」); a verdict is none either: 无罪, 有罪
# (「后来判了无罪放出来，国家每天赔多少钱」 asks about 国家赔偿, not a charge 「判了无罪」).
_VERB_BEFORE = frozenset("认定获服顶脱赎谢请问治怪归判无有")
_NOT_A_CHARGE = {
    "犯",
    "犯了",
    "重",
    "轻",
    "死",
    "无",
    "有",
    "一",
    "数",
    "本",
    "该",
    "此",
    "新",
    "其他",
    "同",
    "异",
    "两",
}


@dataclass(frozen=True)
class NamedCharge:
    """A charge as the user named it, and what the official names make of it."""

    words: str  # the user's words, with 罪: 诈骗罪
    official: str = ""  # the official name (without 罪) when the name is a charge, current or cancelled
    keys: tuple[ArticleKey, ...] = ()  # the articles that define it
    replaced_by: tuple[str, ...] = ()  # a cancelled name: the current name(s)
    nearest: tuple[str, ...] = field(default=())  # no such charge: the closest official names
    abbreviated: bool = False  # a short form of the official name (帮信罪)

    @property
    def exists(self) -> bool:
        return bool(self.official)

    @property
    def name(self) -> str:
        """The current official name with 罪: 逃税罪 for a user's 偷税罪."""
        return (self.replaced_by[0] if self.replaced_by else self.official) + "罪" if self.official else ""


def article_label(key: ArticleKey) -> str:
    number, suffix = key
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")


def named_in(text: str, cmap: ChargeMap | None) -> list[NamedCharge]:
    """Every charge the text names (`…罪`), in order, checked against the official names.

    Read right to left, since a name may hold 罪 itself (帮助信息网络犯罪活动罪): before each 罪, the
    longest run of words whose tail is an official name is that name; failing that, the words after
    the last cue (构成, 以, 涉嫌 …) are a name the user believes in, which is reported as unknown.
    Without the official list nothing is recognised."""
    if cmap is None:
        return []
    found: list[tuple[int, NamedCharge]] = []
    covered_from = len(text) + 1
    for m in reversed(list(re.finditer("罪", text))):
        end = m.start()
        if end >= covered_from or text[m.end() : m.end() + 1] in tuple(_NOT_A_NAME_AFTER):
            continue
        run = _RUN.search(text[:end])
        if run is None:
            continue
        named = _official_tail(run.group(0), cmap)
        tails = (run.group(0)[i:] for i in range(len(run.group(0)) - 1))
        named = named or next((x for t in tails if (x := _abbreviation(t, cmap))), None)
        if named is None:
            words = _CUE.sub("", run.group(0)) if _CUE.match(run.group(0)) else run.group(0)
            words = _SUBJECT.sub("", words).strip("、")
            if (
                len(words) < 2
                or words in _NOT_A_CHARGE
                or _COUNT.search(words)
                or words[-1] in _VERB_BEFORE
                or any(q in words for q in _QUESTION + ("罪",))
            ):
                continue
            named = NamedCharge(words + "罪", nearest=nearest_names(words, cmap))
        found.append((end - len(named.words) + 1, named))
        covered_from = end - len(named.words) + 1
    for m in _ACCUSED.finditer(text):
        if any(at <= m.start("name") < at + len(n.words) for at, n in found):
            continue
        named = _official_tail(m.group("name"), cmap)
        if named is not None and named.words == m.group("name") + "罪":
            found.append((m.start("name"), replace(named, words=m.group("name"))))
    return [n for _, n in sorted(found, key=lambda x: x[0])]


# An accusation told without 罪: 「派出所以故意伤害立案了」「他涉嫌诈骗被刑拘」 (a lawyer's review, stop 26: the police's 故意伤害
# had been left unread, and the facts were sentenced as 寻衅滋事). Only the whole words between the cue and the step,
# when they are an official name, count.
_ACCUSED = re.compile(
    r"(?:以|按|涉嫌)(?P<name>[\u4e00-\u9fff、]{2,20}?)(?:案)?"
    r"(?=(?:被)?(?:立案|刑拘|刑事拘留|拘留|批捕|逮捕|起诉|移送|追究))"
)


def _official_tail(run: str, cmap: ChargeMap) -> NamedCharge | None:
    """The longest tail of `run` that is an official name (current or cancelled), resolved."""
    for start in range(len(run) - 1):
        tail = run[start:]
        names = cmap.official_names(tail)
        if len(names) == 1 or (names and tail in names):
            official = tail if tail in names else names[0]
            replaced = tuple(n for n in cmap.current_name(official) if n != official)
            return NamedCharge(tail + "罪", official, tuple(cmap.article_keys_for(official)), replaced)
    return None


def _abbreviation(words: str, cmap: ChargeMap) -> NamedCharge | None:
    """A short form that keeps the full name's characters in order and starts as it does
    (帮信 → 帮助信息网络犯罪活动, 掩饰、隐瞒犯罪所得 → …、犯罪所得收益), when exactly one name fits."""
    pattern = re.compile(".*?".join(map(re.escape, words.replace("、", ""))))
    fits = [n for n in cmap.all_charges() if n[0] == words[0] and pattern.search(n.replace("、", ""))]
    if len(fits) != 1:
        return None
    return NamedCharge(words + "罪", fits[0], tuple(cmap.article_keys_for(fits[0])), abbreviated=True)


def nearest_names(words: str, cmap: ChargeMap, n: int = 2) -> tuple[str, ...]:
    """The official names closest in writing (醉驾 → 危险驾驶), best first."""
    names = cmap.all_charges()
    scored = sorted(
        ((difflib.SequenceMatcher(None, words, name).ratio(), name) for name in names), reverse=True
    )
    return tuple(name for score, name in scored[:n] if score >= 0.4)
