"""Tiered masking over real judgments and contrastive samples from real cases."""

from __future__ import annotations

import random
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def judgments(shared_corpus: Path):
    from corpora.loader import load_corpus

    corpus = load_corpus(shared_corpus, laws=False)
    return [c for c in corpus.cases if c.source == "judge"][:80], corpus


def test_tier_spans_cover_the_parts_and_mark_every_statute_reference(judgments):
    from finetune.masking import context_sample

    cases, _ = judgments
    samples = [s for s in (context_sample(c) for c in cases) if s is not None]
    assert len(samples) >= 75
    for s in samples:
        spans = s.meta["spans"]
        assert spans[0][0] == 0 and spans[-1][1] == len(s.output)  # the whole body, no gaps
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
        cited = "".join(s.output[a:b] for a, b, t in spans if t == "citation")
        assert "《" in cited
        assert {t for _, _, t in spans} == {"facts", "reasoning", "citation"}


def test_kept_fractions_per_tier_are_100_80_60_percent(judgments, tiny_model: Path):
    from transformers import AutoTokenizer

    from finetune.masking import context_sample, kept_fractions, mask_labels, token_tiers

    cases, _ = judgments
    tok = AutoTokenizer.from_pretrained(tiny_model)
    rng = random.Random(0)
    totals = {"citation": [0, 0], "reasoning": [0, 0], "facts": [0, 0]}
    for case in cases:
        s = context_sample(case)
        if s is None:
            continue
        enc = tok(s.output, return_offsets_mapping=True, add_special_tokens=False)
        tiers = token_tiers(enc["offset_mapping"], s.meta["spans"])
        assert None not in tiers
        labels = mask_labels(enc["input_ids"], tiers, rng)
        for tier, (kept, n) in kept_fractions(labels, tiers).items():
            totals[tier][0] += kept
            totals[tier][1] += n
    fractions = {t: k / n for t, (k, n) in totals.items()}
    assert all(n > 2000 for _, n in totals.values()), totals
    assert fractions["citation"] == 1.0
    assert fractions["reasoning"] == pytest.approx(0.8, abs=0.05)
    assert fractions["facts"] == pytest.approx(0.6, abs=0.05)


def test_all_three_contrastive_kinds_from_real_cases(judgments, shared_corpus: Path):
    from corpora.loader import load_corpus
    from finetune.contrastive import contrastive_samples
    from finetune.data import _criminal_law_lookups

    cases, _ = judgments
    corpus = load_corpus(shared_corpus, cases=False, law_dirs=["刑法"])
    _, chapter_of = _criminal_law_lookups(corpus)
    by_id = {c.case_id: c for c in cases}
    samples = list(contrastive_samples(cases, chapter_of))
    kinds = {s.meta["contrast"] for s in samples}
    assert kinds == {"positive", "wrong", "inapplicable"}
    for s in samples:
        truth = by_id[s.source.split("#")[0]]
        shown = by_id[s.meta["shown"]]
        assert truth.fact in s.input
        kind = s.meta["contrast"]
        if kind == "positive":
            assert shown is truth and s.output.startswith("正确")
            continue
        assert s.output.startswith("错误") and not set(shown.articles) & set(truth.articles)
        same_chapter = {chapter_of(n) for n in shown.articles} & {chapter_of(n) for n in truth.articles}
        assert bool(same_chapter) == (kind == "inapplicable")  # related-but-inapplicable shares a chapter
