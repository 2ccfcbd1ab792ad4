"""Do the circumstances found in a judgment's facts match those the court names? (issue 3, traces)

The comparison, stated once:
- Cases: the first `n` judgments of `judge/judgments.jsonl`, in file order, whose 本院认为 names at
  least one circumstance of `TRACKED` in words (`court_named(…, cited=False)`). No case is chosen by
  how we do on it.
- Input: the judgment before 本院认为 (header with the defendant's record, the prosecution's charge,
  the pleas, 经审理查明, the evidence); never the court's reasoning. Counsel's claims in it are blanked
  by `find_circumstances` (a claim is not a finding).
- Gold: the circumstances of `TRACKED` the court names in its reasoning (本院认为 … 判决如下), where a
  claim by counsel counts only when the court accepts it, and one it rejects (不予采纳, 不符合自首的
  规定) does not (claims ruled on one by one within a sentence, …不予采纳；…可予采纳, are judged
  apart, and a sentence that rules on other claims, 其他辩护意见不予采信, does not rule on the one
  before it); restitution the court orders (责令退赔) is no circumstance. The court names one also by
  citing the provision that grants it (刑法第六十七条第三款 → 坦白, 第二十三条 → 未遂, 第六十五条 →
  累犯; `court_cited`). 赔偿/谅解 forms are one class, as are the two age classes of minors.
- 坦白 and 当庭自愿认罪: 三（八） of the guideline counts the plea in court only where neither 自首 nor
  坦白 is found, so 当庭自愿认罪 is dropped from both sides beside those, and 坦白 beside 自首 (the
  finder describes one defendant; in a judgment with several the court's set is their union). `rate` is the exact set
  match; `rate_plea_merged` also treats 坦白 and 当庭自愿认罪 as one class (a confession before trial
  and a plea in court are often told apart only by the interrogation records the facts don't quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.sentencing.circumstances import find_circumstances
from corpora.citations import parse_citations
from corpora.judgments import head_and_reasoning

TRACKED = (
    "自首",
    "坦白",
    "当庭自愿认罪",
    "认罪认罚",
    "立功",
    "重大立功",
    "累犯",
    "前科",
    "未遂",
    "中止",
    "从犯",
    "胁从犯",
    "未成年",
    "已满七十五周岁",
    "退赃退赔",
    "赔偿谅解",
    "刑事和解",
)
_MERGE = {
    "赔偿并取得谅解": "赔偿谅解",
    "取得谅解": "赔偿谅解",
    "赔偿未取得谅解": "赔偿谅解",
    "未成年_已满十二不满十六": "未成年",
}
# the court names a circumstance also by citing the provision that grants it: (article, paragraph)
# with paragraph 0 for the whole article; 刑法 as amended by 修正案（十一） and before it
_CITED = {
    (67, 1): "自首",
    (67, 3): "坦白",
    (65, 0): "累犯",
    (66, 0): "累犯",
    (23, 0): "未遂",
    (24, 0): "中止",
    (27, 0): "从犯",
    (28, 0): "胁从犯",
    (68, 0): "立功",
    (17, 3): "未成年",
    (17, 4): "未成年",
}
# the Criminal Law's citations run from its name in 《》 up to the next law named in 《》
_LAW_CITE = re.compile(r"《中华人民共和国刑法》([^《]*)")
_CLAIM = re.compile(r"辩护人|辩护意见|辩称|辩解|诉讼代理人")
# a sentence that puts a claim of its own, not one ruling on the claim before (上述辩护意见…予以采纳)
_NEW_CLAIM = re.compile(
    r"(?:辩护人|诉讼代理人)[^，。；]{0,12}(?:提出|认为|辩称|称|要求|主张)|辩称|辩解|(?:其他|其余)[^，。；]{0,4}意见"
)
_ACCEPT = re.compile(r"予以采纳|予以支持|予以采信|予以确认|本院采纳|可予采纳|属实|成立|相符|有理")
_REJECT = re.compile(r"不予|不能|不符|不成立|不构成|不应|不属|不足|未予|不采纳|不具有|并非|没有")


def _tracked(names: Iterable[str]) -> set[str]:
    """Tracked names, merged; 当庭自愿认罪 dropped beside 自首/坦白 (三（八）), 坦白 beside 自首 (a 自首
    includes the truthful confession) and 前科 beside 累犯, on both sides alike."""
    out = {_MERGE.get(n, n) for n in names} & set(TRACKED)
    if out & {"自首", "坦白"}:
        out.discard("当庭自愿认罪")
    if "自首" in out:
        out.discard("坦白")
    if "累犯" in out:
        out.discard("前科")  # a 累犯 has a prior record by definition
    return out


def named_in_facts(text: str) -> set[str]:
    """The tracked circumstances `find_circumstances` finds in the facts."""
    return _tracked(c.name for c in find_circumstances(text))


def court_named(reasoning: str, cited: bool = True) -> set[str]:
    """The tracked circumstances the court names in its reasoning, sentence by sentence: a sentence
    that reports counsel's claim counts only if it or the next one (unless this one rules already or
    that one reports a claim of its own) accepts the claim and neither rejects it. With `cited`, also
    those whose provision it cites (`court_cited`)."""
    names: set[str] = set()
    sentences = _rulings(reasoning)
    for i, s in enumerate(sentences):
        if _CLAIM.search(s):
            after = sentences[i + 1] if i + 1 < len(sentences) else ""
            # the next sentence rules on this claim unless this one rules already or that one reports a
            # claim of its own
            rules = _ACCEPT.search(s) or _REJECT.search(s) or _NEW_CLAIM.search(after)
            ruling = s if rules else s + "。" + after
            if not _ACCEPT.search(ruling) or _REJECT.search(ruling):
                continue
        names |= {c.name for c in find_circumstances(s, court_reasoning=True)}
        if "毒品再犯" in s:  # 刑法第356条: a prior drug conviction, named by its own provision
            names.add("前科")
    return _tracked(names | (court_cited(reasoning) if cited else set()))


def _rulings(reasoning: str) -> list[str]:
    """The reasoning's sentences, a sentence cut further at ；where every part is a claim with its own
    ruling (辩护人提出…的意见，本院不予采纳；辩护人提出…的辩护意见，本院可予采纳)."""
    out: list[str] = []
    for sentence in reasoning.split("。"):
        parts = sentence.split("；")
        own = len(parts) > 1 and all(
            _CLAIM.search(p) and (_ACCEPT.search(p) or _REJECT.search(p)) for p in parts
        )
        out += [p for p in (parts if own else [sentence]) if p.strip()]
    return out


def court_cited(reasoning: str) -> set[str]:
    """Circumstances whose provision the court cites: 依照《中华人民共和国刑法》第六十七条第三款 → 坦白;
    a bare 第六十七条 (自首 or 坦白?) names none; 《刑事诉讼法》第十五条 → 认罪认罚."""
    names = {"认罪认罚"} if "《中华人民共和国刑事诉讼法》第十五条" in reasoning else set()
    # each reference in a segment is the Criminal Law's: a judgment lists its articles with notes
    # between them (第二百四十五条（非法侵入住宅罪），第六十七条第三款（坦白）)
    for segment in _LAW_CITE.findall(reasoning):
        for ref in parse_citations(segment):
            if not ref.suffix:  # 第十七条之一 is not 第十七条
                names |= {_CITED.get((ref.number, p), "") for p in (0, *ref.paragraphs)}
    return names - {""}


def _plea(names: set[str]) -> set[str]:
    return {"坦白/当庭认罪" if n in ("坦白", "当庭自愿认罪") else n for n in names}


def evaluate_circumstances(
    judgments: Sequence[dict[str, Any]], n: int = 20, source: str = "fd_head", skip: int = 0
) -> dict[str, Any]:
    """Match rate of the circumstances found in the facts against those the court names, on the first
    `n` eligible judgments after the first `skip` eligible ones (see the module docstring).
    `source`: "fd_head" = the judgment before 本院认为, "text" = the dataset's `text` field."""
    rows: list[dict[str, Any]] = []
    eligible = 0
    for j in judgments:
        head, reasoning = head_and_reasoning(j.get("fd") or "")
        # eligible: the court states at least one circumstance in words (a judgment that only cites
        # articles, adopting the prosecution's recommendation wholesale, names too little to check)
        if not court_named(reasoning, cited=False):
            continue
        gold = court_named(reasoning)
        eligible += 1
        if eligible <= skip:
            continue
        found = named_in_facts(head if source == "fd_head" else j.get("text") or "")
        rows.append(
            {
                "text_id": j.get("text_id"),
                "gold": sorted(gold),
                "found": sorted(found),
                "missing": sorted(gold - found),
                "extra": sorted(found - gold),
                "plea_merged_match": _plea(gold) == _plea(found),
            }
        )
        if len(rows) == n:
            break
    matched = sum(1 for r in rows if not r["missing"] and not r["extra"])
    merged = sum(1 for r in rows if r["plea_merged_match"])
    return {
        "n": len(rows),
        "matched": matched,
        "rate": matched / len(rows) if rows else 0.0,
        "rate_plea_merged": merged / len(rows) if rows else 0.0,
        "source": source,
        "misses": [r for r in rows if r["missing"] or r["extra"]],
        "rows": rows,
    }
