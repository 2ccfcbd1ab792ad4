"""Imports of published instruction data: Lawyer-LLaMA (qa/lawyer_llama/data) and JEC-QA
(qa/jec_qa/0_train.json). Bad records are counted with their reason, never fatal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from corpora.qa import LawyerItem, jec_qa, lawyer_llama
from finetune.samples import BuildStats, Sample

MCQ_INSTRUCTION = "以下是中国国家统一法律职业资格考试的选择题，可能有一个或多个正确选项。请给出正确答案。"


def _lawyer_sample(item: LawyerItem) -> Sample | None:
    source = f"lawyer_llama/{item.source}"
    context = ("相关法条：\n" + "\n".join(item.laws)) if item.laws else ""
    if item.turns is not None:  # multi-turn consultation
        turns = item.turns
        if len(turns) < 2 or len(turns) % 2:
            return None
        pairs = [list(turns[i : i + 2]) for i in range(0, len(turns), 2)]
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
    return Sample(
        kind="lawyer_llama",
        instruction=item.question,
        input=item.input or context,
        output=item.answer,
        level=0,
        group=source,
        source=source,
    )


def lawyer_llama_samples(folder: Path, stats: BuildStats, limit: int | None = None) -> Iterator[Sample]:
    for path in sorted(Path(folder).glob("*.json")):
        n = 0
        for item in lawyer_llama(path, lambda reason: stats.drop("lawyer_llama", reason)):
            sample = _lawyer_sample(item)
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
