"""Which of the articles a consultation retrieved answers it, so that the answer leads with that one.

The search ranks articles for recall: the few it returns all bear on the question, but the first is not
always the one that answers (「房东要把我租的房子卖了，我有优先购买权吗？」 finds 民法典第三百零六条, the
按份共有人's 优先购买权, before 第七百二十六条, the 承租人's). The article that answers is the one that
holds most of what the question asks, in the law's words (the question followed by the legal words its
everyday words stand for: `Searcher.expanded`), counting most what only it holds among the candidates,
with a small debt for each place below the first, so that the search's order still breaks near-ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def in_law_words(searcher: Any, question: str) -> str:
    """The question as the search reads it: followed by the legal words of its everyday words."""
    expand = getattr(searcher, "expanded", None)
    try:
        return str(expand(question)) if callable(expand) else question
    except Exception:  # the expansion is a help; the question alone still chooses
        return question


def interpretation_lead(
    searcher: Any, question: str, statutes: Sequence[Any], interpretations: Sequence[Any]
) -> tuple[list[Any], list[Any]]:
    """(statutes, interpretations) with an interpretation article moved to the lead when it, not the
    statute, is where the question's everyday words come from.

    A consultation searches statutes and interpretations apart, and the two searches' scores do not
    compare (only statutes have a ranking of their own in the fusion), so the statute led always: 「订婚
    给的彩礼，没领证就分手了，能要回来吗」 led with 民法典第一千零四十九条 (结婚登记), while the rule that
    answers is 婚姻家庭编解释（一）第五条. The evidence that tells the two apart is the lexicon's: the
    entries the question's everyday words match name the article their legal words come from
    (`Searcher.lexicon_articles`). An interpretation the search found leads when such an entry names it
    and none names the statute that would lead, or only with fewer of the question's words: 「婚后我爸妈全款
    给我们买了套房，离婚时这房子归谁」 matches 婚后…买 of 民法典第一千零六十二条 and, longer, 爸妈全款给我们买了
    套房，离婚时这房子 of 婚姻家庭编解释（一）第二十九条, the rule for that situation."""
    statutes, interpretations = list(statutes), list(interpretations)
    named = getattr(searcher, "lexicon_evidence", None)
    if not interpretations or not callable(named):
        return statutes, interpretations
    try:
        sources = named(question)
    except Exception:  # the lexicon is a help; the search's order still stands
        return statutes, interpretations
    lead = sources.get(_article(statutes[0]), 0) if statutes else 0
    for i, hit in enumerate(interpretations):
        if sources.get(_article(hit), 0) > lead:
            return [hit, *statutes], [*interpretations[:i], *interpretations[i + 1 :]]
    return statutes, interpretations


def bank_lead(
    searcher: Any, question: str, statutes: Sequence[Any], interpretations: Sequence[Any]
) -> tuple[list[Any], list[Any]]:
    """(statutes, interpretations) with the article of the question bank's nearest question first when that
    question nearly restates this one (`Searcher.bank_lead`) and the search found the article: a lawyer's
    answer to the same situation outweighs the character pairs that `lead_first` counts and the rule that
    puts 刑法 last (「喝醉了酒打了人，喝醉了能不负责任吗？」 is 刑法第十八条第四款's, though it names no crime)."""
    statutes, interpretations = list(statutes), list(interpretations)
    nearest = getattr(searcher, "bank_lead", None)
    if not callable(nearest):
        return statutes, interpretations
    try:
        found = nearest(question)
    except Exception:  # the bank is a help; the search's order still stands
        return statutes, interpretations
    if found is None:
        return statutes, interpretations
    key = found[0]
    for i, hit in enumerate(statutes):
        if _article(hit) == key:
            return [hit, *statutes[:i], *statutes[i + 1 :]], interpretations
    for i, hit in enumerate(interpretations):
        if _article(hit) == key:
            return [hit, *statutes], [*interpretations[:i], *interpretations[i + 1 :]]
    return statutes, interpretations


def _article(hit: Any) -> tuple[str, int, int]:
    return (
        str(getattr(hit, "law_id", "")),
        int(getattr(hit, "number", 0) or 0),
        int(getattr(hit, "suffix", 0) or 0),
    )
