"""Several crimes in one telling (数罪): each act's clause is ranked alone, a further crime needs both
rankings' agreement, and each crime is sentenced on its own amount (刑法第六十九条 combines them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from assistant.judgment.ranker import ChargeCandidate
from assistant.judgment.several import acts, crimes_in, told

THEFT = ChargeCandidate("盗窃", 264, 0, 1, 0.20, lexical_rank=1, classifier_rank=1)
INJURY = ChargeCandidate("故意伤害", 234, 0, 1, 0.19, lexical_rank=2, classifier_rank=1)
FRAUD_AS_BACKGROUND = ChargeCandidate("诈骗", 266, 0, 1, 0.15, lexical_rank=7, classifier_rank=1)
AIDING = ChargeCandidate("帮助信息网络犯罪活动", 287, 2, 1, 0.20, lexical_rank=1, classifier_rank=1)


class _Ranker:
    """Ranks by the words a text holds: the scripted first charge for each act."""

    settings = SimpleNamespace(max_charges=3, everyday_full_chars=150)

    def __init__(self, by_words: dict[str, list[ChargeCandidate]]) -> None:
        self.by_words = by_words

    def rank_charges(self, facts: str, named: Sequence[str] = ()) -> list[ChargeCandidate]:
        return next((c for w, c in self.by_words.items() if w in facts), [])

    def recognised(self, candidates: Sequence[ChargeCandidate]) -> list[ChargeCandidate]:
        return list(candidates)  # as eager as can be: the question's rule must still keep one per act


def test_acts_are_split_where_another_act_is_told() -> None:
    assert acts("他先偷了邻居的电动车，价值5000元，后来又持刀把人砍成轻伤，会怎么判？") == [
        "他先偷了邻居的电动车，价值5000元",
        "持刀把人砍成轻伤，会怎么判",
    ]
    assert len(acts("借款到期后他拒不归还，还款期限已过，又称没钱")) == 1  # 归还、还款、又称 start no new act


def test_a_further_act_is_a_further_crime_when_both_rankings_agree() -> None:
    ranker = _Ranker({"偷": [THEFT], "砍成轻伤": [INJURY]})
    found = crimes_in(ranker, "他先偷了邻居的电动车，价值5000元，后来又持刀把人砍成轻伤，会怎么判？")
    assert [c.charge for c in found] == ["盗窃", "故意伤害"]


def test_a_supposed_fact_and_a_second_reading_of_one_act_are_not_further_crimes() -> None:
    bribe = ChargeCandidate("受贿", 385, 0, 1, 0.2, lexical_rank=1, classifier_rank=1)
    unit = ChargeCandidate("单位受贿", 387, 0, 1, 0.2, lexical_rank=1, classifier_rank=1)
    ranker = _Ranker({"局长": [bribe, unit], "如果": [unit]})
    # the follow-up supposes another amount; the whole question's second reading (单位受贿) is not a crime
    found = crimes_in(ranker, "某局长收受贿赂，为他人谋取利益，会判几年。如果受贿金额是300万元呢")
    assert [c.charge for c in found] == ["受贿"]
    # a supposed identity re-reads the act told before it: 职务侵占 and 贪污 read the same words by who did
    # them (everyday_terms.toml), so the earlier clause alone is not another crime
    embezzled = ChargeCandidate("职务侵占", 271, 0, 1, 0.2, lexical_rank=1, classifier_rank=1)
    cashier = _Ranker({"国有": [ChargeCandidate("贪污", 382, 0, 1, 0.2)], "出纳": [embezzled]})
    told = "在一家公司当出纳，把账上的钱转到自己账户。如果他是国有公司的出纳呢"
    assert [c.charge for c in crimes_in(cashier, told)] == ["贪污"]


def test_several_crimes_survive_a_supposed_amount() -> None:
    ranker = _Ranker({"偷": [THEFT], "砍成轻伤": [INJURY]})
    told = "他先偷了邻居的电动车，价值，后来又持刀把人砍成轻伤，会怎么判。如果偷的是5万元呢"
    assert [c.charge for c in crimes_in(ranker, told)] == ["盗窃", "故意伤害"]


def test_an_alternative_reading_of_the_same_act_is_not_a_further_crime() -> None:
    # 卖银行卡 told with 电信诈骗: the lexical ranking puts 诈骗 seventh, so 帮信 stays alone
    ranker = _Ranker({"银行卡": [AIDING], "电信诈骗": [FRAUD_AS_BACKGROUND]})
    found = crimes_in(ranker, "把三张银行卡卖给了别人，后来知道被用来电信诈骗，会怎么判？")
    assert [c.charge for c in found] == ["帮助信息网络犯罪活动"]


def test_a_judgment_narrative_is_ranked_whole() -> None:
    ranker = _Ranker({"偷": [THEFT], "砍成轻伤": [INJURY]})
    long = "他先偷了邻居的电动车，价值5000元。" + "经查，" * 60 + "后来又持刀把人砍成轻伤。"
    assert [c.charge for c in crimes_in(ranker, long)] == ["盗窃"]


def test_each_crime_is_told_by_its_own_clauses() -> None:
    ranker = _Ranker(
        {
            "骗": [ChargeCandidate("诈骗", 266, 0, 1, 0.2)],
            "信用卡": [ChargeCandidate("信用卡诈骗", 196, 0, 1, 0.2)],
        }
    )
    by_charge = told(
        ranker, "他骗了朋友8万元，还捡到别人的信用卡去ATM取了2万元，会判几年？", ["信用卡诈骗", "诈骗"]
    )
    assert by_charge["诈骗"].startswith("他骗了朋友8万元") and "2万元" not in by_charge["诈骗"]
    assert "信用卡去ATM取了2万元" in by_charge["信用卡诈骗"] and "8万元" not in by_charge["信用卡诈骗"]
    assert (
        told(ranker, "公诉机关指控：被告人骗了朋友8万元，还捡到信用卡取了2万元。", ["诈骗"]) == {}
    )  # sentenced whole


def test_each_crime_is_sentenced_on_its_own_amount(shared_corpus: Path) -> None:
    """诈骗8万元 reaches 数额巨大 (法释〔2011〕7号第一条: 3万元), 信用卡诈骗2万元 only 数额较大 (5万元 is 巨大):
    one crime of 10万元 would put 信用卡诈骗 in 五年以上."""
    from assistant.evaluation.sentencing import criminal_law_texts
    from assistant.sentencing import estimate_sentence

    texts = criminal_law_texts(shared_corpus)
    fact = "他骗了朋友8万元，还捡到别人的信用卡去ATM取了2万元。"
    by_charge = {"诈骗": "他骗了朋友8万元", "信用卡诈骗": "捡到别人的信用卡去ATM取了2万元"}
    est = estimate_sentence(fact, ["诈骗", "信用卡诈骗"], [266, 196], texts, facts_by_charge=by_charge)  # type: ignore[arg-type]
    statutory = {c.charge: c.statutory for c in est.charges}
    assert statutory["诈骗"] is not None and statutory["诈骗"][0] == 36
    assert statutory["信用卡诈骗"] is not None and statutory["信用卡诈骗"][1] == 60
    assert est.point_months is not None
    assert (
        max(c.point or 0 for c in est.charges) <= est.point_months <= sum(c.point or 0 for c in est.charges)
    )
    whole = estimate_sentence(fact, ["诈骗", "信用卡诈骗"], [266, 196], texts)  # type: ignore[arg-type]
    assert {c.charge: c.statutory for c in whole.charges}["信用卡诈骗"] != statutory["信用卡诈骗"]


def test_the_planner_keeps_one_charge_with_a_ranker_that_gives_one() -> None:
    from assistant.agent.planning import plan_sentencing
    from tests.assistant.assistant_fakes import FakeSearcher

    class _One:
        def rank_charges(self, facts: str, named: Sequence[str] = ()) -> list[ChargeCandidate]:
            return [THEFT]

    plan = plan_sentencing(
        FakeSearcher.from_fixture(), "他偷了手机，后来又偷了电脑，会判多久？", charge_ranker=_One()
    )
    assert plan.charges == ["盗窃"] and not plan.charge_facts


def test_the_rankings_charge_of_an_article_is_kept_where_the_guideline_names_another() -> None:
    """A lawyer's review (stop 26): a policeman struck was sentenced as the guideline's 妨害公务 while the answer named
    袭警 (刑法第二百七十七条第五款); the ranking's own charge of the article is the one sentenced."""
    from dataclasses import replace

    from assistant.agent.planning import plan_sentencing
    from tests.assistant.assistant_fakes import FakeSearcher, fictional_article

    article = replace(
        fictional_article(
            "刑法", 277, "暴力袭击正在依法执行职务的人民警察的，处三年以下有期徒刑、拘役或者管制。"
        ),
        law_title="中华人民共和国刑法",
        law_id="刑法",
        collection="statutes",
    )
    searcher = FakeSearcher([article, *FakeSearcher.from_fixture().hits])

    class _Ranked:
        def __init__(self, charge: str) -> None:
            self.charge = charge

        def rank_charges(self, facts: str, named: Sequence[str] = ()) -> list[ChargeCandidate]:
            return [ChargeCandidate(self.charge, 277, 0, 5, 0.3, lexical_rank=1, classifier_rank=1)]

    told = "他打了正在执勤的民警一拳，会判多久？"
    assert plan_sentencing(searcher, told, charge_ranker=_Ranked("袭警")).charges[0] == "袭警"
    assert plan_sentencing(searcher, told, charge_ranker=_Ranked("妨害公务")).charges[0] == "妨害公务"
