"""Intellectual-property analysis: which right is at stake, and the four steps every IP answer walks.

The steps are subject matter → the act complained of → defences and exemptions → liability and
damages. Each step has its own retrieval query (data below, written from the laws' own wording),
searched within the law that governs the right, so that every step rests on cited articles.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from corpora.citations import format_article, normalize_law_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepSpec:
    title: str
    summary: str
    query: str


@dataclass(frozen=True)
class RightSpec:
    name: str  # 著作权
    laws: tuple[str, ...]  # normalised law names whose articles answer the steps
    keywords: tuple[str, ...]  # words in a question that point at this right
    interpretation_words: tuple[str, ...]  # words in the titles of its judicial interpretations
    steps: tuple[StepSpec, ...]


def _steps(
    subject: tuple[str, str], act: tuple[str, str], defence: tuple[str, str], liability: tuple[str, str]
) -> tuple[StepSpec, ...]:
    titles = ("保护客体", "被诉行为", "抗辩与例外", "责任与赔偿")
    return tuple(
        StepSpec(t, s, q) for t, (s, q) in zip(titles, (subject, act, defence, liability), strict=True)
    )


RIGHTS: tuple[RightSpec, ...] = (
    RightSpec(
        "专利权",
        ("专利法",),
        ("专利", "发明", "实用新型", "外观设计", "现有技术", "先用权"),
        ("专利",),
        _steps(
            (
                "先确认涉案技术方案或设计属于发明、实用新型或外观设计，保护范围以权利要求为准。",
                "发明 是指 对产品、方法或者其改进所提出的新的技术方案 实用新型 外观设计 权利要求 保护范围",
            ),
            (
                "再看被诉行为是否属于未经许可为生产经营目的制造、使用、许诺销售、销售、进口专利产品或使用专利方法。",
                "专利权被授予后 除本法另有规定的以外 任何单位或者个人未经专利权人许可 都不得实施其专利 制造 使用 许诺销售 销售 进口",
            ),
            (
                "然后检查法定的不视为侵权情形和抗辩：权利用尽、先用权、临时过境、科研实验、药品行政审批，以及现有技术抗辩和合法来源抗辩。",
                "不视为侵犯专利权 专利产品 售出后 使用 许诺销售 销售 进口 先用权 临时通过 专为科学研究和实验 现有技术 合法来源",
            ),
            (
                "最后确定责任：赔偿按实际损失、侵权获利、许可费倍数依次确定，故意侵权情节严重的可适用惩罚性赔偿，难以确定时适用法定赔偿。",
                "侵犯专利权的赔偿数额 按照权利人因被侵权所受到的实际损失 侵权人因侵权所获得的利益 专利许可使用费的倍数 故意侵犯专利权 情节严重",
            ),
        ),
    ),
    RightSpec(
        "注册商标专用权",
        ("商标法",),
        ("商标", "驰名", "假冒注册", "山寨", "品牌"),
        ("商标",),
        _steps(
            (
                "先确认权利人有核准注册的商标，并在核定使用的商品或服务范围内受保护（驰名商标另有扩大保护）。",
                "经商标局核准注册的商标为注册商标 商标注册人享有商标专用权 受法律保护 注册商标的专用权 以核准注册的商标和核定使用的商品为限",
            ),
            (
                "再看被诉行为是否属于未经许可在相同或类似商品上使用相同或近似商标、容易导致混淆，或销售侵权商品等侵权行为。",
                "有下列行为之一的 均属侵犯注册商标专用权 未经商标注册人的许可 在同一种商品上使用与其注册商标相同的商标 容易导致混淆 销售侵犯注册商标专用权的商品",
            ),
            (
                "然后检查抗辩：通用名称、地名等描述性正当使用，在先使用，注册商标三年未使用，以及销售者的合法来源抗辩。",
                "注册商标中含有的本商品的通用名称 图形 型号 直接表示商品的质量 地名 注册商标专用权人无权禁止他人正当使用 不知道是侵犯注册商标专用权的商品 能证明该商品是自己合法取得并说明提供者的 不承担赔偿责任",
            ),
            (
                "最后确定责任：赔偿按实际损失、侵权获利、许可费倍数确定，恶意侵权情节严重的可判一倍以上五倍以下惩罚性赔偿，难以确定的适用五百万元以下法定赔偿。",
                "侵犯商标专用权的赔偿数额 按照权利人因被侵权所受到的实际损失确定 恶意侵犯商标专用权 情节严重的 一倍以上五倍以下 五百万元以下的赔偿",
            ),
        ),
    ),
    RightSpec(
        "著作权",
        ("著作权法", "计算机软件保护条例"),
        (
            "著作权",
            "版权",
            "作品",
            "软件",
            "盗版",
            "抄袭",
            "转载",
            "信息网络传播",
            "电影",
            "音乐",
            "歌曲",
            "视频",
            "小说",
        ),
        ("著作权", "信息网络传播权", "计算机软件"),
        _steps(
            (
                "先确认对象是否属于著作权法保护的作品（文学、艺术和科学领域内具有独创性并能以一定形式表现的智力成果，含计算机软件）。",
                "本法所称的作品 是指文学 艺术和科学领域内具有独创性并能以一定形式表现的智力成果 计算机软件",
            ),
            (
                "再看被诉行为是否属于未经许可复制、发行、通过信息网络传播等侵权行为。",
                "有下列侵权行为的 应当根据情况 承担停止侵害 消除影响 赔礼道歉 赔偿损失等民事责任 未经著作权人许可 复制 发行 信息网络向公众传播其作品",
            ),
            (
                "然后检查合理使用、法定许可等例外，以及复制品发行者、出租者的合法来源抗辩。",
                "在下列情况下使用作品 可以不经著作权人许可 不向其支付报酬 但应当指明作者姓名或者名称 作品名称 合理使用 复制品的出版者 发行者 不能证明其发行 出租的复制品有合法来源",
            ),
            (
                "最后确定责任：赔偿按实际损失、侵权获利、许可费确定，故意侵权情节严重的可适用惩罚性赔偿，难以计算的适用五百元以上五百万元以下法定赔偿。",
                "侵犯著作权或者与著作权有关的权利的 侵权人应当按照权利人因此受到的实际损失或者侵权人的违法所得给予赔偿 故意侵犯著作权 情节严重的 一倍以上五倍以下 五百元以上五百万元以下",
            ),
        ),
    ),
    RightSpec(
        "商业秘密",
        ("反不正当竞争法",),
        ("商业秘密", "技术秘密", "经营信息", "保密", "竞业", "客户名单"),
        ("商业秘密",),
        _steps(
            (
                "先确认信息是否构成商业秘密：不为公众所知悉、具有商业价值、权利人采取了相应保密措施的技术信息或经营信息。",
                "本法所称的商业秘密 是指不为公众所知悉 具有商业价值并经权利人采取相应保密措施的技术信息 经营信息等商业信息",
            ),
            (
                "再看被诉行为是否属于以盗窃、贿赂、欺诈、胁迫、电子侵入等不正当手段获取，或违反保密义务披露、使用商业秘密。",
                "经营者不得实施下列侵犯商业秘密的行为 以盗窃 贿赂 欺诈 胁迫 电子侵入或者其他不正当手段获取权利人的商业秘密 披露 使用或者允许他人使用",
            ),
            (
                "然后检查抗辩：自行开发研制、反向工程等合法获得，以及信息已为公众所知悉。",
                "通过自行开发研制或者反向工程获得被诉侵权信息的 不属于侵犯商业秘密行为 为公众所知悉",
            ),
            (
                "最后确定责任：赔偿按实际损失或侵权获利确定，恶意侵犯情节严重的可适用惩罚性赔偿，难以确定的适用五百万元以下法定赔偿。",
                "因不正当竞争行为受到损害的经营者的赔偿数额 按照其因被侵权所受到的实际损失确定 恶意实施侵犯商业秘密行为 情节严重的 一倍以上五倍以下 五百万元以下的赔偿",
            ),
        ),
    ),
    RightSpec(
        "反不正当竞争",
        ("反不正当竞争法",),
        ("不正当竞争", "混淆", "虚假宣传", "商业诋毁", "仿冒", "搭便车"),
        ("不正当竞争",),
        _steps(
            (
                "先确认双方是经营者，涉及的是有一定影响的商品名称、包装、装潢、企业名称等受保护的商业标识或竞争利益。",
                "经营者在生产经营活动中 应当遵循自愿 平等 公平 诚信的原则 不正当竞争行为 有一定影响的商品名称 包装 装潢",
            ),
            (
                "再看被诉行为是否属于混淆、虚假宣传、商业诋毁、网络领域不正当竞争等法定行为。",
                "经营者不得实施下列混淆行为 引人误认为是他人商品或者与他人存在特定联系 虚假或者引人误解的商业宣传 编造 传播虚假信息 损害竞争对手的商业信誉",
            ),
            (
                "然后检查抗辩：使用是否正当、是否足以引人误认、是否有在先使用或合法来源。",
                "销售不知道是侵权商品 合法来源 在先使用 不足以引人误认 正当使用",
            ),
            (
                "最后确定责任：赔偿按实际损失或侵权获利确定，难以确定的由法院根据情节判决五百万元以下的赔偿。",
                "因不正当竞争行为受到损害的经营者的赔偿数额 按照其因被侵权所受到的实际损失确定 实际损失难以计算的 按照侵权人因侵权所获得的利益确定 五百万元以下的赔偿",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class Point:
    """A question IP answers often turn on, and the article (款, 项) that decides it.

    Each number was read in ../shared/corpora/laws before it was written here; `statement` says what
    that paragraph says, in its own words, so the step can lead with it.
    """

    name: str
    right: str  # RightSpec.name
    step: str  # the step it answers: 保护客体 / 被诉行为 / 抗辩与例外 / 责任与赔偿
    words: tuple[str, ...]  # words in a question that raise it
    law: str
    number: int
    statement: str
    paragraph: int | None = None
    item: int | None = None
    also: tuple[tuple[str, int, int | None], ...] = ()  # further articles it rests on: (law, number, 款)

    @property
    def label(self) -> str:
        return self.law + format_article(self.number, 0, self.paragraph, self.item)

    def labels(self) -> list[str]:
        return [self.label, *(law + format_article(n, 0, para) for law, n, para in self.also)]


_TRADE_SECRETS_RULES = "最高人民法院关于审理侵犯商业秘密民事案件适用法律若干问题的规定"
_DAMAGES = ("赔偿", "赔多少", "多少钱", "索赔", "损失")
POINTS: tuple[Point, ...] = (
    Point(
        "信息网络传播权",
        "著作权",
        "被诉行为",
        ("网站", "网络", "网上", "上传", "在线", "网盘", "信息网络", "APP", "app"),
        "著作权法",
        10,
        "以有线或者无线方式向公众提供作品，使公众可以在其选定的时间和地点获得作品，是著作权人的信息网络传播权，"
        "未经许可这样传播他人作品即侵犯该权利",
        paragraph=1,
        item=12,
    ),
    Point(
        "现有技术抗辩",
        "专利权",
        "抗辩与例外",
        ("现有技术", "现有设计"),
        "专利法",
        67,
        "被控侵权人有证据证明其实施的技术或者设计属于现有技术或者现有设计的，不构成侵犯专利权",
    ),
    Point(
        "先用权",
        "专利权",
        "抗辩与例外",
        (
            "先用权",
            "在先使用",
            "申请日前",
            "申请日之前",
            "申请专利之前",
            "申请专利前",
            "继续制造",
            "继续生产",
        ),
        "专利法",
        75,
        "在专利申请日前已经制造相同产品、使用相同方法或者已经作好制造、使用的必要准备，"
        "并且仅在原有范围内继续制造、使用的，不视为侵犯专利权",
        item=2,
    ),
    Point(
        "商标在先使用",
        "注册商标专用权",
        "抗辩与例外",
        (
            "在先使用",
            "先用",
            "先于",
            "继续使用",
            "继续用",
            "抢注",
            "抢先注册",
            "不让我们用",
            "不让我们再用",
            "不让我用",
            "让我停用",
            "停用招牌",
            "抢先把",
            "改名",
        ),
        "商标法",
        59,
        "他人在商标注册人申请注册前已经在同一种或者类似商品上先使用相同或者近似并有一定影响的商标的，"
        "注册商标专用权人无权禁止该使用人在原使用范围内继续使用，但可以要求其附加适当区别标识",
        paragraph=3,
    ),
    Point(
        "著作权的内容",
        "著作权",
        "保护客体",
        ("哪些权利", "有哪些权", "享有的权利", "包括哪些权"),
        "著作权法",
        10,
        "著作权包括发表权、署名权、修改权、保护作品完整权等人身权和复制权、发行权、信息网络传播权等财产权",
    ),
    Point(
        "合理使用",
        "著作权",
        "抗辩与例外",
        ("引用", "评论", "介绍", "学习", "研究", "欣赏"),
        "著作权法",
        24,
        "为介绍、评论某一作品或者说明某一问题，在作品中适当引用他人已经发表的作品，可以不经著作权人许可，"
        "不向其支付报酬，但应当指明作者姓名或者名称、作品名称",
        paragraph=1,
        item=2,
    ),
    # stop 27 (heldout16, heldout17, read this stop): what a client asks of a right that the walkthrough had answered
    # with 著作权法第十条 or 商标法第五十七条 first
    Point(
        "作品",
        "著作权",
        "保护客体",
        ("算作品", "算不算作品", "是不是作品", "属于作品", "也有版权", "也有著作权", "也受保护", "字体"),
        "著作权法",
        3,
        "作品是文学、艺术和科学领域内具有独创性并能以一定形式表现的智力成果，包括文字、美术、摄影、视听作品等；"
        "具有独创性的字体设计可以作为美术作品受保护",
    ),
    Point(
        "职务作品",
        "著作权",
        "保护客体",
        (
            "职务作品",
            "离职",
            "在职",
            "工作任务",
            "版权归公司",
            "版权是公司",
            "版权都是",
            "版权归单位",
            "归公司所有",
            "著作权归公司",
        ),
        "著作权法",
        18,
        "为完成单位工作任务所创作的作品是职务作品，除第二款情形外著作权由作者享有，单位有权在业务范围内优先使用，"
        "作品完成两年内未经单位同意作者不得许可第三人以相同方式使用；主要利用单位物质技术条件创作并由单位承担责任的"
        "工程设计图、计算机软件等，或者合同约定著作权由单位享有的，作者享有署名权，其他权利由单位享有",
        paragraph=1,
        also=(("著作权法", 18, 2),),
    ),
    Point(
        "课堂教学",
        "著作权",
        "抗辩与例外",
        ("上课", "课堂", "教学"),
        "著作权法",
        24,
        "为学校课堂教学或者科学研究，翻译、改编、汇编、播放或者少量复制已经发表的作品，供教学或者科研人员使用，"
        "可以不经著作权人许可、不支付报酬，但不得出版发行",
        paragraph=1,
        item=6,
    ),
    Point(
        "合理使用情形",
        "著作权",
        "抗辩与例外",
        ("合理使用", "解说", "影评", "剪辑", "二创", "二次创作"),
        "著作权法",
        24,
        "法定的合理使用情形（个人学习研究欣赏、介绍评论时适当引用、新闻报道、课堂教学等），可以不经著作权人许可、"
        "不支付报酬，但应当指明作者姓名和作品名称，并且不得影响作品的正常使用、不得不合理地损害著作权人的合法权益",
        paragraph=1,
    ),
    Point(
        "展会宽限期",
        "专利权",
        "保护客体",
        # one's own showing before one files, not another's copy seen at a fair (that is 许诺销售, 第十一条: a read
        # blind suite, stop 28)
        (
            "首次展出",
            "宽限期",
            "新颖性",
            "展出过",
            "展出后",
            "展出以后",
            "展览过",
            "展示过",
            "参展过",
            "参展后",
            "先展出",
            "先参展",
            "公开展",
            "还没申请",
            "没申请专利",
            "尚未申请",
        ),
        "专利法",
        24,
        "申请专利的发明创造在申请日以前六个月内，在中国政府主办或者承认的国际展览会上首次展出的，不丧失新颖性",
        item=2,
    ),
    Point(
        "商标作字号",
        "注册商标专用权",
        "被诉行为",
        ("字号", "企业名称", "公司名称", "公司名", "起名叫", "名字起成", "名称里", "名称中"),
        "商标法",
        58,
        "将他人注册商标、未注册的驰名商标作为企业名称中的字号使用，误导公众，构成不正当竞争行为的，依照反不正当竞争法处理",
        also=(("反不正当竞争法", 6, None),),
    ),
    Point(
        "法定赔偿",
        "注册商标专用权",
        "责任与赔偿",
        _DAMAGES,
        "商标法",
        63,
        "实际损失、侵权获利和注册商标许可使用费都难以确定的，由人民法院根据侵权情节判决给予五百万元以下的赔偿",
        paragraph=3,
    ),
    Point(
        "法定赔偿",
        "著作权",
        "责任与赔偿",
        _DAMAGES,
        "著作权法",
        54,
        "实际损失、违法所得和权利使用费难以计算的，由人民法院根据侵权情节判决给予五百元以上五百万元以下的赔偿",
        paragraph=2,
    ),
    Point(
        "法定赔偿",
        "专利权",
        "责任与赔偿",
        _DAMAGES,
        "专利法",
        71,
        "权利人的损失、侵权获利和专利许可使用费均难以确定的，人民法院可以确定给予三万元以上五百万元以下的赔偿",
        paragraph=2,
    ),
    Point(
        "客户名单",
        "商业秘密",
        "保护客体",
        ("客户名单", "客户信息", "客户资料", "老客户", "客户"),
        "反不正当竞争法",
        9,
        "客户名单等经营信息不为公众所知悉、具有商业价值并经权利人采取保密措施的，属于商业秘密，受反不正当竞争法第九条保护；"
        "但仅以与特定客户保持长期稳定交易关系为由主张商业秘密的不予支持，客户基于对员工个人的信赖自愿与离职员工交易的，一般不认定为侵犯商业秘密",
        paragraph=4,
        also=((_TRADE_SECRETS_RULES, 2, None),),
    ),
)


def points_for(question: str, right: RightSpec) -> list[Point]:
    """The points of this right that the question raises, in table order."""
    return [p for p in POINTS if p.right == right.name and any(w in question for w in p.words)]


# The wording of the Criminal Law's 侵犯知识产权罪 (刑法分则第三章第七节) for each right, searched when
# a question asks whether an infringement is a crime: lay wording alone rarely reaches those articles.
CRIME_QUERIES: dict[str, str] = {
    "著作权": "以营利为目的 有下列侵犯著作权 情形之一 未经著作权人许可 复制发行 通过信息网络向公众传播 计算机软件 违法所得数额较大 销售侵权复制品",
    "注册商标专用权": "未经注册商标所有人许可 在同一种商品 服务上使用与其注册商标相同的商标 假冒注册商标 销售明知是假冒注册商标的商品 伪造 擅自制造他人注册商标标识",
    "专利权": "假冒他人专利 情节严重的",
    "商业秘密": "有下列侵犯商业秘密行为之一 情节严重的 以盗窃 贿赂 欺诈 胁迫 电子侵入 获取权利人的商业秘密 为境外的机构 组织 人员窃取 刺探 收买 非法提供商业秘密",
}


class StatuteSearch(Protocol):
    def search(
        self, query: str, kind: str | None = None, k: int | None = None, where: Any = None
    ) -> list[Any]: ...


def identify_rights(question: str) -> list[RightSpec]:
    """The rights a question is about, the most mentioned first (none for a question naming none)."""
    scored = [(sum(question.count(w) for w in r.keywords), i, r) for i, r in enumerate(RIGHTS)]
    found = [r for score, _, r in sorted(scored, key=lambda t: (-t[0], t[1])) if score > 0]
    return found


def _in_law(hit: Any, laws: tuple[str, ...]) -> bool:
    title = normalize_law_name(str(getattr(hit, "law_title", "") or ""))
    return title in laws or str(getattr(hit, "law_id", "")) in laws


@dataclass(frozen=True)
class IPFindings:
    right: RightSpec
    steps: tuple[tuple[StepSpec, tuple[Any, ...]], ...]  # each step with the statute hits it rests on
    interpretations: tuple[Any, ...]
    raised: tuple[tuple[Point, Any], ...] = ()  # each point the question raises, with its article's hit


def _match(hit: Any, step: StepSpec) -> int:
    """How much of the step's wording the article contains (characters of matched phrases)."""
    text = str(getattr(hit, "text", ""))
    return sum(len(p) for p in step.query.split() if len(p) >= 2 and p in text)


MIN_MATCH = 4  # an article sharing less of a step's wording than this does not answer that step


def analyse(
    question: str, searcher: StatuteSearch, right: RightSpec, per_step: int = 2, pool: int = 20
) -> IPFindings:
    """Search each step's query (with the question) within the right's laws; each article found is
    placed under the one step whose wording it shares most, so steps do not repeat one article.
    A point the question raises (信息网络传播权, 先用权 …) puts its article first in its step, and
    the step's summary names it."""
    found: dict[str, tuple[Any, list[int]]] = {}  # record id → (hit, match per step)
    rank: dict[tuple[str, int], int] = {}
    for i, step in enumerate(right.steps):
        hits = searcher.search(f"{question[:1000]} {step.query}", kind="statutes", k=pool)
        for r, h in enumerate(x for x in hits if _in_law(x, right.laws)):
            key = str(getattr(h, "record_id", id(h)))
            found.setdefault(key, (h, [_match(h, st) for st in right.steps]))
            rank[(key, i)] = r
    chosen: list[list[tuple[int, Any]]] = [[] for _ in right.steps]
    for key, (hit, matches) in found.items():
        best = max(range(len(matches)), key=lambda i: (matches[i], -rank.get((key, i), pool)))
        if matches[best] >= MIN_MATCH:
            chosen[best].append((rank.get((key, best), pool), hit))
    specs = list(right.steps)
    raised: list[tuple[Point, Any]] = []
    for point in points_for(question, right):
        i = next(j for j, st in enumerate(specs) if st.title == point.step)
        hits = [
            _fetch(searcher, point.law, point.number),
            *(_fetch(searcher, law, n) for law, n, _ in point.also),
        ]
        hits = [h for h in hits if h is not None]
        if not hits:
            continue
        raised.append((point, hits[0]))
        ids = {str(getattr(h, "record_id", id(h))) for h in hits}
        chosen[i] = [(-1, h) for h in hits] + [
            (r, h) for r, h in chosen[i] if str(getattr(h, "record_id", id(h))) not in ids
        ]
        specs[i] = StepSpec(
            specs[i].title, f"{point.statement}（{'；'.join(point.labels())}）。", specs[i].query
        )
    steps = tuple(
        (
            spec,
            tuple(
                h for _, h in sorted(c, key=lambda t: t[0])[: max(per_step, sum(1 for r, _ in c if r < 0))]
            ),
        )
        for spec, c in zip(specs, chosen, strict=True)
    )
    interps = searcher.search(question[:1000], kind="interpretations", k=pool)
    relevant = tuple(
        h for h in interps if any(w in str(getattr(h, "law_title", "")) for w in right.interpretation_words)
    )
    return IPFindings(right, steps, relevant[:3], tuple(raised))


def asked_point(question: str, findings: IPFindings) -> Any:
    """The article of the point the question's ask raises (「…这不算合理使用吗」: 著作权法第二十四条; 「…字体也有版权吗」:
    第三条), else of the point the question raises last, or None: the step it answers may come later in the walkthrough,
    but it is what the question turns on, and leads. The ask is the question's first asking sentence; a message typed
    without ？ is asked as a whole."""
    from assistant.agent import routing

    def last_said(point: Point, text: str) -> int:
        return max(text.rfind(w) for w in point.words)

    # of several, the one said last: a client ends on what he asks (「…现在我离职了…还想在网上卖点周边…公司说版权都是他们
    # 的」 is 职务作品's, not 信息网络传播权's)
    for text in (routing.first_ask_whole(question), question):
        said = [(last_said(point, text), hit) for point, hit in findings.raised]
        said = [(at, hit) for at, hit in said if at >= 0]
        if said:  # else the first point the facts raise (「老师上课给学生放电影片段，算不算侵犯著作权？」: 课堂教学)
            return max(said, key=lambda t: t[0])[1]
    return None


def _fetch(searcher: Any, law: str, number: int) -> Any:
    """One article by its law and number, or None (a searcher without get_article, or none such)."""
    get = getattr(searcher, "get_article", None)
    try:
        return get(law, number) if callable(get) else None
    except Exception as e:  # the point's article is a help, not a requirement: the step keeps its search
        log.warning("could not fetch %s %s: %s", law, number, e)
        return None
