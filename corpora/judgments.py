"""THE split of a Chinese criminal judgment into its parts, by the judgment's own fixed phrases:
the facts (指控 / 经审理查明), the court's reasoning (本院认为), the statute-citation clause (依照…之规定),
the verdict (判决如下 … 如不服本判决). Training (finetune), the circumstance check and the corpus all
cut a judgment here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpora.citations import STATUTE_CHAIN

# Where the facts begin: the prosecution's charge or the court's own findings.
_FACTS_START = re.compile(r"(?:公诉机关|检察院)?指控[:：]|经审理查明[:：，,]?")
_FACTS_FALLBACK = re.compile(r"指控")
# The citation clause that closes the reasoning: (据此，)依照《…》第…条…之规定，判决如下.
_CITATION = re.compile(
    r"(?:据此[，,]?\s*)?(?:依照|根据|依据|按照|照)[^《。，]{0,12}《[^。]*?(?=[，,：:。]?\s*判决如下)"
)
# Any statute reference inside the text: 《…》第…条(第…款)(第…项), from the one citation grammar.
STATUTE_REF = STATUTE_CHAIN


@dataclass(frozen=True)
class JudgmentParts:
    """Character spans of `text` (start, end); empty spans are (0, 0)."""

    text: str
    facts: tuple[int, int]
    reasoning: tuple[int, int]  # 本院认为 … up to the citation clause
    citation: tuple[int, int]  # 依照《…》…之规定
    verdict: tuple[int, int]  # 判决如下 … up to the appeal notice

    def part(self, name: str) -> str:
        start, end = getattr(self, name)
        return self.text[start:end].strip()

    @property
    def ok(self) -> bool:
        return all(e > s for s, e in (self.facts, self.reasoning, self.verdict))


def split_judgment(text: str) -> JudgmentParts:
    """Cut a full judgment into facts / reasoning / citation / verdict (missing parts are empty)."""
    reason_at = text.find("本院认为")
    verdict_at = text.find("判决如下", max(reason_at, 0))
    if reason_at < 0 or verdict_at < 0:
        return JudgmentParts(text, (0, 0), (0, 0), (0, 0), (0, 0))
    m = _FACTS_START.search(text, 0, reason_at) or _FACTS_FALLBACK.search(text, 0, reason_at)
    facts = (m.start(), reason_at) if m else (0, 0)
    # the last citation clause before 判决如下 is the operative one
    c = next(reversed(list(_CITATION.finditer(text, reason_at, verdict_at + 4))), None)
    citation = (c.start(), c.end()) if c else (verdict_at, verdict_at)
    end = text.find("如不服本判决", verdict_at)
    if end < 0:
        end = min(len(text), verdict_at + 1500)
    return JudgmentParts(text, facts, (reason_at, citation[0]), citation, (verdict_at, end))


def head_and_reasoning(text: str) -> tuple[str, str]:
    """(everything before 本院认为, the court's reasoning from 本院认为 up to 判决如下): what the court had
    before it, and what it said; without 判决如下 the reasoning runs to the end."""
    head, _, rest = text.partition("本院认为")
    return head, rest.split("判决如下", 1)[0]
