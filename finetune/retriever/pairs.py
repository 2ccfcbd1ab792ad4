"""Training pairs (query text → article) mined from the corpus alone.

Sources, each capped per article so that frequent articles (347 is 44% of CAIL train) do not
drown the rest:
- `cases`: CAIL *train* facts (and full judgments) → the 分则 articles they were judged under;
- `consultations`: Lawyer-LLaMA consultation queries of the *training* split → cited articles;
- `charges`: charge names (盗窃, 盗窃罪) → their articles, from the charge map;
- `interpretations`: articles and sentences of judicial interpretations that cite 刑法第X条,
  or name one charge, → that article (reaches the articles the cases never cite);
- `jec_qa`, `lawyer_llama`: exam and advice questions whose answer names one crime → its article;
- `articles`: each clause of an article → the article (it learns its own vocabulary);
- `lexicon`: the everyday words of each entry of the project's lexicons (retrieval.lexicons: 辞职,
  城管, 不给加班费) → the articles the entry was written from, and `law_clauses`: each clause of
  every article of those laws → the article. Without them the model knew the words of 刑法 and
  民法典 alone (the laws of the cases and consultations), and a labour or administrative question's
  words were untrained vectors.
CAIL *test* facts and the held-out consultations are evaluation data and never enter here.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from corpora.citations import normalize_law_name, parse_citations
from corpora.records import ArticleRecord, CaseRecord
from finetune.retriever.consultations import Consultation
from finetune.retriever.mentions import (
    CRIMINAL_LAW,
    SPECIAL_PART_FIRST,
    ArticleFinder,
    ChargeMap,
    strip_citations,
)
from finetune.retriever.questions import Question

EVAL_CASE_SOURCES = frozenset({"cail2018/test"})
_SENTENCE_END = re.compile(r"(?<=[。；;！？\n])")


@dataclass(frozen=True)
class Pair:
    query: str
    article_id: str  # ArticleRecord.record_id
    source: str


@dataclass
class ArticleTable:
    """Current articles by (law id, number, suffix), and the 刑法 分则 articles."""

    by_key: dict[tuple[str, int, int], ArticleRecord] = field(default_factory=dict)
    by_id: dict[str, ArticleRecord] = field(default_factory=dict)

    @classmethod
    def from_articles(cls, articles: Iterable[ArticleRecord]) -> ArticleTable:
        table = cls()
        for a in articles:
            if a.current and a.numbering == "article":
                table.by_key.setdefault((a.law_id, a.number, a.suffix), a)
                table.by_key.setdefault((normalize_law_name(a.short_title), a.number, a.suffix), a)
                table.by_id[a.record_id] = a
        return table

    def get(self, law: str, number: int, suffix: int = 0) -> ArticleRecord | None:
        return self.by_key.get((law, number, suffix))

    def special_part(self) -> list[ArticleRecord]:
        """The current 刑法 分则 articles (第一百零二条 onwards), in order."""
        arts = {
            a.record_id: a
            for (law, n, _), a in self.by_key.items()
            if law == CRIMINAL_LAW and n >= SPECIAL_PART_FIRST
        }
        return sorted(arts.values(), key=lambda a: (a.number, a.suffix))


def resolve_case_articles(
    case: CaseRecord, table: ArticleTable, charges: ChargeMap | None
) -> list[ArticleRecord]:
    """The 分则 articles of a case. CAIL labels are bare numbers (133 for 危险驾驶, which is
    第一百三十三条之一): a charge of the case whose article has that number picks the suffix."""
    by_charge = {key for ch in case.charges for key in (charges.article_keys_for(ch) if charges else ())}
    out: dict[str, ArticleRecord] = {}
    for number in case.articles:
        if number < SPECIAL_PART_FIRST:
            continue
        keys = sorted(k for k in by_charge if k[0] == number) or [(number, 0)]
        for n, s in keys:
            art = table.get(CRIMINAL_LAW, n, s)
            if art is not None:
                out[art.record_id] = art
    return list(out.values())


def case_pairs(cases: Iterable[CaseRecord], table: ArticleTable, charges: ChargeMap | None) -> Iterator[Pair]:
    for case in cases:
        if case.source in EVAL_CASE_SOURCES:
            continue  # evaluation data
        for art in resolve_case_articles(case, table, charges):
            yield Pair(case.fact, art.record_id, f"cases:{case.source.split('/')[0]}")


def consultation_pairs(items: Iterable[Consultation], table: ArticleTable) -> Iterator[Pair]:
    for item in items:
        for law, number, suffix in item.citations:
            art = table.get(law, number, suffix)
            if art is not None:
                yield Pair(item.query, art.record_id, "consultations")


def charge_pairs(finder: ArticleFinder) -> Iterator[Pair]:
    """Each charge name variant, bare and with 罪, → each of its articles."""
    for name in sorted(finder.by_charge):
        for article_id in finder.by_charge[name]:
            for query in (name, f"{name}罪"):
                yield Pair(query, article_id, "charges")


def _sentences(text: str, min_chars: int = 8) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) >= min_chars]


def interpretation_pairs(articles: Iterable[ArticleRecord], finder: ArticleFinder) -> Iterator[Pair]:
    """Judicial interpretations → the 分则 article they cite or whose charge they name.

    Whole articles of an interpretation (its items carry the facts, its first line the
    citation), then single sentences with a target of their own; an article with no target
    takes the one charge its document's title names (关于办理盗窃刑事案件…的解释)."""
    for record in articles:
        if record.kind != "司法解释" or not record.current:
            continue
        whole = finder.targets(record.text, max_targets=2) or finder.in_title(record.law_title)[:1]
        for article_id in whole:
            yield Pair(strip_citations(record.text), article_id, "interpretations")
        for sentence in _sentences(record.text):
            for article_id in finder.targets(sentence):
                yield Pair(strip_citations(sentence), article_id, "interpretation_sentences")


def question_pairs(questions: Iterable[Question], finder: ArticleFinder, exclude: set[str]) -> Iterator[Pair]:
    """Exam and advice questions whose answer points to exactly one 分则 article."""
    for q in questions:
        if q.text in exclude:
            continue
        for article_id in finder.targets(q.answer):
            yield Pair(strip_citations(q.text), article_id, q.source.split(":")[0])


def article_clause_pairs(table: ArticleTable) -> Iterator[Pair]:
    """Each sentence of a 分则 article → the article."""
    for art in table.special_part():
        for sentence in _sentences(art.text, min_chars=12):
            yield Pair(sentence, art.record_id, "articles")


# A lookaround names what must (not) stand beside the match, not words of the entry: 虎皮(?!鹦鹉).
_LOOKAROUND = re.compile(r"\(\?<?[!=][^()]*\)")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def everyday_text(pattern: str) -> str:
    """The Chinese words of a lexicon pattern, space-separated: 提前.{0,4}告诉公司 → 提前 告诉公司."""
    return " ".join(_CJK_RUN.findall(_LOOKAROUND.sub("", pattern)))


def lexicon_pairs(
    entries: Iterable[tuple[Sequence[str], str]], table: ArticleTable, source: str = "lexicon"
) -> Iterator[Pair]:
    """Each everyday pattern of a lexicon entry (words, source) → each article its source names; the
    question bank's entries (questions, article) likewise, under `source` "bank"."""
    for words, cited in entries:
        targets, law = [], ""
        for ref in parse_citations(cited):  # 商标法第十条、第十一条: the second inherits the law
            law = normalize_law_name(ref.law) if ref.law else law
            art = table.get(law, ref.number, ref.suffix)
            if art is not None:
                targets.append(art.record_id)
        for text in {t for w in words if (t := everyday_text(w))}:
            for article_id in targets:
                yield Pair(text, article_id, source)


def law_clause_pairs(table: ArticleTable, law_ids: set[str]) -> Iterator[Pair]:
    """Each sentence of every current article of these laws → the article."""
    for art in table.by_id.values():
        if art.law_id in law_ids:
            for sentence in _sentences(art.text, min_chars=12):
                yield Pair(sentence, art.record_id, "law_clauses")


def cap_per_article(pairs: Iterable[Pair], cap: int, seed: int) -> list[Pair]:
    """At most `cap` pairs per (source, article), a seeded sample where there are more."""
    groups: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[(pair.source, pair.article_id)].append(pair)
    rng = random.Random(seed)
    out: list[Pair] = []
    for key in sorted(groups):
        group = list(dict.fromkeys(groups[key]))  # duplicates add nothing but false negatives
        out += rng.sample(group, cap) if len(group) > cap else group
    return out


def mine_pairs(
    articles: list[ArticleRecord],
    cases: list[CaseRecord],
    consultations: list[Consultation],
    charges: ChargeMap | None,
    questions: Iterable[Question] = (),
    *,
    lexicon: Sequence[tuple[Sequence[str], str]] = (),
    bank: Sequence[tuple[Sequence[str], str]] = (),
    exclude: set[str] | None = None,
    cap: int = 30,
    seed: int = 0,
    table: ArticleTable | None = None,
) -> list[Pair]:
    """Every training pair, capped per source and article, in a seeded order.

    `exclude`: query texts that must never be trained on (the evaluation queries)."""
    table = table or ArticleTable.from_articles(articles)
    mined: list[Pair] = []
    mined += case_pairs(cases, table, charges)
    mined += consultation_pairs(consultations, table)
    finder = ArticleFinder(table.special_part(), charges)
    mined += interpretation_pairs(articles, finder)
    mined += question_pairs(questions, finder, exclude or set())
    mined += article_clause_pairs(table)
    mined += charge_pairs(finder)
    taught = [*lexicon_pairs(lexicon, table), *lexicon_pairs(bank, table, "bank")]
    mined += taught
    mined += law_clause_pairs(table, {table.by_id[p.article_id].law_id for p in taught} - {CRIMINAL_LAW})
    pairs = cap_per_article(mined, cap, seed)
    random.Random(seed).shuffle(pairs)
    return pairs
