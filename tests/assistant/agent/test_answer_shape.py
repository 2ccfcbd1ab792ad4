"""The extractive answer's shape: the conclusion first, the key articles quoted at the paragraph that
answers, the rest within the body budget; a threshold question answered by its interpretation."""

from __future__ import annotations

from assistant.agent.charges import charge_for_article
from assistant.agent.citation_status import ArticleStatus
from assistant.backends.base import GenerationContext, NumberedSource
from assistant.backends.excerpts import excerpt, paragraphs
from assistant.backends.extractive import BODY_CHARS, compose
from corpora.citations import parse_citations
from tests.assistant.assistant_fakes import FakeHit

# A fictional three-paragraph article shaped like 商标法第六十三条 (its 第三款 sets the statutory damages).
DAMAGES = (
    "侵犯商标专用权的赔偿数额，按照权利人因被侵权所受到的实际损失确定。（虚构测试条文）\n"
    "人民法院为确定赔偿数额，可以责令侵权人提供账簿。（虚构测试条文）\n"
    "实际损失、侵权所获得的利益难以确定的，由人民法院根据侵权行为的情节判决给予五百万元以下的赔偿。（虚构测试条文）"
)


def _hit(law_id, number, text, collection="statutes", title=None):
    title = title or f"中华人民共和国{law_id}"
    return FakeHit(
        f"{law_id}#{number}", collection, f"《{title}》第{number}条", title, law_id, number, 0, "", text
    )


def _body(blocks):
    return "".join(blocks[1:])


def test_paragraphs_keep_items_with_their_paragraph():
    text = "著作权包括下列权利：\n（一）发表权；\n（十二）信息网络传播权；\n著作权人可以许可他人行使。"
    assert paragraphs(text) == [
        ["著作权包括下列权利：", "（一）发表权；", "（十二）信息网络传播权；"],
        ["著作权人可以许可他人行使。"],
    ]
    quoted = excerpt(text, 1, 12)
    assert (
        "“著作权包括下列权利：”" in quoted
        and "“（十二）信息网络传播权；”" in quoted
        and "发表权" not in quoted
    )


def test_quote_starts_at_the_paragraph_the_question_asks_about():
    source = NumberedSource(1, _hit("商标法", 63, DAMAGES))
    (ref,) = parse_citations("商标法第六十三条第三款")
    asked = ArticleStatus(ref, "found", "", law="商标法", hit=source.hit)
    ctx = GenerationContext("商标法第六十三条第三款怎么规定的？", "statute", (source,), asked=(asked,))
    body = _body(compose(ctx))
    assert "第三款[1]：……“实际损失、侵权所获得的利益难以确定的" in body
    assert "五百万元以下" in body and "按照权利人因被侵权所受到的实际损失确定" not in body


def test_answering_paragraph_is_found_from_the_question():
    source = NumberedSource(1, _hit("商标法", 63, DAMAGES))
    ctx = GenerationContext("商标侵权难以确定损失时法院判给多少赔偿？五百万元以下吗", "general", (source,))
    body = _body(compose(ctx))
    assert "第三款[1]" in body and "五百万元以下的赔偿" in body


def test_conclusion_comes_first_then_quotes_and_the_body_stays_within_budget():
    long_text = "。".join(f"第{i}句关于合同解除的规定，当事人可以解除合同" for i in range(40)) + "。"
    sources = tuple(NumberedSource(i, _hit("民法典", 560 + i, long_text)) for i in range(1, 9))
    cases = tuple(
        NumberedSource(
            9 + i, FakeHit(f"c{i}", "cases", f"案例 c{i}", "", "", 0, 0, "", "案情" * 300, kind="判决")
        )
        for i in range(5)
    )
    ctx = GenerationContext("对方违约，我可以解除合同吗？", "general", sources + cases)
    body = _body(compose(ctx))
    assert body.index("**结论**") < body.index("“")
    assert len(body) <= BODY_CHARS + 400  # the conclusion and the first quotes always stay
    assert "案情案情" not in body  # the cases' facts stay on their cards


def test_threshold_question_is_answered_by_its_interpretation_article():
    law = NumberedSource(
        1, _hit("刑法", 264, "盗窃公私财物，数额较大的，处三年以下有期徒刑。（虚构测试条文）")
    )
    interp_text = (
        "盗窃公私财物价值一千元至三千元以上的，应当认定为刑法第二百六十四条规定的“数额较大”。（虚构测试条文）\n"
        "各省、自治区、直辖市高级人民法院可以确定本地区执行的具体数额标准。（虚构测试条文）"
    )
    title = "最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释"
    interp = NumberedSource(2, _hit(title, 1, interp_text, "interpretations", title))
    ctx = GenerationContext("盗窃罪数额较大的标准是多少？", "sentencing", (law, interp), charge="盗窃罪")
    body = _body(compose(ctx))
    conclusion = body[: body.index("\n\n")]
    assert f"《{title}》第1条[2]" in conclusion and "一千元至三千元以上" in conclusion


def test_charge_opinion_is_cited_by_its_one_line():
    items = "　".join(f"{i}．虚构{i}罪（第{i}条）" for i in range(100, 400))
    opinion = FakeHit(
        "opinion", "interpretations", "《最高人民检察院关于适用刑法分则规定的犯罪的罪名的意见》全文",
        "最高人民检察院关于适用刑法分则规定的犯罪的罪名的意见", "罪名的意见", 0, 0, "全文", items, kind="司法解释",
    )  # fmt: skip

    class OneDocument:
        def search(self, query, kind=None, k=None, where=None):
            return [opinion]

    name, hit = charge_for_article(OneDocument(), 217)
    assert name == "虚构217罪" and hit.text == "217．虚构217罪（第217条）"


def test_what_exceeds_the_budget_goes_to_the_source_cards():
    sources = tuple(
        NumberedSource(i, _hit("民法典", 560 + i, "当事人可以解除合同。" * 30)) for i in range(1, 5)
    )
    interps = tuple(
        NumberedSource(
            4 + i, _hit(f"解释{i}", i, "解除合同的通知到达对方时合同解除。" * 10, "interpretations")
        )
        for i in range(1, 4)
    )
    blocks = compose(GenerationContext("可以解除合同吗？", "general", sources + interps), body_chars=300)
    body = _body(blocks)
    assert body.startswith("**结论**") and "见所附来源" in body
    assert "[5]" in body.split("**依据**")[-1]  # the sources left out are named, so the reader can open them


def test_model_prompt_asks_for_the_conclusion_first_and_carries_the_answering_paragraph():
    from assistant.agent.prompts import build_messages

    long_damages = DAMAGES.replace(
        "（虚构测试条文）\n人民法院", "（虚构测试条文）" + "说明。" * 200 + "\n人民法院"
    )
    source = NumberedSource(1, _hit("商标法", 63, long_damages))
    (ref,) = parse_citations("刑法第五百条")
    missing = ArticleStatus(
        ref, "nonexistent", "《中华人民共和国刑法》没有第五百条，该法最后一条是第四百五十二条"
    )
    ctx = GenerationContext("商标侵权损失难以确定时能判多少赔偿？", "ip", (source,), asked=(missing,))
    system, user = build_messages(ctx, [])
    assert "先用一到三句话直接回答" in system["content"] and "1200" in system["content"]
    assert "五百万元以下" in user["content"]  # the 第三款 survives the cut of a long article
    assert "没有第五百条" in user["content"]


# A fictional article shaped like 劳动合同法第四十二条: a list whose items mean nothing without its lead-in.
BARS = (
    "劳动者有下列情形之一的，用人单位不得解除劳动合同：（一）患职业病的；（二）因工负伤的；"
    "（三）女职工在孕期、产期、哺乳期的；（四）法律、行政法规规定的其他情形。（虚构测试条文）"
)


def test_a_list_article_is_concluded_with_its_lead_in_and_the_item_the_question_reads_as():
    """A lawyer's review (stop 18): 「做了3年行政…怀孕…让我走人」 was concluded with 「（六）法律、行政法规规定的
    其他情形」 (行政 is in the question). The item is chosen by the question in the law's words (the lexicon's
    legal words, `in_law_words`), and quoted after the words that list it."""
    question = "我在公司做了3年行政，刚查出怀孕，公司让我月底走人，合法吗？"
    ctx = GenerationContext(
        question,
        "general",
        (NumberedSource(1, _hit("劳动合同法", 42, BARS)),),
        in_law_words=f"{question} 女职工在孕期、产期、哺乳期",
    )
    conclusion = "".join(compose(ctx)).split("**依据**")[0]
    assert "用人单位不得解除劳动合同：……（三）女职工在孕期、产期、哺乳期的" in conclusion
    assert "其他情形" not in conclusion
    # where the words tell the items apart by almost nothing (孕期 against 行政), the short list is quoted whole,
    # the item asked about in it, never another item alone
    tied = GenerationContext(question, "general", ctx.sources, in_law_words=f"{question} 孕期")
    whole = "".join(compose(tied)).split("**依据**")[0]
    assert (
        "不得解除劳动合同：（一）患职业病的；（二）因工负伤的；（三）女职工在孕期、产期、哺乳期的；（四）"
        in whole
    )
    # without the law's words the question's own 行政 chooses the wrong item: the lead-in still stands before it
    plain = _body(compose(GenerationContext(question, "general", ctx.sources)))
    assert "不得解除劳动合同：……" in plain.split("**依据**")[0]


def test_each_other_ask_gets_its_own_line_from_the_article_its_search_led_with():
    licence = "醉酒驾驶机动车的，吊销机动车驾驶证，五年内不得重新取得机动车驾驶证。（虚构测试条文）"
    sources = (
        NumberedSource(1, _hit("刑法", 133, "在道路上醉酒驾驶机动车的，处拘役，并处罚金。（虚构测试条文）")),
        NumberedSource(2, _hit("道路交通安全法", 91, licence)),
    )
    question = "喝了酒开车被查了，会坐牢吗？驾照怎么办？"
    ctx = GenerationContext(question, "general", sources, asides=(("驾照怎么办？", 2),))
    text = "".join(compose(ctx))
    line = "**另问「驾照怎么办」**：依照《中华人民共和国道路交通安全法》第91条[2]，醉酒驾驶机动车的"
    assert line in text and text.index("**结论**") < text.index("**另问") < text.index("**依据**")


def test_similar_judgments_of_another_tier_are_counted_not_listed():
    """A lawyer's review (stop 18): for 60万 of fraud (数额特别巨大, 十年以上) the answer listed judgments of 60, 12 and
    65 months, which contradict its own estimate. Only those within the tier's statutory range are listed."""
    from types import SimpleNamespace

    def case(n, months=None, life=False):
        meta = {"charges": ["诈骗"], "term_months": months, "life_imprisonment": life}
        hit = FakeHit(f"c{n}", "cases", f"案例 c{n}", "", "", 0, 0, "", "案情", kind="判决", metadata=meta)
        return NumberedSource(n, hit)

    main = NumberedSource(
        1, _hit("刑法", 266, "诈骗公私财物，数额特别巨大的，处十年以上有期徒刑。（虚构测试条文）")
    )
    estimate = SimpleNamespace(charges=[SimpleNamespace(statutory=(120.0, 180.0))])
    sources = (main, case(2, 60), case(3, 132), case(4, 12), case(5, life=True))
    ctx = GenerationContext("骗了60万会判几年？", "sentencing", sources, sentencing=estimate, charge="诈骗罪")
    line = next(b for b in compose(ctx, body_chars=10_000) if "**类似判决**" in b)
    assert "[3] 诈骗罪；有期徒刑132个月" in line and "[5] 诈骗罪；无期徒刑" in line
    assert "60个月" not in line and "12个月" not in line and "另有2件" in line


def test_a_rule_is_never_quoted_without_its_proviso():
    """A lawyer's review (stop 18): 涉彩礼规定第五条 was shown as 「……人民法院一般不予支持」, cut before the 但书 that
    decides a short marriage with a high 彩礼."""
    from assistant.backends.excerpts import best_sentence

    rule = (
        "双方已办理结婚登记且共同生活，离婚时一方请求返还彩礼的，人民法院一般不予支持。"
        "但是，共同生活时间较短且彩礼数额过高的，人民法院可以确定是否返还以及返还的具体比例。（虚构测试条文）"
    )
    chosen = best_sentence(rule, "领了结婚证一起生活了不到一年，离婚要退彩礼吗")
    assert "一般不予支持。但是，共同生活时间较短" in chosen
    assert best_sentence("甲的，处罚款。乙的，处警告。", "甲") == "甲的，处罚款。"


def test_a_list_is_quoted_with_its_own_items_never_a_later_paragraph_s():
    """A lawyer's review (stop 24): 交通肇事解释第二条 was quoted 「处3年以下有期徒刑或者拘役：……（二）无驾驶资格驾驶机动车辆
    的」, 第一款's lead-in with 第二款's item."""
    from assistant.backends.excerpts import best_sentence

    text = (
        "交通肇事具有下列情形之一的，处3年以下有期徒刑或者拘役：\n（一）死亡1人或者重伤3人以上，负事故全部或者主要责任的；\n"
        "（二）死亡3人以上，负事故同等责任的。\n交通肇事致1人以上重伤，负事故全部或者主要责任，并具有下列情形之一的，"
        "以交通肇事罪定罪处罚：\n（一）酒后、吸食毒品后驾驶机动车辆的；\n（二）无驾驶资格驾驶机动车辆的。"
    )
    said = best_sentence(text, "没有驾照开车撞了人，全责")
    assert "无驾驶资格" not in said and said.startswith("交通肇事具有下列情形之一的")
    assert "死亡1人" in best_sentence(text, "开车撞死1人，负全部责任")
