"""The criminal scenario suite on the whole-corpus index with the extractive backend (slow).

Uses the data dir in $LEGAL_ASSISTANT_SCENARIO_DATA (one holding the default whole-corpus index,
e.g. what `legal-assistant index build` wrote), else trains the legal model and builds the default
index in a temporary data dir, as a first `legal-assistant index build` does (minutes).
Run with `pytest -m slow tests/assistant/test_scenarios.py` (part of `make test-slow`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from scenario_suite import load_scenarios, run

from assistant.services.answer import AssistantService
from assistant.settings import load_settings

SCENARIOS = load_scenarios()


def _build_default_index(corpus: Path, data_dir: Path) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli
    from assistant.services.bootstrap import ensure_legal_model

    ensure_legal_model(load_settings(overrides={"data_dir": data_dir, "corpus_dir": corpus}))
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "--corpus", str(corpus), "index", "build"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def scenario_service(shared_corpus, tmp_path_factory) -> AssistantService:
    prebuilt = os.environ.get("LEGAL_ASSISTANT_SCENARIO_DATA")
    data_dir = Path(prebuilt) if prebuilt else tmp_path_factory.mktemp("scenarios")
    if not prebuilt:
        _build_default_index(shared_corpus, data_dir)
    overrides = {"data_dir": str(data_dir), "corpus_dir": str(shared_corpus), "llm.mode": "extractive"}
    return AssistantService(load_settings(overrides=overrides))


def test_the_suite_covers_what_the_issue_asks():
    assert len(SCENARIOS) >= 60 and sum(len(s["ask"]) > 1 for s in SCENARIOS) >= 10
    guideline = {"交通肇事", "危险驾驶", "非法吸收公众存款", "集资诈骗", "信用卡诈骗", "合同诈骗", "故意伤害", "强奸",
                 "非法拘禁", "抢劫", "盗窃", "诈骗", "抢夺", "职务侵占", "敲诈勒索", "妨害公务", "聚众斗殴",
                 "寻衅滋事", "掩饰、隐瞒犯罪所得、犯罪所得收益", "走私、贩卖、运输、制造毒品", "非法持有毒品",
                 "容留他人吸毒", "引诱、容留、介绍卖淫"}  # fmt: skip
    charges = {s.get("charge") for s in SCENARIOS}
    assert guideline <= charges and len(charges - guideline - {None}) >= 20
    assert all(s.get("source") for s in SCENARIOS)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(scenario_service, scenario):
    outcome = run(scenario_service, scenario)
    assert not outcome.problems, "; ".join(f"[{cat}] {what}" for cat, what in outcome.problems)
