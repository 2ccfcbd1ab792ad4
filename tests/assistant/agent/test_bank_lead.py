"""The question bank's nearest question leads a consultation when it nearly restates it (answering.bank_lead)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.agent.answering import bank_lead


@dataclass
class _Hit:
    law_id: str
    number: int
    suffix: int = 0


class _Searcher:
    def __init__(self, found):  # type: ignore[no-untyped-def]
        self.found = found

    def bank_lead(self, question: str):  # type: ignore[no-untyped-def]
        return self.found


def test_the_bank_s_article_leads_from_the_statutes_or_the_interpretations() -> None:
    traffic, crime, interp = _Hit("道路交通安全法", 91), _Hit("刑法", 18), _Hit("某解释", 5)
    statutes, interps = bank_lead(_Searcher((("刑法", 18, 0), 0.95)), "q", [traffic, crime], [interp])
    assert statutes == [crime, traffic] and interps == [interp]
    statutes, interps = bank_lead(_Searcher((("某解释", 5, 0), 0.95)), "q", [traffic, crime], [interp])
    assert statutes == [interp, traffic, crime] and interps == []


def test_without_a_near_question_or_the_article_found_the_order_stands() -> None:
    traffic, crime = _Hit("道路交通安全法", 91), _Hit("刑法", 18)
    assert bank_lead(_Searcher(None), "q", [traffic, crime], []) == ([traffic, crime], [])
    assert bank_lead(_Searcher((("民法典", 1, 0), 0.99)), "q", [traffic, crime], []) == ([traffic, crime], [])
    assert bank_lead(object(), "q", [traffic], []) == ([traffic], [])
