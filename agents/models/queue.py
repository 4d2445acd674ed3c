"""Whose turn it is on the one local model: a fair queue between conversations.

The request's conversation and where it reports its cost travel in context variables, so the
informant sets them once per turn and the model reads them wherever LangChain calls it from.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["REQUEST_KEY", "REQUEST_STATS", "FairQueue"]

# Who a model request is for (a conversation), so the local model can take turns fairly.
REQUEST_KEY: ContextVar[str] = ContextVar("request_key", default="-")
# Where each local request reports what it cost (a list the caller reads): the seconds it waited
# in the queue, its prompt's tokens, how many were already evaluated (cached), and whether a saved
# state was restored for it.
REQUEST_STATS: ContextVar[list[dict[str, Any]] | None] = ContextVar("request_stats", default=None)


class FairQueue:
    """One llama.cpp context serves one request at a time; this decides whose turn it is.

    Waiting requests are served round-robin by key: the key served least recently goes first
    (a key never served before goes ahead of one that has been), and requests of one key keep
    their arrival order. So one busy conversation cannot make the others wait for all of its
    requests, and a new conversation waits for at most one request from each of the others.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._waiting: list[tuple[int, str]] = []  # (ticket, key) in arrival order
        self._last_served: dict[str, int] = {}
        self._tickets = itertools.count()
        self._turns = itertools.count()

    def _next(self) -> tuple[int, str]:
        return min(self._waiting, key=lambda tk: (self._last_served.get(tk[1], -1), tk[0]))

    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    def ahead_of(self, key: str) -> int:
        """How many requests would be served before a new request from ``key``."""
        with self._cond:
            mine = self._last_served.get(key, -1)
            ahead = sum(1 for _, k in self._waiting if self._last_served.get(k, -1) <= mine)
            return ahead + (1 if self._busy else 0)

    @contextmanager
    def slot(self, key: str) -> Iterator[float]:
        """Wait for this key's turn; yields the seconds waited."""
        start = time.perf_counter()
        with self._cond:
            entry = (next(self._tickets), key)
            self._waiting.append(entry)
            try:
                while self._busy or self._next() != entry:
                    self._cond.wait()
            except BaseException:
                self._waiting.remove(entry)
                self._cond.notify_all()
                raise
            self._waiting.remove(entry)
            self._busy = True
            self._last_served[key] = next(self._turns)
        try:
            yield time.perf_counter() - start
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
