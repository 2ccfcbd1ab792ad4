"""Cut an article at the paragraph (款) that answers, and pick the sentence that answers.

An article's text holds one paragraph per line; item lines （一）… belong to the paragraph before
them. A quote starts at the answering paragraph, never before it and never cut before it: 商标法
第六十三条 quoted for “能赔多少” starts at its 第三款 (五百万元以下).
"""

from __future__ import annotations

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
        items = [s for s in items if _ITEM_START.match(s)] or items
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
