"""Fast start: the static model without torch, records opened from the catalogue, exact citations
without a model, and what a cold CLI process imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from static_model import write_static_model

from corpora.loader import load_corpus
from retrieval import catalogue
from retrieval.embeddings import SentenceTransformerEmbedder, StaticEmbedder, is_static_folder, load_embedder
from retrieval.errors import IndexCorruptError
from retrieval.index import build_index
from retrieval.search import Searcher
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

REPO = Path(__file__).resolve().parents[2]
TEXTS = [
    "盗窃公私财物，数额较大的，处三年以下有期徒刑",
    "示例刑法第二百六十四条",
    "",
    "ＡＢＣ abc 12345 醉酒驾驶机动车",
    "字" * 700 + "盗窃",  # longer than max_chars: both clip the same way
    "🙂 未登录词",
]


@pytest.fixture(scope="module")
def static_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_static_model(tmp_path_factory.mktemp("static") / "legal-static")


@pytest.fixture(scope="module")
def static_index(tmp_path_factory: pytest.TempPathFactory, static_folder: Path):
    """The fixture corpus indexed with the tiny static model (a real model folder, so that a
    subprocess can search it as a user would)."""
    from conftest import link_corpus

    root = tmp_path_factory.mktemp("static-index")
    corpus = load_corpus(link_corpus(root / "corpus"))
    emb = EmbeddingSettings(model=str(static_folder))
    build_index(corpus.articles, corpus.cases, root / "data", emb, VectorStoreSettings(), progress=False)
    return root / "data", emb


def test_static_embedder_equals_sentence_transformers(static_folder: Path) -> None:
    ours = StaticEmbedder(str(static_folder), max_chars=512)
    theirs = SentenceTransformerEmbedder(str(static_folder), max_chars=512)
    a, b = ours.encode(TEXTS), theirs.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 24) and a.dtype == np.float32
    assert np.abs(a - b).max() < 1e-6
    assert np.abs(ours.encode([TEXTS[0]]) - b[:1]).max() < 1e-6  # the one-query path too
    assert ours.dimension == theirs.dimension and ours.name == theirs.name


def test_load_embedder_picks_the_static_runner_only_for_static_folders(static_folder: Path, tmp_path) -> None:
    assert is_static_folder(static_folder)
    assert isinstance(load_embedder(EmbeddingSettings(model=str(static_folder)), tmp_path), StaticEmbedder)
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("modules.json", "tokenizer.json"):
        (broken / name).write_bytes((static_folder / name).read_bytes())
    (broken / "model.safetensors").write_bytes(b"\x08\x00")  # truncated header
    assert not is_static_folder(broken)  # left to sentence-transformers, which says what is wrong


def test_static_model_runs_without_torch(static_folder: Path) -> None:
    code = (
        "import sys; from retrieval.embeddings import StaticEmbedder; "
        f"StaticEmbedder({str(static_folder)!r}).encode(['盗窃公私财物']); "
        "print([m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def _cli_modules(data: Path, emb: EmbeddingSettings, *args: str) -> tuple[int, list[str], str]:
    """Run the CLI in a fresh process; the heavy modules it imported."""
    heavy = (
        "torch",
        "transformers",
        "sentence_transformers",
        "chromadb",
        "jieba",
        "bm25s",
        "gradio",
        "tokenizers",
    )
    code = (
        "import sys\nfrom assistant.cli import main\n"
        f"sys.argv = ['legal-assistant', '--data-dir', {str(data)!r}, *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code or 0\nelse:\n    code = 0\n"
        f"print('MODULES', [m for m in {heavy!r} if m in sys.modules], file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "LEGAL_ASSISTANT__EMBEDDING__MODEL": emb.model}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    line = next(x for x in out.stderr.splitlines() if x.startswith("MODULES"))
    return out.returncode, eval(line.split(" ", 1)[1]), out.stdout  # noqa: S307 - our own print


def test_cold_cli_loads_only_what_the_query_needs(static_index) -> None:
    data, emb = static_index
    rc, modules, out = _cli_modules(data, emb, "search", "示例刑法第二百六十四条", "--json")
    assert rc == 0 and modules == []  # an exact citation: records only
    hits = json.loads(out)
    assert hits[0]["number"] == 264 and hits[0]["score"] == 1.0
    assert any("解释" in h["law_title"] for h in hits[1:])  # then what cites it
    rc, modules, out = _cli_modules(data, emb, "search", "多次盗窃怎么处罚", "--json")
    assert rc == 0 and json.loads(out)
    assert not {"torch", "transformers", "sentence_transformers", "gradio"} & set(modules)


def test_citation_only_query_is_answered_without_model_or_bm25(static_index) -> None:
    data, emb = static_index
    searcher = Searcher.open(data, emb, VectorStoreSettings(), RetrievalSettings())
    hits = searcher.search("示例刑法第二百六十四条", k=4)
    assert hits[0].number == 264 and hits[0].metadata["match"] == "citation"
    assert all(h.metadata["match"] == "cites" for h in hits[1:]) and len(hits) > 1
    assert searcher._embedder is None and "_lexical" not in searcher._current._parts
    assert searcher.search("示例刑法第二百六十四条", k=1)[0].number == 264
    mixed = searcher.search("示例刑法第二百六十四条 扒窃", k=4)  # words besides: hybrid fills up
    assert mixed[0].number == 264 and mixed[1].metadata["match"] == "hybrid"


def test_generation_without_catalogue_is_read_whole(static_index, tmp_path: Path) -> None:
    import shutil

    data, emb = static_index
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    args = (emb, VectorStoreSettings(), RetrievalSettings())
    with_catalogue = Searcher.open(copy, *args)
    expected = [(h.record_id, h.text) for h in with_catalogue.search("盗窃公私财物数额较大", k=6)]
    stats = with_catalogue.stats()
    gen = with_catalogue._current.folder
    (gen / catalogue.CATALOGUE_FILE).unlink()  # an index written before the catalogue existed
    older = Searcher.open(copy, *args)
    assert [(h.record_id, h.text) for h in older.search("盗窃公私财物数额较大", k=6)] == expected
    assert older.stats() == stats
    (gen / catalogue.CATALOGUE_FILE).write_text('{"format": 1, "count": 3, "offsets": [0]}')
    with pytest.raises(IndexCorruptError, match="记录文件"):
        Searcher.open(copy, *args)


def test_bench_startup_prints_cold_figures(static_index) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli

    data, emb = static_index
    env = {"LEGAL_ASSISTANT__EMBEDDING__MODEL": emb.model}
    args = ["--data-dir", str(data), "bench", "startup", "--repeat", "1", "--no-serve", "--json"]
    result = CliRunner(env=env).invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {(r["command"], r["PYTHONDONTWRITEBYTECODE"]) for r in rows} == {
        (c, b) for c in ("citation lookup", "hybrid search") for b in ("set", "unset")
    }
    for r in rows:
        assert r["failed"] == 0 and r["median_s"] > 0 and r["peak_rss_mb"] > 20 and r["cpu_s"] > 0
