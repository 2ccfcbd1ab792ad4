"""What is known about one cited article: it exists (and its text), it does not (and the law's last
article), its law was repealed (by what and since when), its law name is ambiguous or unknown, or
its number cannot be read.

Everything comes from the index itself, so it holds for every law the index holds: the last
article from the law's own articles, a repeal from the repealing law's own words (民法典第一千二百六十条:
“……《中华人民共和国合同法》……同时废止”), found by searching for them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from assistant.agent.disclaimer import CORPUS_DATE  # the corpus's date, said in every answer
from corpora.citations import SELF_REFERENCE, CitationRef, format_article, laws_matching, normalize_law_name
from retrieval.hits import Hit

log = logging.getLogger(__name__)

Kind = Literal[
    "found", "nonexistent", "repealed", "outdated", "ambiguous", "unknown_law", "malformed", "no_law"
]
_EFFECTIVE = re.compile(r"自(\d{4}年\d{1,2}月\d{1,2}日)起施行")
_SEARCH_CAP = 1000  # the highest article number looked for when the searcher cannot list a law's articles


class Catalog(Protocol):
    def resolve_law(self, name: str) -> str | None: ...

    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Hit | None: ...

    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: Any = None
    ) -> list[Hit]: ...


@dataclass(frozen=True)
class Repeal:
    law: str  # the repealed law as named by the repealing article
    by: Hit  # the repealing article
    since: str  # 2021年1月1日, or "" when the article does not say

    @property
    def successor(self) -> str:
        return self.by.law_title


@dataclass(frozen=True)
class ArticleStatus:
    ref: CitationRef
    kind: Kind
    message: str  # one sentence in Chinese, ready to show
    law: str | None = None  # the law id it was resolved against
    hit: Hit | None = None  # the article, when it exists (any version)
    last: Hit | None = None  # nonexistent: the law's last article
    repeal: Repeal | None = None
    candidates: tuple[str, ...] = ()  # ambiguous: the laws the name matches

    @property
    def label(self) -> str:
        return format_article(self.ref.number, self.ref.suffix, self.ref.paragraph, self.ref.item)


def _title(hit: Hit) -> str:
    return f"《{hit.law_title}》"


class StatusResolver:
    """resolve(ref, law) for each citation; caches what it learns about each law."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        self._last: dict[str, Hit | None] = {}
        self._repeals: dict[str, Repeal | None] = {}

    def resolve(self, ref: CitationRef, law: str | None = None) -> ArticleStatus:
        """The status of `ref`; `law` is its law (normalised) when the caller knows it better than the ref."""
        if ref.problem:
            return ArticleStatus(ref, "malformed", f"条号写法有误：{ref.problem}")
        name = law or (normalize_law_name(ref.law) if ref.law and ref.law not in SELF_REFERENCE else None)
        if name is None:
            return ArticleStatus(ref, "no_law", "没有写明是哪部法律的条文")
        if self.catalog is None:
            return ArticleStatus(ref, "unknown_law", f"无法核对《{name}》：没有打开法规库", law=name)
        law_id = self._resolve_law(name)
        repeal = self.repeal_of(name if law_id is None else law_id)
        if repeal is not None:
            return ArticleStatus(
                ref, "repealed", self._repeal_message(name, repeal), law=law_id or name, repeal=repeal
            )
        if law_id is None:
            candidates = self.candidates(name)
            if len(candidates) > 1:
                listed = "、".join(f"《{c}》" for c in candidates[:8])
                more = f"等{len(candidates)}部" if len(candidates) > 8 else ""
                return ArticleStatus(
                    ref,
                    "ambiguous",
                    f"“{name}”对应多部法律文件：{listed}{more}，请说明是哪一部",
                    candidates=tuple(candidates),
                )
            if len(candidates) == 1:
                law_id = candidates[0]
            else:
                return ArticleStatus(
                    ref,
                    "unknown_law",
                    f"法规库中没有《{name}》（法规库收录截至{CORPUS_DATE}的法律文件）",
                    law=name,
                )
        hit = self._get(law_id, ref.number, ref.suffix)
        if hit is None:
            last = self.last_article(law_id)
            where = _title(last) if last else f"《{name}》"
            tail = f"，该法最后一条是{last.number_cn}" if last else ""
            # a document repealed by a decision the corpus lacks says so too (「…名誉权案件若干问题的解答第七条」: it
            # numbers its answers 一、二、, and was abolished by 法释〔2020〕16号)
            outside = self.repealed_outside(last.law_title) if last else self.repealed_outside(name)
            if outside is not None:
                tail += (
                    f"；该文件已自{outside.since}起废止（{outside.by}），现行规定见《{outside.successor}》"
                )
            return ArticleStatus(
                ref,
                "nonexistent",
                f"{where}没有{format_article(ref.number, ref.suffix)}{tail}",
                law=law_id,
                last=last,
            )
        paragraphs = paragraph_count(hit.text)
        if ref.paragraph and ref.paragraph > paragraphs:
            return ArticleStatus(
                ref,
                "nonexistent",
                f"{hit.citation}只有{paragraphs}款，没有第{ref.paragraph}款",
                law=law_id,
                hit=hit,
            )
        outside = self.repealed_outside(hit.law_title)
        if (
            outside is not None
        ):  # repealed by a decision the corpus does not hold (retrieval/repeals_outside.toml)
            return ArticleStatus(
                ref,
                "repealed",
                f"{hit.citation}所在的《{outside.title}》已自{outside.since}起废止（{outside.by}），"
                f"不再作为现行规定引用，现行规定见《{outside.successor}》",
                law=law_id,
                hit=hit,
            )
        applied = self.applies_repealed_law(hit.law_title)
        if applied is not None:  # its text is current, what it interpreted is not (retrieval.repeals)
            repeal = Repeal(applied[0], applied[1], _since(applied[1]))
            since = f"自{repeal.since}起" if repeal.since else ""
            whose = "所在的" if applied[0] == hit.law_title else "所解释的"  # repealed itself, or its law
            return ArticleStatus(
                ref,
                "repealed",
                f"{hit.citation}{whose}《{applied[0]}》已{since}废止（{repeal.by.citation}），"
                f"不再作为现行规定引用，现行规定见《{repeal.successor}》",
                law=law_id,
                hit=hit,
                repeal=repeal,
            )
        if not hit.current:
            return ArticleStatus(
                ref,
                "outdated",
                f"{hit.citation}只见于{hit.version or '旧'}版本，不是现行有效的条文",
                law=law_id,
                hit=hit,
            )
        return ArticleStatus(ref, "found", f"{hit.citation}（现行有效）", law=law_id, hit=hit)

    # --- what the index knows about a law ------------------------------------------------------
    def _resolve_law(self, name: str) -> str | None:
        assert self.catalog is not None
        try:
            return self.catalog.resolve_law(name)
        except Exception as e:  # a resolution failure leaves the citation unverified, not the answer lost
            log.warning("could not resolve %s: %s", name, e)
            return None

    def _get(self, law_id: str, number: int, suffix: int = 0) -> Hit | None:
        assert self.catalog is not None
        try:
            return self.catalog.get_article(law_id, number, suffix)
        except Exception as e:  # same: the lookup failed, the citation stays unverified
            log.warning("lookup of %s %s failed: %s", law_id, number, e)
            return None

    def repealed_outside(self, law_title: str) -> Any:
        """The repeal of the document by a decision the corpus does not hold, or None (or when unknown)."""
        find = getattr(self.catalog, "repealed_outside", None)
        if not callable(find):
            return None
        try:
            return find(law_title)
        except Exception as e:  # unknown is the safe reading: the citation is checked as usual
            log.warning("repeal check of %s failed: %s", law_title, e)
            return None

    def applies_repealed_law(self, law_title: str) -> tuple[str, Hit] | None:
        """(the repealed law, the repealing article) when the document applies a law the index says was
        repealed (《关于适用〈婚姻法〉若干问题的解释（二）》); None otherwise or when the catalog cannot tell."""
        applies = getattr(self.catalog, "applies_repealed_law", None)
        if not callable(applies):
            return None
        try:
            found = applies(law_title)
        except Exception as e:  # unknown is the safe reading: the citation is checked as usual
            log.warning("repeal check of %s failed: %s", law_title, e)
            return None
        return found if isinstance(found, tuple) else None

    def candidates(self, name: str) -> list[str]:
        names = getattr(self.catalog, "law_names", None)
        return laws_matching(name, names()) if callable(names) else []

    def last_article(self, law_id: str) -> Hit | None:
        if law_id not in self._last:
            self._last[law_id] = self._find_last(law_id)
        return self._last[law_id]

    def _find_last(self, law_id: str) -> Hit | None:
        listing = getattr(self.catalog, "articles_of", None)
        if callable(listing):
            keys = listing(law_id)
            return self._get(law_id, *max(keys)) if keys else None
        # No listing: the highest numbered article, by doubling then bisecting (articles run 1…N).
        if self._get(law_id, 1) is None:
            return None
        low, high = 1, 2
        while high <= _SEARCH_CAP and self._get(law_id, high) is not None:
            low, high = high, high * 2
        while high - low > 1:
            mid = (low + high) // 2
            low, high = (mid, high) if self._get(law_id, mid) is not None else (low, mid)
        return self._get(law_id, low)

    def repeal_of(self, law: str) -> Repeal | None:
        """The article that repealed `law` (“《中华人民共和国X》……同时废止”), found in the index."""
        name = normalize_law_name(law)
        if name not in self._repeals:
            self._repeals[name] = self._find_repeal(name)
        return self._repeals[name]

    def _find_repeal(self, name: str) -> Repeal | None:
        if self.catalog is None or len(name) < 2:
            return None
        said = re.compile(rf"《(?:中华人民共和国)?{re.escape(name)}》[^。；]*?废止")
        try:
            hits = self.catalog.search(f"《中华人民共和国{name}》同时废止", kind="statutes", k=10)
        except Exception as e:  # no repeal found is the safe reading: the citation is then checked as usual
            log.warning("repeal search for %s failed: %s", name, e)
            return None
        for hit in hits:
            if normalize_law_name(hit.law_title) == name or not hit.current or not said.search(hit.text):
                continue
            return Repeal(name, hit, _since(hit))
        return None

    @staticmethod
    def _repeal_message(name: str, repeal: Repeal) -> str:
        since = f"自{repeal.since}起" if repeal.since else ""
        return f"《{name}》已{since}废止（{repeal.by.citation}），现行规定见《{repeal.successor}》"


def _since(hit: Hit) -> str:
    """The day a repealing article's law took effect (本法自2021年1月1日起施行), or its effective date."""
    m = _EFFECTIVE.search(hit.text)
    return m.group(1) if m else str(hit.metadata.get("effective") or "")


def paragraph_count(text: str) -> int:
    """款 of an article: its lines that are not items （一）…."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    return max(1, sum(1 for ln in lines if not re.match(r"^[（(][一二三四五六七八九十]+[)）]", ln)))


def for_question(resolver: StatusResolver, question: str) -> list[ArticleStatus]:
    """The status of each article the question cites with its law (and of any it writes malformed)."""
    from corpora.citations import parse_citations

    return [resolver.resolve(ref) for ref in parse_citations(question) if ref.law or ref.problem]
