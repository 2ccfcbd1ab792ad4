"""Which kind leads a consultation: the statute the search finds, or the interpretation article whose
words the question uses (assistant.agent.answering.interpretation_lead)."""

from __future__ import annotations

from dataclasses import replace

from assistant.agent import answering, planning
from assistant.services.answer import AssistantService
from assistant.settings import load_settings
from tests.assistant.assistant_fakes import FakeSearcher, fictional_article


def _statute(number, text):
    return replace(fictional_article("虚构婚姻法", number, text + "（虚构测试条文）"), collection="statutes")


def _interpretation(number, text):
    hit = fictional_article("虚构婚姻法解释", number, text + "（虚构测试条文）")
    return replace(hit, collection="interpretations", kind="司法解释")


# As 民法典第一千零四十九条 and 婚姻家庭编解释（一）第五条: the statute shares the question's words (结婚登记),
# the interpretation answers it (彩礼 returned when no marriage was registered).
REGISTER = _statute(1049, "要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。")
GIFTS = _interpretation(
    5, "当事人请求返还按照习俗给付的彩礼的，双方未办理结婚登记手续的，人民法院应当予以支持。"
)
OTHER = _interpretation(
    7, "未依据民法典第一千零四十九条规定办理结婚登记而以夫妻名义共同生活的男女，应当补办结婚登记。"
)


class Named(FakeSearcher):
    """A fake searcher whose lexicon names `sources` for every question: a list of articles (each matched by
    two characters) or {article: length of the longest stretch of the question an entry naming it matched}."""

    def __init__(self, hits, sources):
        super().__init__(hits)
        self.sources = sources if isinstance(sources, dict) else dict.fromkeys(sources, 2)

    def lexicon_evidence(self, query):
        return dict(self.sources)


def _key(hit):
    return (hit.law_id, hit.number, hit.suffix)


def test_the_interpretation_the_lexicon_names_leads_over_an_unnamed_statute():
    statutes, interps = answering.interpretation_lead(
        Named([], [_key(GIFTS)]), "彩礼", [REGISTER], [OTHER, GIFTS]
    )
    assert statutes == [GIFTS, REGISTER] and interps == [OTHER]


def test_the_statute_stays_first_when_the_lexicon_names_it_too():
    searcher = Named([], [_key(GIFTS), _key(REGISTER)])
    assert answering.interpretation_lead(searcher, "彩礼", [REGISTER], [GIFTS]) == ([REGISTER], [GIFTS])
    # unless the entry naming the interpretation matched more of the question: it tells the situation
    longer = Named([], {_key(REGISTER): 4, _key(GIFTS): 12})
    assert answering.interpretation_lead(longer, "彩礼", [REGISTER], [GIFTS]) == ([GIFTS, REGISTER], [])
    shorter = Named([], {_key(REGISTER): 12, _key(GIFTS): 4})
    assert answering.interpretation_lead(shorter, "彩礼", [REGISTER], [GIFTS]) == ([REGISTER], [GIFTS])


def test_nothing_moves_without_the_lexicon_s_word_or_the_search_s_hit():
    # no entry names anything; the entry names an interpretation the search did not find; no lexicon at all
    assert answering.interpretation_lead(Named([], []), "彩礼", [REGISTER], [GIFTS]) == ([REGISTER], [GIFTS])
    assert answering.interpretation_lead(Named([], [_key(GIFTS)]), "彩礼", [REGISTER], [OTHER]) == (
        [REGISTER],
        [OTHER],
    )
    assert answering.interpretation_lead(FakeSearcher([]), "彩礼", [REGISTER], [GIFTS]) == (
        [REGISTER],
        [GIFTS],
    )


def test_a_failing_lexicon_leaves_the_search_order():
    class Broken(FakeSearcher):
        def lexicon_evidence(self, query):
            raise OSError("lexicon cache unreadable")

    assert answering.interpretation_lead(Broken([]), "彩礼", [REGISTER], [GIFTS]) == ([REGISTER], [GIFTS])


def test_the_answer_s_conclusion_and_first_quote_come_from_the_interpretation():
    searcher = Named([REGISTER, GIFTS, OTHER], [_key(GIFTS)])
    question = "订婚给了彩礼，没领结婚登记就分手了，彩礼能要回来吗？"
    assert planning.plan_general(searcher, question).statutes[0] is GIFTS
    answer = AssistantService(load_settings(), searcher=searcher).answer(question)
    assert answer.route == "general"
    assert GIFTS.citation in answer.conclusion and REGISTER.citation not in answer.conclusion
    basis = answer.text.split("**依据**", 1)[1]
    assert basis.index(GIFTS.citation) < basis.index(REGISTER.citation)
