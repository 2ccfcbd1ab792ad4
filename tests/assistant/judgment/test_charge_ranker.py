"""The one charge ranking: short facts, named charges, several crimes, evidence; the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_judgment import fictional_ranker

from assistant.judgment.ranker import ChargeCandidate


def test_short_facts_find_the_common_charge_not_the_rare_look_alike() -> None:
    # 秘密/窃取 are words of 第282条 too; the labelled theft cases decide (盗窃, 第264条).
    ranker = fictional_ranker()
    [first, *_] = ranker.rank_charges("被告人张某秘密窃取他人财物，价值2210元。")
    assert (first.charge, first.article) == ("盗窃", 264)
    assert first.paragraph == 1 and first.score > 0


def test_charges_without_cases_are_still_candidates() -> None:
    ranker = fictional_ranker()
    [first, *_] = ranker.rank_charges("被告人在禁猎区使用禁用的工具猎捕野生动物。")
    assert (first.charge, first.article) == ("非法狩猎", 341)
    assert any("狩猎" in e or "禁猎" in e for e in first.evidence)


def test_a_named_charge_comes_first_and_is_marked() -> None:
    ranker = fictional_ranker()
    ranked = ranker.rank_charges("被告人秘密窃取他人财物", named=["伪造、变造、买卖身份证件罪", "不存在的罪"])
    assert ranked[0].charge == "伪造、变造、买卖身份证件" and ranked[0].named
    assert [c.charge for c in ranker.recognised(ranked)] == ["伪造、变造、买卖身份证件"]
    assert len({c.charge for c in ranked}) == len(ranked)  # one candidate per charge


def test_recognised_needs_both_rankings_for_a_second_charge() -> None:
    ranker = fictional_ranker()
    a = ChargeCandidate("盗窃", 264, 0, 1, 1.0, lexical_rank=1, classifier_rank=1)
    b = ChargeCandidate("非法狩猎", 341, 0, 2, 0.99, lexical_rank=2, classifier_rank=2)
    c = ChargeCandidate("非法获取国家秘密", 282, 0, 1, 0.99, lexical_rank=2, classifier_rank=None)
    assert [x.charge for x in ranker.recognised([a, b])] == ["盗窃", "非法狩猎"]
    assert [x.charge for x in ranker.recognised([a, c])] == ["盗窃"]
    low = ChargeCandidate("非法狩猎", 341, 0, 2, 0.5, lexical_rank=2, classifier_rank=2)
    assert [x.charge for x in ranker.recognised([a, low])] == ["盗窃"]
    assert ranker.recognised([]) == []


def test_ranking_is_deterministic_and_batched_equals_single() -> None:
    ranker = fictional_ranker()
    facts = ["被告人入户盗窃手机一部", "被告人在禁猎期狩猎"]
    assert ranker.rank_many(facts) == [ranker.rank_charges(f) for f in facts]
    with pytest.raises(ValueError, match="named"):
        ranker.rank_many(facts, named=[()])


@pytest.mark.slow
def test_real_corpus_short_facts(shared_corpus: Path, tmp_path: Path) -> None:
    """The issue's examples, on the whole Criminal Law and the labelled cases; the ranker is cached."""
    from assistant.judgment.build import CACHE_SUBDIR, load_or_fit

    ranker = load_or_fit(shared_corpus, tmp_path)
    assert list((tmp_path / CACHE_SUBDIR).glob("*.pkl"))
    bus = ranker.rank_charges("被告人李某在公交车上××被害人手机一部，价值1500元。")[0]
    assert bus.charge == "盗窃"
    drunk = ranker.rank_charges("被告人王某醉酒驾驶机动车，经检测血液酒精含量为180mg/100ml。")[0]
    assert (drunk.charge, drunk.article, drunk.suffix) == ("危险驾驶", 133, 1)
    again = load_or_fit(shared_corpus, tmp_path)  # from the cache
    assert again.rank_charges("被告人在禁猎期狩猎") == ranker.rank_charges("被告人在禁猎期狩猎")


class _ScriptedRanker:
    """A charge ranker whose answer is fixed: the planner must follow it."""

    def __init__(self, candidate: ChargeCandidate) -> None:
        self.candidate = candidate
        self.calls: list[str] = []

    def rank_charges(self, facts: str, named: tuple[str, ...] = ()) -> list[ChargeCandidate]:
        self.calls.append(facts)
        return [self.candidate]


def test_the_sentencing_planner_takes_the_crime_from_the_charge_ranker() -> None:
    from assistant.agent.planning import plan_sentencing
    from tests.assistant.assistant_fakes import FakeSearcher

    searcher = FakeSearcher.from_fixture()
    question = "被告人醉酒驾驶机动车，血液酒精含量180mg/100ml，会判多久？"
    ranker = _ScriptedRanker(ChargeCandidate("盗窃", 264, 0, 1, 1.0))
    plan = plan_sentencing(searcher, question, charge_ranker=ranker)
    assert ranker.calls == [question]
    assert plan.articles == [264] and plan.charges == ["盗窃"]
    drunk = _ScriptedRanker(ChargeCandidate("危险驾驶", 133, 1, 1, 1.0))
    searcher.charge_ranker = drunk  # the searcher may carry it instead
    plan = plan_sentencing(searcher, question)
    assert plan.articles == [133] and plan.charges == ["危险驾驶"]


@pytest.mark.slow
def test_real_corpus_secret_theft(shared_corpus: Path, tmp_path: Path) -> None:
    from assistant.judgment.build import load_or_fit

    theft = load_or_fit(shared_corpus, tmp_path).rank_charges("被告人张某秘密窃取他人财物，价值2210元。")[0]
    assert (theft.charge, theft.article) == ("盗窃", 264)


def test_a_charge_contained_in_a_sibling_name_keeps_its_own_paragraph(shared_corpus: Path) -> None:
    """第三百五十八条第四款 (…协助组织他人卖淫…) holds 组织卖淫's words too; it is 协助组织卖淫's, and
    组织卖淫 keeps 第一款 (组织、强迫他人卖淫的，处五年以上十年以下有期徒刑)."""
    from assistant.judgment.charge_docs import SPECIAL_PART, charge_units
    from corpora.charges import load_charge_map
    from corpora.loader import load_corpus

    corpus = load_corpus(shared_corpus, law_dirs=["刑法"])
    articles = [
        a
        for a in corpus.articles
        if a.law_id == "刑法" and a.current and a.numbering == "article" and a.number in SPECIAL_PART
    ]
    units = {u.charge: u for u in charge_units(articles, load_charge_map(shared_corpus)) if u.article == 358}
    assert units["组织卖淫"].paragraph == 1 and units["组织卖淫"].text.startswith("组织、强迫他人卖淫的")
    assert units["协助组织卖淫"].paragraph == 4
    others = {u.charge: u.paragraph for u in charge_units(articles, load_charge_map(shared_corpus))}
    assert others["开设赌场"] == 2 and others["非法狩猎"] == 2  # unchanged where no name holds another


def test_a_sole_charges_paragraph_is_its_articles_first_own_with_its_items(shared_corpus: Path) -> None:
    """第一百六十三条 defines one charge: its 罪状 is 第一款 (索取…或者非法收受他人财物); 第二款 (回扣、
    手续费, «依照前款的规定处罚») only extends it. 第二百二十六条's items (（一）强买强卖商品的) are 项 of its only 款, not 款 of their own."""
    from assistant.judgment.charge_docs import SPECIAL_PART, charge_units
    from corpora.charges import load_charge_map
    from corpora.loader import load_corpus

    corpus = load_corpus(shared_corpus, law_dirs=["刑法"])
    articles = [
        a
        for a in corpus.articles
        if a.law_id == "刑法" and a.current and a.numbering == "article" and a.number in SPECIAL_PART
    ]
    units = {u.charge: u for u in charge_units(articles, load_charge_map(shared_corpus))}
    bribe = units["非国家工作人员受贿"]
    assert bribe.paragraph == 1 and "非法收受他人财物" in bribe.text
    forced = units["强迫交易"]
    assert (
        forced.paragraph == 1 and "强买强卖商品" in forced.text and "强迫他人提供或者接受服务" in forced.text
    )
    # 第二百四十二条第一款 hands its act to 第二百七十七条: the charge is 第二款's
    assert units["聚众阻碍解救被收买的妇女、儿童"].paragraph == 2


def test_the_classifier_centres_each_charge_on_the_narratives() -> None:
    """A charge with labelled cases sits close to every narrative (their narration): centring takes
    that off in proportion to how much the facts narrate, and leaves a plain question as it is."""
    from assistant.judgment.ranker import CentroidClassifier, NarrativeWeights

    cases = [
        (f"经审理查明，被告人某{i}于某日在某县某镇某村，秘密窃取他人手机一部，价值{i}00元。", 0)
        for i in range(6)
    ]
    others = [f"公诉机关指控，被告人驾驶机动车{i}次。" for i in range(6)]
    pseudo = [("盗窃公私财物", 0), ("在禁猎区、禁猎期使用禁用的工具狩猎", 1)]
    weights = NarrativeWeights([t for t, _ in cases] + others, 1.0)
    clf = CentroidClassifier(cases, pseudo, 2, weights, 1.0)
    assert clf.baseline[0] > 0.5 > clf.baseline[1] >= 0
    narrated = "经审理查明，被告人某甲于某日在某县某镇某村使用工具。"
    plain, centred = clf.scores([narrated], centred=False)[0], clf.scores([narrated], centred=True)[0]
    assert plain[0] - centred[0] > 0.2 > plain[1] - centred[1]
    question = "禁猎期打猎"
    assert clf.scores([question], centred=True).tolist() == clf.scores([question], centred=False).tolist()
