"""The question memory the searcher consults (retrieval.memory), mined from the training splits.

- Lawyer-LLaMA consultations of the training split → the articles their answers cite;
- Lawyer-LLaMA exam and advice questions whose answers cite articles of a named law;
- JEC-QA training questions whose correct options name one crime → its 分则 article.
The held-out consultations (and any text equal to one) never enter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from finetune.retriever.consultations import Consultation
from finetune.retriever.mentions import ArticleFinder, strip_citations
from finetune.retriever.pairs import ArticleTable
from finetune.retriever.questions import Question
from retrieval.citations import normalize_law_name, parse_citations
from retrieval.memory import QuestionMemory

Target = tuple[str, int, int]
MAX_TARGETS = 6  # an answer citing more is a survey, not a pointer


def memory_items(
    consultations: Iterable[Consultation],
    questions: Iterable[Question],
    table: ArticleTable,
    finder: ArticleFinder,
    exclude: set[str],
) -> list[tuple[str, list[Target]]]:
    """(question text, articles it points to), each text once, only articles the table holds."""
    merged: dict[str, dict[Target, None]] = {}

    def add(text: str, targets: Iterable[Target]) -> None:
        text = text.strip()
        if not text or text in exclude:
            return
        kept = [t for t in targets if table.get(*t) is not None]
        if kept:
            merged.setdefault(text, {}).update(dict.fromkeys(kept))

    for item in consultations:
        add(item.query, item.citations)
    for q in questions:
        cited = [
            (normalize_law_name(r.law), r.number, r.suffix)
            for r in parse_citations(q.answer)
            if r.law and not r.law.startswith("本")
        ]
        named = [
            (a.law_id, a.number, a.suffix) for i in finder.targets(q.answer) if (a := table.by_id.get(i))
        ]
        add(
            strip_citations(q.text),
            list(dict.fromkeys(cited or named))[:MAX_TARGETS] if cited or named else [],
        )
    return [(text, list(targets)) for text, targets in merged.items() if len(targets) <= MAX_TARGETS]


def write_memory(
    folder: Path,
    items: list[tuple[str, list[Target]]],
    encode: Callable[[list[str]], object],
) -> int:
    """Encode the questions with the trained model and save the memory beside it; returns its size."""
    import numpy as np

    if not items:
        return 0
    texts = [text for text, _ in items]
    vectors = np.asarray(encode(texts), dtype=np.float32)
    QuestionMemory(vectors, [targets for _, targets in items]).save(Path(folder), texts)
    return len(items)
