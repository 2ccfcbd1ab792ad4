"""Sentencing circumstances and quantities found in a statement of facts, each with its words.

Every `Circumstance` carries the exact substring it came from and its span, so a trace can quote
the facts. Negation and refusal are handled before anything is credited: 拒不供认 / 零口供 /
不如实供述 never yield 坦白 or 自首, and 不构成自首 / 未取得谅解 do not count as 自首 / 谅解.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .confession import EARLIER_DENIAL, PLEA_IN_COURT, STATEMENT_AS_PROOF, SURRENDER, first_match, mask_claims
from .quantities import Quantities, extract_amount, extract_quantities
from .quantities import negated as _negated
from .record_dates import age_at_offence, convicted_after_offence, recidivism

__all__ = ["Circumstance", "Quantities", "extract_amount", "extract_quantities", "find_circumstances"]

Direction = Literal["从宽", "从严", "不调节"]

# Words that, just before a keyword, deny it: 不如实供述, 未取得谅解, 不构成自首, 没有立功表现.

# name → (keywords, negatable, direction). Order matters only for readability.
_PATTERNS: dict[str, tuple[tuple[str, ...], bool, Direction]] = {
    # 自动投案 by its many phrasings is in confession.SURRENDER; here only the word itself
    "自首": (("自首",), True, "从宽"),
    "坦白": (("如实供述", "如实交代", "如实供认", "供认不讳", "坦白", "如实陈述了犯罪事实"), True, "从宽"),
    "当庭自愿认罪": (
        # 对指控事实无异议 in court is how judgments record an uncontested plea
        (
            "当庭自愿认罪",
            "当庭认罪",
            "庭审中自愿认罪",
            "当庭表示认罪",
            "自愿认罪",
            "当庭如实供述",
            "表示认罪",
            "认罪态度较好",
            "认罪态度好",
            # how clients tell it: 已经认罪悔罪了
            "认罪悔罪",
            "认罪悔过",
            "已经认罪",
            "主动认罪",
            "开庭审理过程中亦无异议",
            "开庭审理过程中无异议",
            "庭审中亦无异议",
        ),
        True,
        "从宽",
    ),
    "认罪认罚": (("认罪认罚", "具结书", "签字具结", "签署具结"), True, "从宽"),
    "重大立功": (("重大立功",), True, "从宽"),
    "立功": (
        ("立功", "检举揭发", "揭发他人", "协助抓捕", "协助公安机关抓获", "带领公安人员抓获"),
        True,
        "从宽",
    ),
    "累犯": (("累犯",), True, "从严"),
    # a criminal conviction, not 曾因吸毒被行政拘留 (an administrative penalty is no 前科)
    "前科": (("前科", "曾被判处", "刑满释放"), True, "从严"),
    "未遂": (("未遂", "未得逞", "意志以外"), False, "从宽"),
    "中止": (("犯罪中止", "中止犯罪", "自动放弃犯罪"), False, "从宽"),
    "预备": (("犯罪预备", "预备犯罪", "系预备犯"), False, "从宽"),
    # 犯罪集团的首要分子: no 缓刑 (刑法第七十四条)
    "首要分子": (("首要分子",), True, "从严"),
    # 望风 (keeping watch) is the textbook 辅助作用 of a joint crime (a lawyer's review: a 17-year-old's 望风 in a robbery
    # was not read as 从犯)
    "从犯": (("从犯", "次要作用", "辅助作用", "望风", "放风", "把风"), True, "从宽"),
    "胁从犯": (("胁从犯", "被胁迫参加"), True, "从宽"),
    "退赃退赔": (
        (
            "退赃",
            "退赔",
            "退缴",
            "退还了",
            "退回",
            "已退还",
            "返还被害人",
            "退给了",
            "全退了",
            "都退了",
            "全部退给",
        ),
        True,
        "从宽",
    ),
    "刑事和解": (("刑事和解", "和解协议", "达成和解"), True, "从宽"),
    "羁押期间表现好": (("羁押期间表现良好", "羁押期间表现好"), False, "从宽"),
    "拒不认罪": (
        ("拒不供认", "拒不认罪", "零口供", "拒不交代", "不如实供述", "拒不供述", "翻供", "未如实供述"),
        False,
        "不调节",
    ),
    "初犯偶犯": (("初犯", "偶犯", "无前科", "无犯罪前科", "无违法犯罪记录", "无犯罪记录"), False, "不调节"),
    "侵害弱势人员": (("孕妇", "残疾人", "被害人系未成年", "被害人系老年"), False, "从严"),
}
# Phrasings with words in between: 主动向滨湖派出所投案.
_REGEXES: dict[str, tuple[str, ...]] = {
    "未遂": (
        r"未得手",
        r"未能得逞",
        r"因[^，。；]{0,20}而未得逞",
        # 「刚进去就被主人发现了，啥也没拿到」: how a client says the crime failed
        r"(?:被[^，。；]{0,8}发现|被抓)[^。；]{0,12}(?:啥|什么)(?:也|都)没(?:拿|偷|抢|骗)(?:到|着|成)?",
        r"没(?:偷|抢|骗)(?:到|成)",
    ),
    "坦白": (
        r"对(?:此|上述|犯罪|指控)[^，。；]{0,8}(?:供认|承认)",
        # how clients tell it: 「警察到家里把我抓了，我把打人的事都承认了」「被抓以后全都招了」 (刑法第六十七条第三款)
        r"(?:被[^，。；]{0,6}(?:抓|抓获|逮捕|拘留|带走)|(?:警察|民警|公安)[^，。；]{0,8}(?:抓|带走)|到案)(?:了)?"
        r"(?:以后|之后|后)?[^。；]{0,12}?(?<!不)(?<!没)(?<!没有)(?<!拒)(?:都|全|全部|主动|如实)?(?:承认|交代|招了|认罪|说了实话)",
    ),
    "退赃退赔": (
        r"退[^，。；]{0,6}赃款",
        r"退(?:出|交|缴)[^，。；]{0,8}(?:非法所得|违法所得|赃款|赃物|所得)",
        # how clients say it: 把钱全退了, 钱都还给人家了 (after the crime: 指导意见三（十）)
        r"把(?:钱|东西|手机|财物|赃款)[^，。；]{0,4}(?:全|都|全部)?(?:退了|退回|退还|还给|还回)",
        r"(?:钱|东西|手机|财物|赃款)(?:也|已经|已)?(?:全|都|全部)?(?:退了|退回|退还了|还给|还回)",
        # the sum itself paid back (「家里凑钱把15万全部还给公司了」: a lawyer's review, stop 26, had read no 退赃)
        r"(?<!准备)(?<!打算)(?<!愿意)(?<!可以)(?<!想)(?<!要)把[0-9一二两三四五六七八九十百千万.]+(?:万|千)?(?:元|块钱?)?[^，。；]{0,4}(?:全|都|全部)?(?:退了|退回|退还|还给|还回)",
        # money misappropriated or overdrawn, then paid back: 三个月后还上了, 后来都归还了
        r"(?:后来|之后|以后|后|已经|已|都|全|全部)(?:还上了|归还了|还回去了|还清了|补上了)",
    ),
    "前科": (
        r"因(?:犯)?[^，。；]{1,20}罪[^。；]{0,25}被[^，。；]{0,25}判处",
        r"曾[^。；]{0,40}(?:判处|判刑|刑事处罚)",
    ),
}
# 前科证明 / 前科材料 in a list of evidence prove nothing either way.
_NOT_PRIOR = re.compile(
    r"前科(?:[、和及]?劣迹)?(?:材料|资料|证明|查询|核查|查证|调查|信息|确认|记录|身份材料|档案|情况(?![，；])|"
    r"(?:刑事)?(?:判决书|裁定书|裁判文书|文书))|有无前科"
)
_AGE_MINOR = (
    "未成年",
    "未满十八周岁",
    "不满十八周岁",
    "已满十六周岁不满十八周岁",
    "未满18周岁",
    "不满18周岁",
)
# 未成年 after these words is the victim (三（十七）), not the defendant
_VICTIM_BEFORE = (
    "对象为",
    "对象系",
    "被害人系",
    "被害人为",
    "强奸",
    "奸淫",
    "猥亵",
    "侵害",
    "拐卖",
    "引诱",
    "容留",
    "向",
    "针对",
)
_AGE_YOUNG = (
    "已满十二周岁不满十六周岁",
    "已满十四周岁不满十六周岁",
    "已满十二周岁不满十四周岁",
    "不满十六周岁",
)
_AGE_OLD = ("已满七十五周岁", "年满七十五周岁")
_COMPENSATE = ("赔偿", "赔付", "补偿被害人")
_FORGIVE = "谅解"
# Credited only when not denied; 前科 words are denied by 无前科 (handled as 初犯偶犯).
_NEVER_NEGATED_CONTEXT = {"未遂", "中止", "预备"}
# restitution the court orders (责令退赔, 刑法第64条 quoted) is a disposal of the proceeds, not the
# defendant's 退赃退赔
_ORDERED = re.compile(r"(?:责令|判令)[^，。；]{0,10}(?:退赔|退赃|退还|返还|退回)")


@dataclass(frozen=True)
class Circumstance:
    """One sentencing circumstance: name, the exact words of the facts, their span, its direction."""

    name: str
    evidence: str
    span: tuple[int, int]
    direction: Direction

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


_DENIAL = (
    "(?:不构成|不能认定为?|不认定为?|不宜认定为?|不属于|不具有|不应认定为?|没有|并非|不符合[^，。；]{0,4})"
)


def _denied(text: str, word: str) -> bool:
    """An explicit denial anywhere (不构成自首 after 辩护人提出系自首) outweighs the claim."""
    return bool(
        re.search(_DENIAL + re.escape(word), text)
        or re.search(re.escape(word) + "(?:情节)?不(?:能)?成立", text)
    )


def _first_hit(text: str, words: tuple[str, ...], negatable: bool) -> tuple[str, int] | None:
    hits: list[tuple[int, str]] = []
    for word in words:
        if negatable and _denied(text, word):
            continue
        for m in re.finditer(re.escape(word), text):
            if negatable and _negated(text, m.start()):
                continue
            if word == "前科" and any(_NOT_PRIOR.match(text, max(m.start() - i, 0)) for i in range(3)):
                continue
            if word == "和解协议" and text.startswith("书", m.end()):
                continue  # 和解协议书 in a list of evidence; the settlement itself is told as 达成和解
            hits.append((m.start(), word))
            break
    if not hits:
        return None
    start, word = min(hits)
    return word, start


def _make(name: str, word: str, start: int, direction: Direction) -> Circumstance:
    return Circumstance(name, word, (start, start + len(word)), direction)


def find_circumstances(fact_text: str, *, court_reasoning: bool = False) -> list[Circumstance]:
    """The circumstances named or evident in `fact_text`, in order of first occurrence.

    Counsel's claims are blanked first (a claim is not a finding). With `court_reasoning` (the check
    against judgments reading 本院认为) claims stay, since the caller keeps only those the court
    accepts, and nothing is presumed (a plea in court is not taken for 坦白): the court names what
    it finds."""
    # titles such as 《关于处理自首和立功具体应用法律若干问题的解释》 name no circumstance of the case;
    # blanked to the same length so that spans still index the original text
    text = re.sub(r"《[^》]{0,80}》", lambda m: "　" * len(m.group(0)), fact_text or "")
    text = text if court_reasoning else mask_claims(text)
    text = _ORDERED.sub(lambda m: "　" * len(m.group(0)), text)
    found: dict[str, Circumstance] = {}
    for name, (words, negatable, direction) in _PATTERNS.items():
        hit = _first_hit(text, words, negatable and name not in _NEVER_NEGATED_CONTEXT)
        if hit:
            found[name] = _make(name, hit[0], hit[1], direction)
    for name, regexes in _REGEXES.items():
        if name in found:
            continue
        for rx in regexes:
            m = next((m for m in re.finditer(rx, text) if not _negated(text, m.start())), None)
            if m:
                found[name] = _make(name, m.group(0), m.start(), _PATTERNS[name][2])
                break
    _add_plea(text, found, presume=not court_reasoning)
    if not court_reasoning:
        _arrest_is_no_surrender(text, found)
    _add_compensation(text, found)
    _add_age(text, found)
    _add_recidivism_by_dates(text, found)
    _drop_later_conviction(text, found)
    _resolve_conflicts(text, found, named=court_reasoning)
    return sorted(found.values(), key=lambda c: c.span[0])


# 「被抓后自首」: a user calls a confession after arrest 自首, but 自首 needs 自动投案 (刑法第六十七条第一款);
# brought in passively, a truthful confession is 坦白 (第三款)
_ARRESTED_BEFORE = re.compile(
    r"(?:被[^，。；]{0,4}(?:抓|抓获|查获|逮捕|拘留|捕)|抓获|被动归案)[^，。；]{0,6}$"
)


def _arrest_is_no_surrender(text: str, found: dict[str, Circumstance]) -> None:
    surrender = found.get("自首")
    if surrender is None or surrender.evidence != "自首":
        return
    start = surrender.span[0]
    window = max(0, start - 14)
    if m := _ARRESTED_BEFORE.search(text[window:start]):
        del found["自首"]
        # the evidence reads 「被抓后自首」, so the trace shows why it is taken as 坦白
        found.setdefault(
            "坦白", _make("坦白", text[window + m.start() : surrender.span[1]], window + m.start(), "从宽")
        )


def _add_plea(text: str, found: dict[str, Circumstance], presume: bool) -> None:
    """自首 from 自动投案 in any of its forms; 坦白 from the defendant's statement proving the facts
    when he was brought in passively; 当庭自愿认罪 from the plea in court (see confession.py)."""
    if "自首" not in found and not _denied(text, "自首") and (m := first_match(text, SURRENDER)):
        found["自首"] = _make("自首", m.group(0), m.start(), "从宽")
    if "当庭自愿认罪" not in found and (m := first_match(text, PLEA_IN_COURT)):
        found["当庭自愿认罪"] = _make("当庭自愿认罪", m.group(0), m.start(), "从宽")
    if not presume or "坦白" in found or "自首" in found:
        return
    if "当庭自愿认罪" not in found:
        # no plea in court told: the defendant's own statement proving the facts still shows a confession
        if not re.search(EARLIER_DENIAL, text) and (m := first_match(text, STATEMENT_AS_PROOF)):
            found["坦白"] = _make("坦白", m.group(0)[:20], m.start(), "从宽")
        return
    # a defendant who admits the facts in court and is not shown to have denied them before trial
    # is taken to have confessed when brought in (坦白): the usual course, and what courts find
    m = first_match(text, STATEMENT_AS_PROOF)
    if m is None and not re.search(EARLIER_DENIAL, text):
        m = first_match(text, PLEA_IN_COURT)
    if m:
        found["坦白"] = _make("坦白", m.group(0)[:20], m.start(), "从宽")


# 赔偿 that was asked for or ordered, not paid: a civil claim (要求被告人赔偿, 赔偿请求), a civil judgment
# (判决…赔偿), an insurer's or a banker's 赔付 in the facts of the crime
_UNPAID_BEFORE = re.compile(
    r"(?:要求|请求|诉请|索要|索赔|判决|判令|裁定|应当?|需|负责|保证|少|多)[^，。；]{0,20}$"
)
_UNPAID_AFTER = re.compile(r"^[^，。；]{0,12}(?:请求|诉讼|要求|责任|义务)")


def _paid(text: str) -> tuple[str, int] | None:
    """The first 赔偿 / 赔付 that the defendant's side paid (see `_UNPAID_BEFORE`)."""
    for m in re.finditer("|".join(_COMPENSATE), text):
        clause_start = max(text.rfind(sep, 0, m.start()) for sep in "，。；") + 1
        before, after = text[clause_start : m.start()], text[m.end() : m.end() + 14]
        if _negated(text, m.start()) or _UNPAID_BEFORE.search(before) or _UNPAID_AFTER.search(after):
            continue
        if not any(_denied(text, w) for w in _COMPENSATE):
            return m.group(0), m.start()
    return None


def _add_compensation(text: str, found: dict[str, Circumstance]) -> None:
    paid = _paid(text)
    forgiven = _first_hit(text, (_FORGIVE,), True)
    if paid and forgiven:
        found["赔偿并取得谅解"] = _make("赔偿并取得谅解", forgiven[0], forgiven[1], "从宽")
    elif paid:
        found["赔偿未取得谅解"] = _make("赔偿未取得谅解", paid[0], paid[1], "从宽")
    elif forgiven:
        found["取得谅解"] = _make("取得谅解", forgiven[0], forgiven[1], "从宽")


def _add_age(text: str, found: dict[str, Circumstance]) -> None:
    for name, words in (
        ("未成年_已满十二不满十六", _AGE_YOUNG),
        ("未成年", _AGE_MINOR),
        ("已满七十五周岁", _AGE_OLD),
    ):
        hit = _first_hit(text, words, False)
        if hit and any(text[max(0, hit[1] - 8) : hit[1]].endswith(v) for v in _VICTIM_BEFORE):
            found["侵害弱势人员"] = _make("侵害弱势人员", hit[0], hit[1], "从严")
            continue
        if hit:
            found[name] = _make(name, hit[0], hit[1], "从宽")
            return
    age = age_at_offence(text)
    if age is not None:
        value, evidence, start = age
        if value < 18:
            found["未成年"] = _make("未成年", evidence, start, "从宽")
        elif value >= 75:
            found["已满七十五周岁"] = _make("已满七十五周岁", evidence, start, "从宽")


def _add_recidivism_by_dates(text: str, found: dict[str, Circumstance]) -> None:
    if "累犯" not in found and (hit := recidivism(text)):
        found["累犯"] = _make("累犯", hit[0], hit[1], "从严")


def _drop_later_conviction(text: str, found: dict[str, Circumstance]) -> None:
    prior = found.get("前科")
    if prior is not None and convicted_after_offence(text, *prior.span):
        found.pop("前科")


def _same_sentence(text: str, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return "。" not in text[lo:hi]


def _resolve_conflicts(text: str, found: dict[str, Circumstance], named: bool = False) -> None:
    """Drop what another circumstance found already covers; `named`: the court's own words, where
    退赃 and 谅解 named together are both kept."""
    if "拒不认罪" in found:
        # a refusal outweighs a stray 如实供述 elsewhere (e.g. of a co-defendant): no confession credit;
        # a plea in court after a refusal before trial is still 当庭自愿认罪 (三（八）), unless the
        # refusal itself was in court
        refusal = found["拒不认罪"]
        in_court = re.search(
            r"(?:当庭|庭审|开庭)[^，。；]{0,6}$", text[max(0, refusal.span[0] - 8) : refusal.span[0]]
        )
        plea = found.get("当庭自愿认罪")
        for name in ("坦白", "认罪认罚", "自首"):
            found.pop(name, None)
        if plea is None or in_court or plea.span[0] < refusal.span[0]:
            found.pop("当庭自愿认罪", None)
    forgiven = found.get("赔偿并取得谅解") or found.get("取得谅解")
    paid = found.get("赔偿并取得谅解") or found.get("赔偿未取得谅解")
    settled = found.get("刑事和解")
    if (
        settled
        and settled.evidence != "刑事和解"
        and (forgiven or (paid and _same_sentence(text, paid.span[0], settled.span[0])))
    ):
        # a 和解 that earned forgiveness, or that was the payment itself (达成和解协议，一次性赔偿), is
        # 三（十一）, named as such by courts
        found.pop("刑事和解")
    restitution = found.get("退赃退赔")
    if forgiven and restitution and not named and _same_sentence(text, restitution.span[0], forgiven.span[0]):
        # the restitution that earned the forgiveness is one payment: 三（十一）, not counted twice; the
        # money returned is the loss made good (积极赔偿被害人经济损失并取得谅解)
        found.pop("退赃退赔")
        if forgiven.name == "取得谅解":
            found.pop("取得谅解")
            lo, hi = min(restitution.span[0], forgiven.span[0]), max(restitution.span[1], forgiven.span[1])
            found["赔偿并取得谅解"] = _make("赔偿并取得谅解", text[lo:hi], lo, "从宽")
    if "自首" in found:
        found.pop("坦白", None)  # 自首 already includes 如实供述
    if "重大立功" in found:
        found.pop("立功", None)
    if "累犯" in found:
        found.pop("前科", None)
    if "前科" in found or "累犯" in found:
        found.pop("初犯偶犯", None)
    if "胁从犯" in found:
        found.pop("从犯", None)
    if "未成年_已满十二不满十六" in found:
        found.pop("未成年", None)
