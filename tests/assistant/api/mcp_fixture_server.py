"""The MCP server over stdio on the fake fixture searcher, for test_mcp_server (not a test module).

argv[1]: the corpus root whose law versions article_history reads.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from assistant.api.mcp import LegalTools, build_server  # noqa: E402
from assistant.services.answer import AssistantService  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from corpora.history import LawLibrary  # noqa: E402
from tests.assistant.assistant_fakes import FakeHit, FakeSearcher  # noqa: E402


def main() -> None:
    corpus = Path(sys.argv[1])
    searcher = FakeSearcher.from_fixture()
    # The Civil Code's last article (the real text): 民法典 is a law the index knows, and the repeals it names.
    searcher.hits.append(
        FakeHit(
            "民法典@2020-05-28#a1260",
            "statutes",
            "《中华人民共和国民法典》第一千二百六十条",
            "中华人民共和国民法典",
            "民法典",
            1260,
            0,
            "第一千二百六十条",
            "本法自2021年1月1日起施行。《中华人民共和国婚姻法》、《中华人民共和国继承法》、"
            "《中华人民共和国民法通则》、《中华人民共和国收养法》、《中华人民共和国担保法》、"
            "《中华人民共和国合同法》、《中华人民共和国物权法》、《中华人民共和国侵权责任法》、"
            "《中华人民共和国民法总则》同时废止。",
            version="2020-05-28",
        )
    )
    settings = load_settings(overrides={"corpus_dir": str(corpus)})
    service = AssistantService(settings, searcher=searcher)
    build_server(LegalTools(settings, searcher=searcher, service=service, library=LawLibrary(corpus))).run(
        "stdio"
    )


if __name__ == "__main__":
    main()
