"""The errors the retrieval package raises for problems a user can fix.

Each carries one readable message naming the problem; the CLI turns them into one line.
"""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class: a problem with the index, the model or the query, explained in the message."""


class EmbeddingModelError(RetrievalError):
    """The configured embedding model cannot be found or loaded."""


class QueryError(RetrievalError):
    """A query that cannot be searched (empty, too long …)."""


class IndexNotFoundError(RetrievalError):
    """No index has been built in the data directory."""


class IndexCorruptError(RetrievalError):
    """The index directory exists but cannot be read (garbage manifest, missing Chroma files …)."""


class EmbeddingMismatchError(RetrievalError):
    """The index was built with another embedding model or dimension: a full rebuild is needed."""


class VectorStoreError(RetrievalError):
    """The Chroma store (embedded folder or server) cannot be reached or used."""


class VectorStoreDownError(VectorStoreError):
    """A Chroma server that does not answer: searches go on without dense vectors."""


# The Chinese lead of each error, for messages raised in English (the detail keeps its English
# terms: file paths, setting names and the command to run).
_LEADS: list[tuple[type[RetrievalError], str]] = [
    (IndexNotFoundError, "还没有索引"),
    (IndexCorruptError, "索引无法读取"),
    (EmbeddingMismatchError, "嵌入模型与索引不符"),
    (EmbeddingModelError, "嵌入模型无法加载"),
    (VectorStoreError, "向量库（Chroma）不可用"),
    (QueryError, "查询无效"),
]


def user_message(e: RetrievalError) -> str:
    """The message in Chinese: as written when it already is, else a Chinese lead before the detail."""
    text = str(e)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text[:6]):
        return text
    lead = next((zh for cls, zh in _LEADS if isinstance(e, cls)), "检索出错")
    return f"{lead}：{text}"
