"""One index generation folder: records.jsonl and the BM25 index, renamed into place when complete.

jieba is pure Python and, with a fast embedding model, the slowest stage of a build. For a large
build the BM25 half therefore runs in a child process (retrieval.children) while the parent encodes;
the parent writes records.jsonl, waits for the child and renames the folder. Nothing is committed
before the manifest names the generation, so a child that fails or is killed only leaves a staging
folder that the next cleanup removes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from retrieval import catalogue, children
from retrieval import manifest as mf
from retrieval.entries import IndexEntry
from retrieval.lexical import ChineseTokenizer, LexicalIndex

BACKGROUND_MIN = 3000  # entries from which the BM25 build goes to a child (spawn costs about 1 s of CPU)


def build_lexical(directory: Path, ids: Sequence[str], texts: Sequence[str], words: Sequence[str]) -> None:
    """Tokenise, index and save: what the child runs (and the parent, for small builds)."""
    LexicalIndex(ChineseTokenizer(words)).build(ids, texts).save(directory)


def child_main() -> None:
    """The child's side: one message, (folder, ids, texts, words)."""
    for directory, ids, texts, words in children.messages():
        build_lexical(directory, ids, texts, words)


@contextlib.contextmanager
def _lexical_job(
    directory: Path, entries: Sequence[IndexEntry], words: Sequence[str], progress: bool
) -> Iterator[Callable[[], None]]:
    """Start the BM25 build; yields `wait`, which returns once the lexical folder is complete."""
    ids, texts = [e.entry_id for e in entries], [e.lexical_text for e in entries]
    if len(entries) < BACKGROUND_MIN:

        def inline() -> None:
            tokenizer = ChineseTokenizer(words)
            tokens = tokenizer.tokenize_many(tqdm(texts, desc="tokenizing", unit="rec", disable=not progress))
            LexicalIndex(tokenizer).build_tokenized(ids, tokens).save(directory)

        yield inline
        return
    child = children.Child("retrieval.generation:child_main", "building the lexical (BM25) index")
    child.send((directory, ids, texts, list(words)))
    try:
        yield child.finish
    finally:
        child.kill()  # a no-op once finished; else the build failed and the child's work is of no use


def write_records(folder: Path, entries: Sequence[IndexEntry]) -> None:
    # records.jsonl with its catalogue, which lets a search start without parsing every record
    catalogue.write_records(folder, mf.RECORDS_FILE, [e.to_json() for e in entries])


def write_generation(
    data_dir: Path,
    entries: Sequence[IndexEntry],
    words: Sequence[str],
    progress: bool,
    meanwhile: Callable[[], Any] | None = None,
) -> str:
    """Write a new generation and rename it into place; `meanwhile` (a build's embedding) runs while
    the BM25 index is built. Returns the generation's name."""
    generation = mf.new_generation_name()
    with (
        mf.staging_generation(data_dir, generation) as folder,
        _lexical_job(folder / mf.LEXICAL_DIR, entries, words, progress) as wait_lexical,
    ):
        if meanwhile is not None:
            meanwhile()
        write_records(folder, entries)
        wait_lexical()
    return generation
