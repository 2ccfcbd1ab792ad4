"""A ranking loss over every candidate article at once, not only the ones in the batch.

MultipleNegativesRankingLoss compares a query with the other positives of its batch: random
articles, rarely the neighbours it must be told apart from (滥用职权 against the other 渎职
articles). The article collection is small (a few thousand texts) and a StaticEmbedding encodes
it in milliseconds, so each step can score the query against all of them: a softmax over the
whole collection, the cross-entropy of the gold article. Measured against MNRL in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def corpus_softmax_loss(model: Any, doc_texts: list[str], scale: float = 20.0) -> Any:
    """A loss module for SentenceTransformerTrainer: columns (anchor, label = index in `doc_texts`)."""
    import torch
    from torch import nn

    class CorpusSoftmaxLoss(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model
            self.scale = scale
            self.doc_features = model.preprocess(doc_texts)  # fixed texts: tokenised once
            self.cross_entropy = nn.CrossEntropyLoss()

        def forward(
            self, sentence_features: Iterable[dict[str, torch.Tensor]], labels: torch.Tensor
        ) -> torch.Tensor:
            (anchor,) = list(sentence_features)
            queries = nn.functional.normalize(self.model(anchor)["sentence_embedding"], dim=-1)
            features = {k: v.to(queries.device) for k, v in self.doc_features.items()}
            docs = nn.functional.normalize(self.model(features)["sentence_embedding"], dim=-1)
            return self.cross_entropy(self.scale * queries @ docs.T, labels.long())

        @property
        def citation(self) -> str:
            return ""

    return CorpusSoftmaxLoss()
