"""Chinese numerals, article labels (第一百三十三条之一 ↔ (133, 1)) and heading labels (第五章, 第一分编)."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000, "亿": 100_000_000}
CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万"

ARTICLE_LABEL = re.compile(rf"^第([{CN_NUM_CHARS}]+|\d+)条(?:之([{CN_NUM_CHARS}]+|\d+))?")
# The number of a heading above the articles: 第三编, 第一分编 (民法典), 第五章, 第二节.
HEADING_LABEL = re.compile(rf"^第[{CN_NUM_CHARS}]+(?:分编|编|章|节)\s*")

_DIG = "零〇一二两三四五六七八九"
_ARABIC = r"\d+(?:\.\d+)?"
_PART = rf"(?:{_ARABIC}|[{_DIG}]+)"
# A number as facts and clients write it: 4800, 4,800, 1.5万, 二百六十四, 十万八千, 四万八, 3万2, 两千五.
# A numeral with units starts with a digit or with 十 (十万), never with a bare unit: 数万元 is no number.
NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"
    rf"|(?:{_PART}[十百千万亿]|十)(?:{_PART}?[十百千万亿])*{_PART}?"
    rf"|{_ARABIC}|[{_DIG}]+)"
)
_TOKEN = re.compile(rf"{_ARABIC}|[{_DIG}]|[十百千万亿]")


def read_number(text: str) -> float:
    """A number in digits, numerals or both: '4,800' → 4800, '1.5万' → 15000, '十万八千' → 108000.

    The colloquial tail is read as speakers mean it: a digit right after a unit counts in the next
    unit down, so 四万八 is 48000, 3万2 is 32000, 两千五 is 2500 and 一百三 is 130; after 零 it is a
    plain digit (一万零五 is 10005). Raises ValueError for anything else."""
    text = text.strip().replace(",", "")
    if re.fullmatch(_ARABIC, text):
        return float(text)
    tokens = _TOKEN.findall(text)
    if not text or "".join(tokens) != text:
        raise ValueError(f"not a number: {text!r}")
    if not any(t in _UNITS for t in tokens):  # positional: 一〇五
        if not all(t in _DIGITS for t in tokens):
            raise ValueError(f"not a number: {text!r}")
        return float("".join(str(_DIGITS[t]) for t in tokens))
    total, section, digit, last_unit, after_zero = 0.0, 0.0, None, 0, False
    for t in tokens:
        if t in ("零", "〇"):
            after_zero, digit = True, None
        elif t in _DIGITS or t[0].isdigit():
            if digit is not None:
                raise ValueError(f"not a number: {text!r}")
            digit = float(_DIGITS[t]) if t in _DIGITS else float(t)
        else:
            unit = _UNITS[t]
            if unit == 100_000_000:
                total = (total + section + (digit or 0)) * unit
                section = 0.0
            elif unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0.0
            else:
                section += (1 if digit is None else digit) * unit
            digit, last_unit, after_zero = None, unit, False
    tail = 0.0 if digit is None else digit * (last_unit / 10 if last_unit and not after_zero else 1)
    return total + section + tail


def read_range(text: str) -> tuple[float, float]:
    """A figure that may be given as two neighbouring digits, as people round: 两三万 → (20000, 30000),
    三四千 → (3000, 4000); any other number is (n, n). Raises ValueError like `read_number`."""
    m = re.search(r"[一二两三四五六七八](?=[二三四五六七八九][十百千万亿])", text)
    if m and _DIGITS[text[m.end()]] == _DIGITS[m.group(0)] + 1:
        return read_number(text[: m.end()] + text[m.end() + 1 :]), read_number(
            text[: m.start()] + text[m.end() :]
        )
    value = read_number(text)
    return value, value


def cn_to_int(text: str) -> int:
    """'二百六十四' → 264, '十一' → 11, '一〇五' → 105, '264' → 264, '两千五' → 2500. Raises ValueError."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    value = read_number(text)
    if value != int(value):
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


def int_to_cn(n: int) -> str:
    """264 → '二百六十四', 10 → '十', 110 → '一百一十', 1005 → '一千零五'."""
    if n < 0:
        raise ValueError("negative numeral")
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    if n < 20 and n >= 10:
        return "十" + (digits[n - 10] if n > 10 else "")
    out: list[str] = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero_pending = False
    started = False
    for value, name in units:
        d = (n // value) % 10
        if d == 0:
            if started:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(digits[d] + name)
        started = True
    if n >= 10000:
        return (
            int_to_cn(n // 10000)
            + "万"
            + ("零" if (n % 10000) < 1000 and n % 10000 else "")
            + (int_to_cn(n % 10000) if n % 10000 else "")
        )
    return "".join(out)


def parse_article_label(text: str) -> tuple[int, int, str] | None:
    """'第一百三十三条之一 …' → (133, 1, '第一百三十三条之一'); None when the text starts no article."""
    m = ARTICLE_LABEL.match(text.strip())
    if not m:
        return None
    number = cn_to_int(m.group(1))
    suffix = cn_to_int(m.group(2)) if m.group(2) else 0
    return number, suffix, m.group(0)


def article_label(number: int, suffix: int = 0) -> str:
    """(133, 1) → '第一百三十三条之一'."""
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")


def heading_name(heading: str) -> str:
    """'第五章 侵犯财产罪' → '侵犯财产罪', '第一分编 通则' → '通则'; a heading without a number stays as it is."""
    return HEADING_LABEL.sub("", heading.strip(), count=1)
