"""One ranking of the charges of 刑法分则 for a case's facts: `predict`, `eval judgment` and the
agent's sentencing planner all call `ChargeRanker.rank_charges`.

Every charge the 罪名 documents give a 分则 article is a candidate (a `ChargeUnit`). Three rankings
of them are fused by weighted reciprocal rank (retrieval.fusion.rrf):
- lexical: BM25 (bm25s) over each charge's 罪状 paragraph, name and interpretation sentences, in
  Han-character bigrams, with
  every query bigram weighted by how rare it is among case narratives (narration every case shares
  counts for nothing, the words of the act count most). It reaches charges no labelled case shows;
- classifier: a centroid per charge over character uni- and bigrams (same narrative weighting), from
  the labelled cases (CAIL train, the JuDGE judgments) and the charge's own texts: its name, its 罪状
  and the interpretation sentences that name it. The cases teach what separates neighbouring charges
  as facts tell them (秘密窃取 for 盗窃, 当场使用暴力 for 抢劫, 以非法占有为目的签订合同 for 合同诈骗);
  the texts keep the charges without cases in the race;
- dense (optional): the legal embedder's cosine of facts against each charge's name and 罪状.

The constants (settings.ChargeRankerSettings) were chosen on CAIL train split by charge: the
classifier fitted on the cases of two thirds of its charges, scored on held-out cases of those
charges and on all cases of the other third, which the classifier never saw (as most charges of a
new case are unseen). Nothing is chosen on CAIL test. The JuDGE judgments of the held-out charges
must be held out too (they leak them: unseen charge F1 .59 with them, .49 without), and the legal
embedder has seen CAIL train, so its weight cannot be chosen there and stays as it was.
The classifier's cosine is centred on each charge's mean over the narratives (a charge with cases
otherwise takes every narrative by its narration alone); on CAIL test (whole file, legal embedder)
that alone moved charge F1 from .434 to .476. Over the whole change (charge docs, centring, everyday
entries) CAIL test went from charge F1 .437 / article F1 .509 / first sentence .113 to .480 / .553 /
.116. The first sentence (≤ 60 characters) mostly holds the court, the date and the defendant's name.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.judgment.charge_docs import ChargeUnit, case_units, char_bigrams, han_runs
from assistant.judgment.distinctions import reorder
from assistant.judgment.everyday import everyday_terms
from assistant.judgment.settings import ChargeRankerSettings
from corpora.charges import ChargeMap
from corpora.records import CaseRecord
from retrieval.fusion import rrf

if TYPE_CHECKING:
    from retrieval.embeddings import Embedder


# How the evidence names each ranking: the 罪状's words, the labelled cases, the embedder, and the
# articles the facts' everyday words stand for.
RANKING_NAMES = ("罪状用语", "同类案例", "语义")
EVERYDAY_NAME = "日常用语对应条文"
_FACT_WORDS = "事实用语："


@dataclass(frozen=True)
class ChargeCandidate:
    """A charge for the facts: its article and 罪状 paragraph, the fused score, and why."""

    charge: str  # official name without 罪
    article: int
    suffix: int
    paragraph: int  # 1-based paragraph of the article that states the 罪状
    score: float
    evidence: tuple[str, ...] = ()  # the facts' words that match the 罪状, and the rankings' verdicts
    named: bool = False  # the user named this charge
    lexical_rank: int | None = None  # its place in the lexical ranking (1 = first), None below the 10th
    classifier_rank: int | None = None  # its place in the classifier's ranking

    @property
    def grounded(self) -> bool:
        """Whether the facts' own words reach the charge: the user named it, its 罪状's words rank it (among the
        lexical ranking's first ten) or an everyday entry reads them as its act. A charge only the labelled cases'
        words put first is a guess: on the development suites' criminal questions (stop 24) all 9 such firsts were
        wrong (足疗店's 做那种交易 ranked 走私、贩卖、运输、制造毒品, 判了缓刑需要满足什么条件 诈骗), against 18 of 101
        of the grounded ones."""
        return self.named or self.lexical_rank is not None or self.read_by_entry or self.told_by_name

    @property
    def told_by_name(self) -> bool:
        """Whether the facts use the charge's own name as a word (「查出他判决前还干过一起诈骗」): the client says what
        crime it was, though other words (合并计算's 计算) may push its 罪状 out of the lexical ranking's first ten."""
        return any(
            self.charge in e.removeprefix(_FACT_WORDS).split("、")
            for e in self.evidence
            if e.startswith(_FACT_WORDS)
        )

    @property
    def read_by_entry(self) -> bool:
        """Whether an everyday entry reads the facts' words as this charge's act."""
        return any(EVERYDAY_NAME in e for e in self.evidence)

    @property
    def article_label(self) -> str:
        return f"{self.article}之{self.suffix}" if self.suffix else str(self.article)


def features(text: str) -> Counter[str]:
    """Han characters and character bigrams of a text, with counts."""
    out: Counter[str] = Counter()
    for run in han_runs(text):
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


class NarrativeWeights:
    """IDF of a feature among case narratives, to a power; features no narrative has get the most."""

    def __init__(self, narratives: Sequence[str], power: float) -> None:
        df: Counter[str] = Counter()
        for text in narratives:
            df.update(set(features(text)))
        self.n = len(narratives)
        self.power = power
        self._df = df

    def with_power(self, power: float) -> NarrativeWeights:
        copy = NarrativeWeights([], power)
        copy.n, copy._df = self.n, self._df
        return copy

    def __call__(self, feature: str) -> float:
        return math.log((self.n + 1) / (self._df.get(feature, 0) + 1)) ** self.power


class LexicalRanking:
    """bm25s over each unit's 罪状 and name (bigram tokens); the query's bigrams weighted by rarity."""

    def __init__(self, docs: Sequence[str], weights: NarrativeWeights, k1: float, b: float) -> None:
        import bm25s
        import scipy.sparse as sp

        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.index([char_bigrams(d) or [""] for d in docs], show_progress=False)
        s = bm25.scores
        n_vocab = len(s["indptr"]) - 1  # bm25s' vocabulary may hold an extra, never-indexed "" token
        # bm25s keeps the per-token document scores as a CSC matrix: documents × tokens.
        self.matrix = sp.csc_matrix(
            (s["data"], s["indices"], s["indptr"]), shape=(len(docs), n_vocab)
        ).tocsr()
        self.vocab: dict[str, int] = {t: j for t, j in bm25.vocab_dict.items() if t and j < n_vocab}
        self.token_weight = np.zeros(n_vocab, dtype=np.float32)
        for token, j in self.vocab.items():
            self.token_weight[j] = weights(token)

    def scores(self, facts: Sequence[str]) -> np.ndarray:
        import scipy.sparse as sp

        rows, cols = [], []
        for i, fact in enumerate(facts):
            ids = {self.vocab[g] for g in char_bigrams(fact) if g in self.vocab}
            rows += [i] * len(ids)
            cols += sorted(ids)
        data = self.token_weight[cols] if cols else np.zeros(0, dtype=np.float32)
        query = sp.csr_matrix((data, (rows, cols)), shape=(len(facts), len(self.vocab)))
        return np.asarray((query @ self.matrix.T).todense())

    def matched(self, fact: str, unit: int, top: int = 5) -> list[str]:
        """The fact's bigrams that count most for this unit (the evidence a reader can check)."""
        row = self.matrix.getrow(unit)
        own = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        grams = {g for g in char_bigrams(fact) if self.vocab.get(g) in own}
        return sorted(grams, key=lambda g: -own[self.vocab[g]] * self.token_weight[self.vocab[g]])[:top]


class CentroidClassifier:
    """One L2-normalised centroid per unit: its labelled cases' mean, plus `pseudo_weight` times the
    mean of its own texts; a fact scores the cosine with each centroid."""

    def __init__(
        self,
        examples: Iterable[tuple[str, int]],
        pseudo: Iterable[tuple[str, int]],
        n_units: int,
        weights: NarrativeWeights,
        pseudo_weight: float,
    ) -> None:
        examples, pseudo = list(examples), list(pseudo)
        self.vocab: dict[str, int] = {}
        for text, _ in examples + pseudo:
            for feat in features(text):
                self.vocab.setdefault(feat, len(self.vocab))
        self._weights = weights
        cases = self._centroids(examples, n_units)
        own = self._centroids(pseudo, n_units)
        counts = np.bincount([u for _, u in examples], minlength=n_units).astype(np.float32)
        # How common each charge is among the labelled cases, in [0, 1]: short facts say too little
        # for the cosine alone, and then the commoner charge is the likelier one.
        self.prior = np.log1p(counts) / max(float(np.log1p(counts.max())), 1.0)
        self.matrix = _normalise_rows(cases + pseudo_weight * own).T.tocsr()  # features × units
        # Each charge's mean cosine over the labelled narratives: a charge with cases sits close to
        # every narrative (their shared way of telling), one known only from its texts does not.
        # Subtracting it lets a charge without cases win where its words are told. It is subtracted
        # in proportion to how much the facts read like a narrative (their cosine
        # with the narratives' mean, against the narratives' own): a question in everyday words is
        # barely moved.
        x = self._vectors([t for t, _ in examples])
        self.baseline = np.zeros(n_units, dtype=np.float32)
        self.narrative = _normalise_rows(x.mean(axis=0))  # 1 × features
        self.narrative_fit = 1.0
        if x.shape[0]:
            self.baseline = np.asarray((x @ self.matrix).mean(axis=0)).ravel()
            self.narrative_fit = max(float((x @ self.narrative.T).mean()), 1e-6)

    def _vectors(self, texts: Sequence[str]) -> Any:
        import scipy.sparse as sp

        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            for feat, count in features(text).items():
                j = self.vocab.get(feat)
                if j is None:
                    continue
                rows.append(i)
                cols.append(j)
                vals.append((1 + math.log(count)) * self._weights(feat))
        shape = (len(texts), max(len(self.vocab), 1))
        return _normalise_rows(sp.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float32))

    def _centroids(self, pairs: list[tuple[str, int]], n_units: int) -> Any:
        import scipy.sparse as sp

        x = self._vectors([t for t, _ in pairs])
        labels = np.array([u for _, u in pairs], dtype=np.int64)
        assign = sp.csr_matrix(
            (np.ones(len(pairs), np.float32), (labels, np.arange(len(pairs)))), shape=(n_units, len(pairs))
        )
        return _normalise_rows(assign @ x)

    def scores(self, facts: Sequence[str], prior_weight: float = 0.0, centred: bool = True) -> np.ndarray:
        x = self._vectors(facts)
        cosines = np.asarray((x @ self.matrix).todense())
        if centred:
            told = np.asarray((x @ self.narrative.T).todense()) / self.narrative_fit  # facts × 1
            cosines = cosines - told * self.baseline[None, :]
        return cosines + prior_weight * self.prior[None, :]


def _normalise_rows(m: Any) -> Any:
    import scipy.sparse as sp

    m = sp.csr_matrix(m)
    m.resize(m.shape[0], max(m.shape[1], 1))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(1)).ravel())
    return sp.diags((1 / np.maximum(norms, 1e-12)).astype(np.float32)) @ m


@dataclass
class ChargeRanker:
    """The charge ranking; build it with `build_charge_ranker` (or `ChargeRanker.fit`)."""

    units: list[ChargeUnit]
    charge_map: ChargeMap
    settings: ChargeRankerSettings
    lexical: LexicalRanking
    classifier: CentroidClassifier
    embedder: Embedder | None = None
    _dense: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def fit(
        cls,
        units: Sequence[ChargeUnit],
        charge_map: ChargeMap,
        cases: Sequence[CaseRecord],
        interpretation_texts: dict[str, list[str]],
        settings: ChargeRankerSettings | None = None,
    ) -> ChargeRanker:
        """Build the rankings from the units, the labelled cases and each charge's interpretation
        sentences ({charge: [sentence]})."""
        settings = settings or ChargeRankerSettings()
        units = list(units)
        if not units:
            raise ValueError("no 分则 charges to rank: is the Criminal Law in the corpus?")
        narratives = [c.fact for c in cases]
        # A charge's lexical text: its 罪状, its name, and the interpretation sentences that name it,
        # which describe it in the words cases use (「在禁猎区…捕捉」, 「三有动物」). On CAIL train the
        # lexical ranking's top-1 rises from .201 to .261 with them.
        docs = [
            " ".join(
                [u.text, f" {u.charge}罪" * settings.name_repeats, *interpretation_texts.get(u.charge, [])]
            )
            for u in units
        ]
        weights = NarrativeWeights(narratives, settings.fact_idf_power)
        lexical = LexicalRanking(docs, weights, settings.bm25_k1, settings.bm25_b)
        weights = weights.with_power(settings.classifier_idf_power)
        index = {(u.charge, u.article, u.suffix): i for i, u in enumerate(units)}
        examples = [(c.fact, i) for c in cases for i in case_units(c, charge_map, index)]
        pseudo: list[tuple[str, int]] = []
        for i, u in enumerate(units):
            pseudo += [(f"{u.charge}罪", i), (u.text, i)]
            pseudo += [(s, i) for s in interpretation_texts.get(u.charge, [])]
        classifier = CentroidClassifier(examples, pseudo, len(units), weights, settings.pseudo_weight)
        return cls(units, charge_map, settings, lexical, classifier)

    def attach_embedder(self, embedder: Embedder | None) -> None:
        """Add the dense ranking (the legal embedder); None removes it."""
        self.embedder = embedder
        self._dense = None
        if embedder is not None:
            self._dense = embedder.encode([f"{u.charge}罪 {u.text}"[:512] for u in self.units])

    def __getstate__(self) -> dict[str, Any]:  # the embedder is a model: reattach it after loading
        state = dict(self.__dict__)
        state["embedder"], state["_dense"] = None, None
        return state

    # --- ranking --------------------------------------------------------------------------------
    def rank_charges(self, facts: str, named: Sequence[str] = ()) -> list[ChargeCandidate]:
        """The charges of 刑法分则 for these facts, best first (one candidate per charge).

        `named` are charges the user named (「诈骗罪」, 「以XX罪起诉」): each that resolves to an
        official name comes first, marked `named=True`, in the order given; a name that resolves to
        nothing is ignored here (the caller says so). The candidates' `evidence` lists the facts'
        words that match the charge's 罪状 and which rankings put it near the top. Use
        `recognised(candidates)` for the charges of a case (数罪)."""
        return self.rank_many([facts], [named])[0]

    def rank_many(
        self, facts: Sequence[str], named: Sequence[Sequence[str]] | None = None, top: int = 10
    ) -> list[list[ChargeCandidate]]:
        """`rank_charges` for many facts at once (faster: the matrix products are batched)."""
        facts = [str(f or "") for f in facts]
        named = named or [()] * len(facts)
        if len(named) != len(facts):
            raise ValueError(f"rank_many: {len(facts)} facts but {len(named)} lists of named charges")
        # everyday words (偷, 关在仓库, 卖银行卡) are read with the legal words they stand for
        terms = everyday_terms()
        read = [terms.expand(f) for f in facts]
        matrices = self._score_matrices(read)
        everyday = [self._everyday_units(terms.articles(f)) for f in facts]
        whole = [terms.in_narratives(f) for f in facts]
        return [
            self._rank_one(read[i], [m[i] for m in matrices], named[i], top, everyday[i], facts[i], whole[i])
            for i in range(len(facts))
        ]

    def _everyday_units(self, articles: Sequence[tuple[tuple[int, int], int]]) -> list[tuple[int, int]]:
        """(unit, rank) for the units of the articles the facts' everyday words stand for: all the
        units of an article share its rank (EverydayTerms.articles)."""
        return [
            (i, rank)
            for key, rank in articles
            for i, u in enumerate(self.units)
            if (u.article, u.suffix) == key
        ]

    def _score_matrices(self, facts: Sequence[str]) -> list[np.ndarray]:
        s = self.settings
        out = [
            self.lexical.scores(facts),
            self.classifier.scores(facts, s.classifier_prior, s.classifier_centred),
        ]
        if self.embedder is not None and self._dense is not None and self.settings.dense_weight > 0:
            out.append(self.embedder.encode(list(facts)) @ self._dense.T)
        return out

    def _rank_one(
        self,
        fact: str,
        rows: list[np.ndarray],
        named: Sequence[str],
        top: int,
        everyday: Sequence[tuple[int, int]] = (),
        told: str = "",
        whole: set[tuple[int, int]] | None = None,
    ) -> list[ChargeCandidate]:
        """`fact` is what the rankings read (the facts with their everyday words' legal words), `told`
        the facts as told; `whole`: the articles whose everyday vote keeps its weight at any length."""
        s = self.settings
        n = min(s.candidates, len(self.units))
        lists = [_top(row, n) for row in rows]
        weights = [s.lexical_weight, s.classifier_weight, s.dense_weight][: len(lists)]
        names = list(RANKING_NAMES[: len(lists)])
        fused = rrf(lists, k=s.rrf_k, weights=weights)
        positions = {
            name: {u: r for r, u in enumerate(lst[:10], 1)} for name, lst in zip(names, lists, strict=True)
        }
        if everyday:
            # A long narrative tells the act in the law's own words (a judgment's 经审理查明); there the
            # everyday words mostly tell the background (the crime a 窝藏 defendant hid), so their
            # vote shrinks with the length of the facts beyond what a question runs to, except for words
            # that only ever tell the defendant's own act (`narrative` entries: hiding the one who did it).
            # The units of one article share its place (341 defines 非法狩猎 beside two other charges).
            weight = s.everyday_weight * min(1.0, s.everyday_full_chars / max(len(told or fact), 1))
            scores = dict(fused)
            for unit, rank in everyday:
                u = self.units[unit]
                w = s.everyday_weight if whole and (u.article, u.suffix) in whole else weight
                scores[unit] = scores.get(unit, 0.0) + w / (s.rrf_k + rank)
            order = {u: i for i, u in enumerate(scores)}
            fused = sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
            positions[EVERYDAY_NAME] = dict(everyday)
        # The element that separates two neighbours near the top decides their order (distinctions.toml).
        fused, notes = reorder(fused, self._charge_of, told or fact, s.distinction_window)
        out: list[ChargeCandidate] = []
        seen: set[str] = set()
        for unit_i in self._named_units(named):
            out.append(self._candidate(fact, unit_i, (fused[0][1] if fused else 0.0) + 1.0, positions, True))
            seen.add(self.units[unit_i].charge)
        for unit_i, score in fused:
            if self.units[unit_i].charge in seen:
                continue
            seen.add(self.units[unit_i].charge)
            out.append(self._candidate(fact, unit_i, score, positions, False, notes.get(unit_i)))
            if len(out) >= top:
                break
        return out

    def _named_units(self, named: Sequence[str]) -> list[int]:
        found: list[int] = []
        for name in named:
            for official in self.charge_map.official_names(name):
                i = next((i for i, u in enumerate(self.units) if u.charge == official), None)
                if i is not None and i not in found:
                    found.append(i)
        return found

    @property
    def _charge_of(self) -> list[str]:
        return [u.charge for u in self.units]

    def _candidate(
        self,
        fact: str,
        i: int,
        score: float,
        positions: dict[str, dict[int, int]],
        named: bool,
        note: str | None = None,
    ) -> ChargeCandidate:
        u = self.units[i]
        words = self.lexical.matched(fact, i)
        verdicts = [f"{name}第{pos[i]}" for name, pos in positions.items() if i in pos]
        evidence = ((f"{_FACT_WORDS}{'、'.join(words)}",) if words else ()) + (
            (f"排名：{'，'.join(verdicts)}",) if verdicts else ()
        )
        if note:
            evidence = (*evidence, note)
        if named:
            evidence = ("用户指明的罪名", *evidence)
        return ChargeCandidate(
            u.charge,
            u.article,
            u.suffix,
            u.paragraph,
            float(score),
            evidence,
            named,
            positions[RANKING_NAMES[0]].get(i),
            positions[RANKING_NAMES[1]].get(i),
        )

    def recognised(self, candidates: Sequence[ChargeCandidate]) -> list[ChargeCandidate]:
        """The charges of the case (数罪): every named one, else the first, and each further one whose
        fused score reaches `second_charge_ratio` of the first's."""
        if not candidates:
            return []
        named = [c for c in candidates if c.named]
        if named:
            return named[: self.settings.max_charges]
        first, s = candidates[0], self.settings
        out = [first]
        for c in candidates[1:]:
            if len(out) >= s.max_charges or c.score < s.second_charge_ratio * first.score:
                break
            # A second crime needs the word of both rankings, not a near tie in one of them.
            if (c.lexical_rank or 99) <= 3 and (c.classifier_rank or 99) <= 3:
                out.append(c)
        return out


def _top(row: np.ndarray, n: int) -> list[int]:
    """Indices of the n best scores, best first; ties by index (deterministic); zero scores dropped."""
    order = np.lexsort((np.arange(len(row)), -row))[:n]
    return [int(i) for i in order if row[i] > 0]
