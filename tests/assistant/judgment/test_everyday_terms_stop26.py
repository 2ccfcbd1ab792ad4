"""Stop 26 (crim): acts a lawyer's second review showed the charge ranking reading as another crime, told here in other
words, each with the charge and article a lawyer names from the law text: money taken from villagers at a monthly rate
had been a guess of 集资诈骗 (非法吸收公众存款, 第一百七十六条), waybills exported for a salesman 违法提供出口退税凭证
(侵犯公民个人信息, 第二百五十三条之一), a necklace torn from a neck a guess (抢夺, 第二百六十七条); with a knife or a blow
it is 抢劫's, not 抢夺's."""

from __future__ import annotations

import pytest

from assistant.judgment.everyday import everyday_terms

TOLD = [
    # 刑法第一百七十六条: 非法吸收公众存款或者变相吸收公众存款
    ("我们村有人搞养殖，说投钱给他每月给2分利息，村里三十多户都投了，现在钱还不上了", "第一百七十六条"),
    ("厂里老板让工人和亲戚朋友存钱到厂里，年息12%，四十多个人存了两百来万", "第一百七十六条"),
    # 刑法第二百五十三条之一: 向他人出售或者提供公民个人信息
    ("我是物业的，把小区业主的姓名电话导出来给了一个卖保险的朋友，他给了我两千块", "第二百五十三条之一"),
    ("我在快递点上班，把快递单上的收件人电话和地址拍下来发给了一个搞推销的", "第二百五十三条之一"),
    # 刑法第二百六十七条: 抢夺公私财物
    ("他骑着电动车经过，一把扯走了我妈脖子上的金项链就跑了", "第二百六十七条"),
    ("在公交站从一个女孩手里拽走了手机，跑了", "第二百六十七条"),
]

NOT_TOLD = [
    # a loan between two friends at interest is no deposit taken from the public
    ("我借了朋友5万块，说好每月给1分利息，现在还不上", "第一百七十六条"),
    # a knife or a blow is 抢劫's (第二百六十三条), not 抢夺's
    ("他拿刀逼着我，把我脖子上的金项链扯走了", "第二百六十七条"),
    # one's own contacts kept are no 个人信息 sold
    ("我把自己的电话和地址给了快递员", "第二百五十三条之一"),
]


def _sources(question: str) -> list[str]:
    return [term.source for _, term in everyday_terms().matches(question)]


@pytest.mark.parametrize(("question", "article"), TOLD)
def test_the_act_in_everyday_words_reaches_its_article(question: str, article: str) -> None:
    assert any(article in s for s in _sources(question)), _sources(question)


@pytest.mark.parametrize(("question", "article"), NOT_TOLD)
def test_a_near_miss_does_not(question: str, article: str) -> None:
    assert not any(s.endswith(article) or f"{article}、" in s for s in _sources(question)), _sources(question)
