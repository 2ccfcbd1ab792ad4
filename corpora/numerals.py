"""Chinese numerals and article labels: 第一百三十三条之一 ↔ (133, 1)."""

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
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万"

ARTICLE_LABEL = re.compile(rf"^第([{CN_NUM_CHARS}]+|\d+)条(?:之([{CN_NUM_CHARS}]+|\d+))?")


def cn_to_int(text: str) -> int:
    """'二百六十四' → 264, '十一' → 11, '一〇五' → 105, '264' → 264. Raises ValueError."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _UNITS for ch in text):  # positional: 一〇五
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
    return total + section + digit


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
