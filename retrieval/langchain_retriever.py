"""The index as a LangChain retriever, so an agent or chain can call it like any other."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.search import Hit, Searcher


def hit_to_document(hit: Hit) -> Document:
    metadata = hit.to_dict()
    text = metadata.pop("text")
    extra = metadata.pop("metadata")
    # Chroma-style flat metadata: nested values of the record are kept under their own keys.
    metadata.update({f"record_{k}": v for k, v in extra.items() if k not in metadata})
    return Document(page_content=text, metadata=metadata, id=hit.record_id)


class LegalRetriever(BaseRetriever):
    """Hybrid legal search (citations, dense, BM25) returning Documents with the Hit fields as metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int | None = None
    kind: str | None = None
    where: dict[str, Any] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.searcher.search(query, kind=self.kind, k=self.k, where=self.where)
        return [hit_to_document(h) for h in hits]
