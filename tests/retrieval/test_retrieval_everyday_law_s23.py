"""Stop 23: what heldout10 and heldout11 (written blind) showed the everyday-law lexicon missing or misreading, told
here in other words: a year's leave never taken (没让休过年假), read as 过年 (春节) by the holiday entry; a protection
order that keeps him away (反家庭暴力法第二十九条); and the asks of one sentence kept together, so that the words of
「听说可以申请什么保护令，怎么申请？」 lead its search."""

from __future__ import annotations

import pytest
from lexicon_checks import check_reaches

from assistant.agent import routing
from retrieval.lexicon import Lexicon


@pytest.mark.parametrize(
    ("question", "source", "not_source"),
    [
        (
            "在这家厂干了八年，厂里从没让我们休过年假，辞职的时候能要钱吗？",
            "职工带薪年休假条例第五条",
            "劳动法第四十条",
        ),
        ("年假今年一天没休，公司说可以折成钱，按什么标准？", "职工带薪年休假条例第五条", None),
        ("过年公司让我们上班，也不放假，合法吗？", "劳动法第四十条", None),
        ("前夫老是来我家闹，还动手打过我，能不能让法院禁止他靠近我？", "反家庭暴力法第二十九条", None),
        ("邻居总不让我靠近他家的院子，这合法吗？", None, "反家庭暴力法第二十九条"),
        # 民法典第一千一百零五条: 收养应当向县级以上人民政府民政部门登记
        ("我弟弟家孩子多养不起，想把老三送给我们养，要办什么手续？", "民法典第一千一百零五条", None),
        # 专利法第七十五条第（二）项: 在专利申请日前已经制造相同产品…不视为侵犯专利权
        ("这种模具我们厂三年前就在生产了，今年别人申请了外观专利，说我们侵权", "专利法第七十五条", None),
        # 行政处罚法第三十六条: 违法行为在二年内未被发现的，不再给予行政处罚
        (
            "四年前我家院子里违建了一间房，当时没人管，现在城管说要罚款拆除，这都好几年了还能罚吗",
            "行政处罚法第三十六条",
            None,
        ),
        # 著作权法第二十三条: 保护期为作者终生及其死亡后五十年
        ("我爷爷1965年去世的，他写的书现在被人拿去出版了，我们家还能要版税吗", "著作权法第二十三条", None),
    ],
)
def test_the_questions_reach_their_articles(
    lexicon: Lexicon, question: str, source: str | None, not_source: str | None
) -> None:
    check_reaches(lexicon, question, source, not_source)


def test_the_asking_clauses_of_one_sentence_stay_together() -> None:
    q = "我老公喝了酒就打我，我现在住在娘家。听说可以申请什么保护令，怎么申请？能让他不准靠近我吗？"
    assert routing.first_ask(q) == "怎么申请？"
    assert routing.first_ask_whole(q) == "听说可以申请什么保护令，怎么申请？"
    assert routing.first_ask_whole("公司不给加班费，我能要多少？怎么算？") == "我能要多少？"
    assert routing.first_ask_whole("没有问题") == ""
