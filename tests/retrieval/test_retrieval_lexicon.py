"""The everyday-word lexicons (retrieval/everyday_law/*.toml): each entry's legal words are the cited
articles' own words, and every search, not only the agent's, reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lexicon_checks import check_reaches

from corpora.citations import parse_citations
from retrieval.lexicon import Lexicon, LexiconError
from retrieval.search import Searcher
from tests.retrieval.everyday_law_text import everyday_law_text


def test_every_entry_gives_words_of_the_articles_it_cites(shared_corpus: Path, lexicon: Lexicon) -> None:
    from corpora.loader import load_corpus

    refs: dict[str, list[tuple[str, int, int]]] = {}
    for e in lexicon.entries:
        law, keys = "", []
        for r in parse_citations(e.source):  # 商标法第十条、第十一条: the second inherits the law
            law = r.law or law
            keys.append((law, r.number, r.suffix))
        refs[e.source] = keys
    laws = {k[0] for keys in refs.values() for k in keys}
    texts: dict[tuple[str, int, int], str] = {}
    for a in load_corpus(shared_corpus, cases=False).articles:
        if a.current and a.numbering == "article":
            for law in laws:
                if a.law_title.endswith(law) or a.law_id == law:
                    texts[(law, a.number, a.suffix)] = a.text
    for e in lexicon.entries:
        cited = [texts.get(k) for k in refs[e.source]]
        assert all(cited), f"{e.source}: an article not in the corpus"
        foreign = [w for w in e.legal.split() if not any(w in t for t in cited if t)]
        assert not foreign, f"{e.words[0]}: {foreign} are not words of {e.source}"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_an_entry_needs_its_words_its_also_and_none_of_its_unless(tmp_path: Path) -> None:
    lexicon = Lexicon.read(
        _write(
            tmp_path,
            '[[term]]\nwords = ["保护期", "保护多少年"]\nalso = ["专利"]\nunless = ["外观"]\n'
            'legal = "发明专利权的期限为二十年 专利"\nsource = "专利法第四十二条"\n',
        )
    )
    assert lexicon.legal_words("发明专利保护多少年？") == "发明专利权的期限为二十年"  # 专利 is in the query
    assert lexicon.expand("作品保护多少年？") == "作品保护多少年？"  # no 专利
    assert lexicon.legal_words("外观设计专利的保护期？") == ""  # unless
    assert [found for found, _ in lexicon.matches("专利的保护期")] == ["保护期"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[term]]\nwords = ["偷"]\nlegal = "盗窃"\n', "needs words, legal and source"),
        ('[[term]]\nwords = ["偷("]\nlegal = "盗窃"\nsource = "刑法第二百六十四条"\n', "is not a pattern"),
        (
            '[[term]]\nwords = ["偷"]\nlegal = "盗窃"\nsource = "第二百六十四条"\n',
            "names no article of a law",
        ),
        ("[[term]\n", "cannot read the lexicon"),
    ],
)
def test_a_bad_lexicon_is_one_clear_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        Lexicon.read(_write(tmp_path, body))


DRINK = "喝了点酒就开车回家，被查到了怎么办？"


def _drink_lexicon(tmp_path: Path, source: str) -> Path:
    """One entry whose everyday words (喝…酒…开车) give 醉酒驾驶机动车 and name `source`."""
    entry = f'[[term]]\nwords = ["喝.{{0,4}}酒.{{0,6}}开车"]\nlegal = "醉酒驾驶机动车"\nsource = "{source}"\n'
    return _write(tmp_path, entry)


def _searcher(built_index, fake_settings, **update) -> Searcher:  # type: ignore[no-untyped-def]
    """A Searcher over the fixture index with these retrieval settings changed."""
    data, _, embedder = built_index
    emb, vs, ret = fake_settings
    return Searcher.open(data, emb, vs, ret.model_copy(update=update), embedder=embedder)


def test_search_itself_reads_the_legal_words_of_everyday_words(built_index, fake_settings, tmp_path) -> None:
    path = _drink_lexicon(tmp_path, "示例刑法第一百三十三条之一")
    query = DRINK
    with_lexicon = _searcher(built_index, fake_settings, lexicons=(str(path),))
    assert with_lexicon.expanded(query) == f"{query} 醉酒驾驶机动车"
    assert with_lexicon.search(query, k=3)[0].citation == "《中华人民共和国示例刑法》第一百三十三条之一"
    without = _searcher(built_index, fake_settings, lexicons=())
    assert without.expanded(query) == query
    # where the everyday words come from: the entry's source, resolved to the index's law (law id, number)
    law_id = with_lexicon.resolve_law("示例刑法")
    assert law_id and with_lexicon.lexicon_articles(query) == {(law_id, 133, 1)}
    assert with_lexicon.lexicon_articles("今天天气怎么样") == set() == without.lexicon_articles(query)
    # with how much of the question the entry matched: 喝了点酒就开车
    assert with_lexicon.lexicon_evidence(query) == {(law_id, 133, 1): len("喝了点酒就开车")}


@pytest.mark.parametrize(
    "name",
    [
        "heldout",
        "heldout2",
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
        "heldout8",
        "heldout9",
        "heldout10",
        "heldout11",
        "heldout12",
        "heldout13",
        "heldout14",
        "heldout15",
        "heldout16",
        "heldout17",
        "heldout18",
        "heldout19",
        "heldout20",
        "heldout21",
        "heldout22",
        "heldout23",
    ],
)
def test_the_heldout_suites_are_kept_whole_and_apart_from_the_others(name: str) -> None:
    import tomllib

    from retrieval.quality import SUITE_FILES

    def texts(suite: str) -> set[str]:
        return {r["text"] for r in tomllib.loads(SUITE_FILES[suite].read_text(encoding="utf-8"))["question"]}

    rows = tomllib.loads(SUITE_FILES[name].read_text(encoding="utf-8"))["question"]
    others = set().union(*(texts(s) for s in SUITE_FILES if s != name))
    assert len(rows) >= 30 and not {r["text"] for r in rows} & others
    assert {r["area"] for r in rows} == {"刑事", "知识产权", "民事", "婚姻家庭", "劳动", "行政"}
    for row in rows:  # each answer is one citation with its law, as load_suite resolves it
        refs = [parse_citations(a) for a in row["articles"]]
        assert refs and all(len(r) == 1 and r[0].law for r in refs), row


def _suite_texts() -> list[str]:
    import tomllib

    folder = Path(__file__).parent / "questions"
    texts = [
        q["text"] for f in sorted(folder.glob("*.toml")) for q in tomllib.loads(f.read_text())["question"]
    ]
    assert len(texts) > 150
    return texts


@pytest.mark.parametrize(
    "every",
    [pytest.param(24, id="every-24th-word"), pytest.param(1, id="every-word", marks=pytest.mark.slow)],
)
def test_the_hints_skip_only_entries_that_cannot_match(tmp_path: Path, every: int) -> None:
    """The cached lexicon (hints, patterns compiled on demand) finds exactly what the plain one finds,
    on every question of the suites and on the words of the entries (regular ones included): every
    eighth word by default (each word is matched against all 1,600 entries: every word took 3 minutes),
    every word in the slow run."""
    from retrieval.settings import RetrievalSettings

    paths = RetrievalSettings().lexicons
    plain = Lexicon.read_all(paths)
    Lexicon.read_all(paths, tmp_path)  # writes the cache
    cached = Lexicon.read_all(paths, tmp_path)
    assert list(tmp_path.glob("lexicon-*.json")) and cached.entries == plain.entries
    assert sum(h is not None for h in cached._hints) > len(cached.entries) // 2  # most entries are skipped
    words = [w.replace(".{0,4}", "").replace(".{0,6}", "") for e in plain.entries for w in e.words][::every]
    for text in [*_suite_texts(), *words, "上班时间每天工作十个小时", "提前三天告诉公司"]:
        assert cached.matches(text) == plain.matches(text), text
        assert cached.legal_words(text) == plain.legal_words(text)


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("辞职", "辞职"),
        ("提前.{0,4}告诉公司", "提前告诉公司"),
        ("没(?:有)?(?:交|缴)社保", "没社保"),
        ("加班(?:费)+", "加班费"),
        ("偷|抢", None),
        ("(?i)abc", None),
        ("[偷抢]", None),
    ],
)
def test_required_chars_are_the_literals_every_match_holds(pattern: str, needs: str | None) -> None:
    from retrieval.lexicon import required_chars

    assert required_chars(pattern) == needs


def test_a_changed_lexicon_is_read_again_not_served_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = _write(tmp_path, '[[term]]\nwords = ["偷"]\nlegal = "盗窃"\nsource = "刑法第二百六十四条"\n')
    assert Lexicon.read_all([path], cache).legal_words("偷东西") == "盗窃"
    assert Lexicon.read_all([path], cache).legal_words("偷东西") == "盗窃"  # from the cache
    path.write_text(
        '[[term]]\nwords = ["偷"]\nlegal = "扒窃"\nsource = "刑法第二百六十四条"\n', encoding="utf-8"
    )
    assert Lexicon.read_all([path], cache).legal_words("偷东西") == "扒窃"
    assert len(list(cache.glob("lexicon-*.json"))) == 1  # the stale one is gone
    path.write_text(
        '[[term]]\nwords = ["偷("]\nlegal = "盗窃"\nsource = "刑法第二百六十四条"\n', encoding="utf-8"
    )
    with pytest.raises(LexiconError, match="is not a pattern"):  # a broken file is checked, never cached
        Lexicon.read_all([path], cache)
    (cache / next(cache.glob("lexicon-*.json")).name).write_text("garbage")
    path.write_text(
        '[[term]]\nwords = ["偷"]\nlegal = "扒窃"\nsource = "刑法第二百六十四条"\n', encoding="utf-8"
    )
    assert Lexicon.read_all([path], cache).legal_words("偷东西") == "扒窃"  # a damaged cache is read past


@pytest.mark.parametrize(
    ("query", "reached", "not_reached"),
    [
        # the everyday words reach the article a lawyer would cite
        ("入职时公司要收我两千块押金，合法吗？", "劳动合同法第九条", None),
        ("老板把我调到仓库，工资也少了一千", "劳动合同法第三十五条", None),
        ("上班时突发心脏病去世了，算工伤吗？", "工伤保险条例第十五条", "社会保险法第三十六条"),
        ("为了让我搬走，政府给我家停水停电，合法吗？", "行政强制法第四十三条", None),
        ("被派出所传唤去问话，最长能扣我多久？", "治安管理处罚法第八十三条", None),
        ("路边的树被风刮断砸坏了我的车，谁来赔？", "民法典第一千二百五十七条", None),
        ("员工上班时给公司写的软件，著作权归谁？", "著作权法第十八条", None),
        # an entry's `also`: 押金 alone is no labour question
        ("租房的押金房东不退怎么办？", None, "劳动合同法第九条"),
        # an entry's `unless`: the specific entry, not the generic one
        (
            "上班迟到了几次，公司说我严重违纪把我开除了",
            "劳动合同法第三十九条",
            "劳动合同法第四十七条、第八十七条",
        ),
        ("女员工怀孕了，公司能辞退她吗？", "劳动合同法第四十二条", "劳动合同法第四十七条、第八十七条"),
        (
            "租房合同还没到期，房子卖给了别人，新房主能赶我走吗？",
            "民法典第七百二十五条",
            "劳动合同法第四十六条",
        ),
        ("空调外机掉下来砸伤了路人", "民法典第一千二百五十三条", "民法典第一千二百五十四条"),
        ("老板有钱却一直拖欠工人工资不给，会被判刑吗？", None, "劳动法第五十条"),
        ("拐卖小孩会判什么刑？", None, "刑法第十七条"),
        ("在饭店喝醉了随便殴打别人、起哄闹事，会被判刑吗？", None, "刑法第十八条"),
        ("给朋友借钱时当了担保人，朋友跑了，我要替他还吗？", None, "刑事诉讼法第六十七条"),
        ("社保交了十年，到退休年龄了能领养老金吗？", "社会保险法第十六条", "民法典第一千零九十八条"),
        ("合同里既约定了定金又约定了违约金，两个能一起要吗？", None, "民法典第五百八十六条、第五百八十七条"),
    ],
)
def test_an_everyday_question_reaches_its_article_and_not_its_neighbours(
    lexicon: Lexicon, query: str, reached: str | None, not_reached: str | None
) -> None:
    check_reaches(lexicon, query, reached, not_reached)


def test_a_lexicon_rewritten_while_it_is_read_never_caches_one_version_under_the_other_s_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A writer replaces the file right after its first read: the entries read and the cache key must both
    # be of the bytes read first (a key of the old text over the new entries would serve stale entries).
    cache = tmp_path / "cache"
    path = _write(tmp_path, '[[term]]\nwords = ["偷"]\nlegal = "盗窃"\nsource = "刑法第二百六十四条"\n')
    first = path.read_bytes()
    real = Path.read_bytes

    def read_then_rewrite(self: Path) -> bytes:
        found = real(self)
        if self == path:
            self.write_bytes(first.replace("盗窃".encode(), "扒窃".encode()))
        return found

    monkeypatch.setattr(Path, "read_bytes", read_then_rewrite)
    assert Lexicon.read_all([path], cache).legal_words("偷东西") == "盗窃"
    monkeypatch.setattr(Path, "read_bytes", real)
    # the file now says 扒窃: its own key, read again, not the cache written for 盗窃
    assert Lexicon.read_all([path], cache).legal_words("偷东西") == "扒窃"


def test_a_missing_lexicon_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read the lexicon"):
        Lexicon.read_all([tmp_path / "absent.toml"], tmp_path / "cache")


def _term(everyday: str, legal: str) -> str:
    return f'[[term]]\nwords = ["{everyday}"]\nlegal = "{legal}"\nsource = "刑法第二百六十四条"\n'


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def test_a_folder_is_read_as_its_toml_files_in_name_order(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {
            "02-b.toml": _term("抢", "抢劫"),
            "01-a.toml": _term("偷", "盗窃") + _term("扒", "扒窃"),
            "README.md": "x",
        },
    )
    legal = ["盗窃", "扒窃", "抢劫"]
    assert [e.legal for e in Lexicon.read(folder).entries] == legal
    for _ in range(2):  # read and checked, then from the cache
        assert [e.legal for e in Lexicon.read_all([folder], tmp_path / "cache").entries] == legal
    other = _write(tmp_path, _term("骗", "诈骗"))
    assert [e.legal for e in Lexicon.read_all([other, folder]).entries] == ["诈骗", *legal]


def test_a_changed_or_added_file_of_a_folder_changes_the_cache_key(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = _folder(tmp_path, {"01-a.toml": _term("偷", "盗窃"), "02-b.toml": _term("抢", "抢劫")})

    def key() -> str:
        (found,) = cache.glob("lexicon-*.json")  # the older caches are removed
        return found.name

    assert Lexicon.read_all([folder], cache).legal_words("抢东西") == "抢劫"
    first = key()
    (folder / "02-b.toml").write_text(_term("抢", "抢夺"), encoding="utf-8")
    assert Lexicon.read_all([folder], cache).legal_words("抢东西") == "抢夺"
    second = key()
    (folder / "03-c.toml").write_text(_term("骗", "诈骗"), encoding="utf-8")
    assert Lexicon.read_all([folder], cache).legal_words("骗东西") == "诈骗"
    assert len({first, second, key()}) == 3


@pytest.mark.parametrize("cached", [False, True])
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, r"the lexicon folder .*lexicon holds no \.toml file"),
        ({"README.md": "x"}, r"the lexicon folder .*lexicon holds no \.toml file"),
        (
            {"01-a.toml": _term("偷", "盗窃"), "02-b.toml": "[[term]\n"},
            r"cannot read the lexicon .*02-b\.toml",
        ),
        (
            {"01-a.toml": _term("偷", "盗窃"), "02-b.toml": _term("抢(", "抢劫")},
            r"02-b\.toml: term 1: .* is not a",
        ),
    ],
)
def test_an_empty_folder_or_a_broken_file_in_it_is_one_clear_error(
    tmp_path: Path, files: dict[str, str], message: str, cached: bool
) -> None:
    folder = _folder(tmp_path, files)
    with pytest.raises(LexiconError, match=message):
        if cached:
            Lexicon.read_all([folder], tmp_path / "cache")
        else:
            Lexicon.read(folder)


def test_every_entry_written_since_stop_17_can_be_skipped_by_its_hint(lexicon: Lexicon) -> None:
    """Each word of every entry from the first stop-17 block on needs some literal, so a question without it
    never compiles the entry (older entries without one are compiled for every question)."""
    from retrieval.lexicon import _entry_hint

    text = everyday_law_text()
    before = text[: text.index("# ---- stop 17")].count("[[term]]")
    block = lexicon.entries[before:]
    assert len(block) >= 400
    unhinted = [e.source for e in block if _entry_hint(e) is None]
    assert not unhinted, unhinted


def test_the_articles_an_entry_was_written_from_rank_at_the_source_weight(
    built_index, fake_settings, tmp_path
) -> None:
    """An entry's everyday words stand for its `source` article itself (retrieval.source_weight), not only
    for its legal words: here the words reach 第一百三十三条之一 and the entry names 第一百三十三条."""
    path = _drink_lexicon(tmp_path, "示例刑法第一百三十三条")

    def first(weight: float) -> str:
        searcher = _searcher(built_index, fake_settings, lexicons=(str(path),), source_weight=weight)
        return searcher.search(DRINK, k=3)[0].citation

    assert first(0.0) == "《中华人民共和国示例刑法》第一百三十三条之一"
    assert first(5.0) == "《中华人民共和国示例刑法》第一百三十三条"


def test_a_free_ride_is_a_ride_not_a_novel_serialised_for_free(lexicon: Lexicon) -> None:
    """「我的小说被人在网站上免费连载」 matched 免费…载 and was answered with 民法典第一千二百一十七条 (无偿搭乘)."""
    ride = "民法典第一千二百一十七条"
    assert ride not in {e.source for _, e in lexicon.matches("我的小说被人在网站上免费连载，我能告他吗？")}
    assert ride in {e.source for _, e in lexicon.matches("免费搭朋友的车，路上出了车祸受伤了，司机要赔吗？")}


def test_a_repeated_query_gets_the_same_matches_and_cannot_change_them(tmp_path: Path) -> None:
    """A search asks for one query's matches up to three times: the later answers are the first one's,
    each a list of its own, and only the last few queries are kept."""
    from retrieval import lexicon as lexicon_module
    from retrieval.settings import RetrievalSettings

    lexicon = Lexicon.read_all(RetrievalSettings().lexicons, tmp_path)
    query = "公司拖欠工资三个月，我能辞职并要经济补偿吗"
    first = lexicon.found(query)
    assert first and lexicon.found(query) == first
    first.clear()
    assert lexicon.found(query) and lexicon.matched(query) == [i for i, _ in lexicon.found(query)]
    for i in range(lexicon_module.LAST_QUERIES + 3):
        lexicon.found(f"第{i}个问题：老板不给加班费")
    assert len(lexicon._last) == lexicon_module.LAST_QUERIES
