"""Programmatic access to the assistant: the OpenAI-compatible /v1 endpoint."""
