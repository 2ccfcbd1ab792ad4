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


class _Classifying:
    """No near bank question; the classifier's article, and the lexicon's evidence (article → characters)."""

    def __init__(self, found, evidence=None, near=None):  # type: ignore[no-untyped-def]
        self.found, self.evidence, self.near = found, evidence or {}, near

    def bank_lead(self, question: str):  # type: ignore[no-untyped-def]
        return self.near

    def classifier_lead(self, question: str):  # type: ignore[no-untyped-def]
        return self.found

    def lexicon_evidence(self, question: str):  # type: ignore[no-untyped-def]
        return self.evidence


def test_the_classifier_s_article_leads_when_no_bank_question_restates_the_question() -> None:
    consumer, contract = _Hit("消费者权益保护法", 24), _Hit("民法典", 784)
    statutes, _ = bank_lead(_Classifying((("民法典", 784, 0), 0.99)), "q", [consumer, contract], [])
    assert statutes == [contract, consumer]
    # a near bank question comes first
    near = _Classifying((("民法典", 784, 0), 0.99), near=(("消费者权益保护法", 24, 0), 0.95))
    assert bank_lead(near, "q", [consumer, contract], [])[0] == [consumer, contract]


def test_a_lead_a_lexicon_entry_names_over_ten_characters_or_more_keeps_its_place() -> None:
    copyright_, software = _Hit("著作权法", 18), _Hit("计算机软件保护条例", 13)
    guess = (("计算机软件保护条例", 13, 0), 0.99)
    held = _Classifying(guess, {("著作权法", 18, 0): 18, ("计算机软件保护条例", 13, 0): 10})
    assert bank_lead(held, "q", [copyright_, software], [])[0] == [copyright_, software]
    held = _Classifying(guess, {("著作权法", 18, 0): 10})
    assert bank_lead(held, "q", [copyright_, software], [])[0] == [copyright_, software]
    # an entry over fewer characters (stop 25: 5 to 9 held wrong leads on the suites never read), or one naming the
    # classifier's article as much, does not hold it
    for chars in (4, 9):
        short = _Classifying(guess, {("著作权法", 18, 0): chars})
        assert bank_lead(short, "q", [copyright_, software], [])[0] == [software, copyright_]
    tie = _Classifying(guess, {("著作权法", 18, 0): 12, ("计算机软件保护条例", 13, 0): 12})
    assert bank_lead(tie, "q", [copyright_, software], [])[0] == [software, copyright_]


class _Fetching(_Classifying):
    """The classifier sure of an article the search did not find; the index holds it."""

    def __init__(self, found, held):  # type: ignore[no-untyped-def]
        super().__init__(found)
        self.held = held

    def get_article(self, law: str, number: int, suffix: int = 0):  # type: ignore[no-untyped-def]
        return self.held.get((law, number, suffix))


def test_a_sure_lead_the_search_did_not_find_is_fetched() -> None:
    """「借条上写了“担保人”三个字…我得替他全还吗」: 民法典第六百八十六条, which the search's character pairs missed."""
    pledge, surety = _Hit("民法典", 391), _Hit("民法典", 686)
    sure = _Fetching((("民法典", 686, 0), 0.99), {("民法典", 686, 0): surety})
    assert bank_lead(sure, "q", [pledge], []) == ([surety, pledge], [])
    # an article the index does not hold leaves the order as it was
    gone = _Fetching((("民法典", 686, 0), 0.99), {})
    assert bank_lead(gone, "q", [pledge], []) == ([pledge], [])
