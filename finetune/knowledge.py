"""Knowledge pairs graded by the EC-MIIP levels that drive HKRE's decay.

Level 1: statute articles (laws, administrative regulations, the constitution), and within them
the penalties and time limits; Level 2: judicial interpretations (and departmental rules, which
interpret statutes the same way); Level 3: case conclusions (facts → charge and articles);
Level 4: soft reasoning (the court's discretionary 本院认为 analysis).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpora.records import ArticleRecord, CaseRecord
from finetune.judgment import article_list, split_judgment
from finetune.samples import Sample

LEVEL_BY_KIND = {"宪法": 1, "法律": 1, "行政法规": 1, "司法解释": 2, "部门规章": 2, "其他": 2, "案例": 3}
_PENALTY = re.compile(r"[^。；]*处[^。；]*?(?:有期徒刑|拘役|管制|罚金|死刑|无期徒刑|罚款|没收)[^。；]*[。；]")
_TIME_LIMIT = re.compile(
    r"[^。；，]*(?:[零〇一二三四五六七八九十百\d]+(?:日|天|个月|年)(?:以)?内|期限)[^。；]*[。；]"
)


def level_of(article: ArticleRecord) -> int:
    return LEVEL_BY_KIND.get(article.kind, 2)


def _cite(a: ArticleRecord) -> str:
    return f"《{a.short_title or a.law_title}》{a.number_cn}"


def _where(a: ArticleRecord) -> str:
    return "、".join(a.path) if a.path else "全文"


def statute_samples(a: ArticleRecord) -> Iterator[Sample]:
    """Recitation and explanation for every article; penalty and time-limit pairs where present."""
    level, group = level_of(a), f"article:{a.record_id}"

    def pair(instruction: str, output: str) -> Sample:
        return Sample(
            kind="statute",
            instruction=instruction,
            output=output,
            level=level,
            group=group,
            source=a.citation,
        )

    text = a.text.strip()
    yield pair(f"请背诵{_cite(a)}的原文。", text)
    effective = f"（自{a.effective}起施行）" if a.effective else ""
    where = "司法解释" if a.kind == "司法解释" else "法律文件"
    yield pair(
        f"{_cite(a)}规定了什么内容？请说明其位置与要点。",
        f"{_cite(a)}位于该{where}的{_where(a)}{effective}。其规定：{text}",
    )
    penalties = _PENALTY.findall(text)
    if penalties:
        yield pair(
            f"依照{_cite(a)}，应当如何处罚？", f"依照{_cite(a)}：" + "".join(p.strip() for p in penalties)
        )
    limits = [t.strip() for t in _TIME_LIMIT.findall(text)]
    if limits:
        yield pair(f"{_cite(a)}规定了哪些期限？", f"{_cite(a)}规定：" + "".join(limits))


def case_conclusion(case: CaseRecord) -> Sample | None:
    """Level 3: facts → which crime and which articles (no sentence)."""
    if not case.charges or not case.articles:
        return None
    charges = "、".join(f"{c}罪" for c in case.charges)
    return Sample(
        kind="case_conclusion",
        instruction="根据以下案件事实，判断被告人构成何罪，应适用《中华人民共和国刑法》哪些条文。",
        input=case.fact,
        output=f"被告人的行为构成{charges}，应适用《中华人民共和国刑法》{article_list(case.articles)}。",
        level=3,
        group=f"case:{case.case_id}",
        source=case.case_id,
    )


def soft_reasoning(case: CaseRecord) -> Sample | None:
    """Level 4: facts → the court's own 本院认为 analysis (full judgments only)."""
    if not case.full_text:
        return None
    parts = split_judgment(case.full_text)
    reasoning = parts.part("reasoning").rstrip("，, ")
    if not parts.ok or len(reasoning) < 20:
        return None
    return Sample(
        kind="soft_reasoning",
        instruction="请以合议庭的口吻，对以下案件事实进行法律分析（本院认为部分），说明定罪理由和量刑考量。",
        input=parts.part("facts"),
        output=reasoning if reasoning.endswith("。") else reasoning + "。",
        level=4,
        group=f"case:{case.case_id}",
        source=case.case_id,
    )
