"""Everyday words → the words the law uses for them, read from a hand-written lexicon (everyday_law/*.toml).

A question told in everyday words (辞职, 被开除, 加班费, 告政府, 偷, 打人) shares few words with the article
that answers it (劳动者提前三十日以书面形式通知用人单位，可以解除劳动合同), and 公司 pulls 公司法. The
searcher adds the legal words of every entry whose everyday words the query uses to what its dense and
BM25 rankings read (`Searcher.expanded`), so `search`, `eval retrieval` and the assistant expand a question
the same way. An entry names words, never an answer: every article of every law is still weighed.

The learned term map (finetune.retriever.terms) covers the words the corpus's own questions use; this
lexicon the everyday words for which the corpus holds too few question → answer pairs to learn them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import tomllib
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

from corpora.citations import parse_citations

LEXICON_DIR = Path(__file__).with_name("everyday_law")  # one lexicon: its *.toml files, read in name order
SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the lexicons setting names files and folders from here
LAST_QUERIES = 8  # queries whose matches are kept
log = logging.getLogger(__name__)


class LexiconError(ValueError):
    """A lexicon file is unreadable, a lexicon folder holds no file, or an entry is incomplete."""


@dataclass(frozen=True)
class LexiconEntry:
    words: tuple[str, ...]  # regular expressions; most are plain words
    legal: str  # words of the articles `source` names, separated by spaces
    source: str  # the articles whose words `legal` are (checked by a test against the corpus)
    also: tuple[str, ...] = ()  # patterns that must all match as well (who did it: 公款 with 侵吞)
    unless: tuple[str, ...] = ()  # patterns none of which may match (a 国有 company is not a private one)


class Lexicon:
    """`hints`: per entry, the characters each of its words needs in a query (see `required_chars`), or
    None where a word needs none. An entry whose every word lacks one of its characters cannot match,
    and its patterns are not compiled: compiling all 900 patterns cost a cold search 0.1 s."""

    def __init__(
        self, entries: list[LexiconEntry], hints: Sequence[tuple[str, ...] | None] | None = None
    ) -> None:
        self.entries = entries
        self._hints = list(hints) if hints is not None else [None] * len(entries)
        # the same, as sets: a subset test against the query's characters is one step per word
        self._needs = [None if h is None else tuple(frozenset(n) for n in h) for h in self._hints]
        self._always, self._by_char = _hint_index(self._needs)
        self._compiled: dict[int, tuple[re.Pattern, list[re.Pattern], list[re.Pattern]]] = {}
        self._last: dict[str, list[tuple[int, str]]] = {}  # the last few queries' matches (a search asks
        # up to three times for one query's)
        self._lock = threading.Lock()

    @classmethod
    def read(cls, path: Path = LEXICON_DIR) -> Lexicon:
        """The entries of one lexicon: a file, or a folder whose *.toml files are read in name order."""
        return cls([entry for file in lexicon_files(path) for entry in _parse(file, _read_bytes(file))])

    @classmethod
    def read_all(cls, paths: Sequence[str | Path], cache_dir: Path | None = None) -> Lexicon:
        """The entries of several lexicons (files or folders, see `read`), in the order given (relative paths
        from SOURCE_ROOT). `cache_dir`: where the checked entries and their hints are kept, under a hash of
        every file read and of this module, so that a changed lexicon (or reader) is read and checked again."""
        files = [file for path in paths for file in lexicon_files(SOURCE_ROOT / path)]  # absolute: itself
        # read once: the key and the entries are of these bytes, so that a file rewritten in between never
        # leaves a cache under the other's key
        contents = [_read_bytes(file) for file in files]
        cache = None
        if cache_dir is not None:
            try:
                cache = Path(cache_dir) / f"lexicon-{_content_key(files, contents)}.json"
                return cls._from_cache(cache)
            except OSError:
                pass  # no cache yet
            except (ValueError, KeyError, TypeError) as e:
                log.warning("the lexicon cache %s is damaged (%s): reading the lexicons", cache, e)
        entries: list[LexiconEntry] = []
        for file, content in zip(files, contents, strict=True):
            entries += _parse(file, content)
        hints = [_entry_hint(e) for e in entries]
        if cache is not None:
            _write_cache(cache, entries, hints)
        return cls(entries, hints)

    @classmethod
    def _from_cache(cls, path: Path) -> Lexicon:
        rows = json.loads(path.read_bytes())
        entries, hints = [], []
        for words, legal, source, also, unless, hint in rows:
            entries.append(LexiconEntry(tuple(words), legal, source, tuple(also), tuple(unless)))
            hints.append(None if hint is None else tuple(hint))
        return cls(entries, hints)

    def _entry(self, i: int) -> tuple[re.Pattern, list[re.Pattern], list[re.Pattern]]:
        found = self._compiled.get(i)
        if found is None:
            e = self.entries[i]
            found = self._compiled[i] = (
                re.compile("|".join(f"(?:{w})" for w in e.words)),
                [re.compile(a) for a in e.also],
                [re.compile(u) for u in e.unless],
            )
        return found

    def compile_all(self) -> None:
        """Compile every entry's patterns now (about 0.3 s), not in the searches that first need them."""
        for i in range(len(self.entries)):
            self._entry(i)

    def matches(self, query: str) -> list[tuple[str, LexiconEntry]]:
        """(the everyday words found, their entry) for each entry the query uses, in file order."""
        return [(found, self.entries[i]) for i, found in self._found(query)]

    def found(self, query: str) -> list[tuple[int, str]]:
        """(position, the everyday words found) of each entry the query uses, in file order."""
        return self._found(query)

    def matched(self, query: str) -> list[int]:
        """Positions of the entries the query uses, in file order."""
        return [i for i, _ in self._found(query)]

    def _found(self, query: str) -> list[tuple[int, str]]:
        known = self._last.get(query)
        if known is not None:
            return list(known)
        out = []
        present = frozenset(query)
        # the entries one of whose words has every character it needs in the query: a word is looked up by
        # one of its characters, so an entry none of whose words' characters the query has is never visited
        candidates = set(self._always)
        for char in present:
            for i, need in self._by_char.get(char, ()):
                if i not in candidates and need <= present:
                    candidates.add(i)
        for i in sorted(candidates):
            pattern, also, unless = self._entry(i)
            found = pattern.search(query)
            if (
                found is None
                or not all(a.search(query) for a in also)
                or any(u.search(query) for u in unless)
            ):
                continue
            out.append((i, found.group(0)))
        with self._lock:  # the web app searches from several threads
            if len(self._last) >= LAST_QUERIES:
                self._last.pop(next(iter(self._last)))
            self._last[query] = out
        return list(out)

    def legal_words(self, query: str) -> str:
        """The legal words of every entry the query uses, once each, none the query already has."""
        words: dict[str, None] = {}
        for _, entry in self.matches(query):
            for w in entry.legal.split():
                if w not in query:
                    words.setdefault(w)
        return " ".join(words)

    def expand(self, query: str) -> str:
        """The query followed by the legal words its everyday words stand for."""
        extra = self.legal_words(query)
        return f"{query} {extra}" if extra else query


def _hint_index(
    needs: Sequence[tuple[frozenset[str], ...] | None],
) -> tuple[list[int], dict[str, list[tuple[int, frozenset[str]]]]]:
    """(the entries with no hint, always tried; each character → (entry, a word's characters) for the words
    filed under it). A word is filed under its character that the fewest words need, so that a common
    character (的, 人) does not make every query visit hundreds of words."""
    count: dict[str, int] = {}
    for entry in needs:
        for need in entry or ():
            for char in need:
                count[char] = count.get(char, 0) + 1
    always: list[int] = []
    by_char: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for i, entry in enumerate(needs):
        if entry is None:
            always.append(i)
            continue
        for need in entry:
            key = min(need, key=lambda char: (count[char], char))
            by_char.setdefault(key, []).append((i, need))
    return always, by_char


def lexicon_files(path: Path) -> list[Path]:
    """The files of one lexicon: the file itself, or the *.toml files of a folder in name order."""
    path = Path(path)
    if not path.is_dir():
        return [path]  # a missing file is reported when it is read
    files = sorted(path.glob("*.toml"), key=lambda file: file.name)
    if not files:
        raise LexiconError(f"the lexicon folder {path} holds no .toml file")
    return files


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise LexiconError(f"cannot read the lexicon {path}: {e}") from e


def _parse(path: Path, content: bytes) -> list[LexiconEntry]:
    """The checked entries of one lexicon file, from its bytes."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise LexiconError(f"cannot read the lexicon {path}: {e}") from e
    entries = []
    for i, item in enumerate(data.get("term", []), 1):
        words, also, unless = (
            tuple(str(w) for w in item.get(key, []) if str(w).strip()) for key in ("words", "also", "unless")
        )
        legal, source = str(item.get("legal", "")).strip(), str(item.get("source", "")).strip()
        if not words or not legal or not source:
            raise LexiconError(f"{path.name}: term {i} needs words, legal and source")
        for word in (*words, *also, *unless):
            try:
                re.compile(word)
            except re.error as e:
                raise LexiconError(f"{path.name}: term {i}: {word!r} is not a pattern: {e}") from e
        if not any(ref.law for ref in parse_citations(source)):
            raise LexiconError(f"{path.name}: term {i}: source names no article of a law: {source!r}")
        entries.append(LexiconEntry(words, legal, source, also, unless))
    return entries


_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*\)")  # (?!…) and (?<=…): words a match must not or need not hold
_SYNTAX = re.compile(r"\\[a-zA-Z]|(?:\{\d*,?\d*\}|[\\.^$*+?{}\[\]()|:])+")  # {0,4}'s digits, not 12315's


def literal_text(pattern: str) -> str:
    """The words of a pattern, its syntax made spaces: 没(?:有)?(?:交|缴)社保 → 没 有 交 缴 社保, 提前.{0,4}告诉
    → 提前 告诉, (?:七|7)天 → 七 7 天. What a classifier reads of an entry (retrieval.article_classifier)."""
    return " ".join(_SYNTAX.sub(" ", _LOOKAROUND.sub(" ", pattern)).split())


def required_chars(pattern: str) -> str | None:
    """Characters that every match of the regular expression contains: its literals outside any
    alternative, optional part or class; None when it names none (or sets a case-insensitive flag)."""
    try:
        from re import _parser as parser  # type: ignore[attr-defined]  # Python's own regex parser
    except ImportError:  # pragma: no cover - it moved: no hints, every pattern is tried
        return None
    try:
        parsed = parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found: list[str] = []

    def walk(items: object) -> None:
        for op, arg in items:  # type: ignore[attr-defined]
            if op is parser.LITERAL:
                found.append(chr(arg))
            elif op is parser.SUBPATTERN and not arg[1] & re.IGNORECASE:
                walk(arg[3])  # (group, add_flags, del_flags, items): a group is part of the sequence
            elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT) and arg[0] >= 1:
                walk(arg[2])  # (min, max, item): repeated at least once

    walk(parsed)
    return "".join(dict.fromkeys(found)) or None


def _entry_hint(entry: LexiconEntry) -> tuple[str, ...] | None:
    """The characters each word of the entry needs, or None when one of them needs none."""
    hint = [required_chars(w) for w in entry.words]
    return None if any(h is None for h in hint) else tuple(h for h in hint if h is not None)


def _content_key(files: Sequence[Path], contents: Sequence[bytes]) -> str:
    digest = hashlib.sha1(Path(__file__).read_bytes())  # the reader's rules are part of the key
    for path, content in zip(files, contents, strict=True):
        digest.update(str(path).encode() + b"\0" + content + b"\0")
    return digest.hexdigest()[:20]


def _write_cache(
    path: Path, entries: Sequence[LexiconEntry], hints: Sequence[tuple[str, ...] | None]
) -> None:
    """Best effort (a read-only data dir searches without it), atomic, older caches removed."""
    rows = [[*astuple(e), hint] for e, hint in zip(entries, hints, strict=True)]
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        for old in path.parent.glob("lexicon-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as e:
        log.info("the lexicon cache %s cannot be written (%s)", path, e)
        tmp.unlink(missing_ok=True)
