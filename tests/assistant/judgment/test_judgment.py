"""Judgment prediction: metrics by hand, ranking on fictional articles, and the real CAIL figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.evaluation.judgment import first_sentence
from assistant.evaluation.metrics import score_predictions, set_f1, term_score
from assistant.judgment.charge_docs import char_bigrams, charge_units
from assistant.judgment.predict import JudgmentPredictor
from assistant.judgment.ranker import ChargeRanker
from corpora.charges import ChargeMap
from corpora.records import ArticleRecord, CaseRecord


def test_set_f1_and_term_score_by_hand() -> None:
    assert set_f1([264], [264]) == 1.0
    assert set_f1([264, 67], [264]) == pytest.approx(2 / 3)
    assert set_f1([264], []) == 0.0
    assert term_score(12, 12) == 1.0
    assert term_score(12, None) == 0.0
    assert term_score(0, 215) == pytest.approx(0.0)
    assert term_score(6, 12) == pytest.approx(
        (math.log(216) - abs(math.log(7) - math.log(13))) / math.log(216)
    )


def test_scores_normalise_bracketed_charges_and_skip_life_sentences() -> None:
    golds = [
        {"articles": [347], "charges": ["[走私、贩卖、运输、制造]毒品"], "term_months": None, "life": True},
        {"articles": [264], "charges": ["盗窃"], "term_months": 6, "life": False},
    ]
    preds = [
        {"articles": [347], "charges": ["走私、贩卖、运输、制造毒品"], "term_months": 6},
        {"articles": [266], "charges": ["诈骗"], "term_months": 6},
    ]
    s = score_predictions(golds, preds)
    assert s.article_f1 == 0.5 and s.charge_f1 == 0.5
    assert s.term_cases == 1 and s.term_score == 1.0


def _article(number: int, text: str) -> ArticleRecord:
    return ArticleRecord(
        law_title="中华人民共和国刑法（虚构测试）",
        short_title="刑法",
        law_id="刑法",
        kind="法律",
        category="刑法",
        number=number,
        suffix=0,
        number_cn=f"第{number}条",
        numbering="article",
        text=text,
    )


def _case(i: int, fact: str, charge: str, article: int) -> CaseRecord:
    return CaseRecord(
        case_id=f"t:{i}", source="cail2018/train", fact=fact, charges=(charge,), articles=(article,)
    )


def fictional_ranker() -> ChargeRanker:
    # Fictional statute texts and cases, written for these tests.
    articles = [
        _article(264, "盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃的，处三年以下有期徒刑。"),
        _article(
            341,
            "非法猎捕珍贵、濒危野生动物的，处五年以下有期徒刑。\n违反狩猎法规，在禁猎区、禁猎期或者使用禁用的工具进行狩猎，情节严重的，处三年以下有期徒刑。",
        ),
        _article(280, "伪造、变造、买卖居民身份证、护照的，处三年以下有期徒刑。"),
        _article(282, "以窃取、刺探、收买方法，非法获取国家秘密的，处三年以下有期徒刑。"),
    ]
    charge_map = ChargeMap(
        by_article={
            (264, 0): ["盗窃"],
            (341, 0): ["非法猎捕珍贵野生动物", "非法狩猎"],
            (280, 0): ["伪造、变造、买卖身份证件"],
            (282, 0): ["非法获取国家秘密"],
        }
    )
    cases = [
        _case(1, "经审理查明，被告人某甲在超市秘密窃取他人财物，价值二千元，后被公安机关抓获。", "盗窃", 264),
        _case(2, "经审理查明，被告人某乙入户盗窃他人手机一部，被公安机关抓获，到案后如实供述。", "盗窃", 264),
        _case(3, "经审理查明，被告人某丙在公交车上扒窃乘客钱包，内有现金八百元。", "盗窃", 264),
        _case(
            4, "经审理查明，被告人某丁制作假身份证出售，被公安机关抓获。", "[伪造、变造、买卖]身份证件", 280
        ),
    ]
    interpretations = {"非法狩猎": ["在禁猎区、禁猎期使用禁用的工具猎捕野生动物的，以非法狩猎罪定罪处罚"]}
    return ChargeRanker.fit(charge_units(articles, charge_map), charge_map, cases, interpretations)


@pytest.fixture()
def fictional_predictor() -> JudgmentPredictor:
    return JudgmentPredictor(fictional_ranker())


def test_ranker_finds_the_article_from_facts(fictional_predictor: JudgmentPredictor) -> None:
    preds = fictional_predictor.predict_many(
        [
            {"fact": "经审理查明，被告人张某于2017年在禁猎期使用禁用的工具进行狩猎，被公安机关抓获。"},
            {"fact": "经审理查明，被告人李某入户盗窃他人财物，价值人民币三千元。"},
        ]
    )
    assert preds[0].articles == [341] and preds[0].charges == ["非法狩猎"]
    assert preds[1].articles == [264] and preds[1].charges == ["盗窃"]
    assert preds[1].term_months is not None and preds[1].term_months > 0


def test_given_charges_give_articles(fictional_predictor: JudgmentPredictor) -> None:
    [pred] = fictional_predictor.predict_many(
        [{"fact": "被告人伪造居民身份证。", "charges": ["[伪造、变造、买卖]身份证件"]}]
    )
    assert pred.articles == [280]


def test_given_articles_pick_the_charge_the_ranking_prefers(fictional_predictor: JudgmentPredictor) -> None:
    [pred] = fictional_predictor.predict_many([{"fact": "在禁猎期使用禁用的工具进行狩猎", "articles": [341]}])
    assert pred.charges == ["非法狩猎"]
    assert char_bigrams("盗窃，数额") == ["盗窃", "数额"]


def test_first_sentence_is_short() -> None:
    assert first_sentence("经审理查明：被告人某甲盗窃财物。后被抓获。") == "经审理查明：被告人某甲盗窃财物"
    assert len(first_sentence("某" * 200)) == 60


def test_predict_cli_rejects_a_bad_line(tmp_path: Path) -> None:
    from assistant.cli import cli

    bad = tmp_path / "facts.jsonl"
    bad.write_text('{"fact": "某甲盗窃"}\n{"nofact": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["predict", "--input", str(bad), "--output", str(tmp_path / "p.jsonl")])
    assert result.exit_code != 0
    assert "facts.jsonl:2" in result.output and "fact" in result.output


def test_predict_cli_names_a_line_json_refuses_past_its_syntax(tmp_path: Path) -> None:
    """A 5000-digit number is valid JSON syntax that json.loads refuses with a plain ValueError (Python's
    integer-string limit), which has no `.msg`: it was an AttributeError traceback, not the line's error."""
    from assistant.cli import cli

    bad = tmp_path / "facts.jsonl"
    bad.write_text(
        '{"fact": "某甲盗窃"}\n{"fact": "某乙", "articles": [' + "1" * 5000 + "]}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["predict", "--input", str(bad), "--output", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # not a traceback
    assert "facts.jsonl:2: not valid JSON" in result.output and "4300" in result.output


def test_predict_cli_rejects_an_empty_input(tmp_path: Path) -> None:
    from assistant.cli import cli

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(cli, ["predict", "--input", str(empty), "--output", str(out)])
    assert result.exit_code != 0 and "no" in result.output and not out.exists()


@pytest.mark.slow
def test_predict_and_eval_on_the_real_cail_cases(shared_corpus: Path, tmp_path: Path) -> None:
    """Facts alone, over all 分则 articles: the figures this approach reaches (see the module doc)."""
    from assistant.cli import cli
    from corpora.cases import load_cail

    test = load_cail(shared_corpus / "cases/cail2018/test.jsonl", "cail2018/test")[:300]
    facts = tmp_path / "facts.jsonl"
    facts.write_text(
        "".join(json.dumps({"fact": c.fact}, ensure_ascii=False) + "\n" for c in test), encoding="utf-8"
    )
    out = tmp_path / "pred.jsonl"
    runner = CliRunner()
    args = [
        "--corpus",
        str(shared_corpus),
        "--data-dir",
        str(tmp_path / "data"),
        "predict",
        "--input",
        str(facts),
        "--output",
        str(out),
        "--no-dense",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    preds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(preds) == len(test)
    golds = [{"articles": c.articles, "charges": c.charges, "term_months": c.term_months} for c in test]
    scores = score_predictions(golds, preds)
    assert scores.article_f1 > 0.40  # the whole test file without the embedder: .499
    assert sum(isinstance(p["term_months"], (int, float)) for p in preds) >= 0.9 * len(preds)
