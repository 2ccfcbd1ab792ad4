"""The pieces of ranking learned from the corpus, on small made-up data: exact-phrase index, question
memory, term map, coverage."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from finetune.retriever.terms import mine_term_map
from retrieval.coverage import corpus_snapshot, coverage, coverage_lines
from retrieval.memory import QuestionMemory
from retrieval.phrases import PhraseIndex, core_text, quoted_phrases


def test_phrase_index_finds_every_text_once_and_ignores_whitespace() -> None:
    index = PhraseIndex(
        [7, 8, 9], ["盗窃公私财物，数额较大的", "抢劫公私\n财物的", "盗窃公私财物，多次盗窃公私财物"]
    )
    assert index.containing("公私财物") == [7, 8, 9]
    assert index.containing("抢劫公私财物") == [8]
    assert index.containing("数额较大的抢劫") == []  # never across two texts
    assert index.containing("公私财物", limit=2) == [7, 8]
    assert index.containing("") == []


def test_quotes_and_core_text() -> None:
    assert quoted_phrases("“数额较大”和「多次盗窃」是什么意思") == ["数额较大", "多次盗窃"]
    assert quoted_phrases("没有引号") == []
    assert core_text("  “盗窃公私财物，数额较大的。”  ") == "盗窃公私财物，数额较大的"


def test_question_memory_round_trip_and_nearest(tmp_path: Path) -> None:
    vectors = np.eye(3, 4, dtype=np.float32)
    memory = QuestionMemory(vectors, [[("民法典", 1079, 0)], [("刑法", 264, 0)], [("劳动合同法", 0, 0)]])
    memory.save(tmp_path, ["离婚", "偷东西", "开除"])
    loaded = QuestionMemory.load(tmp_path)
    assert loaded is not None and loaded.targets[1] == [("刑法", 264, 0)]
    near = loaded.nearest(np.array([0.1, 0.9, 0.0, 0.0]), 2)
    assert [row for row, _ in near] == [1, 0]
    assert QuestionMemory.load(tmp_path / "nothing") is None


def test_term_map_learns_the_legal_word_an_everyday_word_stands_for() -> None:
    pairs = [(f"公司把我开除了{i}", f"用人单位违法解除劳动合同的，应当支付赔偿金{i}") for i in range(6)]
    pairs += [(f"邻居的狗咬人{i}", f"饲养的动物造成他人损害的，饲养人承担侵权责任{i}") for i in range(6)]
    pairs += [(f"别的问题{i}", f"其他的回答内容{i}") for i in range(200)]
    words = ["公司", "开除", "用人单位", "解除", "劳动合同", "赔偿金", "邻居", "狗", "动物", "饲养", "其他"]
    terms = mine_term_map(pairs, lambda text: [w for w in words if w in text], per_word=5)
    assert "解除" in [t for t, _ in terms["开除"]] and "动物" not in [t for t, _ in terms["开除"]]
    assert "动物" in [t for t, _ in terms["狗"]]
    assert "其他" not in terms
    assert all(0 < w <= 1 for ts in terms.values() for _, w in ts)


def _entry(law: str, kind: str, date: str, current: bool = True) -> dict:
    record = {"law_id": law, "law_title": law, "kind": kind, "current": current, "version": date}
    return {"record_type": "article", "record": record}


def test_coverage_counts_current_laws_and_names_the_newest(tmp_path: Path) -> None:
    entries = [
        _entry("刑法", "法律", "2023-12-29"),
        _entry("刑法", "法律", "2023-12-29"),
        _entry("刑法", "法律", "2020-12-26", current=False),
        _entry("盗窃解释", "司法解释", "2013-04-04"),
        {"record_type": "case", "record": {}},
    ]
    cov = coverage(entries)
    assert cov["laws"] == 2 and cov["laws_by_kind"] == {"法律": 1, "司法解释": 1}
    assert cov["current_articles"] == 3 and cov["cases"] == 1
    assert cov["newest_document"] == {"title": "刑法", "date": "2023-12-29"}
    assert "laws made or revised after 2023-12-29" in cov["not_covered"][0]
    assert coverage_lines(cov)[0].startswith("coverage: 2 laws")
    assert corpus_snapshot(tmp_path) == {} and corpus_snapshot(None) == {}


def test_the_everyday_suite_is_kept_whole() -> None:
    import tomllib

    from corpora.citations import parse_citations
    from retrieval.quality import SUITE_FILE

    rows = tomllib.loads(SUITE_FILE.read_text(encoding="utf-8"))["question"]
    assert len(rows) >= 100
    assert {r["area"] for r in rows} == {"刑事", "知识产权", "民事", "婚姻家庭", "劳动", "行政"}
    assert len({r["text"] for r in rows}) == len(rows)
    for row in rows:  # each answer is one citation with its law, as load_suite resolves it
        assert row["articles"] and all(len(parse_citations(a)) == 1 for a in row["articles"]), row
        assert all(parse_citations(a)[0].law for a in row["articles"]), row


def test_the_memory_counts_only_as_far_as_a_remembered_question_is_near() -> None:
    from retrieval.search import _ramp

    assert _ramp(0.3, 0.4, 0.6) == 0.0  # nothing remembered is near: its votes are noise
    assert _ramp(0.5, 0.4, 0.6) == 0.5
    assert _ramp(0.7, 0.4, 0.6) == 1.0
    assert _ramp(-0.2, 0.0, 0.0) == 1.0  # an empty range: full weight always


def test_a_title_the_corpus_misspells_is_found_by_its_right_spelling() -> None:
    from retrieval.search import title_aliases

    assert title_aliases("最高人民法院于适用财产刑若干问题的规定") == [
        "最高人民法院于适用财产刑若干问题的规定",
        "最高人民法院关于适用财产刑若干问题的规定",
    ]
    assert title_aliases("最高人民法院关于适用财产刑若干问题的规定") == [
        "最高人民法院关于适用财产刑若干问题的规定"
    ]
