"""Settings of the charge ranker (the `charges` part of the tree in assistant.settings)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChargeRankerSettings(BaseModel):
    """Constants of `ChargeRanker`; the defaults were chosen on a held-out part of CAIL train whose
    charges the classifier never saw (see assistant/judgment/ranker.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bm25_k1: float = Field(1.2, gt=0, description="BM25 k1 of the lexical ranking over the charge texts.")
    bm25_b: float = Field(0.75, ge=0, le=1, description="BM25 b of the lexical ranking.")
    fact_idf_power: float = Field(
        2.0,
        ge=0,
        description=(
            "Each query bigram is weighted by its IDF among case narratives to this power, so narration "
            "every case shares (被告人, 经审理查明) counts for nothing and the words of the act count most."
        ),
    )
    name_repeats: int = Field(4, ge=0, description="Times the charge name is repeated in its lexical text.")
    interpretation_sentences: int = Field(
        30, ge=0, description="Sentences of the interpretations that name a charge, kept per charge."
    )
    pseudo_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of a charge's own texts (name, 罪状, interpretations) against its labelled cases "
        "in the classifier's centroid.",
    )
    classifier_idf_power: float = Field(
        1.0, ge=0, description="The same narrative IDF power for the classifier's features."
    )
    classifier_prior: float = Field(
        0.05,
        ge=0,
        description="Added to the classifier's cosine, times how common the charge is among the labelled "
        "cases (log count scaled to [0, 1]).",
    )
    classifier_centred: bool = Field(
        True,
        description="Subtract from each charge's cosine its mean over the labelled narratives, so that "
        "charges with cases do not outrank, by their narration alone, the charges known from their texts.",
    )
    rrf_k: int = Field(20, ge=1, description="Reciprocal-rank-fusion constant.")
    lexical_weight: float = Field(1.0, ge=0, description="Weight of the lexical ranking in the fusion.")
    classifier_weight: float = Field(
        2.0, ge=0, description="Weight of the case-trained centroid classifier in the fusion."
    )
    dense_weight: float = Field(
        0.3, ge=0, description="Weight of the legal embedder's ranking in the fusion."
    )
    everyday_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the articles whose words the facts' everyday words stand for "
        "(assistant/judgment/everyday_terms.toml) in the fusion: a vote, as strong as the lexical ranking's.",
    )
    everyday_full_chars: int = Field(
        150,
        ge=1,
        description="Facts up to this many characters (a question) get the everyday vote in full; longer "
        "ones in proportion (a judgment's narrative tells the act in the law's words).",
    )
    distinction_window: int = Field(
        3,
        ge=2,
        description="Two neighbouring charges (assistant/judgment/distinctions.toml) are put in the order "
        "their separating element gives when both stand in this many first places of the fused ranking.",
    )
    candidates: int = Field(50, ge=1, description="Candidates taken from each ranking before fusion.")
    second_charge_ratio: float = Field(
        0.98,
        ge=0,
        le=1,
        description="Another charge is recognised beside the first (数罪) when its fused score reaches this "
        "share of the first's and both the lexical ranking and the classifier put it in their top 3.",
    )
    max_charges: int = Field(3, ge=1, description="Most charges recognised in one case.")
