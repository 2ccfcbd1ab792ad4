"""The figure an interpretation's threshold measures, where it is not any sum the facts tell: the
economic loss, the video files, the tax amount of false invoices (税款数额, not their face value), the
pieces of personal information (条), the plants (株), the tons of hazardous waste and how many times a
pollutant exceeds its standard (倍). `told` reads the one an `amount_tiers` entry names."""

from __future__ import annotations

import re

from corpora.numerals import NUMBER, cn_to_int, read_number

from .quantities import Quantities, count_amounts, extract_amount, extract_files, extract_loss, said

# 税额17万元, 税款数额合计60万元, 逃避缴纳税款30万元: the words that name the tax, not 价税合计 (the
# gross) nor 应纳税额 (the tax due, of which 逃税 is a share)
_TAX_WORD = re.compile(r"(?<!价)(?<!应纳)税(?:额|款|金)")
_COUNT = r"(?<![第\d零一二两三四五六七八九十百千万.])(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)\s*(万)?\s*(?:多|余)?\s*(万)?\s*"
# what each counted measure counts: pieces of information (条), plants and trees (株, 棵)
_COUNTED = {"items": re.compile(_COUNT + "条"), "plants": re.compile(_COUNT + "[株棵]")}


def told(measure: str, fact: str, q: Quantities) -> tuple[float, str] | None:
    """The value of `measure` the facts tell, with their words; None where they tell none."""
    if measure == "loss":
        # 「国家损失了40万」 told in a conversation reaches the engine as 「国家损失了。涉案数额共计400000元」:
        # where no clause gives the loss its figure, the one sum told is the loss the facts speak of
        # (only where one sum is told: a judgment's other sums, of subsidies or of bribes, are not the loss)
        loss = extract_loss(fact)
        if loss is None and said(fact, "损失") and q.amount_yuan is not None and count_amounts(fact) == 1:
            return q.amount_yuan, q.amount_evidence
        return loss
    if measure == "files":
        return extract_files(fact)
    if measure == "tax":
        return extract_tax(fact)
    if measure in _COUNTED:
        return extract_count(measure, fact)
    if measure == "tons":
        return _largest(_TONS, fact)
    if measure == "times":
        return _largest(_TIMES, fact)
    return (q.amount_yuan, q.amount_evidence) if q.amount_yuan is not None else None


# 一百二十多吨, 3.5吨 (法释〔2023〕7号: 危险废物三吨以上、一百吨以上); 超标二十多倍, 超过排放标准3倍, 是标准的25倍
_TONS = re.compile(rf"({NUMBER})\s*(?:多|余)?\s*吨")
_TIMES = re.compile(rf"(?:超(?:标|过|出)[^，。；]{{0,12}}?|标准(?:值)?的)({NUMBER})\s*(?:多|余)?\s*倍")


def _largest(pattern: re.Pattern[str], text: str) -> tuple[float, str] | None:
    """The largest figure the pattern reads in the text, with its words."""
    best: tuple[float, str] | None = None
    for m in pattern.finditer(text or ""):
        try:
            n = read_number(m.group(1))
        except (ValueError, KeyError):
            continue
        if best is None or n > best[0]:
            best = (n, m.group(0))
    return best


def extract_tax(text: str) -> tuple[float, str] | None:
    """The tax amount (税款数额) told in the clauses that name it, read from the word on: 「金额100万元，
    税额17万元，价税合计117万元」 is 17万元 (法释〔2024〕4号第十一条 measures the 税款数额)."""
    parts = []
    for clause in re.split(r"[，。；、,;]", text or ""):
        if m := _TAX_WORD.search(clause):
            parts.append(clause[m.start() :])
    return extract_amount("。".join(parts)) if parts else None


def names_tax(text: str) -> bool:
    """Whether the facts speak of the tax amount at all (税额, 税款)."""
    return bool(_TAX_WORD.search(text or ""))


def extract_count(measure: str, text: str) -> tuple[float, str] | None:
    """The pieces told of a counted measure (6000多条, 1.2万条, 五千条; 红豆杉2株, 两棵): the largest
    figure (a count is often told again with the total)."""
    best: tuple[float, str] | None = None
    for m in _COUNTED[measure].finditer(text or ""):
        raw = m.group(1)
        try:
            n = float(raw) if raw[0].isdigit() else float(cn_to_int(raw))
        except (ValueError, KeyError):
            continue
        if m.group(2) or m.group(3):
            n *= 10000
        if best is None or n > best[0]:
            best = (n, m.group(0))
    return best
