"""Defaults the page, the CLI and the agents share: one value each, defined here."""

__all__ = ["DEFAULT_MINUTES"]

# The length of the real conversation a seeker practises for or prepares, when they don't say.
DEFAULT_MINUTES = 30
