"""One search result, as the CLI, the agent and the UI see it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KIND_PRIORITY = {"宪法": 0, "法律": 1, "司法解释": 2, "行政法规": 3, "部门规章": 4, "其他": 5, "案例": 6}
CITATION_SCORE = 1.0  # above any fused score (those are < 0.05), so exact citations sort first
CITED_BY_SCORE = 0.5  # an entry citing the article that a citation-only query names


@dataclass
class Hit:
    record_id: str
    collection: str
    citation: str
    law_title: str
    law_id: str
    number: int
    suffix: int
    number_cn: str
    text: str
    score: float
    version: str
    current: bool
    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_hit(entry: dict[str, Any], score: float, match: str) -> Hit:
    rec, meta = entry["record"], entry["metadata"]
    if entry["record_type"] == "case":
        charges = "、".join(rec.get("charges") or [])
        return Hit(
            record_id=rec["case_id"],
            collection="cases",
            citation=f"案例 {rec['case_id']}" + (f"（{charges}）" if charges else ""),
            law_title="",
            law_id="",
            number=0,
            suffix=0,
            number_cn="",
            text=rec["fact"],
            score=score,
            version="",
            current=True,
            kind=meta["kind"],
            metadata={**rec, "match": match},
        )
    extra = {
        k: rec.get(k)
        for k in (
            "short_title",
            "category",
            "path",
            "adopted",
            "amended",
            "effective",
            "source_file",
            "numbering",
        )
    }
    return Hit(
        record_id=entry["record_id"],
        collection=entry["collection"],
        citation=f"《{rec['law_title']}》{rec['number_cn']}",
        law_title=rec["law_title"],
        law_id=rec["law_id"],
        number=rec["number"],
        suffix=rec["suffix"],
        number_cn=rec["number_cn"],
        text=rec["text"],
        score=score,
        version=rec.get("version") or "",
        current=bool(rec.get("current", True)),
        kind=rec["kind"],
        metadata={**extra, "match": match},
    )
