"""Judgment prediction from facts: the Criminal Law 分则 articles, the charges and the term.

The charges come from the one charge ranking the assistant has (assistant.judgment.ranker:
lexical 罪状 matching, a classifier over labelled cases and each charge's texts, and the legal
embedder, fused); the articles are the recognised charges' articles. The term comes from the
sentencing engine, with the same-charge similar cases.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.judgment.charge_docs import SPECIAL_PART
from assistant.judgment.ranker import ChargeCandidate, ChargeRanker
from assistant.judgment.several import crimes_in
from corpora.cases import normalize_charge
from corpora.charges import ChargeMap
from corpora.numerals import int_to_cn
from corpora.records import CaseRecord

if TYPE_CHECKING:
    from assistant.judgment.settings import ChargeRankerSettings
    from assistant.sentencing.rules import GuidelineRules
    from retrieval.embeddings import Embedder

# General-part articles that circumstances found in the facts make applicable.
GENERAL_ARTICLES = {
    "自首": 67,
    "坦白": 67,
    "立功": 68,
    "累犯": 65,
    "未遂": 23,
    "中止": 24,
    "预备": 22,
    "从犯": 27,
    "胁从犯": 28,
    "主犯": 26,
    "未成年": 17,
    "已满七十五周岁": 17,
}


class PredictionError(ValueError):
    """An input line that cannot be predicted (no facts); the message says which line."""


@dataclass
class Prediction:
    articles: list[int]
    charges: list[str]
    term_months: float | None
    general_articles: list[int] = field(default_factory=list)
    life_imprisonment: bool = False
    death_penalty: bool = False
    candidates: list[ChargeCandidate] = field(default_factory=list)  # the ranking, best first

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "charges": self.charges,
            "term_months": self.term_months,
            "general_articles": self.general_articles,
            "life_imprisonment": self.life_imprisonment,
            "death_penalty": self.death_penalty,
        }


class JudgmentPredictor:
    """facts (+ optional known charges/articles) → articles, charges, general articles, term."""

    def __init__(
        self,
        ranker: ChargeRanker,
        similar_pool: Sequence[CaseRecord] = (),
        article_texts: dict[int | str, str] | None = None,
        rules: GuidelineRules | None = None,
    ) -> None:
        self.ranker = ranker
        self.rules = rules  # None: the sentencing rules in force today
        self.charge_map: ChargeMap = ranker.charge_map
        self.article_texts = article_texts or {}
        self._pool_by_charge: dict[str, list[CaseRecord]] = defaultdict(list)
        for case in similar_pool:
            for charge in case.charges:
                self._pool_by_charge[normalize_charge(charge)].append(case)

    def articles_for_charges(self, charges: Sequence[str]) -> list[int]:
        found: list[int] = []
        for charge in charges:
            for number in self.charge_map.articles_for(normalize_charge(charge)):
                if number in SPECIAL_PART and number not in found:
                    found.append(number)
        return found

    def charges_for_articles(self, articles: Sequence[int], fact: str) -> list[str]:
        """The charges of given articles; of an article with several, the one the ranking prefers."""
        names = [n for a in articles for n in self.charge_map.charges_for(a)]
        if len(names) <= len(articles):
            return list(dict.fromkeys(names))
        order = {
            c.charge: i for i, c in enumerate(self.ranker.rank_many([fact], top=len(self.ranker.units))[0])
        }
        out: list[str] = []
        for a in articles:
            own = self.charge_map.charges_for(a)
            if own:
                out.append(min(own, key=lambda n: order.get(n, len(order))))
        return list(dict.fromkeys(out))

    def predict_many(self, items: Sequence[dict[str, Any]]) -> list[Prediction]:
        facts = [str(item.get("fact") or "") for item in items]
        need = [i for i, item in enumerate(items) if not item.get("charges") and not item.get("articles")]
        ranked = dict(zip(need, self.ranker.rank_many([facts[i] for i in need]), strict=True))
        return [self._predict_one(facts[i], items[i], ranked.get(i, [])) for i in range(len(items))]

    def _predict_one(self, fact: str, item: dict[str, Any], ranked: list[ChargeCandidate]) -> Prediction:
        from assistant.sentencing import estimate_sentence, find_circumstances

        given_charges = [normalize_charge(c) for c in item.get("charges") or []]
        given_articles = [int(a) for a in item.get("articles") or []]
        if given_charges:
            charges = given_charges
            articles = given_articles or self.articles_for_charges(given_charges)
        elif given_articles:
            articles = given_articles
            charges = self.charges_for_articles(given_articles, fact)
        else:
            chosen = crimes_in(self.ranker, fact, ranked)
            charges = list(dict.fromkeys(c.charge for c in chosen))
            articles = list(dict.fromkeys(c.article for c in chosen))
        # Leave-one-out evaluation on the similar-case corpus: a case is not its own neighbour.
        exclude = fact if item.get("leave_one_out") else None
        similar = [c for ch in charges for c in self._pool_by_charge.get(ch, []) if c.fact != exclude][:200]
        estimate = estimate_sentence(fact, charges, articles, self.article_texts, similar, self.rules)
        general = sorted(
            {GENERAL_ARTICLES[c.name] for c in find_circumstances(fact) if c.name in GENERAL_ARTICLES}
        )
        return Prediction(
            articles=articles,
            charges=charges,
            term_months=_round_term(estimate.point_months),
            general_articles=general,
            candidates=ranked[:10],
        )


def _round_term(months: float | None) -> float | None:
    if months is None or math.isnan(months):
        return None
    return round(float(months), 1)


def build_predictor(
    corpus_root: Any,
    embedder: Embedder | None = None,
    similar_source: str = "cail2018/train",
    charges_as_of: str | None = None,
    data_dir: Any = None,
    settings: ChargeRankerSettings | None = None,
) -> JudgmentPredictor:
    """Everything prediction needs, from the corpus: the charge ranker (cached in `data_dir`), the
    分则 article texts and the similar cases. With `charges_as_of` (a past day), the articles and the
    interpretations' thresholds are those in force that day: a judgment applies the law of its time."""
    from pathlib import Path

    from assistant.judgment.build import load_or_fit
    from corpora.loader import load_corpus

    root = Path(corpus_root)
    ranker = load_or_fit(root, Path(data_dir) if data_dir else None, settings, charges_as_of)
    ranker.attach_embedder(embedder)
    corpus = load_corpus(root, law_dirs=["刑法"], cases=True)
    # suffixed articles under "388之一": the sentencing engine finds 利用影响力受贿's range there
    texts: dict[int | str, str] = {
        (f"{a.number}之{int_to_cn(a.suffix)}" if a.suffix else a.number): a.text
        for a in corpus.articles
        if a.law_id == "刑法" and a.current and a.numbering == "article"
    }
    rules = None
    if charges_as_of:
        from assistant.sentencing.rules import load_rules
        from corpora.in_force import texts_in_force

        for (number, suffix), text in texts_in_force(root, "刑法", charges_as_of).items():
            texts[f"{number}之{int_to_cn(suffix)}" if suffix else number] = text
        rules = load_rules().on_day(charges_as_of)
    pool = [c for c in corpus.cases if c.source == similar_source]
    return JudgmentPredictor(ranker, similar_pool=pool, article_texts=texts, rules=rules)
