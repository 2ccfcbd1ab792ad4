"""The closing notice every answer carries."""

from __future__ import annotations

# The corpus is LawRefBook as of this date (../shared/corpora/laws/SOURCE.md): a law revised since (治安管理处罚法
# and 反不正当竞争法 were, in 2025) is answered from its earlier text, and every answer says so.
CORPUS_DATE = "2025年4月19日"
DISCLAIMER = (
    "【免责声明】本回答由法律检索助手根据检索到的法律条文和案例自动生成，仅供参考，不构成法律意见；"
    f"具体问题请咨询执业律师。法规库收录截至{CORPUS_DATE}的全国性法律文件，此后修订或新制定的法律未收录，"
    "引用前请核对现行文本。"
)


def with_disclaimer(text: str) -> str:
    """`text` followed by the disclaimer, once."""
    if DISCLAIMER in text:
        return text
    return text.rstrip() + "\n\n---\n" + DISCLAIMER + "\n"
