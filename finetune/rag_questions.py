"""The questions of the RAG set, each with the articles a correct answer rests on (its gold).

Four origins, all from the corpus and all from training splits only:
- CAIL train facts → the Criminal Law articles and charges of the judgment;
- Lawyer-LLaMA consultations (training split of `finetune.retriever.consultations`) → the laws
  the consultation lists, with the reference answer;
- JEC-QA training questions whose statement or options cite an article by law and number;
- questions generated from articles: the article's first clause asked back ("…的，法律是怎么规定的？").
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpora.citations import normalize_law_name, parse_citations
from corpora.loader import Corpus
from corpora.numerals import int_to_cn
from corpora.qa import JEC_QA_TRAIN, consultations, jec_qa
from finetune.retriever.consultations import is_heldout

CRIMINAL_LAW = "刑法"
ORIGINS = ("cail", "consultation", "jec_qa", "article")


@dataclass(frozen=True)
class GoldRef:
    """One article a correct answer rests on: law (normalised name), number, suffix (之一 → 1)."""

    law: str
    number: int
    suffix: int = 0

    def label(self) -> str:
        tail = f"之{int_to_cn(self.suffix)}" if self.suffix else ""
        return f"《{self.law}》第{int_to_cn(self.number)}条{tail}"

    def matches(self, hit: Any) -> bool:
        if getattr(hit, "collection", "") == "cases":
            return False
        law = normalize_law_name(str(getattr(hit, "law_title", "") or getattr(hit, "law_id", "")))
        return (law, int(getattr(hit, "number", -1)), int(getattr(hit, "suffix", 0))) == (
            self.law,
            self.number,
            self.suffix,
        )


@dataclass(frozen=True)
class RagQuestion:
    question: str
    gold: tuple[GoldRef, ...]
    origin: str  # one of ORIGINS
    source: str  # file and line, case id or article
    reference: str = ""  # the consultation's answer, the correct options, the article text
    charges: tuple[str, ...] = field(default_factory=tuple)  # CAIL: the judgment's charges

    def to_json(self) -> str:
        d = asdict(self)
        d["gold"] = [g.label() for g in self.gold]
        return json.dumps(d, ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RagQuestion:
        """From a question file line: `gold` is a list of citations (《刑法》第二百六十四条)."""
        question = str(d.get("question") or "").strip()
        if not question:
            raise ValueError("no question")
        gold = tuple(refs_of(" ".join(str(g) for g in d.get("gold") or [])))
        return cls(
            question=question,
            gold=gold,
            origin=str(d.get("origin") or "custom"),
            source=str(d.get("source") or ""),
            reference=str(d.get("reference") or ""),
            charges=tuple(d.get("charges") or ()),
        )


def refs_of(text: str, default_law: str | None = None) -> list[GoldRef]:
    """The articles a text cites by law and number (an article without a law takes `default_law`)."""
    out: list[GoldRef] = []
    for ref in parse_citations(text):
        law = ref.law if ref.law and ref.law not in {"本法", "该法"} else default_law
        if law:
            g = GoldRef(normalize_law_name(law), ref.number, ref.suffix)
            if g not in out:
                out.append(g)
    return out


def cail_questions(corpus: Corpus, source: str = "cail2018/train") -> Iterator[RagQuestion]:
    for c in corpus.cases:
        if c.source != source or not c.articles or len(c.fact) < 30:
            continue
        gold = tuple(GoldRef(CRIMINAL_LAW, int(a)) for a in dict.fromkeys(c.articles))
        question = c.fact.strip()[:900] + "\n请问可能构成什么罪？会判多久？"
        yield RagQuestion(question, gold, "cail", c.case_id, charges=tuple(c.charges))


def consultation_questions(corpus_root: Path, heldout: bool = False) -> Iterator[RagQuestion]:
    """Single-turn consultations of the training split (or, with `heldout`, of the held-out split,
    which never enters training)."""
    seen: set[str] = set()
    for c in consultations(corpus_root):
        if c.multi_turn or not c.response or c.query in seen or is_heldout(c.query) != heldout:
            continue
        seen.add(c.query)
        gold = tuple(g for entry in c.laws for g in refs_of(entry.split("：", 1)[0]))
        if gold:
            yield RagQuestion(c.query, gold, "consultation", c.source, reference=c.response)


def jec_questions(corpus_root: Path) -> Iterator[RagQuestion]:
    path = Path(corpus_root) / JEC_QA_TRAIN
    if not path.is_file():
        return
    for q in jec_qa(path):
        gold = tuple(refs_of(q.statement + " " + " ".join(q.options.values())))
        if gold:
            listing = "\n".join(f"{k}. {v}" for k, v in sorted(q.options.items()))
            reference = "；".join(f"{k}. {q.options[k]}" for k in sorted(q.answer))
            yield RagQuestion(
                f"{q.statement}\n{listing}", gold, "jec_qa", f"jec_qa:{q.qid}", reference=reference
            )


_FIRST_CLAUSE = re.compile(r"^(.{8,60}?)[，；：。]")


def article_questions(corpus: Corpus) -> Iterator[RagQuestion]:
    """An article's opening clause asked back: 「夫妻一方要求离婚的，法律是怎么规定的？」."""
    for a in corpus.current_articles():
        if a.numbering != "article" or a.kind not in {"法律", "司法解释"}:
            continue
        m = _FIRST_CLAUSE.match(a.text.strip())
        if not m or "本法" in m.group(1) or "第" in m.group(1):
            continue
        question = f"{m.group(1)}，法律是怎么规定的？"
        gold = (GoldRef(normalize_law_name(a.law_title), a.number, a.suffix),)
        yield RagQuestion(question, gold, "article", a.record_id, reference=a.text)


def gather(
    corpus: Corpus, corpus_root: Path, per_origin: int, seed: int = 0, origins: Sequence[str] = ORIGINS
) -> list[RagQuestion]:
    """At most `per_origin` questions of each origin, sampled with `seed` (the same build, the same set)."""
    readers = {
        "cail": lambda: cail_questions(corpus),
        "consultation": lambda: consultation_questions(corpus_root),
        "jec_qa": lambda: jec_questions(corpus_root),
        "article": lambda: article_questions(corpus),
    }
    rng = random.Random(seed)
    out: list[RagQuestion] = []
    for origin in origins:
        items = list(readers[origin]())
        out += rng.sample(items, min(per_origin, len(items)))
    return out


def heldout_questions(corpus: Corpus, corpus_root: Path, n: int, seed: int = 0) -> list[RagQuestion]:
    """Questions no training sample saw: held-out consultations and CAIL test facts, half each."""
    if n <= 0:
        return []
    rng = random.Random(seed)
    consult = list(consultation_questions(corpus_root, heldout=True))
    cases = list(cail_questions(corpus, source="cail2018/test"))
    picked = rng.sample(consult, min(len(consult), n - n // 2))
    return picked + rng.sample(cases, min(len(cases), n - len(picked)))


def read_question_file(path: Path) -> tuple[list[RagQuestion], list[str]]:
    """JSON lines {question, gold: [citations], …}; bad lines are reported with their number."""
    questions, problems = [], []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(RagQuestion.from_dict(json.loads(line)))
        except (ValueError, TypeError, AttributeError) as e:
            problems.append(f"line {i}: {e}")
    return questions, problems
