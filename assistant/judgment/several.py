"""Several crimes in one telling (数罪): each act told in its own clause is ranked on its own.

A judgment's narrative (longer than a question) keeps the whole ranking's recognition (`recognised`).

The whole facts rank one charge first; a second act told after 后来、又、还、另外 … ("他先偷了邻居的电动车，
后来又持刀把人砍成轻伤") is drowned by the first in a ranking of the whole text. So each such clause is
ranked alone too, and its first charge counts as a further crime only when both rankings agree on it
(lexical and classifier, each in its top `AGREE`), its score nears the first charge's (`SHARE`), and it
is another article. Missing a further crime is the price of never inventing one: 「车上还查出准备卖掉的冰毒」
ranks 非法持有毒品 at .153 and is left out. An alternative reading of the same act (帮信 told with 电信诈骗) fails the agreement:
the lexical ranking does not put 诈骗 near the top for 「知道被用来电信诈骗」. Their terms combine by
刑法第六十九条 (the sentencing engine).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from assistant.judgment.everyday import everyday_terms
from assistant.judgment.ranker import ChargeCandidate

# the words that start the telling of another act; 还 and 又 only after a comma (「，还捡到」), not in
# 「明知是盗版图书还销售」 (one act: still selling), 归还、还款 or 又称
_NEXT_ACT = re.compile(
    r"(?:后来又|后来|然后又|然后|之后又|随后又|另外|此外|同时|(?<=[，,])(?:还|又)(?![款钱清给称]))"
)
_SENTENCE = re.compile(r"[。；;！!？?]")
# the words of a judgment's narrative, short or long (an exam question may say 被告人; only a court says these)
_NARRATIVE = re.compile(r"公诉机关|检察院指控|经审理查明|本院认为")
# a follow-up that supposes other facts (如果受贿金额是300万元呢) changes the case; it tells no new act
_SUPPOSED = re.compile(r"^(?:如果|假如|要是|假设|若是|倘若|万一)")
MIN_CHARS = 4  # a clause shorter than this names no act (他骗了朋友 is five)
AGREE = 2  # both rankings put the clause's charge in their top AGREE
# the clause's charge scores at least this share of the whole facts' first charge: the share of a charge
# all the votes agree on (the everyday words among them). On the scenario questions the further crimes
# told score .20–.205 against a first of .20–.205, and the clause readings that are no crime (「还低价收购」
# → 徇私舞弊低价折股, 「被警察解救了」 → 不解救被拐卖儿童, 「我血液酒精含量…」 → 非法采集血液) .15–.157.
SHARE = 0.9
READING = 3  # a clause whose first READING charges hold the first charge tells the same act
TOLD_DEPTH = 10  # a clause belongs to a charge found in its first TOLD_DEPTH


class Ranker(Protocol):
    settings: Any  # ChargeRankerSettings: max_charges, everyday_full_chars (a question's length)

    def rank_charges(self, facts: str, named: Sequence[str] = ()) -> list[ChargeCandidate]: ...

    def recognised(self, candidates: Sequence[ChargeCandidate]) -> list[ChargeCandidate]: ...


def acts(facts: str) -> list[str]:
    """The clauses in which the facts tell separate acts: split at sentence ends and at 后来、又、还 …"""
    parts = [p for s in _SENTENCE.split(facts) for p in _NEXT_ACT.split(s)]
    return [p.strip("，,、 ") for p in parts if len(p.strip("，,、 ")) >= MIN_CHARS]


def crimes_in(
    ranker: Ranker, facts: str, ranked: Sequence[ChargeCandidate] | None = None
) -> list[ChargeCandidate]:
    """The charges of the facts: those the whole ranking recognises, then each further act's own
    first charge where both rankings agree on it. `ranked`: the whole facts' ranking, if at hand."""
    ranked = list(ranked) if ranked is not None else ranker.rank_charges(facts)
    found = list(ranker.recognised(ranked))
    if not found or found[0].named:
        return found
    first = found[0]
    if _is_narrative(ranker, facts):
        # a judgment's narrative tells every act in the law's words and the whole ranking weighs them;
        # its clauses are mostly background of one another (measured on cail2018/test: ranking each
        # clause of the whole narratives took charge F1 from .437 to .405; keeping one charge for short
        # narratives cost .0025, and .0035 on their first sentences)
        return found
    # in a question one clause tells one act: two charges for the same clause are two readings of it
    # (抢夺 or 抢劫 for 「从行人手里抢走一个包」), not two crimes; each further crime is told apart
    found = found[:1]
    clauses = acts(facts)
    if len(clauses) < 2:
        return found
    # one act read by who did it (贪污 for a 国家工作人员, 职务侵占 for a company's cashier) is one crime: a
    # supposition (如果他是国有公司的出纳呢) changes the reading of the act told before it, not the count
    by_who = everyday_terms().alternatives()
    for clause in clauses:
        if len(found) >= ranker.settings.max_charges:
            break
        if _SUPPOSED.match(clause):
            continue  # a supposed fact changes the case; it tells no new act
        ranking = ranker.rank_charges(clause)
        if any((c.article, c.suffix) == (first.article, first.suffix) for c in ranking[1:READING]):
            continue  # the clause reads as the first charge too: the same act told again, not another
        top = next(iter(ranking), None)
        if top is None or any((c.article, c.suffix) == (top.article, top.suffix) for c in found):
            continue
        if frozenset(((first.article, first.suffix), (top.article, top.suffix))) in by_who:
            continue
        if (
            (top.lexical_rank or 99) <= AGREE
            and (top.classifier_rank or 99) <= AGREE
            and top.score >= SHARE * first.score
        ):
            found.append(top)
    return found


def told(ranker: Ranker, facts: str, charges: Sequence[str]) -> dict[str, str]:
    """The words that tell each of several crimes, so that each is sentenced on its own amount
    (诈骗8万元 and 信用卡诈骗2万元 are not one crime of 10万元): every clause goes to the charge among
    `charges` it ranks highest; a clause that ranks none of them in its first TOLD_DEPTH (会判几年)
    belongs to all."""
    if _is_narrative(ranker, facts):
        return {}  # a judgment's narrative is sentenced whole, as its charges were recognised whole
    own: dict[str, list[str]] = {c: [] for c in charges}
    shared: list[str] = []
    for clause in acts(facts):
        order = [c.charge for c in ranker.rank_charges(clause)[:TOLD_DEPTH]]
        best = min((c for c in charges if c in order), key=order.index, default=None)
        (own[best] if best is not None else shared).append(clause)
    return {c: "，".join([*clauses, *shared]) for c, clauses in own.items() if clauses}


def _is_narrative(ranker: Ranker, facts: str) -> bool:
    """A court's narrative (its words, or longer than a question), not a client's telling."""
    return len(facts) > ranker.settings.everyday_full_chars or bool(_NARRATIVE.search(facts))
