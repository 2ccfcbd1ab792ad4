"""The records every other package reads: one per article (or numbered part) and one per case.

`corpora` turns files into these; `retrieval` indexes them; `assistant` and `finetune`
read them. They are plain frozen dataclasses so that they pickle, hash and compare.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Document kinds, from the folder and the title (see corpora.laws.classify_kind).
Kind = Literal["宪法", "法律", "行政法规", "司法解释", "部门规章", "案例", "其他"]
Numbering = Literal["article", "part", "whole"]


@dataclass(frozen=True)
class ArticleRecord:
    """One article (第X条), or one numbered part (一、) of a document without articles."""

    law_title: str  # full title as in line 1: 中华人民共和国刑法
    short_title: str  # without the 中华人民共和国 prefix and version marks: 刑法
    law_id: str  # stable identity of the law across versions (normalised short title)
    kind: str  # one of Kind
    category: str  # top folder in laws/: 刑法, 民法商法, 司法解释 …
    number: int  # 264; for parts, the part's ordinal (一、 is 1)
    suffix: int  # 1 for 第一百三十三条之一, else 0
    number_cn: str  # 第二百六十四条 / 第一百三十三条之一 / 一、
    numbering: str  # one of Numbering
    text: str  # full text, all paragraphs and items, without the leading 第X条 label
    path: tuple[str, ...] = ()  # headings above it: ("第二编 分则", "第五章 侵犯财产罪")
    version: str = ""  # ISO date identifying this version (latest amendment/adoption date)
    adopted: str | None = None  # ISO dates parsed from the header lines
    amended: str | None = None
    effective: str | None = None
    source_file: str = ""  # path relative to the corpus root
    current: bool = True  # False for an older version of a law that has a newer one
    charges: tuple[str, ...] = ()  # 刑法 分则: the charges it defines, by today's names (盗窃)

    @property
    def article_key(self) -> str:
        """Number plus suffix as text: '264', '133-1'."""
        return f"{self.number}-{self.suffix}" if self.suffix else str(self.number)

    @property
    def record_id(self) -> str:
        """Unique within an index: law, version and article."""
        return f"{self.law_id}@{self.version or 'undated'}#{self.numbering[0]}{self.article_key}"

    @property
    def citation(self) -> str:
        """《中华人民共和国刑法》第二百六十四条"""
        return f"《{self.law_title}》{self.number_cn}"

    @property
    def content_hash(self) -> str:
        payload = "\x1f".join([self.law_title, self.number_cn, self.text, "/".join(self.path)])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = list(self.path)
        d["charges"] = list(self.charges)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ArticleRecord:
        d = dict(d)
        d["path"] = tuple(d.get("path") or ())
        d["charges"] = tuple(d.get("charges") or ())
        return cls(**d)


@dataclass(frozen=True)
class CaseRecord:
    """One criminal case: CAIL2018 line or a full judgment."""

    case_id: str  # "cail2018/train:17" or "judge:<text_id>"
    source: str  # "cail2018/train", "cail2018/test", "judge"
    fact: str
    charges: tuple[str, ...] = ()  # official names without 罪, brackets dropped
    articles: tuple[int, ...] = ()  # 分则 articles (CAIL labels); for judge, all cited in `la`
    general_articles: tuple[int, ...] = ()  # 总则 articles cited (67 自首 …), where known
    term_months: float | None = None  # fixed-term imprisonment in months; None if unknown
    life_imprisonment: bool = False
    death_penalty: bool = False
    fine: float | None = None  # yuan
    full_text: str = ""  # whole judgment where present
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("charges", "articles", "general_articles"):
            d[k] = list(d[k])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CaseRecord:
        d = dict(d)
        for k in ("charges", "articles", "general_articles"):
            d[k] = tuple(d.get(k) or ())
        return cls(**d)
