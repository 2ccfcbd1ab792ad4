"""`finetune data build` on a sample of the real corpus, the exports, and bad input."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

KINDS = {
    "statute",
    "case_conclusion",
    "soft_reasoning",
    "sentencing",
    "sentencing_cot",
    "adversarial",
    "lawyer_llama",
    "jec_qa",
    "judgment_context",
    "contrastive",
}


def _rows(data: Path, sub: str, kind: str, split: str = "train") -> list[dict]:
    return json.loads((data / sub / f"{kind}.{split}.json").read_text(encoding="utf-8"))


def test_every_kind_is_built_with_levels(ft_data: Path):
    summary = json.loads((ft_data / "summary.json").read_text(encoding="utf-8"))
    built = {k.split("/")[0] for k, n in summary["kept"].items() if n}
    assert built == KINDS
    levels = Counter(r["level"] for r in _rows(ft_data, "alpaca", "statute"))
    assert levels[1] and levels[2]  # 刑法 articles are Level-1, 司法解释 Level-2
    assert {r["level"] for r in _rows(ft_data, "alpaca", "case_conclusion")} == {3}
    assert {r["level"] for r in _rows(ft_data, "alpaca", "soft_reasoning")} == {4}
    recite = [r for r in _rows(ft_data, "alpaca", "statute") if r["instruction"].startswith("请背诵")]
    assert recite and all(r["output"] and "《" in r["instruction"] for r in recite)


def test_dataset_info_is_what_llama_factory_reads(ft_data: Path):
    info = json.loads((ft_data / "dataset_info.json").read_text(encoding="utf-8"))
    for name, entry in info.items():
        assert (ft_data / entry["file_name"]).is_file(), name
        rows = json.loads((ft_data / entry["file_name"]).read_text(encoding="utf-8"))
        assert isinstance(rows, list)
        if entry.get("formatting") == "sharegpt":
            tags = entry["tags"]
            for row in rows[:20]:
                turns = row[entry["columns"]["messages"]]
                assert [t[tags["role_tag"]] for t in turns][-2:] == [tags["user_tag"], tags["assistant_tag"]]
        elif "response" in entry["columns"]:
            for row in rows[:20]:
                assert row[entry["columns"]["prompt"]] and row[entry["columns"]["response"]]
        else:
            assert entry["columns"] == {"prompt": "text"} and all(r["text"] for r in rows[:20])
    assert "legal_sentencing_train" in info and "legal_sentencing_valid_sharegpt" in info


def test_validation_split_is_held_out_by_case(ft_data: Path):
    groups = {}
    for split in ("train", "valid"):
        ids = set()
        for kind in ("sentencing", "sentencing_cot", "adversarial", "case_conclusion"):
            path = ft_data / "alpaca" / f"{kind}.{split}.json"
            if path.is_file():
                ids |= {r["source"].split("#")[0] for r in _rows(ft_data, "alpaca", kind, split)}
        groups[split] = ids
    assert groups["valid"] and groups["train"]
    assert not groups["train"] & groups["valid"]  # no case on both sides, in any variant
    held = [
        json.loads(x)
        for x in (ft_data / "mcq" / "jec_qa.valid.json").read_text(encoding="utf-8").splitlines()
    ]
    assert held and all({"statement", "option_list", "answer"} <= set(q) for q in held)


def test_sentencing_style_and_cot_ratio(ft_data: Path):
    plain = _rows(ft_data, "alpaca", "sentencing") + _rows(ft_data, "alpaca", "sentencing", "valid")
    cot = _rows(ft_data, "alpaca", "sentencing_cot") + _rows(ft_data, "alpaca", "sentencing_cot", "valid")
    assert all(r["output"].startswith("本院认为") and "判决如下" in r["output"] for r in plain)
    assert all(r["output"].startswith("【分析】") and "判决如下" in r["output"] for r in cot)
    assert len(cot) / len(plain) == pytest.approx(0.25, abs=0.04)


def test_adversarial_targets_drop_the_confession_discount(ft_data: Path):
    from finetune.judgment import CONFESSION

    adv = _rows(ft_data, "alpaca", "adversarial") + _rows(ft_data, "alpaca", "adversarial", "valid")
    plain = {
        r["source"]: r
        for r in _rows(ft_data, "alpaca", "sentencing") + _rows(ft_data, "alpaca", "sentencing", "valid")
    }
    assert len(adv) >= 5 and {r["meta"]["attitude"] for r in adv} == {"refuse", "unclear"}
    compared = 0
    for r in adv:
        assert re.search("拒不供述|时供时翻", r["input"])
        reasoning = re.sub(
            r"[^。]*不具有坦白、自首情节[^。]*。", "", r["output"]
        )  # the refusal sentence itself
        assert not CONFESSION.search(reasoning), r["output"]
        assert "第六十七条" not in r["output"]
        original = plain.get(r["source"].split("#")[0])
        if original:
            assert r["output"] != original["output"]
            compared += 1
    assert compared >= 1  # at least one adversarial row was set beside the target it changes


def test_existing_build_is_not_overwritten(ft_data: Path, shared_corpus: Path):
    from finetune.data import BuildOptions, DataBuildError, build

    stamp = (ft_data / "dataset_info.json").stat().st_mtime_ns
    with pytest.raises(DataBuildError, match="already holds a built data set: pass --overwrite"):
        build(BuildOptions(corpus=shared_corpus, output=ft_data, limit=5, progress=False))
    assert (ft_data / "dataset_info.json").stat().st_mtime_ns == stamp


def test_imports_count_malformed_records_and_empty_outputs():
    from finetune.imports import jec_qa_samples, lawyer_llama_samples
    from finetune.samples import BuildStats, filter_samples

    stats = BuildStats()
    raw = list(lawyer_llama_samples(FIXTURES / "finetune" / "lawyer_llama", stats))
    kept = list(filter_samples(raw, stats, 2048, len))
    assert {s.instruction for s in kept} >= {"（虚构）租房押金不退怎么办？", "虚构问题二"}
    multi = next(s for s in kept if s.instruction == "虚构问题二")
    assert multi.history == [["虚构问题一", "虚构回答一"]] and multi.output == "虚构回答二"
    assert stats.dropped["lawyer_llama: empty output"] == 1
    assert stats.dropped["lawyer_llama: not a JSON object in exam.json"] == 1
    assert stats.dropped["lawyer_llama: unusable record in counsel.json"] == 1
    questions = list(jec_qa_samples(FIXTURES / "finetune" / "jec_qa_bad.json", stats))
    assert [s.output for s in questions] == ["答案：A、C", "答案：D"]
    assert stats.dropped["jec_qa: malformed JSON line in jec_qa_bad.json"] == 1
    assert stats.dropped["jec_qa: question without a valid answer"] == 2


def test_over_long_samples_are_dropped_with_the_reason():
    from finetune.samples import BuildStats, Sample, filter_samples, summary_lines

    stats = BuildStats()
    samples = [
        Sample("statute", "背诵", "短"),
        Sample("statute", "背诵", "长" * 300),
        Sample("statute", "背诵", "短"),
    ]
    kept = list(filter_samples(samples, stats, 100, len))
    assert len(kept) == 1
    assert stats.dropped == {"statute: longer than max length 100": 1, "statute: duplicate": 1}
    assert any("longer than max length 100" in line for line in summary_lines(stats))


def test_reading_a_malformed_data_file_names_it(tmp_path: Path):
    from finetune.samples import DatasetError, read_samples

    (tmp_path / "alpaca").mkdir()
    bad = tmp_path / "alpaca" / "statute.train.json"
    bad.write_text('[{"instruction": "a", "output": "b"}, {"instruction": "c"}]', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"statute.train.json: record 2 is malformed"):
        read_samples(tmp_path, "statute", "train")
    bad.write_text('[{"instruction": "a", "output": "  "}]', encoding="utf-8")
    with pytest.raises(DatasetError, match="record 1 has an empty output"):
        read_samples(tmp_path, "statute", "train")
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="is not a JSON list"):
        read_samples(tmp_path, "statute", "train")
    with pytest.raises(DatasetError, match="run `legal-assistant finetune data build`"):
        read_samples(tmp_path, "sentencing", "train")


def test_cli_build_prints_the_summary(shared_corpus: Path, tmp_path: Path):
    from click.testing import CliRunner

    from assistant.cli import cli

    out = tmp_path / "d"
    args = ["--corpus", str(shared_corpus), "finetune", "data", "build", "--output", str(out), "--limit", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "statute" in result.output and "total kept" in result.output
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and "pass --overwrite" in again.output and "Traceback" not in again.output


def test_prompt_formats_and_completion_only_rows(tiny_model: Path):
    from transformers import AutoTokenizer

    from finetune.config import load_recipe
    from finetune.formatting import sft_rows
    from finetune.samples import Sample

    tok = AutoTokenizer.from_pretrained(tiny_model)
    sample = Sample(
        "lawyer_llama",
        "盗窃罪如何处罚？",
        "依照刑法第二百六十四条处罚。",
        history=[["问一", "答一"]],
        level=0,
    )
    lawyer = load_recipe("qwen2.5-0.5b-lawyer-sft", {"model": str(tiny_model)})
    (row,), dropped = sft_rows([sample], lawyer, tok, with_hardness=False)
    assert (
        row["prompt"].endswith("指令: 盗窃罪如何处罚？\n分析结果: ")
        and "指令: 问一\n分析结果: 答一" in row["prompt"]
    )
    assert row["prompt"].startswith(lawyer.system_prompt) and row["completion"] == sample.output
    chat = load_recipe("qwen3-4b-criminal-qlora", {"model": str(tiny_model)})
    (row,), _ = sft_rows([sample], chat, tok, with_hardness=True)
    assert [m["role"] for m in row["prompt"]] == ["system", "user", "assistant", "user"]
    assert row["completion"] == [{"role": "assistant", "content": sample.output}] and row["hardness"] == 0.0
    short = load_recipe("qwen3-4b-criminal-qlora", {"model": str(tiny_model), "max_length": 16})
    assert sft_rows([sample], short, tok, with_hardness=False) == ([], 1)
