"""`eval mcq`: robust option parsing, scoring per subject and answer type, on any backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

OPTIONS = {"A": "甲构成盗窃罪", "B": "乙构成诈骗罪", "C": "丙无罪", "D": "丁构成抢劫罪"}


@pytest.mark.parametrize(
    ("reply", "chosen"),
    [
        ("A", "A"),
        ("AB", "AB"),
        ("答案：A、C", "AC"),
        ("答案是 B 和 D", "BD"),
        ("正确答案为（C）", "C"),
        ("选C和D", "CD"),
        ("B项正确", "B"),
        ("Ａ", "A"),
        ("A. 甲构成盗窃罪", "A"),
        ("本题答案：ACD。", "ACD"),
        ("答案:A,B,C", "ABC"),
        ("故选B。", "B"),
        ("<think>也许是A</think>答案：D", "D"),
        ("我认为丙无罪。", "C"),
        ("乙构成诈骗罪，丁构成抢劫罪", "BD"),
        ("无法判断", ""),
        ("", ""),
        ("The answer is B", "B"),
    ],
)
def test_parse_choice(reply: str, chosen: str):
    from finetune.mcq import parse_choice

    assert "".join(sorted(parse_choice(reply, OPTIONS))) == chosen


def test_scores_overall_per_subject_and_type_with_a_scripted_model():
    from finetune.mcq import evaluate, load_questions

    questions, skipped = load_questions(FIXTURES / "finetune" / "jec_qa_bad.json")
    assert [q.qid for q in questions] == ["f1", "f4"] and skipped == 3
    replies = iter(["答案：A、C", "答案：A"])  # first right (multiple), second wrong (single)
    seen = []

    def answer(messages):
        seen.append(messages)
        return next(replies)

    report = evaluate(questions, answer, progress=False)
    assert (report.n, report.correct, report.accuracy) == (2, 1, 0.5)
    assert report.by_type == {"multiple": [1, 1], "single": [0, 1]}
    assert report.by_subject == {"虚构法": [1, 1], "未标注": [0, 1]}
    assert "A. 虚构选项甲" in seen[0][0]["content"] and "D. 虚构选项丁" in seen[0][0]["content"]
    assert report.lines()[0].startswith("accuracy 0.500 (1/2)")


def test_partial_multiple_answer_is_wrong():
    from finetune.mcq import MCQReport, Question

    q = Question("1", "s", OPTIONS, frozenset("AC"))
    report = MCQReport()
    report.add(q, "答案：A", {"A"})
    assert report.correct == 0 and report.by_type["multiple"] == [0, 1]


def test_unusable_question_file_is_one_message(tmp_path: Path):
    from finetune.mcq import MCQError, load_questions

    bad = tmp_path / "q.json"
    bad.write_text('not json\n{"statement": "x"}\n', encoding="utf-8")
    with pytest.raises(MCQError, match="holds no usable JEC-QA questions"):
        load_questions(bad)
    with pytest.raises(MCQError, match="question file not found"):
        load_questions(tmp_path / "missing.json")


def test_cli_scores_a_tiny_local_model_with_and_without_adapter(
    tiny_model: Path, ft_data: Path, tmp_path: Path
):
    from click.testing import CliRunner

    from assistant.cli import cli

    questions = ft_data / "mcq" / "jec_qa.valid.json"
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "mcq",
            "--questions",
            str(questions),
            "--model",
            str(tiny_model),
            "--limit",
            "2",
            "--max-new-tokens",
            "4",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "accuracy" in result.output and "scored by generation" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["n"] == 2 and len(report["rows"]) == 2
    missing = CliRunner().invoke(cli, ["eval", "mcq", "--questions", str(tmp_path / "none.json")])
    assert missing.exit_code == 1 and "question file not found" in missing.output
