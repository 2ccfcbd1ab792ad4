"""Tiered masking for context learning on judgments (EC-MIIP stage 2).

A judgment's text is cut into three layers: the statute-citation layer (the 依照《…》…之规定
clause and every 《…》第X条 reference), the judgment reasoning (本院认为 … and the verdict), and
the legal analysis and facts. Each token is kept in the loss with its layer's probability
(100% / 80% / 60%); a dropped token is still seen as context but is not a prediction target,
so the model is pushed hardest to reproduce citations and least to memorise the facts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from corpora.records import CaseRecord
from finetune.judgment import STATUTE_REF, split_judgment
from finetune.samples import Sample

KEEP = {"citation": 1.0, "reasoning": 0.8, "facts": 0.6}
TIERS = tuple(KEEP)
Span = tuple[int, int, str]  # [start, end) in characters, tier


def tier_spans(full_text: str) -> tuple[str, list[Span]] | None:
    """(body, spans): facts + reasoning + citation + verdict, each character in exactly one tier."""
    parts = split_judgment(full_text)
    if not parts.ok:
        return None
    pieces = [
        ("facts", parts.part("facts")),
        ("reasoning", parts.part("reasoning")),
        ("citation", parts.part("citation")),
        ("reasoning", parts.part("verdict")),
    ]
    body, spans = "", []
    for tier, piece in pieces:
        if not piece:
            continue
        start = len(body)
        body += piece + ("\n" if tier != "citation" else "，")
        spans.append((start, len(body), tier))
    # Statute references inside the facts and reasoning belong to the citation layer too.
    refs = [(m.start(), m.end(), "citation") for m in STATUTE_REF.finditer(body) if m.end() - m.start() > 4]
    return body, _overlay(spans, refs)


def _overlay(base: list[Span], top: list[Span]) -> list[Span]:
    """Spans of `base` with `top` cut into them (top wins), sorted and non-overlapping."""
    out: list[Span] = []
    for s, e, tier in base:
        cursor = s
        for ts, te, ttier in top:
            if te <= cursor or ts >= e:
                continue
            if ts > cursor:
                out.append((cursor, ts, tier))
            out.append((max(ts, cursor), min(te, e), ttier))
            cursor = min(te, e)
        if cursor < e:
            out.append((cursor, e, tier))
    return [sp for sp in out if sp[1] > sp[0]]


def context_sample(case: CaseRecord) -> Sample | None:
    if not case.full_text:
        return None
    cut = tier_spans(case.full_text)
    if cut is None:
        return None
    body, spans = cut
    return Sample(
        kind="judgment_context",
        instruction="",
        output=body,
        level=4,
        group=f"case:{case.case_id}",
        source=case.case_id,
        meta={"spans": [list(sp) for sp in spans]},
    )


def token_tiers(offsets: Sequence[tuple[int, int]], spans: Sequence[Sequence]) -> list[str | None]:
    """The tier of each token, by the character its offset starts at (None: outside every span)."""
    tiers: list[str | None] = []
    ordered = sorted((int(s), int(e), str(t)) for s, e, t in spans)
    j = 0
    for start, end in offsets:
        if end <= start:
            tiers.append(None)
            continue
        while j < len(ordered) and ordered[j][1] <= start:
            j += 1
        tiers.append(ordered[j][2] if j < len(ordered) and ordered[j][0] <= start else None)
    return tiers


def mask_labels(
    input_ids: Sequence[int], tiers: Sequence[str | None], rng: random.Random, keep: dict[str, float] = KEEP
) -> list[int]:
    """Labels with each tiered token kept at its tier's rate (-100 = not a target)."""
    return [
        t if tier is None or rng.random() < keep[tier] else -100
        for t, tier in zip(input_ids, tiers, strict=True)
    ]


def kept_fractions(labels: Sequence[int], tiers: Sequence[str | None]) -> dict[str, tuple[int, int]]:
    """Per tier: (kept, total) token counts."""
    out = {t: [0, 0] for t in TIERS}
    for label, tier in zip(labels, tiers, strict=True):
        if tier is None:
            continue
        out[tier][1] += 1
        out[tier][0] += label != -100
    return {t: (k, n) for t, (k, n) in out.items()}


def tokenize_masked(tokenizer, sample: Sample, max_length: int, rng: random.Random) -> dict[str, list[int]]:
    """input_ids and tier-masked labels for one judgment_context sample (EOS appended, kept)."""
    enc = tokenizer(
        sample.output,
        return_offsets_mapping=True,
        add_special_tokens=False,
        truncation=True,
        max_length=max_length - 1,
    )
    tiers = token_tiers(enc["offset_mapping"], sample.meta.get("spans") or [])
    ids = list(enc["input_ids"]) + [tokenizer.eos_token_id]
    labels = mask_labels(enc["input_ids"], tiers, rng) + [tokenizer.eos_token_id]
    return {"input_ids": ids, "labels": labels}
