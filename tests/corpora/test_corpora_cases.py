"""CAIL lines and full judgments into case records; bad lines are reported, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.cases import load_cail, load_judgments, normalize_charge, parse_sentence
from corpora.report import ParseReport

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "corpora" / "mini"


def test_normalize_charge() -> None:
    assert normalize_charge("[走私、贩卖、运输、制造]毒品") == "走私、贩卖、运输、制造毒品"
    assert normalize_charge("盗窃罪") == "盗窃"
    assert normalize_charge("组织他人偷越国(边)境罪") == "组织他人偷越国（边）境"
    assert normalize_charge("罪") == "罪"


def test_cail_lines_and_bad_lines() -> None:
    report = ParseReport()
    cases = load_cail(
        MINI / "cases" / "cail2018" / "train.jsonl", "cail2018/train", report=report, corpus_root=MINI
    )
    assert [c.case_id for c in cases] == ["cail2018/train:1", "cail2018/train:2", "cail2018/train:6"]
    theft, drugs, driving = cases
    assert theft.charges == ("盗窃",) and theft.articles == (264,) and theft.general_articles == (67,)
    assert theft.term_months == 8.0 and theft.fine == 2000.0 and not theft.life_imprisonment
    assert drugs.charges == ("走私、贩卖、运输、制造毒品",)
    assert drugs.life_imprisonment and drugs.term_months is None
    assert driving.articles == (133,)
    assert [(f.file, f.line) for f in report.failures] == [
        ("cases/cail2018/train.jsonl", 3),
        ("cases/cail2018/train.jsonl", 4),
    ]
    assert "JSON" in report.failures[0].reason and "meta" in report.failures[1].reason


def test_judgments() -> None:
    report = ParseReport()
    cases = load_judgments(MINI / "cases" / "judge" / "judgments.jsonl", report=report, corpus_root=MINI)
    assert len(cases) == 4 and len(report.failures) == 1 and report.failures[0].line == 5
    probation, life, detention, combined = cases
    assert probation.case_id == "judge:fict-1" and probation.source == "judge"
    assert probation.articles == (264,) and probation.general_articles == (67, 72)
    assert probation.charges == ("盗窃",)
    assert probation.term_months == 18.0 and probation.extra["probation_months"] == 24.0
    assert probation.fine == 30000.0
    assert probation.fact.startswith("（虚构）公诉机关指控") and "判决如下" in probation.full_text
    assert life.life_imprisonment and life.term_months is None and not life.death_penalty
    assert detention.term_months == 4.0 and detention.fine == 5000.0
    assert combined.charges == ("盗窃", "诈骗")
    assert combined.term_months == 34.0, "决定执行 gives the combined term of the first defendant"
    assert combined.fine == 15000.0
    assert combined.extra["defendants"] == 2


@pytest.mark.parametrize(
    ("verdict", "term", "fine"),
    [
        ("被告人甲犯盗窃罪，判处有期徒刑十年。", 120.0, None),
        ("被告人甲犯盗窃罪，判处有期徒刑一年零六个月，并处罚金人民币1.5万元。", 18.0, 15000.0),
        ("被告人甲犯危险驾驶罪，判处拘役二个月，并处罚金5000.00元。", 2.0, 5000.0),
        ("被告人甲犯滥伐林木罪，免予刑事处罚。", 0.0, None),
        ("被告人甲犯侮辱罪，判处管制一年。", 0.0, None),
    ],
)
def test_sentence_forms(verdict: str, term: float, fine: float | None) -> None:
    s = parse_sentence(verdict)
    assert s["term_months"] == term
    assert s["fine"] == fine


def test_death_penalty_and_suspended_death() -> None:
    assert parse_sentence("被告人甲犯故意杀人罪，判处死刑，剥夺政治权利终身。")["death"]
    s = parse_sentence("被告人甲犯故意杀人罪，判处死刑，缓期二年执行。")
    assert s["death"] and s["suspended_death"]
