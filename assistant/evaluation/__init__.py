"""Scores: judgment prediction, sentencing terms, circumstances found in facts."""
