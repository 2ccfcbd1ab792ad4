"""Contrastive samples for context learning (EC-MIIP stage 2), all built from real cases:

- ``positive``: a case's facts + its own articles + its own outcome → correct;
- ``wrong``: the same facts + the articles and outcome of a case in another chapter of the
  Criminal Law → wrong, with the right articles and outcome;
- ``inapplicable``: a case whose facts are close to another's (most shared character bigrams)
  but whose articles differ, shown with that other case's related (same-chapter) articles and its
  plausible outcome → wrong, explaining which article does apply.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from corpora.records import CaseRecord
from finetune.judgment import article_list, format_term
from finetune.samples import Sample

INSTRUCTION = "请判断下列案件的法条适用和裁判结果是否正确，并说明理由。"
KINDS = ("positive", "wrong", "inapplicable")
ChapterOf = Callable[[int], str]  # Criminal Law article → its chapter heading ("" if unknown)


def _outcome(c: CaseRecord) -> str:
    term = format_term(c.term_months, c.life_imprisonment, c.death_penalty)
    fine = f"，并处罚金人民币{int(c.fine)}元" if c.fine else ""
    return f"以{'、'.join(x + '罪' for x in c.charges)}判处{term}{fine}"


def _prompt(facts: str, articles: tuple[int, ...], outcome: str) -> str:
    return (
        f"案件事实：{facts}\n拟适用法条：《中华人民共和国刑法》{article_list(articles)}\n拟作裁判：{outcome}"
    )


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _chapters(c: CaseRecord, chapter_of: ChapterOf) -> set[str]:
    return {chapter_of(n) for n in c.articles} - {""}


def _sample(kind: str, facts: str, shown: CaseRecord, truth: CaseRecord, output: str) -> Sample:
    return Sample(
        kind="contrastive",
        instruction=INSTRUCTION,
        input=_prompt(facts, shown.articles, _outcome(shown)),
        output=output,
        level=3,
        group=f"case:{truth.case_id}",
        source=f"{truth.case_id}#{kind}",
        meta={"contrast": kind, "shown": shown.case_id},
    )


def positive(case: CaseRecord) -> Sample:
    out = (
        f"正确。本案事实符合{'、'.join(x + '罪' for x in case.charges)}的构成要件，"
        f"适用《中华人民共和国刑法》{article_list(case.articles)}，{_outcome(case)}与事实和法定刑相符。"
    )
    return _sample("positive", case.fact, case, case, out)


def wrong(case: CaseRecord, other: CaseRecord) -> Sample:
    out = (
        f"错误。所列{article_list(other.articles)}规定的是{'、'.join(x + '罪' for x in other.charges)}，"
        f"与本案事实不符。本案应适用《中华人民共和国刑法》{article_list(case.articles)}，{_outcome(case)}。"
    )
    return _sample("wrong", case.fact, other, case, out)


def inapplicable(case: CaseRecord, near: CaseRecord) -> Sample:
    """`case`'s facts shown with `near`'s related articles and plausible outcome."""
    out = (
        f"错误。所列{article_list(near.articles)}与本案行为相关（同属一章），但不适用："
        f"本案行为符合{'、'.join(x + '罪' for x in case.charges)}的构成要件，应适用《中华人民共和国刑法》"
        f"{article_list(case.articles)}，{_outcome(case)}。"
    )
    return _sample("inapplicable", case.fact, near, case, out)


def contrastive_samples(
    cases: list[CaseRecord], chapter_of: ChapterOf, seed: int = 42, candidates: int = 300
) -> Iterator[Sample]:
    """One sample of each kind per usable case (a kind is skipped where no partner exists)."""
    usable = [
        c
        for c in cases
        if c.charges and c.articles and (c.term_months or c.life_imprisonment or c.death_penalty)
    ]
    rng = random.Random(seed)
    grams = {c.case_id: _bigrams(c.fact[:400]) for c in usable}
    chapters = {c.case_id: _chapters(c, chapter_of) for c in usable}
    for case in usable:
        yield positive(case)
        pool = rng.sample(usable, min(candidates, len(usable)))
        far = [o for o in pool if chapters[o.case_id] and not chapters[o.case_id] & chapters[case.case_id]]
        if far:
            yield wrong(case, rng.choice(far))
        related = [
            o
            for o in pool
            if set(o.articles) != set(case.articles)
            and chapters[o.case_id] & chapters[case.case_id]
            and not set(o.articles) & set(case.articles)
        ]
        if related:
            near = max(related, key=lambda o: _similarity(grams[o.case_id], grams[case.case_id]))
            yield inapplicable(case, near)
