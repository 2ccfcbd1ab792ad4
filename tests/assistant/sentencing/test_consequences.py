"""What other laws attach to a crime besides its sentence (rules.ConsequenceRule, `consequences` in
guideline_2021.toml): each rule's words are its article's paragraph in the corpus, each holds for the facts its
condition names and no others, and the answer's aside about the licence quotes that paragraph, not another one of
the same article (「驾照还能保住吗」 was answered with 第九十一条's 营运 paragraph for a private car)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.backends.base import GenerationContext, NumberedSource
from assistant.backends.extractive import compose
from assistant.sentencing import estimate_sentence
from assistant.sentencing.rules import RulesError, load_rules
from assistant.sentencing.trace import CONSEQUENCE, Step
from corpora.numerals import cn_to_int
from tests.assistant.assistant_fakes import FakeHit

_BASIS = re.compile(r"^(.+?)第([零〇一二三四五六七八九十百]+)条第([一二三四五六七八九十]+)款$")


def _paragraph(shared_corpus: Path, law: str, number: int, paragraph: int) -> str:
    """The paragraph of the law's current file in the corpus (the newest dated file of that name)."""
    files = sorted((shared_corpus / "laws").rglob(f"{law}(*).md"))
    assert files, law
    text = files[-1].read_text(encoding="utf-8")
    start = re.search(rf"^第{_cn(number)}条 ", text, re.M)
    assert start is not None
    end = re.search(r"^第[零〇一二三四五六七八九十百]+条 |^#", text[start.end() :], re.M)
    body = text[start.end() : start.end() + (end.start() if end else len(text))]
    return [p.strip() for p in body.split("\n") if p.strip()][paragraph - 1]


def _cn(number: int) -> str:
    from corpora.numerals import int_to_cn

    return int_to_cn(number)


def test_every_consequence_quotes_its_paragraph_word_for_word(shared_corpus: Path) -> None:
    rules = [c for crime in load_rules().crimes.values() for c in crime.consequences]
    assert len(rules) >= 5
    for rule in rules:
        m = _BASIS.match(rule.basis)
        assert m is not None, rule.basis
        law, number, paragraph = m.group(1), cn_to_int(m.group(2)), cn_to_int(m.group(3))
        assert _paragraph(shared_corpus, law, number, paragraph) == rule.text, rule.basis


def _after(fact: str, charge: str, article: int) -> list[str]:
    estimate = estimate_sentence(fact, [charge], [article])
    return [s.basis for c in estimate.charges for s in c.steps if s.name == CONSEQUENCE]


@pytest.mark.parametrize(
    ("fact", "charge", "bases"),
    [
        # 醉酒 (80 mg/100ml and more): the licence revoked, five years (第九十一条第二款)
        ("被告人醉酒驾驶机动车，血液酒精含量150mg/100ml", "危险驾驶", ["道路交通安全法第九十一条第二款"]),
        # a taxi is a 营运 vehicle: ten years (第四款)
        ("被告人醉酒驾驶出租车载客，血液酒精含量150mg/100ml", "危险驾驶", ["道路交通安全法第九十一条第四款"]),
        # below 80 there is no crime, so no conviction to attach anything to (the short-of-crime step says 第一款)
        ("被告人饮酒后驾驶机动车，血液酒精含量60mg/100ml", "危险驾驶", []),
        (
            "被告人驾驶小轿车发生交通事故，致一人死亡，负事故全部责任",
            "交通肇事",
            ["道路交通安全法第一百零一条第一款"],
        ),
        # 逃逸: revoked for life (第一百零一条第二款)
        (
            "被告人驾驶小轿车发生交通事故致一人死亡，负全部责任，后驾车逃逸",
            "交通肇事",
            ["道路交通安全法第一百零一条第二款"],
        ),
        # drink and a crash that is a crime: for life (第九十一条第五款)
        (
            "被告人酒后驾驶小轿车发生交通事故，致一人死亡，负事故全部责任",
            "交通肇事",
            ["道路交通安全法第九十一条第五款"],
        ),
        # an 电动自行车 is no 机动车: no licence to revoke
        ("被告人驾驶电动自行车发生交通事故，致一人死亡，负事故全部责任", "交通肇事", []),
        # a crime with no such rule gets none
        ("被告人盗窃他人财物价值5000元", "盗窃", []),
    ],
)
def test_a_consequence_holds_for_the_facts_its_condition_names(
    fact: str, charge: str, bases: list[str]
) -> None:
    article = {"危险驾驶": 133, "交通肇事": 133, "盗窃": 264}[charge]
    assert _after(fact, charge, article) == bases


def test_the_conclusion_says_the_consequence_after_the_sentence_in_the_law_s_words() -> None:
    estimate = estimate_sentence("被告人醉酒驾驶机动车，血液酒精含量150mg/100ml", ["危险驾驶"], [133])
    text = estimate.conclusion()
    assert text.index("拘役") < text.index("刑罚之外：依照道路交通安全法第九十一条第二款，醉酒驾驶机动车的")
    assert "五年内不得重新取得机动车驾驶证" in text and "营运" not in text
    assert (
        "“" not in text
    )  # a conclusion cites in the law's words, without quotation marks: the quotes follow it


def test_a_malformed_consequence_is_refused_with_the_crime_s_name(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    tier = '{ when = "base", start = [1, 2], statutory = [1, 6], basis = "x" }'
    for consequence in ('{ basis = "某法第一条第一款" }', '{ basis = "某法第一条第一款", text = "x", at_least = 80 }',
                        '{ basis = "某法第一条第一款", text = "x", words = "(" }'):  # fmt: skip
        bad.write_text(
            f'[crimes."某罪"]\ntiers = [{tier}]\nconsequences = [{consequence}]\n', encoding="utf-8"
        )
        with pytest.raises(RulesError, match="某罪"):
            load_rules(bad)


def test_the_licence_aside_quotes_the_paragraph_the_facts_meet_not_another_of_the_article() -> None:
    article = (
        "饮酒后驾驶机动车的，处暂扣六个月机动车驾驶证，并处一千元以上二千元以下罚款。\n"
        "醉酒驾驶机动车的，由公安机关交通管理部门约束至酒醒，吊销机动车驾驶证，依法追究刑事责任；五年内不得重新取得机动车驾驶证。\n"
        "饮酒后驾驶营运机动车的，处十五日拘留，并处五千元罚款，吊销机动车驾驶证，五年内不得重新取得机动车驾驶证。"
    )
    title = "中华人民共和国道路交通安全法"
    hit = FakeHit(
        "道交#91", "statutes", f"《{title}》第九十一条", title, "道路交通安全法", 91, 0, "第九十一条", article
    )
    crime = FakeHit("刑法#133-1", "statutes", "《中华人民共和国刑法》第一百三十三条之一", "中华人民共和国刑法", "刑法",
                    133, 1, "第一百三十三条之一", "醉酒驾驶机动车的，处拘役，并处罚金。")  # fmt: skip
    second = article.split("\n")[1]
    step = Step(CONSEQUENCE, None, "道路交通安全法第九十一条第二款", second)
    estimate = SimpleNamespace(charges=[SimpleNamespace(steps=[step], statutory=(1.0, 6.0))])
    question = "喝了半斤白酒开车被查，抽血150毫克，会怎么判？驾照还能保住吗？"
    ctx = GenerationContext(
        question, "sentencing", (NumberedSource(1, crime), NumberedSource(2, hit)), sentencing=estimate,
        charge="危险驾驶罪", in_law_words=f"{question} 饮酒后驾驶机动车的 醉酒驾驶机动车的 吊销机动车驾驶证",
        asides=(("驾照还能保住吗？", 2),),
    )  # fmt: skip
    text = "".join(compose(ctx))
    assert "**另问「驾照还能保住吗」**：依照道路交通安全法第九十一条第二款[2]，醉酒驾驶机动车的" in text
    assert "营运" not in text.split("**依据**")[0]
