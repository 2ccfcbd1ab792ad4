"""Everything the retriever's training and evaluation read, loaded once from a corpus folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finetune.retriever.consultations import (
    Consultation,
    ConsultationDataError,
    load_consultations,
    split_consultations,
)
from finetune.retriever.evaluate import EvalSet, cail_test_set, consultation_set
from finetune.retriever.mentions import ChargeMap
from finetune.retriever.pairs import ArticleTable
from finetune.retriever.questions import Question, load_questions
from finetune.retriever.train import TrainingData
from retrieval.lexicon import Lexicon, LexiconError
from retrieval.question_bank import BankError, read_bank
from retrieval.settings import RetrievalSettings

EVAL_SETS = ("cail_test", "lawyer_llama_heldout")


class RetrieverDataError(ValueError):
    """The corpus lacks what retriever training or evaluation needs; the message says what."""


@dataclass
class RetrieverData:
    corpus: Any  # corpora.loader.Corpus
    table: ArticleTable
    charges: ChargeMap | None
    consultations: list[Consultation] = field(default_factory=list)  # training split
    heldout: list[Consultation] = field(default_factory=list)  # evaluation split
    questions: list[Question] = field(default_factory=list)
    user_words: list[str] = field(default_factory=list)
    lexicon: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    bank: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    def training_data(self) -> TrainingData:
        return TrainingData(
            articles=self.corpus.articles,
            cases=self.corpus.cases,
            consultations=self.consultations,
            charges=self.charges,
            questions=self.questions,
            exclude={c.query for c in self.heldout},
            user_words=self.user_words,
            lexicon=self.lexicon,
            bank=self.bank,
        )

    def eval_sets(self, names: tuple[str, ...] = EVAL_SETS) -> list[EvalSet]:
        unknown = [n for n in names if n not in EVAL_SETS]
        if unknown:
            raise RetrieverDataError(
                f"unknown evaluation set {unknown[0]!r} (choose from {', '.join(EVAL_SETS)})"
            )
        out = []
        if "cail_test" in names:
            out.append(cail_test_set(self.corpus.cases, self.table, self.charges))
        if "lawyer_llama_heldout" in names:
            out.append(consultation_set(self.heldout, self.table))
        return [s for s in out if len(s)]


def load_retriever_data(
    corpus_root: Path | None,
    log: Callable[[str], None] = print,
    lexicons: Sequence[str | Path] | None = None,
    bank: str | Path | None = None,
) -> RetrieverData:
    """Parse the corpus (laws, cases, charge map, consultations, questions) for training and evaluation,
    with the entries of the lexicons (`lexicons`, retrieval.lexicons' default when None; () for none) and
    of the question bank (`bank`, retrieval.question_bank's when None; "" for none)."""
    from corpora.charges import ChargeMapError, load_charge_map
    from corpora.loader import CorpusError, load_corpus
    from corpora.vocabulary import legal_vocabulary

    if corpus_root is None:
        raise RetrieverDataError("no corpus folder: give one with --corpus DIR")
    log(f"reading the corpus in {corpus_root} …")
    try:
        corpus = load_corpus(Path(corpus_root))
    except CorpusError as e:
        raise RetrieverDataError(str(e)) from e
    try:
        charge_map = load_charge_map(Path(corpus_root))
    except ChargeMapError:
        charge_map = None  # charge names are one source among several
    charges: ChargeMap | None = charge_map
    table = ArticleTable.from_articles(corpus.articles)
    if not table.special_part():
        raise RetrieverDataError(f"{corpus_root} holds no current 刑法 分则 articles (laws/刑法/刑法.md)")
    try:
        train, heldout = split_consultations(load_consultations(Path(corpus_root)))
    except ConsultationDataError:
        train, heldout = [], []
    user_words = legal_vocabulary(corpus, charge_map)
    return RetrieverData(
        corpus,
        table,
        charges,
        train,
        heldout,
        load_questions(Path(corpus_root)),
        list(user_words),
        _lexicon_entries(RetrievalSettings().lexicons if lexicons is None else lexicons),
        _bank_entries(RetrievalSettings().question_bank if bank is None else bank),
    )


def _lexicon_entries(paths: Sequence[str | Path]) -> list[tuple[tuple[str, ...], str]]:
    try:
        lexicon = Lexicon.read_all(paths) if paths else None
    except LexiconError as e:
        raise RetrieverDataError(str(e)) from e
    return [(tuple(e.words), e.source) for e in lexicon.entries] if lexicon else []


def _bank_entries(path: str | Path) -> list[tuple[tuple[str, ...], str]]:
    try:
        return [(e.questions, e.article) for e in read_bank(path)] if str(path) else []
    except BankError as e:
        raise RetrieverDataError(str(e)) from e
