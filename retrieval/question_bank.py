"""Question bank: client questions written article by article from the law text, each with the article a
lawyer cites first (question_bank/*.toml).

A client's question (公司三个月没发工资我能直接走人吗) shares few words with the article that answers it
(劳动合同法第三十八条), but many with another client's question about the same article. The bank holds,
for every article people ask about in the laws they ask about most, a few such questions in everyday words;
the searcher finds the bank questions nearest a query (by the index's own model) and lets them vote for
their articles, one ranking in the fusion (`retrieval.bank_weight`). Unlike the lexicon's patterns
(retrieval.lexicon), which match only the words written down, a bank question is near a query told in
other words about the same situation.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpora.citations import parse_citations
from retrieval.errors import RetrievalError

BANK_DIR = Path(__file__).with_name("question_bank")
SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the setting names the folder from here
ALSO_SHARE = 0.5  # an `also` article's share of a question's vote


class BankError(RetrievalError):
    """A question-bank file is unreadable or an entry is incomplete."""


@dataclass(frozen=True)
class BankEntry:
    article: str  # the article a lawyer cites first for the questions (a citation: 劳动合同法第三十八条)
    questions: tuple[str, ...]
    also: tuple[str, ...] = ()  # other articles that answer them too


@dataclass(frozen=True)
class BankQuestion:
    text: str
    targets: tuple[tuple[str, float], ...]  # (citation, share of the vote)


def bank_files(path: Path) -> list[Path]:
    """The *.toml files of a bank folder in name order (none in an empty folder), or the file itself. A path that
    does not exist is an error, not an empty bank: a mistyped setting must not switch the bank off unseen."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise BankError(f'the question bank {path} does not exist (retrieval.question_bank; "" turns it off)')
    return sorted(path.glob("*.toml"), key=lambda file: file.name)


# file → (its mtime and size, its entries), for this process: an edited file's older entries are let go
_PARSED: dict[str, tuple[tuple[int, int], list[BankEntry]]] = {}


def read_bank(path: str | Path = BANK_DIR) -> list[BankEntry]:
    """The checked entries of a bank folder (or file), relative paths from SOURCE_ROOT. A file is parsed again only
    when it changed (its time or size): each index generation reads the bank, and parsing it takes about 1.5 s."""
    return [entry for file in bank_files(SOURCE_ROOT / path) for entry in _parsed(file)]


def _parsed(file: Path) -> list[BankEntry]:
    try:
        stat = file.stat()
    except OSError as e:
        raise BankError(f"cannot read the question bank {file}: {e}") from e
    name, version = str(file.resolve()), (stat.st_mtime_ns, stat.st_size)
    known = _PARSED.get(name)
    if known is None or known[0] != version:
        known = _PARSED[name] = (version, parse_bank(file, _read(file)))
    return known[1]


def bank_questions(entries: Sequence[BankEntry]) -> list[BankQuestion]:
    """Each question once, with its entry's articles: a question written under two entries votes for both."""
    merged: dict[str, dict[str, float]] = {}
    for e in entries:
        for q in e.questions:
            votes = merged.setdefault(q, {})
            votes[e.article] = max(votes.get(e.article, 0.0), 1.0)
            for a in e.also:
                votes[a] = max(votes.get(a, 0.0), ALSO_SHARE)
    return [BankQuestion(q, tuple(votes.items())) for q, votes in merged.items()]


def bank_key(texts: Sequence[str]) -> str:
    """A hash of texts (what an encoded bank is cached under: its questions and the model's name)."""
    digest = hashlib.sha1()
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:20]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise BankError(f"cannot read the question bank {path}: {e}") from e


def parse_bank(path: Path, content: bytes) -> list[BankEntry]:
    """The checked entries of one bank file, from its bytes."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise BankError(f"cannot read the question bank {path}: {e}") from e
    entries = []
    for i, item in enumerate(data.get("ask", []), 1):
        article = str(item.get("article", "")).strip()
        questions = tuple(q.strip() for q in map(str, item.get("questions", [])) if q.strip())
        also = tuple(a.strip() for a in map(str, item.get("also", [])) if a.strip())
        if not article or not questions:
            raise BankError(f"{path.name}: ask {i} needs an article and questions")
        for cite in (article, *also):
            if not any(ref.law and ref.number for ref in parse_citations(cite)):
                raise BankError(f"{path.name}: ask {i}: {cite!r} names no article of a law")
        entries.append(BankEntry(article, questions, also))
    return entries
