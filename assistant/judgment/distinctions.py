"""What separates neighbouring charges (distinctions.toml), applied to the charge ranking.

Two charges often read alike to every ranking (贷款诈骗 and 骗取贷款 both tell a loan got by lies);
the law separates them by one element: 以非法占有为目的, who did it (刑法第九十三条), 以牟利为目的,
a contract. An entry names the two charges, the words by which facts show each side's element, and
what the law says when the facts show both or neither. When both charges stand near the top of a
ranking, the one whose element the facts show goes first; the other stays among the candidates.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DISTINCTIONS_FILE = Path(__file__).with_name("distinctions.toml")

# A word preceded by these is denied, not told (没有非法占有的目的, 非国家工作人员).
_DENIED_BEFORE = re.compile(r"(?:[非无未不没]|没有|并无|不是|并非|否认|不具有)$")
# A charge the narrative names (涉嫌合同诈骗罪, 以挪用公款罪追究) is the accusation, not a fact of the act.
_NAMED_CHARGE = re.compile(r"(?:涉嫌|构成|犯有?|以|定|判处?)[^，。；：\s罪]{1,24}罪")
RULED_OUT_SHARE = 0.9  # below ChargeRankerSettings.second_charge_ratio
_CHOICES = {"both": ("charge", "keep"), "neither": ("other", "keep")}


@dataclass(frozen=True)
class Distinction:
    charge: tuple[str, ...]  # the charge whose element `words` show (its names in every period)
    words: tuple[str, ...]  # regular expressions
    other: tuple[str, ...]  # the neighbour
    other_words: tuple[str, ...]  # the neighbour's own element, if it has one to show
    element: str  # what separates them, in the law's words
    basis: str  # the article (and interpretation) that says so
    both: str = "keep"  # facts show both elements: "charge" goes first, or "keep" the ranking's order
    neither: str = "keep"  # facts show neither: "other" goes first, or "keep"

    def shows(self, facts: str, patterns: tuple[str, ...]) -> bool:
        """Whether the facts tell one of the patterns (a denied mention does not count)."""
        facts = _NAMED_CHARGE.sub("，", facts)
        for pattern in patterns:
            for found in re.finditer(pattern, facts):
                if not _DENIED_BEFORE.search(facts[max(0, found.start() - 3) : found.start()]):
                    return True
        return False

    def winner(self, facts: str) -> str | None:
        """ "charge", "other", or None where these facts do not decide between the two."""
        a, b = self.shows(facts, self.words), self.shows(facts, self.other_words)
        if a and b:
            return "charge" if self.both == "charge" else None
        if a:
            return "charge"
        if b:
            return "other"
        return "other" if self.neither == "other" else None

    @property
    def note(self) -> str:
        """What the reader is told when this distinction decided the order."""
        return f"区分：{self.element}（{self.basis}）"


def _names(item: dict, key: str) -> tuple[str, ...]:
    value = item.get(key, [])
    return tuple(str(v) for v in ([value] if isinstance(value, str) else value) if str(v).strip())


def read_distinctions(path: Path = DISTINCTIONS_FILE) -> list[Distinction]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, item in enumerate(data.get("distinction", []), 1):
        d = Distinction(
            charge=_names(item, "charge"),
            words=_names(item, "words"),
            other=_names(item, "other"),
            other_words=_names(item, "other_words"),
            element=str(item.get("element", "")).strip(),
            basis=str(item.get("basis", "")).strip(),
            both=str(item.get("both", "keep")),
            neither=str(item.get("neither", "keep")),
        )
        if not (d.charge and d.other and d.words and d.element and d.basis):
            raise ValueError(f"{path.name}: distinction {i} needs charge, other, words, element and basis")
        for key in _CHOICES:
            if getattr(d, key) not in _CHOICES[key]:
                raise ValueError(f"{path.name}: distinction {i}: {key} must be one of {_CHOICES[key]}")
        for pattern in (*d.words, *d.other_words):
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"{path.name}: distinction {i}: {pattern!r} is not a pattern: {e}") from e
        out.append(d)
    return out


@lru_cache(maxsize=1)
def distinctions() -> list[Distinction]:
    return read_distinctions()


def reorder(
    order: list[tuple[int, float]], charge_of: list[str], facts: str, window: int
) -> tuple[list[tuple[int, float]], dict[int, str]]:
    """The fused (unit, score) list with each decided pair in the order its element gives, and the
    note for each unit moved first. Only pairs whose charges both stand in the first `window` places
    are looked at: a distinction separates neighbours, it does not bring a far charge forward."""
    order = list(order)
    notes: dict[int, str] = {}
    for d in distinctions():
        top = [charge_of[u] for u, _ in order[:window]]
        at_a = next((i for i, c in enumerate(top) if c in d.charge), None)
        at_b = next((i for i, c in enumerate(top) if c in d.other), None)
        if at_a is None or at_b is None:
            continue
        side = d.winner(facts)
        if side is None:
            continue
        win, lose = (at_a, at_b) if side == "charge" else (at_b, at_a)
        winner, loser = order[win], order[lose]
        # The winner takes the better place and score; the neighbour its element rules out stays a
        # candidate, but below the share of the first that a second crime (数罪) needs: both name one act.
        best = max(winner[1], loser[1])
        first, second = min(win, lose), max(win, lose)
        order[first] = (winner[0], best)
        order[second] = (loser[0], min(loser[1], RULED_OUT_SHARE * best))
        notes[winner[0]] = d.note
    return order, notes
