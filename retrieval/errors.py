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
