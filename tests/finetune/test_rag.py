"""The RAG set (RAFT): the agent's own prompt over the real corpus, gold present or held out,
targets that cite only sources holding the cited article; training on it; eval faithfulness."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.agent.disclaimer import DISCLAIMER
from tests.retrieval.retrieval_fakes import FakeEmbedder

MARK = re.compile(r"\[(\d{1,3})\]")


@pytest.fixture(scope="module")
def real_index(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """An index over the real 刑法 and 民法典 and 150 CAIL train cases (fake embedder: instant)."""
    from corpora.loader import load_corpus
    from retrieval.index import build_index
    from retrieval.search import Searcher
    from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

    corpus = load_corpus(shared_corpus, law_dirs=["刑法", "民法典"], progress=False)
    cases = [c for c in corpus.cases if c.source == "cail2018/train"][::20][:150]
    data = tmp_path_factory.mktemp("rag") / "data"
    emb, vs = EmbeddingSettings(model=FakeEmbedder.name), VectorStoreSettings()
    build_index(corpus.articles, cases, data, emb, vs, progress=False, embedder=FakeEmbedder())
    searcher = Searcher.open(data, emb, vs, RetrievalSettings(), embedder=FakeEmbedder())
    return corpus, searcher, data


@pytest.fixture(scope="module")
def rag_built(real_index):
    from finetune.rag import RagStats, rag_samples
    from finetune.rag_questions import gather

    corpus, searcher, _ = real_index
    questions = gather(corpus, corpus.root, per_origin=12, seed=3)
    stats = RagStats()
    from assistant.judgment.build import load_or_fit
    from corpora.charges import load_charge_map

    ranker = load_or_fit(corpus.root, None)  # the ranking and the charge names the service below loads
    names = load_charge_map(corpus.root)
    samples = list(
        rag_samples(
            searcher, questions, absent_share=0.3, seed=3, stats=stats, charge_ranker=ranker, charge_map=names
        )
    )
    return questions, samples, stats


def test_every_origin_gives_samples_and_drops_are_counted(rag_built):
    questions, samples, stats = rag_built
    assert {s.meta["origin"] for s in samples} >= {"cail", "consultation", "article"}
    assert len(samples) + sum(stats.dropped.values()) == len(questions)
    assert all(s.kind == "rag" and s.system and s.output for s in samples)


def test_prompt_is_byte_identical_to_what_the_agent_sends(rag_built, real_index):
    """The service's own path, with the same gold handling, hands the model exactly the sample's prompt;
    and the chat rows that training builds from the sample are those messages."""
    from assistant.services.answer import AssistantService
    from assistant.settings import load_settings
    from finetune.config import load_recipe
    from finetune.formatting import _chat_row
    from finetune.rag import GoldSearcher, PromptRecorder
    from finetune.rag_questions import refs_of

    _, samples, _ = rag_built
    _, searcher, _ = real_index
    for sample in samples[:6]:
        gold = [g for label in sample.meta["gold"] for g in refs_of(label)]
        gold_searcher, recorder = GoldSearcher(searcher, seed=3), PromptRecorder()
        gold_searcher.arm(gold, sample.meta["gold_present"])
        service = AssistantService(load_settings(), searcher=gold_searcher, backend=recorder)
        service.answer(sample.meta["question"])
        assert recorder.messages[0]["content"] == sample.system
        assert recorder.messages[-1]["content"] == sample.instruction
        row = _chat_row(sample, load_recipe("agent-rag").system_prompt)
        assert row["prompt"] == recorder.messages


def test_gold_appears_in_the_stated_share(rag_built):
    from finetune.rag_questions import refs_of

    _, samples, stats = rag_built
    for s in samples:
        shown = {r for src in s.meta["sources"] for r in refs_of(src)}
        gold_shown = any(g in shown for label in s.meta["gold"] for g in refs_of(label))
        assert gold_shown == s.meta["gold_present"], s.meta
    absent = sum(not s.meta["gold_present"] for s in samples)
    assert absent == stats.absent
    assert 0.1 <= absent / len(samples) <= 0.5  # 0.3 asked, over a few dozen samples


def test_target_citations_point_only_to_sources_holding_the_cited_article(rag_built):
    from finetune.faithfulness import sentences
    from finetune.rag_questions import refs_of

    _, samples, _ = rag_built
    checked = 0
    for s in samples:
        cited = {int(n) for n in MARK.findall(s.output)}
        if not s.meta["gold_present"]:
            assert not cited, s.output  # nothing to cite for the gold: no marks at all
            assert "没有" in s.output.split("\n")[0]
            continue
        for sentence in sentences(s.output):
            named = refs_of(sentence)
            for n in (int(x) for x in MARK.findall(sentence)):
                source = s.meta["sources"][n - 1]
                assert refs_of(source) and refs_of(source)[0] in named, (sentence, source)
                checked += 1
        assert s.output.rstrip().endswith(
            DISCLAIMER
        )  # every answer's closing notice, as the assistant writes it
    assert checked >= 10


def test_a_bad_share_is_refused_naming_the_option(real_index):
    from finetune.rag import RagBuildError, rag_samples

    _, searcher, _ = real_index
    with pytest.raises(RagBuildError, match="--gold-absent-share"):
        list(rag_samples(searcher, [], absent_share=1.5))


def test_a_question_whose_retrieval_fails_is_dropped_and_counted(real_index):
    from finetune.rag import RagStats, rag_samples
    from finetune.rag_questions import GoldRef, RagQuestion

    _, searcher, _ = real_index

    class Failing:
        def __getattr__(self, name):
            return getattr(searcher, name)

        def search(self, *a, **k):
            raise RuntimeError("index gone")

    q = RagQuestion("盗窃他人财物三千元会判多久？", (GoldRef("刑法", 264),), "custom", "t:1")
    stats = RagStats()
    assert list(rag_samples(Failing(), [q], 0.0, stats=stats)) == []
    assert stats.dropped == {"retrieval failed (RuntimeError)": 1}


@pytest.fixture(scope="module")
def rag_data(real_index, shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from finetune.data import BuildOptions, build

    _, searcher, _ = real_index
    out = tmp_path_factory.mktemp("ragdata") / "data"
    build(
        BuildOptions(
            corpus=shared_corpus,
            output=out,
            limit=25,
            valid_fraction=0.2,
            law_dirs=["刑法", "民法典"],
            progress=False,
            searcher=searcher,
            rag_per_origin=25,
            gold_absent_share=0.2,
        )
    )
    return out


def test_data_build_writes_the_rag_set_and_heldout_questions(rag_data: Path):
    summary = json.loads((rag_data / "summary.json").read_text(encoding="utf-8"))
    assert summary["kept"]["rag/train"] > 20
    rows = json.loads((rag_data / "alpaca" / "rag.train.json").read_text(encoding="utf-8"))
    assert all(r["system"] and "检索来源：" in r["instruction"] for r in rows)
    heldout = (rag_data / "rag" / "heldout.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(heldout) >= 50 and all(json.loads(line)["gold"] for line in heldout)


def test_a_recipe_mixes_the_rag_set_at_its_ratio(rag_data: Path, tiny_model: Path, make_recipe, tmp_path):
    from finetune.formatting import load_mixture

    recipe = make_recipe(tiny_model, rag_data, tmp_path, kinds=["statute"], rag_ratio=0.5)
    mixed = load_mixture(recipe, rag_data, "train", ["statute"])
    n_statute = sum(s.kind == "statute" for s in mixed)
    assert sum(s.kind == "rag" for s in mixed) == min(
        round(n_statute * 0.5), len(json.loads((rag_data / "alpaca" / "rag.train.json").read_text()))
    )


@pytest.fixture(scope="module")
def rag_adapter(rag_data: Path, tiny_model: Path, make_recipe, tmp_path_factory: pytest.TempPathFactory):
    from finetune.train import train

    out = tmp_path_factory.mktemp("ragrun") / "adapter"
    recipe = make_recipe(
        tiny_model,
        rag_data,
        out,
        kinds=["rag"],
        max_length=6144,
        per_device_train_batch_size=2,
        per_device_eval_batch_size=2,
        max_steps=12,
        eval_steps=4,
        save_steps=12,
        max_eval_samples=4,
    )
    return train(recipe, rag_data, out, progress=False), out


def test_tiny_qwen3_trains_on_the_rag_set_and_loads_in_the_agent_backend(rag_adapter, tiny_model: Path):
    from assistant.backends.transformers_backend import TransformersBackend

    result, out = rag_adapter
    evals = [v for _, v in result.eval_losses]
    assert len(evals) >= 3 and evals[-1] < evals[0], evals
    import torch
    from peft import PeftModel

    backend = TransformersBackend(str(tiny_model), adapter=str(out), max_new_tokens=8, temperature=0.0)
    # The trained adapter is applied: LoRA's B matrices start at zero, so any non-zero one was learnt.
    assert isinstance(backend.model, PeftModel)
    lora_b = [p for name, p in backend.model.named_parameters() if "lora_B" in name]
    assert lora_b and any(bool(p.abs().sum() > 0) for p in lora_b)
    messages = [{"role": "user", "content": "盗窃罪怎么判？"}]
    inputs = backend.prompt_ids(messages)
    with torch.no_grad():
        out_ids = backend.model.generate(**inputs, max_new_tokens=8, do_sample=False)
    expected = backend.tokenizer.decode(out_ids[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    assert "".join(backend.stream(messages)) == expected  # the agent's stream is the adapted model's reply


def _heldout(rag_data: Path, n: int):
    from finetune.rag_questions import read_question_file

    questions, problems = read_question_file(rag_data / "rag" / "heldout.jsonl")
    assert not problems
    return questions[:n]


def test_faithfulness_of_the_extractive_backend(rag_data: Path, real_index):
    """The extractive backend only quotes and lists sources: every mark it sets is supported."""
    from assistant.backends.extractive import ExtractiveBackend
    from finetune.faithfulness import evaluate

    _, searcher, _ = real_index
    report = evaluate(searcher, ExtractiveBackend(), _heldout(rag_data, 40), absent_share=0.25)
    figures = report.figures()
    assert report.questions + sum(report.dropped.values()) == 40
    assert report.marks > 40 and figures["citation_precision"] == 1.0, report.lines()
    assert 0 < figures["citation_recall"] <= 1 and report.absent > 0
    # It quotes whatever it found: with the gold held out it does not notice (a model must learn to).
    assert figures["refusal_correctness"] is not None


def test_faithfulness_runs_end_to_end_on_the_tiny_fine_tuned_model(
    rag_adapter, rag_data, real_index, tiny_model
):
    from assistant.backends.transformers_backend import TransformersBackend
    from finetune.faithfulness import evaluate

    _, out = rag_adapter
    _, searcher, _ = real_index
    backend = TransformersBackend(str(tiny_model), adapter=str(out), max_new_tokens=24, temperature=0.0)
    report = evaluate(searcher, backend, _heldout(rag_data, 4), absent_share=0.5)
    assert report.questions == 4 and report.backend == backend.description
    assert set(report.to_dict()) >= {
        "citation_precision",
        "citation_recall",
        "answer_first",
        "refusal_correctness",
    }


def test_an_unreachable_endpoint_is_one_clear_message(rag_data: Path, real_index):
    from assistant.backends.openai_backend import OpenAIBackend
    from finetune.faithfulness import FaithfulnessError, evaluate

    _, searcher, _ = real_index
    backend = OpenAIBackend("http://127.0.0.1:9/v1", model="m", timeout_s=2)
    with pytest.raises(FaithfulnessError, match="backend under test failed"):
        evaluate(searcher, backend, _heldout(rag_data, 2))


def _cli(args: list[str]):
    from click.testing import CliRunner

    from assistant.cli import cli

    return CliRunner().invoke(cli, args)


def test_cli_refuses_a_bad_share_and_an_adapter_for_another_base(rag_adapter, rag_data, tmp_path):
    from tests.tiny_models import build_tiny_model_dir

    questions = str(rag_data / "rag" / "heldout.jsonl")
    bad = _cli(["eval", "faithfulness", "--questions", questions, "--gold-absent-share", "1.2"])
    assert bad.exit_code == 2 and "--gold-absent-share must be between 0 and 1" in bad.output
    other = build_tiny_model_dir(
        tmp_path / "other", ["别的模型"], num_layers=2, vocab_size=300, hidden_size=32
    )
    _, adapter = rag_adapter
    res = _cli(
        ["eval", "faithfulness", "--questions", questions, "--model", str(other), "--adapter", str(adapter)]
    )
    assert res.exit_code == 1 and "adapter" in res.output and "Traceback" not in res.output, res.output
