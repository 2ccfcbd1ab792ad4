"""The question bank (retrieval/question_bank/*.toml): client questions written article by article from the
law text, each with the article a lawyer cites first; the nearest bank questions vote in every search."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from corpora.citations import parse_citations
from retrieval.question_bank import BANK_DIR, BankError, bank_questions, read_bank
from retrieval.search import Searcher
from retrieval.settings import RetrievalSettings


def _searcher(built_index, fake_settings, **update) -> Searcher:  # type: ignore[no-untyped-def]
    data, _, embedder = built_index
    emb, vs, ret = fake_settings
    return Searcher.open(data, emb, vs, ret.model_copy(update=update), embedder=embedder)


def _bank(tmp_path: Path, body: str, name: str = "01-bank.toml") -> Path:
    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return folder


DRINK_BANK = (
    '[[ask]]\narticle = "示例刑法第一百三十三条"\n'
    'questions = ["晚上聚餐喝了几杯开车回家被交警拦了会怎样", "喝完酒开车被查出来要坐牢吗"]\n'
)
DRINK = "朋友聚会喝了几杯开车回家被交警拦下来了会怎样？"


def test_every_bank_article_is_a_current_article_of_the_corpus(shared_corpus: Path) -> None:
    from corpora.loader import load_corpus

    entries = read_bank(BANK_DIR)
    assert len(entries) >= 1500, "the bank covers the laws people ask about, article by article"
    held: set[tuple[str, int, int]] = set()
    for a in load_corpus(shared_corpus, cases=False).articles:
        if a.current and a.numbering == "article":
            held.add((a.law_title, a.number, a.suffix))
    titles = {title for title, _, _ in held}

    def found(cite: str) -> bool:
        (ref,) = parse_citations(cite)
        law = ref.law or ""
        named = [t for t in titles if t == law or t.endswith(law) or t == f"中华人民共和国{law}"]
        return any((t, ref.number, ref.suffix) in held for t in named)

    missing = [c for e in entries for c in (e.article, *e.also) if not found(c)]
    assert not missing, missing[:10]


def test_bank_questions_name_no_article_and_are_written_once() -> None:
    entries = read_bank(BANK_DIR)
    numbered = [q for e in entries for q in e.questions if re.search(r"第[一二三四五六七八九十百千零]+条", q)]
    assert not numbered, numbered[:5]
    texts = [q for e in entries for q in e.questions]
    merged = bank_questions(entries)
    assert len(merged) == len(set(texts))  # a question written under two entries votes for both, once
    assert all(1 <= len(e.questions) <= 6 for e in entries)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[ask]]\nquestions = ["偷了东西会怎样"]\n', "needs an article and questions"),
        ('[[ask]]\narticle = "刑法第二百六十四条"\n', "needs an article and questions"),
        (
            '[[ask]]\narticle = "第二百六十四条"\nquestions = ["偷了东西会怎样"]\n',
            "names no article of a law",
        ),
        (
            '[[ask]]\narticle = "刑法第二百六十四条"\nalso = ["盗窃罪"]\nquestions = ["偷东西"]\n',
            "names no article",
        ),
        ("[[ask]\n", "cannot read the question bank"),
    ],
)
def test_a_bad_bank_file_is_one_clear_error_naming_it(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(BankError, match=message):
        read_bank(_bank(tmp_path, body))


def test_a_bank_file_in_another_encoding_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "01.toml").write_bytes(DRINK_BANK.encode("gb18030"))
    with pytest.raises(BankError, match="01.toml"):
        read_bank(folder)


def test_an_empty_bank_folder_is_an_empty_bank_and_a_missing_one_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert read_bank(tmp_path / "empty") == []
    with pytest.raises(BankError, match="does not exist"):
        read_bank(tmp_path / "nowhere")


def test_an_edited_bank_file_is_read_again_and_only_its_new_entries_are_kept(tmp_path: Path) -> None:
    from retrieval import question_bank

    folder = _bank(tmp_path, '[[ask]]\narticle = "刑法第二百六十四条"\nquestions = ["偷了东西会怎样"]\n')
    assert read_bank(folder)[0].questions == ("偷了东西会怎样",)
    file = next(folder.glob("*.toml"))
    file.write_text(
        '[[ask]]\narticle = "刑法第二百六十四条"\nquestions = ["偷了同事的手机"]\n', encoding="utf-8"
    )
    assert read_bank(folder)[0].questions == ("偷了同事的手机",)  # another size: parsed again
    assert [k for k in question_bank._PARSED if k.startswith(str(folder.resolve()))] == [str(file.resolve())]


def test_the_nearest_bank_questions_bring_their_article_first(built_index, fake_settings, tmp_path) -> None:
    """The query shares its situation (喝了几杯开车…交警拦) with a bank question written for 第一百三十三条;
    without the bank the fictional corpus's 第一百三十三条之一 (醉酒驾驶) comes first."""
    folder = _bank(tmp_path, DRINK_BANK)
    common = {"lexicons": (), "bank_similarity_range": (0.0, 0.0)}
    without = _searcher(built_index, fake_settings, question_bank="", **common)
    with_bank = _searcher(built_index, fake_settings, question_bank=str(folder), bank_weight=5.0, **common)
    first = with_bank.search(DRINK, k=3)[0].citation
    assert first == "《中华人民共和国示例刑法》第一百三十三条"
    assert without.search(DRINK, k=3)[0].citation != first
    # an unrelated question finds no bank question sharing a word, and its ranking is the plain one's
    other = "合同违约金约定过高怎么办"
    assert [h.record_id for h in with_bank.search(other, k=3)] == [
        h.record_id for h in without.search(other, k=3)
    ]


def test_bank_questions_for_articles_the_index_lacks_are_left_out(
    built_index, fake_settings, tmp_path
) -> None:
    folder = _bank(
        tmp_path, '[[ask]]\narticle = "劳动合同法第三十八条"\nquestions = ["公司拖欠工资我能走人吗"]\n'
    )
    searcher = _searcher(built_index, fake_settings, question_bank=str(folder), lexicons=())
    assert searcher.search("公司拖欠工资我能走人吗", k=3)  # answered, from the index alone


def test_the_encoded_bank_is_cached_and_a_changed_bank_is_encoded_again(
    built_index, fake_settings, tmp_path
) -> None:
    data, _, _ = built_index
    folder = _bank(tmp_path, DRINK_BANK)
    _searcher(built_index, fake_settings, question_bank=str(folder), lexicons=()).search(DRINK, k=1)
    cached = sorted((data / "index" / "cache").glob("bank-*.npy"))
    assert len(cached) == 1
    (folder / "01-bank.toml").write_text(DRINK_BANK.replace("会怎样", "会不会被拘留"), encoding="utf-8")
    _searcher(built_index, fake_settings, question_bank=str(folder), lexicons=()).search(DRINK, k=1)
    again = sorted((data / "index" / "cache").glob("bank-*.npy"))
    assert len(again) == 1 and again != cached  # the old one is removed
    # another build of the index (a retrained model under the same settings) encodes it again
    rebuilt = _searcher(built_index, fake_settings, question_bank=str(folder), lexicons=())
    rebuilt.manifest["build_id"] = "another-build"
    rebuilt.search(DRINK, k=1)
    assert sorted((data / "index" / "cache").glob("bank-*.npy")) not in (cached, again)


def test_a_read_only_cache_folder_still_searches_with_the_bank(built_index, fake_settings, tmp_path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes through a read-only folder")
    data, _, _ = built_index
    cache = data / "index" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o500)
    try:
        folder = _bank(tmp_path, DRINK_BANK)
        searcher = _searcher(
            built_index,
            fake_settings,
            question_bank=str(folder),
            bank_weight=5.0,
            lexicons=(),
            bank_similarity_range=(0.0, 0.0),
        )
        assert searcher.search(DRINK, k=1)[0].citation == "《中华人民共和国示例刑法》第一百三十三条"
    finally:
        cache.chmod(0o700)


def test_a_near_restatement_of_a_bank_question_names_its_article_to_lead(
    built_index, fake_settings, tmp_path
) -> None:
    folder = _bank(tmp_path, DRINK_BANK)
    searcher = _searcher(built_index, fake_settings, question_bank=str(folder), lexicons=())
    law_id = searcher.resolve_law("示例刑法")
    found = searcher.bank_lead("喝完酒开车被查出来要坐牢吗")  # the bank's own words: cosine 1
    assert found is not None and found[0] == (law_id, 133, 0) and found[1] > 0.99
    assert searcher.bank_lead("合同违约金约定过高怎么办") is None
    off = _searcher(
        built_index, fake_settings, question_bank=str(folder), lexicons=(), bank_lead_similarity=2.0
    )
    assert off.bank_lead("喝完酒开车被查出来要坐牢吗") is None


THEFT_BANK = (
    '[[ask]]\narticle = "最高人民法院关于审理示例盗窃案件适用法律若干问题的解释第一条"\n'
    'questions = ["偷了别人多少钱才够得上判刑", "顺手拿了同事一千多块钱会被判刑吗"]\n'
)


def test_the_article_the_bank_names_keeps_its_whole_score_whatever_its_kind(
    built_index, fake_settings, tmp_path
) -> None:
    """An interpretation's article is weighed at kind_factors' 司法解释 (0.6) against the statutes; the one the
    bank names for the question (bank_unweighed) is the article a lawyer cites, and keeps its whole score."""
    folder = _bank(tmp_path, THEFT_BANK)
    common = {"question_bank": str(folder), "lexicons": (), "bank_similarity_range": (0.0, 0.0)}
    query = "偷了别人多少钱才够得上判刑？"

    def score(unweighed: int) -> float:
        searcher = _searcher(built_index, fake_settings, bank_unweighed=unweighed, **common)
        hits = searcher.search(query, k=10)
        return next(h.score for h in hits if h.citation.endswith("解释》第一条"))

    factor = RetrievalSettings().kind_factors["司法解释"]
    assert score(1) == pytest.approx(score(0) / factor)


def test_a_search_with_a_missing_bank_folder_is_one_clear_error(built_index, fake_settings, tmp_path) -> None:
    searcher = _searcher(
        built_index, fake_settings, question_bank=str(tmp_path / "no-such-bank"), lexicons=()
    )
    with pytest.raises(BankError, match="no-such-bank does not exist"):
        searcher.search(DRINK, k=1)
    off = _searcher(built_index, fake_settings, question_bank="", lexicons=())
    assert off.search(DRINK, k=1)  # "" turns the bank off
