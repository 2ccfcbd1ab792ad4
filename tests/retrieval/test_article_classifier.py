"""The question → article classifier trained on the question bank (retrieval.article_classifier), alone and as
one ranking of the search's fusion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.article_classifier import ArticleClassifier, features
from retrieval.search import Searcher


def _chars(text: str) -> list[str]:
    return list(text)


# Two articles, told in everyday words; the questions tested below are in none of them.
WAGES = [
    "公司拖欠了三个月工资，我能马上辞职吗",
    "老板一直不发工资，我走人还能要补偿吗",
    "单位不给交社保，我想解除合同可以吗",
    "欠薪半年了，辞职的话公司要赔钱吗",
]
DRINK = [
    "喝了酒开车被交警查到会坐牢吗",
    "聚餐喝了几杯开车回家被拦下来了",
    "酒驾被抓，血液里酒精超标，会判刑吗",
    "晚上喝完啤酒开车，查出来是醉驾",
]


def _trained(**kw) -> ArticleClassifier:  # type: ignore[no-untyped-def]
    texts = [*WAGES, *DRINK]
    labels = ["劳动合同法|38|0"] * len(WAGES) + ["刑法|133|1"] * len(DRINK)
    return ArticleClassifier.train(texts, labels, _chars, dim=16, epochs=30, **kw)


def test_features_are_character_ngrams_and_words() -> None:
    found = features("酒 驾", lambda t: ["酒驾"])
    assert {"c酒", "c驾", "c酒驾", "w酒驾"} <= set(found)
    assert not any(" " in f for f in found)


def test_a_question_in_other_words_is_classified_to_its_article() -> None:
    clf = _trained()
    labels, confidence = clf.ranked("我老公喝酒以后开车被交警拦住了，会怎么处理", _chars, 2)
    assert labels[0] == "刑法|133|1" and confidence > 0.5
    labels, _ = clf.ranked("公司好几个月不发工资，我可以直接辞职要补偿吗", _chars, 2)
    assert labels[0] == "劳动合同法|38|0"


def test_a_question_with_no_feature_of_the_bank_is_given_nothing() -> None:
    assert _trained().ranked("ABC", _chars, 5) == ([], 0.0)


def test_training_is_repeatable_and_the_saved_classifier_scores_alike(tmp_path: Path) -> None:
    one, two = _trained(), _trained()
    q = "酒后开车会被吊销驾照吗"
    assert np.allclose(one.probabilities(q, _chars), two.probabilities(q, _chars))
    path = tmp_path / "classifier.npz"
    one.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["classifier.npz"]  # no temporary file left
    loaded = ArticleClassifier.load(path)
    assert np.allclose(loaded.probabilities(q, _chars), one.probabilities(q, _chars), atol=1e-3)
    assert loaded.ranked(q, _chars, 2)[0] == one.ranked(q, _chars, 2)[0]


def test_members_average_the_probabilities_of_classifiers_trained_from_successive_seeds(
    tmp_path: Path,
) -> None:
    q = "老公酒后开车被查了，会怎么处理"
    both = _trained(members=2)
    alone = [_trained(seed=0), _trained(seed=1)]
    assert both.table.shape[0] == 2
    mean = (alone[0].probabilities(q, _chars) + alone[1].probabilities(q, _chars)) / 2
    assert np.allclose(both.probabilities(q, _chars), mean, atol=1e-5)
    assert not np.allclose(alone[0].probabilities(q, _chars), alone[1].probabilities(q, _chars))
    both.save(tmp_path / "c.npz")
    assert np.allclose(ArticleClassifier.load(tmp_path / "c.npz").probabilities(q, _chars), mean, atol=1e-3)
    with pytest.raises(ValueError, match="one member"):
        _trained(members=0)


def test_a_file_that_is_not_a_classifier_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "classifier.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises((OSError, ValueError)):
        ArticleClassifier.load(path)
    np.savez(path, features=np.array(["c酒"]), idf=np.ones(2), table=np.ones((1, 2, 4)),
             weight=np.ones((1, 4, 2)), bias=np.ones((1, 2)), classes=np.array(["a", "b"]))  # fmt: skip
    with pytest.raises(ValueError, match="do not match"):
        ArticleClassifier.load(path)
    # one of the single-model files earlier versions wrote: retrained, not misread
    np.savez(path, features=np.array(["c酒"]), idf=np.ones(1), table=np.ones((1, 4)), weight=np.ones((4, 2)),
             bias=np.ones(2), classes=np.array(["a", "b"]))  # fmt: skip
    with pytest.raises(ValueError, match="no members"):
        ArticleClassifier.load(path)


def test_one_article_or_mismatched_labels_cannot_be_trained() -> None:
    with pytest.raises(ValueError, match="two articles"):
        ArticleClassifier.train(WAGES, ["a"] * len(WAGES), _chars)
    with pytest.raises(ValueError):
        ArticleClassifier.train(WAGES, ["a", "b"], _chars)


# --- in the search ---------------------------------------------------------------------------------------

TWO_ARTICLE_BANK = (
    '[[ask]]\narticle = "示例刑法第一百三十三条"\n'
    'questions = ["晚上聚餐喝了几杯开车回家被交警拦了会怎样", "喝完酒开车被查出来要坐牢吗", "酒后驾车撞了人要负什么责任"]\n'
    '[[ask]]\narticle = "示例刑法第二百六十四条"\n'
    'questions = ["在超市偷了几瓶洗发水被抓了", "趁人不注意拿走别人的手机算什么", "偷了同事的钱包里面有两千块"]\n'
)


def _searcher(built_index, fake_settings, folder: Path, **update) -> Searcher:  # type: ignore[no-untyped-def]
    data, _, embedder = built_index
    emb, vs, ret = fake_settings
    settings = ret.model_copy(
        update={
            "question_bank": str(folder),
            "lexicons": (),
            "bank_weight": 0.0,
            "classifier_epochs": 30,
            **update,
        }
    )
    return Searcher.open(data, emb, vs, settings, embedder=embedder)


def _bank(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    (folder / "01-bank.toml").write_text(body, encoding="utf-8")
    return folder


def test_the_classifier_ranks_the_bank_article_of_a_question_in_other_words(
    built_index, fake_settings, tmp_path
) -> None:
    folder = _bank(tmp_path, TWO_ARTICLE_BANK)
    searcher = _searcher(built_index, fake_settings, folder)
    scope = ("statutes", "interpretations", "cases")
    ranked, confidence = searcher._classified("同事的钱包被我偷偷拿走了，会怎么样", scope, None)
    assert confidence > 0.5
    assert searcher.entries[ranked[0]]["record"]["number"] == 264
    # off: never trained, no ranking, no cache
    off = _searcher(built_index, fake_settings, folder, classifier_weight=0.0)
    assert off._classified("同事的钱包被我偷偷拿走了", scope, None) == ([], 0.0)


def test_the_classifier_is_cached_and_a_broken_cache_is_trained_again(
    built_index, fake_settings, tmp_path
) -> None:
    data, _, _ = built_index
    folder = _bank(tmp_path, TWO_ARTICLE_BANK)
    for old in (data / "index" / "cache").glob("classifier-*.npz"):
        old.unlink()
    first = _searcher(built_index, fake_settings, folder)
    first.prepare()
    (cached,) = (data / "index" / "cache").glob("classifier-*.npz")
    q = "趁人不注意偷了一部手机"
    expected = [h.record_id for h in first.search(q, k=3)]
    cached.write_bytes(b"broken")
    again = _searcher(built_index, fake_settings, folder)
    assert [h.record_id for h in again.search(q, k=3)] == expected
    assert ArticleClassifier.load(cached).classes.tolist()  # written whole again


def test_a_bank_of_one_article_trains_no_classifier(built_index, fake_settings, tmp_path) -> None:
    folder = _bank(
        tmp_path, '[[ask]]\narticle = "示例刑法第一百三十三条"\nquestions = ["喝完酒开车被查出来要坐牢吗"]\n'
    )
    searcher = _searcher(built_index, fake_settings, folder)
    assert searcher._classifier() == (None, {})


def test_the_classifier_names_its_article_to_lead_only_when_it_is_sure(
    built_index, fake_settings, tmp_path
) -> None:
    folder = _bank(tmp_path, TWO_ARTICLE_BANK)
    q = "同事的钱包被我偷偷拿走了，会怎么样"
    sure = _searcher(built_index, fake_settings, folder, classifier_lead_probability=0.5)
    found = sure.classifier_lead(q)
    assert found is not None and found[0][1:] == (264, 0) and found[1] >= 0.5
    assert (
        _searcher(built_index, fake_settings, folder, classifier_lead_probability=1.5).classifier_lead(q)
        is None
    )
    assert (
        _searcher(built_index, fake_settings, folder, classifier_lead_probability=0.5).classifier_lead("ABC")
        is None
    )


def test_the_classifier_also_learns_the_lexicon_words_and_the_text_of_each_bank_article(
    built_index, fake_settings, tmp_path
) -> None:
    """Besides the bank's questions: each lexicon entry's everyday words, for the first article its source
    names when the bank asks about that article, and each bank article's own text."""
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(
        '[[term]]\nwords = ["顺(?:手|走)", "扒窃"]\nlegal = "盗窃"\nsource = "示例刑法第二百六十四条"\n'
        '[[term]]\nwords = ["打人"]\nlegal = "故意伤害"\nsource = "示例刑法第二百三十四条"\n',  # not in the bank
        encoding="utf-8",
    )
    searcher = _searcher(
        built_index, fake_settings, _bank(tmp_path, TWO_ARTICLE_BANK), lexicons=(str(lexicon),)
    )
    law = searcher.resolve_law("示例刑法")
    labels = {f"{law}|133|0", f"{law}|264|0"}
    texts, found = searcher._classifier_examples(labels)
    theft = searcher.get_article("示例刑法", 264)
    drink = searcher.get_article("示例刑法", 133)
    assert theft is not None and drink is not None
    assert list(zip(texts, found, strict=True)) == [
        ("顺 手 走 扒窃", f"{law}|264|0"),
        (drink.text, f"{law}|133|0"),
        (theft.text, f"{law}|264|0"),
    ]
    classifier, positions = searcher._classifier()
    assert classifier is not None and set(positions) == labels


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("没(?:有)?(?:交|缴)社保", "没 有 交 缴 社保"),
        ("提前.{0,4}告诉公司", "提前 告诉公司"),
        ("打(?!工)人", "打 人"),
        ("(?:七|7)天无理由", "七 7 天无理由"),
        ("12315", "12315"),
    ],
)
def test_a_pattern_is_read_as_its_words(pattern: str, text: str) -> None:
    from retrieval.lexicon import literal_text

    assert literal_text(pattern) == text
