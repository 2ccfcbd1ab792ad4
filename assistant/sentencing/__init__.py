"""Sentencing that can be checked: circumstances with their words, the 2021 guideline's steps,
statutory ranges parsed from the article, and similar cases' terms."""

from .circumstances import Circumstance, Quantities, extract_quantities, find_circumstances
from .engine import estimate_sentence
from .ranges import StatutoryTier, parse_article_tiers, select_tier
from .rules import GuidelineRules, RulesError, load_rules
from .similar import SimilarSummary, combine_with_similar, summarize_similar
from .trace import SentenceEstimate

__all__ = [
    "Circumstance",
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
    "load_rules",
    "parse_article_tiers",
    "select_tier",
    "summarize_similar",
]
