"""No silent English fallback: `index build` on a fresh data dir trains (or reuses) the legal model
when embedding.model is "auto", as `serve` does, and its manifest names that model.

The fast test replaces the two-minute training by a stand-in that writes a model folder, and the model
load by the fake embedder under the name the real resolution gives; the slow ones load a tiny untrained
StaticEmbedding (the trained model's architecture) with the real code, and run the real trainer.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from retrieval import manifest as mf

RETRIEVER_CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "retriever" / "corpus"


def _tiny_static_model(out: Path, texts: list[str]) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from transformers import PreTrainedTokenizerFast

    from finetune.retriever.tokenizer import train_tokenizer

    fast = PreTrainedTokenizerFast(tokenizer_object=train_tokenizer(texts), unk_token="[UNK]")
    SentenceTransformer(modules=[StaticEmbedding(fast, embedding_dim=16)], device="cpu").save(str(out))


def test_index_build_on_a_fresh_data_dir_trains_and_records_the_legal_model(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval_fakes import FakeEmbedder

    from retrieval.embeddings import resolve_embedding_model

    trained: list[Path] = []

    def train(data, output, config, fusion, *, evaluate=True, log=print):  # noqa: ANN001
        log("training (a stand-in)")
        Path(output).mkdir(parents=True)
        (Path(output) / "modules.json").write_text("[]", encoding="utf-8")
        trained.append(Path(output))
        return {"training": {}}

    def load(embedding, data_dir):  # noqa: ANN001
        fake = FakeEmbedder()
        fake.name = resolve_embedding_model(embedding, data_dir)  # the real choice of "auto"
        return fake

    monkeypatch.setattr(
        "finetune.retriever.data.load_retriever_data",
        lambda root, log=print, lexicons=None, bank=None: object(),
    )
    monkeypatch.setattr("finetune.retriever.pipeline.train_and_score", train)
    monkeypatch.setattr("retrieval.index.load_embedder", load)
    result = CliRunner().invoke(cli, ["--corpus", str(corpus_copy), "index", "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "训练中文法律检索模型" in result.output and "training (a stand-in)" in result.output
    data = Path(json.loads(CliRunner().invoke(cli, ["index", "status", "--json"]).output)["index_dir"]).parent
    assert trained == [data / "models" / "legal-static"]
    assert mf.read_manifest(data)["embedding"]["model"] == "<data_dir>/models/legal-static"
    result = CliRunner().invoke(cli, ["--corpus", str(corpus_copy), "index", "build"], catch_exceptions=False)
    assert result.exit_code == 0 and len(trained) == 1 and "训练" not in result.output  # reused


@pytest.mark.slow
def test_index_build_loads_the_legal_model_it_trained(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trained: list[Path] = []

    def train(data, output, config, fusion, *, evaluate=True, log=print):  # noqa: ANN001
        log("training (a tiny stand-in)")
        _tiny_static_model(Path(output), ["示例刑法盗窃公私财物数额较大", "专利法商标法"])
        trained.append(Path(output))
        return {"training": {}}

    monkeypatch.setattr(
        "finetune.retriever.data.load_retriever_data",
        lambda root, log=print, lexicons=None, bank=None: object(),
    )
    monkeypatch.setattr("finetune.retriever.pipeline.train_and_score", train)
    result = CliRunner().invoke(cli, ["--corpus", str(corpus_copy), "index", "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "训练中文法律检索模型" in result.output and "indexed 19 records" in result.output
    data = Path(json.loads(CliRunner().invoke(cli, ["index", "status", "--json"]).output)["index_dir"]).parent
    assert trained == [data / "models" / "legal-static"]
    embedding = mf.read_manifest(data)["embedding"]
    assert embedding["model"] == "<data_dir>/models/legal-static" and embedding["dimension"] == 16
    # a second build reuses the model: no training
    result = CliRunner().invoke(cli, ["--corpus", str(corpus_copy), "index", "build"], catch_exceptions=False)
    assert result.exit_code == 0 and len(trained) == 1 and "训练" not in result.output


@pytest.mark.slow
def test_index_build_trains_the_real_legal_model_on_the_fixture(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(RETRIEVER_CORPUS, corpus)
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), "index", "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = Path(json.loads(CliRunner().invoke(cli, ["index", "status", "--json"]).output)["index_dir"]).parent
    assert mf.read_manifest(data)["embedding"]["model"] == "<data_dir>/models/legal-static"
    assert (data / "models" / "legal-static" / "modules.json").is_file()
