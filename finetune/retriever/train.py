"""Train the legal retriever: setup → mine pairs → tokenizer → fit → evaluate → save.

A `StaticEmbedding` (one trained vector per token, averaged) over a forward-maximum-matching
tokenizer of corpus characters and words, trained on pairs the corpus gives with a softmax over
every candidate article (or MultipleNegativesRankingLoss), then frequency-weighted (SIF). It
encodes thousands of texts a second on a CPU and loads with `SentenceTransformer(path)`.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpora.records import ArticleRecord, CaseRecord
from finetune.retriever.consultations import Consultation
from finetune.retriever.evaluate import article_document
from finetune.retriever.mentions import ChargeMap
from finetune.retriever.pairs import ArticleTable, Pair, mine_pairs
from finetune.retriever.questions import Question
from finetune.retriever.tokenizer import train_tokenizer

CONFIG_FILE = "training_config.json"
SCORES_FILE = "scores.json"
# Categories whose words are counted for the vocabulary: the law a legal question reaches.
WORD_CATEGORIES = frozenset({"刑法", "司法解释", "民法典", "民法商法"})


LOSS_NAMES = {
    "mnrl": "MultipleNegativesRankingLoss (in-batch negatives, no duplicates per batch)",
    "corpus_softmax": "softmax cross-entropy over every candidate article (finetune.retriever.losses)",
}


class RetrieverTrainingError(ValueError):
    """Training cannot start or produced nothing usable; the message names the cause."""


@dataclass(frozen=True)
class RetrieverTrainConfig:
    seed: int = 0
    epochs: int = 2
    batch_size: int = 256
    learning_rate: float = 0.1
    embedding_dim: int = 512
    cap_per_article: int = 100
    max_words: int = 40_000
    min_word_count: int = 3
    max_chars: int = 512  # characters of each text trained on, as `embedding.max_chars` embeds
    loss: Literal["mnrl", "corpus_softmax"] = "corpus_softmax"
    sif_a: float = 3e-4  # frequency weighting a / (a + p) folded in after training; 0 disables
    scale: float = 20.0  # inverse temperature of the cosine similarities
    threads: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "embedding_dim", "cap_per_article", "max_words", "threads"):
            if getattr(self, name) < 1:
                raise RetrieverTrainingError(f"--{name.replace('_', '-')} must be at least 1")
        if self.learning_rate <= 0:
            raise RetrieverTrainingError("--learning-rate must be positive")
        if self.sif_a < 0:
            raise RetrieverTrainingError("--sif-a must be 0 (off) or positive")
        if self.scale <= 0:
            raise RetrieverTrainingError("scale must be positive")


@dataclass
class TrainingData:
    """What training reads: everything here is outside the evaluation sets."""

    articles: list[ArticleRecord]
    cases: list[CaseRecord]
    consultations: list[Consultation]
    charges: ChargeMap | None
    questions: list[Question] = field(default_factory=list)
    exclude: set[str] = field(default_factory=set)  # evaluation queries, never trained on
    user_words: list[str] = field(default_factory=list)
    # the project's lexicons (retrieval.lexicons): each entry's everyday patterns and its source articles
    lexicon: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    # the question bank (retrieval.question_bank): each entry's client questions and the article cited first
    bank: list[tuple[tuple[str, ...], str]] = field(default_factory=list)


def seed_everything(seed: int, threads: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True, warn_only=True)


def tokenizer_texts(data: TrainingData, pairs: list[Pair]) -> tuple[list[str], list[str]]:
    """(texts whose characters form the vocabulary, texts whose words are counted)."""
    current = [a.text for a in data.articles if a.current]
    word_texts = [a.text for a in data.articles if a.current and a.category in WORD_CATEGORIES]
    queries = list(dict.fromkeys(p.query for p in pairs))
    return current + queries, word_texts + queries


def build_model(data: TrainingData, pairs: list[Pair], config: RetrieverTrainConfig) -> Any:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from transformers import PreTrainedTokenizerFast

    char_texts, word_texts = tokenizer_texts(data, pairs)
    tokenizer = train_tokenizer(
        char_texts,
        word_texts=word_texts,
        user_words=data.user_words,
        min_word_count=config.min_word_count,
        max_words=config.max_words,
    )
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]")
    return SentenceTransformer(
        modules=[StaticEmbedding(fast, embedding_dim=config.embedding_dim)], device="cpu"
    )


def initialise_embeddings(model: Any, texts: list[str], init_std: float, seed: int) -> int:
    """Random vectors (std `init_std`) for the tokens training will see, zero for the rest.

    A token no training text contains is never updated: left random it would add noise to every
    query that holds it (names, places, rare words), whereas zero leaves the mean to the tokens
    that learned something. Returns how many tokens are trained."""
    import torch

    module = model[0]
    seen: set[int] = set()
    for encoding in module.tokenizer.encode_batch(texts, add_special_tokens=False):
        seen.update(encoding.ids)
    weight = module.embedding.weight
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        weight.zero_()
        ids = torch.tensor(sorted(seen), dtype=torch.long)
        weight[ids] = torch.randn(len(ids), weight.shape[1], generator=generator) * init_std
    return len(seen)


def fold_frequency_weights(model: Any, texts: list[str], a: float) -> None:
    """Scale each token's vector by a / (a + p(token)), p its frequency in `texts` (SIF weights).

    Mean pooling lets boilerplate (被告人, 经审理查明, 证据) that fills every case fact pull all
    facts towards the few articles the training cases cite; shrinking frequent tokens leaves
    the words that tell crimes apart. Folded into the vectors, the model stays a plain
    StaticEmbedding (model2vec ships its Zipf weights the same way)."""
    import torch

    module = model[0]
    counts = torch.zeros(module.embedding.weight.shape[0])
    for encoding in module.tokenizer.encode_batch(texts, add_special_tokens=False):
        counts.index_add_(0, torch.tensor(encoding.ids, dtype=torch.long), torch.ones(len(encoding.ids)))
    p = counts / counts.sum().clamp(min=1)
    with torch.no_grad():
        module.embedding.weight.mul_((a / (a + p)).unsqueeze(1))


def candidate_articles(table: ArticleTable, pairs: list[Pair]) -> list[str]:
    """Every current article of the laws the pairs point to: the softmax's candidates."""
    laws = {table.by_id[p.article_id].law_id for p in pairs}
    return sorted(i for i, a in table.by_id.items() if a.law_id in laws)


def _loss_and_dataset(
    model: Any, pairs: list[Pair], table: ArticleTable, config: RetrieverTrainConfig
) -> tuple[Any, Any]:
    from datasets import Dataset

    from finetune.retriever.losses import corpus_softmax_loss

    anchors = [p.query[: config.max_chars] for p in pairs]
    if config.loss == "corpus_softmax":
        ids = candidate_articles(table, pairs)
        index = {article_id: i for i, article_id in enumerate(ids)}
        docs = [article_document(table.by_id[i])[: config.max_chars] for i in ids]
        loss = corpus_softmax_loss(model, docs, scale=config.scale)
        return loss, Dataset.from_dict({"anchor": anchors, "label": [index[p.article_id] for p in pairs]})
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    positives = [article_document(table.by_id[p.article_id])[: config.max_chars] for p in pairs]
    return MultipleNegativesRankingLoss(model, scale=config.scale), Dataset.from_dict(
        {"anchor": anchors, "positive": positives}
    )


def fit(model: Any, pairs: list[Pair], table: ArticleTable, config: RetrieverTrainConfig) -> dict[str, float]:
    """Minimise the configured ranking loss over the pairs; returns the loss history."""
    from sentence_transformers import SentenceTransformerTrainer, SentenceTransformerTrainingArguments
    from sentence_transformers.base.sampler import BatchSamplers

    loss, dataset = _loss_and_dataset(model, pairs, table, config)
    with tempfile.TemporaryDirectory(prefix="legal-static-") as tmp:
        args = SentenceTransformerTrainingArguments(
            output_dir=tmp,
            num_train_epochs=config.epochs,
            per_device_train_batch_size=config.batch_size,
            learning_rate=config.learning_rate,
            warmup_steps=0.1,
            seed=config.seed,
            data_seed=config.seed,
            # In-batch negatives must not be copies of the positive.
            batch_sampler=BatchSamplers.NO_DUPLICATES
            if config.loss == "mnrl"
            else BatchSamplers.BATCH_SAMPLER,
            save_strategy="no",
            logging_steps=max(1, len(pairs) // config.batch_size // 2),
            report_to="none",
            use_cpu=True,
            dataloader_num_workers=0,
        )
        trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=dataset, loss=loss)
        result = trainer.train()
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    return {
        "train_loss": float(result.training_loss),
        "first_loss": losses[0] if losses else float("nan"),
        "last_loss": losses[-1] if losses else float("nan"),
        "steps": int(result.global_step),
    }


def save_memory(
    model: Any, data: TrainingData, table: ArticleTable, output: Path, config: RetrieverTrainConfig
) -> int:
    """Write the question memory (retrieval.memory) beside the model, encoded as the index encodes."""
    from finetune.retriever.memory import memory_items, write_memory
    from finetune.retriever.mentions import ArticleFinder

    finder = ArticleFinder(table.special_part(), data.charges)
    items = memory_items(data.consultations, data.questions, table, finder, data.exclude)

    def encode(texts: list[str]) -> Any:
        clipped = [t[: config.max_chars] for t in texts]
        return model.encode(clipped, batch_size=256, normalize_embeddings=True, show_progress_bar=False)

    return write_memory(output, items, encode)


def save_terms(data: TrainingData, table: ArticleTable, output: Path) -> int:
    """Write the term map (finetune.retriever.terms) beside the model; returns how many words it maps."""
    from finetune.retriever.terms import mine_term_map, save_term_map
    from retrieval.lexical import ChineseTokenizer

    pairs = [(q.text, q.answer) for q in data.questions if q.text not in data.exclude]
    for c in data.consultations:  # the training split: a question → the texts of the articles cited
        texts = [a.text for law, n, s in c.citations if (a := table.get(law, n, s)) is not None]
        if texts:
            pairs.append((c.query, "\n".join(texts)))
    term_map = mine_term_map(pairs, ChineseTokenizer(data.user_words).tokenize)
    save_term_map(output, term_map)
    return len(term_map)


def train_retriever(
    data: TrainingData,
    output: Path,
    config: RetrieverTrainConfig,
    *,
    log: Callable[[str], None] = print,
    table: ArticleTable | None = None,
) -> dict[str, Any]:
    """Mine pairs, train, save a sentence-transformers folder with its training config; returns that config."""
    started = time.perf_counter()
    seed_everything(config.seed, config.threads)
    table = table or ArticleTable.from_articles(data.articles)
    log(
        "mining training pairs (CAIL train, consultations, charges, interpretations, the lexicons, the question bank) …"
    )
    pairs = mine_pairs(
        data.articles,
        data.cases,
        data.consultations,
        data.charges,
        data.questions,
        lexicon=data.lexicon,
        bank=data.bank,
        exclude=data.exclude,
        cap=config.cap_per_article,
        seed=config.seed,
        table=table,
    )
    if not pairs:
        raise RetrieverTrainingError("the corpus gave no training pairs: does it hold 刑法 and CAIL cases?")
    sources = Counter(p.source for p in pairs)
    log(
        f"{len(pairs)} pairs over {len({p.article_id for p in pairs})} articles: {dict(sorted(sources.items()))}"
    )
    log("building the tokenizer (corpus characters + frequent jieba words) …")
    seed_everything(config.seed, config.threads)
    model = build_model(data, pairs, config)
    vocab = model[0].tokenizer.get_vocab_size()
    log(f"training StaticEmbedding ({vocab} tokens × {config.embedding_dim}) for {config.epochs} epochs …")
    prepared = time.perf_counter()
    history = fit(model, pairs, table, config)
    if config.sif_a > 0:
        log(f"folding frequency weights a/(a+p), a={config.sif_a:g}, into the token vectors …")
        reference = [p.query[: config.max_chars] for p in pairs]
        reference += [article_document(a)[: config.max_chars] for a in table.by_id.values()]
        fold_frequency_weights(model, reference, config.sif_a)
    trained = time.perf_counter()
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    model.save(str(output))
    memory = save_memory(model, data, table, output, config)
    log(f"question memory: {memory} training questions with the articles they cite")
    log("mining the everyday-word → legal-term map from question → answer pairs …")
    terms = save_terms(data, table, output)
    record = {
        "config": asdict(config),
        "model": "StaticEmbedding + forward-maximum-matching WordPiece tokenizer",
        "loss": LOSS_NAMES[config.loss],
        "frequency_weights": f"a / (a + p(token)), a = {config.sif_a:g}" if config.sif_a > 0 else "none",
        "vocabulary_size": vocab,
        "pairs": len(pairs),
        "pairs_per_source": dict(sorted(sources.items())),
        "articles_covered": len({p.article_id for p in pairs}),
        "question_memory": memory,
        "term_map_words": terms,
        "held_out": "CAIL2018 test facts and the held-out Lawyer-LLaMA consultations are never trained on",
        "history": history,
        "seconds": {"preparation": round(prepared - started, 1), "training": round(trained - prepared, 1)},
    }
    (output / CONFIG_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    log(
        f"saved to {output} (training {trained - prepared:.0f} s, total {time.perf_counter() - started:.0f} s)"
    )
    return record
