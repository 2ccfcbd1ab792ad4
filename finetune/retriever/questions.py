"""Legal questions with an answer text: JEC-QA exam questions and Lawyer-LLaMA exam/advice sets.

Their answers name crimes and cite articles; `pairs` turns a question whose answer points to
one 分则 article into a (question → article) pair. Only the training file of JEC-QA is read
(its test file has no answers), and the Lawyer-LLaMA consultation sets, which hold the
evaluation split, are not read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpora.qa import JEC_QA_TRAIN, LAWYER_LLAMA_DIR, QUESTION_FILES, jec_qa, lawyer_llama

LAWYER_LLAMA_QA = tuple(LAWYER_LLAMA_DIR / name for name in QUESTION_FILES)


@dataclass(frozen=True)
class Question:
    text: str  # what a user would ask: the question (and its facts)
    answer: str  # where the article it is about is named: correct options or the answer
    source: str


def _jec_qa(path: Path) -> list[Question]:
    return [Question(q.statement, "；".join(q.answer_texts()), "jec_qa") for q in jec_qa(path)]


def _lawyer_llama(path: Path) -> list[Question]:
    out = []
    for item in lawyer_llama(path):
        text = "\n".join((item.question, item.input)).strip()
        if text and item.answer:
            out.append(Question(text, item.answer, f"lawyer_llama:{path.stem}"))
    return out


def load_questions(corpus_root: Path) -> list[Question]:
    """Every question with an answer from the files present (missing files are skipped)."""
    root = Path(corpus_root)
    out: list[Question] = []
    if (root / JEC_QA_TRAIN).is_file():
        out += _jec_qa(root / JEC_QA_TRAIN)
    for rel in LAWYER_LLAMA_QA:
        if (root / rel).is_file():
            out += _lawyer_llama(root / rel)
    return out
