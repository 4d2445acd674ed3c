"""Saved llama.cpp KV states, so conversations that take turns on one model keep their prefix."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["SavedState", "StateCache"]


@dataclass
class SavedState:
    tokens: np.ndarray
    data: Any  # a ctypes byte array, as llama.cpp reads and writes it
    size: int


class StateCache:
    """llama.cpp KV states of recent prompts, so conversations that take turns keep their prefix.

    llama.cpp reuses the evaluated tokens of the previous prompt only; when two conversations
    alternate, each would pay for its whole prompt again. When another conversation takes the
    model, the live state (the KV cache of the tokens evaluated, about 29 KB a token for the 1.5B
    model) is kept here, and a new prompt restores the state that shares the longest beginning
    with it. Least recently used states go first when the cache is over its byte budget.
    """

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity_bytes = capacity_bytes
        self._items: OrderedDict[int, SavedState] = OrderedDict()
        self._ids = itertools.count()
        self._lock = threading.Lock()

    @staticmethod
    def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
        n = min(len(a), len(b))
        if n == 0:
            return 0
        diff = np.flatnonzero(a[:n] != b[:n])
        return int(diff[0]) if len(diff) else n

    def best(self, tokens: np.ndarray) -> tuple[SavedState | None, int]:
        with self._lock:
            found, length, key = None, 0, None
            for k, item in self._items.items():
                n = self.common_prefix(item.tokens, tokens)
                if n > length:
                    found, length, key = item, n, k
            if key is not None:
                self._items.move_to_end(key)
            return found, length

    def put(self, tokens: np.ndarray, data: Any, size: int | None = None) -> None:
        with self._lock:
            # A state whose tokens are a prefix of the new one is superseded by it.
            for k in [k for k, v in self._items.items() if self.common_prefix(v.tokens, tokens) == len(v.tokens)]:
                del self._items[k]
            self._items[next(self._ids)] = SavedState(tokens.copy(), data, len(data) if size is None else size)
            while len(self._items) > 1 and self.size() > self.capacity_bytes:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def size(self) -> int:
        return sum(v.size for v in self._items.values())

    def __len__(self) -> int:
        return len(self._items)
