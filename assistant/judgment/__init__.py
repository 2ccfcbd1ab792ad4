"""Judgment prediction from facts (articles, charges, term) and its CAIL-style evaluation."""
