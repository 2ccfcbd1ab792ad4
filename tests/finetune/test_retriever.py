"""finetune.retriever: tokenizer, pair mining, held-out splits and metrics (no training here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finetune.retriever.consultations import Consultation, is_heldout, split_consultations
from finetune.retriever.data import load_retriever_data
from finetune.retriever.evaluate import first_gold_ranks, fuse, metrics
from finetune.retriever.mentions import charge_variants, strip_citations
from finetune.retriever.pairs import Pair, cap_per_article, mine_pairs

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "retriever" / "corpus"


@pytest.fixture(scope="module")
def data():
    return load_retriever_data(FIXTURE, log=lambda _m: None)


def test_tokenizer_matches_longest_words_and_confines_unknown_characters() -> None:
    from finetune.retriever.tokenizer import UNK, build_tokenizer

    tok = build_tokenizer([UNK, ",", "盗", "窃", "罪", "被", "告", "人", "盗窃", "盗窃罪", "被告人"])
    assert tok.encode("被告人盗窃罪").tokens == ["被告人", "盗窃罪"]
    assert tok.encode("盗窃").tokens == ["盗窃"]
    # An unknown character costs only its own clause, not the whole text.
    assert tok.encode("被告人，鑫盗").tokens == ["被告人", ",", UNK]


def test_train_tokenizer_keeps_every_character_and_frequent_words() -> None:
    from finetune.retriever.tokenizer import train_tokenizer

    texts = ["被告人盗窃财物。"] * 5 + ["被告人诈骗钱款。"] * 5 + ["罕见字：龘"]
    tok = train_tokenizer(texts, min_word_count=3)
    vocab = tok.get_vocab()
    assert {"龘", "盗", "骗"} <= set(vocab)
    assert "被告人" in vocab and "盗窃" in vocab
    assert "[UNK]" not in tok.encode("被告人盗窃龘").tokens


def test_charge_variants_split_leading_acts() -> None:
    assert charge_variants("走私、贩卖、运输、制造毒品") == [
        "走私、贩卖、运输、制造毒品",
        "走私毒品",
        "贩卖毒品",
        "运输毒品",
        "制造毒品",
    ]
    assert charge_variants("[伪造、变造]居民身份证") == [
        "伪造、变造居民身份证",
        "伪造居民身份证",
        "变造居民身份证",
    ]
    assert charge_variants("盗窃罪") == ["盗窃"]


def test_strip_citations_removes_article_numbers() -> None:
    assert strip_citations("依照刑法第二百六十四条的规定，以盗窃罪定罪处罚") == "依照的规定，以盗窃罪定罪处罚"


def test_heldout_split_is_deterministic_disjoint_and_about_a_fifth() -> None:
    items = [Consultation(f"问题{i}", (("民法典", 1079, 0),)) for i in range(2000)]
    train, heldout = split_consultations(items)
    assert {c.query for c in train}.isdisjoint({c.query for c in heldout})
    assert len(train) + len(heldout) == 2000
    assert 0.15 < len(heldout) / 2000 < 0.25
    assert split_consultations(list(reversed(items)))[1] == list(reversed(heldout))  # order-free
    assert all(is_heldout(c.query) for c in heldout)


def test_pairs_never_include_evaluation_queries(data) -> None:
    training = data.training_data()
    pairs = mine_pairs(
        training.articles, training.cases, training.consultations, training.charges, exclude=training.exclude
    )
    queries = {p.query for p in pairs}
    test_facts = {c.fact for c in data.corpus.cases if c.source == "cail2018/test"}
    assert test_facts and queries.isdisjoint(test_facts)
    assert data.heldout and queries.isdisjoint({c.query for c in data.heldout})
    sources = {p.source for p in pairs}
    assert {"cases:cail2018", "consultations", "interpretation_sentences", "articles"} <= sources
    # Interpretation sentences lose their citation but keep their target.
    cited = [p for p in pairs if p.source == "interpretation_sentences" and "扒窃" in p.query]
    assert cited and all("第二百六十四条" not in p.query and p.article_id.endswith("#a264") for p in cited)


def test_cap_per_article_is_seeded() -> None:
    pairs = [Pair(f"q{i}", "a1", "cases") for i in range(50)] + [Pair("x", "a2", "cases")]
    capped = cap_per_article(pairs, cap=10, seed=3)
    assert sum(p.article_id == "a1" for p in capped) == 10 and Pair("x", "a2", "cases") in capped
    assert capped == cap_per_article(pairs, cap=10, seed=3)
    assert capped != cap_per_article(pairs, cap=10, seed=4)


def test_eval_sets_resolve_gold_articles(data) -> None:
    cail, consult = data.eval_sets()
    assert cail.name == "cail_test" and len(cail) == 16 and len(cail.doc_ids) == 8
    assert all(g <= set(cail.doc_ids) for g in cail.gold)
    assert consult.name == "lawyer_llama_heldout" and len(consult) == len(data.heldout)
    assert all(d.startswith("民法典") for d in consult.doc_ids)


def test_metrics_use_any_gold_for_hits_and_first_gold_for_mrr() -> None:
    rankings = [["a", "b", "c"], ["c", "b", "a"], ["x", "y", "z"]]
    gold = [{"b", "c"}, {"a"}, {"q"}]
    ranks = first_gold_ranks(rankings, gold)
    assert ranks == [2, 3, None]
    m = metrics(ranks)
    assert m["recall@1"] == 0.0 and m["recall@5"] == round(2 / 3, 4)
    assert m["mrr"] == round((1 / 2 + 1 / 3) / 3, 4)


def test_fuse_rewards_agreement() -> None:
    # Second in both rankings beats first in one: 2/(60+2) > 1/(60+1).
    fused = fuse([[["a", "b", "c"]], [["d", "b", "e"]]], weights=(1.0, 1.0), k=60, depth=3)
    assert fused[0][0] == "b" and set(fused[0]) == {"a", "b", "c", "d", "e"}
    # Each ranking is cut to `depth` before fusing: at depth 1 neither ranking holds "b".
    assert fuse([[["a", "b"]], [["d", "b"]]], weights=(1.0, 1.0), k=60, depth=1) == [["a", "d"]]
    heavy = fuse([[["a", "b"]], [["b", "a"]]], weights=(3.0, 1.0), k=60, depth=2)
    assert heavy[0][0] == "a"


def test_lexicon_entries_teach_their_everyday_words_and_the_clauses_of_their_laws(data) -> None:
    """A lexicon entry's patterns, as words, → each article its source names (a second article of the same
    law inherits it); the articles of those laws other than 刑法 each teach their own sentences."""
    from finetune.retriever.pairs import everyday_text, law_clause_pairs, lexicon_pairs

    assert everyday_text("提前.{0,4}告诉公司") == "提前 告诉公司"
    assert everyday_text("(?:节假日|国庆).{0,6}加班") == "节假日 国庆 加班"
    assert everyday_text("(?<!偷)偷(?![偷拍])") == "偷" and everyday_text("虎皮(?!鹦鹉)") == "虎皮"
    table = data.table
    (law, number, suffix), article = next(
        (k, a) for k, a in table.by_key.items() if a.law_id == k[0] and a.law_id != "刑法"
    )
    source = f"{article.short_title}第{article.number_cn.removeprefix('第')}"
    pairs = list(lexicon_pairs([(("被.{0,3}开除", "炒鱿鱼"), source), (("不存在",), "某某法第一条")], table))
    assert {(p.query, p.article_id, p.source) for p in pairs} == {
        ("被 开除", article.record_id, "lexicon"),
        ("炒鱿鱼", article.record_id, "lexicon"),
    }  # an entry whose law the corpus lacks teaches nothing
    clauses = list(law_clause_pairs(table, {law}))
    assert clauses and {p.source for p in clauses} == {"law_clauses"}
    assert {table.by_id[p.article_id].law_id for p in clauses} == {law}
    assert all(p.query in table.by_id[p.article_id].text for p in clauses)


def test_bank_entries_teach_their_questions_under_their_own_source(data) -> None:
    """A question-bank entry (questions, article) teaches each question → its article, as `bank`."""
    from finetune.retriever.pairs import lexicon_pairs

    article = next(a for k, a in data.table.by_key.items() if a.law_id == k[0])
    cited = f"{article.short_title}第{article.number_cn.removeprefix('第')}"
    pairs = list(lexicon_pairs([(("公司拖欠工资我能走人吗？",), cited)], data.table, "bank"))
    assert {(p.query, p.article_id, p.source) for p in pairs} == {
        ("公司拖欠工资我能走人吗", article.record_id, "bank")
    }
