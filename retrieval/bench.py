"""`bench retrieval`: build throughput beside the raw encode rate of the same model, on the same texts,
then hybrid query latency and peak memory.

The raw encode rate is the floor no build can beat (a build also tokenises for BM25, writes Chroma
and the manifest); the target is a build at ≥ 0.8 of it. The build's BM25 half runs in a child
process, so its memory is reported apart (peak_rss_children_mb).
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from corpora.records import ArticleRecord, CaseRecord
from retrieval.embeddings import Embedder, load_embedder
from retrieval.entries import make_entries
from retrieval.index import build_index
from retrieval.manifest import try_read_manifest
from retrieval.search import Searcher
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

FIXED_QUERIES = [
    "刑法第二百六十四条", "刑法264条", "盗窃公私财物数额较大怎么处罚", "醉酒驾驶机动车怎么处罚", "故意伤害致人重伤",
    "诈骗罪的数额标准", "自首可以从轻处罚吗", "行贿罪的刑罚", "专利法第十一条", "未经许可使用他人注册商标",
    "劳动合同解除的经济补偿", "交通肇事逃逸", "非法吸收公众存款", "第一百三十三条之一", "抢劫罪加重情节",
    "著作权侵权赔偿", "民法典第一千零七十九条", "贪污罪数额巨大", "正当防卫的条件", "缓刑的适用条件",
]  # fmt: skip


def _subsample(items: Sequence[Any], n: int | None) -> list[Any]:
    if n is None or n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]  # evenly spread over the corpus, deterministic


def query_set(texts: Sequence[str], n: int, seed: int = 0) -> list[str]:
    """The fixed questions plus distinct snippets of indexed texts (so the query cache never helps)."""
    rng = random.Random(seed)
    queries = list(FIXED_QUERIES)
    while len(queries) < n and texts:
        text = rng.choice(texts)
        start = rng.randrange(max(1, len(text) - 20))
        snippet = text[start : start + rng.randint(8, 30)].strip()
        if snippet and snippet not in queries:
            queries.append(snippet)
    return queries[:n]


def measure_queries(searcher: Searcher, queries: Sequence[str], k: int = 8) -> dict[str, float]:
    searcher.prepare()  # as `serve` warms up: the first searches do not compile the lexicons' patterns
    searcher.search("预热查询", k=k)
    times = []
    for q in queries:
        t = time.perf_counter()
        searcher.search(q, k=k)
        times.append(time.perf_counter() - t)
    ms = np.array(times) * 1000
    return {
        "queries": len(times),
        "p50_ms": float(np.percentile(ms, 50)),
        "p95_ms": float(np.percentile(ms, 95)),
        "max_ms": float(ms.max()),
    }


def run_retrieval_bench(
    articles: Sequence[ArticleRecord],
    cases: Sequence[CaseRecord],
    data_dir: Path,
    embedding: EmbeddingSettings,
    vector_store: VectorStoreSettings,
    retrieval: RetrievalSettings,
    *,
    sample: int | None = None,
    n_queries: int = 200,
    vocabulary: Sequence[str] = (),
    embedder: Embedder | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Encode, build, query; the build goes to a scratch folder, never over the real index."""
    if sample is not None and sample < len(articles) + len(cases):  # keep the mix of laws and cases
        n_articles = round(sample * len(articles) / (len(articles) + len(cases)))
        articles, cases = _subsample(articles, n_articles), _subsample(cases, sample - n_articles)
    entries, _ = make_entries(articles, cases)
    embedder = embedder or load_embedder(embedding, data_dir)
    embedder.encode(["预热"] * 8)  # model load and first-call costs are not throughput
    texts = [e.embed_text for e in entries]
    t = time.perf_counter()
    embedder.encode(texts)
    encode_s = time.perf_counter() - t
    scratch = Path(tempfile.mkdtemp(prefix="bench-", dir=data_dir if Path(data_dir).is_dir() else None))
    bench_vs = vector_store.model_copy(update={"collection_prefix": f"{vector_store.collection_prefix}bench"})
    try:
        report = build_index(
            articles, cases, scratch, embedding, bench_vs, vocabulary, progress=progress, embedder=embedder
        )
        full = try_read_manifest(data_dir) is not None
        searcher = (
            Searcher.open(data_dir, embedding, vector_store, retrieval, embedder=embedder)
            if full
            else Searcher.open(scratch, embedding, bench_vs, retrieval, embedder=embedder)
        )
        latency = measure_queries(searcher, query_set(texts, n_queries))
        searched = len(searcher.manifest["entries"])
    finally:
        if vector_store.mode == "server":  # the scratch collections live in the server: drop them too
            from retrieval import store

            client = store.make_client(bench_vs, scratch)
            store.drop_collections_except(client, bench_vs.collection_prefix, keep=set())
        shutil.rmtree(scratch, ignore_errors=True)
    raw_rate = len(texts) / encode_s if encode_s > 0 else 0.0
    return {
        "model": report.model,
        "dimension": report.dimension,
        "records": len(texts),
        "raw_encode_s": encode_s,
        "raw_encode_per_s": raw_rate,
        "build_s": report.seconds,
        "build_per_s": report.records_per_s,
        "build_vs_encode": report.records_per_s / raw_rate if raw_rate else 0.0,
        "query_index": "data dir index" if full else "bench index",
        "query_index_records": searched,
        **{f"query_{k}": v for k, v in latency.items()},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the build's child processes (the BM25 index is built in one), largest of them
        "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


# --- cold start ---------------------------------------------------------------------------------
STARTUP_CITATION = "刑法第二百六十四条"
STARTUP_QUESTION = "盗窃公私财物数额较大怎么处罚"


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "legal-assistant"
    return (
        [str(script)] if script.exists() else [sys.executable, "-c", "from assistant.cli import main; main()"]
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(proc: subprocess.Popen, timeout: float) -> tuple[int, float, float]:
    """(exit status, peak RSS in MB, CPU seconds) of a child, from the kernel's accounting (wait4).
    CPU seconds say what the start costs when the machine is shared and wall time is inflated."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if not pid and time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        time.sleep(0.01)


def cold_command(args: list[str], env: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """One fresh `legal-assistant …` process: wall time from spawn to exit, and its peak RSS."""
    with tempfile.TemporaryFile("w+") as stderr:  # a pipe would fill up and stall the child
        t = time.perf_counter()
        proc = subprocess.Popen(
            [*_cli(), *args], env=env, stdout=subprocess.DEVNULL, stderr=stderr, text=True
        )
        rc, rss, cpu = _wait(proc, timeout)
        seconds = time.perf_counter() - t
        stderr.seek(0)
        err = stderr.read()
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "peak_rss_mb": rss,
        "rc": rc,
        "error": err.strip()[-300:] if rc else "",
    }


def cold_serve(data_args: list[str], env: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """A fresh `serve`: wall time from spawn until its page answers, and its CPU time and peak RSS at
    that moment (what it does after, such as warming up behind the page, is not its start)."""
    port = _free_port()
    with tempfile.TemporaryFile("w+") as stderr:  # a pipe would fill up and stall the child
        t = time.perf_counter()
        proc = subprocess.Popen(
            [*_cli(), *data_args, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=stderr, text=True,
        )  # fmt: skip
        seconds = _until_served(proc, port, timeout, t)
        ready = seconds is not None
        at_ready = _usage_now(proc.pid) if ready else None
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        rc, rss, cpu = _wait(proc, 30)
        if at_ready is not None:  # what the start cost, not the warm-up that `serve` begins once ready
            rss, cpu = at_ready
        stderr.seek(0)
        err = stderr.read()
    return {
        "seconds": seconds if seconds is not None else float("nan"),
        "cpu_s": cpu,
        "peak_rss_mb": rss,
        "rc": 0 if ready else (rc or 1),
        "error": "" if ready else err.strip()[-300:],
    }


def _usage_now(pid: int) -> tuple[float, float] | None:
    """(peak RSS in MB, CPU seconds) of a running process so far, from /proc (Linux); None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(stat[11]) + int(stat[12])) / ticks  # utime, stime (fields 14 and 15 of stat)
    hwm = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return (int(hwm) / 1024 if hwm else float("nan")), cpu


def _until_served(proc: subprocess.Popen, port: int, timeout: float, t: float) -> float | None:
    """Seconds from t until http://127.0.0.1:port/ answers 200, or None when the process exits first."""
    import httpx

    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return time.perf_counter() - t
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    return None


def run_startup_bench(
    data_dir: Path, repeat: int = 3, serve: bool = True, env: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Cold figures of fresh processes, with PYTHONDONTWRITEBYTECODE=1 set and unset: a citation
    lookup, a hybrid search and (optionally) `serve` until its page answers. Median of `repeat` runs."""
    base = dict(env if env is not None else os.environ)
    data_args = ["--data-dir", str(data_dir)]
    jobs: list[tuple[str, Any]] = [
        ("citation lookup", lambda e: cold_command([*data_args, "search", STARTUP_CITATION], e)),
        ("hybrid search", lambda e: cold_command([*data_args, "search", STARTUP_QUESTION], e)),
    ]
    if serve:
        jobs.append(("serve ready", lambda e: cold_serve(data_args, e)))
    rows = []
    for bytecode in ("set", "unset"):
        env_run = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
        if bytecode == "set":
            env_run["PYTHONDONTWRITEBYTECODE"] = "1"
        for name, job in jobs:
            runs = [job(env_run) for _ in range(repeat)]
            failed = [r for r in runs if r["rc"] != 0]
            rows.append(
                {
                    "command": name,
                    "PYTHONDONTWRITEBYTECODE": bytecode,
                    "runs": len(runs),
                    "median_s": float(np.median([r["seconds"] for r in runs])),
                    "max_s": float(max(r["seconds"] for r in runs)),
                    "cpu_s": float(np.median([r["cpu_s"] for r in runs])),
                    "peak_rss_mb": float(max(r["peak_rss_mb"] for r in runs)),
                    "failed": len(failed),
                    "error": failed[0]["error"] if failed else "",
                }
            )
    return rows
