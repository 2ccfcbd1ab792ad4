"""Sentencing that can be checked: circumstances with their words, the 2021 guideline's steps,
statutory ranges and fines parsed from the article, the general part of the Criminal Law as data
(kinds, 累犯, 缓刑, 数罪并罚), the interpretations' thresholds, and similar cases' terms."""

from .circumstances import Circumstance, Quantities, extract_quantities, find_circumstances
from .conditions import PriorRecord
from .engine import estimate_sentence
from .law import GeneralPart, load_general_part
from .penalties import Fine
from .ranges import StatutoryTier, parse_article_tiers, select_tier
from .rules import GuidelineRules, RulesError, load_rules
from .similar import SimilarSummary, combine_with_similar, summarize_similar
from .trace import SentenceEstimate

__all__ = [
    "Circumstance",
    "Fine",
    "GeneralPart",
    "PriorRecord",
    "GuidelineRules",
    "Quantities",
    "RulesError",
    "SentenceEstimate",
    "SimilarSummary",
    "StatutoryTier",
    "combine_with_similar",
    "estimate_sentence",
    "extract_quantities",
    "find_circumstances",
    "load_general_part",
    "load_rules",
    "parse_article_tiers",
    "select_tier",
    "summarize_similar",
]
