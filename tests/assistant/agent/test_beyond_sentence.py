"""Stop 20: a criminal case asked about something else than its sentence (撤销缓刑, 刑事和解, 取保候审) is answered
by the article of that ask, found among 刑法 and the law of criminal procedure, not by the told crime's term or by
what the facts' other words reach (宅基地). Questions written here from the article texts."""

from __future__ import annotations

from dataclasses import replace

from assistant.agent import planning, routing
from assistant.backends.extractive import ExtractiveBackend
from assistant.sentencing.law import applied_articles
from assistant.services.answer import AssistantService
from assistant.settings import load_settings
from tests.assistant.assistant_fakes import FakeSearcher, fictional_article

# fictional texts in the words of the articles they stand for
GRANT = (
    "对于被判处拘役、三年以下有期徒刑的犯罪分子，同时符合下列条件的，可以宣告缓刑：犯罪情节较轻；有悔罪表现。"
)
REVOKE = (
    "被宣告缓刑的犯罪分子，在缓刑考验期限内犯新罪的，应当撤销缓刑，对新犯的罪作出判决，把前罪和后罪所判处的刑罚，"
    "依照本法第六十九条的规定，决定执行的刑罚。"
)
HURT = "故意伤害他人身体的，处三年以下有期徒刑、拘役或者管制。"
SETTLE = "因民间纠纷引起，涉嫌刑法分则第四章、第五章规定的犯罪案件，犯罪嫌疑人真诚悔罪，获得被害人谅解，被害人自愿和解的，双方当事人可以和解。"
HOMESTEAD = "宅基地使用权人依法对集体所有的土地享有占有和使用的权利，有权依法利用该土地建造住宅。邻居吵架"


def _searcher() -> FakeSearcher:
    return FakeSearcher(
        [
            replace(fictional_article("刑法", 72, GRANT), collection="statutes"),
            replace(fictional_article("刑法", 77, REVOKE), collection="statutes"),
            replace(fictional_article("刑法", 234, HURT), collection="statutes"),
            replace(fictional_article("刑事诉讼法", 288, SETTLE), collection="statutes"),
            replace(fictional_article("民法典", 362, HOMESTEAD), collection="statutes"),
        ]
    )


def test_the_articles_the_sentence_itself_answers_are_read_from_the_rules():
    applied = applied_articles()
    assert {
        72,
        67,
        65,
        52,
        69,
        87,
    } <= applied  # 缓刑, 自首, 累犯, the fine, 数罪并罚, 追诉时效 ([limitation])
    assert 77 not in applied and 81 not in applied  # 撤销缓刑, 假释: asks of their own


def test_revoking_probation_is_asked_of_its_own_article_not_the_grant():
    q = "表哥判了缓刑，考验期还没满，又跟人打架把人打成轻伤被立案了，缓刑会被撤销吗？"
    hit = planning.asks_beyond_sentence(_searcher(), q)
    assert hit is not None and (hit.law_title, hit.number) == ("刑法", 77)


def test_a_criminal_settlement_is_asked_of_criminal_procedure_not_of_the_homestead_the_facts_mention():
    q = "我爸跟邻居为宅基地吵架把人打成轻伤，我们愿意赔钱，对方也同意谅解，这个案子能和解吗？"
    hit = planning.asks_beyond_sentence(_searcher(), q)
    assert hit is not None and (hit.law_title, hit.number) == ("刑事诉讼法", 288)


def test_asks_the_sentence_answers_stay_with_the_sentence():
    s = _searcher()
    assert planning.asks_beyond_sentence(s, "我老公打伤了人，能判缓刑吗？") is None  # 第七十二条: applied
    assert planning.asks_beyond_sentence(s, "我把人打成轻伤，会判几年？") is None  # the term
    assert planning.asks_beyond_sentence(s, "我把人打成轻伤，要坐牢吗？") is None  # liability
    assert planning.asks_beyond_sentence(s, "我把人打成轻伤了，怎么办？") is None  # nothing of its own


def test_a_consultation_about_a_told_crime_keeps_its_own_law_unless_it_names_a_step_of_procedure():
    s = _searcher()
    q = "我爸跟邻居为宅基地吵架把人打成轻伤，我们愿意赔钱，对方也同意谅解，这个案子能和解吗？"
    hit = planning.asks_beyond_sentence(s, q, confirm=True)  # 和解: a step of criminal procedure
    assert hit is not None and hit.number == 288
    # 「…把人打成轻伤，合法吗？」 names none: its answer is the consultation's own, whatever article shares a word
    assert planning.asks_beyond_sentence(s, "我爸把人打成轻伤，对方要求和解，合法吗？", confirm=True) is None
    # 起诉 is a civil suit as often: 「被人打成轻伤…能起诉他吗」 is no step of criminal procedure
    assert not routing.asks_procedure("能起诉他吗？") and routing.asks_procedure("能不起诉吗？")


def test_no_crime_told_or_no_word_shared_is_no_criminal_ask():
    s = _searcher()
    assert planning.asks_beyond_sentence(s, "邻居之间吵架了，能和解吗？") is None  # no crime told
    assert planning.asks_beyond_sentence(s, "被人打成轻伤住院了，医药费谁出？") is None  # shares no word


def test_the_answer_leads_with_the_ask_s_article():
    settings = load_settings()
    service = AssistantService(settings, searcher=_searcher(), backend=ExtractiveBackend())
    answer = service.answer("表哥判了缓刑，考验期还没满，又跟人打架把人打成轻伤被立案了，缓刑会被撤销吗？")
    assert answer.route == "general"
    first = answer.sources[0].hit
    assert (first.law_title, first.number) == ("刑法", 77)
    conclusion = next(line for line in answer.body.splitlines() if line.startswith("**结论**"))
    assert "刑法》第七十七条" in conclusion and "应当撤销缓刑" in conclusion


# fictional: each holds the client's word 案底, as the law's words for it would (the lexicon's, in the real index)
RECORD = "依法受过刑事处罚的人（留有案底），在入伍、就业的时候，应当如实向有关单位报告自己曾受过刑事处罚。"
LICENCE = "醉酒驾驶机动车的，吊销机动车驾驶证，依法追究刑事责任，留有案底的五年内不得重新取得机动车驾驶证。"


def test_an_aside_about_the_record_is_the_general_part_s_not_another_law_s():
    """「…会坐牢吗？会不会留案底？」: the aside is 刑法第一百条 (前科报告), a 总则 article the sentence does not apply,
    found among criminal law and procedure; it had been 道路交通安全法 (a lawyer's review, stop 20)."""
    s = _searcher()
    s.hits += [
        replace(fictional_article("刑法", 100, RECORD), collection="statutes"),
        replace(fictional_article("道路交通安全法", 91, LICENCE), collection="statutes"),
    ]
    plan = planning.Plan(statutes=[s.hits[2]])  # the told crime's article
    planning.add_asides(s, "我把人打成轻伤，会坐牢吗？会不会留案底？", plan, criminal=True)
    assert [(h.law_title, h.number) for _, h in plan.asides] == [("刑法", 100)]


def test_an_ask_naming_a_crime_asks_which_crime_not_an_article_holding_its_word():
    """「…会变成抢劫吗」 asks whether the facts make 抢劫 (分则: 第二百六十九条 → 第二百六十三条). 刑法第五十条 holds the
    word 抢劫 (限制减刑 for 死缓) and had answered it."""
    commute = "对被判处死刑缓期执行的累犯以及因故意杀人、强奸、抢劫、绑架、放火、爆炸、投放危险物质判处死刑缓期执行的，可以限制减刑。"
    searcher = FakeSearcher([replace(fictional_article("刑法", 50, commute), collection="statutes")])
    q = "在超市偷东西被保安抓住，我推开保安还打了他一拳跑了，会变成抢劫吗？"
    assert planning.asks_beyond_sentence(searcher, q) is None
    # an ask of procedure still is one
    assert (
        planning.asks_beyond_sentence(_searcher(), "表哥跟人打架把人打成轻伤被立案了，缓刑会被撤销吗？")
        is not None
    )


def test_an_ask_after_which_the_sentence_is_asked_stays_with_the_sentence():
    """A lawyer's review (stop 24): 「…前后大概60万。我现在能把钱退回去吗？退了能轻判吗？」 was answered as a consultation
    of 刑事诉讼法第一百七十五条, without a term; 退赃 and what it does to the term are the sentence's (刑法第六十七条 …)."""
    from assistant.agent import routing

    q = "我在私人公司做销售，把收回来的货款装自己口袋花掉了，大概60万。我现在能把钱退回去吗？退了能轻判吗？"
    assert planning.asks_beyond_sentence(_searcher(), q) is None
    assert routing.asks_of_the_sentence("我现在能把钱退回去吗？")
    assert routing.asks_of_the_sentence("要交罚款吗？")


NOT_CHARGED = "对于公安机关移送起诉的案件，人民检察院决定不起诉的，应当将不起诉决定书送达公安机关。"


class _LexiconSearcher(FakeSearcher):
    """The real searcher's lexicon_articles, as the stop-28 lexicon reads 谅解书: 刑事诉讼法第二百八十八条."""

    def lexicon_articles(self, query: str) -> set[tuple[str, int, int]]:
        return {("刑事诉讼法", 288, 0), ("刑法", 234, 0)} if "谅解书" in query else set()


def test_a_settlement_told_before_its_ask_is_asked_of_the_settlement():
    """A read blind suite (stop 28): 「…对方说赔5万就写谅解书。赔了钱能不能就不起诉、不用坐牢了？」 had been sentenced as
    故意伤害 (坐牢 read as the term's ask) and, asked 能不起诉吗, answered with the article on serving a 不起诉决定书.
    The ask is what the settlement does; the article the told settlement names is weighed with what the ask finds."""
    s = _LexiconSearcher(
        [*_searcher().hits, replace(fictional_article("刑事诉讼法", 179, NOT_CHARGED), collection="statutes")]
    )
    q = "邻居跟我爸为停车打起来，我爸把人打成轻伤，对方说赔三万就写谅解书，和解了能不能不起诉、不用坐牢？"
    hit = planning.asks_beyond_sentence(s, q)
    assert hit is not None and (hit.law_title, hit.number) == ("刑事诉讼法", 288)
    # without a settlement in the ask, 坐牢 still asks the sentence
    assert planning.asks_beyond_sentence(s, "我爸把人打成轻伤，对方写了谅解书，还要坐牢吗？") is None
