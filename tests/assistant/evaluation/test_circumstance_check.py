"""How the court's reasoning is read as the gold set of circumstances (all reasoning here is fictional)."""

from __future__ import annotations

from assistant.evaluation.circumstances import court_cited, court_named


def test_claims_ruled_on_apart_in_one_sentence_are_judged_apart() -> None:
    reasoning = (
        "辩护人提出被告人属自动投案的辩护意见，与事实不符，本院不予采纳；"
        "辩护人提出被告人赔偿被害人的损失并取得被害人的谅解的辩护意见，本院可予采纳。"
    )
    assert court_named(reasoning) == {"赔偿谅解"}


def test_a_claim_is_not_judged_by_the_next_sentence_when_that_rules_on_other_claims() -> None:
    reasoning = (
        "被告人的辩护人辩称被告人具有坦白情节的辩护意见，经查属实，予以采信。"
        "其他辩护意见因与事实不符，不予采信。"
    )
    assert court_named(reasoning, cited=False) == {"坦白"}
    accepted_here = (
        "被告人如实供述，辩护人的相关意见本院予以采纳。辩护人关于适用缓刑的辩护意见，本院不予采纳。"
    )
    assert court_named(accepted_here, cited=False) == {"坦白"}


def test_a_claim_judged_by_the_next_sentence_still_counts() -> None:
    reasoning = "辩护人提出被告人系从犯。上述辩护意见与查明事实相符，予以采纳。"
    assert court_named(reasoning) == {"从犯"}
    rejected = "辩护人提出被告人系自首。经查，被告人系被抓获，该意见不予采纳。"
    assert court_named(rejected) == set()


def test_ordered_restitution_and_denied_surrender_are_not_named() -> None:
    assert court_named("被告人当庭自愿认罪。被告人犯罪所得，应当依法责令其退赔给被害人。") == {"当庭自愿认罪"}
    assert court_named("被告人主动投案，虽否认其主要罪行，不构成自首，但可酌情从轻。", cited=False) == set()


def test_paragraphs_cited_in_a_run_each_name_their_circumstance() -> None:
    # 刑法第六十七条第一款 grants 自首, its 第三款 坦白: a court that cites both names both
    cited = "依照《中华人民共和国刑法》第二百六十四条、第六十七条第一款、第三款、第五十二条之规定"
    assert court_cited(cited) == {"自首", "坦白"}
    # notes between the articles do not cut them off the Criminal Law
    noted = "依据《中华人民共和国刑法》第二百四十五条（非法侵入住宅罪），第六十七条第三款（坦白）的规定"
    assert court_cited(noted) == {"坦白"}
    # another law's 第六十五条 is no 累犯, and a bare 第六十七条 says neither 自首 nor 坦白
    other = "依照《中华人民共和国刑法》第六十七条，《中华人民共和国道路交通安全法》第六十五条之规定"
    assert court_cited(other) == set()
    assert court_cited("《中华人民共和国刑事诉讼法》第十五条") == {"认罪认罚"}
