"""The one Lawyer-LLaMA reader (corpora.qa.lawyer_llama): its layouts read alike (records written here)."""

from __future__ import annotations

import json
from pathlib import Path

from corpora.qa import consultations, lawyer_llama


def _write(path: Path, items: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def test_each_layout_gives_a_question_its_material_and_its_answer(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "mixed.json",
        [
            {"instruction": " 盗窃罪的起刑点是多少？ ", "input": "", "output": "数额较大……"},
            {"input": "甲在公园内……应如何认定?", "output": "甲构成……", "type": "qingjing"},  # fakao_gpt4
            {
                "query": "他不同意离婚怎么办",
                "laws": ["《民法典》第一千零七十九条：……", 7],
                "response": "可以起诉。",
            },
        ],
    )
    items = list(lawyer_llama(path))
    assert [(i.source, i.question, i.input, i.answer) for i in items] == [
        ("mixed.json:1", "盗窃罪的起刑点是多少？", "", "数额较大……"),
        ("mixed.json:2", "甲在公园内……应如何认定?", "", "甲构成……"),
        ("mixed.json:3", "他不同意离婚怎么办", "", "可以起诉。"),
    ]
    assert items[2].laws == ("《民法典》第一千零七十九条：……",)  # a law that is not text is left out
    assert all(i.turns is None for i in items)


def test_a_multi_turn_history_is_read_as_client_and_lawyer_turns(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "multi.json",
        [
            {
                "query": "q",
                "laws": [],
                "history": ["[客户] 能离婚吗", "[客户] 他赌博", "[律师] 可以", "还要分财产吗", "看情况"],
            },
            {
                "query": "q2",
                "laws": [],
                "history": ["[律师] 您好", "[客户] 你好"],
            },  # the lawyer opens, the client ends
        ],
    )
    first, second = lawyer_llama(path)
    # consecutive turns of one speaker are one turn; an unmarked turn is the other speaker's
    assert first.turns == ("能离婚吗\n他赌博", "可以", "还要分财产吗", "看情况") and first.answer == ""
    assert second.turns == ()


def test_a_record_whose_question_or_answer_is_not_text_is_reported_and_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.json",
        [{"instruction": "问", "output": ["答"]}, {"instruction": "问", "output": "答"}],
    )
    problems: list[str] = []
    assert [i.answer for i in lawyer_llama(path, problems.append)] == ["答"]
    assert problems == ["unusable record in bad.json"]


def test_consultations_are_the_lawyer_items_of_the_consultation_files(tmp_path: Path) -> None:
    data = tmp_path / "qa" / "lawyer_llama" / "data"
    _write(
        data / "zixun_gpt4.json",
        [{"query": "", "laws": [], "response": "无问"}, {"query": "问", "laws": [], "response": "答"}],
    )
    _write(
        data / "legal_counsel_multi_turn_with_article_v2.json", [{"query": "多轮", "laws": [], "history": []}]
    )
    got = [(c.query, c.response, c.source, c.multi_turn) for c in consultations(tmp_path)]
    assert got == [
        ("问", "答", "zixun_gpt4.json:2", False),
        ("多轮", "", "legal_counsel_multi_turn_with_article_v2.json:1", True),
    ]
