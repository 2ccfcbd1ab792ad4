"""Criminal Law article → official charge names (罪名), from the corpus's own documents.

Sources, applied in date order: the 最高人民检察院 1997 opinion on charge names (the base list),
then the 确定罪名的补充规定 (一)–(八), each of which adds charges for new articles and cancels or
renames old ones ("（取消A罪罪名）", "罪名由“A罪”修改为“B罪”"). The sentencing reference's
crime-mapping.json fills charges the documents miss (its article text predates 修正案（十一）, so
only its charge → article number is used, and never for a cancelled name).
Names are stored without the final 罪.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpora.cases import normalize_charge
from corpora.citations import ARTICLE_KEY, NUM, article_keys
from corpora.laws import INFO_END, decode_law_bytes
from corpora.numerals import cn_to_int, parse_article_label

ArticleKey = tuple[int, int]  # (number, suffix): 第一百三十三条之一 → (133, 1)

# 1997 opinion: "12．资敌罪（第112条）"; names may hold short brackets: 偷越国（边）境罪
_OPINION_ITEM = re.compile(
    rf"(?P<charge>(?:[^\s．（）\d|]|（[^（）第]{{1,3}}）)+?罪)（(?P<refs>{ARTICLE_KEY.pattern}[^）]*)）"
)
_CANCEL = re.compile(r"[（(]取消(.+?)罪名[）)]")
_RENAME = re.compile(rf"{ARTICLE_KEY.pattern}[^“]*?罪名由“(?P<old>.+?)”修改为“(?P<new>.+?)”")

OPINION_GLOB = "*适用刑法分则规定的犯罪的罪名的意见*.md"
SUPPLEMENT_GLOB = "*确定罪名的补充规定*.md"
CRIME_MAPPING = Path("sentencing/lawllm_cupl_buaa_reference/crime-mapping.json")


class ChargeMapError(RuntimeError):
    """The charge-name documents are missing from the corpus."""


def _keys(text: str) -> list[ArticleKey]:
    return article_keys(text)


def _names(cell: str) -> list[str]:
    """'A罪 B罪；C罪' → [A, B, C]; spaces inside one name (line wraps) are dropped."""
    cell = re.sub(r"(?<!罪)\s+", "", cell.strip())
    return [
        normalize_charge(n) for n in re.split(r"(?<=罪)[\s；;]+|(?<=[^犯]罪)、", cell) if n.endswith("罪")
    ]


def _cancelled(text: str) -> list[str]:
    out: list[str] = []
    for inner in _CANCEL.findall(text):
        inner = re.sub(rf"^刑法原{ARTICLE_KEY.pattern}(?:第{NUM}[款项])*", "", inner)
        out += [normalize_charge(n) for n in re.findall(r"(.+?罪)(?:和|、|及|$)", inner)]
    return out


def _is_part_of(part: str, name: str) -> bool:
    """'贩卖、运输毒品' is a part of '走私、贩卖、运输、制造毒品'; '窝藏' of '窝藏、包庇'.

    A selective charge name lists acts (or objects) joined by 、 around a shared tail; a part
    keeps the tail (at least two characters) and some of the listed items.
    """
    if part == name or len(part) < 2:
        return False
    items = name.split("、")
    if part in (items[0], items[-1]):  # a middle item ("运输") is a bare act without its object
        return True
    tail = 0
    while tail < min(len(part), len(name)) and part[-1 - tail] == name[-1 - tail]:
        tail += 1
    if tail < 2 or tail >= len(part):
        return False
    head, name_head = part[:-tail], name[:-tail]
    return bool(head) and set(head.split("、")) <= set(name_head.split("、")) and head != name_head


@dataclass
class ChargeMap:
    by_article: dict[ArticleKey, list[str]] = field(default_factory=dict)
    former: dict[str, list[ArticleKey]] = field(default_factory=dict)  # cancelled/renamed names
    renamed: dict[str, list[str]] = field(default_factory=dict)  # old name → the names that replaced it
    sources: list[str] = field(default_factory=list)
    # the 款 the 1997 opinion gives a charge (失火罪（第115条第2款）): (name, article) → paragraph. Amendments have
    # since inserted 款 in some articles (第三百五十八条), so a reader weighs it only where nothing else decides
    paragraphs: dict[tuple[str, ArticleKey], int] = field(default_factory=dict)

    def documented_paragraph(self, name: str, key: ArticleKey) -> int | None:
        """The 款 (1-based) the 1997 opinion names for this charge in this article, or None."""
        return self.paragraphs.get((normalize_charge(name), key))

    def add(self, key: ArticleKey, name: str) -> None:
        names = self.by_article.setdefault(key, [])
        if name and name not in names:
            names.append(name)

    def cancel(self, name: str, replacements: list[str]) -> None:
        keys = [k for k, names in self.by_article.items() if name in names]
        for k in keys:
            self.by_article[k].remove(name)
        if keys or name not in self.former:
            self.former[name] = list(dict.fromkeys([*self.former.get(name, []), *keys]))
        self.renamed[name] = [r for r in replacements if r != name]

    def charges_for(self, article: int, suffix: int = 0) -> list[str]:
        """Current charge names of an article: 264 → ['盗窃'], (133, 1) → ['危险驾驶']."""
        return list(self.by_article.get((article, suffix), []))

    def article_keys_for(self, charge: str) -> list[ArticleKey]:
        """(number, suffix) of the articles defining a charge; cancelled names and the parts of
        selective names ("贩卖毒品" of 走私、贩卖、运输、制造毒品) resolve too."""
        keys: set[ArticleKey] = set()
        for name in self.official_names(charge):
            keys |= {k for k, names in self.by_article.items() if name in names}
            keys |= set(self.former.get(name, []))
        return sorted(keys)

    def official_names(self, charge: str) -> list[str]:
        """The official names a charge refers to: itself, its variants (帐/账), a cancelled name as
        such, else the selective names it is a part of (judgments write 贩卖毒品, 非法持有枪支)."""
        current = set(self.all_charges())
        variants = [normalize_charge(charge)]  # normalize_charge also writes 帐 as 账
        exact = [v for v in variants if v in current or v in self.former]
        if exact:
            return exact[:1]
        return sorted({n for n in current if any(_is_part_of(v, n) for v in variants)})

    def articles_for(self, charge: str) -> list[int]:
        """Article numbers of a charge (brackets and 罪 ignored): '盗窃罪' → [264]."""
        return sorted({n for n, _ in self.article_keys_for(charge)})

    def all_charges(self) -> list[str]:
        return sorted({n for names in self.by_article.values() for n in names})

    def current_name(self, charge: str) -> list[str]:
        """A cancelled name → the name(s) that replaced it, followed through later renames."""
        out: list[str] = []
        seen: set[str] = set()
        todo = [normalize_charge(charge)]
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            if self.renamed.get(name):
                todo += self.renamed[name]
            else:
                out.append(name)
        return out


def _body(path: Path) -> str:
    text, _ = decode_law_bytes(path.read_bytes())
    return text.split(INFO_END, 1)[-1]


_OPINION_PARAGRAPH = re.compile(r"第(\d+)条(?:之(\d+))?第(\d+)款")


def _apply_opinion(cmap: ChargeMap, body: str) -> None:
    for item in _OPINION_ITEM.finditer(body):
        name, refs = item.group("charge"), item.group("refs")
        for key in _keys(refs):
            cmap.add(key, normalize_charge(name))
        for m in _OPINION_PARAGRAPH.finditer(refs):  # 第115条第2款: the first 款 named for each article
            key = (int(m.group(1)), int(m.group(2) or 0))
            cmap.paragraphs.setdefault((normalize_charge(name), key), int(m.group(3)))


def _apply_supplement(cmap: ChargeMap, body: str) -> None:
    refs = ""
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 2 or "罪" not in cells[1] or cells[1] == "罪名":
            continue
        if ARTICLE_KEY.search(cells[0]):
            refs = re.split(r"[（(]《", cells[0])[0]  # drop "（《刑法修正案（十一）》第二条）"
        if refs and (not cells[0] or ARTICLE_KEY.search(cells[0])):  # an empty cell continues the row above
            cancelled = _cancelled(cells[1])
            names = _names(_CANCEL.sub(" ", cells[1]))
            for old in cancelled:
                cmap.cancel(old, names)
            for key in _keys(refs):
                for name in names:
                    cmap.add(key, name)
    for m in _RENAME.finditer(body):
        key = (cn_to_int(m.group("num")), cn_to_int(m.group("suf")) if m.group("suf") else 0)
        old, new = normalize_charge(m.group("old")), normalize_charge(m.group("new"))
        cmap.cancel(old, [new])
        cmap.add(key, new)


def _supplement_order(path: Path) -> str:
    m = re.search(r"\((\d{4}-\d{2}-\d{2})\)", path.name)
    return m.group(1) if m else "9999"


def _apply_crime_mapping(cmap: ChargeMap, path: Path, later: Iterable[str] = ()) -> int:
    """Add the sentencing reference's charge names the documents lack; `later` are the names the
    supplements after the chosen day brought in, which were not in force on it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(cmap.all_charges()) | set(cmap.former) | set(later)
    added = 0
    for charge, text in data.items():
        # Keys like "故意杀人罪2", "盗窃罪-发票", "受贿罪的处罚规定" are notes, not charge names.
        if not re.fullmatch(r"[^\x00-\x7f]+罪", charge) or "之罪" in charge or "转化" in charge:
            continue
        name = normalize_charge(charge)
        label = parse_article_label(str(text).strip())
        if name in known or label is None:
            continue
        cmap.add((label[0], label[1]), name)
        added += 1
    return added


def load_charge_map(corpus_root: Path, as_of: str | None = None) -> ChargeMap:
    """Build the article → charge map from `corpus_root/laws/司法解释` (+ the sentencing reference).

    `as_of` (ISO date) gives the names in force on that day: supplements published later are left
    out. Judgments use the names of their time (CAIL2018's cases predate 补充规定（七）, 2021).
    """
    root = Path(corpus_root)
    folder = root / "laws" / "司法解释"
    opinions = sorted(folder.glob(OPINION_GLOB))
    if not opinions:
        raise ChargeMapError(f"no charge-name opinion ({OPINION_GLOB}) in {folder}")
    cmap = ChargeMap()
    _apply_opinion(cmap, _body(opinions[0]))
    cmap.sources.append(opinions[0].relative_to(root).as_posix())
    # names a later supplement brought in (强制猥亵、侮辱 in 2015) were not in force on `as_of`; the
    # sentencing reference lists today's names, so it must not bring them back
    later = ChargeMap()
    for path in sorted(folder.glob(SUPPLEMENT_GLOB), key=_supplement_order):
        if as_of is not None and _supplement_order(path) > as_of:
            _apply_supplement(later, _body(path))
            continue
        _apply_supplement(cmap, _body(path))
        cmap.sources.append(path.relative_to(root).as_posix())
    if (root / CRIME_MAPPING).is_file():
        _apply_crime_mapping(cmap, root / CRIME_MAPPING, later.all_charges())
        cmap.sources.append(CRIME_MAPPING.as_posix())
    return cmap


def naming_dates(corpus_root: Path) -> list[str | None]:
    """One date inside each period of charge naming: the day before each supplement after the
    first took effect, then None (today's names)."""
    from datetime import date, timedelta

    folder = Path(corpus_root) / "laws" / "司法解释"
    starts = sorted({_supplement_order(p) for p in folder.glob(SUPPLEMENT_GLOB)} - {"9999"})
    days = [(date.fromisoformat(d) - timedelta(days=1)).isoformat() for d in starts[1:]]
    return [*days, None]


def as_of_for_labels(corpus_root: Path, labels: Iterable[str]) -> str | None:
    """The naming period whose official names cover most of `labels` (a dataset's gold charge
    names; ties go to the later period). CAIL2018's labels use the names from before 补充规定（六）
    (2015): 强制猥亵、侮辱妇女, 伪造、变造居民身份证. Only names are compared, never predictions."""
    counts = Counter(normalize_charge(x) for x in labels)
    best: tuple[int, int] = (-1, -1)
    chosen: str | None = None
    for i, day in enumerate(naming_dates(corpus_root)):
        names = set(load_charge_map(corpus_root, as_of=day).all_charges())
        covered = sum(n for label, n in counts.items() if label in names)
        if (covered, i) > best:
            best, chosen = (covered, i), day
    return chosen
