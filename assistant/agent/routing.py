"""Which kind of question this is, and what to search for when it follows earlier turns.

Routes: sentencing (a criminal case: charge and term), ip (著作权, 专利, 商标, 商业秘密,
不正当竞争), statute (what does an article say), general (any other legal consultation),
and two that end early: non_legal and invalid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from corpora.citations import ARTICLE_REF

Route = Literal["sentencing", "ip", "statute", "general", "non_legal"]
ROUTES: tuple[str, ...] = ("sentencing", "ip", "statute", "general")
MODES: tuple[str, ...] = ("auto", *ROUTES)

_STATUTE_ASK = re.compile(
    r"(怎么|如何|是什么|什么样的?)规定|规定(了)?(什么|哪些|的内容)|(原文|内容|条文)(是|为)?(什么)?"
)
# The acts of 刑法分则 as people name them: a question with one tells a crime, not only the general part.
_ACTS = (
    r"盗窃|抢劫|诈骗|抢夺|醉酒驾驶|醉驾|酒驾|故意伤害|杀人|贩卖毒品|运毒|贩毒|贪污|受贿|行贿|"
    r"职务侵占|挪用|寻衅滋事|交通肇事|危险驾驶|强奸|绑架|敲诈勒索|非法拘禁|开设赌场|赌博|"
    r"收受.{0,12}财物|(?:他|她|人|我|对方)关在|关押|限制.{0,6}人身自由|"
    # how facts of a crime are told: the acts of 刑法分则
    r"窃取|(?<!偷)偷(?![偷拍看听录])|扒窃|赃|持刀|殴打|砍伤|捅伤|贩卖|走私|伪造|冰毒|海洛因|吸毒|卖淫|猥亵|"
    r"拐卖|逃逸|骗取|侵占|假冒注册商标|销售金额|非法经营数额|小偷|杀了|杀死|杀害|"
    # drink-driving told plainly: 喝了酒开车, 酒后驾车, 血液酒精含量
    r"(?:酒后|喝(?:了)?酒.{0,8})(?:开车|驾车|驾驶|开摩托)|酒精含量|"
    r"非法(?:经营|集资|吸收|持有|买卖|运输|狩猎|采伐|捕捞|侵入|获取|占有|出售|收购)"
)
_CRIMINAL = re.compile(
    r"判(多久|几年|多少年|多重|什么刑|刑|处|了|吗)|会不会判|被(?:保安|警察|民警|公安)?抓|抓住|被捕|量刑|刑期|坐(?:几年|多久的?|多少年的?)?牢|有期徒刑|拘役|缓刑|构成.{0,6}罪|什么罪|啥罪|何罪|罪名|犯罪|"
    # the parties of a criminal case, and what is done after a crime or to its author
    rf"自首|坦白|立功|累犯|投案|死刑|被告人|被害人|犯罪嫌疑人|{_ACTS}"
)
_ACT = re.compile(_ACTS)
_IP = re.compile(
    r"著作权|版权|专利|商标|商业秘密|不正当竞争|知识产权|盗版|抄袭|侵权复制|软件著作|作品|发明|实用新型|外观设计|驰名|"
    r"(?:传播|上传|转载|播放|引用|翻译|改编)[^，。？]{0,8}(?:电影|音乐|歌曲|视频|小说|文章|图片|照片|片段)|作者同意|"
    r"客户名单|现有技术|先用权|署名|"
    r"(?:文章|照片|图片|视频|歌曲|小说|作品)[^，。？]{0,12}(?:转载|转发|盗用|搬运|抄袭|翻拍|盗版|连载)|"
    # 「我连载的小说，一共40多万字，被另一个网站全文搬过去了，没署我的名字」 (a lawyer's review)
    r"(?:文章|照片|图片|视频|歌曲|小说|作品|书)[^。？]{0,30}(?:搬(?:过去|走|到)|照搬|全文(?:复制|转)|复制)|"
    r"(?:没|不|未)署(?:我的?|上|作者的?)?名"
)
# An IP question is walked through infringement (保护客体 → 被诉行为 → 抗辩 → 责任) when it tells or asks of a use
# by another or a dispute; one that asks how a right is had (能申请外观专利吗, 商标能注册吗, 保护期多久, 归谁)
# is answered by the articles its search finds first, as any consultation: 专利法第二十三条 answers
# 「我设计的茶杯外形跟市面上已经在卖的差不多，还能申请外观专利吗」, not the walkthrough's 第二条 and 第十一条.
_IP_DISPUTE = re.compile(
    r"侵权|侵犯|侵害|盗版|抄袭|抄了|照搬|搬运|仿冒|假冒|山寨|冒用|盗用|擅自|未经|没经过|没有经过|偷偷|"
    r"被(?:人|别人|对方|他|他们|公司|网站|平台|同行)?[^，。？]{0,8}(?:用|拿|抄|仿|盗|转载|翻拍|搬|注册|抢注|发布|传播|复制|卖|挖)|"
    r"(?:用|引用|转载|翻译|改编|翻拍|翻唱|播放|拷|复制)[^，。？]{0,4}(?:别人|他人|人家|作者)|作者同意|"
    r"抢注|赔偿|赔多少|赔钱|索赔|起诉|告(?:他|她|对方|他们|公司)|维权|下架|商业秘密|客户名单|带走|泄露|"
    r"现有技术|先用权|不正当竞争|混淆|一模一样|差不多的(?:商标|名字|包装)|(?:用|卖|做)[^，。？]{0,10}(?:同样|一样|相同|类似|近似)"
)
# Words that make a question a legal one at all; a question with none of them gets a polite refusal.
_LEGAL = re.compile(
    r"法|律|罪|刑|判|诉|案|权|责任|赔偿|违约|合同|协议|侵|纠纷|起诉|仲裁|律师|法院|检察|公安|警察|报警|"
    r"离婚|抚养|继承|遗嘱|借款|欠款|债|工资|劳动|辞退|工伤|社保|房|租|买卖|公司|股|商标|专利|版权|"
    r"盗|抢|骗|打人|伤|死|毒|赌|罚|拘|监|处分|违规|违章|驾驶|事故|保险|税|"
    # everyday words of family, identity and money matters that people ask a lawyer about
    r"婚|夫妻|丈夫|妻子|老公|老婆|前夫|前妻|孩子|子女|领养|收养|同居|分居|彩礼|赡养|虐待|打骂|遗产|怀孕|生育|"
    r"身份证|户口|出狱|坐过牢|投案|婚假|产假|休假|转账|套取|信用卡|欠|退钱|还钱|要回|物业|邻居|拆迁|征收|补偿|医疗|学校|"
    r"被告|嫌疑|窃|偷|赃|走私|伪造|贩卖|银行卡|"
    # work, shopping and dealings with the government: 试用期多久, 年假几天, 七天无理由退货, 申请政府信息公开
    r"试用期|年假|加班|辞职|离职|入职|上班|员工|单位|退货|退款|网购|商家|消费者|政府|行政|许可|复议|听证|"
    # driving: 「高速限速120，我开到了185，驾照会被吊销吗？」 was refused as chit-chat
    r"驾照|驾驶证|超速|限速|扣分|罚单|闯红灯|酒驾|醉驾|"
    r"申请|合法|违法|权利|义务|借钱|借给|利息|名誉|隐私|肖像|作者|作品|引用|署名|转载|盗用|抄袭|冒用|冒名|失业|不作为|"
    # what a client fears or claims, in words of no statute: 会被追究吗, 谁来赔, 能扣我多久, 犯的事, 给他养老
    r"追究|赔|扣|传唤|派出所|犯(?:了|的|事|过)|养老|押金|定金|订金|"
    # what people make, buy and copy (著作权, 软件, 商标): 正版软件能拷一份吗, 稿子投给杂志社能改投吗
    r"软件|正版|盗版|稿子|投稿|杂志社|出版|拷贝|拷一份|复制|翻拍|翻唱|搬运|字体|牌子|山寨|仿冒|假货"
)
# How people ask what one person may demand of another, or must do for them, when the situation itself has no
# word of the law (「一楼的几户坚决反对，还能装吗」, 「留下一个孙子，我们必须养他吗」): a duty, a right, who
# pays or decides, whether something holds or may be refused, asked of or against someone else. Chit-chat
# (天气, 吃饭, 减肥, 写诗) asks none of these.
_DUTY = re.compile(
    r"必须|有没有义务|有义务|该不该|应不应该|有没有权|有权|归谁|算数|有效吗|合理吗|合不合理|允许|强制"
)
_CLAIM = re.compile(
    r"谁(?:出|付|负责|承担|来(?:赔|付|出|养|管|承担))|(?:要|得|该)负责|负责吗|不(?:让|给|肯|同意)|反对|拒绝|逼(?:我|着)"
)
_ASKS_WHETHER = re.compile(r"能不能|可不可以|(?:能|可以)[^，。？！]{0,12}吗")
_OTHERS = re.compile(
    r"他|她|对方|别人|人家|邻居|业主|房东|租客|老板|同事|朋友|亲戚|[儿孙]|女儿|父母|[爸妈爷奶]|外公|外婆|公公|婆婆|"
    r"老人|兄弟|姐妹|哥|姐|弟|妹|公司|单位|店|厂|学校|幼儿园|医院|快递|平台|物业|小区|村|政府|部门"
)


def asks_rights(text: str) -> bool:
    """Whether the text asks about a duty, a right or a claim between people (see _DUTY, _CLAIM), or whether
    something may be done where someone else is concerned (能不能 … with 邻居, 孙子, 公司)."""
    return bool(
        _DUTY.search(text) or _CLAIM.search(text) or (_ASKS_WHETHER.search(text) and _OTHERS.search(text))
    )


_FOLLOW_UP = re.compile(r"^(那|那么|如果|要是|假如|还有|另外|再|他|她|它|这|这种|这个|该|上述|此|同样|那样)")


def tells_crime(text: str) -> bool:
    """Whether the text names an act of a crime (盗窃, 酒驾, 运毒, 持刀 …), not only the general part's words
    (自首, 累犯, 缓刑, 犯罪)."""
    return bool(_ACT.search(text))


# Whether a told act is a crime at all, or the asker answers for it (要坐牢吗, 算正当防卫吗, 要负刑事责任吗): a
# question that may ask about the 总则 article excusing the act (planning.asks_general_part).
_LIABILITY = re.compile(
    r"刑事责任|负责任|坐牢|(?:犯罪|犯法|有罪|违法|判刑)吗|算(?:不算)?(?:犯罪|犯法|正当防卫|防卫|紧急避险|自卫)|防卫|避险|追究|偿命|抵命"
)


def asks_liability(text: str) -> bool:
    """Whether the question asks if the act is a crime or the asker answers for it, not only its term."""
    return bool(_LIABILITY.search(text))


def is_legal(text: str) -> bool:
    return bool(_LEGAL.search(text) or ARTICLE_REF.search(text) or asks_rights(text))


# What a client asks about a criminal case: what happens to the person (判, 坐牢, 被抓, 怎么处理).
_CONSEQUENCE = re.compile(
    # 判给, 判归, 判离: custody, property and divorce judged, no penalty (「孩子能判给我吗」, a lawyer's review, stop 20)
    r"判(?![给归离])|坐牢|犯罪|犯法|罪|刑|被抓|抓了|抓走|(?:被|把(?:他|她|人|我))[^，。？]{0,6}带走|报警|报案|报了警|报了案|公安|警察|派出所|怎么处理|会怎样|会怎么样|会咋样|咋办|严重吗|后果|"
    r"被.{0,6}(?:查了|查处|查获|端了)|找我了|进去关|关进去|不用进去|蹲(?:监狱|大牢|号子)"
)


# What the police or an administrative body does (治安管理处罚: 罚款, 拘留几天; 国家赔偿) asked about with no word
# of a criminal penalty: 「偷拍被抓到派出所，会怎么处罚」 asks what 治安管理处罚法 says, 「判了无罪，国家每天赔多少」
# what 国家赔偿法 says; neither is a case to sentence.
_ADMINISTRATIVE = re.compile(
    r"派出所.{0,8}(?:罚|处理|处罚)|治安|行政拘留|罚款|拘留几天|国家赔偿|国家.{0,4}赔|无罪.{0,20}赔|"
    # 「派出所说要拘留他十天」: a detention the police decide, told in days (刑事拘留 is 刑事, a word of _PENAL)
    r"(?:派出所|警察|公安)[^。？]{0,8}(?:要|决定|说要)?拘(?:留)?(?:他|她|我|我们)?(?:\d+|[一二三四五六七八九十]+)(?:天|日)"
)
_PENAL = re.compile(
    r"坐(?:几年|多久的?|多少年的?)?牢|判刑|判几年|判多久|判多少|判多重|判得重|会判(?![给归离])|怎么判|刑事|犯罪|(?<!无)罪|有期徒刑|拘役|"
    r"缓刑|量刑|刑期|不用进去|进去蹲|蹲(?:监狱|大牢|号子)|加刑|多判"
)


# What a question asks, read from its last clause (「离婚时孩子判给了前妻，她再婚后经常打孩子，我能把孩子要回来吗？」
# asks 要回来, not 判): a criminal case's facts asked about for something else than what happens to its author
# (驾照会被吊销吗, 侵犯商业秘密吗, 国家每天赔多少钱) is answered by the law of that ask, not by a sentence.
_ASK = re.compile(
    # 几年 asks (判几年); 十几年前 and 好几天 tell a time (「十几年前打架把人打成轻伤」 is the facts)
    r"[？?吗呢]|怎么|怎样|如何|多少|多久|(?<![十百千好])几(?:年|天)(?![前来])|什么|啥|咋|哪|能不能|可不可以|是否|有没有|算不算"
)
_CRIMINAL_ASK = re.compile(
    rf"{_PENAL.pattern}|{_CONSEQUENCE.pattern}|{_LIABILITY.pattern}|犯法|怎么办|办(?!法)|处罚|处理|算(?:不算)?什么|罚钱|罚金|罚款|罚多少|退(?:赃|赔|钱|回去|还)|赔(?:钱|偿)"
)
_CLAUSE_END = re.compile(r"[，,。；;！!\n]+")


# clauses as typed: after ？, at punctuation, and at a space between Han characters (a message typed on a phone
# without commas: 「…就是他前几年因为喝酒开车被拘留过 这个影响吗」 ends on an ask of its own)
_ASK_CLAUSES = re.compile(r"(?<=[？?])|[，,。；;！!\n]+|(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")


def asks_otherwise(question: str) -> bool:
    """Whether the question's last clause asks something (吗, 多少, 能不能) that is not what happens to the
    author of a crime (判, 坐牢, 罪, 会怎样, 怎么处理, 犯法吗) and names no crime itself. Its last clause is its last
    ask's (「…有啥办法？起诉离婚法院会判离吗？」 asks 判离, not 办法: stop 25)."""
    clauses = [c for c in _ASK_CLAUSES.split(question.strip()) if c.strip()]
    if not clauses:
        return False
    # the last clause that asks (「…有没有办法让法院管管他 不让他靠近我」 ends on what the ask wants, not on an ask)
    at = next((i for i in range(len(clauses) - 1, -1, -1) if _ASK.search(clauses[i])), len(clauses) - 1)
    ask = clauses[at]
    if any(_PENAL.search(c) and _ASK.search(c) for c in clauses[:at]):
        # 「…我会坐几年牢？以后还能开车吗？」 asks the sentence first: the licence is an aside to it
        return False
    return bool(_ASK.search(ask)) and not _CRIMINAL_ASK.search(ask) and not _CRIMINAL.search(ask)


# A question that asks several things (「我这个会坐牢吗？还要罚钱吗？驾照怎么办？」「合法吗？我能告他们吗？」): each
# ask after the first is a clause ending in ？; what it asks about is what is left of it without the words
# of asking (驾照, 告他们). The answer answers each, not only the first.
_QUESTION_END = re.compile(r"[^？?]*[？?]")
_ASKING_WORDS = re.compile(
    r"怎么办|怎么样|怎样|会怎样|如何|什么|多少|多久|能不能|可不可以|是否|有没有|吗|呢|吧|[？?，,。、\s]|"
    r"^(?:那|那么|还|还有|另外|再|又|并且|而且|以及|和|我|我们|他|她|他们|这个|这样|这种|会|要|能|可以|该|应该)+"
)


def other_asks(question: str, criminal: bool = False) -> list[str]:
    """The asks of a question after its first, each a clause ending in ？ with words of its own (驾照怎么办？);
    with `criminal`, those that do not ask what happens to the author of the crime (罚钱 is 罚金, 坐牢 a term).
    A post titled with its first ask may end on an ask typed without ？ (「…够刑事了？我在老家开了个小棋牌室…这点
    钱真的会判刑吗」: stop 25, heldout15): its last sentence, when it asks, is one too."""
    text = question.strip()
    clauses = [m.group(0).strip() for m in _QUESTION_END.finditer(text)]
    if clauses and (tail := _trailing_ask(text)):
        clauses.append(tail)
    out = []
    for clause in clauses[1:]:
        if not _ASKING_WORDS.sub("", clause) or (criminal and asks_of_the_sentence(clause)):
            continue
        out.append(clause)
    return out


# The words of criminal procedure and of the general part's measures after a judgment, as clients use them: an ask
# with one of them about a told crime asks what that law says (「…对方也同意谅解，这个案子能和解吗？」 is 刑事诉讼法第
# 二百八十八条's), while an ask with none (驾照会被吊销吗, 车主要赔吗, 合法吗) is a consultation of another law.
# 起诉, 上诉, 律师 and 家属 are left out: a client uses them of a civil suit as often (「被人打伤了…能起诉他吗」 is
# 民法典's, not 刑事诉讼法第一百八十条's).
_PROCEDURE = re.compile(
    r"和解|谅解|私了|取保|候审|逮捕|批捕|拘留|羁押|看守所|会见|辩护|案底|犯罪记录|封存|不起诉|立案|撤案|"
    r"监视居住|附带民事|假释|减刑|缓刑|保外就医|认罪认罚|追诉|时效|通知家属"
)


def asks_procedure(ask: str) -> bool:
    """Whether an ask clause names a step of criminal procedure or a measure after judgment (see _PROCEDURE)."""
    return bool(_PROCEDURE.search(ask))


def ask_words(ask: str) -> str:
    """What an ask clause asks about, without its words of asking (缓刑会被撤销吗 → 缓刑会被撤销; 怎么办 → "")."""
    return _ASKING_WORDS.sub("", ask)


def asks_of_the_sentence(ask: str) -> bool:
    """Whether an ask clause asks what happens to the author of a crime (判, 坐牢, 罚金, 缓刑), or nothing of its
    own (怎么办)."""
    own = ask_words(ask)
    return not own or bool(_CRIMINAL_ASK.search(own) or _CRIMINAL.search(own))


def _trailing_ask(text: str) -> str:
    """The last sentence after the last ？ when it asks (吗, 多久, 能不能) though it ends without ？, with ？ added."""
    tail = re.split(r"[？?]", text)[-1]
    last = [t for t in re.split(r"[。！!\n]+", tail) if t.strip()][-1:]
    if not last or not _ASK.search(last[0]) or not _ASKING_WORDS.sub("", last[0]):
        return ""
    return f"{last[0].strip()}？"


def first_ask(question: str) -> str:
    """The clause that asks first (「这个算不算工伤？」), or "" when the question asks nothing with ？."""
    first = _QUESTION_END.search(question.strip())
    if first is None:
        return ""
    clauses = [c for c in _CLAUSE_END.split(first.group(0)) if c.strip()]
    return f"{clauses[-1].strip().rstrip('？?')}？" if clauses else ""


def first_ask_whole(question: str) -> str:
    """`first_ask` with the asking clauses just before it in the same sentence: 「听说可以申请什么保护令，怎么申请？」,
    whose words `told_before_asking` leaves out of the facts (保护令 is what is asked about, not 怎么申请 alone)."""
    first = _QUESTION_END.search(question.strip())
    if first is None:
        return ""
    clauses = [c.strip() for c in _CLAUSE_END.split(first.group(0)) if c.strip()]
    run = clauses[-1:]
    for clause in reversed(clauses[:-1]):
        if not _ASK.search(clause):
            break
        run.insert(0, clause)
    return f"{'，'.join(run).rstrip('？?')}？" if run else ""


def told_before_asking(question: str) -> str:
    """The facts of a question: what it tells before its first ask clause, or the question itself."""
    clauses = _CLAUSE_END.split(question.strip())
    facts = [c for c in clauses if c.strip() and not _ASK.search(c)]
    return "，".join(facts) or question.strip()


# A rumour or a false accusation told of the asker (造谣说我偷公司东西) tells no crime of his: the question is about his
# name (民法典第一千零二十四条), not a sentence (stop 25, heldout15 had it sentenced as 诽谤 under 刑法第二百四十六条)
_FALSELY = re.compile(r"造谣|谣言|诬陷|诬赖|污蔑|诋毁|冤枉|泼脏水|瞎说|乱说|胡说|胡编|捏造|编排")
_SAID_OF = re.compile(r"(?:说|讲|传|称|发|写|骂)[^，,。；;！!？?]{0,4}(?:我|他|她|我们|我家)")


def without_false_accusations(question: str) -> str:
    """The question without the clauses that tell what was falsely said of someone, when it says it was false."""
    if not _FALSELY.search(question):
        return question
    clauses = re.split(r"(?<=[，,。；;！!？?\n])", question)
    return "".join(c for c in clauses if not _FALSELY.search(c) and not _SAID_OF.search(c))


def classify(question: str) -> Route:
    """Rules, in order: an article asked about → statute; crime words → sentencing; an act the charge
    lexicon knows (assistant/judgment/everyday_terms.toml: 拿刀逼, 溜冰, 挪了) asked about for its
    consequence (会怎么判, 坐牢) → sentencing, unless the question asks about something else
    (asks_otherwise: 驾照会被吊销吗); IP words with a use by another or a dispute (_IP_DISPUTE) → ip."""
    from assistant.judgment.everyday import everyday_terms

    q = question.strip()
    if ARTICLE_REF.search(q) and (_STATUTE_ASK.search(q) or len(q) <= 24):
        return "statute"
    if _ADMINISTRATIVE.search(q) and not _PENAL.search(q):
        return "general"
    told = without_false_accusations(q)
    criminal = bool(_CRIMINAL.search(told) or (_CONSEQUENCE.search(told) and everyday_terms().matches(told)))
    if criminal and not asks_otherwise(q):
        return "sentencing"
    if _IP.search(q) and _IP_DISPUTE.search(q):
        return "ip"
    if not criminal and not is_legal(q):
        return "non_legal"
    return "general"


def is_follow_up(question: str, history: Sequence[dict[str, str]]) -> bool:
    """A short or referring question after earlier turns leans on them; so does a correction (不对，鉴定
    结果是重伤二级) or more facts told without a question, even when their own words look legal (伤, 工资)."""
    from assistant.agent.conversation import continues_case

    if not any(m.get("role") == "user" for m in history):
        return False
    q = question.strip()
    return bool(_FOLLOW_UP.search(q)) or len(q) <= 8 or not is_legal(q) or continues_case(q)


def condense(question: str, history: Sequence[dict[str, str]], max_chars: int = 600) -> str:
    """The query to retrieve with: a follow-up is joined to the previous user question(s)."""
    if not is_follow_up(question, history):
        return question.strip()
    earlier = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
    context = "".join(earlier[-2:])[-max_chars:]
    return f"{context}\n{question.strip()}"


def route_with_history(question: str, history: Sequence[dict[str, str]], mode: str = "auto") -> Route:
    """A forced UI mode wins; a follow-up with no signal of its own keeps the earlier route."""
    if mode in ROUTES:
        return mode  # type: ignore[return-value]
    route = classify(question)
    if route in ("general", "non_legal") and is_follow_up(question, history):
        earlier = [m["content"] for m in history if m.get("role") == "user"]
        for text in reversed(earlier):
            previous = classify(text)
            if previous != "non_legal":
                return previous
    return route


def normalize_history(history: Sequence[object]) -> list[dict[str, str]]:
    """Accept chat messages ({"role", "content"}) or (user, assistant) pairs; drop anything else."""
    out: list[dict[str, str]] = []
    for item in history or ():
        if (
            isinstance(item, dict)
            and item.get("role") in ("user", "assistant")
            and isinstance(item.get("content"), str)
        ):
            out.append({"role": str(item["role"]), "content": str(item["content"])})
        elif isinstance(item, list | tuple) and len(item) == 2:
            user, bot = item
            if isinstance(user, str) and user:
                out.append({"role": "user", "content": user})
            if isinstance(bot, str) and bot:
                out.append({"role": "assistant", "content": bot})
    return out
