"""An MCP server (`legal-assistant mcp`) so that agents in any MCP host look law up instead of inventing it.

Tools: search_law, get_article, validate_citation, article_history, estimate_sentence, index_status.
Each answers from the index and the corpus, and returns the disclaimer and the corpus's data date.
`LegalTools` holds the logic (plain Python, tested directly); `build_server` wraps it for the `mcp` SDK.
"""

from __future__ import annotations

from typing import Any, Literal

from assistant.agent.citation_status import StatusResolver
from assistant.agent.disclaimer import DISCLAIMER
from corpora.citations import CitationRef, parse_citations
from corpora.history import DATA_DATE, AmbiguousLawError, HistoryError

SERVER_NAME = "legal-assistant"
INSTRUCTIONS = (
    "中国法律检索工具（数据截至 2025-04-19）。引用任何法条前先用 validate_citation 或 get_article 核对；"
    "回答不构成法律意见。"
)
Verdict = Literal["verified", "nonexistent", "repealed_or_superseded", "ambiguous"]


class ToolInputError(ValueError):
    """An argument the tool cannot use; the message says what to give instead."""


def _stamp(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "data_date": DATA_DATE, "disclaimer": DISCLAIMER}


def _hit(hit: Any) -> dict[str, Any]:
    meta = getattr(hit, "metadata", {}) or {}
    return {
        "citation": hit.citation,
        "law_id": hit.law_id,
        "article": hit.number_cn,
        "text": hit.text,
        "version": hit.version,
        "in_force": meta.get("effective") or None,
        "current": hit.current,
        "kind": hit.kind,
    }


class LegalTools:
    """The tools over a searcher, the history library and the assistant service (each opened lazily)."""

    def __init__(self, settings: Any, searcher: Any = None, service: Any = None, library: Any = None) -> None:
        self.settings = settings
        self._searcher, self._service, self._library = searcher, service, library

    # --- resources -----------------------------------------------------------------------------
    @property
    def searcher(self) -> Any:
        if self._searcher is None:
            from retrieval.search import Searcher

            s = self.settings
            self._searcher = Searcher.open(s.data_dir, s.embedding, s.vector_store, s.retrieval)
        return self._searcher

    @property
    def service(self) -> Any:
        if self._service is None:
            from assistant.services.answer import AssistantService

            self._service = AssistantService(self.settings, searcher=self.searcher)
        return self._service

    @property
    def library(self) -> Any:
        if self._library is None:
            from corpora.history import library_for
            from corpora.loader import resolve_corpus_root

            self._library = library_for(resolve_corpus_root(self.settings.corpus_dir, self.settings.data_dir))
        return self._library

    # --- tools ---------------------------------------------------------------------------------
    def search_law(self, query: str, k: int = 5, kind: str | None = None) -> dict[str, Any]:
        from retrieval.errors import QueryError

        if not query or not query.strip():
            raise ToolInputError("query is empty: give a question or a citation such as 刑法第二百六十四条")
        try:
            hits = self.searcher.search(query, kind=kind, k=max(1, min(int(k), 20)))
        except QueryError as e:
            raise ToolInputError(str(e)) from e
        return _stamp({"query": query, "hits": [{"rank": i, **_hit(h)} for i, h in enumerate(hits, start=1)]})

    def _one_ref(self, citation: str) -> CitationRef:
        refs = parse_citations(citation or "")
        if not refs:
            raise ToolInputError(
                f"no article citation in {citation!r}: write it like 刑法第二百六十四条 or 民法典第1165条"
            )
        return refs[0]

    def get_article(self, citation: str, on_date: str | None = None) -> dict[str, Any]:
        ref = self._one_ref(citation)
        if not ref.law:
            raise ToolInputError(f"{citation!r} names no law: write 刑法第{ref.number}条 or the like")
        if on_date is not None and not _is_iso_date(on_date):
            raise ToolInputError(f"on_date {on_date!r} is not a date like 2021-03-01")
        if on_date is not None:
            dated = self._article_on(ref, on_date)
            if dated is not None:
                return _stamp({"on_date": on_date, "article": dated})
        law_id = self.searcher.resolve_law(ref.law) or ref.law
        hit = self.searcher.get_article(law_id, ref.number, ref.suffix, on_date=on_date)
        if hit is None:
            when = f"在 {on_date} 有效的版本中" if on_date else ""
            raise ToolInputError(f"索引中没有{ref.law}{when}的{ref.text[len(ref.law) :] or ref.text}")
        return _stamp({"on_date": on_date, "article": _hit(hit)})

    def _article_on(self, ref: CitationRef, on_date: str) -> dict[str, Any] | None:
        """The article in the version in force on `on_date`, from the corpus's dated versions (the
        index holds the current ones; laws_history and the in-force dates of amendments are here)."""
        try:
            versions = self.library.versions(self.library.resolve_law(ref.law or ""))
        except Exception:  # unknown or ambiguous here, or no corpus: the index answers
            return None
        in_force = [v for v in versions if (v.in_force or v.version) <= on_date]
        if not in_force:
            return None
        v = in_force[-1]
        rec = v.article(ref.number, ref.suffix)
        if rec is None:
            return None
        return {
            "citation": rec.citation,
            "law_id": rec.law_id,
            "article": rec.number_cn,
            "text": rec.text,
            "version": v.version,
            "in_force": v.in_force,
            "current": v is versions[-1],
            "kind": rec.kind,
        }

    def validate_citation(self, citation: str) -> dict[str, Any]:
        ref = self._one_ref(citation)
        verdict, reason, extra = self._verdict(ref)
        return _stamp({"citation": ref.text, "status": verdict, "reason": reason, **extra})

    def _verdict(self, ref: CitationRef) -> tuple[Verdict, str, dict[str, Any]]:
        label = ref.text
        if not ref.law:
            found = self.searcher.lookup(ref.text)
            laws = sorted({h.law_title for h in found})
            return "ambiguous", "没有写明法律名称，多部法律都有这一条", {"candidates": laws}
        from corpora.citations import normalize_law_name

        name = normalize_law_name(ref.law)
        repeal = StatusResolver(self.searcher).repeal_of(name)  # read from the repealing article itself
        if repeal is not None:
            when = repeal.since or "（日期未载明）"
            reason = f"《{name}》已于{when}废止，由《{repeal.successor}》取代（{repeal.by.citation}）"
            replacement = {"law": repeal.successor, "since": repeal.since}
            return "repealed_or_superseded", reason, {"replacement": replacement}
        law_id = self.searcher.resolve_law(name)
        if law_id is None:
            try:
                self.library.resolve_law(name)
            except AmbiguousLawError as e:
                return "ambiguous", str(e), {"candidates": e.candidates}
            except HistoryError:
                pass
            except Exception:  # no corpus beside the index: the index alone decides
                pass
            return "nonexistent", f"法规库中没有名为《{name}》的法律", {}
        hit = self.searcher.get_article(law_id, ref.number, ref.suffix)
        if hit is None:
            return "nonexistent", f"法规库中的《{law_id}》没有{label[len(ref.law) :] or label}", {}
        if not hit.current:
            return (
                "repealed_or_superseded",
                f"{hit.citation}只见于 {hit.version} 版，不在现行版本中",
                {"article": _hit(hit), "replacement": self._successor(law_id, hit)},
            )
        return "verified", f"{hit.citation}存在且现行有效（{hit.version} 版）", {"article": _hit(hit)}

    def _successor(self, law_id: str, hit: Any) -> dict[str, Any] | None:
        """The current article an outdated one became, followed by content through the versions."""
        try:
            versions = self.library.versions(law_id)
        except Exception:
            return None
        k = next((i for i, v in enumerate(versions) if v.version == hit.version), None)
        rec = versions[k].article(hit.number, hit.suffix) if k is not None else None
        while rec is not None and k is not None and k + 1 < len(versions):
            nxt = next(
                (c.new for c in self.library.alignment(versions[k], versions[k + 1]) if c.old is rec), None
            )
            rec, k = nxt, k + 1
        if rec is None:
            return None
        return {"law": versions[-1].title, "article": rec.number_cn, "version": versions[-1].version}

    def article_history(self, citation: str) -> dict[str, Any]:
        from assistant.agent.history_answers import article_markdown

        ref = self._one_ref(citation)
        if not ref.law:
            raise ToolInputError(f"{citation!r} names no law: write 刑法第{ref.number}条 or the like")
        try:
            h = self.library.article_history(ref.law, ref.number, ref.suffix)
        except HistoryError as e:
            raise ToolInputError(str(e)) from e
        return _stamp({**h.to_dict(), "summary": article_markdown(h)})

    def estimate_sentence(self, facts: str) -> dict[str, Any]:
        if not facts or not facts.strip():
            raise ToolInputError("facts is empty: describe the case (行为、数额、情节)")
        answer = self.service.answer(facts, mode="sentencing")
        if answer.route in ("invalid", "error"):
            raise ToolInputError(answer.text)
        return _stamp(
            {
                "estimate": answer.sentencing.to_dict() if answer.sentencing is not None else None,
                "answer": answer.text,
                "sources": [{"n": s.n, **_hit(s.hit)} for s in answer.sources if not s.is_case],
                "notes": answer.notes,
            }
        )

    def index_status(self) -> dict[str, Any]:
        from retrieval.health import index_status

        status = index_status(self.settings.data_dir)
        out: dict[str, Any] = {
            "index": {
                k: status.get(k) for k in ("exists", "problem", "records", "laws", "built_at", "updated_at")
            },
        }
        if status.get("exists") and not status.get("problem"):
            stats = self.searcher.stats()
            out["index"]["collections"] = stats["collections"]
            out["index"]["kinds"] = stats["kinds"]
        try:
            lib = self.library
            out["corpus"] = {"root": str(lib.root), "laws": len(lib.law_ids)}
        except Exception as e:  # no corpus beside the index
            out["corpus"] = {"problem": str(e)}
        return _stamp(out)


def _is_iso_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def build_server(tools: LegalTools) -> Any:
    """The MCPServer with the six tools; a ToolInputError reaches the client as an error result."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    server = MCPServer(SERVER_NAME, instructions=INSTRUCTIONS, log_level="WARNING")

    from corpora.loader import CorpusError
    from retrieval.errors import RetrievalError

    def guarded(fn: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except (ToolInputError, RetrievalError, CorpusError) as e:  # no index, no corpus: say so
                raise ToolError(str(e)) from e

        return call

    @server.tool()
    def search_law(query: str, k: int = 5, kind: str | None = None) -> dict[str, Any]:
        """Search Chinese statutes, judicial interpretations and cases (hybrid BM25 + vectors), best first.
        kind: statutes, interpretations or cases (default all)."""
        return guarded(tools.search_law)(query, k, kind)

    @server.tool()
    def get_article(citation: str, on_date: str | None = None) -> dict[str, Any]:
        """The text of one article from a citation such as 刑法第二百六十四条; on_date (YYYY-MM-DD) picks
        the version in force on that day, default the current one."""
        return guarded(tools.get_article)(citation, on_date)

    @server.tool()
    def validate_citation(citation: str) -> dict[str, Any]:
        """Check a citation: verified, nonexistent, repealed_or_superseded (with its replacement) or ambiguous."""
        return guarded(tools.validate_citation)(citation)

    @server.tool()
    def article_history(citation: str) -> dict[str, Any]:
        """Every version of an article the corpus holds, newest first, with dates, diffs and amendments."""
        return guarded(tools.article_history)(citation)

    @server.tool()
    def estimate_sentence(facts: str) -> dict[str, Any]:
        """A structured sentence estimate for the facts of a criminal case, with its rule-by-rule trace."""
        return guarded(tools.estimate_sentence)(facts)

    @server.tool()
    def index_status() -> dict[str, Any]:
        """What the index covers (records, laws, build date) and the corpus's data date."""
        return guarded(tools.index_status)()

    return server
