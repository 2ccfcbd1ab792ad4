"""The case a conversation is about: its facts as a typed structure, each with the message it came from.

The user's messages are folded one by one. A follow-up (「如果盗窃的是15万元呢？」) changes the facts
of the case before it: a new amount, quantity, injury, age or charge replaces the old one, a
circumstance is added or withdrawn (「如果没有自首呢？」), and every replacement is reported so the
answer can say that the newer fact was used. A message that tells a case of its own starts a new one.

`statement()` is the statement of facts the ranking and the sentencing engine read: the messages of
the case with every superseded fact's words blanked, the amount restated once in a form the engine
reads (the user's 「12万」 or 「3000块」 as 元), the age as the words of 刑法第17条.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.agent.named_charges import NamedCharge, named_in
from assistant.judgment.everyday import DENIED_STATE
from assistant.sentencing import PriorRecord, SentenceEstimate, extract_quantities, find_circumstances
from assistant.sentencing.law import GeneralPart, load_general_part
from assistant.sentencing.quantities import OWED_WAGES, extract_amount, pay_beside_flow, unit_price_before
from assistant.sentencing.trace import PROBATION_OPEN, SHORT_OF_CRIME
from corpora.charges import ChargeMap
from corpora.numerals import NUMBER, cn_to_int, read_range

_CN = "零〇一二两三四五六七八九十百千"
_NUMBER = rf"\d+(?:\.\d+)?|[{_CN}]+(?:点[{_CN}]+)?"
# How people write sums of money: 12万元, 12万, 3000块钱, 4,800元, 三千元, 四万八, 3万2, 十万八千块.
_MONEY = re.compile(rf"({NUMBER})\s*((?:余|多|来)?(?:万元|万块钱|万块|万|元|块钱|块))?")
# A figure with no unit is money when it counts in 万 (骗了四万八), when a figure in 千 ends its clause
# (偷了3千5，), or when it follows a word of value (手机值4500).
_VALUE_BEFORE = re.compile(r"(?:值|价值|价格|价|估价|售价|认定(?:为|是)?|鉴定(?:为|是)?)\s*$")
_RANGE = re.compile(r"\s*(?:到|至|~|－)\s*")  # 2到3万: a range, doubted
_LISTED = re.compile(r"\s*(?:、|和|及|至|到|~|-|－)\s*")
_CLAUSE_END = re.compile(r"\s*(?:[，。；,;！!？?]|$)")
# A value set by a price certification or an appraisal (价格认定, 鉴定, 评估, 经认定) is how the law
# measures property (盗窃解释第四条第（一）项: 有效价格证明, else 委托估价机构估价); someone's guess of
# the same thing (顶多值, 说值, 大概) gives way to it.
_VALUATION = re.compile(r"价格认定|价格鉴定|价格认证|鉴定|评估|估价|经认定|认定(?:为|是)|物价")
_GUESS = re.compile(r"顶多|最多|至少|大概|大约|估计|可能|差不多|左右|说值|以为|自称|说是|听说")
# Words that tell several acts or things, whose amounts are added (偷了三次，分别2000、3000元).
_SEVERAL = re.compile(
    r"分别|各|又|另|还(?:偷|骗|抢|拿|有)|加上|共计|合计|总共|一共|每次|[两三四五六七八九\d]次"
)
# Words by which a user corrects or doubts a figure in the same message: 不对，是5000元 / 5万还是8万.
_CORRECTION = re.compile(r"不对|不是[^，。；]{0,12}而是|更正|应该是|应为|其实是|实际是|改为|准确地?说")
# a figure denied where it is told: 不是5万, 并非5万元, 而不是5万 (the same clause, just before it); 不止8万 says
# the sum is more than that figure, which is then no sum of its own (「其实不止8万，加起来骗了60万」 is 60万)
_DENIED = re.compile(
    r"(?:不是|并非|并不是|而非|不止|不只|远不止|何止)[^，。；,;0-9一二两三四五六七八九十百千万]{0,2}$"
)
_DOUBT = re.compile(r"还是|或者|或是|也可能|记不清|不确定|大概|左右|/")
# 大概 and 左右 round one figure; between the figures of several acts (第二次偷了现金大概3000元) they doubt none
_ROUNDING = re.compile(r"大概|左右")
# Who the offender is, where it decides the charge (贪污 or 职务侵占, 受贿 or 非国家工作人员受贿,
# 挪用公款 or 挪用资金: 刑法第九十三条 defines 国家工作人员). A follow-up may change it.
_STATUS = re.compile(
    r"(?P<state>国有(?:公司|企业|单位|银行)|国企|国家机关|国家工作人员|公务员|事业单位|财政所|财政局|在编|"
    r"(?:局|处|科|乡|镇|县|市)长|村支书)|"
    r"(?P<private>私营|民营|私企|民企|个体|外资|非国有)"
)
_AGE = re.compile(rf"({_NUMBER})\s*(?:周岁|岁)")
# an age told without 岁 (「我爸七十六了，他真不是故意的」): who, then the number and 了; twelve or more only
_AGE_SAID = re.compile(
    rf"(?:我爸|我妈|我爷爷|我奶奶|我外公|我外婆|我父亲|我母亲|老人家?|老爷子|老太太|老头|他|她)(?:今年|已经|都|也)?({_NUMBER})(?:多)?(?:了|啦)"
)
# A withdrawn circumstance: 没有自首, 不是累犯, 并无前科, 未取得谅解.
_NEGATED = re.compile(
    r"(?:没有|没|无|并无|不是|并非|不构成|不属于|不算|未|不再)(?:是|有|构成|属于|取得|获得|被)?"
    r"(自首|坦白|立功|累犯|前科|认罪认罚|谅解|退赃|退赔|赔偿|从犯|未遂)"
)
# A circumstance asked about is a question, not a fact: 「这次算累犯吗」「是不是累犯」「能不能算自首」
# 「会不会认定为从犯」. It is answered from the law (see `asked_answers`), and its words are no fact.
_ASKABLE = "累犯|自首|坦白|重大立功|立功|前科|从犯|主犯|胁从犯|未遂|中止|认罪认罚|正当防卫|防卫过当"
_ASKED = re.compile(
    r"(?:是不是|算不算|是否(?:构成|属于|算|认定为?)?|能不能(?:算|认定为?|构成)?|能否(?:算|认定为?|构成)?|"
    r"会不会(?:被)?(?:认定|算|定)?(?:为|成)?|构不构成|属不属于|有没有)\s*(?:是|算|构成|属于)?"
    rf"(?P<a>{_ASKABLE})|(?P<b>{_ASKABLE})(?:情节)?(?:了)?(?:吗|么|嘛|不)(?=[？?，。！!\s]|$)"
)
# 缓刑 asked about (能不能判缓刑, 缓刑要什么条件, 争取个缓刑): answered first from the estimate (asked_rulings)
_ASKED_PROBATION = re.compile(
    r"(?:能不能|能否|可不可以|可以|有没有可能|会不会|能|争取)(?:判|宣告|给|争取|适用|办)?(?:个|一个)?缓刑"
    r"|缓刑(?:要|需要)?(?:满足)?(?:什么|哪些|啥)条件|缓刑(?:吗|么)"
    # 「有没有可能不用进去关」: not serving the term is what 缓刑 decides (read blind suite, stop 28)
    r"|(?:有没有可能|能不能|可不可以|能否|可能|有可能)(?:就)?不(?:用|要|必)?(?:进去|坐牢|被关|关进去|蹲)"
    # an earlier 缓刑 asked about after a new crime (刑法第七十七条)
    r"|缓刑(?:还)?(?:算数|算不算数|作数|有效|管用)|(?:会不会|会|能不能)(?:被)?撤(?:销)?缓刑|缓刑(?:会不会|会|能不能)(?:被)?撤销"
    r"|缓刑(?:会|还)?(?:怎么样|怎么办|咋办|会怎样|怎么处理|怎么算)"
)
# The question a client asks at the end of his facts (会判多少年, 算犯罪吗, 犯法吗, 能告他吗, 我会怎么样, 怎么办)
# tells no act: read as facts, its words decide the charge wherever the facts' own words are weak (「会判多少年」
# had ranked 走私、贩卖、运输、制造毒品罪 first for a stabbing). Only the asking words go, up to the clause's end
# or a question mark: the facts told before them in the same clause stay (「偷了一个钱包会判多久」).
_HOW_LONG = "多少年|几年|多久|多长时间|几个月|多少个月|什么刑罚?|什么罪|多重"
_ASKING = re.compile(
    r"(?:请问|想问一下|想问)?(?:这个|这样|这种(?:情况|行为)?|那)?(?:"
    # 会判多少年, 会被判刑吗, 一般判几年, 会坐牢吗, 坐几年牢, 会怎么判, 能判缓刑吗; not 「被判了两年」, a fact
    r"(?:一般|大概|大约|最多|至少|还)?(?:"
    r"(?:会|能|要|将|可能)(?:被)?(?:怎么|如何)?(?:判(?:处|刑)?(?:缓刑|实刑)?|坐(?:几年|多少年|多久)?牢|进去|定罪|处罚|处理)"
    rf"(?:{_HOW_LONG})?(?:吗|么|呢|不|啊)?"
    rf"|(?:被)?(?:判(?:处|刑)?|坐(?:几年|多少年|多久)?牢)(?:{_HOW_LONG})(?:吗|么|呢|啊)?"
    r"|(?:被)?(?:判(?:处|刑)?(?:缓刑|实刑)?|坐牢)(?:吗|么)"
    r"|(?:怎么|如何)(?:判|定罪|处罚|处理)(?:呢|啊)?)"
    # 算犯罪吗, 是不是犯罪, 会犯法吗, 构成什么罪, 犯了什么罪
    r"|(?:算不算|是不是|构不构成|会不会|算|是|构成|属于|会)?(?:犯罪|犯法|违法)(?:吗|么|呢|不)"
    r"|(?:算不算|是不是|构不构成|会不会)(?:犯罪|犯法|违法)"
    r"|(?:会)?(?:构成|犯了?|是|算|定)什么罪(?:名)?(?:呢|啊)?"
    # 能告他吗, 能不能告他, 我会怎么样, 该怎么办, 要负什么责任, 有什么后果, 严重吗
    r"|(?:能|可以|能不能|可不可以)(?:告|起诉|报警)(?:他|她|他们|对方)?(?:吗|么|呢)?"
    r"|(?:我|他|她|他们)?(?:会|该|应该|要)?(?:怎么样|怎么办)(?:呢|啊)?"
    r"|(?:要|会|需要)?(?:负|承担)什么(?:法律)?责任(?:呢|啊)?|(?:会)?有什么(?:法律)?后果(?:呢|啊)?|(?:很)?严重吗"
    r")(?=\s*(?:[，。；,;！!？?]|$))"
)
_NEGATED_NAME = {"谅解": "取得谅解", "退赃": "退赃退赔", "退赔": "退赃退赔", "赔偿": "赔偿未取得谅解"}
# What is left of a message once its figures, circumstances and these words are taken out says
# whether it tells an act of its own: 「如果他是累犯呢？」 leaves nothing.
_FILLER = re.compile(
    r"如果|要是|假如|假设|若是|那么|那|还有|另外|此外|而且|并且|同时|然后|的话|"
    r"我们|我的|我|你|您|他们|他|她|它|朋友|同事|亲戚|家人|对方|当事人|嫌疑人|被告人|被告|某|"
    r"这种|这个|这样|上述|该|此|同样|那样|这|"
    r"会被|会|可能|大概|能|应该|应当|要|需要|被|又|也|都|就|还|再|仍然|只|已经|曾经|之前|以前|此前|先前|刚|"
    r"判处|判|多久|几年|多少年|多长时间|多少个月|几个月|什么刑|什么罪|何罪|哪些|哪个|什么|怎么样|怎么|怎样|如何|"
    r"处罚|量刑|刑期|坐牢|服刑|结果|情况|情形|变化|影响|区别|不同|改变|改成|改为|换成|变成|"
    r"情节|严重|较重|恶劣|特别|金额|数额|涉案|钱|财物|价值|更大|更多|更少|更高|更低|增加|减少|提高|降低|大|小|多|少|"
    r"是否|是不是|有没有|不是|没有|是|有|无|的|地|得|了|过|着|呢|吗|么|吧|啊|呀|嘛|"
    r"周岁|岁|年龄|年纪|罪名|构成|属于|算|按|以|定|起诉|指控|罪|"
    # what a client asks about the outcome, and how he says the defendant would act on it (主动去自首):
    # words of the general part, no act of a crime
    r"缓刑|实刑|减刑|假释|从轻|减轻|从重|加重|免除|免予|轻判|重判|判刑|罚金|宣告|认定|处理|"
    r"主动|自己|自愿|去|可以|可不可以|能不能|会不会|要不要|现在|以后|后来|这次|上次"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_MEASURES = {  # Quantities field → (fact kind, its evidence field)
    "drug_grams": ("毒品数量", "drug_evidence"),
    "bac": ("血液酒精含量", "bac_evidence"),
    "count": ("次数", "count_evidence"),
    "injury": ("伤情", "injury_evidence"),
}
_UNITS = {"毒品数量": "克", "血液酒精含量": "mg/100ml", "次数": "次", "年龄": "周岁"}


@dataclass(frozen=True)
class Fact:
    """One fact of the case: what it is, its value, the user's words and the message they are in."""

    kind: str  # 数额, 毒品数量, 血液酒精含量, 次数, 伤情, 年龄, 身份, 情节, 前罪, 罪名; 提问: a question
    value: Any  # a number, an injury grade, True/False for a circumstance, a charge name
    words: str  # the exact words of the message
    message: int  # 1-based number of the user's message in the conversation
    name: str = ""  # the circumstance (自首 …); empty for the other kinds
    blank: tuple[str, ...] = ()  # words the statement leaves out besides `words` (an amount given twice)
    earlier: tuple[tuple[int, str], ...] = ()  # a sum added up over messages: (message, words) of the others

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}" if self.name else self.kind

    def shown(self) -> str:
        """The value as a reader writes it: 15万元, 180mg/100ml, 自首, 不认定自首."""
        if self.kind == "数额":
            return yuan(float(self.value))
        if self.kind == "情节":
            return self.name if self.value else f"不认定{self.name}"
        if self.kind == "提问":
            return f"是否构成{self.value}"
        if self.kind == "伤情" and self.words.startswith(str(self.value)):
            return self.words  # with its grade: 重伤二级
        if isinstance(self.value, NamedCharge):
            return self.value.name or self.value.words
        unit = _UNITS.get(self.kind, "")
        return f"{self.value:g}{unit}" if isinstance(self.value, float | int) else f"{self.value}{unit}"

    def line(self) -> str:
        told = "；".join(f"第{m}次提问：“{w}”" for m, w in (*self.earlier, (self.message, self.words)))
        return f"{self.kind}：{self.shown()}（{told}）"


@dataclass(frozen=True)
class AskedRuling:
    """What the law and the facts say of one circumstance the latest message asks about: `verdict` as the
    conclusion states it first (可以认定自首（刑法第六十七条第一款）), `answer` as its own paragraph, with
    the law's words."""

    name: str
    verdict: str
    answer: str


def asked_rulings(
    case: CaseFacts, estimate: SentenceEstimate, law: GeneralPart | None = None
) -> list[AskedRuling]:
    """A ruling on each circumstance the latest message asks about (这次算累犯吗), from the law's
    definition (刑法第六十五条 …) and what the facts show; a step of the estimate that already rules on
    it (累犯不成立) is the ruling."""
    law = law or load_general_part()
    found = {c.name: c for c in estimate.circumstances}
    age = _age_ruling(case, estimate, law) if case.age_asked else None
    ruled = {
        s.name.removesuffix("不成立"): s
        for ch in estimate.charges
        for s in ch.steps
        if s.name.endswith("不成立")
    }
    out = []
    for fact in case.facts.values():
        if fact.kind != "提问" or fact.message != case.latest:
            continue
        name = fact.value
        article, text = law.definitions.get(name, ("", ""))
        quoted = f"刑法{article}：“{text}”。" if article else ""
        where = f"（刑法{article}）" if article else ""
        if name == "缓刑" and estimate.revoked:  # an earlier 缓刑 this crime revokes (刑法第七十七条第一款)
            article = law.probation_revoked[0]
            out.append(AskedRuling(name, f"原判缓刑应当撤销，前罪和本罪的刑罚数罪并罚（刑法{article}）", ""))
            continue
        if name == "缓刑":  # 刑法第七十二条: the estimate's own decision, said first with its article
            # the article the decision rests on: 第七十四条 for a 累犯 (a lawyer's review, stop 24), else 第七十二条
            barred = law.probation.bar_article in estimate.probation_reason
            where = f"（刑法{law.probation.bar_article if barred else law.probation.article}）"
            verdict = (
                f"按所述事实可以考虑宣告缓刑{where}"
                if estimate.probation_plausible
                else f"估计刑期符合缓刑条件，能否缓刑还要看悔罪表现等条件{where}"
                if estimate.probation_reason.startswith(PROBATION_OPEN)
                else f"按所述事实不宜宣告缓刑{where}"
            )
            # the reasons follow the term, in the conclusion itself
            out.append(AskedRuling(name, verdict, ""))
            continue
        if (
            name in law.rulings
        ):  # the court's to settle from the whole case (正当防卫): the law and what follows
            out.append(AskedRuling(name, law.rulings[name], f"关于是否属于{name}：{quoted}"))
            continue
        applied = [ch.charge for ch in estimate.charges if any(x.name == f"情节：{name}" for x in ch.steps)]
        if (
            name in ruled and applied
        ):  # several crimes, and the circumstance holds for some only (累犯: 袭警, not 危险驾驶)
            step = ruled[name]
            not_held = [
                ch.charge for ch in estimate.charges if any(x.name == f"{name}不成立" for x in ch.steps)
            ]
            why = step.detail.split("；")[0]
            held, unheld = "、".join(applied), "、".join(not_held)
            verdict = f"{held}罪构成{name}{where}；{unheld}罪不构成（{why}）"
            answer = f"关于是否构成{name}：{held}罪构成；{unheld}罪不构成，{why}（{step.basis}）。{quoted}"
            out.append(AskedRuling(name, verdict, answer))
            continue
        if name in ruled:
            step = ruled[name]
            verdict = f"不构成{name}（{step.basis}）"
            answer = f"关于是否构成{name}：不构成。{step.detail.split('；')[0]}（{step.basis}）。"
        elif name in found:
            c = found[name]
            verdict = f"按所述事实可以认定{name}{where}"
            answer = f"关于是否构成{name}：按所述事实可以认定（“{c.evidence}”）。{quoted}"
        elif name == "累犯":
            verdict = f"能否认定累犯{where}，所述事实还不足以判断"
            answer = (
                "关于是否构成累犯：所述事实没有说明前罪判处的刑罚和刑满释放的时间，无法认定。"
                f"{quoted}请说明前罪的罪名、刑罚和释放时间。"
            )
        else:
            confessed = name == "自首" and "坦白" in found
            instead = "；所述情形属于坦白" if confessed else ""
            plain = law.definitions.get("坦白", ("", ""))[0] if confessed else ""
            verdict = f"按所述事实不能认定{name}{where}" + (f"，属于坦白（刑法{plain}）" if plain else "")
            answer = f"关于是否构成{name}：按所述事实不能认定{instead}。{quoted}"
        out.append(AskedRuling(name, verdict, answer))
    out += _lighter_rulings(case, estimate, law, {r.name for r in out})
    undetected = _undetected_ruling(case, law)
    return ([age] if age is not None else []) + ([undetected] if undetected else []) + out


def _undetected_ruling(case: CaseFacts, law: GeneralPart) -> AskedRuling | None:
    """刑法第七十条, where the facts tell a crime from before a judgment found while its sentence is served: how the
    new-found crime's term and the earlier one are combined is what decides what he serves, said first."""
    rule = law.undetected
    found = rule.found("。".join(case.messages.values())) if rule is not None else ""
    if rule is None or not found:
        return None
    return AskedRuling(
        "漏罪",
        f"按所述事实（{found}），属于判决宣告以前没有判决的漏罪：{rule.ruling}（刑法{rule.article}）",
        "",
    )


# asking whether the sentence can be lighter (能不能判轻一点, 能从轻吗)
LIGHTER_ASK = re.compile(r"轻判|判轻|从轻|减轻|少判|轻点|轻一点|轻一些|判得轻|判的轻")


def _lighter_rulings(
    case: CaseFacts, estimate: SentenceEstimate, law: GeneralPart, asked: set[str]
) -> list[AskedRuling]:
    """「他只在外面望风的，是不是能判轻一点」 asks what the told circumstance does to the sentence: each lenient circumstance
    of 刑法总则 the facts show (从犯, 自首, 未遂: one with a definition in the rules), with its article and what that
    article does to the sentence, answers it first. The engine's steps already weigh them in the term."""
    latest = case.messages.get(case.latest, "")
    if not LIGHTER_ASK.search(latest):
        return []
    told = "。".join(case.messages.values())
    out = []
    for c in estimate.circumstances:
        if c.direction != "从宽" or c.name in asked or c.name not in law.definitions:
            continue
        article, text = law.definitions[c.name]
        effect = text.rsplit("。", 1)[-1] if "。" in text else text.rsplit("，", 1)[-1]
        at = told.find(c.evidence)
        if at >= 0 and _INTENDED.search(told[max(0, at - 6) : at]):
            # 「想自己去派出所把事情说清楚，能判轻一点吗」: not done yet, so what it would be
            verdict = f"如果{c.evidence}，一般可以认定{c.name}（刑法{article}），{effect}"
        else:
            verdict = f"按所述事实（{c.evidence}）可以认定{c.name}（刑法{article}），{effect}"
        out.append(AskedRuling(c.name, verdict, ""))
    return out


# a lenient act the client means to do, not one done (想自己去派出所, 准备去自首, 打算退赃)
_INTENDED = re.compile(
    r"(?:想|准备|打算|想着|考虑|愿意|要是|如果|假如)(?:让他|叫他)?(?:自己|主动|马上|尽快|明天|赶紧)?$"
)


def _age_ruling(case: CaseFacts, estimate: SentenceEstimate, law: GeneralPart) -> AskedRuling | None:
    """Whether the told age answers for the told act (刑法第十七条), said first where that is what the client asks: the
    engine's step where the age excuses it, else the paragraph that holds him to it and the mitigation of a minor."""
    rule, told = law.age, case.get("年龄")
    if rule is None or told is None or not estimate.charges:
        return None
    age = int(told.value)
    for ch in estimate.charges:
        for step in ch.steps:
            if step.name == SHORT_OF_CRIME and step.basis.startswith(f"刑法{rule.article}"):
                return AskedRuling("刑事责任年龄", f"行为时{age}周岁，不负刑事责任（{step.basis}）", "")
    if age >= 75 and rule.elderly and rule.elderly_article:
        # 刑法第十七条之一: 已满七十五周岁的人故意犯罪的，可以从轻或者减轻处罚；过失犯罪的，应当从轻或者减轻处罚
        return AskedRuling(
            "刑事责任年龄",
            f"犯罪时已满七十五周岁：{rule.elderly.split('的人', 1)[-1]}（刑法{rule.elderly_article}）",
            "",
        )
    if age >= 18:
        return None
    which = "第一款" if age >= 16 else "第二款" if age >= 14 else "第三款"
    held = (
        "已满十六周岁的人犯罪，应当负刑事责任"
        if age >= 16
        else f"行为时{age}周岁，所述犯罪属于这个年龄应当负刑事责任的犯罪"
    )
    return AskedRuling(
        "刑事责任年龄",
        f"{held}（刑法{rule.article}{which}）；{rule.mitigation.split('，', 1)[-1]}（刑法{rule.mitigation_article}）",
        "",
    )


def asked_answers(case: CaseFacts, estimate: SentenceEstimate, law: GeneralPart | None = None) -> list[str]:
    """An answer to each circumstance the latest message asks about, as its own paragraph (asked_rulings)."""
    return [r.answer for r in asked_rulings(case, estimate, law)]


def general_rules(case: CaseFacts, law: GeneralPart | None = None) -> list[str]:
    """With no case to apply them to, the law on what the latest message raises: each circumstance it
    names or asks about (自首: 刑法第六十七条第一款), and 缓刑 (第七十二条) where it asks about it."""
    law = law or load_general_part()
    latest = case.messages.get(case.latest, "")
    names = [f.value if f.kind == "提问" else f.name for f in case.facts.values() if f.message == case.latest]
    out = [
        f"{name}：刑法{law.definitions[name][0]}规定“{law.definitions[name][1]}”。"
        for name in dict.fromkeys(names)
        if name in law.definitions
    ]
    if "缓刑" in latest:
        p = law.probation
        out.append(
            f"缓刑：刑法{p.article}规定，被判处拘役、三年以下有期徒刑，同时{p.conditions}的，可以宣告缓刑；"
            f"累犯和犯罪集团的首要分子不适用缓刑（刑法{p.bar_article}）。"
        )
    return out


def yuan(value: float) -> str:
    if value >= 10000 and value % 100 == 0:
        return f"{value / 10000:g}万元"
    return f"{value:g}元"


@dataclass
class CaseFacts:
    """The facts of the case under discussion, folded from the user's messages in order."""

    messages: dict[int, str] = field(default_factory=dict)  # message number → text, of this case only
    facts: dict[str, Fact] = field(default_factory=dict)
    superseded: list[Fact] = field(default_factory=list)  # facts a later message replaced
    changes: list[str] = field(default_factory=list)  # what the latest message changed, in plain Chinese
    conflicts: list[str] = field(default_factory=list)  # figures the latest message gave twice
    tells_case: bool = False  # some message of the case tells an act or names a charge
    tells_act: bool = False  # some message of the case tells an act (beyond naming a charge)
    acts: set[int] = field(default_factory=set)  # the messages that tell the act (what the ranking reads)
    # the latest message asks whether the told age excuses the act (「十五岁偷东西要坐牢吗」): set by the agent where the
    # statute search leads with 刑法第十七条 (planning.weighed_by_the_engine); the ruling leads the conclusion
    age_asked: bool = False
    latest: int = 0  # number of the latest message folded in

    @classmethod
    def from_messages(cls, messages: Iterable[str], cmap: ChargeMap | None = None) -> CaseFacts:
        case = cls()
        for text in messages:
            case = case.add(text, cmap)
        return case

    @classmethod
    def from_history(
        cls, history: Sequence[dict[str, str]], question: str, cmap: ChargeMap | None = None
    ) -> CaseFacts:
        earlier = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
        return cls.from_messages([*earlier, question], cmap)

    # --- folding -------------------------------------------------------------------------------
    def add(self, text: str, cmap: ChargeMap | None = None) -> CaseFacts:
        """The case after one more user message (self is left unchanged)."""
        n = self.latest + 1
        found, conflicts = message_facts(text, n, cmap)
        # after other messages, what the offender did to make good (后来把税款都补缴了，还会判刑吗) tells no
        # case of its own, and 「如果…呢」 needs two words of its own; a first message is read whole
        told = _without_amends(text) if self.messages else text
        leaning = _leans_on_earlier(text) if self.messages else _supposes(text)
        own_act = tells_act(told, found, leaning=leaning)
        if own_act and not continues_case(text):
            base = CaseFacts(latest=self.latest)  # a case of its own: earlier facts do not carry over
        else:
            base = CaseFacts(dict(self.messages), dict(self.facts), list(self.superseded), latest=self.latest)
            base.tells_case, base.tells_act, base.acts = self.tells_case, self.tells_act, set(self.acts)
        if own_act and (not base.messages or tells_act(_without_circumstances(text, found), found, True)):
            base.acts.add(n)
        base.messages[n] = text
        base.latest = n
        base.conflicts = conflicts
        base.tells_act = base.tells_act or own_act
        base.tells_case = base.tells_case or own_act or any(f.kind == "罪名" for f in found)
        found += base._arrest_withdraws_surrender(text, found, n)
        found = base._add_another_sum(text, found, n)
        for fact in found:
            base._set(fact)
        if any(c.startswith(f"第{n}次提问的数额") for c in base.changes):
            # 「其实是3万不是5万」: the replacement says which amount is used; the denial needs no note of its own
            base.conflicts = [c for c in base.conflicts if not c.startswith(f"第{n}次提问说明数额是")]
        return base

    def _add_another_sum(self, text: str, found: list[Fact], n: int) -> list[Fact]:
        """「他后来又偷了另一家3000元」: the sum of another act adds to the one told before (amounts of acts not yet
        dealt with are counted together: 刑法第二百零一条第三款, 第三百八十三条第二款), where a sum without such
        words replaces it. Returns the message's facts without the sum it added."""
        amount = next((f for f in found if f.kind == "数额"), None)
        old = self.facts.get("数额")
        at = text.find(amount.words) if amount is not None else -1
        if amount is None or old is None or old.message == n or not _ANOTHER_ACT.search(text[: max(at, 0)]):
            return found
        value, before = float(old.value) + float(amount.value), (*old.earlier, (old.message, old.words))
        total = Fact("数额", value, amount.words, n, blank=amount.blank, earlier=before)
        self.superseded.append(old)
        self.facts["数额"] = total
        self.changes.append(
            f"第{n}次提问又说了一笔数额（{amount.shown()}），与第{old.message}次提问的{old.shown()}合计"
            f"{total.shown()}计算；如果说的是同一笔，请说明。"
        )
        return [f for f in found if f is not amount]

    def _arrest_withdraws_surrender(self, text: str, found: Sequence[Fact], n: int) -> list[Fact]:
        """「不对，他不是自己去的，是被警察抓的」: a correction that tells an arrest withdraws the 自首 an earlier
        message told (刑法第六十七条第一款: 自首 needs 自动投案); a confession after arrest is 坦白 at most."""
        earlier = self.facts.get("情节:自首")
        if earlier is None or not earlier.value or any(f.key == "情节:自首" for f in found):
            return []
        if not (_CORRECTS.search(text.strip()) or _NOT_OF_HIS_OWN.search(text)):
            return []
        arrest = _ARRESTED.search(text)
        return [Fact("情节", False, arrest.group(0), n, name="自首")] if arrest else []

    def _set(self, fact: Fact) -> None:
        old = self.facts.get(fact.key)
        if fact.kind == "提问":  # a question changes no fact
            self.facts[fact.key] = fact
            return
        if fact.kind == "罪名" and fact.key not in self.facts:
            for k in [k for k in self.facts if k.startswith("罪名")]:
                if self.facts[k].message != fact.message:  # a newly named charge replaces the earlier ones
                    old = old or self.facts[k]
                    self.superseded.append(self.facts.pop(k))
        if old is not None and old.message != fact.message:
            if old.key == fact.key:
                self.superseded.append(old)
            if old.shown() != fact.shown():
                self.changes.append(
                    f"第{fact.message}次提问的{fact.kind}（{fact.shown()}）取代了第{old.message}次提问的"
                    f"{old.kind}（{old.shown()}），以新说的{fact.shown()}为准。"
                )
        elif old is None and fact.message > min(self.messages, default=fact.message):
            what = "情节" if fact.kind == "情节" else fact.kind
            self.changes.append(f"第{fact.message}次提问补充了{what}：{fact.shown()}。")
        self.facts[fact.key] = fact

    # --- reading -------------------------------------------------------------------------------
    @property
    def has_case(self) -> bool:
        return self.tells_case

    @property
    def named_charges(self) -> list[NamedCharge]:
        return [f.value for f in self.facts.values() if f.kind == "罪名"]

    def get(self, kind: str, name: str = "") -> Fact | None:
        return self.facts.get(f"{kind}:{name}" if name else kind)

    def statement(self, without_charges: bool = False) -> str:
        """The facts as one statement the ranking and the engine read (see the module docstring).

        `without_charges`: the charges the user named left out, so that a search finds what the
        facts alone point to (and whether they contradict the name)."""
        text = self._joined(without_charges, keep_figures=False, every=True)
        # the amount goes first: after the messages, their last words (对方写了谅解书。) would stand before it
        # where the engine looks for words that make a sum no crime amount (谅解, 赔偿, 退还)
        first = []
        if (amount := self.get("数额")) is not None:
            first.append(f"涉案数额共计{amount_words(float(amount.value))}")
        extra = [age_words(int(age.value))] if (age := self.get("年龄")) is not None else []
        return "。".join([*first, text, *extra])

    def narrative(self, without_charges: bool = False, keep_figures: bool = False) -> str:
        """The user's messages with superseded facts, amounts and ages taken out: what the charge
        ranking reads (the statement's added 「涉案数额共计…」 would count as facts of the act).
        `keep_figures`: the current amounts and ages stay where they were told (several crimes are each
        sentenced on the amount told with them).

        The ranking reads the messages that tell the act: a follow-up that only tells what came after it
        (投案了，钱全退了，对方也写了谅解书) cannot change the charge. With `keep_figures`, every message."""
        return self._joined(without_charges, keep_figures, every=keep_figures, keep_asking=False)

    def _joined(
        self, without_charges: bool, keep_figures: bool, every: bool, keep_asking: bool = True
    ) -> str:
        current = [] if keep_figures else list(self.facts.values())
        # an earlier sentence (因为抢劫被判过四年) tells the record, not this act: the ranking does not read it
        # a question (算累犯吗) is no fact: its words must not be read as one
        blank = [f for f in [*self.superseded, *current] if f.kind in ("数额", "年龄", "前罪")]
        blank += [f for f in self.facts.values() if f.kind == "提问"]
        blank += [f for f in self.superseded if f.kind not in ("数额", "年龄")]
        if without_charges:
            blank += [f for f in self.facts.values() if f.kind == "罪名"]
        parts = []
        for n, text in sorted(self.messages.items()):
            if not every and self.acts and n not in self.acts:
                continue
            for f in blank:
                for words in (f.words, *f.blank) if f.message == n else ():
                    text = text.replace(words, "") if words else text
            if not keep_asking:  # the question asked is no fact (see _ASKING)
                text = re.sub(r"[，,；;]\s*(?=[，,；;。？?！!]|$)", "", _ASKING.sub("", text))
            parts.append(text.strip().rstrip("。？?！!"))
        return "。".join(p for p in parts if p)

    def lines(self) -> list[str]:
        """Each fact with the message it came from, for the trace."""
        order = {
            "罪名": 0,
            "数额": 1,
            "毒品数量": 2,
            "血液酒精含量": 2,
            "次数": 3,
            "伤情": 4,
            "年龄": 5,
            "身份": 5,
            "情节": 6,
        }
        facts = sorted(self.facts.values(), key=lambda f: (order.get(f.kind, 9), f.message))
        return [f.line() for f in facts]

    def to_dict(self) -> dict[str, Any]:
        return {
            "facts": [
                {"kind": f.kind, "name": f.name, "value": f.shown(), "words": f.words, "message": f.message}
                for f in self.facts.values()
            ],
            "changes": list(self.changes),
            "conflicts": list(self.conflicts),
            "messages": {str(k): v for k, v in self.messages.items()},
            "has_case": self.has_case,
        }


# --- one message -------------------------------------------------------------------------------
def message_facts(text: str, n: int, cmap: ChargeMap | None = None) -> tuple[list[Fact], list[str]]:
    """The facts one message states, and a note for each figure it gives twice. A circumstance asked
    about (算累犯吗) is recorded as a question (kind 提问), not as a fact."""
    facts: list[Fact] = []
    for m in _ASKED.finditer(text):
        name = m.group("a") or m.group("b")
        facts.append(Fact("提问", name, m.group(0), n, name=name))
    if (probation := _ASKED_PROBATION.search(text)) is not None:
        facts.append(Fact("提问", "缓刑", probation.group(0), n, name="缓刑"))
    stated = _ASKED.sub(lambda m: "　" * len(m.group(0)), text)  # what the message states
    amount, conflicts = _amount(text, n)
    if amount is not None:
        facts.append(amount)
    q = extract_quantities(text)
    for attr, (kind, evidence) in _MEASURES.items():
        value = getattr(q, attr)
        # a count is a fact only when told as a figure (多次 is read as 3 by the engine, not the user)
        figure = attr != "count" or re.search(r"\d|[一二两三四五六七八九十]次", getattr(q, evidence))
        if value is not None and figure:
            facts.append(Fact(kind, value, getattr(q, evidence), n))
    # 「之前因为盗窃坐过牢，去年刚放出来」: a circumstance, not a new case
    prior = PriorRecord.told(stated)
    record = _clause_of(stated, stated.find(prior.words)) if prior and prior.words in stated else range(0)
    for m in [*_AGE.finditer(stated), *_AGE_SAID.finditer(stated)]:
        if m.start() in record:
            continue  # 「他17岁的时候因为抢劫被判过两年」: the age at the earlier crime, not his age now
        try:
            age = int(float(m.group(1))) if m.group(1)[0].isdigit() else cn_to_int(m.group(1))
        except (ValueError, KeyError):
            continue
        if m.re is _AGE_SAID and age < 12:
            continue
        facts.append(Fact("年龄", age, m.group(0), n))
        break
    if status := _STATUS.search(stated):
        # a state employer denied (「私人的不是国企」) tells a private one, as the charge lexicon reads it
        denied = any(m.start() <= status.start() < m.end() for m in DENIED_STATE.finditer(stated))
        state = bool(status.group("state")) and not denied
        facts.append(Fact("身份", "国家工作人员" if state else "非国家工作人员", status.group(0), n))
    for c in find_circumstances(stated):
        facts.append(Fact("情节", True, c.evidence, n, name=c.name))
    for m in _NEGATED.finditer(stated):
        name = _NEGATED_NAME.get(m.group(1), m.group(1))
        if not any(f.kind == "情节" and f.name == name for f in facts):
            facts.append(Fact("情节", False, m.group(0), n, name=name))
    if prior is not None:
        ages = tuple(m.group(0) for m in _AGE.finditer(stated) if m.start() in record)
        facts.append(Fact("前罪", prior.evidence(), prior.words, n, blank=ages))
    for named in named_in(text, cmap):
        facts.append(Fact("罪名", named, named.words, n, name=named.words))
    return facts, conflicts


def _without_circumstances(text: str, facts: Sequence[Fact]) -> str:
    """The message without the clauses that tell a circumstance, a prior record, a question or what the
    offender did after the crime to make good (see `_AMENDS`)."""
    words = [f.words for f in facts if f.kind in ("情节", "前罪", "提问") and f.words]
    return "，".join(
        c for c in re.split(r"[，。；,;]", _without_amends(text)) if not any(w in c for w in words)
    )


# What an offender does after the crime to make good: he pays the tax (刑法第二百零一条第四款), returns or
# makes up the loss, compensates, apologises, is forgiven. A clause telling it tells no act of the crime:
# the charge stays the one the case's acts tell (「后来把税款都补缴了」 is no 逃避追缴欠税 of its own).
_AMENDS = re.compile(
    r"补缴|补交|补齐|补足|补上|缴清|交清|缴齐|交齐|退还|退回|退赃|退赔|退缴|退了|退给|归还|还上|还清|还回|还给|"
    r"全还|都还|赔偿|赔了|赔给|赔钱|道歉|谅解|原谅|和解"
)


def _without_amends(text: str) -> str:
    """The message without the clauses that tell what the offender did after the crime to make good."""
    return "，".join(c for c in re.split(r"[，。；,;]", text) if not _AMENDS.search(c))


def _clause_of(text: str, at: int) -> range:
    """The clause (between ，。；) around position `at`."""
    lo = max(text.rfind(sep, 0, at) for sep in "，。；,;") + 1
    ends = [i for sep in "，。；,;" if (i := text.find(sep, at)) >= 0]
    return range(lo, min(ends, default=len(text)))


_PAY_AFTER = re.compile(r"[^，。；,]{0,4}?(?:工资|薪水|月薪|工钱|薪资|报酬)")


def _amount(text: str, n: int) -> tuple[Fact | None, list[str]]:
    """The crime amount of one message. Several figures are added up (两次共偷了…) unless the user
    corrects one (不对，是5000元: the correction is used) or doubts between them (5万还是8万: the
    lower is used, as doubt is resolved in the defendant's favour)."""
    mentions = []
    money = _money(text)
    for i, (m, unit) in enumerate(money):
        words = m.group(0)
        normal = amount_words_of(m.group(1), unit)
        read = extract_amount(normal)
        # the engine's own reading decides what is a crime amount (赔偿5000元 is not); the figures before
        # it are left out, so that 赔偿 before one of them does not deny the next
        lo = max(0, m.start() - 12, money[i - 1][0].end() if i else 0)
        before = text[lo : m.start()]
        # 「每个月拿8000块钱工资」: one's pay told as background is no crime amount (wages owed are, 刑法第二百七十六条之一)
        if _PAY_AFTER.match(text, m.end()) and not OWED_WAGES.search(
            text[max(0, m.start() - 12) : m.end() + 8]
        ):
            continue
        if read is not None and extract_amount(before + normal) is not None:
            mentions.append((m, read[0], words))
    if not mentions:
        return None, []
    # 「其实是3万不是5万」「不是5万，是3万」: a figure the message denies is no amount; the one it affirms replaces it
    denied = [x for x in mentions if _DENIED.search(text[max(0, x[0].start() - 6) : x[0].start()])]
    if denied and len(denied) < len(mentions):
        kept = [x for x in mentions if x not in denied]
        if len(kept) == 1:
            m, value, words = kept[0]
            note = f"第{n}次提问说明数额是{words}而不是{'、'.join(w for _, _, w in denied)}，以{yuan(value)}为准。"
            return Fact("数额", value, words, n, blank=tuple(w for _, _, w in mentions)), [note]
        mentions = kept
    # 「贷了500万…银行损失了200万」: a loss is a measure of its own (part of the sum, not added to it);
    # the engine reads it where the threshold measures the loss (骗取贷款)
    losses = [x for x in mentions if "损失" in text[max(0, x[0].start() - 8) : x[0].start()]]
    if losses and len(losses) < len(mentions):
        mentions = [x for x in mentions if x not in losses]
    # 「进价几十块卖一两百，一年多卖了大概15万」: a price per unit is no sum of the crime beside the total
    priced = [x for x in mentions if unit_price_before(text, x[0].start())]
    if priced and len(priced) < len(mentions):
        mentions = [x for x in mentions if x not in priced]
    # 「一年多卖了大概15万，赚了5万左右」: the profit is part of the sales told, not a second sum (the engine's thresholds of
    # 销售金额 and 非法经营数额 read the whole)
    profit = [x for x in mentions if _PROFIT_BEFORE.search(text[max(0, x[0].start() - 8) : x[0].start()])]
    if profit and len(profit) < len(mentions):
        mentions = [x for x in mentions if x not in profit]
    # 「前后拿了1500块…卡里过了80多万」: the pay for a card is no part of the money that flowed through it
    paid = [x for x in mentions if pay_beside_flow(text, x[0].start())]
    if paid and len(paid) < len(mentions):
        mentions = [x for x in mentions if x not in paid]
    if len(mentions) == 1:
        m, value, words = mentions[0]
        low, high = read_range(m.group(1))
        if low == high:
            return Fact("数额", value, words, n), []
        note = (
            f"第{n}次提问的数额“{words}”是约数，按较低的{yuan(value)}计算（事实存疑时作有利于被告人的认定）；"
            "请确认实际数额。"
        )
        return Fact("数额", value, words, n), [note]
    between = text[mentions[0][0].start() : mentions[-1][0].end()]
    shown = "、".join(w for _, _, w in mentions)
    every = tuple(w for _, _, w in mentions)
    if valued := _valuation(text, mentions):
        _, value, words = valued
        guesses = "、".join(w for _, _, w in mentions if w != words)
        note = (
            f"第{n}次提问对同一财物给出了两个数额：估计的{guesses}和价格认定的{words}。按价格认定的"
            f"{yuan(value)}计算：财物价值以有效价格证明或估价机构的估价认定，当事人的估计不作为依据"
            "（盗窃案件见《最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释》"
            "（法释〔2013〕8号）第四条第（一）项）。"
        )
        return Fact("数额", value, words, n, blank=every), [note]
    if _CORRECTION.search(between):
        _, value, words = mentions[-1]
        note = f"第{n}次提问给出了不同的数额（{shown}），按更正后的{yuan(value)}计算。"
        return Fact("数额", value, words, n, blank=every), [note]
    ranged = len(mentions) == 2 and _RANGE.fullmatch(text, mentions[0][0].end(), mentions[1][0].start())
    doubted = [w.group(0) for w in _DOUBT.finditer(between)]
    if ranged or any(not _ROUNDING.fullmatch(w) for w in doubted) or (doubted and not _SEVERAL.search(text)):
        _, value, words = min(mentions, key=lambda x: x[1])
        note = (
            f"第{n}次提问给出了两个不能同时成立的数额（{shown}），按较低的{yuan(value)}计算"
            "（事实存疑时作有利于被告人的认定）；请确认实际数额。"
        )
        return Fact("数额", value, words, n, blank=every), [note]
    # otherwise as the engine reads several figures: the largest 共计 total, else their sum
    normal = "".join(
        text[(money[i - 1][0].end() if i else 0) : m.start()] + amount_words_of(m.group(1), unit)
        for i, (m, unit) in enumerate(money)
    )
    normal += text[money[-1][0].end() :]
    whole = extract_amount(normal)
    total = whole[0] if whole else sum(v for _, v, _ in mentions)
    note = f"第{n}次提问提到多笔数额（{shown}），按合计{yuan(total)}计算；如其中有重复，请说明实际数额。"
    return Fact("数额", total, shown, n, blank=every), [note]


_PROFIT_BEFORE = re.compile(
    r"(?:赚|挣|获利|利润|盈利|净赚|纯赚)(?:了)?(?:大概|大约|约|差不多)?[^，。；\d]{0,2}$"
)


def _money(text: str) -> list[tuple[re.Match[str], str]]:
    """The sums of money in `text`, each with its unit (see `_MONEY` and `_VALUE_BEFORE`); a figure of a
    list takes the unit told at its end (分别2000、3000元; 2到3万)."""
    found = list(_MONEY.finditer(text))
    out = []
    for i, m in enumerate(found):
        number, unit = m.group(1), m.group(2) or ""
        following = found[i + 1] if i + 1 < len(found) else None
        if not unit and following is not None and _LISTED.fullmatch(text, m.end(), following.start()):
            # 2到3万: the 万 of the last figure counts for the first too
            unit = following.group(2) or ("万" if "万" in following.group(1) and number.isdigit() else "")
        if (
            unit
            or "万" in number
            or ("千" in number and _CLAUSE_END.match(text, m.end()))
            or _VALUE_BEFORE.search(text[max(0, m.start() - 6) : m.start()])
        ):
            out.append((m, unit))
    return out


def _valuation(text: str, mentions: list[tuple[re.Match[str], float, str]]) -> tuple | None:
    """The valued figure where one message gives a guess and a valuation of one thing (顶多值五千块，
    价格认定是3万2); None where the figures are of several acts or not every one is a guess or a valuation."""
    if _SEVERAL.search(text):
        return None
    valued, guessed = [], []
    for x in mentions:
        start = x[0].start()
        before = text[max(0, text.rfind("，", 0, start) + 1, start - 14) : start]
        if _VALUATION.search(before):
            valued.append(x)
        elif _GUESS.search(before):
            guessed.append(x)
    return valued[-1] if valued and guessed and len(valued) + len(guessed) == len(mentions) else None


def amount_words_of(number: str, unit: str) -> str:
    """The user's figure as the engine reads money: 12万 → 120000元, 四万八 → 48000元, 3000块钱 → 3000元."""
    value = read_range(number)[0] * (10000 if "万" in unit else 1)  # 两三万: the lower, as doubt favours him
    return f"{value:.2f}".rstrip("0").rstrip(".") + "元"


def amount_words(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "元"


def age_words(age: int) -> str:
    """The age in the words of 刑法第17条 and 第17条之一, which the circumstance finder reads."""
    if age < 16:
        return f"行为时{age}周岁，已满十四周岁不满十六周岁" if age >= 14 else f"行为时{age}周岁，不满十四周岁"
    if age < 18:
        return f"行为时{age}周岁，已满十六周岁不满十八周岁"
    if age >= 75:
        return f"行为时{age}周岁，已满七十五周岁"
    return f"行为时{age}周岁，已成年"


def tells_act(text: str, facts: Sequence[Fact], leaning: bool = False) -> bool:
    """Whether the message tells something beyond figures, circumstances and the question itself
    (「骗了12万」 does; 「如果他是累犯呢？」 does not). A 「如果…呢」 question needs two words of its own."""
    rest = text
    for f in sorted(facts, key=lambda f: -len(f.words)):
        if f.words:
            rest = rest.replace(f.words, "")
    rest = _FILLER.sub("", _ASKING.sub("", rest))  # the question asked (还会判刑吗) tells no act
    return len(_CJK.findall(rest)) >= (2 if leaning else 1)


def _leans_on_earlier(text: str) -> bool:
    """「如果…呢」「那…」: a question that changes the case before it rather than telling a new one."""
    q = text.strip()
    return bool(re.match(r"(那|那么|如果|要是|假如|假设|若|另外|还有|此外|他|她|而且|并且|同时)", q)) or bool(
        re.search(r"呢[？?]?$", q)
    )


def _supposes(text: str) -> bool:
    """「如果偷的是15万元呢？」: a supposition about a case, which a first message cannot lean on (他… can start one)."""
    q = text.strip()
    return bool(re.match(r"(那|那么|如果|要是|假如|假设|若)", q)) or bool(re.search(r"呢[？?]?$", q))


# A correction of what was told (不对，鉴定结果是重伤二级), or more facts told without a question of their
# own (我就是给老板开挖掘机的，每个月拿8000块钱工资): the case before goes on, the newer fact wins.
_CORRECTS = re.compile(
    r"^(?:不对|不是的|错了|搞错|说错|更正|纠正|补充|其实|实际上|准确地?说|刚问清楚|我刚问)"
)
# another act told after the first (又偷了, 另外还骗了, 第二次): its sum adds to the sum told before
_ANOTHER_ACT = re.compile(
    r"又|另外|另一|另有|还(?:偷|骗|抢|拿|贪|挪|收|卖|从)|再次|再一次|第[二三四五]次|加上|此外"
)
# an arrest told in a correction (是被警察抓的, 被抓获的), and 「不是自己去的」: he did not come of his own accord
_ARRESTED = re.compile(r"被[^，。；]{0,4}(?:抓|抓获|查获|逮捕|拘留|带走|找到)|抓获|被动归案")
_NOT_OF_HIS_OWN = re.compile(r"不是(?:他)?(?:自己|主动|自愿)")
_ASKS = re.compile(
    r"[？?]|吗|呢|么|什么|怎么|怎样|如何|多少|多久|几年|几个月|会不会|能不能|可不可以|是否|是不是|有没有|算不算|"
    r"要不要|咋|啥|哪"
)


def continues_case(text: str) -> bool:
    """Whether a message after others goes on with their case (see `_CORRECTS`, `_leans_on_earlier`)."""
    q = text.strip()
    return _leans_on_earlier(q) or bool(_CORRECTS.search(q)) or not _ASKS.search(q)


def foreign_words(text: str) -> bool:
    return bool(_LATIN_WORD.search(text))
