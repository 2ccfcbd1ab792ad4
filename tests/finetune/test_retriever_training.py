"""Train a tiny retriever on the fictional fixture corpus: it must learn, reproducibly, and load as settings say."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from finetune.retriever.data import load_retriever_data
from finetune.retriever.evaluate import FusionParams
from finetune.retriever.pipeline import sentence_transformer_encoder, train_and_score
from finetune.retriever.train import CONFIG_FILE, SCORES_FILE, RetrieverTrainConfig, RetrieverTrainingError

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "retriever" / "corpus"
TINY = {"epochs": 8, "batch_size": 16, "embedding_dim": 32, "learning_rate": 0.05, "threads": 1}


def _quiet(_msg: str) -> None:
    pass


@pytest.fixture(scope="module")
def data():
    return load_retriever_data(FIXTURE, log=_quiet)


@pytest.fixture(scope="module")
def tiny_model(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny") / "legal-static"
    result = train_and_score(data, out, RetrieverTrainConfig(seed=0, **TINY), FusionParams(), log=_quiet)
    return out, result


def _chance_mrr(n_docs: int) -> float:
    return sum(1 / r for r in range(1, n_docs + 1)) / n_docs


def test_tiny_model_learns_and_beats_chance(tiny_model, data) -> None:
    out, result = tiny_model
    history = result["training"]["history"]
    assert history["last_loss"] < history["first_loss"]
    dense = result["scores"]["cail_test"]["dense"]
    n_docs = len(data.table.special_part())
    assert dense["mrr"] > _chance_mrr(n_docs) + 0.25  # chance ≈ 0.34 over 8 articles
    assert dense["recall@1"] > 2 / n_docs


def test_saved_folder_is_a_sentence_transformers_model_with_its_records(tiny_model) -> None:
    from sentence_transformers import SentenceTransformer

    out, _ = tiny_model
    config = json.loads((out / CONFIG_FILE).read_text(encoding="utf-8"))
    scores = json.loads((out / SCORES_FILE).read_text(encoding="utf-8"))
    assert config["config"]["seed"] == 0 and config["pairs"] > 0
    assert set(scores["scores"]) == {"cail_test", "lawyer_llama_heldout"}
    model = SentenceTransformer(str(out), device="cpu")
    vectors = model.encode(["被告人窃取手机", "聚众赌博"])
    assert vectors.shape == (2, 32)


def test_auto_embedding_setting_picks_the_trained_model(tiny_model, tmp_path) -> None:
    import shutil

    from retrieval.embeddings import LEGAL_MODEL_SUBDIR, resolve_embedding_model
    from retrieval.settings import EmbeddingSettings

    out, _ = tiny_model
    shutil.copytree(out, tmp_path / LEGAL_MODEL_SUBDIR)
    assert resolve_embedding_model(EmbeddingSettings(model="auto"), tmp_path) == str(
        tmp_path / LEGAL_MODEL_SUBDIR
    )


def test_bad_config_names_the_flag() -> None:
    with pytest.raises(RetrieverTrainingError, match="--epochs"):
        RetrieverTrainConfig(epochs=0)


def test_cli_trains_the_same_model_as_the_api_then_eval_prints_one_json_object(
    tmp_path, tiny_model, data
) -> None:
    from assistant.cli import cli

    runner = CliRunner()
    base = ["--corpus", str(FIXTURE), "--data-dir", str(tmp_path)]
    trained = runner.invoke(
        cli,
        [
            *base,
            "finetune",
            "retriever",
            "--epochs",
            "8",
            "--batch-size",
            "16",
            "--dim",
            "32",
            "--learning-rate",
            "0.05",
            "--threads",
            "1",
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert (tmp_path / "models" / "legal-static" / "modules.json").is_file()
    assert "cail_test" in trained.output and "mining training pairs" in trained.output
    # Same seed and settings as the API run: the same vectors, hence the same scores.
    texts = ["被告人在超市偷走香烟", "开设赌场抽头渔利", "离婚后孩子归谁"]
    again = sentence_transformer_encoder(str(tmp_path / "models" / "legal-static"))(texts)
    assert np.array_equal(again, sentence_transformer_encoder(str(tiny_model[0]))(texts))
    saved = json.loads((tmp_path / "models" / "legal-static" / SCORES_FILE).read_text(encoding="utf-8"))
    assert saved["scores"] == tiny_model[1]["scores"]
    result = runner.invoke(
        cli,
        [
            *base,
            "eval",
            "retrieval",
            "--json",
            "--method",
            "dense",
            "--method",
            "lexical",
            "--method",
            "hybrid",
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"cail_test", "lawyer_llama_heldout"}
    for per_method in scores.values():
        assert set(per_method) == {"dense", "lexical", "hybrid"}
        for m in per_method.values():
            assert set(m) == {"recall@1", "recall@5", "recall@10", "mrr"}
            assert m["recall@1"] <= m["recall@5"] <= m["recall@10"] <= 1


def test_cli_eval_reports_a_missing_model_in_one_line(tmp_path) -> None:
    from assistant.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "--corpus",
            str(FIXTURE),
            "--data-dir",
            str(tmp_path),
            "eval",
            "retrieval",
            "--model",
            str(tmp_path / "nowhere"),
            "--method",
            "dense",
        ],
    )
    assert result.exit_code != 0
    assert "nowhere" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_real_corpus_model_beats_lexical_search(shared_corpus, tmp_path) -> None:
    """The full recipe on ../shared/corpora (minutes): the trained model alone beats BM25."""
    real = load_retriever_data(shared_corpus, log=_quiet)
    result = train_and_score(
        real, tmp_path / "legal-static", RetrieverTrainConfig(seed=0), FusionParams(), log=_quiet
    )
    cail = result["scores"]["cail_test"]
    assert cail["dense"]["mrr"] > cail["lexical"]["mrr"]
    assert cail["hybrid"]["mrr"] > max(cail["dense"]["mrr"], cail["lexical"]["mrr"])
    assert result["encode_texts_per_second"] > 1000
