from __future__ import annotations

from assistant.ip_analysis import analyse, identify_rights


def test_identify_rights():
    assert identify_rights("商标侵权的赔偿数额怎么确定？")[0].name == "注册商标专用权"
    assert identify_rights("专利法规定的不视为侵犯专利权的情形有哪些？")[0].name == "专利权"
    assert identify_rights("前员工带走客户名单，是否侵犯商业秘密？")[0].name == "商业秘密"
    assert identify_rights("别人盗版我的软件怎么办？")[0].name == "著作权"
    assert identify_rights("房东不退押金") == []


def test_each_step_rests_on_the_rights_own_law(searcher):
    right = identify_rights("专利法规定的不视为侵犯专利权的情形有哪些？")[0]
    findings = analyse("专利法规定的不视为侵犯专利权的情形有哪些？", searcher, right)
    steps = {spec.title: hits for spec, hits in findings.steps}
    assert [h.number for h in steps["抗辩与例外"]] == [75]
    assert all(h.law_id == "专利法" for hits in steps.values() for h in hits)


def test_patent_answer_cites_the_exemptions_under_defences(service_with):
    answer = service_with().answer("专利法规定的不视为侵犯专利权的情形有哪些？")
    n = {(s.hit.law_id, s.hit.number): s.n for s in answer.sources if s.hit.law_id}[("专利法", 75)]
    defences = answer.text[answer.text.index("抗辩与例外") : answer.text.index("责任与赔偿")]
    assert f"《中华人民共和国专利法》第七十五条[{n}]" in defences and "不视为侵犯专利权" in defences
    # the liability step has no patent damages article in this fictional index, and says so
    assert "检索来源中没有找到针对这一步的条文" in answer.text[answer.text.index("责任与赔偿") :]
