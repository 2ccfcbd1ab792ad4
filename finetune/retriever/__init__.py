"""The legal retriever: a StaticEmbedding model trained offline on pairs mined from the corpus.

Public API:
- `load_retriever_data(corpus_root)` → `RetrieverData` (training data and held-out sets);
- `train_and_score(data, output, RetrieverTrainConfig(...), FusionParams(...))` trains, saves a
  sentence-transformers folder with training_config.json and scores.json;
- `evaluate_methods(data, encoders, fusion, methods, set_names)` → {set: {method: metrics}}.
Heavy libraries (torch, sentence-transformers, jieba) are imported inside the functions.
"""

from finetune.retriever.data import EVAL_SETS, RetrieverData, RetrieverDataError, load_retriever_data
from finetune.retriever.evaluate import METHODS, FusionParams
from finetune.retriever.pipeline import evaluate_methods, sentence_transformer_encoder, train_and_score
from finetune.retriever.train import RetrieverTrainConfig, RetrieverTrainingError, train_retriever

__all__ = [
    "EVAL_SETS",
    "METHODS",
    "FusionParams",
    "RetrieverData",
    "RetrieverDataError",
    "RetrieverTrainConfig",
    "RetrieverTrainingError",
    "evaluate_methods",
    "load_retriever_data",
    "sentence_transformer_encoder",
    "train_and_score",
    "train_retriever",
]
