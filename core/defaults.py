"""Defaults the page, the CLI and the agents share: one value each, defined here."""

__all__ = ["DEFAULT_MINUTES", "MAX_MINUTES", "MIN_MINUTES"]

# The length of the real conversation a seeker practises for or prepares, when they don't say,
# and the range the page, the CLI and a prepared list allow.
DEFAULT_MINUTES = 30
MIN_MINUTES = 10
MAX_MINUTES = 120
