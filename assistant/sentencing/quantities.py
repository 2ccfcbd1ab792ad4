"""Measured facts that grow the 基准刑: amounts (元/万元, Chinese numerals), 次数, 被害人数,
injury grade, drug quantity (heroin/methamphetamine equivalent) and blood alcohol."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from corpora.numerals import NUMBER, cn_to_int, read_number

# Words that, before a keyword in the same clause, deny it: 不如实供述, 未取得谅解, 未造成重伤.
_NEGATORS = (
    "不",
    "未",
    "没有",
    "拒不",
    "并非",
    "不能认定",
    "不构成",
    "不具有",
    "不属于",
    "无",
    "否认",
    "不予",
)
_NEG_WINDOW = 8


def negated(text: str, start: int) -> bool:
    """Whether a negator stands within the 8 characters before `start`, in the same clause."""
    before = text[max(0, start - _NEG_WINDOW) : start].replace("无效", "")  # 抢救无效死亡 denies nothing
    # a clause boundary ends the reach of a negator: 未得逞，如实供述 is not negated
    for sep in "，。；,;：:":
        before = before.rsplit(sep, 1)[-1]
    return any(neg in before for neg in _NEGATORS)


_negated = negated


def said(text: str, word: str) -> bool:
    """`text` says `word` at least once without denying it (没有逃逸 is no 逃逸)."""
    return bool(word) and any(not negated(text, m.start()) for m in re.finditer(re.escape(word), text))


@dataclass(frozen=True)
class Quantities:
    """Measured facts that grow the 基准刑: amounts, counts, injury, drugs, blood alcohol."""

    amount_yuan: float | None = None
    amount_evidence: str = ""
    count: int | None = None
    count_evidence: str = ""
    victims: int | None = None
    injury: str | None = None  # 轻微伤 < 轻伤 < 重伤 < 死亡
    injury_evidence: str = ""
    drug_grams: float | None = None  # heroin/methamphetamine equivalent
    drug_evidence: str = ""
    bac: float | None = None  # mg/100ml
    bac_evidence: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, measure: str) -> float | None:
        return {
            "amount_yuan": self.amount_yuan,
            "count": self.count,
            "victims": self.victims,
            "persons": self.victims,
            "grams": self.drug_grams,
            "bac": self.bac,
        }.get(measure)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", {})}


_CN = "零〇一二两三四五六七八九十百千万"
# one grammar of numbers (corpora.numerals.NUMBER: 4,800, 1.5万, 四万八, 3万2), or a numeral with 点
_NUM = rf"({NUMBER}(?:点[{_CN}]+)?)"
_AMOUNT = re.compile(_NUM + r"\s*(万余元|万多元|万元|余万元|万某|元|余元|多元)")
_TOTAL_WORDS = ("共计", "合计", "总计", "累计", "总价值", "共", "总额", "价值")
_NOT_CRIME_AMOUNT = (
    "赔偿",
    "退赔",
    "退还",
    "退赃",
    "罚金",
    "罚款",
    "补偿",
    "谅解",
    "工资",
    "退缴",
    "押金",
    "保证金",
    "好处费",
)
# wages owed are the amount of 拒不支付劳动报酬 (刑法第二百七十六条之一), not a background figure (月工资3000元)
OWED_WAGES = re.compile(
    r"(?:拖欠|欠|不支付|未支付|不发|不给|拒付|讨要|讨薪)[^，。；]{0,10}(?:工资|劳动报酬|工钱)"
)
_COUNT = re.compile(r"(?:先后|共|分别|累计|共计|连续)?" + _NUM + r"\s*次")
# 150mg/100ml as judgments write it; 150毫克每百毫升, 150毫克/百毫升, 每100毫升150毫克 as people do
_BAC = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:mg|毫克)\s*(?:/|每|／)\s*(?:100|一百|百)\s*(?:ml|mL|毫升)"
    r"|(?:每|/)\s*(?:100|一百|百)\s*(?:ml|mL|毫升)[^\d，。；]{0,8}?(\d+(?:\.\d+)?)\s*(?:mg|毫克)"
    # 「血液酒精含量120毫克」「抽血测出来150mg」: the unit left out, as people say it
    r"|(?:酒精(?:含量|浓度)|抽血|血检|血液检测)[^\d，。；？！]{0,8}?(\d+(?:\.\d+)?)\s*多?\s*(?:mg|毫克)(?!\s*(?:/|每|／))"
)
_GRAMS = re.compile(r"(\d+(?:\.\d+)?)\s*(千克|公斤|克|g)(?![a-z])")
_DRUG_FACTORS = {
    "海洛因": 1.0,
    "甲基苯丙胺": 1.0,
    "冰毒": 1.0,
    "可卡因": 1.0,
    "鸦片": 0.05,
    "氯胺酮": 0.1,
    "K粉": 0.1,
    "麻古": 1.0,
    "吗啡": 1.0,
    "毒品": 1.0,
}
_INJURY_ORDER = ("轻微伤", "轻伤", "重伤", "死亡")
# the grade stays in the evidence (重伤二级), so a trace can say which grade replaced which
_INJURY = re.compile(r"(轻微伤|轻伤|重伤|死亡)(?:[一二]级)?")
_VICTIMS = re.compile(r"致(?:被害人)?" + _NUM + r"人")


def _to_number(raw: str) -> float | None:
    try:
        if "点" in raw:
            whole, frac = raw.split("点", 1)
            return read_number(whole) + float("0." + "".join(str(cn_to_int(c)) for c in frac))
        return read_number(raw)
    except (ValueError, KeyError):
        return None


# a sum asked for (「跟他说给我2万元，不然就…，他怕了就转了我2万元」): the same money as the sum then paid, not a second
# sum; it is the amount only where nothing paid is told (敲诈勒索 not yet paid: its 未遂, 刑法第二十三条)
_ASKED_FOR = re.compile(
    r"(?:索要|索取|勒索|开口要|要价|(?:跟|向)(?:他|她|对方)要|(?:让|叫|逼)(?:他|她|对方)(?:给|拿|交)|说(?:要)?给我|(?:说)?不给我)"
    r"[^，。；]{0,4}$"
)
# a sum paid back or still owed of a sum told before (「贷了300万…只还了200万，剩下100万逾期还不上」), and one the offender
# says he will return or has returned (「5万我可以全部退」; not 「想着以后还」, 挪用's own intent): no second sum of the crime beside it; counted only where no other is told
# (a lawyer's review, stop 25: 300 + 200 + 100 had made 600万, and 10 + 5 + 5 had made 20万)
_PART_OF_ONE = re.compile(
    r"(?:还了|还上了?|归还了?|退了|退还了?|退给了?|赔了|已还|先还|还清了?|剩下|剩余|还剩|余下|尚欠|还欠|其中)[^，。；\d]{0,3}$"
)
_RETURNED_AFTER = re.compile(
    r"[^，。；！？\d]{0,6}?(?:可以|愿意|已经|已|都|全部|全)[^，。；！？\d]{0,3}(?:退|还|赔)"
)


# a price per unit (「卖了两张卡，每张800元，卡里流水60万元」): not a sum of the crime beside the total it tells
_UNIT_PRICE = re.compile(
    r"(?:每|一)(?:张|个|件|次|条|台|部|瓶|斤|克|天|日|双|套|盒|箱|包)(?:卡|的)?(?:给|收|卖|要|赚)?(?:了)?[^，。；]{0,2}$"
    # a price told as one (「进价几十块卖一两百，一年多卖了大概15万」: a lawyer's review, stop 25, had read 10元 as the amount)
    r"|(?:进价|售价|卖价|单价|标价|零售价|批发价|拿货价|成本价)(?:是|为|才|就|只有|大概|约|也就)?[^，。；\d]{0,2}$"
)


def unit_price_before(text: str, start: int) -> bool:
    """Whether the sum at `start` is told as a price per unit (每张800元, 进价几十块), not a sum of the crime."""
    return bool(_UNIT_PRICE.search(text[max(0, start - 12) : start]))


# the client's own pay for lending a card (「前后拿了1500块…卡里过了80多万」), where the facts tell money flowing through
# it: the flow is what 帮信 is measured by (支付结算, 法释〔2019〕15号第十二条), and the pay is no part of it; with no
# flow told, the pay is the amount (「收了5万好处费」 is 受贿's)
_EARNED = re.compile(
    r"(?:给(?:了)?我|我?(?:赚|挣|拿|得|收)(?:了)?|好处费|报酬|佣金|提成|辛苦费|租金)[^，。；\d]{0,4}$"
)
_FLOW = re.compile(r"流水|走账|过账|(?:卡里|账户里|账上)(?:过|进出|转)|进出|转入|转出|支付结算|资金往来")


def pay_beside_flow(text: str, start: int) -> bool:
    """Whether the sum at `start` is the teller's pay for lending a card or account while the text tells money that
    flowed through it (`_EARNED`, `_FLOW`)."""
    return bool(_EARNED.search(text[max(0, start - 12) : start]) and _FLOW.search(text))


def extract_amount(text: str) -> tuple[float, str] | None:
    """The crime amount in yuan: the largest 共计/合计 figure, else the sum of the others; a sum asked for, a price
    per unit, or the pay for a card beside the money that flowed through it, counts only where no other is told."""
    totals: list[tuple[float, str]] = []
    others: list[tuple[float, str]] = []
    asked: list[tuple[float, str]] = []
    for m in _AMOUNT.finditer(text):
        value = _to_number(m.group(1))
        if value is None:
            continue
        if "万" in m.group(2):
            value *= 10000
        before = text[max(0, m.start() - 12) : m.start()]
        if any(w in before for w in _NOT_CRIME_AMOUNT) and not OWED_WAGES.search(before):
            continue
        if (
            _ASKED_FOR.search(before)
            or _UNIT_PRICE.search(before)
            or pay_beside_flow(text, m.start())
            or _PART_OF_ONE.search(before)
            or _RETURNED_AFTER.match(text, m.end())
        ):
            asked.append((value, m.group(0)))
            continue
        (totals if any(w in before for w in _TOTAL_WORDS) else others).append((value, m.group(0)))
    if totals:
        return max(totals)
    others = others or asked
    if others:
        return sum(v for v, _ in others), "、".join(e for _, e in others[:5])
    return None


def count_amounts(text: str) -> int:
    """How many sums of money the text tells."""
    return sum(1 for _ in _AMOUNT.finditer(text or ""))


def extract_loss(text: str) -> tuple[float, str] | None:
    """The economic loss in yuan (经济损失, 损失): the amounts told in the clauses that name a loss; a
    sum handled, lent or paid out elsewhere in the facts is not the loss a threshold measures."""
    clauses = [c for c in re.split(r"[，。；]", text or "") if "损失" in c and "未造成" not in c]
    return extract_amount("。".join(clauses)) if clauses else None


# 视频文件 counted as a client tells them: 卖了300多部黄色视频, 淫秽视频120个, 视频文件二十个以上
_FILES = re.compile(
    r"(\d+|[一二两三四五六七八九十百千]+)多?(?:部|个|段|集)[^，。；]{0,6}?(?:视频|电影|影片|录像|动画)"
    r"|(?:视频|电影|影片|录像)(?:文件)?[^。；]{0,8}?(\d+|[一二两三四五六七八九十百千]+)多?(?:部|个|段|集)"
)


def extract_files(text: str) -> tuple[float, str] | None:
    """The number of video files (the measure of 法释〔2004〕11号第一条第（一）项); the largest told."""
    best: tuple[float, str] | None = None
    for m in _FILES.finditer(text or ""):
        raw = m.group(1) or m.group(2)
        n = float(raw) if raw.isdigit() else float(cn_to_int(raw))
        if best is None or n > best[0]:
            best = (n, m.group(0))
    return best


def extract_quantities(text: str) -> Quantities:
    """Amount (元/万元, Chinese numerals), 次数, 被害人数, injury grade, drug grams, blood alcohol."""
    text = text or ""
    amount = extract_amount(text)
    count, count_ev = _extract_count(text)
    injury, injury_ev = _extract_injury(text)
    grams, grams_ev = _extract_drugs(text)
    bac = _BAC.search(text)
    victims = [_to_number(m.group(1)) for m in _VICTIMS.finditer(text)]
    return Quantities(
        amount_yuan=amount[0] if amount else None,
        amount_evidence=amount[1] if amount else "",
        count=count,
        count_evidence=count_ev,
        victims=int(max(v for v in victims if v)) if any(victims) else None,
        injury=injury,
        injury_evidence=injury_ev,
        drug_grams=grams,
        drug_evidence=grams_ev,
        bac=float(bac.group(1) or bac.group(2) or bac.group(3)) if bac else None,
        bac_evidence=bac.group(0) if bac else "",
    )


# 十几次, 二十多次, 10余次: at least one more than the number told (十次以上 is 情节严重 for 掩饰、隐瞒; 「收了十几次」 had
# counted none, 「偷了二十多次」 three, from 多次: a lawyer's review, stop 25)
_COUNT_ABOUT = re.compile(r"([一二两三四五六七八九十百\d]+)\s*(?:几|多|余)\s*次")


def _extract_count(text: str) -> tuple[int | None, str]:
    best: tuple[int, str] | None = None
    for m in _COUNT.finditer(text):
        value = _to_number(m.group(1))
        if value and value < 1000 and (best is None or value > best[0]):
            best = (int(value), m.group(0))
    for m in _COUNT_ABOUT.finditer(text):
        value = _to_number(m.group(1))
        if value and value < 1000 and (best is None or value + 1 > best[0]):
            best = (int(value) + 1, m.group(0))
    if best:
        return best
    for word in ("多次", "数次", "三次以上"):
        if word in text:
            return 3, word
    return None, ""


def _extract_injury(text: str) -> tuple[str | None, str]:
    worst, evidence = -1, ""
    for m in _INJURY.finditer(text):
        if _negated(text, m.start()):
            continue
        if m.group(1) == "死亡" and not re.search(
            r"致.{0,12}死亡|死亡。|当场死亡|经抢救无效死亡|抢救无效", text
        ):
            continue
        rank = _INJURY_ORDER.index(m.group(1))
        if rank > worst:
            worst, evidence = rank, m.group(0)
    # a death told as the act that caused it: 撞死了一个人, 把他打死了
    killed = _KILLED.search(text)
    if killed and (killed.group(0) == "身亡" or not _negated(text, killed.start())):
        worst, evidence = _INJURY_ORDER.index("死亡"), killed.group(0)
    return (_INJURY_ORDER[worst], evidence) if worst >= 0 else (None, "")


_PERSON = r"(?:人|行人|路人|他|她|被害人|孩子|老人|妻子|丈夫|男子|女子|前女友|女友)"
_KILLED = re.compile(
    rf"(?:撞|轧|碾|压|打|砍|捅|杀|掐|勒)死了?(?:[一两三四五六七八九十\d]+(?:个|名)?)?{_PERSON}"
    rf"|把{_PERSON}[^，。；]{{0,6}}(?:撞|轧|打|砍|捅|杀|掐|勒)死|(?<!没有)(?<!未)身亡"
    # 「送医院后抢救无效死了」「对方当场就死了」: a death told plainly (a lawyer's review: a hit-and-run's death
    # was missed, and with it the tier of 逃逸)
    r"|抢救无效(?:死了|去世|走了|没了)|(?:对方|被撞的人|被害人|伤者|那人|老人)[^，。；]{0,10}(?<![吓笑累气饿困])(?:死了|去世了?)"
    # 「送到医院抢救两天还是走了」「没救过来」 (a lawyer's review, stop 24: the death, and with it 逃逸's tier, was missed)
    r"|(?:抢救|救治|送(?:到|去)?医院)[^，。；]{0,8}(?:还是|最后|后来|终究)?(?:走了|去世了?|过世了?|人没了|没了)"
    r"|没(?:有)?(?:救|抢救)过来"
)


# a figure denied just before it: 不是5克, 并非5克, 不止5克 (the quantity is another, told beside it)
_DENIED_FIGURE = re.compile(r"(?:不是|并非|并不是|而非|不止|不只)\s*$")


def _extract_drugs(text: str) -> tuple[float | None, str]:
    if not any(d in text for d in _DRUG_FACTORS):
        return None, ""
    total, totals, evid = 0.0, [], []
    for m in _GRAMS.finditer(text):
        grams = float(m.group(1)) * (1000 if m.group(2) in ("千克", "公斤") else 1)
        window = text[max(0, m.start() - 40) : m.start()]
        if _DENIED_FIGURE.search(window):
            continue  # 「卖的不是5克，而是20克」: the figure denied is no quantity of the case
        names = [(window.rfind(n), n) for n in _DRUG_FACTORS if n in window]
        # 「15克冰毒」「20克左右的海洛因」: the name right after the weight
        after = text[m.end() : m.end() + 8]
        following = [(after.find(n), n) for n in _DRUG_FACTORS if 0 <= after.find(n) <= 3]
        if following and not any(n in window[-6:] for n in _DRUG_FACTORS):
            factor = _DRUG_FACTORS[min(following)[1]]
        elif names:
            factor = _DRUG_FACTORS[max(names)[1]]
        else:
            continue
        if any(w in window[-8:] for w in ("共计", "合计", "总计", "累计")):
            totals.append(grams * factor)
        else:
            total += grams * factor
        evid.append(m.group(0))
    value = max(totals) if totals else total
    return (round(value, 3), "、".join(evid[:5])) if evid else (None, "")
