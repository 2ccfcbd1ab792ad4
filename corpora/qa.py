"""THE readers of the published question sets in `qa/`: JEC-QA exam questions and Lawyer-LLaMA
instruction and consultation data. Every user of them (training data, retriever pairs, the
consultation split, `eval mcq`, the RAG set) reads through here, so a format quirk is handled once.

Files are a JSON list (items may be one-element lists) or JSON lines; an unreadable line or a
record that is not an object is reported to `on_problem` with its file and number, never fatal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JEC_QA_TRAIN = Path("qa") / "jec_qa" / "0_train.json"
LAWYER_LLAMA_DIR = Path("qa") / "lawyer_llama" / "data"
CONSULTATION_FILES = (
    "legal_counsel_with_article_v2.json",
    "zixun_gpt4.json",
    "legal_counsel_multi_turn_with_article_v2.json",
)

Problem = Callable[[str], None]


def _ignore(_: str) -> None:
    return None


def read_records(path: Path, on_problem: Problem = _ignore) -> Iterator[tuple[int, dict[str, Any]]]:
    """(number, record) for each JSON object of a list or JSON-lines file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        items: list[Any] = data if isinstance(data, list) else [data]
    except ValueError:
        items = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except ValueError:
                on_problem(f"malformed JSON line in {path.name}")
    for i, item in enumerate(items, start=1):
        if isinstance(item, list) and len(item) == 1:
            item = item[0]
        if not isinstance(item, dict):
            on_problem(f"not a JSON object in {path.name}")
            continue
        yield i, item


@dataclass(frozen=True)
class JecQuestion:
    qid: str
    statement: str
    options: dict[str, str]
    answer: tuple[str, ...]  # the correct letters; empty in the test file, which has no answers
    subject: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def answer_texts(self) -> list[str]:
        return [self.options[a] for a in self.answer]


def jec_qa(path: Path, on_problem: Problem = _ignore, need_answer: bool = True) -> Iterator[JecQuestion]:
    """The questions with a statement and options (and, with `need_answer`, a valid answer)."""
    for i, item in read_records(path, on_problem):
        options, answer = item.get("option_list"), item.get("answer") or []
        if not isinstance(options, dict) or not options or not item.get("statement"):
            on_problem("question without statement or options")
            continue
        answer = [answer] if isinstance(answer, str) else list(answer)
        if need_answer and (not answer or not all(a in options for a in answer)):
            on_problem("question without a valid answer")
            continue
        yield JecQuestion(
            qid=str(item.get("id") or i),
            statement=str(item["statement"]).strip(),
            options={k: str(v) for k, v in options.items()},
            answer=tuple(answer),
            subject=str(item.get("subject") or ""),
            raw=item,
        )


@dataclass(frozen=True)
class Consultation:
    """A Lawyer-LLaMA consultation: the client's query, the laws listed for it
    (`《民法典》第一千零七十九条：<text>`) and the (model-written) reference response."""

    query: str
    laws: tuple[str, ...]
    response: str
    source: str  # file:number
    multi_turn: bool = False


def consultations(corpus_root: Path, on_problem: Problem = _ignore) -> Iterator[Consultation]:
    """Every consultation with a query, file by file in CONSULTATION_FILES order."""
    for name in CONSULTATION_FILES:
        path = Path(corpus_root) / LAWYER_LLAMA_DIR / name
        if not path.is_file():
            continue
        for i, item in read_records(path, on_problem):
            query = str(item.get("query") or "").strip()
            if not query:
                continue
            laws = tuple(x for x in item.get("laws") or [] if isinstance(x, str))
            response = str(item.get("response") or "").strip()
            yield Consultation(query, laws, response, f"{name}:{i}", multi_turn="history" in item)
