"""Similar cases share the charges, are ranked by what drives the sentence, and a median that
disagrees with the estimate is explained; the training data is labelled by the engine's detector."""

from __future__ import annotations

from assistant.sentencing import estimate_sentence, find_circumstances
from assistant.sentencing.similar import same_charges, summarize_similar
from corpora.judgments import head_and_reasoning, split_judgment
from corpora.records import CaseRecord
from finetune import judgment as training

THEFT_TEXT = {
    264: "盗窃公私财物，数额较大的，处三年以下有期徒刑、拘役或者管制，并处或者单处罚金；数额巨大或者有其他严重情节的，"
    "处三年以上十年以下有期徒刑，并处罚金；数额特别巨大或者有其他特别严重情节的，处十年以上有期徒刑或者无期徒刑，并处罚金或者没收财产。"
}


def _case(i: int, fact: str, charges: tuple[str, ...], months: float) -> CaseRecord:
    return CaseRecord(case_id=f"x:{i}", source="x", fact=fact, charges=charges, term_months=months)


def test_similar_cases_share_the_charges() -> None:
    pool = [
        _case(1, "被告人盗窃手机，价值5000元。", ("盗窃",), 6),
        _case(2, "被告人抢劫并盗窃，价值5000元。", ("抢劫", "盗窃"), 60),
        _case(3, "被告人诈骗5000元。", ("诈骗",), 8),
    ]
    assert [c.case_id for c in same_charges(pool, ["盗窃"])] == ["x:1"]
    assert [c.case_id for c in same_charges(pool, ["抢劫"])] == ["x:2"]  # no exact set: those holding it
    summary = summarize_similar(pool, "被告人盗窃价值5000元的财物。", charges=["盗窃"])
    assert [c.case_id for c in summary.cases] == ["x:1"] and summary.median_months == 6


def test_similar_cases_are_ranked_by_the_amount() -> None:
    pool = [
        _case(1, "被告人盗窃他人财物价值200万元，在超市内作案。", ("盗窃",), 150),
        _case(2, "被告人在商场盗窃财物，价值5200元。", ("盗窃",), 7),
        _case(3, "被告人盗窃他人财物价值4万元，在超市内作案。", ("盗窃",), 40),
    ]
    summary = summarize_similar(pool, "被告人在超市内盗窃他人财物价值5000元。", charges=["盗窃"])
    assert summary.cases[0].case_id == "x:2" and "数额5200元" in summary.cases[0].why


def test_life_and_death_sentences_rank_above_every_fixed_term() -> None:
    """Three of five same-charge cases got life or death: the median is the fixed term's ceiling
    (刑法第四十五条, fifteen years), not the median of the two fixed terms, and the summary says so."""
    pool = [
        _case(1, "被告人持刀杀死被害人。", ("故意杀人",), 84),
        _case(2, "被告人持刀杀死被害人。", ("故意杀人",), 180),
        CaseRecord(
            case_id="x:3",
            source="x",
            fact="被告人杀死被害人。",
            charges=("故意杀人",),
            life_imprisonment=True,
        ),
        CaseRecord(
            case_id="x:4",
            source="x",
            fact="被告人杀死被害人。",
            charges=("故意杀人",),
            life_imprisonment=True,
        ),
        CaseRecord(
            case_id="x:5", source="x", fact="被告人杀死被害人。", charges=("故意杀人",), death_penalty=True
        ),
    ]
    summary = summarize_similar(pool, "被告人用刀杀死前女友。", charges=["故意杀人"])
    assert summary.median_months == 180 and summary.n_terms == 5 and summary.n_life_or_death == 3
    assert "3件判处无期徒刑或死刑" in summary.notes[0]
    fixed_only = summarize_similar(pool[:2], "被告人用刀杀死前女友。", charges=["故意杀人"])
    assert fixed_only.median_months == 132 and not fixed_only.notes


def test_a_disagreeing_median_is_explained() -> None:
    pool = [_case(i, f"被告人盗窃财物价值{20 + i}万元。", ("盗窃",), 48) for i in range(6)]
    est = estimate_sentence(
        "被告人盗窃他人财物价值3000元，到案后如实供述。", ["盗窃"], [264], THEFT_TEXT, pool
    )
    note = est.similar_disagreement()
    assert "相差较大" in note and "数额" in note and "坦白" in note
    assert note in est.to_markdown()
    close = [_case(i, "被告人盗窃他人财物价值3000元。", ("盗窃",), est.point_months or 0) for i in range(6)]
    agree = estimate_sentence(
        "被告人盗窃他人财物价值3000元，到案后如实供述。", ["盗窃"], [264], THEFT_TEXT, close
    )
    assert agree.similar_disagreement() == ""


def test_training_data_is_labelled_by_the_engine_detector() -> None:
    text = "辩护人提出被告人系自首的意见。经审理查明，被告人被抓获后如实供述了犯罪事实。"
    engine = {c.name for c in find_circumstances(text)}
    labels = {c.name for c in training.find_circumstances(text)}
    assert "自首" not in engine and "自首" not in labels  # counsel's claim is no finding, in both
    assert "坦白" in engine and "坦白" in labels
    assert training.format_term(4) == "拘役四个月" and training.format_term(30) == "有期徒刑二年六个月"
    assert training.format_term(0) == ""  # no term: not '有期徒刑一个月'


def test_one_split_of_a_judgment() -> None:
    fd = "公诉机关指控：被告人盗窃。本院认为，被告人构成盗窃罪。依照《中华人民共和国刑法》第二百六十四条之规定，判决如下：被告人犯盗窃罪。如不服本判决，可上诉。"
    head, reasoning = head_and_reasoning(fd)
    parts = split_judgment(fd)
    assert head.startswith("公诉机关指控") and reasoning.startswith("，被告人构成盗窃罪")
    assert (
        parts.ok and parts.part("citation").startswith("依照") and training.split_judgment is split_judgment
    )
