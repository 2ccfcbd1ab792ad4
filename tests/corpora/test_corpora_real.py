"""Integration on the real corpus in ../shared/corpora (skipped where it is absent)."""

from __future__ import annotations

import re
from pathlib import Path

from corpora.laws import parse_law_file, resolve_versions
from corpora.loader import Corpus
from corpora.numerals import cn_to_int

ARTICLE_LINE = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?")


def test_every_article_line_of_the_criminal_law_is_one_record(shared_corpus: Path) -> None:
    path = shared_corpus / "laws" / "刑法" / "刑法.md"
    expected = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ARTICLE_LINE.match(line)
        if m:
            expected.append((cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0))
    doc = parse_law_file(path, shared_corpus)
    assert len(expected) > 480
    assert [(a.number, a.suffix) for a in doc.articles] == expected
    assert doc.title == "中华人民共和国刑法" and doc.law_id == "刑法" and doc.kind == "法律"
    assert doc.amended == "2023-12-29"
    by_key = {a.article_key: a for a in doc.articles}
    assert by_key["133-1"].number_cn == "第一百三十三条之一"
    assert by_key["133-1"].text.startswith(
        "在道路上驾驶机动车，有下列情形之一的，处拘役，并处罚金：\n（一）追逐竞驶"
    )
    theft = by_key["264"]
    assert theft.text == (
        "盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃、携带凶器盗窃、扒窃的，处三年以下有期徒刑、拘役或者管制，"
        "并处或者单处罚金；数额巨大或者有其他严重情节的，处三年以上十年以下有期徒刑，并处罚金；数额特别巨大或者有其他"
        "特别严重情节的，处十年以上有期徒刑或者无期徒刑，并处罚金或者没收财产。"
    )
    assert theft.path == ("第二编 分则", "第五章 侵犯财产罪")
    assert theft.citation == "《中华人民共和国刑法》第二百六十四条"


def test_patent_rules_2010_and_2023_are_one_law(shared_corpus: Path) -> None:
    files = sorted((shared_corpus / "laws" / "行政法规").glob("专利法实施细则*.md"))
    docs = resolve_versions([parse_law_file(p, shared_corpus) for p in files])
    assert {d.law_id for d in docs} == {"专利法实施细则"}
    assert sorted(d.version for d in docs) == ["2010-01-09", "2023-12-11"]
    current = [d for d in docs if all(a.current for a in d.articles)]
    assert [d.version for d in current] == ["2023-12-11"]


def test_civil_code_is_one_law(real_corpus: Corpus) -> None:
    articles = [a for a in real_corpus.articles if a.law_id == "民法典"]
    assert {a.law_title for a in articles} == {"中华人民共和国民法典"}
    assert sorted(a.number for a in articles) == list(range(1, 1261))
    assert real_corpus.article("民法典", 463).path[0] == "合同编"


def test_whole_corpus_report(real_corpus: Corpus) -> None:
    report = real_corpus.report
    assert report.files_seen > 1500
    assert report.failures == []
    assert report.documents_per_kind["司法解释"] > 400 and report.documents_per_kind["行政法规"] > 600
    assert report.numbering["part"] > 40 and report.numbering["whole"] > 50
    ids = [a.record_id for a in real_corpus.articles]
    assert len(ids) == len(set(ids))
    assert report.cases_per_source == {"cail2018/train": 3664, "cail2018/test": 1394, "judge": 501}
    assert report.seconds["laws"] < 30


def test_amendments_and_replies_are_split_into_parts(real_corpus: Corpus) -> None:
    twelve = [a for a in real_corpus.articles if a.law_id == "刑法修正案（十二）"]
    assert [a.number_cn for a in twelve][:3] == ["一、", "二、", "三、"]
    assert all(a.numbering == "part" for a in twelve)
    assert "第三百九十条" in next(a.text for a in twelve if a.number == 5)


def test_judgments_have_terms_and_charges(real_corpus: Corpus) -> None:
    judge = [c for c in real_corpus.cases if c.source == "judge"]
    assert len(judge) == 501
    with_outcome = [c for c in judge if c.term_months is not None or c.life_imprisonment or c.death_penalty]
    assert len(with_outcome) / len(judge) > 0.95
    assert sum(bool(c.charges) for c in judge) / len(judge) > 0.95
    assert all(a >= 102 for c in judge for a in c.articles)
    assert all(a < 102 for c in judge for a in c.general_articles)


def test_judgment_charges_resolve_to_articles(real_corpus: Corpus, shared_corpus: Path) -> None:
    from corpora.charges import load_charge_map

    cmap = load_charge_map(shared_corpus)
    judge = [c for c in real_corpus.cases if c.source == "judge"]
    resolved = [c for c in judge if all(cmap.articles_for(ch) for ch in c.charges)]
    assert len(resolved) / len(judge) > 0.95


def test_cail_records(real_corpus: Corpus) -> None:
    test = [c for c in real_corpus.cases if c.source == "cail2018/test"]
    assert len(test) == 1394
    assert all(c.charges and c.fact for c in test)
    assert not any("[" in ch for c in test for ch in c.charges)


def test_special_part_articles_carry_their_charge_names(real_corpus: Corpus) -> None:
    from retrieval.entries import article_entry

    crim = {(a.number, a.suffix): a for a in real_corpus.articles if a.law_id == "刑法" and a.current}
    assert crim[(264, 0)].charges == ("盗窃",)
    assert crim[(133, 1)].charges == ("危险驾驶",)
    assert crim[(357, 0)].charges == (), "357 defines 毒品; it names no charge"
    assert crim[(67, 0)].charges == (), "general part"
    entry = article_entry(crim[(264, 0)])
    assert "【盗窃罪】" in entry.embed_text and "【盗窃罪】" in entry.lexical_text
    assert type(crim[(264, 0)]).from_dict(crim[(264, 0)].to_dict()) == crim[(264, 0)]
