"""Subcommands of `legal-assistant`: thin wrappers that parse flags and call services."""
