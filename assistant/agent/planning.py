"""What to retrieve for each route, and how the hits become the numbered sources [1]…[n].

sentencing: the Criminal Law articles (the one the similar cases and the statute search agree
on first), interpretations, similar judgments; statute: the articles the question names;
ip: the statutes for each step of the IP walkthrough; general: statutes and interpretations.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from assistant.agent import answering, charges, ip_analysis, routing
from assistant.agent.conversation import LIGHTER_ASK as _LIGHTER
from assistant.backends.base import IPStep, NumberedSource
from assistant.backends.extractive import case_field
from corpora.citations import convicts_as, normalize_law_name, parse_citations, referred_articles
from corpora.records import CaseRecord

log = logging.getLogger(__name__)

CRIMINAL_LAW = "刑法"
SPECIAL_PART = range(102, 452)  # 刑法分则: the articles that define crimes
GENERAL_PART = range(1, 102)  # 刑法总则: 自首, 累犯, 缓刑, 未遂, 共犯, 刑事责任年龄, 正当防卫 …
# The 总则 articles that say when a told act is no crime or goes unpunished (正当防卫 and 紧急避险: 不负刑事责任;
# 刑事责任年龄: 不予刑事处罚; 意外事件: 不是犯罪; 中止: 应当免除处罚), read from the article's own text: a
# question that tells the act and asks whether it is a crime at all (「有人拿刀砍我，我夺过刀把他捅伤了，要坐牢
# 吗」) asks about that article first, not about the charge of the act. 追诉时效 (第八十七条: 犯罪经过下列期限不再追诉)
# is one too: 「十二年前偷了邻居一头牛…现在还会被追究吗」 asks whether the act can still be prosecuted.
EXCUSES = re.compile(r"不负刑事责任|不予刑事处罚|不是犯罪|应当免除处罚|不再追诉")


class SearcherLike(Protocol):
    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: Any = None
    ) -> list[Any]: ...

    def lookup(self, citation_text: str) -> list[Any]: ...

    def get_article(
        self, law_id_or_title: str, number: int, suffix: int = 0, on_date: str | None = None
    ) -> Any: ...


@dataclass
class Plan:
    """The hits found for one question, in the order they will be numbered."""

    statutes: list[Any] = field(default_factory=list)
    interpretations: list[Any] = field(default_factory=list)
    cases: list[Any] = field(default_factory=list)
    ip: ip_analysis.IPFindings | None = None
    charges: list[str] = field(default_factory=list)  # sentencing: the charge, as the engine names it
    charge_name: str = ""  # sentencing: the official charge name (侵犯著作权罪)
    charge_hit: Any = None  # the 罪名 document that names it
    articles: list[int] = field(default_factory=list)  # sentencing: 刑法 articles, the main one first
    # sentencing with a charge the user named: the article the facts alone rank first, when it is
    # not the named charge's (the facts may contradict the name)
    facts_point_to: tuple[int, int] | None = None
    facts_charge: str = ""  # the official name of facts_point_to
    # the paragraph of the main article that defines the charge (1-based; 0: the engine finds it), where
    # the ranking knows it and the guideline does not cover the charge (358: 组织卖淫 第一款, not the
    # 第四款 of 协助组织卖淫, which holds its words too)
    paragraph: int = 0
    # several crimes: the words that tell each (charge → clauses), so each is sentenced on its own amount
    charge_facts: dict[str, str] = field(default_factory=dict)
    # the question's other asks (驾照怎么办？ after 会坐牢吗？), each with the article that answers it
    asides: list[tuple[str, Any]] = field(default_factory=list)
    # sentencing: the articles the facts reach that convict as the main one (第二百六十九条 → 第二百六十三条)
    transfers: list[Any] = field(default_factory=list)
    # sentencing: the charge ranking's first charge was put first by the labelled cases' words alone, no word of
    # the facts reaching it (ranker.ChargeCandidate.grounded): the answer says it is a guess
    guessed: bool = False


# 《最高人民法院关于审理交通肇事刑事案件具体应用法律若干问题的解释》: the crime it is about
_TOPIC = re.compile(r"关于(?:审理|办理)(?P<topic>[^《》]{2,30}?)(?:刑事)?案件")


_PROCEDURE_ASKED = re.compile(
    r"取保|逮捕|拘留多久|羁押|起诉|上诉|申诉|审查|侦查|立案|不起诉|程序|辩护|律师|会见|开庭|二审|再审|认罪认罚"
)


def _about_another_crime(title: str, charge: str, facts: str) -> bool:
    """Whether an interpretation is about a crime other than `charge` that the facts do not tell: its
    title names a crime (关于审理X刑事案件) without the charge, and no two-character word of X is in the facts."""
    found = _TOPIC.search(title)
    if not found or not charge:
        return False
    topic = found.group("topic")
    if _words(charge) & _words(topic):  # 危险驾驶 and 醉酒驾驶机动车 share 驾驶
        return False
    return not any(w in facts for w in _words(topic))


def _words(text: str) -> set[str]:
    """The two-character words of a crime's name, without those every name shares."""
    text = text.replace("、", "")
    return {text[i : i + 2] for i in range(len(text) - 1)} - {"犯罪", "刑事", "案件", "非法", "工作", "人员"}


def law_of(hit: Any) -> str:
    return normalize_law_name(str(getattr(hit, "law_title", "") or getattr(hit, "law_id", "")))


def _key(hit: Any) -> str:
    return (
        str(getattr(hit, "record_id", ""))
        or f"{law_of(hit)}#{getattr(hit, 'number', '')}-{getattr(hit, 'suffix', 0)}"
    )


def unique(hits: Iterable[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for h in hits:
        if h is not None and _key(h) not in seen:
            seen.add(_key(h))
            out.append(h)
    return out


def _case_meta(hit: Any, name: str) -> list[Any]:
    return case_field(hit, name)


CASE_VOTE_WEIGHT = (
    0.45  # below the gap between the first two statute ranks (1 vs 1/2): cases reorder, not override
)


def _rank_articles(criminal: Sequence[Any], cases: Sequence[Any]) -> list[tuple[int, int]]:
    """Criminal Law 分则 articles (number, suffix), best first: the statute search's reciprocal rank
    plus the similar cases' share of votes (CAIL labels drop suffixes, so a vote for 133 also
    counts for 133之一). Cases alone decide only when the statute search found no 分则 article."""
    score: defaultdict[tuple[int, int], float] = defaultdict(float)
    for rank, h in enumerate(h for h in criminal if h.number in SPECIAL_PART):
        if rank < 5:
            score[(int(h.number), int(h.suffix))] += 1.0 / (rank + 1)
    total = sum(1.0 / (r + 1) for r in range(len(cases))) or 1.0
    only_cases = not score
    for rank, case in enumerate(cases):
        for number in {int(n) for n in _case_meta(case, "articles") if str(n).isdigit()} & set(SPECIAL_PART):
            keys = [k for k in score if k[0] == number] or ([(number, 0)] if only_cases else [])
            for key in keys:
                score[key] += CASE_VOTE_WEIGHT / (rank + 1) / total
    return [key for key, _ in sorted(score.items(), key=lambda kv: -kv[1])]


def _read_as_an_act(candidate: Any) -> bool:
    """Whether the user named the charge or an everyday entry reads the facts' words as its act
    (ChargeCandidate.read_by_entry); a scripted ranker's candidate, without either, counts."""
    if not hasattr(candidate, "read_by_entry"):
        return True
    return bool(candidate.named or candidate.read_by_entry)


def plan_sentencing(
    searcher: SearcherLike,
    query: str,
    n_cases: int = 8,
    named: Sequence[tuple[int, int]] = (),
    alternatives: bool = False,
    charge_ranker: Any = None,
    facts: str | None = None,
    told: str | None = None,
) -> Plan:
    """`named`: the articles (number, suffix) of the charges the user named, taken as given; the
    first is the main one, the others are further crimes (数罪) unless they are `alternatives`
    (「是抢劫罪还是抢夺罪？」), of which the one the facts rank best is chosen. Otherwise the one
    charge ranking (assistant.judgment.ranker, as `predict` and `eval judgment` use it) decides,
    when the searcher carries it or the caller passes it; it reads `facts` (the user's own words)
    when given, else the query. `told`: the same words with their amounts, to find which words tell
    which of several crimes."""
    found = searcher.search(query, kind="statutes", k=10)
    cases = searcher.search(query, kind="cases", k=n_cases)
    interps = searcher.search(query, kind="interpretations", k=3)
    rights = ip_analysis.identify_rights(query)
    if rights and rights[0].name in ip_analysis.CRIME_QUERIES:  # a question about an IP crime
        ip_query = f"{query[:1000]} {ip_analysis.CRIME_QUERIES[rights[0].name]}"
        found = unique([*searcher.search(ip_query, kind="statutes", k=10), *found])
    criminal = [h for h in found if law_of(h) == CRIMINAL_LAW]
    ranked = _rank_articles(criminal, cases)
    charge_ranker = charge_ranker or getattr(searcher, "charge_ranker", None)
    candidates = charge_ranker.rank_charges(facts or query) if charge_ranker is not None else []
    # the ranking's first charge leads, where the index holds its article (an index of part of
    # the corpus may not)
    top = next(
        (
            (c.article, c.suffix)
            for c in candidates[:1]
            if any((h.number, h.suffix) == (c.article, c.suffix) for h in criminal)
            or searcher.get_article(CRIMINAL_LAW, c.article, c.suffix) is not None
        ),
        None,
    )
    if top is not None:
        ranked = [top, *[k for k in ranked if k != top]]
    # further crimes (数罪) as the one ranking recognises them for `predict` and `eval` too: a charge
    # whose score nears the first's in both of its rankings; their terms combine (刑法第六十九条)
    from assistant.judgment.several import crimes_in

    several = top is not None and hasattr(charge_ranker, "recognised")  # a scripted ranker gives one
    recognised = crimes_in(charge_ranker, facts or query, candidates) if several else []
    # a further crime in a client's words is one an everyday entry reads as an act of the facts: the 罪状's words
    # alone reach crimes from a word or two of any story (「…开发票…收4个点的手续费…罚金大概多少」 had been sentenced as
    # 合同诈骗, 徇私舞弊不移交刑事案件 for 移交 and 毒品 for 多少 together: a lawyer's review, stop 25)
    further = [
        (c.article, c.suffix)
        for c in recognised[1:]
        if c.article in SPECIAL_PART and (c.article, c.suffix) != top and _read_as_an_act(c)
        and searcher.get_article(CRIMINAL_LAW, c.article, c.suffix) is not None
    ]  # fmt: skip
    further_names = {(c.article, c.suffix): c.charge for c in recognised[1:]}
    chosen = [k for k in named if k[0] in SPECIAL_PART] or [*ranked[:1], *dict.fromkeys(further)]
    if alternatives and named:
        chosen = [next((k for k in ranked if k in chosen), chosen[0])]
    main = None
    if chosen:
        number, suffix = chosen[0]
        main = next((h for h in criminal if (h.number, h.suffix) == (number, suffix)), None)
        main = main or searcher.get_article(CRIMINAL_LAW, number, suffix)
    if main is None:
        return Plan(statutes=criminal[:3], interpretations=interps[:2])
    contradicted = bool(named and ranked) and (int(main.number), int(main.suffix)) != ranked[0]

    # Only cases decided under the same article are similar enough to show and to learn terms from;
    # when the question's wording finds few, search again among the cases of that charge.
    def same_article(found: Sequence[Any]) -> list[Any]:
        return [
            c for c in found if main.number in {int(n) for n in _case_meta(c, "articles") if str(n).isdigit()}
        ]

    similar = same_article(cases)
    voted = Counter(c for case in similar for c in _case_meta(case, "charges"))
    official = charges.charge_for_article(searcher, int(main.number), int(main.suffix))
    # the guideline's name where it covers the article (the engine's rules use it), else the
    # official one; the similar cases' vote only where no document names the charge (cases decided
    # under 385 may be 贪污 and 受贿 together)
    # the ranking knows which of an article's charges the facts tell (303: 赌博 or 开设赌场) and
    # names it as it is named today; the index's 罪名 documents give the article's first name,
    # sometimes a former one (312: 窝藏、转移、收购、销售赃物)
    ranked_here = next(
        (c for c in candidates[:1] if (c.article, c.suffix) == (int(main.number), int(main.suffix))), None
    )
    # the ranking's own charge of the article first where the guideline names another of it: 袭警 (第二百七十七条第五款) is
    # not the guideline's 妨害公务 (a lawyer's review, stop 26: a policeman struck was sentenced as 妨害公务, named 袭警)
    charge = (
        (ranked_here.charge if ranked_here and ranked_here.grounded else "")
        or guideline_charge(int(main.number), int(main.suffix))
        or (ranked_here.charge if ranked_here else "")
        or (official[0].removesuffix("罪") if official else "")
        or next(iter(voted.most_common(1)), ("",))[0]
    )
    if len(similar) < 3 and charge:
        more = searcher.search(query, kind="cases", k=n_cases, where={"charges": charge})
        similar = unique([*similar, *same_article(more)])
    if ranked_here is not None and not named:
        charge_name = f"{ranked_here.charge}罪"
    else:
        charge_name = official[0] if official else (f"{charge}罪" if charge else "")
    # a criminal case's interpretations are criminal ones, or name its charge (not 探望权 for a 绑架);
    # those that name the charge come first (帮信's 情节严重 is defined by 信息网络解释第十二条)
    if charge:
        named_in_text = searcher.search(f"{charge}罪 {query[:200]}", kind="interpretations", k=6)
        interps = unique([*[h for h in named_in_text if f"{charge}罪" in str(h.text)], *interps])
    interps = [h for h in interps if "刑" in law_of(h) or (charge and f"{charge}罪" in str(h.text))]
    # an interpretation about another crime (交通肇事's 第六条 and 抗税's both name 故意杀人罪 for their own
    # facts) answers this case only where the facts tell that crime
    interps = [h for h in interps if not _about_another_crime(law_of(h), charge, facts or query)]
    # the rules of criminal procedure (人民检察院刑事诉讼规则 on 侦查活动监督) answer how a case is handled,
    # not what the facts are and how they are punished: only when the question asks about procedure
    if not _PROCEDURE_ASKED.search(query):
        interps = [h for h in interps if "诉讼" not in law_of(h)]
    # other 分则 articles only where the charge ranking weighs them as alternatives (诈骗 beside 帮信),
    # not every article the words of the question happen to share
    considered = {(c.article, c.suffix) for c in candidates[:3]}
    also_weighed = [h for h in criminal[:3] if not considered or (int(h.number), int(h.suffix)) in considered]
    others = [k for k in chosen[1:] if k != (main.number, main.suffix)]
    more_charges = [
        guideline_charge(*k) or further_names.get(k) or _official_name(searcher, *k) for k in others
    ]
    facts_official = charges.charge_for_article(searcher, *ranked[0]) if contradicted else None
    plan_charges = [c for c in [charge, *more_charges] if c]
    charge_facts: dict[str, str] = {}
    if len(plan_charges) > 1 and not named and ranked_here is not None:
        from assistant.judgment.several import told as told_by

        own_names = [ranked_here.charge, *[further_names.get(k, "") for k in others]]
        if len(own_names) == len(plan_charges) and all(own_names):
            by_own = told_by(charge_ranker, told or facts or query, own_names)
            charge_facts = {p: by_own[o] for p, o in zip(plan_charges, own_names, strict=True) if o in by_own}
    transfers = transfer_articles(searcher, facts or query, main)
    guessed = bool(
        ranked_here is not None
        and not named
        and not getattr(ranked_here, "grounded", True)
        and (int(main.number), int(main.suffix)) == (ranked_here.article, ranked_here.suffix)
    )
    return Plan(
        guessed=guessed,
        transfers=transfers,
        statutes=unique(
            [
                main,
                *transfers,
                *[searcher.get_article(CRIMINAL_LAW, *k) for k in others],
                *penalty_articles(searcher, main),
                *also_weighed,
            ]
        ),
        interpretations=interps[:2],
        cases=similar[:5],
        charges=plan_charges,
        charge_facts=charge_facts,
        articles=[int(main.number), *[k[0] for k in others]],
        charge_name=charge_name,
        charge_hit=official[1] if official and official[0] == charge_name else None,
        facts_point_to=ranked[0] if contradicted else None,
        facts_charge=facts_official[0] if facts_official else "",
        paragraph=ranked_here.paragraph
        if ranked_here is not None and not named and not guideline_charge(int(main.number), int(main.suffix))
        else 0,
    )


# asking for the term itself: a case to sentence, even beside 会被判刑吗 (a lawyer's review: a 17-year-old's robbery
# was answered with 刑法第十七条 alone, without a term)
_TERM_ASK = re.compile(r"判(?:多久|几年|多少年|多重|多长)|刑期|量刑|坐几年|关几年|判什么刑")


def defence_article(searcher: SearcherLike, question: str) -> Any:
    """刑法第二十条 where the question tells an attack in progress and the act against it (criminal_law.toml [defence])
    and asks whether that act is a crime, not its term: 「被一个人拿刀逼着要钱…把刀抢过来…捅了对方…要坐牢吗」 had been
    sentenced as 抢劫, the attacker's crime (a read blind suite, stop 28). None otherwise."""
    from assistant.agent.routing import asks_liability
    from assistant.sentencing import load_general_part

    defence = load_general_part().defence
    if (
        defence is None
        or not asks_liability(question)
        or _TERM_ASK.search(question)
        or not defence.found(question)
    ):
        return None
    wanted = parse_citations(f"{CRIMINAL_LAW}{defence.article}")
    return searcher.get_article(CRIMINAL_LAW, wanted[0].number, wanted[0].suffix) if wanted else None


def asks_general_part(searcher: SearcherLike, question: str) -> Any:
    """The 刑法总则 article a criminal question asks about, when it asks about one and tells no crime:
    「犯了事以后自己去派出所投案，能从轻吗？」 asks what 第六十七条 says of 自首, not what a crime costs.
    That is the statute search's first article, where it is one of 总则 and the question neither names
    a charge nor tells an act that the charge lexicon knows or that names a crime (「他盗窃后自首并退赃，
    可以判缓刑吗？」 is a case with 自首, 「我老公酒驾被抓了，他是自首的」 too); None otherwise (a case to
    sentence)."""
    from assistant.agent.routing import asks_liability, tells_crime
    from assistant.judgment.everyday import everyday_terms

    if (hit := defence_article(searcher, question)) is not None:
        return hit  # an attack in progress told, and the act against it: 第二十条
    told = tells_crime(question) or bool(everyday_terms().matches(question))
    if told and (not asks_liability(question) or _TERM_ASK.search(question)):
        return None  # 「…会被判刑吗？会判多重？」 asks the term of a told act, whatever 总则 it raises (a minor's age)
    # over every kind, as `search` and `eval retrieval` rank (the statutes' own ranking can put 民法典
    # before 刑法第十七条 for 「十五岁的孩子犯罪要负刑事责任吗？」); the first statute among them
    first = next((h for h in searcher.search(question, k=10) if h.collection == "statutes"), None)
    if first is None or law_of(first) != CRIMINAL_LAW or int(first.number or 0) not in GENERAL_PART:
        return None
    if told and not EXCUSES.search(str(first.text)):
        return None  # 自首, 累犯, 缓刑 beside a told act: a case to sentence with them
    return first


def weighed_by_the_engine(article: Any) -> bool:
    """Whether the sentencing engine itself answers what a 总则 article says of a told case: 刑法第十七条 (its age
    bands, sentencing.law's [age]) decides whether the told act is a crime at the told age, and lowers the term of one
    under eighteen. 「我儿子16岁半…偷了6次电动车电瓶…是不是不用坐牢？」 had been answered with 第十七条第四款's words
    alone, without the crime, its term or 缓刑 (a lawyer's review, stop 25); 正当防卫 (第二十条) is no such article: the
    engine does not weigh it."""
    from assistant.sentencing import load_general_part

    age = load_general_part().age
    if age is None or law_of(article) != CRIMINAL_LAW:
        return False
    found = (int(article.number or 0), int(article.suffix or 0))
    # 第十七条之一 too: the engine weighs 已满七十五周岁 (「我爸76岁…推倒了邻居…会坐牢吗？能判缓刑吗」 had been answered
    # with 第十七条之一's words alone, without the crime, its term or 第七十二条's 应当宣告缓刑)
    for label in (age.article, age.elderly_article):
        want = parse_citations(f"刑法{label}") if label else []
        if want and found == (want[0].number, want[0].suffix):
            return True
    return False


def tells_a_crime(facts: str) -> bool:
    """Whether the facts tell an act of a crime: in the words of 刑法分则 (routing.tells_crime: 盗窃, 持刀) or in
    everyday words the charge lexicon knows (打成轻伤, 拿刀逼)."""
    from assistant.agent.routing import tells_crime
    from assistant.judgment.everyday import everyday_terms

    return tells_crime(facts) or bool(everyday_terms().matches(facts))


# Where a criminal case's ask that is not its sentence is answered: the Criminal Law's general part and the law of
# criminal procedure with its interpretation (撤销缓刑, 刑事和解, 取保候审, 犯罪记录封存, 追诉时效).
CRIMINAL_PROCEDURE = ("刑法", "刑事诉讼法", "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释")


# an ask of what a settlement with the victim does (刑事诉讼法第二百八十八条 to 第二百九十条)
_SETTLES = re.compile(r"和解|谅解|私了|不起诉|撤案")
# an ask of nothing but what happens to the author (会怎么处理, 后果严重吗): the sentence answers it
_OUTCOME = re.compile(r"^(?:怎么|怎样|如何|咋)?(?:处理|处罚|处置|判|办|后果|严重|结果|下场|整)?$")


def asks_beyond_sentence(searcher: SearcherLike, question: str, confirm: bool = False) -> Any:
    """The article that answers a criminal case's first ask when that ask is not its sentence: 「表哥判了缓刑…又把人
    打成轻伤被立案了，缓刑会被撤销吗？」 asks what 刑法第七十七条 says, 「…对方也同意谅解，这个案子能和解吗？」 what
    刑事诉讼法第二百八十八条 says. The ask alone is searched among CRIMINAL_PROCEDURE (its facts would bring back
    the crime they tell, or 宅基地 they mention); of the first three found, the one holding most of the ask's
    character pairs (撤销 is 第七十七条's, not 第七十二条's), the search's order on a tie.
    None where the facts tell no crime, where the ask is the term or liability (判多久, 要坐牢吗), where what is
    found shares no word with the ask, or where it is an article the sentencing rules apply (能判缓刑吗: 第七十二条)
    or one of 分则 (the crime itself). With `confirm` (a question the routing took for a consultation: its ask
    speaks of no crime), only for an ask naming a step of criminal procedure (routing.asks_procedure: 和解, 取保,
    案底) and an article that the ask alone, searched over every law, also finds: a told crash asked about
    驾照会被吊销吗 or 车主要赔吗 is a consultation whose law is not criminal."""
    from assistant.agent.routing import asks_liability
    from assistant.sentencing.law import applied_articles

    ask = routing.first_ask(question)
    # 「赔了钱能不能就不起诉、不用坐牢了？」 asks what a settlement does (刑事和解): its 坐牢 is the settlement's outcome,
    # not the term of the crime (a read blind suite, stop 28: it had been sentenced as 故意伤害)
    liability = asks_liability(ask) and not _SETTLES.search(ask)
    if not ask or _TERM_ASK.search(ask) or liability or _OUTCOME.match(routing.ask_words(ask)):
        return None  # 判多久, 要坐牢吗, 怎么办, 会怎么处理: what happens to the author, the sentence
    if any(
        _TERM_ASK.search(a) or _LIGHTER.search(a) or asks_liability(a) for a in routing.other_asks(question)
    ):
        # 「…能把钱退回去吗？退了能轻判吗？」: the later ask is the sentence (a lawyer's review, stop 24); so is
        # 「…这点钱真的会判刑吗」 (stop 25, heldout15)
        return None
    if not tells_a_crime(routing.told_before_asking(question)):
        return None  # no crime told: a consultation as any other
    if tells_a_crime(ask):
        return None  # 「…会变成抢劫吗」 asks which crime the facts make: 分则's, not 刑法第五十条 for its word 抢劫
    best = procedure_article(searcher, ask, told=question)
    if best is None:
        return None
    if confirm and not routing.asks_procedure(ask):
        return None  # no word of criminal procedure (驾照会被吊销吗): a consultation of another law
    if confirm and _key(best) not in {_key(h) for h in searcher.search(ask, k=10)}:
        return None  # the ask alone, searched over every law, does not reach it
    if law_of(best) == CRIMINAL_LAW and (
        int(best.number or 0) in applied_articles() or int(best.number or 0) in SPECIAL_PART
    ):
        return None
    return best


def procedure_article(searcher: SearcherLike, ask: str, read: str = "", told: str = "") -> Any:
    """The article of CRIMINAL_PROCEDURE an ask clause is about: the ask alone searched among those laws, and of the
    first three found the one holding most of `read`'s character pairs (the ask itself by default; the ask with its
    law words where the ask names a step of procedure: 留案底 read with 第一百条's 受过刑事处罚); None where it shares
    none (医药费谁出: the consultation's own search answers). Articles of criminal procedure (not 刑法's) that the
    lexicon entries of the whole question `told` name are weighed too: 「对方说赔5万就写谅解书…赔了钱能不起诉吗」
    tells 刑事和解 (刑事诉讼法第二百八十八条、第二百九十条) before its ask, which alone had found 第一百七十九条."""
    from assistant.backends.excerpts import overlap

    laws = [law_id for name in CRIMINAL_PROCEDURE if (law_id := _resolve(searcher, name))]
    found = searcher.search(ask, k=3, where={"law_id": {"$in": laws}}) if laws else []
    named = getattr(searcher, "lexicon_articles", None)
    if told and callable(named):
        criminal = _resolve(searcher, CRIMINAL_LAW)
        told_of = [
            h
            for law, number, suffix in sorted(named(told))
            if law in laws and law != criminal
            and (h := searcher.get_article(law, number, suffix)) is not None
        ]  # fmt: skip
        found = unique([*told_of, *found])
    else:
        told_of = []
    read = read or ask
    # an article the told story names comes before one the ask's words alone reach, where it shares any of them
    best = max(
        found,
        key=lambda h: (
            h in told_of and overlap(read, str(h.text)) > 0,
            overlap(read, str(h.text)),
            -found.index(h),
        ),
        default=None,
    )
    return best if best is not None and overlap(read, str(best.text)) else None


def plan_beyond_sentence(searcher: SearcherLike, question: str, lead: Any) -> Plan:
    """A criminal case asked about something else than its sentence (asks_beyond_sentence): `lead` first, then
    what its ask and facts find among CRIMINAL_PROCEDURE (the crime the facts tell, the other articles of the
    procedure), not what the facts' other words reach across the corpus (宅基地 in a 刑事和解 question)."""
    laws = [law_id for name in CRIMINAL_PROCEDURE if (law_id := _resolve(searcher, name))]
    where = {"law_id": {"$in": laws}} if laws else None
    query = f"{routing.first_ask(question)}{routing.told_before_asking(question)}"
    statutes = searcher.search(query, kind="statutes", k=3, where=where)
    interpretations = searcher.search(query, kind="interpretations", k=2, where=where)
    return Plan(
        statutes=unique([lead, *statutes]),
        interpretations=[h for h in interpretations if _key(h) != _key(lead)],
    )


def _resolve(searcher: SearcherLike, name: str) -> str | None:
    resolve = getattr(searcher, "resolve_law", None)
    return resolve(name) if resolve is not None else None


def transfer_articles(searcher: SearcherLike, facts: str, main: Any) -> list[Any]:
    """The articles the facts' everyday words point to that convict as the main article
    (第二百六十九条: 犯盗窃罪，为抗拒抓捕而当场使用暴力的，依照本法第二百六十三条的规定定罪处罚): the
    answer cites them beside the main one, because they are why the crime is the main article's."""
    from assistant.judgment.everyday import everyday_terms

    out: list[Any] = []
    found = everyday_terms().matches(facts)
    own = (int(main.number), int(main.suffix))
    if any(term.articles == [own] for _, term in found):
        # the act is told in the main article's own words (拿刀逼 is 抢劫's): no other article is why it is that crime
        # (a lawyer's review, stop 27: a bag taken at knifepoint had been 「刑法第二百六十七条，依照第二百六十三条」)
        return out
    for _, term in found:
        if term.articles[:1] == [own]:
            # an entry naming the main article first (抢了: 第二百六十三条、第二百六十七条) reads the act as that crime; its
            # other articles are alternatives, not why the crime is the main one (a lawyer's check, stop 28: 「合伙抢了
            # 一个学生的手机」 had cited 第二百六十七条's 携带凶器抢夺 with no weapon told). An entry naming the transfer
            # article first (第二百六十九条、第二百六十三条) tells the transfer's own situation.
            continue
        for number, suffix in term.articles:
            if (number, suffix) == own:
                continue
            hit = searcher.get_article(CRIMINAL_LAW, number, suffix)
            if (
                hit is not None
                and (int(main.number), int(main.suffix)) in convicts_as(str(hit.text))
                and hit not in out
            ):
                out.append(hit)
    return out


def penalty_articles(searcher: SearcherLike, main: Any) -> list[Any]:
    """Where a defining article without a penalty (第三百八十五条 是受贿罪) is punished: the article after
    it, and the one either names by 依照本法第X条的规定处罚 (第三百八十六条 → 第三百八十三条)."""
    from assistant.sentencing.ranges import parse_article_tiers

    if main.suffix or parse_article_tiers(str(main.text)):
        return []
    nxt = searcher.get_article(CRIMINAL_LAW, int(main.number) + 1)
    found = [nxt] if nxt is not None else []
    for hit in (main, *found):
        for number, suffix, _ in referred_articles(str(hit.text))[:1]:
            target = searcher.get_article(CRIMINAL_LAW, number, suffix)
            if target is not None:
                found.append(target)
    return found


def _official_name(searcher: SearcherLike, number: int, suffix: int) -> str:
    found = charges.charge_for_article(searcher, number, suffix)
    return found[0].removesuffix("罪") if found else ""


def guideline_charge(number: int, suffix: int = 0) -> str | None:
    """The charge the sentencing guideline attaches to a Criminal Law article (133之一 → 危险驾驶)."""
    from assistant.sentencing import load_rules

    for crime in load_rules().crimes.values():
        if number in crime.articles and crime.article_suffix == suffix:
            return crime.name
    return None


def plan_statute(searcher: SearcherLike, query: str) -> Plan:
    """The articles the question names, resolved exactly; then a few related ones."""
    named: list[Any] = []
    for ref in parse_citations(query):
        if ref.law and ref.law not in {"本法", "该法"}:
            named.append(searcher.get_article(normalize_law_name(ref.law), ref.number, ref.suffix))
        else:  # 第二百六十四条 alone: that article of the laws that have it
            named += searcher.lookup(ref.text)
    related = searcher.search(query, kind="statutes", k=4)
    interps = searcher.search(query, kind="interpretations", k=2)
    return Plan(statutes=unique([*named, *related])[:5], interpretations=interps)


def plan_general(searcher: SearcherLike, query: str) -> Plan:
    """A consultation: the statutes and interpretations its question reaches. Its everyday words reach the
    law's words inside the searcher (retrieval/everyday_law), as they do for `search` and `eval`."""
    statutes, interpretations = answering.interpretation_lead(
        searcher,
        query,
        # the search's order stands, 刑法 last when the question speaks of no crime: the article holding most of the
        # question's character pairs led until stop 19, and was wrong more often than right on the development
        # suites once the question bank was in the search (「…还能申请外观专利吗」 is 专利法第二十三条's, not the
        # definitions of 第二条)
        answering.criminal_law_last(query, searcher.search(query, kind="statutes", k=5), law_of),
        searcher.search(query, kind="interpretations", k=3),
    )
    statutes, interpretations = answering.bank_lead(searcher, query, statutes, interpretations)
    statutes = answering.prevailing(searcher, query, statutes)
    return Plan(statutes=statutes, interpretations=interpretations)


def add_asides(searcher: SearcherLike, question: str, plan: Plan, criminal: bool = False) -> Plan:
    """Each ask of the question after its first (routing.other_asks) searched with the facts told before the
    asks: the article that leads its consultation joins the plan's statutes, after them, and is recorded with
    the ask, so that the answer answers it (「…驾照怎么办？」 → 道路交通安全法第九十一条). With `criminal`, the
    asks about the sentence itself are the main answer's."""
    facts = routing.told_before_asking(question)
    others = routing.other_asks(question, criminal=criminal)[:2]
    if criminal and (first := routing.first_ask(question)) and not routing.asks_of_the_sentence(first):
        # 「老东家起诉我了，我要赔多少？会不会坐牢？」: the civil ask comes first and is answered beside the sentence
        others = [first, *others][:2]
    if others and not criminal and (ask := routing.first_ask_whole(question)):
        # several asks: the first is searched as the others are, its ask first, and its lead leads (「…这个算不算
        # 工伤？…这钱谁出？」 led with 道路交通安全法 for the accident the facts tell)
        own = plan_general(searcher, f"{ask}{facts}")
        lead = next(iter([*own.statutes[:1], *own.interpretations[:1]]), None)
        # unless an entry of the lexicon describes the whole question's situation by its lead, and not by the
        # ask's (「…翻出当时的照片，要罚我们款…都过去三年了，还能罚吗？」: 行政处罚法第三十六条's 三年前…罚, not the
        # 肖像 article the ask's search found in 照片; stop 24, heldout12)
        if (
            lead is not None
            and plan.statutes
            and _key(lead) != _key(plan.statutes[0])
            and not answering.held_by_lexicon(
                searcher, question, answering.article_key(plan.statutes[0]), answering.article_key(lead)
            )
        ):
            plan.statutes = unique([lead, *plan.statutes])
    for ask in others:
        lead = None
        if criminal and routing.asks_procedure(
            ask
        ):  # 「会不会留案底？」「能不能私了？」: criminal procedure's
            lead = procedure_article(searcher, ask, answering.in_law_words(searcher, ask))
            lead = lead if lead is not None and _aside_of_a_case(lead) else None
        if lead is None:
            found = plan_general(searcher, f"{ask}{facts}")  # the ask first: its words must lead the search
            lead = next(
                (h for h in [*found.statutes, *found.interpretations] if not criminal or _aside_of_a_case(h)),
                None,
            )
        if lead is None or (plan.statutes and _key(lead) == _key(plan.statutes[0])):
            continue  # nothing found, or the article that leads the answer already answers it
        if _key(lead) not in {_key(h) for h in plan.statutes}:
            plan.statutes.append(lead)
        plan.asides.append((ask, lead))
    return plan


def _aside_of_a_case(hit: Any) -> bool:
    """Whether an article may answer an ask of a criminal case beside its sentence: not 刑法's crimes and not the
    general part the sentence applies (the sentence answers those), but any other law, and 总则's other articles
    (「会不会留案底？」 is 第一百条's 前科报告, not 道路交通安全法's licence ban: a lawyer's review, stop 20)."""
    from assistant.sentencing.law import applied_articles

    if law_of(hit) != CRIMINAL_LAW:
        return True
    number = int(getattr(hit, "number", 0) or 0)
    return number in GENERAL_PART and number not in applied_articles()


def plan_ip(searcher: SearcherLike, query: str) -> Plan:
    """The four-step walkthrough (assistant.agent.ip_analysis) of an infringement question. A question
    whose own article (the one of its own search that answers it: assistant.agent.answering) lies
    outside the walkthrough and that raises none of its points asks something else of the right
    (保护期, 续展, 权属, 注册条件): it is answered as a consultation, that article first, the
    walkthrough's articles after it."""
    rights = ip_analysis.identify_rights(query)
    if not rights:
        return plan_general(searcher, query)
    findings = ip_analysis.analyse(query, searcher, rights[0])
    statutes = unique(h for _, hits in findings.steps for h in hits)
    walked = {_key(h) for h in statutes}
    # A question about a patent is not answered by 商标法 (their articles on a seller who did not know
    # share every word): the laws of the rights the question does not name stay out of its own articles.
    others = {law for r in ip_analysis.RIGHTS if r not in rights for law in r.laws} - {
        law for r in rights for law in r.laws
    }
    found = [h for h in searcher.search(query, kind="statutes", k=3) if law_of(h) not in others]
    own = answering.criminal_law_last(query, found, law_of)
    if own and _key(own[0]) not in walked and not ip_analysis.points_for(query, rights[0]):
        return Plan(statutes=unique([*own, *statutes])[:6], interpretations=list(findings.interpretations))
    extra = [h for h in own if _key(h) not in walked]
    # The walkthrough's article that the question's own search puts first leads the answer (its sources
    # are numbered in this order, and the conclusion follows it), not the one sharing most characters.
    lead = [own[0]] if own and _key(own[0]) in walked else []
    # a point the ask raises leads before the walkthrough's first step (「…剪个三四分钟原片…我这个不算合理使用吗」 is
    # 著作权法第二十四条's, not 第十条's: stop 27, heldout16)
    if (asked := ip_analysis.asked_point(query, findings)) is not None:
        lead = [asked]
    return Plan(
        statutes=unique([*lead, *statutes, *extra[:2]]),
        interpretations=list(findings.interpretations),
        ip=findings,
    )


def number_sources(plan: Plan, extra_statutes: Sequence[Any] = ()) -> list[NumberedSource]:
    hits = unique([*plan.statutes, *extra_statutes, plan.charge_hit, *plan.interpretations, *plan.cases])
    return [NumberedSource(i, h) for i, h in enumerate(hits, 1)]


def source_number(sources: Sequence[NumberedSource], hit: Any) -> int | None:
    """[n] of the source holding `hit`, or None."""
    return next((s.n for s in sources if _key(s.hit) == _key(hit)), None)


def ip_steps(plan: Plan, sources: Sequence[NumberedSource]) -> tuple[str, tuple[IPStep, ...]]:
    if plan.ip is None:
        return "", ()
    n_of = {_key(s.hit): s.n for s in sources}
    steps = tuple(
        IPStep(spec.title, spec.summary, tuple(n_of[_key(h)] for h in hits if _key(h) in n_of))
        for spec, hits in plan.ip.steps
    )
    return plan.ip.right.name, steps


def case_records(hits: Sequence[Any]) -> list[CaseRecord]:
    """Case hits as the sentencing engine takes them (the index keeps the whole record in metadata)."""
    names = {f.name for f in fields(CaseRecord)}
    out = []
    for h in hits:
        meta = dict(getattr(h, "metadata", None) or {})
        record = {k: v for k, v in meta.items() if k in names}
        record.setdefault("case_id", str(getattr(h, "record_id", "")))
        record.setdefault("source", str(record.get("case_id", "")).split(":")[0])
        record.setdefault("fact", str(getattr(h, "text", "")))
        record["charges"] = case_field(h, "charges")
        record["articles"] = [int(a) for a in case_field(h, "articles") if str(a).isdigit()]
        try:
            out.append(CaseRecord.from_dict(record))
        except TypeError as e:  # a hit that is not a case record; it simply does not count
            log.warning("case hit %s skipped: %s", record.get("case_id"), e)
    return out


_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号\s*$")
_CONNECTOR = re.compile(r"\s*(?:\[\d+\])?\s*(?:至|到|、|和|及|以及|或者|或)\s*")


def cited_articles(searcher: SearcherLike, text: str, default_law: str = CRIMINAL_LAW) -> list[Any]:
    """The articles a text (the sentencing trace) cites, fetched so that they can be sources too."""
    hits = []
    of_document, last_end = False, 0
    for ref in parse_citations(text):
        gap = text[last_end : ref.span[0]]
        last_end = ref.span[1]
        # 「法释〔2022〕5号第三条至第五条」 cites an interpretation by its number, not 刑法第三条 (a lawyer's review, stop 26:
        # such articles had been fetched from 刑法 and linked as sources)
        of_document = not ref.law and bool(
            _DOCUMENT_NUMBER.search(gap) or (of_document and _CONNECTOR.fullmatch(gap))
        )
        if of_document:
            continue
        law = normalize_law_name(ref.law) if ref.law and ref.law not in {"本法", "该法"} else default_law
        try:
            hits.append(searcher.get_article(law, ref.number, ref.suffix))
        except Exception as e:  # a trace citation that cannot be fetched stays out of the sources
            log.warning("could not fetch %s %s: %s", law, ref.number, e)
    return unique(hits)
