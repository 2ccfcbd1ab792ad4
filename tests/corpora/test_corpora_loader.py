"""A whole corpus folder: counts, report, failures that never stop the build, fingerprints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpora.loader import CorpusError, corpus_fingerprint, load_corpus


def test_mini_corpus_counts(mini_corpus: Path) -> None:
    corpus = load_corpus(mini_corpus)
    report = corpus.report
    assert report.files_seen == 8, "_index.md is scaffolding, not a law"
    assert report.failures[0].file == "cases/cail2018/train.jsonl"
    assert [(f.file, f.line) for f in report.failures] == [
        ("cases/cail2018/train.jsonl", 3),
        ("cases/cail2018/train.jsonl", 4),
        ("cases/judge/judgments.jsonl", 5),
    ]
    assert dict(report.documents_per_kind) == {"法律": 3, "司法解释": 1, "其他": 1, "行政法规": 2}
    assert report.duplicate_copies == ["laws/行政法规/虚构法实施细则.md"]
    assert dict(report.cases_per_source) == {"cail2018/train": 3, "judge": 4}
    assert report.articles == len(corpus.articles) == 6 + 3 + 1 + 2 + 3 + 4
    assert report.laws_with_versions == {"虚构法实施细则": ["2010-01-09", "2023-12-11"]}
    assert len(corpus.current_articles()) == len(corpus.articles) - 2
    assert corpus.article("虚构商事法", 3, 1).number_cn == "第三条之一"
    assert corpus.article("虚构法实施细则", 2).text == "新版本的第二条。"
    d = report.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    text = report.to_text()
    assert "failures: 3" in text and "cases/judge/judgments.jsonl:5" in text


def test_bad_files_are_reported_not_fatal(mini_corpus: Path) -> None:
    laws = mini_corpus / "laws"
    (laws / "其他" / "坏文件.md").write_bytes(b"\xff\xfe\x00\x81\x30\x81\xff")
    (laws / "其他" / "无标题.md").write_text("这一行不是标题\n", encoding="utf-8")
    (laws / "行政法规" / "国标编码条例.md").write_bytes(
        "# 虚构国标编码条例\n\n<!-- INFO END -->\n\n第一条 用GB18030保存。\n".encode("gb18030")
    )
    corpus = load_corpus(mini_corpus, cases=False)
    failures = {f.file: (f.reason, f.line) for f in corpus.report.failures}
    assert set(failures) == {"laws/其他/坏文件.md", "laws/其他/无标题.md"}
    assert "decode" in failures["laws/其他/坏文件.md"][0]
    assert failures["laws/其他/无标题.md"][1] == 1
    assert corpus.report.documents == 8
    assert ("laws/行政法规/国标编码条例.md", "not UTF-8: decoded as GB18030") in corpus.report.warnings


def test_law_dirs_and_parts(mini_corpus: Path) -> None:
    corpus = load_corpus(mini_corpus, cases=False, law_dirs=["行政法规"])
    assert {d.category for d in corpus.documents} == {"行政法规"}
    assert corpus.cases == []
    with pytest.raises(CorpusError, match="no such folder"):
        load_corpus(mini_corpus, law_dirs=["不存在"])
    only_cases = load_corpus(mini_corpus, laws=False)
    assert only_cases.articles == [] and len(only_cases.cases) == 7


def test_missing_and_unusable_roots(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nowhere")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no laws/ or cases/"):
        load_corpus(empty)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(a_file)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders without permission")
def test_no_permission(mini_corpus: Path) -> None:
    mini_corpus.chmod(0)
    try:
        with pytest.raises(CorpusError, match="permission"):
            load_corpus(mini_corpus)
    finally:
        mini_corpus.chmod(0o755)


def test_no_permission_message(mini_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root the chmod test above cannot fail; check the message path with a denied access().
    monkeypatch.setattr("corpora.loader.os.access", lambda path, mode: False)
    with pytest.raises(CorpusError, match=f"no permission to read the corpus folder: {mini_corpus}"):
        load_corpus(mini_corpus)


def test_laws_folder_itself_is_accepted(mini_corpus: Path) -> None:
    corpus = load_corpus(mini_corpus / "laws", cases=False)
    assert corpus.report.documents == 7
    assert corpus.documents[0].source_file.split("/")[0] != "laws"


def test_fingerprint_changes_with_content(mini_corpus: Path) -> None:
    first = corpus_fingerprint(mini_corpus)
    assert first == corpus_fingerprint(mini_corpus)
    law = mini_corpus / "laws" / "民法商法" / "虚构商事法.md"
    law.write_text(law.read_text(encoding="utf-8") + "\n第一百零二条 新增。\n", encoding="utf-8")
    assert corpus_fingerprint(mini_corpus) != first


def test_resolve_corpus_root(tmp_path: Path) -> None:
    from corpora.loader import resolve_corpus_root

    assert resolve_corpus_root(tmp_path / "given", tmp_path / "data") == tmp_path / "given"
    with pytest.raises(CorpusError, match="corpus fetch"):
        resolve_corpus_root(None, tmp_path / "data")
    (tmp_path / "data" / "corpora" / "laws").mkdir(parents=True)
    assert resolve_corpus_root(None, tmp_path / "data") == tmp_path / "data" / "corpora"
