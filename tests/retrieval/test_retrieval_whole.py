"""What users search, scored over a whole-corpus index (slow): the everyday question suite, the held-out
Lawyer-LLaMA consultations over every law, and exact phrases, through `Searcher.search` as `eval retrieval`
scores them. Needs a data dir holding a whole-corpus index built with the legal model (and its question
memory and term map), named by $LEGAL_ASSISTANT_TEST_INDEX; skipped without one.

Run with `LEGAL_ASSISTANT_TEST_INDEX=DATA pytest -m slow tests/retrieval/test_retrieval_whole.py`.
Measured on such an index (2026-11-29): everyday R@1 .344 / R@5 .549 (before the statute ranking, the kind
factors and the dense agreement: .246 / .426); consultations MRR .581 / R@10 .841; phrases R@1 .997. The
floors below sit under those figures by the spread that two builds of one corpus show (Chroma's HNSW
ranks near-ties differently), and at the issue's guards where it sets one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval import quality

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searcher():
    data = os.environ.get("LEGAL_ASSISTANT_TEST_INDEX")
    if not data:
        pytest.skip("set LEGAL_ASSISTANT_TEST_INDEX to a data dir with a whole-corpus index")
    from assistant.settings import load_settings
    from retrieval.search import Searcher

    s = load_settings(overrides={"data_dir": data})
    return Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)


def test_everyday_questions_find_the_article_a_lawyer_would_cite(searcher) -> None:
    scores = quality.score(searcher, "everyday", quality.load_suite(searcher))
    m = scores.metrics()
    assert m["recall@5"] >= 0.52 and m["recall@1"] >= 0.31, m
    assert all(area["recall@5"] >= 0.3 for area in scores.by_area().values()), scores.by_area()


def test_consultations_over_every_law_stay_above_the_guard(searcher, shared_corpus: Path) -> None:
    from finetune.retriever.consultations import load_consultations, split_consultations

    _, heldout = split_consultations(load_consultations(shared_corpus))
    m = quality.score(searcher, "ll", quality.consultation_questions(searcher, heldout)).metrics()
    assert m["mrr"] >= 0.55 and m["recall@10"] >= 0.75, m


def test_exact_phrases_find_their_article_first(searcher) -> None:
    m = quality.score(searcher, "phrases", quality.phrase_questions(searcher)).metrics()
    assert m["recall@1"] >= 0.99, m


def test_interpretations_of_the_laws_the_civil_code_repealed_are_not_cited_for_today_s_law(searcher) -> None:
    """民法典第一千二百六十条 repealed 婚姻法 and eight more laws; their interpretations stay in the corpus
    as current documents. A question about 彩礼 or 借款利息 is answered without them; named, one is found."""
    for question in ("订婚给了彩礼，没领证就分手了，彩礼能要回来吗？", "借钱没约定利息，到期能要利息吗？"):
        hits = searcher.search(question, kind="interpretations", k=5)
        assert hits and not [h for h in hits if "婚姻法" in h.law_title or "合同法" in h.law_title], hits
    applied = searcher.applies_repealed_law(
        "最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（二）"
    )
    assert applied is not None and applied[0] == "婚姻法" and applied[1].number == 1260
    named = searcher.search("《最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（二）》第十条", k=3)
    assert named and named[0].number == 10 and "婚姻法" in named[0].law_title


def test_a_held_document_a_later_one_repealed_by_name_is_labelled_so(searcher) -> None:
    """The 2019 rules (第六百八十四条) repeal 《人民检察院刑事诉讼规则（试行）》, which the corpus still holds;
    the 2012 rules' own repeal of the 1999 rules (same title as the 2019 rules) repeals nothing current."""
    trial = searcher.applies_repealed_law("人民检察院刑事诉讼规则（试行）")
    assert trial is not None and trial[1].law_title == "人民检察院刑事诉讼规则" and trial[1].number == 684
    assert searcher.applies_repealed_law("人民检察院刑事诉讼规则") is None
    stamp = searcher.applies_repealed_law("中华人民共和国印花税暂行条例")
    assert stamp is not None and "印花税法" in stamp[1].law_title
    hits = searcher.search("人民检察院侦查终结 起诉意见书", k=10)
    assert hits and not [h for h in hits if h.law_title == "人民检察院刑事诉讼规则（试行）"], hits
    # repealed by 法释〔2020〕16号, which the corpus lacks (retrieval/repeals_outside.toml): labelled, never cited
    labour = "最高人民法院关于审理劳动争议案件适用法律若干问题的解释（四）"
    assert searcher.repealed_outside(labour) is not None
    cited = searcher.search("没签书面劳动合同，双倍工资，劳动争议", kind="interpretations", k=10)
    assert cited and not [
        h for h in cited if "若干问题的解释" in h.law_title and "劳动争议" in h.law_title
    ], cited
