"""The stop-18 entries of the everyday-law lexicon (retrieval/everyday_law/12-s18-review.toml): situations a
practising-lawyer reviewer asked about that no entry reached, each question written here from the articles'
text; neighbouring questions of other laws do not reach them."""

from __future__ import annotations

import pytest

from retrieval.lexicon import Lexicon
from tests.retrieval.test_retrieval_everyday_law_labour_family_admin import (
    assert_reaches,
)


@pytest.mark.parametrize(
    ("query", "reached", "not_reached"),
    [
        ("城管把我的三轮车拉走了，我能告他们吗？", "行政诉讼法第十二条", None),
        ("市场监管局把我店里的货封了，我想去法院起诉他们", "行政诉讼法第二条", None),
        ("城管把我摆摊的水果全收走了，也没给任何单子", "行政强制法第二十四条", None),
        ("执法队扣走了我的电动车，没开清单，合法吗？", "行政强制法第二十四条", None),
        ("我一拳把他鼻梁骨打骨折了，轻伤二级，要赔他多少钱？", "民法典第一千一百七十九条", None),
        ("被邻居家的狗咬伤了，要赔哪些钱？", "民法典第一千一百七十九条", None),
        ("房东不退押金，还说我把墙弄坏了要赔多少？", None, "民法典第一千一百七十九条"),
        ("被派出所拘留十天，我要申请复议，拘留能不能先不执行？", "治安管理处罚法第一百零七条", None),
        (
            "合同里签了两年竞业限制，说每月给我补偿。离职到现在快5个月了，公司一分钱补偿都没给，我能去竞争对手那上班吗？",
            "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十八条",
            None,
        ),
        # neighbours: a private quarrel is no suit against the administration
        ("邻居把我的三轮车拉走了，我能告他们吗？", None, "行政诉讼法第十二条"),
        ("公司扣了我的工资，我能告他们吗？", None, "行政诉讼法第十二条"),
        ("快递把我的东西拿走了，没给单子", None, "行政强制法第二十四条"),
        # whom to sue and when are asked of other articles (第二十六条, 第四十六条)
        ("区政府复议后维持了城管的罚款，我要起诉该告谁？", None, "行政诉讼法第二条"),
    ],
)
def test_a_review_question_reaches_its_article_and_not_its_neighbours(
    lexicon: Lexicon, query: str, reached: str | None, not_reached: str | None
) -> None:
    assert_reaches(lexicon, query, reached, not_reached)
