"""Imports of published instruction data: Lawyer-LLaMA (qa/lawyer_llama/data) and JEC-QA
(qa/jec_qa/0_train.json). Bad records are counted with their reason, never fatal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpora.qa import jec_qa, read_records
from finetune.samples import BuildStats, Sample

MCQ_INSTRUCTION = "以下是中国国家统一法律职业资格考试的选择题，可能有一个或多个正确选项。请给出正确答案。"


def _records(path: Path, stats: BuildStats, kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    return read_records(path, lambda reason: stats.drop(kind, reason))


def _turns(history: list) -> list[str]:
    """Alternating client/lawyer texts; consecutive turns of one speaker are joined into one."""
    out: list[tuple[str, str]] = []
    for t in history:
        if not isinstance(t, str):
            continue
        m = re.match(r"^\[(客户|律师)\]\s*", t)
        who = m.group(1) if m else ("客户" if not out or out[-1][0] == "律师" else "律师")
        text = t[m.end() :] if m else t
        if out and out[-1][0] == who:
            out[-1] = (who, out[-1][1] + "\n" + text)
        else:
            out.append((who, text))
    if not out or out[0][0] != "客户" or out[-1][0] != "律师":
        return []
    return [text for _, text in out]


def _lawyer_sample(item: dict[str, Any], source: str) -> Sample | None:
    laws = item.get("laws") or []
    context = ("相关法条：\n" + "\n".join(laws)) if laws and all(isinstance(x, str) for x in laws) else ""
    if "history" in item:  # multi-turn consultation: "[客户] …" / "[律师] …"
        turns = _turns(item["history"])
        if len(turns) < 2 or len(turns) % 2:
            return None
        pairs = [turns[i : i + 2] for i in range(0, len(turns), 2)]
        *history, last = pairs
        return Sample(
            kind="lawyer_llama",
            instruction=last[0],
            input=context if not history else "",
            output=last[1],
            history=history,
            level=0,
            group=source,
            source=source,
        )
    instruction = item.get("instruction") or item.get("query") or ""
    query = item.get("input") or ""
    if not instruction:  # fakao_gpt4: the question is in "input"
        instruction, query = query, ""
    output = item.get("output") or item.get("response") or ""
    if not isinstance(instruction, str) or not isinstance(output, str):
        return None
    return Sample(
        kind="lawyer_llama",
        instruction=instruction.strip(),
        input=(query or context).strip(),
        output=output.strip(),
        level=0,
        group=source,
        source=source,
    )


def lawyer_llama_samples(folder: Path, stats: BuildStats, limit: int | None = None) -> Iterator[Sample]:
    for path in sorted(Path(folder).glob("*.json")):
        n = 0
        for i, item in _records(path, stats, "lawyer_llama"):
            sample = _lawyer_sample(item, f"lawyer_llama/{path.name}:{i}")
            if sample is None:
                stats.drop("lawyer_llama", f"unusable record in {path.name}")
                continue
            yield sample
            n += 1
            if limit and n >= limit:
                break


def format_mcq(statement: str, options: dict[str, str]) -> str:
    return statement.strip() + "\n" + "\n".join(f"{k}. {v}" for k, v in sorted(options.items()))


def answer_text(letters: list[str]) -> str:
    return "答案：" + "、".join(sorted(letters))


def jec_qa_samples(path: Path, stats: BuildStats, limit: int | None = None) -> Iterator[Sample]:
    """One sample per question with an answer; the raw question rides along for `eval mcq`."""
    for n, q in enumerate(jec_qa(Path(path), lambda reason: stats.drop("jec_qa", reason)), start=1):
        yield Sample(
            kind="jec_qa",
            instruction=MCQ_INSTRUCTION,
            input=format_mcq(q.statement, q.options),
            output=answer_text(list(q.answer)),
            level=0,
            group=f"jec:{q.qid}",
            source=f"jec_qa:{q.qid}",
            meta={"question": q.raw},
        )
        if limit and n >= limit:
            break
