"""The question memory the searcher consults (retrieval.memory), mined from the training splits.

- Lawyer-LLaMA consultations of the training split → the articles their answers cite;
- Lawyer-LLaMA exam and advice questions whose answers cite articles of a named law;
- JEC-QA training questions whose correct options name one crime → its 分则 article;
- advice and exam questions whose answers name laws (《劳动合同法》) → those laws, as (law, 0, 0): the
  searcher turns them into a prior over laws. A law that 民法典第一千二百六十条 repealed (合同法, 婚姻法)
  stands for 民法典, which replaced it.
The held-out consultations (and any text equal to one) never enter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from corpora.citations import normalize_law_name, parse_citations
from finetune.retriever.consultations import Consultation
from finetune.retriever.mentions import ArticleFinder, strip_citations
from finetune.retriever.pairs import ArticleTable
from finetune.retriever.questions import Question
from retrieval.memory import QuestionMemory

Target = tuple[str, int, int]
MAX_TARGETS = 6  # an answer citing more is a survey, not a pointer
_BOOK = re.compile(r"《([^《》]{2,40})》")
CIVIL_CODE = "民法典"
CIVIL_CODE_REPEALS = 1260  # 民法典第一千二百六十条: the laws it repealed on 2021-01-01


def law_aliases(table: ArticleTable) -> dict[str, str]:
    """Law name as written → law id: the laws of the table, and the laws 民法典 repealed → 民法典."""
    out = {law: law for law, _, _ in table.by_key}
    repeals = table.get(CIVIL_CODE, CIVIL_CODE_REPEALS)
    if repeals is not None:
        for name in _BOOK.findall(repeals.text):
            out.setdefault(normalize_law_name(name), CIVIL_CODE)
    return out


def named_laws(text: str, aliases: dict[str, str]) -> list[str]:
    """Law ids of the laws a text names in 《》, in order."""
    found = (aliases.get(normalize_law_name(name)) for name in _BOOK.findall(text))
    return list(dict.fromkeys(law for law in found if law))


def memory_items(
    consultations: Iterable[Consultation],
    questions: Iterable[Question],
    table: ArticleTable,
    finder: ArticleFinder,
    exclude: set[str],
) -> list[tuple[str, list[Target]]]:
    """(question text, articles it points to), each text once, only articles the table holds."""
    merged: dict[str, dict[Target, None]] = {}
    aliases = law_aliases(table)

    def add(text: str, targets: Iterable[Target]) -> None:
        text = text.strip()
        if not text or text in exclude:
            return
        # An article cited with a repealed law's name (合同法第五十二条) is not 民法典's: drop it.
        kept = [t for t in targets if t[1] == 0 or table.get(*t) is not None]
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
        articles = list(dict.fromkeys(cited or named))[:MAX_TARGETS]
        laws = [(law, 0, 0) for law in named_laws(q.answer, aliases)][:MAX_TARGETS]
        add(strip_citations(q.text), articles + laws)
    return [
        (text, list(targets))
        for text, targets in merged.items()
        if sum(1 for t in targets if t[1]) <= MAX_TARGETS
    ]


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
