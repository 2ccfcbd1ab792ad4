"""Statutory ranges parsed from an article's text: 刑法第264条 → three tiers with their conditions.

The text is split at every 处…刑 clause; each clause's condition is the words before it (数额较大的 /
情节严重的 / 致人重伤的). Months: 拘役 1–6 (刑法第42条), 管制 3–24 (第38条), an open 十年以上
ends at 180 (第45条). A tier is chosen by the facts: the last tier whose condition words occur in
the facts, or whose amount threshold the facts reach.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from corpora.numerals import cn_to_int

MAX_FIXED_TERM = 180  # 刑法第45条: 有期徒刑 up to 十五年
_CN = "零〇一二两三四五六七八九十百千"
_BETWEEN = re.compile(rf"([{_CN}]+)年以上([{_CN}]+)年以下有期徒刑")
_UPTO = re.compile(rf"([{_CN}]+)年以下有期徒刑")
_FROM = re.compile(rf"([{_CN}]+)年以上有期徒刑")
_MONTHS_UPTO = re.compile(rf"([{_CN}]+)个月以下有期徒刑")
# 处 … penalty; the condition is what stands between the previous clause end and 处.
_CLAUSE = re.compile(
    r"([^；。]*?)(?:的，|，)?(?:(?<![被判])处(?!罚)|(?<!被)判处)([^；。]*?(?:有期徒刑|拘役|管制|无期徒刑|死刑|罚金)[^；。]*)"
)
_CONDITION_WORDS = re.compile(
    r"(数额特别巨大|数额巨大|数额较大|情节特别严重|情节特别恶劣|情节严重|情节恶劣|情节较轻|致人重伤|致人死亡|"
    r"重伤|死亡|后果特别严重|造成严重后果|严重后果|数量特别巨大|数量巨大|数量较大|数量大|特别重大损失|重大损失|"
    r"其他特别严重情节|其他严重情节|多次|首要分子|积极参加|逃逸|特别恶劣情节|较重情节|情节较重)"
)


@dataclass(frozen=True)
class StatutoryTier:
    """One statutory range: its condition words and its penalties in months."""

    condition: str  # the words before 处: "数额巨大或者有其他严重情节"
    penalty: str  # the words after 处: "三年以上十年以下有期徒刑，并处罚金"
    min_months: int  # 1 where 拘役 is allowed, 3 for 管制 alone
    max_months: int  # 180 for an open range
    detention: bool = False  # 拘役 allowed
    surveillance: bool = False  # 管制 allowed
    fine_alone: bool = False  # 单处罚金 / 或者罚金 allowed (a sentence without a term)
    fine_alternative: bool = False  # 罚金 listed among the principal penalties: 拘役、管制或者罚金
    life: bool = False
    death: bool = False
    keywords: tuple[str, ...] = ()  # condition words matched against the facts

    @property
    def label(self) -> str:
        parts = [f"{self.min_months}–{self.max_months}个月"]
        parts += [
            w
            for w, on in (
                ("拘役", self.detention),
                ("管制", self.surveillance),
                ("罚金", self.fine_alone),
                ("无期徒刑", self.life),
                ("死刑", self.death),
            )
            if on
        ]
        return "、".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["keywords"] = list(self.keywords)
        return d


def _months(cn: str) -> int:
    return cn_to_int(cn) * 12


def parse_penalty(condition: str, penalty: str) -> StatutoryTier | None:
    """One 处… clause → a tier; None when it names no custodial penalty nor a fine."""
    lo: int | None = None
    hi: int | None = None
    if m := _BETWEEN.search(penalty):
        lo, hi = _months(m.group(1)), _months(m.group(2))
    elif m := _FROM.search(penalty):
        lo, hi = _months(m.group(1)), MAX_FIXED_TERM
    elif m := _UPTO.search(penalty):
        lo, hi = 6, _months(m.group(1))  # 有期徒刑 starts at six months (刑法第45条)
    elif m := _MONTHS_UPTO.search(penalty):
        lo, hi = 6, cn_to_int(m.group(1))
    detention, surveillance = "拘役" in penalty, "管制" in penalty
    life, death = "无期徒刑" in penalty, "死刑" in penalty
    fine_alone = bool(re.search(r"单处罚金|或者罚金|、罚金|或者单处", penalty))
    if lo is None:
        if detention:
            lo, hi = 1, 6
        elif surveillance:
            lo, hi = 3, 24
        elif life or death:
            lo, hi = MAX_FIXED_TERM, MAX_FIXED_TERM
        elif fine_alone or "罚金" in penalty:
            lo, hi, fine_alone = 0, 0, True
        else:
            return None
    assert hi is not None  # set together with lo
    if detention:
        lo = min(lo, 1)
    elif surveillance:
        lo = min(lo, 3)
    words = tuple(dict.fromkeys(_CONDITION_WORDS.findall(condition)))
    alternative = bool(re.search(r"(?:拘役|管制|有期徒刑)或者罚金", penalty))
    return StatutoryTier(
        condition.split("\n")[-1].strip("，、 "),
        re.split(r"[：:\n]", penalty.strip(), maxsplit=1)[0],  # not the items (（一）…) a colon opens
        lo,
        hi,
        detention,
        surveillance,
        fine_alone,
        alternative,
        life,
        death,
        words,
    )


def parse_article_tiers(text: str) -> list[StatutoryTier]:
    """All 处… clauses of an article's text, in order (usually rising severity)."""
    tiers: list[StatutoryTier] = []
    for m in _CLAUSE.finditer(text or ""):
        condition = m.group(1).rsplit("，", 1)[-1] if "的" not in m.group(1) else m.group(1)
        custodial = re.search(r"有期徒刑|拘役|管制|无期徒刑|死刑", m.group(2))
        if re.search(r"单位犯|对单位", m.group(1)) and not custodial:
            continue  # the fine of a unit (单位犯罪, 刑法第三十一条) is no penalty of a person
        tier = parse_penalty(condition, m.group(2))
        if tier:
            tiers.append(tier)
    return tiers


def split_paragraphs(text: str) -> list[str]:
    """The article's paragraphs (款), items （一）… joined to theirs; 依照前款的规定处罚 and
    犯前款罪，致人重伤的 … continue the previous paragraph's ranges."""
    out: list[str] = []
    for line in (x.strip() for x in re.split(r"\n+", text or "")):
        if not line:
            continue
        if out and (line.startswith("（") or _continues(line)):
            out[-1] += "\n" + line
        elif out and not parse_article_tiers(line) and ("依照前款" in line or "依照第一款" in line):
            out.append(line + "\n" + out[-1])
        else:
            out.append(line)
    return out


def _continues(line: str) -> bool:
    return line.startswith(("犯前款罪", "犯第一款罪", "有前款行为", "有第一款行为"))


def select_paragraph(text: str, fact: str, charge: str = "") -> str:
    """The paragraph of a multi-paragraph article that best matches the facts (character bigrams)."""
    paras = [p for p in split_paragraphs(text) if parse_article_tiers(p)]
    if len(paras) <= 1:
        return paras[0] if paras else text

    def grams(s: str) -> set[str]:
        return {s[i : i + 2] for i in range(len(s) - 1)}

    want = grams(fact) | grams(charge) | grams(charge)  # charge words weigh as much as the facts
    scores = [
        len(grams(p.split("处", 1)[0]) & want) / (1 + len(grams(p.split("处", 1)[0])) ** 0.5) for p in paras
    ]
    return paras[max(range(len(paras)), key=scores.__getitem__)]


def select_tier(tiers: list[StatutoryTier], fact: str) -> tuple[int, str]:
    """Index of the tier the facts fall into, and the words that decided it ('' for the first)."""
    chosen, why = 0, ""
    for i, tier in enumerate(tiers[1:], start=1):
        for word in tier.keywords:
            hit = _literal(fact, word)
            if hit and not _mentions_lower_only(fact, word):
                chosen, why = i, hit
                break
    return chosen, why


def _literal(fact: str, word: str) -> str:
    """The word, where the facts say it and do not deny it (没有逃逸 is no 逃逸)."""
    from .quantities import said

    return word if len(word) >= 2 and said(fact, word) else ""


def _mentions_lower_only(fact: str, word: str) -> bool:
    """'情节严重' inside '情节特别严重' is not the middle tier; '巨大' inside '特别巨大' likewise."""
    return all(
        fact[max(0, m.start() - 2) : m.start()].endswith("特别") for m in re.finditer(word, fact)
    ) and ("特别" not in word)


def _grams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def article_paragraph(text: str, fact: str, charge: str = "") -> str:
    """The paragraph of an article that the charge names; the facts decide only between paragraphs the
    charge name does not tell apart.

    A charge name is made of its paragraph's own words (非法狩猎 ← 进行狩猎, 非法猎捕、杀害珍贵、濒危野生
    动物 ← 非法猎捕、杀害…珍贵、濒危野生动物): each bigram of the name counts for the paragraphs whose
    condition holds it, weighted by how few of them do (a bigram in every paragraph tells nothing)."""
    paras = [p for p in split_paragraphs(text) if parse_article_tiers(p)]
    if len(paras) <= 1:
        return paras[0] if paras else text
    conds = [_grams(p.split("处", 1)[0]) for p in paras]
    for i in range(1, len(paras)):  # 过失犯前款罪的: the previous paragraph's words belong to it too
        if re.match(r"[^，。；]{0,12}(?:前款|第一款)", paras[i]):
            conds[i] |= conds[i - 1]
    wanted = _grams(re.sub(r"[、，（）()]", "", charge))
    scores = []
    for cond in conds:
        # in a fixed order: a set of strings iterates by hash, which changes with every process (ties flipped)
        scores.append(sum(1 / sum(g in c for c in conds) for g in sorted(wanted) if g in cond))
    best = max(scores)
    tied = [p for p, s in zip(paras, scores, strict=True) if s == best]
    if best > 0 and len(tied) == 1:
        return tied[0]
    return (
        select_paragraph("\n".join(tied), fact, charge) if best > 0 else select_paragraph(text, fact, charge)
    )
