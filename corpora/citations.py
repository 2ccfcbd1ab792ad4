"""THE grammar of article citations: 刑法第二百六十四条, 《中华人民共和国刑法》第264条,
第一百三十三条之一, 商标法第六十三条第三款, 著作权法第十条第一款第（十二）项, and law names.

Every package reads citations through this module: the searcher (a citation in a query resolves
straight to the article), the assistant's routing and citation check, the charge-name documents
(corpora/charges.py) and the judgment cutter (finetune/judgment.py). Whoever changes how a
citation is read changes it here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpora.numerals import CN_NUM_CHARS, cn_to_int, int_to_cn

# A number as written in an article label: Chinese numerals or Arabic digits.
NUM = rf"(?:\d+|[{CN_NUM_CHARS}]+)"
# An item may be written 第十二项, 第（十二）项 or 第(12)项.
_ITEM = rf"第\s*[（(]?\s*(?P<item>{NUM})\s*[)）]?\s*项"
_ANY_ITEM = rf"第\s*[（(]?\s*{NUM}\s*[)）]?\s*项"
# More paragraphs or items of the same article, as judgments list them: 第六十七条第一款、第三款;
# 第三百八十三条第一款第（一）项、第三款; 第一款第三项、第四项. Only after a paragraph or an item.
_MORE = rf"(?:\s*[、和及]\s*(?:第\s*{NUM}\s*款(?:\s*{_ANY_ITEM})?|{_ANY_ITEM}))*"
_PARAGRAPH = re.compile(rf"第\s*({NUM})\s*款")
# 第X条(之Y)(第Z款)(第W项), the part after the law name; groups num, suf, para, item.
ARTICLE = (
    rf"第\s*(?P<num>{NUM})\s*条(?:\s*之\s*(?P<suf>{NUM}))?"
    rf"(?:\s*第\s*(?P<para>{NUM})\s*款)?(?:\s*{_ITEM})?"
)
# Any article reference, named groups as ARTICLE (routing: does the question name an article?).
ARTICLE_REF = re.compile(ARTICLE)
# Just the article and its 之 suffix, for tables that list article numbers (the 罪名 documents).
ARTICLE_KEY = re.compile(rf"第\s*(?P<num>{NUM})\s*条(?:\s*之\s*(?P<suf>{NUM}))?")
# 「在第三条后增加一条」「在第二十条之一前」: an amendment names where a new article goes, not an
# article it changes; such a key is no reference to the article.
_PLACE_KEY = re.compile(rf"{ARTICLE_KEY.pattern}(?!\s*(?:之\s*{NUM})?\s*[后前])")

# A law name written without 《》 ends in one of these; the name is at most 40 characters.
_NAME_ENDINGS = "法|条例|规定|细则|办法|解释|解答|答复|决定|规则|意见|批复|通知|宪法|法典"
# An interpretation's title names its law in 《》 (关于适用《中华人民共和国反不正当竞争法》若干问题的解释),
# so a title in 《》 may hold one nested 《…》, and a bare title may hold one after 适用 or 关于.
_INNER = r"《[^《》\n]{1,40}》"
_CJK = r"[\u4e00-\u9fff（）()]"
# A joint document's title names its issuers joined by 、 (最高人民法院、最高人民检察院关于办理盗窃…的解释): the
# name keeps them, or it would be read as the second issuer's title alone, which no law has.
_ISSUER = (
    r"最高人民法院|最高人民检察院|公安部|司法部|国家安全部|海关总署|中国海警局|国务院|中共中央|中央军事委员会"
)
_ISSUERS = rf"(?:(?:{_ISSUER})、){{1,4}}"
# Character-class runs, not an alternation per character: this pattern is tried at every position of
# every text the index parses, and the plain name (the common case) is tried first.
_BARE_NAME = (
    rf"(?:{_ISSUERS})?(?:{_CJK}{{0,38}}?|{_CJK}{{0,20}}?(?<=[用于]){_INNER}{_CJK}{{0,20}}?)(?:{_NAME_ENDINGS})"
    r"(?:（[一二三四五六七八九十]{1,3}）)?"  # the ordinal of a series: …若干问题的解释（二）第十条
)
# A law named in 《》: 《刑法》, 《最高人民法院关于适用《中华人民共和国反不正当竞争法》若干问题的解释》.
BOOK = re.compile(rf"《(?P<book>[^《》\n]{{1,80}}(?:{_INNER}[^《》\n]{{0,60}})?)》")
# A title in 《》 may carry its document number before the article: 《…盗窃…的解释》（法释〔2013〕8号）第一条.
_DOCUMENT_NUMBER = r"(?:\s*[（(][^（）()\n]{1,24}号[）)])?"
_CITATION = re.compile(
    rf"(?:{BOOK.pattern}{_DOCUMENT_NUMBER}|(?P<name>{_BARE_NAME}))?"
    rf"\s*(?:(?P<di>第)\s*(?P<num>{NUM})\s*条|(?<=[法例定则办释策典》])\s*(?P<num2>\d+)\s*条)"
    rf"(?:\s*之\s*(?P<suf>{NUM}))?"
    rf"(?:\s*第\s*(?P<para>{NUM})\s*款)?"
    rf"(?:\s*{_ITEM})?"
    rf"(?P<more>(?(para){_MORE}|(?(item){_MORE}|)))"
)
# A statute named in 《》 and the chain of its articles, as a judgment cites them:
# 《中华人民共和国刑法》第二百六十四条、第六十七条第三款.
STATUTE_CHAIN = re.compile(
    rf"《[^《》]{{2,60}}》(?:{ARTICLE_KEY.pattern}(?:\s*第\s*{NUM}\s*款)?(?:\s*{_ITEM})?[、，,和及]?)*"
)
# An article reference with an optional 《…》 or 刑法 before it (and none of the words before the
# name): what an interpretation writes when it points at the Criminal Law.
CRIMINAL_LAW_CITATION = re.compile(rf"(?:《[^《》]{{1,40}}》|(?:中华人民共和国)?刑法)?{ARTICLE}")

# Words that often stand right before a law name and are not part of it.
_LEADING_NOISE = re.compile(
    r"^(?:依照|依据|根据|按照|违反|适用|参照|对照|符合|触犯|构成|援引|引用|另见|又见|还见|参见|详见|见|即|是|在|和|及|与|或|以及|或者|按|依|据|对|的|又|还|也|并|了)+"
)
# Between two citations, a second one without a law name belongs to the first one's law.
_CONTINUATION = re.compile(r"^[\s、，,和及与或者以及]{1,4}$")
_PREFIX = "中华人民共和国"
_VERSION_MARK = re.compile(r"[（(][^（）()]*(?:\d{4}|修正|修订|试行|年)[^（）()]*[）)]$")
# "This law": the law the text is about, or named last (本解释第三条, 该规定第二条).
SELF_REFERENCE = frozenset(
    f"{this}{kind}"
    for this in ("本", "该", "此", "上述", "前述")
    for kind in ("法", "解释", "规定", "条例", "办法", "决定", "意见")
)


@dataclass(frozen=True)
class CitationRef:
    """One citation found in a text. `law` is the law name as written (None when absent)."""

    law: str | None
    number: int
    suffix: int
    span: tuple[int, int]
    text: str
    paragraph: int | None = None
    item: int | None = None
    law_inherited: bool = False  # law taken from the citation just before (刑法第X条、第Y条)
    number_text: str = ""  # the article number as written (一千零零), for the well-formedness check
    # every paragraph cited, `paragraph` first, then those listed after it (第六十七条第一款、第三款 → (1, 3))
    paragraphs: tuple[int, ...] = ()

    @property
    def law_id(self) -> str | None:
        return normalize_law_name(self.law) if self.law else None

    @property
    def article_key(self) -> str:
        return f"{self.number}-{self.suffix}" if self.suffix else str(self.number)

    @property
    def problem(self) -> str | None:
        """Why the number as written cannot be read (第一千零零条), or None."""
        return numeral_problem(self.number_text) if self.number_text else None


_INNER_TITLE = str.maketrans("〈〉", "《》")


def normalize_law_name(name: str) -> str:
    """《中华人民共和国刑法》 → 刑法; strips 《》, spaces, the 中华人民共和国 prefix and version marks.
    A title inside a title is written with 〈〉 by the rules of punctuation (《关于适用〈中华人民共和国民法典〉
    婚姻家庭编的解释（二）》) and with 《》 in the corpus's files: both read as 《》."""
    name = re.sub(r"\s+", "", name).translate(_INNER_TITLE).strip("《》")
    while True:
        stripped = _VERSION_MARK.sub("", name)
        if stripped == name:
            break
        name = stripped
    if name.startswith(_PREFIX) and len(name) > len(_PREFIX):
        name = name[len(_PREFIX) :]
    return name


def match_law_name(name: str, known: dict[str, str]) -> str | None:
    """The law id for a name as written, given `known` (normalised name or alias → law id).

    A name without 《》 may carry words before it (我想知道刑法): the longest suffix that is a
    known name wins.
    """
    norm = normalize_law_name(name)
    for start in range(len(norm)):
        hit = known.get(norm[start:])
        if hit is not None:
            return hit
    return None


def laws_matching(name: str, known: dict[str, str]) -> list[str]:
    """The law ids whose names contain `name` as written (公司法解释 → its (一)…(五)), for a name
    that is no law's name or alias; empty when the name is exact or matches nothing."""
    norm = normalize_law_name(name)
    if not norm or match_law_name(norm, known) is not None:
        return []
    return sorted({law_id for alias, law_id in known.items() if _contains_in_order(alias, norm)})


def _contains_in_order(alias: str, name: str) -> bool:
    """'公司法解释' in '公司法解释（一）' and in '最高人民法院关于适用《公司法》若干问题的解释（一）':
    the name's law part and its kind word appear in that order."""
    if name in alias:
        return True
    # 司法解释 is what people call an interpretation titled 解释 or 规定 alike (公司法解释 → 《…公司法》若干问题的规定（一）).
    kinds = {
        "解释": ("解释", "规定"),
        "规定": ("规定", "解释"),
        "意见": ("意见",),
        "条例": ("条例",),
        "办法": ("办法",),
    }
    for ending, written in kinds.items():
        if name.endswith(ending) and len(name) > len(ending) + 1:
            head = name[: -len(ending)]
            at = alias.find(head)
            return at >= 0 and any(w in alias[at + len(head) :] for w in written)
    return False


def numeral_problem(text: str) -> str | None:
    """Why a Chinese article number is not well formed (一千零零, 十十五), or None.

    cn_to_int reads many malformed numbers as some number (一千零零 → 1000); a citation must not
    silently become another article, so the number is written back in its standard form and
    compared. Accepted variants: 两 for 二, 〇 for 零, a leading 一十, 零十 for 零一十.
    """
    text = text.strip()
    if not text or text.isdigit():
        return None
    try:
        value = cn_to_int(text)
    except ValueError:
        return f"“{text}”不是有效的数字"
    if not any(ch in "十百千万" for ch in text):  # positional 一〇五: digits only
        return None if len(text) > 1 or value else f"“{text}”不是有效的条号"
    written = text.replace("两", "二").replace("〇", "零")
    written = re.sub(r"^一十", "十", written).replace("零十", "零一十")
    if value == 0:
        return f"“{text}”不是有效的条号"
    if written != int_to_cn(value):
        return f"“{text}”不是规范的中文数字，无法确定是第几条（是不是“{int_to_cn(value)}”？）"
    return None


def _clean_bare_name(name: str) -> str | None:
    # An opening bracket never closed within the name starts the citation: 情形（反不正当竞争法第九条）.
    for i in range(len(name) - 1, -1, -1):
        if name[i] in "（(" and not any(c in "）)" for c in name[i:]):
            name = name[i + 1 :]
            break
    name = _LEADING_NOISE.sub("", name)
    if name in SELF_REFERENCE:
        return name
    return name or None


def _to_int(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return cn_to_int(text)
    except ValueError:
        return None


def article_keys(text: str, *, places: bool = True) -> list[tuple[int, int]]:
    """(number, suffix) of every 第X条(之Y) in `text`, once each, in order (for tables of numbers).
    Without `places`, a key that names where something goes (第三条后增加一条) is left out."""
    pattern = ARTICLE_KEY if places else _PLACE_KEY
    keys = ((_to_int(m.group("num")), _to_int(m.group("suf")) or 0) for m in pattern.finditer(text))
    return list(dict.fromkeys((n, s) for n, s in keys if n))


def format_article(
    number: int, suffix: int = 0, paragraph: int | None = None, item: int | None = None
) -> str:
    """(63, 0, 3) → 第六十三条第三款; (10, 0, 1, 12) → 第十条第一款第（十二）项."""
    out = f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
    if paragraph:
        out += f"第{int_to_cn(paragraph)}款"
    if item:
        out += f"第（{int_to_cn(item)}）项"
    return out


def parse_citations(text: str) -> list[CitationRef]:
    """Every article citation in `text`, in order of appearance."""
    refs: list[CitationRef] = []
    for m in _CITATION.finditer(text):
        number = _to_int(m.group("num") or m.group("num2"))
        if number is None or number == 0:
            continue
        law = m.group("book") or (_clean_bare_name(m.group("name")) if m.group("name") else None)
        if m.group("num2") and not law:
            continue  # "264条" alone is too ambiguous to be a citation
        start = (
            m.start("book") - 1 if m.group("book") else (m.start("name") if m.group("name") else m.start())
        )
        if law and m.group("name"):
            start = m.end("name") - len(law)
        inherited = False
        if law is None and refs and _CONTINUATION.match(text[refs[-1].span[1] : start]):
            law, inherited = refs[-1].law, refs[-1].law is not None
        paragraph = _to_int(m.group("para"))
        more = [_to_int(p) for p in _PARAGRAPH.findall(m.group("more"))]
        refs.append(
            CitationRef(
                law=law,
                number=number,
                suffix=_to_int(m.group("suf")) or 0,
                span=(start, m.end()),
                text=text[start : m.end()],
                paragraph=paragraph,
                item=_to_int(m.group("item")),
                law_inherited=inherited,
                number_text=m.group("num") or m.group("num2") or "",
                paragraphs=tuple(p for p in (paragraph, *more) if p),
            )
        )
    return refs


# 「依照本法第二百六十三条的规定定罪处罚」 (convicts as that article's crime) and 「依照本法第三百八十三条的规定处罚」
# (punished by that article's penalties), inside an article's text
_REFERRED = re.compile(rf"依照本法{ARTICLE_KEY.pattern}的规定(?P<convicts>定罪)?处罚")


def referred_articles(text: str) -> list[tuple[int, int, bool]]:
    """(number, suffix, convicts) for each 「依照本法第X条的规定(定罪)处罚」 in an article's text: `convicts` when
    the article convicts as that article's crime (定罪处罚), not only punishes by its penalties."""
    found = (
        (_to_int(m.group("num")), _to_int(m.group("suf")) or 0, bool(m.group("convicts")))
        for m in _REFERRED.finditer(text)
    )
    return [(n, x, convicts) for n, x, convicts in found if n]


def convicts_as(text: str) -> list[tuple[int, int]]:
    """The articles whose crime an article's text convicts as (依照本法第X条的规定定罪处罚)."""
    return [(n, x) for n, x, convicts in referred_articles(text) if convicts]
