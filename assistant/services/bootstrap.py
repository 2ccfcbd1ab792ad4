"""First start on a fresh machine: train the legal embedding model when `embedding.model = "auto"`
and none is in the data dir yet, so that the index is built with a model that reads Chinese
(and builds in seconds, not the many minutes MiniLM takes on a CPU)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from assistant.settings import Settings

# bitsandbytes is imported by peft, which sentence-transformers imports; on a CPU with AVX512-BF16 it
# warns at import, on every command, that the optional `kernels` package for its CPU 4-bit matmul
# is missing. That only matters where 4-bit is used.
BNB_KERNELS_LOGGER = "bitsandbytes.backends.cpu.ops"


class _DropKernelsWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "kernels-community" not in record.getMessage()


_KERNELS_FILTER = _DropKernelsWarning()


def quiet_unused_4bit_warning(settings: Settings) -> None:
    """Drop bitsandbytes' `kernels` warning unless the settings load a model in 4-bit."""
    logger = logging.getLogger(BNB_KERNELS_LOGGER)
    if settings.llm.load_in_4bit:
        logger.removeFilter(_KERNELS_FILTER)
    else:
        logger.addFilter(_KERNELS_FILTER)


class BootstrapError(RuntimeError):
    """The retriever could not be trained; the message says why and what to do instead."""


def legal_model_dir(settings: Settings) -> Path:
    from retrieval.embeddings import LEGAL_MODEL_SUBDIR

    return Path(settings.data_dir) / LEGAL_MODEL_SUBDIR


def needs_legal_model(settings: Settings) -> bool:
    return (
        settings.embedding.model.strip() == "auto"
        and not (legal_model_dir(settings) / "modules.json").is_file()
    )


def ensure_legal_model(settings: Settings, echo: Callable[[str], None] = print) -> Path | None:
    """Train `<data_dir>/models/legal-static` from the corpus if "auto" would otherwise fall back
    to MiniLM. Returns the model folder, or None when the settings name another model."""
    if settings.embedding.model.strip() != "auto":
        return None
    out = legal_model_dir(settings)
    if not needs_legal_model(settings):
        return out
    if settings.corpus_dir is None or not Path(settings.corpus_dir).is_dir():
        return None  # the index build that follows names the missing corpus
    from finetune.retriever.data import RetrieverDataError, load_retriever_data
    from finetune.retriever.evaluate import FusionParams
    from finetune.retriever.pipeline import train_and_score
    from finetune.retriever.train import RetrieverTrainConfig, RetrieverTrainingError

    echo(f"首次启动：从语料训练中文法律检索模型（约 2–5 分钟）→ {out}")
    try:
        data = load_retriever_data(
            settings.corpus_dir,
            log=echo,
            lexicons=settings.retrieval.lexicons,
            bank=settings.retrieval.question_bank,
        )
        config = RetrieverTrainConfig(max_chars=settings.embedding.max_chars)
        # evaluate=False: no scoring, so the fusion parameters are not used (the searcher reads its own)
        train_and_score(data, out, config, FusionParams(), evaluate=False, log=echo)
    except (RetrieverTrainingError, RetrieverDataError) as e:
        raise BootstrapError(
            f"could not train the legal retrieval model: {e} "
            '(set embedding.model = "minilm" or a model folder to skip it)'
        ) from e
    return out
