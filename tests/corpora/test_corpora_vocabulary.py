"""The legal vocabulary for jieba comes from the corpus itself."""

from __future__ import annotations

from pathlib import Path

from corpora.charges import load_charge_map
from corpora.loader import Corpus, load_corpus
from corpora.vocabulary import defined_terms, heading_terms, jieba_userdict_lines, legal_vocabulary

CHARGES = Path(__file__).resolve().parents[1] / "fixtures" / "corpora" / "charges"


def test_vocabulary_of_the_mini_corpus(mini_corpus: Path) -> None:
    corpus = load_corpus(mini_corpus, cases=False)
    words = legal_vocabulary(corpus, charge_map=load_charge_map(CHARGES))
    for word in [
        "甲乙丙",
        "甲乙丙罪",
        "新戊罪",
        "中华人民共和国虚构商事法",
        "虚构商事法",
        "虚构法实施细则",
        "虚构商品",
        "经营者",
    ]:
        assert word in words, word
    assert words == sorted(set(words))
    assert "需要登记的" not in words
    lines = jieba_userdict_lines(words)
    assert all(len(line.split(" ")) == 2 for line in lines)


def test_vocabulary_without_charge_documents(mini_corpus: Path) -> None:
    words = legal_vocabulary(load_corpus(mini_corpus, cases=False))
    assert "虚构商事法" in words and "甲乙丙" not in words


def test_defined_terms_from_items() -> None:
    text = "主刑的种类如下：\n（一）管制；\n（二）拘役；\n（三）有期徒刑；\n（四）其他情形；"
    assert sorted(defined_terms([text])) == ["拘役", "有期徒刑", "管制"]


def test_real_vocabulary(real_corpus: Corpus) -> None:
    words = set(legal_vocabulary(real_corpus))
    for word in [
        "盗窃",
        "盗窃罪",
        "危险驾驶罪",
        "刑法",
        "民法典",
        "专利法实施细则",
        "有期徒刑",
        "剥夺政治权利",
        "侵犯财产罪",
    ]:
        assert word in words, word


def test_heading_terms_are_the_names_without_their_numbers() -> None:
    paths = [
        ("第三编 合同", "第一分编 通则", "第一章 一般规定"),
        ("第二编 分则", "第五章 侵犯财产罪"),
        ("第十章",),
    ]
    assert heading_terms(paths) == sorted({"合同", "通则", "一般规定", "分则", "侵犯财产罪"})
