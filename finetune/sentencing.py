"""Sentencing samples from real cases, written as a judgment's 本院认为 … 判决如下, a
chain-of-thought variant for one case in four (CoT : plain = 1 : 4), and the adversarial patch:
the same case where the defendant refuses to confess or the attitude is unclear, whose target
reasoning drops the confession discounts (and whose term is no longer reduced for them).

Full judgments supply the court's own reasoning; CAIL cases (facts and labels only) get it
assembled from the labels, the circumstances in the facts, and the article's own penalty text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from corpora.citations import article_keys, normalize_law_name, parse_citations
from corpora.records import CaseRecord
from finetune.judgment import (
    CONFESSION,
    Circumstance,
    article_list,
    drop_confession_sentences,
    find_circumstances,
    format_term,
    join_clauses,
    split_judgment,
    split_tail,
    tidy,
)
from finetune.samples import Sample

CRIMINAL_LAW = "《中华人民共和国刑法》"
INSTRUCTION = (
    "请根据以下案件事实，以刑事判决书“本院认为……判决如下”的格式，写出罪名、适用法条、量刑情节和刑罚。"
)
COT_INSTRUCTION = INSTRUCTION + "先逐步分析（罪名、法条、情节、刑期），再写出裁判意见。"
COT_EVERY = 4  # one case in four also gets a CoT sample: CoT : plain = 1 : 4

# The share of the term a confession discount is taken to have removed (the 2021 guideline allows up to
# 40% for 自首, 20% for 坦白, 30% for 认罪认罚; half of each is used: an estimate, not a rule).
DISCOUNT = {"自首": 0.2, "坦白": 0.1, "认罪认罚": 0.15}
ATTITUDES = {
    "refuse": ("到案后拒不供述犯罪事实，庭审中亦否认指控。", "到案后拒不如实供述，当庭否认指控"),
    "unclear": ("到案后供述时供时翻，对主要犯罪事实的认罪态度不明确。", "供述反复，认罪态度不明确"),
}
_TERM = re.compile(
    r"(?:有期徒刑|拘役)(?:[零〇一二三四五六七八九十百\d]+年)?(?:零?[零〇一二三四五六七八九十\d]+个月)?"
)

_DEFENDANT = re.compile(r"被告人([^\s，,。、；：:（(“”]{1,5}?)(?:犯|，|,)")
ArticleText = Callable[[int], str]  # article number → its text in the current Criminal Law ("" if unknown)


def _name(case: CaseRecord) -> str:
    names = case.extra.get("criminals")
    if isinstance(names, list) and names and isinstance(names[0], str):
        return f"被告人{names[0]}"
    m = _DEFENDANT.search(case.full_text[case.full_text.find("判决如下") :] if case.full_text else case.fact)
    return f"被告人{m.group(1)}" if m else "被告人"


def _term(case: CaseRecord) -> str:
    return format_term(case.term_months, case.life_imprisonment, case.death_penalty)


def _circ_sentence(who: str, c: Circumstance) -> str:
    where = c.article if c.article.startswith("《") else f"{CRIMINAL_LAW}{c.article}"
    return f"{who}具有{c.name}情节，依照{where}，{c.effect}。"


def _assembled(case: CaseRecord, circs: list[Circumstance], term: str, extra: str = "") -> str:
    """A 本院认为 … 判决如下 text from a CAIL case's labels (no court reasoning exists for it)."""
    who = _name(case)
    charges = "、".join(f"{c}罪" for c in case.charges)
    # the Criminal Law's own articles only: 刑事诉讼法第十五条 is no 刑法 article
    general = sorted({n for c in circs if not c.article.startswith("《") for n, _ in article_keys(c.article)})
    cited = article_list(list(case.articles) + [n for n in general if n not in case.articles])
    fine = f"，并处罚金人民币{int(case.fine)}元" if case.fine else ""
    return (
        f"本院认为，{who}的行为已构成{charges}，依法应予惩处。"
        + "".join(_circ_sentence(who, c) for c in circs)
        + extra
        + f"依照{CRIMINAL_LAW}{cited}之规定，判决如下：{who}犯{charges}，判处{term}{fine}。"
    )


def _court_text(case: CaseRecord) -> str | None:
    """本院认为 … 判决如下 … from a full judgment, without the bracketed notes on term arithmetic."""
    parts = split_judgment(case.full_text)
    if not parts.ok:
        return None
    verdict = re.sub(r"（[^（）]*）|\([^()]*\)", "", parts.part("verdict"))
    citation = parts.part("citation")
    return tidy(join_clauses(join_clauses(parts.part("reasoning"), citation), verdict.strip()))


def plain_sample(case: CaseRecord) -> Sample | None:
    if not case.charges or not _term(case):
        return None
    output = (
        _court_text(case) if case.full_text else _assembled(case, find_circumstances(case.fact), _term(case))
    )
    if not output:
        return None
    return Sample(
        kind="sentencing",
        instruction=INSTRUCTION,
        input=case.fact.strip(),
        output=output,
        level=4,
        group=f"case:{case.case_id}",
        source=case.case_id,
    )


def cot_sample(case: CaseRecord, plain: Sample, article_text: ArticleText) -> Sample:
    """Analysis steps grounded in the article's own penalty text, then the plain answer."""
    circs = (
        find_circumstances(plain.output, court_reasoning=True)
        if case.full_text
        else find_circumstances(case.fact)
    )
    ranges = [f"第{n}条：{article_text(n)}" for n in case.articles if article_text(n)]
    steps = [
        f"1. 罪名：{_name(case)}的行为符合{'、'.join(c + '罪' for c in case.charges)}的构成要件。",
        f"2. 法条：适用{CRIMINAL_LAW}{article_list(case.articles)}。"
        + ("法定刑为——" + "；".join(ranges) if ranges else ""),
        "3. 情节："
        + (
            "；".join(f"{c.name}（{c.article}，{c.effect}）" for c in circs)
            if circs
            else "无法定从宽或从重情节"
        )
        + "。",
        f"4. 刑罚：综合上述情节，在法定刑幅度内判处{_term(case)}。",
    ]
    output = "【分析】\n" + "\n".join(steps) + "\n【裁判意见】\n" + plain.output
    return Sample(
        kind="sentencing_cot",
        instruction=COT_INSTRUCTION,
        input=plain.input,
        output=output,
        level=4,
        group=plain.group,
        source=case.case_id,
    )


def _drop_article_67(text: str) -> str:
    """Citations of 第六十七条 (自首/坦白) go with the discount they ground."""
    for ref in reversed(parse_citations(text)):
        if ref.number == 67 and not ref.suffix and normalize_law_name(ref.law or "刑法") == "刑法":
            start = ref.span[0] - (ref.span[0] > 0 and text[ref.span[0] - 1] in "、，,")
            text = text[:start] + text[ref.span[1] :]
    return text.replace("》之规定", "》的有关规定")


def _harsher(months: float, circs: list[Circumstance]) -> float:
    d = max((DISCOUNT.get(c.name, 0.0) for c in circs if c.confession), default=0.0)
    return max(months + 1, round(months / (1 - d)))


def adversarial_sample(case: CaseRecord, attitude: str) -> Sample | None:
    """The case with confession replaced by `attitude` ('refuse' | 'unclear'); None if no discount to drop."""
    if case.term_months is None or "缓刑" in case.full_text[-3000:]:
        return None
    text = case.full_text or case.fact
    circs = find_circumstances(text)
    if not any(c.confession for c in circs):
        return None
    who = _name(case)
    fact_line, reason_line = ATTITUDES[attitude]
    facts = drop_confession_sentences(case.fact).strip() + f"{who}{fact_line}"
    new_term = format_term(_harsher(case.term_months, circs))
    extra = f"{who}{reason_line}，不具有坦白、自首情节，不能因认罪而从轻处罚。"
    if case.full_text:
        parts = split_judgment(case.full_text)
        verdict = re.sub(r"（[^（）]*）|\([^()]*\)", "", parts.part("verdict"))
        if not parts.ok or not _TERM.search(verdict):
            return None
        done, tail = split_tail(parts.part("reasoning"))
        reasoning = join_clauses(drop_confession_sentences(done), extra) + drop_confession_sentences(tail)
        citation = _drop_article_67(parts.part("citation"))
        reasoning = _drop_article_67(reasoning)  # where the citation clause could not be cut out
        output = tidy(join_clauses(join_clauses(reasoning, citation), _TERM.sub(new_term, verdict, count=1)))
    else:
        kept = [c for c in find_circumstances(case.fact) if not c.confession]
        output = _assembled(case, kept, new_term, extra)
    if CONFESSION.search(output.replace(extra, "")):
        return None  # a discount we could not cut cleanly: better no sample than a contradictory one
    return Sample(
        kind="adversarial",
        instruction=INSTRUCTION,
        input=facts,
        output=output,
        level=4,
        group=f"case:{case.case_id}",
        source=f"{case.case_id}#{attitude}",
        meta={"attitude": attitude},
    )


def sentencing_samples(cases: list[CaseRecord], article_text: ArticleText) -> Iterator[Sample]:
    """Plain for every usable case, CoT for one in four, adversarial where a confession discount exists."""
    kept = 0
    for case in cases:
        plain = plain_sample(case)
        if plain is None:
            continue
        yield plain
        if kept % COT_EVERY == 0:
            yield cot_sample(case, plain, article_text)
        kept += 1
        attitude = "refuse" if kept % 2 else "unclear"
        adv = adversarial_sample(case, attitude)
        if adv is not None:
            yield adv
