"""Question → article classifier trained on the question bank: which article a client's question is about.

The bank (retrieval.question_bank) lets its nearest questions vote, by the index's model and by shared words:
a question told in other words than any bank question's is near none of them. A classifier trained on all
the bank's questions at once learns which of their words and character n-grams tell one article from the
others (工作室 and 单方 for 著作权法第十七条's 委托作品, not 我爸), and scores every article for any question.

It is fastText's recipe (Joulin et al. 2016): a question's features (its characters, character bigrams and
trigrams, and the tokenizer's words), weighted by tf-idf and normalised, summed through an embedding table
into one vector, then a linear layer and a softmax over the articles. Trained with torch (about 40 s for the
12,000 questions alone on two cores); scored with numpy (under a millisecond). Features no training text has
are left out: the table holds only the ones seen.

It learns from more than the bank's questions (`Searcher._classifier_examples`): each lexicon entry's everyday
words, for the article its source names first, and each bank article's own text, which give it the legal
words of articles the bank asks about in few questions. About 2 minutes to train then; 460,000 features.

Measured in stop 21 (development suites, answers' first cited article right, classifier at weight 3 with the
0.8–0.95 confidence ramp; before → after): heldout4 .722 → .736, heldout7 .750 → .778, heldout .957 → .978,
everyday .984, heldout2 1.000 and heldout3 1.000 unchanged. Its own first article was right for 185 of the 203
development questions whose top probability was at least 0.9, and for 19 of the 41 between 0.1 and 0.4.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Tokenize = Callable[[str], list[str]]
NGRAMS = (1, 2, 3)  # character n-grams besides the tokenizer's words


def features(text: str, tokenize: Tokenize) -> list[str]:
    """The question's character n-grams (whitespace removed) and its words, each as often as it occurs."""
    flat = "".join(ch for ch in text if not ch.isspace())
    found = [f"c{flat[i : i + n]}" for n in NGRAMS for i in range(len(flat) - n + 1)]
    return found + [f"w{w}" for w in tokenize(text)]


@dataclass(frozen=True)
class ArticleClassifier:
    vocabulary: dict[str, int]  # feature → row of `table`
    idf: np.ndarray  # per row
    table: np.ndarray  # members × rows × dim
    weight: np.ndarray  # members × dim × classes
    bias: np.ndarray  # members × classes
    classes: np.ndarray  # the label of each class (str: the searcher's law id|number|suffix of an article)

    def _encode(self, found: Sequence[str]) -> tuple[list[int], np.ndarray]:
        counts = Counter(f for f in found if f in self.vocabulary)
        rows = [self.vocabulary[f] for f in counts]
        weights = np.array(
            [(1.0 + math.log(c)) * self.idf[self.vocabulary[f]] for f, c in counts.items()], dtype=np.float32
        )
        return rows, weights / (float(np.linalg.norm(weights)) + 1e-9)

    def probabilities(self, text: str, tokenize: Tokenize) -> np.ndarray:
        """Softmax over the classes, averaged over the members; all 0 for a question none of whose features
        the bank has."""
        rows, weights = self._encode(features(text, tokenize))
        if not rows:
            return np.zeros(len(self.classes), dtype=np.float32)
        hidden = np.einsum("r,mrd->md", weights, self.table[:, rows].astype(np.float32))
        logits = np.einsum("md,mdc->mc", hidden, self.weight) + self.bias
        logits = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (logits / logits.sum(axis=1, keepdims=True)).mean(axis=0).astype(np.float32)

    def ranked(self, text: str, tokenize: Tokenize, n: int) -> tuple[list[str], float]:
        """The n most likely labels, best first, and the best one's probability."""
        p = self.probabilities(text, tokenize)
        if not len(p) or p.max() <= 0:
            return [], 0.0
        top = np.argsort(-p, kind="stable")[:n]
        return [str(self.classes[i]) for i in top], float(p[top[0]])

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        tokenize: Tokenize,
        dim: int = 128,
        epochs: int = 8,
        seed: int = 0,
        batch: int = 128,
        lr: float = 0.01,
        members: int = 1,
    ) -> ArticleClassifier:
        """Trained on (question, label) pairs; a question with two labels is given twice. With `members` > 1,
        that many are trained from seeds `seed`, `seed + 1`, … on the same features, and their probabilities
        averaged."""
        if len(texts) != len(labels) or len(set(labels)) < 2:
            raise ValueError("the classifier needs as many labels as questions, and two articles at least")
        if members < 1:
            raise ValueError("the classifier needs one member at least")
        found = [features(t, tokenize) for t in texts]
        df = Counter(f for fs in found for f in set(fs))
        vocabulary = {f: i for i, f in enumerate(sorted(df))}
        n = len(found)
        idf = np.array([math.log((n + 1) / (df[f] + 1)) + 1.0 for f in sorted(df)], dtype=np.float32)
        classes = np.array(sorted(set(labels)), dtype=str)
        index = {str(c): i for i, c in enumerate(classes)}
        skeleton = cls(vocabulary, idf, np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(0), classes)
        encoded = [skeleton._encode(fs) for fs in found]
        y = [index[label] for label in labels]
        trained = [_train_member(encoded, y, len(vocabulary), len(classes), dim, epochs, seed + m, batch, lr)
                   for m in range(members)]  # fmt: skip
        return cls(
            vocabulary,
            idf,
            np.stack([t[0] for t in trained]),
            np.stack([t[1] for t in trained]),
            np.stack([t[2] for t in trained]),
            classes,
        )

    def save(self, path: Path) -> None:
        """One .npz, written whole or not at all."""
        path = Path(path)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
        try:
            np.savez(
                tmp,
                features=np.array(list(self.vocabulary), dtype=str),
                idf=self.idf,
                table=self.table,
                weight=self.weight,
                bias=self.bias,
                classes=self.classes,
            )
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> ArticleClassifier:
        """Raises OSError or ValueError when the file is missing or not one of ours."""
        with np.load(Path(path), allow_pickle=False) as data:
            names = data["features"].tolist()
            parts = {k: data[k] for k in ("idf", "table", "weight", "bias", "classes")}
        table, weight, bias = parts["table"], parts["weight"], parts["bias"]
        if table.ndim != 3 or weight.ndim != 3 or bias.ndim != 2:
            raise ValueError(f"{path}: not a classifier of this version (its parts have no members)")
        if len(names) != len(parts["idf"]) or table.shape[1] != len(names):
            raise ValueError(f"{path}: a classifier whose parts do not match")
        if not table.shape[0] == weight.shape[0] == bias.shape[0] or weight.shape[2] != len(parts["classes"]):
            raise ValueError(f"{path}: a classifier whose parts do not match")
        return cls({f: i for i, f in enumerate(names)}, **parts)


def _train_member(
    encoded: Sequence[tuple[list[int], np.ndarray]],
    labels: Sequence[int],
    rows: int,
    classes: int,
    dim: int,
    epochs: int,
    seed: int,
    batch: int,
    lr: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One member's embedding table (float16), output weight (dim × classes) and bias."""
    import torch  # only training needs it

    y = torch.tensor(list(labels))
    n = len(encoded)
    torch.manual_seed(seed)
    table = torch.nn.EmbeddingBag(rows, dim, mode="sum", sparse=True)
    torch.nn.init.normal_(table.weight, 0.0, 0.01)
    out = torch.nn.Linear(dim, classes)
    sparse_opt = torch.optim.SparseAdam(list(table.parameters()), lr=lr)
    dense_opt = torch.optim.Adam(out.parameters(), lr=lr)
    order = np.random.RandomState(seed)
    for _ in range(epochs):
        perm = order.permutation(n)
        for start in range(0, n, batch):
            found: list[int] = []
            offsets: list[int] = []
            weights: list[float] = []
            for i in perm[start : start + batch]:
                offsets.append(len(found))
                found += encoded[i][0]
                weights += encoded[i][1].tolist()
            logits = out(
                table(
                    torch.tensor(found, dtype=torch.long),
                    torch.tensor(offsets, dtype=torch.long),
                    per_sample_weights=torch.tensor(weights, dtype=torch.float32),
                )
            )
            loss = torch.nn.functional.cross_entropy(logits, y[perm[start : start + batch]])
            sparse_opt.zero_grad()
            dense_opt.zero_grad()
            loss.backward()
            sparse_opt.step()
            dense_opt.step()
    return (
        table.weight.detach().numpy().astype(np.float16),
        out.weight.detach().numpy().T.astype(np.float32).copy(),
        out.bias.detach().numpy().astype(np.float32),
    )
