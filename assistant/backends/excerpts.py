"""Cut an article at the paragraph (款) that answers, and pick the sentence that answers.

An article's text holds one paragraph per line; item lines （一）… belong to the paragraph before
them. A quote starts at the answering paragraph, never before it and never cut before it: 商标法
第六十三条 quoted for “能赔多少” starts at its 第三款 (五百万元以下).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

_ITEM_LINE = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
_NOISE = set("的了是在和与及或者应当可以有关规定条法")


def paragraphs(text: str) -> list[list[str]]:
    """[[paragraph line, item lines …], …] in order; 款 n is paragraphs(text)[n-1]."""
    out: list[list[str]] = []
    for line in (ln.strip() for ln in str(text).splitlines()):
        if not line:
            continue
        if _ITEM_LINE.match(line) and out:
            out[-1].append(line)
        else:
            out.append([line])
    return out or [[""]]


def bigrams(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isdigit()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False) if not (a in _NOISE and b in _NOISE)}


def overlap(question: str, text: str) -> int:
    return len(bigrams(question) & bigrams(text))


def _pair_counts(text: str) -> Counter[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isdigit()]
    return Counter(a + b for a, b in zip(chars, chars[1:], strict=False) if not (a in _NOISE and b in _NOISE))


REPEAT_WEIGHT = 0.5  # what each repetition of a pair in the reading adds to its count of one


def weighed(counts: Counter[str], pairs: set[str]) -> float:
    """The pairs' weight in a reading: one for each pair the reading holds, and REPEAT_WEIGHT more for each time
    it repeats it. The question read with its law words repeats the words of every entry its everyday words
    match; a clause that a specific entry gives again (收受定金的一方…应当双倍返还定金 for 「交了定金后卖家反悔」)
    outweighs the clause beside it that only the generic entry (定金: both clauses) gives."""
    return sum(1 + REPEAT_WEIGHT * (counts[p] - 1) for p in pairs if counts[p])


def answering_paragraph(text: str, question: str) -> int:
    """The 款 (1-based) sharing most with the question; the first on a tie."""
    paras = paragraphs(text)
    scores = [overlap(question, "".join(p)) for p in paras]
    return max(range(len(paras)), key=lambda i: (scores[i], -i)) + 1


def excerpt(text: str, paragraph: int | None = None, item: int | None = None, limit: int = 240) -> str:
    """The article quoted from its `paragraph` (and `item`) on, whole sentences up to `limit` characters.

    Each quote is verbatim (the citation check recognises it as the source's words); “……” outside
    the quotes marks what is left out, so a reader never takes an excerpt for the whole.
    """
    paras = paragraphs(text)
    index = min(max((paragraph or 1) - 1, 0), len(paras) - 1)
    lines = paras[index]
    before = "……" if index > 0 else ""
    if item:
        chosen = [ln for ln in lines[1:] if _item_number(ln) == item]
        if chosen:
            head = _sentences_upto(lines[0], limit // 2)
            return f"{before}“{head}”……“{_sentences_upto(chosen[0], limit)}”……"
    body = "".join(lines) + "".join(ln for p in paras[index + 1 :] for ln in p)
    cut = _sentences_upto(body, limit)
    return f"{before}“{cut}”" + ("……" if len(cut) < len(body) else "")


def quoted_paragraphs(
    text: str, paragraph: int | None = None, item: int | None = None, limit: int = 240
) -> int:
    """The last 款 (1-based) that `excerpt` with these arguments quotes from: a quote runs on from its paragraph
    into the next ones while they fit, and its label must say so (第一款至第三款, not 第一款)."""
    paras = paragraphs(text)
    index = min(max((paragraph or 1) - 1, 0), len(paras) - 1)
    if item and any(_item_number(ln) == item for ln in paras[index][1:]):
        return index + 1
    cut = len(_sentences_upto("".join(ln for p in paras[index:] for ln in p), limit))
    last, used = index, 0
    for i, p in enumerate(paras[index:], start=index):
        if used >= cut:
            break
        last, used = i, used + len("".join(p))
    return last + 1


def best_sentence(text: str, question: str, limit: int = 160) -> str:
    """The sentence of `text` that shares most with the question (the first one on a tie)."""
    sentences = [s.strip() for s in _SENTENCE.findall(" ".join(str(text).split())) if s.strip()]
    if not sentences:
        return ""
    lead = _LEAD_IN.match(sentences[0])
    if lead and _ITEM_START.match(sentences[0], lead.end()):
        # a list: the item that answers, after the words that list it (an item means nothing alone:
        # 有下列情形之一的，不得解除：……（四）女职工在孕期、产期、哺乳期的)
        items = [sentences[0][lead.end() :], *sentences[1:]]
        # the list's own items: the run that follows its lead-in, not the items of a later paragraph's list (a
        # lawyer's review, stop 24: 交通肇事解释第二条's 处3年以下有期徒刑 was quoted with 第二款's 无驾驶资格)
        run = list(itertools.takewhile(lambda s: bool(_ITEM_START.match(s)), items))
        items = run or [s for s in items if _ITEM_START.match(s)] or items
        # what tells the items apart: the question's character pairs an item holds that not every item holds
        # (法定最高刑为…有期徒刑的 is in each of 第八十七条's)
        held = [bigrams(item) for item in items]
        common = set.intersection(*held) if held else set()
        asked = _pair_counts(question)
        scores = [weighed(asked, h - common) for h in held]
        if not any(scores):
            scores = [weighed(asked, h) for h in held]
        best = max(range(len(items)), key=lambda i: (scores[i], -i))
        runner_up = max((sc for i, sc in enumerate(scores) if i != best), default=0)
        whole = "".join(item.strip() for item in items)
        if scores[best] and runner_up >= NEAR_TIE * scores[best] and len(whole) <= limit:
            # the question's words do not tell the items apart (「十二年前偷了一头牛…还会被追究吗」 shares about as much
            # with 第八十七条's 十年 as with its 五年, 「公司拖欠三个月工资」 in the law's words with 第三十八条's 社会保险费 as
            # with its 劳动报酬): a short list is quoted whole, not one item chosen by a few characters
            return f"{lead.group(0).strip()}{whole}"
        if scores[best]:
            return f"{lead.group(0).strip()}……{_sentences_upto(items[best].strip(), limit)}"
        return lead.group(0).strip()
    asked = _pair_counts(question)
    best = max(
        range(len(sentences)),
        key=lambda i: (weighed(asked, bigrams(sentences[i])), -i),
    )
    chosen = _sentences_upto(sentences[best], limit)
    following = sentences[best + 1] if best + 1 < len(sentences) else ""
    if following.startswith(("但是", "但")) and chosen == sentences[best]:
        # a rule read without its proviso says the opposite of the law: 「……一般不予支持。但是，共同生活时间较短
        # 且彩礼数额过高的，人民法院可以……」
        chosen += _sentences_upto(following, limit)
    return chosen


NEAR_TIE = 0.75  # a runner-up item scoring this share of the best one's overlap ties with it
_ITEM_START = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
_LEAD_IN = re.compile(r"[^：:]{4,120}[：:]\s*")


def _sentences_upto(text: str, limit: int) -> str:
    """Whole sentences of `text` up to `limit` characters; the first sentence cut at `limit` if longer."""
    out = ""
    for s in _SENTENCE.findall(text):
        if len(out) + len(s) > limit:
            break
        out += s
    return out or text[:limit]


def _item_number(line: str) -> int | None:
    from corpora.numerals import cn_to_int

    m = _ITEM_LINE.match(line)
    return cn_to_int(m.group(1)) if m else None


# --- the tier a told quantity falls in ------------------------------------------------------------------
# An article that sets its rule by a span of time or age (劳动合同法第十九条: 劳动合同期限三个月以上不满一年的，试用期不得
# 超过一个月；…一年以上不满三年的，…二个月；三年以上…六个月) answers a client who tells the quantity (签了两年的劳动
# 合同) with the clause whose span holds it, not the clause that shares most characters with the question.
_NUM = r"[0-9]+|[零一二两三四五六七八九十百]+"
_TOLD = re.compile(rf"({_NUM})(?:多|余)?(个)?(年|月|天|日|周岁|岁)(?!前|以前|之前|后|以后|之后|内)")
_SPAN = re.compile(
    rf"(?:(?:已满|满)?({_NUM})(?:个)?(年|月|日|周岁)(?:以上)?(?:不满|未满)({_NUM})(?:个)?(年|月|日|周岁)"
    rf"|(?:不满|未满)({_NUM})(?:个)?(年|月|日|周岁)"
    rf"|(?:已满|满)?({_NUM})(?:个)?(年|月|日|周岁)(?:以上|以后))"
)
_DAYS = {"年": 365.0, "月": 30.0, "天": 1.0, "日": 1.0}


def _amount(number: str) -> float:
    from corpora.numerals import read_number

    return float(read_number(number))


def _measure(number: str, unit: str) -> tuple[str, float]:
    """(dimension, value): an age in years, or a time in days."""
    if unit in ("岁", "周岁"):
        return "age", _amount(number)
    return "time", _amount(number) * _DAYS[unit]


def told_quantities(question: str) -> list[tuple[str, float]]:
    """The spans of time and the ages a question tells (签了两年 → 730 days; 十五岁 → age 15), not the times before
    or after (十年前: how long ago something happened is no attribute a tier is set by), nor dates (2024年3月5日)."""
    out = []
    for m in _TOLD.finditer(question):
        number, unit = m.group(1), m.group(3)
        if (
            unit == "日"
            or (unit == "月" and not m.group(2))
            or (unit == "年" and re.fullmatch(r"(?:19|20)\d\d", number))
        ):
            continue  # a date, not a span: 2024年, 3月, 5日 (a span of months says 个: 6个月)
        try:
            out.append(_measure(number, unit))
        except (ValueError, KeyError):
            continue
    return out


def _spans(condition: str) -> list[tuple[str, float, float]]:
    out = []
    for m in _SPAN.finditer(condition):
        g = m.groups()
        try:
            if g[0] is not None:
                (dim, low), (_, high) = _measure(g[0], g[1]), _measure(g[2], g[3])
            elif g[4] is not None:
                dim, high = _measure(g[4], g[5])
                low = 0.0
            else:
                dim, low = _measure(g[6], g[7])
                high = float("inf")
        except (ValueError, KeyError):
            continue
        out.append((dim, low, high))
    return out


def tier_sentence(text: str, question: str, limit: int = 160) -> str:
    """The clause of `text` whose condition (before its 的， or first comma) sets a span holding a quantity the question tells, or ""
    where none does or the question tells none. Several clauses matched by different quantities: the one matched by
    the largest (签了两年的合同，约定试用期6个月: the contract's two years choose, not the six months it asks about)."""
    told = told_quantities(question)
    if not told:
        return ""
    flat = " ".join(str(text).split())
    clauses = [c.strip() for c in re.findall(r"[^。；]+[。；]?", flat) if c.strip()]
    best: tuple[float, int] | None = None
    for i, clause in enumerate(clauses):
        # the condition: before 的， (…不满一年的，试用期…), else before the first comma (三年以上…的劳动合同，…)
        condition = clause.split("的，", 1)[0] if "的，" in clause else clause.split("，", 1)[0]
        for dim, low, high in _spans(condition):
            for tdim, value in told:
                if tdim == dim and low <= value < high and (best is None or value > best[0]):
                    best = (value, i)
    if best is None:
        return ""
    chosen = clauses[best[1]].rstrip("；")
    following = clauses[best[1] + 1] if best[1] + 1 < len(clauses) else ""
    if following.startswith(("但是", "但")):  # a rule read without its proviso says the opposite of the law
        chosen = f"{chosen}；{following}"
    lead = _LEAD_IN.match(clauses[0])
    if best[1] > 0 and lead and _ITEM_START.match(chosen):
        return f"{lead.group(0).strip()}……{chosen[:limit]}"
    return chosen[:limit]


# a tier clause is quoted when it shares at least this part of what the best sentence shares with the reading: 第十九条's
# tiers share alike (13 and 13 character pairs for 「签的两年劳动合同，试用期却写了三个月」), while 第一千一百一十四条's
# 八周岁以上 clause shares 14 against the 26 of 成年以前不得解除 for 「收养的孩子才十岁…能解除收养吗」
TIER_SHARE = 0.75


def answering_sentence(text: str, question: str, read: str, limit: int = 160) -> str:
    """The sentence a conclusion quotes: the clause of the tier the question's quantity falls in (tier_sentence),
    where it is about what is asked as much as TIER_SHARE of the best sentence by the reading (「收养的孩子才十岁，
    能解除收养吗」 is 第一千一百一十四条's 成年以前不得解除, not its 八周岁以上的 clause); else the best sentence."""
    best = best_sentence(text, read, limit)
    tier = tier_sentence(text, question, limit)
    if tier and overlap(read, tier) >= TIER_SHARE * overlap(read, best):
        return tier
    return best


# --- a time the client says has passed, against the period the quoted sentence sets -----------------------------
# a period counted from an event (自…之日起六十日内): one set before or after another point (期满前十二个月内, 并在十五日内
# 办理档案转移) is not weighed against a time told, whose start the answer cannot tell is the same
_PERIOD = re.compile(rf"之日起({_NUM})(?:个)?(日|月|年)内")
# a span passed: 已经70天了, 过去三个月, 两年多了; a month says 个 (都3月了 is a date)
_PASSED = re.compile(
    rf"(?:已经|已|都|过去了?|过了|拖了|等了|隔了)({_NUM})(?:多)?(天|日|个月|年)(?:多)?(?:了)?|({_NUM})(?:多)?(天|个月|年)(?:多)?了"
)


def period_note(sentence: str, question: str) -> str:
    """「已经70天了，还能申请行政复议吗」 against 「…之日起六十日内提出」: one sentence weighing the time the client says
    has passed against the period the quoted sentence sets, in the same unit; "" where either is missing. The
    start of the period is the law's (知道或者应当知道 …), which the answer does not know better than the client."""
    period = _PERIOD.search(sentence)
    passed = _PASSED.search(question)
    if period is None or passed is None:
        return ""
    number, unit = (
        (passed.group(1), passed.group(2)) if passed.group(1) else (passed.group(3), passed.group(4))
    )
    unit = unit.removeprefix("个")
    try:
        (dim, limit), (tdim, told) = _measure(period.group(1), period.group(2)), _measure(number, unit)
    except (ValueError, KeyError):
        return ""
    if dim != tdim:
        return ""
    shown = f"{period.group(1)}{'个' if period.group(2) == '月' else ''}{period.group(2)}"
    said = f"{number}{'个' if unit == '月' else ''}{unit}"
    if told > limit:
        return f"按所说已过{said}计，已超过{shown}的期限（期限从何时起算、有无正当理由耽误，以法律规定和全部案情为准）。"
    return f"按所说已过{said}计，还在{shown}的期限内。"
