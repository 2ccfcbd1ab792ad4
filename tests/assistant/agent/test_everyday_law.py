"""Everyday words of work and of dealings with the government (assistant/agent/everyday_law.toml): each
entry's legal words are the cited articles' own words, and a consultation searches them."""

from __future__ import annotations

from pathlib import Path

from assistant.agent.planning import EVERYDAY_LAW, _everyday_law, plan_general
from assistant.judgment.everyday import EverydayTerms
from corpora.citations import parse_citations


def test_every_entry_gives_words_of_the_articles_it_cites(shared_corpus: Path) -> None:
    from corpora.loader import load_corpus

    terms = EverydayTerms.read(EVERYDAY_LAW)
    refs = {t.source: parse_citations(t.source) for t in terms.terms}
    laws = {r.law for rs in refs.values() for r in rs}
    corpus = load_corpus(shared_corpus, cases=False)
    texts: dict[tuple[str, int], str] = {}
    for a in corpus.articles:
        if a.current and a.numbering == "article" and a.suffix == 0:
            for law in laws:
                if law and (a.law_title.endswith(law) or a.law_id == law):
                    texts[(law, a.number)] = a.text
    for term in terms.terms:
        cited = [texts.get((r.law, r.number)) for r in refs[term.source]]
        assert all(cited), f"{term.source}: an article not in the corpus"
        foreign = [w for w in term.legal.split() if not any(w in t for t in cited if t)]
        assert not foreign, f"{term.words[0]}: {foreign} are not words of {term.source}"


def test_a_consultation_searches_the_legal_words_of_its_everyday_words() -> None:
    searched: list[str] = []

    class _Searcher:
        def search(self, query: str, kind: str | None = None, k: int | None = None) -> list:
            searched.append(query)
            return []

    plan_general(_Searcher(), "我想辞职，要提前多久告诉公司？")  # type: ignore[arg-type]
    assert searched and all("劳动者提前三十日以书面形式通知用人单位" in q for q in searched)
    plan_general(_Searcher(), "今年的春节是哪天？")  # type: ignore[arg-type]
    assert searched[-1] == "今年的春节是哪天？"
    assert _everyday_law().expand("对行政处罚不服，行政复议要多久内申请？").count("六十日内") == 1
