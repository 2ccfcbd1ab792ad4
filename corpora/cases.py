"""Criminal cases into CaseRecords: CAIL2018 lines and full judgments (cases/judge).

A bad line is skipped and recorded (file, reason, line number) in the report; never fatal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from corpora.numerals import CN_NUM_CHARS, cn_to_int
from corpora.records import CaseRecord
from corpora.report import ParseReport

FIRST_SPECIAL_ARTICLE = 102  # 刑法分则 starts at 第一百零二条; below it is the general part


def normalize_charge(name: str) -> str:
    """CAIL's bracket notation and a trailing 罪 dropped: '[走私、贩卖、运输、制造]毒品' → '走私、贩卖、运输、制造毒品'.
    帐 is written 账 (会计帐簿 in CAIL's labels, 会计账簿 in the charge-name documents: one word)."""
    name = re.sub(r"[\[\]［］【】\s]", "", name).replace("(", "（").replace(")", "）").replace("帐", "账")
    return name[:-1] if name.endswith("罪") and len(name) > 1 else name


def _iter_jsonl(path: Path, report: ParseReport | None, rel: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                _fail(report, rel, f"not a JSON line: {e}", lineno)
                continue
            if not isinstance(obj, dict):
                _fail(report, rel, "not a JSON object", lineno)
                continue
            yield lineno, obj


def _fail(report: ParseReport | None, file: str, reason: str, line: int) -> None:
    if report is not None:
        report.fail(file, reason, line)


def _rel(path: Path, corpus_root: Path | None) -> str:
    if corpus_root is not None:
        try:
            return path.resolve().relative_to(Path(corpus_root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _load(
    path: Path, report: ParseReport | None, corpus_root: Path | None, make: Callable[..., CaseRecord]
) -> list[CaseRecord]:
    rel = _rel(Path(path), corpus_root)
    out: list[CaseRecord] = []
    for lineno, obj in _iter_jsonl(Path(path), report, rel):
        try:
            out.append(make(obj, lineno))
        except (KeyError, TypeError, ValueError) as e:
            _fail(report, rel, f"bad case: {type(e).__name__}: {e}", lineno)
    return out


def cail_record(obj: dict[str, Any], source: str, lineno: int) -> CaseRecord:
    """One CAIL2018 object (fact + meta) into a CaseRecord; KeyError/TypeError/ValueError when malformed."""
    fact = obj["fact"]
    if not isinstance(fact, str) or not fact.strip():
        raise ValueError("empty fact")
    meta = obj["meta"]
    term = meta.get("term_of_imprisonment") or {}
    life, death = bool(term.get("life_imprisonment")), bool(term.get("death_penalty"))
    months = term.get("imprisonment")
    articles = tuple(sorted({int(a) for a in meta.get("relevant_articles") or []}))
    money = meta.get("punish_of_money")
    return CaseRecord(
        case_id=f"{source}:{lineno}",
        source=source,
        fact=fact.strip(),
        charges=tuple(dict.fromkeys(normalize_charge(c) for c in meta.get("accusation") or [])),
        articles=tuple(a for a in articles if a >= FIRST_SPECIAL_ARTICLE),
        general_articles=tuple(a for a in articles if a < FIRST_SPECIAL_ARTICLE),
        term_months=None if (life or death or months is None) else float(months),
        life_imprisonment=life,
        death_penalty=death,
        fine=float(money) if money is not None else None,
        extra={"criminals": list(meta.get("criminals") or [])},
    )


def load_cail(
    path: Path, source: str, *, report: ParseReport | None = None, corpus_root: Path | None = None
) -> list[CaseRecord]:
    """CAIL2018 JSON lines: facts, normalised charges, 分则 articles, term, life/death, fine."""
    return _load(path, report, corpus_root, lambda obj, n: cail_record(obj, source, n))


# --- full judgments -------------------------------------------------------------------------

_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUM_CHARS}]+)"
_YEARS_MONTHS = rf"(?:({_NUM})年)?(?:零?({_NUM})个?月)?"
_FIXED = re.compile(rf"有期徒刑{_YEARS_MONTHS}")
_DETENTION = re.compile(rf"拘役({_NUM})个?月")
_CONTROL = re.compile(rf"管制{_YEARS_MONTHS}")
_PROBATION = re.compile(rf"缓刑{_YEARS_MONTHS}")
_FINE = re.compile(rf"罚金(?:人民币)?({_NUM})(万)?元")
# "犯X罪" where X may itself hold 犯罪 (传授犯罪方法罪), so the closing 罪 must end the phrase;
# "犯罪分子所犯的罪" is not a charge.
_CHARGE = re.compile(r"犯(?!罪)([^，。；：,;:\s（）()“”]{2,40}?)罪(?=[，,。；;：:\s（(的一判被]|$)")
_DEFENDANT = re.compile(r"(?:被告人|上诉人)[^，。；,、]{1,20}?犯")


def _num(text: str | None) -> float:
    if not text:
        return 0.0
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return float(cn_to_int(text.replace("〇", "零")))


def _months(m: re.Match[str] | None) -> float | None:
    if m is None or not (m.group(1) or m.group(2)):
        return None
    return _num(m.group(1)) * 12 + _num(m.group(2))


def _verdict(fd: str) -> str:
    """The operative part: from 判决如下 to the appeal notice, without the parenthesised notes."""
    start = fd.find("判决如下")
    if start < 0:
        return ""
    part = fd[start + 4 :]
    end = part.find("如不服本判决")
    part = part[:end] if end >= 0 else part[:1500]
    return re.sub(r"（[^（）]*）|\([^()]*\)", "", part)


def _outcome(combined: str) -> dict[str, Any]:
    out: dict[str, Any] = {"term_months": None, "life": False, "death": False}
    if re.search(r"死刑[，,]?缓期|死缓", combined):
        out["death"], out["suspended_death"] = True, True
    elif "死刑" in combined:
        out["death"] = True
    elif "无期徒刑" in combined:
        out["life"] = True
    elif (fixed := _months(_FIXED.search(combined))) is not None:
        out["term_months"] = fixed
    elif (m := _DETENTION.search(combined)) is not None:
        out["term_months"] = _num(m.group(1))
    elif (control := _months(_CONTROL.search(combined))) is not None:
        out["term_months"], out["control_months"] = 0.0, control
    elif re.search(r"免予刑事处罚|单处罚金|罚金", combined):
        out["term_months"] = 0.0
    return out


def _fines(text: str) -> list[float]:
    return [_num(m.group(1)) * (10000 if m.group(2) else 1) for m in _FINE.finditer(text)]


def parse_sentence(verdict: str) -> dict[str, Any]:
    """Term, probation, fine and charges of the first defendant sentenced in a verdict.

    Where a defendant has several crimes, 决定执行 gives the combined sentence (and its fine).
    """
    starts = [m.start() for m in _DEFENDANT.finditer(verdict)] or [0]
    segments = [verdict[a:b] for a, b in zip(starts, [*starts[1:], len(verdict)], strict=True)]
    out: dict[str, Any] = {}
    for seg in segments:  # "一、维持…对被告人X犯Y罪的判决部分" carries no sentence: try the next
        combined = seg[seg.find("决定执行") :] if "决定执行" in seg else seg
        out = _outcome(combined)
        if out["term_months"] is None and combined is not seg:
            out = _outcome(seg)  # a truncated 决定执行 clause
        if out["term_months"] is not None or out["life"] or out["death"]:
            break
    out["probation_months"] = _months(_PROBATION.search(combined))
    fines = _fines(combined) or _fines(seg)
    out["fine"] = (fines[-1] if "决定执行" in seg else sum(fines)) if fines else None
    out["charges"] = tuple(dict.fromkeys(normalize_charge(c) for c in _CHARGE.findall(verdict)))
    out["defendants"] = len(_DEFENDANT.findall(verdict)) or 1
    return out


def judgment_record(obj: dict[str, Any], lineno: int) -> CaseRecord:
    fact = obj.get("text") or ""
    fd = obj.get("fd") or ""
    if not isinstance(fact, str) or not (fact.strip() or fd.strip()):
        raise ValueError("neither text nor fd")
    cited = sorted({int(a) for a in obj.get("la") or []})
    s = parse_sentence(_verdict(fd))
    extra: dict[str, Any] = {"text_id": obj.get("text_id"), "defendants": s["defendants"]}
    for key in ("probation_months", "control_months", "suspended_death"):
        if s.get(key) is not None:
            extra[key] = s[key]
    return CaseRecord(
        case_id=f"judge:{obj.get('text_id') or lineno}",
        source="judge",
        fact=fact.strip() or fd.strip(),
        charges=s["charges"],
        articles=tuple(a for a in cited if a >= FIRST_SPECIAL_ARTICLE),
        general_articles=tuple(a for a in cited if a < FIRST_SPECIAL_ARTICLE),
        term_months=s["term_months"],
        life_imprisonment=s["life"],
        death_penalty=s["death"],
        fine=s["fine"],
        full_text=fd,
        extra=extra,
    )


def load_judgments(
    path: Path, *, report: ParseReport | None = None, corpus_root: Path | None = None
) -> list[CaseRecord]:
    """cases/judge/judgments.jsonl: facts, 分则 vs general articles, the sentence from 判决如下."""
    return _load(path, report, corpus_root, judgment_record)
