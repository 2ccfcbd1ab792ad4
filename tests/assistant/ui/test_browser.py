"""The chat UI in Debian's Chromium, driven by Playwright, against a small real index.

The index is built in a temporary data dir from a slice of ../shared/corpora (刑法 in its version
before 修正案（十二）, the IP laws, three interpretations, up to 12 CAIL train cases per charge) with a hashed-bigram
embedder (tests/assistant/ui/embedder.py) so that it builds in seconds; everything else is the real stack:
AssistantService with the extractive backend, the Searcher, IndexService and retrieval's update.
Screenshots go to $LEGAL_ASSISTANT_ARTIFACTS (default: a temporary folder).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.assistant.ui.embedder import HashEmbedder

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
ADMIN_PASSWORD = "browser-test-password"
UPLOAD_LIMIT = 300_000  # bytes; 刑法.md is about 219 kB
OLD_CRIMINAL_LAW = "laws_history/刑法/刑法(2020-12-26修正案十一).md"
CHANGED_ARTICLES = {"第一百六十五条", "第一百六十六条", "第一百六十九条", "第三百八十七条", "第三百九十条",
                    "第三百九十一条", "第三百九十三条"}  # fmt: skip
SLICE = [
    ("laws/民法商法/著作权法(2020-11-11).md", None),
    ("laws/民法商法/专利法(2020-10-17).md", None),
    ("laws/民法商法/商标法(2019-04-23).md", None),
    ("laws/经济法/反不正当竞争法(2019-04-23).md", None),
    ("laws/司法解释/最高人民检察院关于适用刑法分则规定的犯罪的罪名的意见(1997-12-25).md", None),
    (
        "laws/司法解释/最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释(2013-04-02).md",
        None,
    ),
    (
        "laws/司法解释/最高人民法院、最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释(2004-12-08).md",
        None,
    ),
    (OLD_CRIMINAL_LAW, "laws/刑法/刑法.md"),
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium: apt-get install chromium fonts-noto-cjk"
    ),
    pytest.mark.timeout(300),
]


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # read in place; a copy only where a link is not allowed
    except OSError:
        shutil.copyfile(src, dst)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("LEGAL_ASSISTANT_ARTIFACTS") or tmp_path_factory.mktemp("ui-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _balanced_cases(path: Path, per_charge: int) -> list[str]:
    """At most `per_charge` cases of each charge (train.jsonl is dominated by a few charges)."""
    seen: dict[str, int] = {}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        charge = json.loads(line)["meta"]["accusation"][0]
        if seen.get(charge, 0) < per_charge:
            seen[charge] = seen.get(charge, 0) + 1
            out.append(line)
    return out


@pytest.fixture(scope="module")
def small_corpus(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for rel, target in SLICE:
        _link(shared_corpus / rel, root / (target or rel))
    lines = _balanced_cases(shared_corpus / "cases/cail2018/train.jsonl", per_charge=12)
    (root / "cases/cail2018").mkdir(parents=True)
    (root / "cases/cail2018/train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@dataclass
class Server:
    url: str
    settings: Any
    figures: dict[str, float]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Server]:
    from assistant.services.index_backend import FULL_SCOPE, build_initial_index
    from assistant.settings import load_settings
    from assistant.ui.app import create_app, launch

    data = tmp_path_factory.mktemp("data")
    # The hashed embedder only stands in for a model: rank by the real BM25 half of hybrid search.
    overrides = {"data_dir": str(data), "corpus_dir": str(small_corpus), "llm.mode": "extractive",
                 "retrieval.dense_weight": 0.0,
                 "ui.admin_password": ADMIN_PASSWORD, "ui.max_upload_bytes": UPLOAD_LIMIT}  # fmt: skip
    settings = load_settings(overrides=overrides)
    started = time.perf_counter()
    build_initial_index(settings, FULL_SCOPE, embedder=HashEmbedder(), echo=lambda _m: None)
    built = time.perf_counter()
    demo = create_app(settings, embedder=HashEmbedder())
    _app, url, _ = launch(demo, settings, host="127.0.0.1", port=_free_port(), block=False)
    figures = {"index_build_s": built - started, "app_ready_s": time.perf_counter() - built}
    yield Server(url.rstrip("/"), settings, figures)
    demo.close()
    (artifacts / "ui-figures.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print("\nUI figures:", json.dumps(figures))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser: Any, server: Server) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.wait_for_selector("#question textarea")
    return page


def wait_text(page: Any, selector: str, text: str, timeout: float = 60_000) -> None:
    """Wait until the element's text contains `text`; on timeout say what it showed instead."""
    try:
        page.wait_for_function(
            "([sel, t]) => { const e = document.querySelector(sel); return !!e && e.innerText.includes(t); }",
            arg=[selector, text], timeout=timeout,
        )  # fmt: skip
    except Exception as e:
        shown = page.locator(selector).inner_text() if page.locator(selector).count() else "(no such element)"
        raise AssertionError(f"{selector} never showed {text!r}; it shows {shown!r}") from e


BOT = "#chatbot [data-testid='bot']"
FINAL = "#chatbot [data-testid='bot'] .answer-notice"


def send(page: Any, question: str, mode: str | None = None) -> None:
    if mode:
        page.get_by_label(mode, exact=True).check()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")


def ask(page: Any, question: str, mode: str | None = None) -> str:
    """Send a question and wait for its complete answer; returns the last answer's text."""
    before = page.locator(FINAL).count()
    send(page, question, mode)
    page.wait_for_function(
        f"n => document.querySelectorAll(`{FINAL}`).length > n", arg=before, timeout=90_000
    )
    return page.locator(BOT).last.inner_text()


def _criminal_law_cards(page: Any) -> dict[str, str]:
    """{第X条: the text shown} for every 刑法 source card on the page."""
    out = {}
    for card in page.locator("#sources .src-card").all():
        head = card.locator(".src-head").inner_text()
        if "《中华人民共和国刑法》" in head:
            out[head.split("》", 1)[1].strip()] = card.locator(".src-text").inner_text().strip()
    return out


def _criminal_law_text(server: Server) -> dict[str, str]:
    from corpora.loader import load_corpus

    corpus = load_corpus(server.settings.corpus_dir, cases=False)
    return {a.number_cn: a.text.strip() for a in corpus.articles if a.law_id == "刑法" and a.current}


def watch_stream(page: Any) -> None:
    """Record every distinct text of the newest answer bubble while it is being written.

    The page answers to the question box before Gradio has mounted the chat area, so wait for it first:
    observing an element that is not there yet throws.
    """
    page.wait_for_selector("#chatbot", state="attached")
    page.evaluate(
        """() => {
        window.__states = [];
        new MutationObserver(() => {
          const bots = document.querySelectorAll("#chatbot [data-testid='bot']");
          const last = bots[bots.length - 1];
          const t = last ? last.innerText : "";
          if (t && window.__states[window.__states.length - 1] !== t) window.__states.push(t);
        }).observe(document.querySelector("#chatbot"), {subtree: true, childList: true, characterData: true});
      }"""
    )


def test_sentencing_answer_streams_with_criminal_law_sources_disclaimer_and_chart(browser, server, artifacts):
    from playwright.sync_api import expect

    page = open_page(browser, server)
    banner = page.locator("#disclaimer-banner")
    assert banner.is_visible() and "不构成法律意见" in banner.inner_text()
    watch_stream(page)
    answer = ask(
        page, "被告人李某多次盗窃，盗窃数额共计三千元，到案后如实供述，可能判多久？", mode="量刑分析"
    )
    page.screenshot(path=str(artifacts / "01-sentencing.png"), full_page=True)
    states = page.evaluate("window.__states")
    partial = [s for s in states if "不构成法律意见" not in s and "正在检索" not in s]
    assert partial, f"no partial answer was shown before the final one: {states}"
    assert "不构成法律意见" in answer
    criminal = _criminal_law_cards(page)
    assert criminal, page.inner_text("#sources")
    law = _criminal_law_text(server)
    for label, text in criminal.items():  # each card shows its article's full text, as in the corpus
        assert text == law[label], label
    assert "盗窃" in page.inner_text("#sources")
    assert page.locator("#sentencing-view").is_visible()
    circumstances = page.inner_text("#circumstances")
    assert "估计" in circumstances and "坦白" in circumstances and "如实供述" in circumstances
    steps = page.inner_text("#guideline-steps")
    assert "量刑起点" in steps and "宣告刑" in steps, steps
    chart = page.locator("#terms-chart img")
    chart.wait_for()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 300")
    link = page.locator(f"{BOT} a.cite-link").first
    assert link.get_attribute("href", timeout=5_000).startswith("#src-")
    page.click("#disclaimer-ack")
    banner.wait_for(state="hidden")
    page.reload()
    page.wait_for_selector("#question textarea")  # the layout, banner included, is rendered shown
    # acknowledged once per browser: the page's load event reads localStorage and hides the banner
    expect(banner).to_be_hidden(timeout=15_000)
    page.context.close()


def test_ip_question_gets_ip_sources_and_export(browser, server, artifacts):
    page = open_page(browser, server)
    ask(page, "商标侵权的赔偿数额怎么确定？", mode="知识产权分析")
    assert "《中华人民共和国商标法》" in page.inner_text("#sources")
    assert not page.locator("#sentencing-view").is_visible()
    page.screenshot(path=str(artifacts / "02-ip.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#export")
        page.locator("#export-file a").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "商标侵权的赔偿数额怎么确定？" in text and "《中华人民共和国商标法》" in text
    page.click("#clear")
    page.wait_for_function(f"() => document.querySelectorAll(`{BOT}`).length === 0")
    page.context.close()


def test_two_sessions_never_see_each_other(browser, server):
    a, b = open_page(browser, server), open_page(browser, server)
    send(a, "醉酒驾驶机动车会判什么刑？")
    send(b, "专利法规定的不视为侵犯专利权的情形有哪些？")
    for page in (a, b):
        page.wait_for_selector(FINAL, timeout=90_000)
    text_a, text_b = a.inner_text("#chatbot"), b.inner_text("#chatbot")
    assert "醉酒驾驶" in text_a and "专利" not in text_a.split("醉酒驾驶", 1)[0]
    assert "不视为侵犯专利权" in text_b and "醉酒" not in text_b
    follow_up = ask(b, "那么先用权是什么意思？")  # b's history is b's own
    assert "醉酒" not in follow_up
    a.context.close()
    b.context.close()


def test_eight_concurrent_chats_complete(browser, server, artifacts):
    questions = ["盗窃他人财物三千元，有自首情节，可能判多久？", "商标侵权的赔偿数额怎么确定？",
                 "刑法第二百六十四条是怎么规定的？", "未经许可复制他人软件并出售构成什么罪？"] * 2  # fmt: skip
    pages = [open_page(browser, server) for _ in questions]
    started = time.perf_counter()
    for page, q in zip(pages, questions, strict=True):
        send(page, q)
    done: dict[int, float] = {}
    while len(done) < len(pages) and time.perf_counter() - started < 150:
        for i, page in enumerate(pages):
            if i not in done and page.locator(FINAL).count():
                done[i] = time.perf_counter() - started
        time.sleep(0.1)
    assert len(done) == len(pages), f"only {len(done)} of {len(pages)} chats completed"
    times = sorted(done.values())
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    server.figures.update({"concurrent8_p50_s": statistics.median(times), "concurrent8_p95_s": p95})
    pages[0].screenshot(path=str(artifacts / "03-concurrent.png"), full_page=True)
    for page in pages:
        page.context.close()


def _index_generation(server: Server) -> str:
    manifest = json.loads((server.settings.data_dir / "index" / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest["generation"])


def login(page: Any, password: str) -> None:
    page.get_by_role("tab", name="索引管理").click()
    page.locator("#admin-user").locator("textarea, input").first.fill("admin")
    page.locator("#admin-password input").fill(password)
    page.click("#admin-login-button")


def test_index_page_refuses_without_login_and_bad_inputs_change_nothing(browser, server, artifacts, tmp_path):
    from gradio_client import Client

    page = open_page(browser, server)
    page.get_by_role("tab", name="索引管理").click()
    assert not page.locator("#law-upload").is_visible() and not page.locator("#index-stats").is_visible()
    login(page, "wrong")
    wait_text(page, "#admin-login-message", "错误")
    assert not page.locator("#admin-panel").is_visible()
    # The server checks the login on every action, whatever a client sends.
    reply = Client(server.url + "/", verbose=False).predict(None, "", api_name="/do_upload")
    assert "需要管理员登录" in json.dumps(reply, ensure_ascii=False, default=str)
    before = _index_generation(server)
    login(page, ADMIN_PASSWORD)
    page.locator("#index-stats").wait_for()
    bad = tmp_path / "购物清单.md"
    bad.write_text("# 购物清单（虚构）\n\n苹果\n牛奶\n", encoding="utf-8")
    big = tmp_path / "刑法.md"
    big.write_bytes(b"#" * (UPLOAD_LIMIT + 1))
    good = server.settings.corpus_dir / "laws/刑法/刑法.md"
    for files, target, message in [
        ([bad], "", "不是可识别的法律文件"),
        ([big], "", "超过上限"),
        ([good], "../../outside/刑法.md", "不允许“..”"),
    ]:
        page.locator("#law-upload input[type=file]").set_input_files([str(f) for f in files])
        page.locator("#upload-target").locator("textarea, input").first.fill(target)
        page.click("#upload-button")
        wait_text(page, "#update-result", message)
        assert "索引未改变" in page.inner_text("#update-result")
        page.locator("#law-upload button[aria-label='清除']").first.click()  # the page is in zh-CN
        page.wait_for_function("() => !document.querySelector('#law-upload .file-preview')")
    page.screenshot(path=str(artifacts / "04-index-bad-input.png"), full_page=True)
    assert _index_generation(server) == before
    page.get_by_role("tab", name="咨询").click()
    send(page, "长" * (server.settings.ui.max_question_chars + 1))
    wait_text(page, "#chat-status", "问题过长")
    assert page.locator(BOT).count() == 0
    page.context.close()


def test_admin_upload_of_changed_criminal_law_reports_articles_and_chat_quotes_new_text(
    browser, server, artifacts, shared_corpus
):
    page = open_page(browser, server)
    login(page, ADMIN_PASSWORD)
    page.locator("#index-stats").wait_for()
    assert "中华人民共和国刑法" in page.inner_text("#index-stats")
    page.locator("#law-upload input[type=file]").set_input_files(str(shared_corpus / "laws/刑法/刑法.md"))
    page.click("#upload-button")
    wait_text(page, "#update-result", "更新完成", timeout=120_000)
    report = page.inner_text("#change-report")
    changed = {label for label in CHANGED_ARTICLES if label in report}
    assert changed == CHANGED_ARTICLES, report
    assert "第二百六十四条" not in report
    page.screenshot(path=str(artifacts / "05-index-update.png"), full_page=True)
    page.get_by_role("tab", name="咨询").click()
    answer = ask(page, "刑法第三百九十条是怎么规定的？", mode="法条查询")
    sources = page.inner_text("#sources")
    assert "对犯行贿罪的，处三年以下有期徒刑" in answer + sources
    assert "处五年以下有期徒刑或者拘役，并处罚金；因行贿" not in answer + sources
    page.screenshot(path=str(artifacts / "06-after-update.png"), full_page=True)
    page.context.close()
