"""Parse one LawRefBook-format Markdown law file into a LawDocument of ArticleRecords.

Format (see ../shared/corpora/README.md): line 1 `# 标题` (民法典 parts add a `#` subtitle),
header lines with dates up to `<!-- INFO END -->`, headings `##`/`###`/`####` for 编/章/节,
articles as lines starting `第X条 `. Documents without articles are split by `一、` parts, or
kept whole. Version handling across files lives in corpora.versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpora.numerals import ARTICLE_LABEL, cn_to_int, parse_article_label
from corpora.records import ArticleRecord

INFO_END = "<!-- INFO END -->"
PRC = "中华人民共和国"

# An article line: the label followed by whitespace (or nothing). "第三十一条的决定" is prose.
_ARTICLE_LINE = re.compile(ARTICLE_LABEL.pattern + r"(?:[\s　]|$)")  # the one article label, then a space
_PART_LINE = re.compile(r"^([一二三四五六七八九十百]+)、")
_HEADING = re.compile(r"^(#{2,6})\s*(.*?)\s*#*\s*$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})")
_FILE_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")
# Version marks in titles: （2010年修订） (2023-12-29) （1988年）
_VERSION_MARK = re.compile(r"\s*[（(](?:\d{4}年[^）)]*|\d{4}-\d{2}-\d{2})[）)]\s*$")
_JUDICIAL_TITLE = re.compile(r"^(?:最高人民法院|最高人民检察院).*(?:解释|批复|规定|决定|意见|答复)")

# Top folders of laws/ whose documents are statutes passed by the NPC or its standing committee.
LAW_FOLDERS = {"刑法", "民法典", "民法商法", "经济法", "行政法", "社会法", "诉讼与非诉讼程序法", "宪法相关法"}
FOLDER_KINDS = {
    "宪法": "宪法",
    "行政法规": "行政法规",
    "司法解释": "司法解释",
    "部门规章": "部门规章",
    "案例": "案例",
}


class LawParseError(ValueError):
    """A law file that yields no usable document; `line` is 1-based (0 when not line-specific)."""

    def __init__(self, reason: str, line: int = 0, file: str = "") -> None:
        self.reason, self.line, self.file = reason, line, file
        where = f"{file}:{line}" if file and line else (file or (f"line {line}" if line else ""))
        super().__init__(f"{where}: {reason}" if where else reason)


@dataclass
class LawDocument:
    """One file's law (or one part of a law split over files, like 民法典's 编)."""

    title: str
    short_title: str
    law_id: str
    kind: str
    category: str
    adopted: str | None = None
    amended: str | None = None
    effective: str | None = None
    version: str = ""
    source_file: str = ""
    articles: list[ArticleRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    subtitle: str = ""  # 民法典 parts: 总则, 合同编 …

    @property
    def numbering(self) -> str:
        return self.articles[0].numbering if self.articles else "whole"

    @property
    def in_force_from(self) -> str:
        """The date from which this version applies: effective date, else version date."""
        return self.effective or self.version


def short_title_of(title: str) -> str:
    """中华人民共和国专利法实施细则（2010年修订） → 专利法实施细则."""
    t = re.sub(r"\s+", "", title)
    # An amendment's year is its identity, not a version: 宪法修正案（1988年） ≠ 宪法修正案（1993年）.
    while "修正案" not in t:
        stripped = _VERSION_MARK.sub("", t)
        if stripped == t:
            break
        t = stripped
    if t.startswith(PRC) and len(t) > len(PRC):
        t = t[len(PRC) :]
    return t


def law_id_of(short_title: str) -> str:
    """Normalised identity across versions: half-width brackets, no spaces or 《》."""
    table = str.maketrans({"(": "（", ")": "）", "《": "", "》": "", "〈": "", "〉": ""})
    return re.sub(r"\s+", "", short_title).translate(table)


def classify_kind(category: str, title: str) -> str:
    """Document kind from its top folder, corrected by the title where the folder is generic."""
    if category in FOLDER_KINDS:
        return FOLDER_KINDS[category]
    if _JUDICIAL_TITLE.match(title):
        return "司法解释"
    if category in LAW_FOLDERS:
        return "法律"
    if re.search(r"(条例|实施细则|实施办法)$", title):
        return "行政法规"
    return "其他"


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def parse_header_dates(lines: list[str]) -> dict[str, str | None]:
    """adopted (first 通过/公布/发布), amended (latest 修正/修订/修改), effective (latest 施行/生效).

    A line may carry several dates ("2002年3月15日…公布 自2002年3月26日起施行"): each date is
    classified by the text that follows it up to the next date.
    """
    adopted: list[str] = []
    amended: list[str] = []
    effective: list[str] = []
    for line in lines:
        matches = list(_DATE.finditer(line))
        for i, m in enumerate(matches):
            iso = _iso(m)
            if iso is None:
                continue
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            tail = line[m.end() : end]
            if re.search(r"施行|生效", tail):
                effective.append(iso)
            elif re.search(r"修正|修订|修改", tail):
                amended.append(iso)
            else:  # 通过 / 公布 / 发布 / 批准, or a bare date
                adopted.append(iso)
    return {
        "adopted": min(adopted) if adopted else None,
        "amended": max(amended) if amended else None,
        "effective": max(effective) if effective else None,
    }


def decode_law_bytes(data: bytes) -> tuple[str, list[str]]:
    """UTF-8, else GB18030 with a warning; LawParseError when neither decodes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), ["not UTF-8: decoded as GB18030"]
    except UnicodeDecodeError as e:
        raise LawParseError(f"cannot decode as UTF-8 or GB18030 (byte {e.start})") from e


@dataclass
class _Block:
    label: str  # 第X条 / 一、 / ""
    number: int
    suffix: int
    path: tuple[str, ...]
    lines: list[str]


def _split_front(lines: list[str]) -> tuple[str, str, list[str], list[tuple[int, str]]]:
    """(title, subtitle, header lines, numbered body lines)."""
    i = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        i = end + 1 if end is not None else 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not re.match(r"^#\s+\S", lines[i]):
        raise LawParseError("no title: the first line is not '# 标题'", i + 1 if i < len(lines) else 0)
    title = lines[i].lstrip("#").strip()
    i += 1
    subtitle = ""
    while i < len(lines) and (not lines[i].strip() or re.match(r"^#\s+\S", lines[i])):
        if lines[i].strip() and not subtitle:
            subtitle = lines[i].lstrip("#").strip()
        i += 1
    rest = list(enumerate(lines[i:], start=i + 1))
    end = next((k for k, (_, s) in enumerate(rest) if s.strip() == INFO_END), None)
    if end is None:
        return title, subtitle, [], rest
    return title, subtitle, [s for _, s in rest[:end]], rest[end + 1 :]


def _blocks(body: list[tuple[int, str]], subtitle: str, mode: str) -> list[_Block]:
    """Group body lines into articles (mode 'article') or parts (mode 'part')."""
    heads: list[str] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    for _, raw in body:
        line = raw.strip()
        if not line or (line.startswith("<!--") and line.endswith("-->")):
            continue
        h = _HEADING.match(line)
        if h:
            level = len(h.group(1)) - 2
            heads = [*heads[:level], *[""] * (level - len(heads)), re.sub(r"\s+", " ", h.group(2))]
            current = None  # a heading ends the article above it
            continue
        path = tuple(p for p in ([subtitle] if subtitle else []) + heads if p)
        label = _label(line, mode)
        if label is not None:
            number, suffix, text = label
            current = _Block(text, number, suffix, path, [line[len(text) :].strip()])
            blocks.append(current)
        elif current is not None:
            current.lines.append(line)
    return blocks


def _label(line: str, mode: str) -> tuple[int, int, str] | None:
    if mode == "article":
        if not _ARTICLE_LINE.match(line):
            return None
        return parse_article_label(line)
    m = _PART_LINE.match(line)
    return (cn_to_int(m.group(1)), 0, m.group(0)) if m else None


def _body_mode(body: list[tuple[int, str]]) -> str:
    texts = [s.strip() for _, s in body]
    if any(_ARTICLE_LINE.match(t) for t in texts):
        return "article"
    if any(_PART_LINE.match(t) for t in texts):
        return "part"
    return "whole"


def _file_date(rel_path: str) -> str:
    m = _FILE_DATE.search(Path(rel_path).name)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def parse_law_text(text: str, rel_path: str, category: str) -> LawDocument:
    """Parse the text of one law file. `rel_path` is relative to the corpus root."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title, subtitle, header, body = _split_front(lines)
    if subtitle == title:
        subtitle = ""
    dates = parse_header_dates(header)
    if not any(dates.values()):  # some files put "（…通过 …公布 自…起施行）" right after INFO END
        first = next((s.strip() for _, s in body if s.strip()), "")
        if first[:1] in "（(":
            dates = parse_header_dates([first])
    candidates = [d for d in (dates["adopted"], dates["amended"], _file_date(rel_path)) if d]
    version = max(candidates) if candidates else (dates["effective"] or "")
    short = short_title_of(title)
    doc = LawDocument(
        title=title,
        short_title=short,
        law_id=law_id_of(short),
        kind=classify_kind(category, title),
        category=category,
        version=version,
        source_file=rel_path,
        subtitle=subtitle,
        adopted=dates["adopted"],
        amended=dates["amended"],
        effective=dates["effective"],
    )
    doc.articles = _records(doc, body)
    if not doc.articles:
        raise LawParseError("no text after the header", len(lines))
    if doc.numbering == "whole" and INFO_END not in text and not any(dates.values()):
        # Kept whole is right for an amendment or a 罪名 list (every one of the corpus's 76 has a dated
        # header); a titled text with neither numbering nor header is not a law (a shopping list).
        raise LawParseError(
            f"not a law text: no 第X条 or 一、 numbering, and no header of dates ending in {INFO_END}", 1
        )
    return doc


def check_law_bytes(data: bytes, rel_path: str, max_bytes: int) -> LawDocument:
    """THE check of one law file offered to the index (upload, `index add`): size, encoding, format.

    The same parser as the corpus loader, so a file is a law here exactly when a corpus build would
    index it; GB18030 is accepted and says so in the document's warnings."""
    if len(data) > max_bytes:
        raise LawParseError(f"{len(data):,} bytes, more than the limit of {max_bytes:,} bytes")
    text, warnings = decode_law_bytes(data)
    doc = parse_law_text(text, rel_path, category_of(rel_path))
    doc.warnings[:0] = warnings
    return doc


def _record(
    doc: LawDocument, number: int, suffix: int, label: str, mode: str, text: str, path: tuple[str, ...]
) -> ArticleRecord:
    return ArticleRecord(
        law_title=doc.title,
        short_title=doc.short_title,
        law_id=doc.law_id,
        kind=doc.kind,
        category=doc.category,
        number=number,
        suffix=suffix,
        number_cn=label,
        numbering=mode,
        text=text,
        path=path,
        version=doc.version,
        adopted=doc.adopted,
        amended=doc.amended,
        effective=doc.effective,
        source_file=doc.source_file,
    )


def _records(doc: LawDocument, body: list[tuple[int, str]]) -> list[ArticleRecord]:
    mode = _body_mode(body)
    if mode == "whole":
        paragraphs = [s.strip() for _, s in body if s.strip() and not s.strip().startswith("<!--")]
        paragraphs = [p for p in paragraphs if not _HEADING.match(p)] or paragraphs
        if not paragraphs:
            return []
        path = (doc.subtitle,) if doc.subtitle else ()
        return [_record(doc, 1, 0, "全文", "whole", "\n".join(paragraphs), path)]
    records: list[ArticleRecord] = []
    seen: set[tuple[int, int]] = set()
    for block in _blocks(body, doc.subtitle, mode):
        key = (block.number, block.suffix)
        if key in seen:
            # A repeated label (a quoted article, a restarted list) would collide in the index.
            doc.warnings.append(f"repeated {block.label} kept as part of the text above it")
            records[-1] = _append(records[-1], block)
            continue
        seen.add(key)
        text = "\n".join(p for p in block.lines if p)
        records.append(_record(doc, block.number, block.suffix, block.label, mode, text, block.path))
    return records


def _append(record: ArticleRecord, block: _Block) -> ArticleRecord:
    extra = "\n".join([block.label + block.lines[0], *block.lines[1:]]).strip()
    return replace(record, text=f"{record.text}\n{extra}" if record.text else extra)


def category_of(rel_path: str) -> str:
    """Top folder under laws/ (or laws_history/): 'laws/刑法/刑法.md' → '刑法'."""
    parts = Path(rel_path).parts
    if parts and parts[0] in ("laws", "laws_history"):
        parts = parts[1:]
    return parts[0] if len(parts) > 1 else "其他"


def parse_law_file(path: Path, corpus_root: Path) -> LawDocument:
    """Read and parse one file; errors carry the path relative to the corpus root."""
    try:
        rel = path.resolve().relative_to(corpus_root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LawParseError(f"cannot read: {e.strerror or e}", 0, rel) from e
    try:
        text, warnings = decode_law_bytes(data)
        doc = parse_law_text(text, rel, category_of(rel))
    except LawParseError as e:
        raise LawParseError(e.reason, e.line, rel) from e
    doc.warnings[:0] = warnings
    return doc


from corpora.versions import resolve_versions, version_in_force  # noqa: E402  (re-export; versions needs LawDocument)

__all__ = [
    "LawDocument",
    "LawParseError",
    "check_law_bytes",
    "classify_kind",
    "parse_law_file",
    "parse_law_text",
    "resolve_versions",
    "short_title_of",
    "version_in_force",
]
