"""Article → charge names, from the opinion and the supplements applied in date order."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.charges import ChargeMapError, _is_part_of, load_charge_map

CHARGES = Path(__file__).resolve().parents[1] / "fixtures" / "corpora" / "charges"


def test_fictional_charge_documents() -> None:
    cmap = load_charge_map(CHARGES)
    assert cmap.charges_for(102) == ["甲乙丙"], "甲乙 was cancelled and replaced"
    assert cmap.charges_for(103) == ["丙丁"]
    assert cmap.charges_for(104) == cmap.charges_for(105) == ["偷越国（边）境虚构"]
    assert cmap.charges_for(120, 1) == ["虚构恐怖", "虚构续行"], (
        "an empty article cell continues the row above"
    )
    assert cmap.charges_for(106) == ["己、庚", "新戊"], "旧名 cancelled by (一), 戊 renamed by (八)"
    assert cmap.charges_for(107) == ["滥用虚构", "玩忽虚构"]
    assert cmap.charges_for(109) == ["拒绝提供虚构犯罪、极端犯罪证据"], (
        "犯罪、 inside a name does not split it"
    )
    assert cmap.charges_for(108) == ["补充"], "crime-mapping.json fills charges the documents miss"
    assert "旧名" not in cmap.all_charges(), "a cancelled name is not brought back by crime-mapping.json"
    assert "甲乙丙2" not in cmap.all_charges()
    assert cmap.articles_for("旧名罪") == [106], "cancelled names still resolve to their article"
    assert cmap.articles_for("[甲乙]丙") == [102]
    assert sorted(cmap.current_name("旧名")) == ["己、庚", "新戊"]
    assert cmap.articles_for("没有这个罪") == []
    assert cmap.charges_for(999) == []
    assert len(cmap.sources) == 4


@pytest.mark.parametrize(
    ("part", "name", "expected"),
    [
        ("贩卖毒品", "走私、贩卖、运输、制造毒品", True),
        ("贩卖、运输毒品", "走私、贩卖、运输、制造毒品", True),
        ("窝藏", "窝藏、包庇", True),
        ("运输", "走私、贩卖、运输、制造毒品", False),
        ("非法持有毒品", "走私、贩卖、运输、制造毒品", False),
        ("毒品", "走私、贩卖、运输、制造毒品", False),
        ("走私、贩卖、运输、制造毒品", "走私、贩卖、运输、制造毒品", False),
    ],
)
def test_parts_of_selective_names(part: str, name: str, expected: bool) -> None:
    assert _is_part_of(part, name) is expected


def test_missing_documents(tmp_path: Path) -> None:
    with pytest.raises(ChargeMapError, match="no charge-name opinion"):
        load_charge_map(tmp_path)


def test_real_charge_map(shared_corpus: Path) -> None:
    cmap = load_charge_map(shared_corpus)
    assert cmap.charges_for(264) == ["盗窃"]
    assert cmap.charges_for(133, 1) == ["危险驾驶"]
    assert cmap.charges_for(133) == ["交通肇事"]
    assert cmap.charges_for(141) == ["生产、销售、提供假药"]  # renamed by (七)
    assert cmap.charges_for(169) == ["徇私舞弊低价折股、出售公司、企业资产"]  # renamed by (八)
    assert cmap.articles_for("[走私、贩卖、运输、制造]毒品") == [347]
    assert cmap.articles_for("生产、销售假药") == [141]
    assert cmap.articles_for("贩卖毒品") == [347]  # judgments name a part of a selective charge
    assert cmap.official_names("容留卖淫") == ["引诱、容留、介绍卖淫"]
    assert len(cmap.all_charges()) > 450
    accu = [
        line.strip()
        for line in (shared_corpus / "labels" / "accu.txt").read_text(encoding="utf-8").splitlines()
    ]
    accu = [a for a in accu if a]
    mapped = [a for a in accu if cmap.articles_for(a)]
    assert len(accu) == 202
    assert len(mapped) >= 195, sorted(set(accu) - set(mapped))


def test_naming_period_is_chosen_by_the_labels_names() -> None:
    from corpora.charges import as_of_for_labels, naming_dates

    assert naming_dates(CHARGES) == ["2024-01-29", None]
    assert as_of_for_labels(CHARGES, ["戊罪", "戊", "丙丁"]) == "2024-01-29", "戊 is the name before (八)"
    assert as_of_for_labels(CHARGES, ["新戊", "丙丁"]) is None, "today's names"
    assert as_of_for_labels(CHARGES, ["丙丁"]) is None, "a tie goes to the later period"


def test_a_name_from_a_later_supplement_is_not_in_force_before_it() -> None:
    # crime-mapping.json lists today's names; as of a day before (八), 新戊 did not exist yet
    before = load_charge_map(CHARGES, as_of="2024-01-29")
    assert "新戊" not in before.all_charges()
    assert "戊" in before.charges_for(106)
    assert "新戊" in load_charge_map(CHARGES).charges_for(106)


def test_zhang_variant_is_one_spelling() -> None:
    from corpora.cases import normalize_charge

    assert normalize_charge("隐匿、故意销毁会计凭证、会计帐簿、财务会计报告罪") == (
        "隐匿、故意销毁会计凭证、会计账簿、财务会计报告"
    )


def test_cail_labels_use_the_names_before_the_2015_renames(shared_corpus: Path) -> None:
    import json

    from corpora.charges import as_of_for_labels

    path = shared_corpus / "cases" / "cail2018" / "test.jsonl"
    labels = [a for line in path.open(encoding="utf-8") for a in json.loads(line)["meta"]["accusation"]]
    assert as_of_for_labels(shared_corpus, labels) == "2015-10-29"
