"""A quote's label names the 款 it covers: a quote of 第一款 that runs on into 第二款 and 第三款 is not 第一款
(a lawyer's review found 刑法第二百四十三条 quoted whole under 第一款)."""

from __future__ import annotations

from assistant.backends.excerpts import excerpt, quoted_paragraphs
from assistant.backends.extractive import paragraph_label

# 刑法第二百四十三条's shape: three short paragraphs (fictional text)
THREE = "捏造事实诬告陷害他人，情节严重的，处三年以下有期徒刑。\n国家机关工作人员犯前款罪的，从重处罚。\n不是有意诬陷，而是错告的，不适用前两款的规定。"
# 商标法第六十三条's shape: a long first paragraph, then a short third one and a fourth
FOUR = (
    "侵犯商标专用权的赔偿数额，按照权利人因被侵权所受到的实际损失确定。" * 4
    + "\n权利人为确定赔偿数额而支付的合理开支应当计入赔偿数额。"
    + "\n难以确定的，由人民法院根据侵权行为的情节判决给予五百万元以下的赔偿。"
    + "\n假冒注册商标的商品不得在仅去除假冒注册商标后进入商业渠道。"
)


def test_a_quote_of_the_whole_article_is_labelled_by_the_article_alone() -> None:
    assert quoted_paragraphs(THREE, 1, None, 240) == 3
    assert paragraph_label(THREE, 1, None, 240) == ""


def test_a_quote_that_runs_into_the_next_paragraphs_names_them() -> None:
    assert paragraph_label(FOUR, 3, None, 240) == "第三款、第四款"
    assert paragraph_label(FOUR, 2, None, 240) == "第二款至第四款"
    assert paragraph_label(THREE, 2, None, 240) == "第二款、第三款"


def test_a_quote_within_its_paragraph_names_that_one() -> None:
    assert paragraph_label(FOUR, 1, None, 60) == "第一款"
    assert excerpt(FOUR, 1, None, 60).endswith("……")
    assert paragraph_label(THREE, 3, None, 240) == "第三款"
    assert paragraph_label("只有一款的条文。", 1, None, 240) == ""


def test_a_short_list_whose_items_the_question_cannot_tell_apart_is_quoted_whole() -> None:
    """第八十七条's shape: 「十二年前偷了一头牛…还会被追究吗」 shares about as much with 经过五年 as with 经过十年; one
    item chosen by a character or two would tell the client the wrong period."""
    from assistant.backends.excerpts import best_sentence

    limits = (
        "犯罪经过下列期限不再追诉：（一）法定最高刑为不满五年有期徒刑的，经过五年；"
        "（二）法定最高刑为五年以上不满十年有期徒刑的，经过十年；（三）法定最高刑为十年以上有期徒刑的，经过十五年。"
    )
    whole = best_sentence(limits, "十二年前偷了邻居一头牛，现在还会被追究吗？有期徒刑的期限")
    assert whole.startswith("犯罪经过下列期限不再追诉：（一）") and "（二）" in whole and "（三）" in whole
    one = best_sentence(limits, "法定最高刑为十年以上有期徒刑的，要经过多少年才不追诉？")
    assert one == "犯罪经过下列期限不再追诉：……（三）法定最高刑为十年以上有期徒刑的，经过十五年。"
