"""The closing notice every answer carries."""

from __future__ import annotations

DISCLAIMER = (
    "【免责声明】本回答由法律检索助手根据检索到的法律条文和案例自动生成，仅供参考，不构成法律意见；"
    "具体问题请咨询执业律师。"
)


def with_disclaimer(text: str) -> str:
    """`text` followed by the disclaimer, once."""
    if DISCLAIMER in text:
        return text
    return text.rstrip() + "\n\n---\n" + DISCLAIMER + "\n"
