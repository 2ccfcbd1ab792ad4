"""Every version of an article the corpus holds, newest first, with dates, diffs and amendments.

The versions come from the law's dated files in `laws/` and `laws_history/` (grouped as in
corpora.versions); the amendments (刑法修正案, 关于修改《…》的决定) say which articles they
changed and from when. Articles are followed across versions by content, so an article that
was renumbered keeps its history. What the corpus does not hold is reported as missing.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpora.citations import article_keys
from corpora.laws import (
    _DATE,
    INFO_END,
    LawDocument,
    LawParseError,
    law_id_of,
    parse_law_file,
    short_title_of,
)
from corpora.numerals import article_label
from corpora.records import ArticleRecord
from corpora.versions import resolve_versions

DATA_DATE = "2025-04-19"  # LawRefBook snapshot the corpus was taken from (../shared/corpora/README.md)
MATCH_THRESHOLD = 0.5  # least character similarity for two differently numbered articles to be one
_HISTORY_FOLDERS = ("laws", "laws_history")
_SKIP = {"_index.md", "SOURCE.md", "README.md"}
_AMENDMENT = re.compile(r"^(?P<law>.+?)修正案(?:（[^）]*）)?$")
_DECISION = re.compile(r"关于修改《(?P<law>[^》]+)》")
_IN_FORCE = re.compile(r"自(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)起施行")
_REVISION_LINE = re.compile(r"修正|修订|修改|决定")

Status = Literal["unchanged", "renumbered", "changed", "added", "removed"]


class HistoryError(ValueError):
    """A question the corpus cannot answer (unknown law, ambiguous name, no such article)."""


class AmbiguousLawError(HistoryError):
    def __init__(self, name: str, candidates: list[str]) -> None:
        self.candidates = candidates
        shown = "、".join(candidates[:12]) + ("……" if len(candidates) > 12 else "")
        super().__init__(f"“{name}”可以指{len(candidates)}部法律：{shown}；请写出全称")


@dataclass(frozen=True)
class LawVersion:
    law_id: str
    title: str
    version: str  # ISO date of the version (its latest amendment or adoption)
    adopted: str | None  # the date this version was adopted (修正/修订 or 通过)
    in_force: str | None  # the date it took effect, when the corpus says so
    source_files: tuple[str, ...]
    articles: tuple[ArticleRecord, ...]
    header: tuple[str, ...] = ()

    def article(self, number: int, suffix: int = 0) -> ArticleRecord | None:
        return next((a for a in self.articles if (a.number, a.suffix) == (number, suffix)), None)


@dataclass(frozen=True)
class AmendmentPart:
    label: str  # 五、
    text: str
    targets: tuple[tuple[int, int], ...]  # (number, suffix) of the articles it touches


@dataclass(frozen=True)
class Amendment:
    title: str
    law_id: str  # the law it amends
    adopted: str | None
    in_force: str | None
    source_file: str
    parts: tuple[AmendmentPart, ...]

    def parts_for(self, number: int, suffix: int = 0) -> list[AmendmentPart]:
        return [p for p in self.parts if (number, suffix) in p.targets]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "adopted": self.adopted,
            "in_force": self.in_force,
            "source_file": self.source_file,
            "parts": [
                {"label": p.label, "text": p.text, "targets": [list(t) for t in p.targets]}
                for p in self.parts
            ],
        }


@dataclass(frozen=True)
class ArticleChange:
    """One article across two versions; `old` or `new` is None when it was added or removed."""

    old: ArticleRecord | None
    new: ArticleRecord | None
    status: Status
    similarity: float = 1.0

    @property
    def renumbered(self) -> bool:
        return bool(
            self.old and self.new and (self.old.number, self.old.suffix) != (self.new.number, self.new.suffix)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "renumbered": self.renumbered,
            "old": self.old.number_cn if self.old else None,
            "new": self.new.number_cn if self.new else None,
            "similarity": round(self.similarity, 3),
        }


def char_diff(old: str, new: str) -> list[tuple[str, str, str]]:
    """(op, old piece, new piece) with op in equal / delete / insert / replace."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(op, old[i1:i2], new[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes()]


def diff_text(ops: list[tuple[str, str, str]]) -> str:
    """The diff as plain text: [-deleted-]{+inserted+}."""
    out = []
    for op, a, b in ops:
        if op == "equal":
            out.append(a)
        else:
            out.append((f"[-{a}-]" if a else "") + (f"{{+{b}+}}" if b else ""))
    return "".join(out)


@dataclass
class ArticleVersion:
    """The article as one version of the law has it; `status` and `diff` compare it with the next older one."""

    version: str
    adopted: str | None
    in_force: str | None
    number_cn: str
    number: int
    suffix: int
    text: str
    source_file: str
    status: Status | Literal["oldest"]
    diff: list[tuple[str, str, str]] = field(default_factory=list)
    amendments: list[tuple[Amendment, AmendmentPart]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "adopted": self.adopted,
            "in_force": self.in_force,
            "article": self.number_cn,
            "text": self.text,
            "source_file": self.source_file,
            "status": self.status,
            "diff": [list(op) for op in self.diff],
            "amendments": [{"title": a.title, "part": p.label, "text": p.text} for a, p in self.amendments],
        }


@dataclass
class ArticleHistory:
    law_id: str
    law_title: str
    asked: str  # 第三百九十条
    versions: list[ArticleVersion]  # newest first
    earlier_amendments: list[tuple[Amendment, AmendmentPart]]  # before the oldest text in the corpus
    missing: list[str]  # versions named in the law's header whose text the corpus lacks
    data_date: str = DATA_DATE

    @property
    def changed(self) -> bool:
        return any(v.status == "changed" for v in self.versions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "law_id": self.law_id,
            "law_title": self.law_title,
            "article": self.asked,
            "versions": [v.to_dict() for v in self.versions],
            "earlier_amendments": [
                {
                    "title": a.title,
                    "adopted": a.adopted,
                    "in_force": a.in_force,
                    "part": p.label,
                    "text": p.text,
                }
                for a, p in self.earlier_amendments
            ],
            "missing_versions": self.missing,
            "data_date": self.data_date,
        }


_FOOTNOTE = re.compile(r"^[①-⑳].*$", re.M)  # an editor's note under the text (刑法's ① on 施行日期)
_INVISIBLE = re.compile(r"[\u200b-\u200f\ufeff]")


def clean_text(text: str) -> str:
    """The statute text without editors' footnotes and invisible characters, as diffs show it."""
    text = _INVISIBLE.sub("", _FOOTNOTE.sub("", text))
    return "\n".join(line for line in text.split("\n") if line.strip())


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", clean_text(text))


def align(old: tuple[ArticleRecord, ...], new: tuple[ArticleRecord, ...]) -> list[ArticleChange]:
    """Pair the articles of two versions by content: identical runs first (in order), then, inside
    each changed stretch, the most similar pairs; same-numbered leftovers pair as rewritten."""
    a, b = [_norm(x.text) for x in old], [_norm(x.text) for x in new]
    out: list[ArticleChange] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                out.append(ArticleChange(old[i], new[j], _same(old[i], new[j])))
            continue
        out += _pair_stretch(old[i1:i2], new[j1:j2], a[i1:i2], b[j1:j2])
    return out


def _same(old: ArticleRecord, new: ArticleRecord) -> Status:
    return "unchanged" if (old.number, old.suffix) == (new.number, new.suffix) else "renumbered"


def _pair_stretch(
    old: tuple[ArticleRecord, ...], new: tuple[ArticleRecord, ...], a: list[str], b: list[str]
) -> list[ArticleChange]:
    scores = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
            if sm.real_quick_ratio() >= MATCH_THRESHOLD and sm.quick_ratio() >= MATCH_THRESHOLD:
                r = sm.ratio()
                if r >= MATCH_THRESHOLD:
                    scores.append((r, i, j))
    used_old: dict[int, tuple[int, float]] = {}
    used_new: set[int] = set()
    for r, i, j in sorted(scores, key=lambda t: -t[0]):
        if i not in used_old and j not in used_new:
            used_old[i] = (j, r)
            used_new.add(j)
    by_number = {(rec.number, rec.suffix): k for k, rec in enumerate(old) if k not in used_old}
    for j, art in enumerate(new):
        left = by_number.get((art.number, art.suffix))
        if j not in used_new and left is not None and left not in used_old:
            used_old[left] = (j, difflib.SequenceMatcher(None, a[left], b[j], autojunk=False).ratio())
            used_new.add(j)
    out = [
        ArticleChange(old[i], new[j], "changed" if a[i] != b[j] else _same(old[i], new[j]), r)
        for i, (j, r) in used_old.items()
    ]
    out += [ArticleChange(None, y, "added", 0.0) for j, y in enumerate(new) if j not in used_new]
    out += [ArticleChange(x, None, "removed", 0.0) for i, x in enumerate(old) if i not in used_old]
    return out


def _title_of(path: Path) -> str:
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("# "):
                return line[2:].strip()
            if line.strip() and line.strip() != "---":
                return ""
    return ""


def _header(path: Path) -> tuple[str, ...]:
    lines: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip() == INFO_END:
                return tuple(lines)
            if line.strip() and not line.startswith("#"):
                lines.append(line.strip())
    return ()


def _iso(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def amended_law_name(title: str) -> str | None:
    """刑法修正案（十二） → 刑法; 关于修改《中华人民共和国民事诉讼法》的决定 → 民事诉讼法; else None."""
    m = _DECISION.search(title)
    if m:
        return short_title_of(m.group("law").replace("〈", "").replace("〉", ""))
    short = short_title_of(title)
    m = _AMENDMENT.match(short)
    return m.group("law") if m and m.group("law") != "宪法" else None


class LawLibrary:
    """The laws of one corpus root, read lazily: titles first, a law's files when it is asked about."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._files: dict[str, list[Path]] = defaultdict(list)
        self._amendment_files: dict[str, list[Path]] = defaultdict(list)
        self._titles: dict[str, str] = {}
        self._versions: dict[str, list[LawVersion]] = {}
        self._amendments: dict[str, list[Amendment]] = {}
        self._alignments: dict[tuple[str, str, str], list[ArticleChange]] = {}
        self._lock = threading.RLock()
        self._scan()

    def _scan(self) -> None:
        for folder in _HISTORY_FOLDERS:
            base = self.root / folder
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*.md")):
                if path.name in _SKIP:
                    continue
                title = _title_of(path)
                if not title:
                    continue
                target = amended_law_name(title)
                if target:
                    self._amendment_files[law_id_of(target)].append(path)
                    continue
                law_id = law_id_of(short_title_of(title))
                self._files[law_id].append(path)
                self._titles.setdefault(law_id, title)

    # --- names ---------------------------------------------------------------------------------
    @property
    def law_ids(self) -> list[str]:
        return sorted(self._files)

    def resolve_law(self, name: str) -> str:
        """The law id for a name: exact, else the one law whose name ends with it, else contains it."""
        norm = law_id_of(short_title_of(name.strip().strip("《》")))
        if norm in self._files:
            return norm
        for test in (lambda k: k.endswith(norm), lambda k: norm in k):
            found = sorted(k for k in self._files if test(k))
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise AmbiguousLawError(name, found)
        raise HistoryError(f"语料库中没有名为“{name}”的法律（数据截至 {DATA_DATE}）")

    def find_law_in(self, text: str) -> str | None:
        """The longest law name that occurs in a free-text question (刑法, 民事诉讼法 …)."""
        compact = _norm(text).replace("中华人民共和国", "")
        best = max((k for k in self._files if len(k) >= 2 and k in compact), key=len, default=None)
        return best

    # --- versions and amendments ---------------------------------------------------------------
    def versions(self, law_id: str) -> list[LawVersion]:
        """The law's versions in the corpus, oldest first."""
        with self._lock:
            if law_id not in self._versions:
                self._versions[law_id] = self._load_versions(law_id)
            return self._versions[law_id]

    def _load_versions(self, law_id: str) -> list[LawVersion]:
        docs: list[LawDocument] = []
        for path in self._files.get(law_id, []):
            try:
                docs.append(parse_law_file(path, self.root))
            except LawParseError:
                continue
        groups: dict[str, list[LawDocument]] = defaultdict(list)
        for doc in resolve_versions(docs, today=DATA_DATE):
            if "~" not in doc.version:  # a rival copy of the same date is not a version of its own
                groups[doc.version].append(doc)
        amendments = self.amendments(law_id)
        out = []
        for version, group in sorted(groups.items()):
            arts = tuple(
                sorted(
                    (a for d in group for a in d.articles if a.numbering == "article"),
                    key=lambda a: (a.number, a.suffix),
                )
            )
            if not arts:
                continue
            first = group[0]
            in_force = first.effective if first.effective and first.effective >= version else None
            same_day = [a for a in amendments if a.adopted == version and a.in_force]
            out.append(
                LawVersion(
                    law_id=law_id,
                    title=first.title,
                    version=version,
                    adopted=first.amended or first.adopted or version,
                    in_force=in_force or (same_day[0].in_force if same_day else None),
                    source_files=tuple(d.source_file for d in group),
                    articles=arts,
                    header=_header(self.root / first.source_file),
                )
            )
        return out

    def amendments(self, law_id: str) -> list[Amendment]:
        """The amendments of a law in the corpus, oldest first."""
        with self._lock:
            if law_id not in self._amendments:
                found = [
                    a
                    for p in self._amendment_files.get(law_id, [])
                    if (a := self._parse_amendment(p, law_id))
                ]
                self._amendments[law_id] = sorted(found, key=lambda a: a.adopted or "")
            return self._amendments[law_id]

    def _parse_amendment(self, path: Path, law_id: str) -> Amendment | None:
        try:
            doc = parse_law_file(path, self.root)
        except LawParseError:
            return None
        parts, in_force = [], None
        for rec in doc.articles:
            lead = rec.text.split("“", 1)[0]  # the quoted new wording may cite other articles
            # the articles the part changes; "在第X条后增加一条" only says where the new one goes
            targets = tuple(article_keys(lead, places=False))
            m = _IN_FORCE.search(rec.text)
            if m and not targets:
                in_force = _iso(m.group("date"))
            parts.append(AmendmentPart(rec.number_cn, rec.text, targets))
        return Amendment(
            doc.title, law_id, doc.adopted, in_force or doc.effective, doc.source_file, tuple(parts)
        )

    def find_amendment(self, name: str) -> Amendment:
        """修正案（十二） or 刑法修正案（十二） → the amendment; ambiguous or unknown names raise."""
        norm = _norm(name).replace("中华人民共和国", "").replace("(", "（").replace(")", "）")
        every = [a for law in self._amendment_files for a in self.amendments(law)]
        found = [a for a in every if short_title_of(a.title) == norm] or [
            a for a in every if short_title_of(a.title).endswith(norm)
        ]
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousLawError(name, [short_title_of(a.title) for a in found])
        raise HistoryError(f"语料库中没有“{name}”（数据截至 {DATA_DATE}）")

    def alignment(self, old: LawVersion, new: LawVersion) -> list[ArticleChange]:
        key = (old.law_id, old.version, new.version)
        with self._lock:
            if key not in self._alignments:
                self._alignments[key] = align(old.articles, new.articles)
            return self._alignments[key]

    def compare(
        self, law_id: str, version: str | None = None
    ) -> tuple[LawVersion, LawVersion, list[ArticleChange]]:
        """A version (the newest by default; a year such as '2023' picks that year's) against the one before."""
        versions = self.versions(law_id)
        if len(versions) < 2:
            have = "、".join(v.version for v in versions) or "无"
            raise HistoryError(
                f"语料库中{law_id}只有一个版本（{have}），无法比较修改（数据截至 {DATA_DATE}）"
            )
        if version is None:
            i = len(versions) - 1
        else:
            hits = [k for k, v in enumerate(versions) if v.version.startswith(version)]
            if not hits:
                have = "、".join(v.version for v in versions)
                raise HistoryError(f"语料库中没有{law_id} {version} 年的版本；现有版本：{have}")
            i = hits[-1]
        if i == 0:
            raise HistoryError(
                f"语料库中没有{law_id}在 {versions[0].version} 之前的版本，无法说明该版本改了什么"
            )
        return versions[i - 1], versions[i], self.alignment(versions[i - 1], versions[i])

    # --- one article ---------------------------------------------------------------------------
    def article_history(self, law_name: str, number: int, suffix: int = 0) -> ArticleHistory:
        law_id = self.resolve_law(law_name)
        versions = self.versions(law_id)
        label = article_label(number, suffix)
        start = next(
            (k for k in range(len(versions) - 1, -1, -1) if versions[k].article(number, suffix)), None
        )
        if start is None:
            have = "、".join(v.version for v in versions) or "无"
            raise HistoryError(f"{law_id}没有{label}（语料库中的版本：{have}；数据截至 {DATA_DATE}）")
        amendments = self.amendments(law_id)
        rec = versions[start].article(number, suffix)
        out: list[ArticleVersion] = []
        k = start
        while rec is not None:
            v = versions[k]
            older = versions[k - 1] if k > 0 else None
            prev: ArticleRecord | None = None
            status: Status | Literal["oldest"] = "oldest"
            if older is not None:
                prev, status = self._previous(older, v, rec)
            since = older.version if older else ""
            touched = [
                (a, p)
                for a in amendments
                if since < (a.adopted or "") <= v.version
                for p in a.parts_for(rec.number, rec.suffix)
            ]
            out.append(
                ArticleVersion(
                    version=v.version,
                    adopted=v.adopted,
                    in_force=v.in_force,
                    number_cn=rec.number_cn,
                    number=rec.number,
                    suffix=rec.suffix,
                    text=rec.text,
                    source_file=rec.source_file,
                    status=status,
                    diff=char_diff(clean_text(prev.text), clean_text(rec.text))
                    if prev is not None and status == "changed"
                    else [],
                    amendments=touched if older is not None else [],
                )
            )
            if older is None or prev is None:
                break
            rec, k = prev, k - 1
        oldest = out[-1]
        earlier = [
            (a, p)
            for a in amendments
            if (a.adopted or "") <= oldest.version
            for p in a.parts_for(oldest.number, oldest.suffix)
        ]
        known = {v.version for v in versions}
        missing = [d for d in _header_dates(versions[-1].header) if d < oldest.version and d not in known]
        title = versions[-1].title
        return ArticleHistory(law_id, title, label, out, earlier, missing)

    def _previous(
        self, older: LawVersion, newer: LawVersion, rec: ArticleRecord
    ) -> tuple[ArticleRecord | None, Status]:
        for change in self.alignment(older, newer):
            if change.new is rec:
                return change.old, change.status
        return None, "added"


def _header_dates(header: tuple[str, ...]) -> list[str]:
    """Dates of the texts a law's header names: the first adoption, then each revision (修正, 修订,
    修正案, a 决定 that amends it)."""
    out = []
    for k, line in enumerate(header):
        if k == 0 or _REVISION_LINE.search(line):
            d = _iso(line)
            if d:
                out.append(d)
    return sorted(set(out))


_LIBRARIES: dict[Path, LawLibrary] = {}
_LIB_LOCK = threading.Lock()


def library_for(root: Path) -> LawLibrary:
    """One LawLibrary per corpus root and process (scanning titles reads every file's first line)."""
    key = Path(root).resolve()
    with _LIB_LOCK:
        if key not in _LIBRARIES:
            _LIBRARIES[key] = LawLibrary(key)
        return _LIBRARIES[key]
