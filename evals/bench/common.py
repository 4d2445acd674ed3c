"""What the parts of the benchmark share: the personas and questions of every conversation, and
the small statistics and progress helpers."""

from __future__ import annotations

import statistics
from collections.abc import Callable

__all__ = ["PERSONAS", "QUESTIONS", "median", "percentile", "say"]

PERSONAS = ("marcus-bell", "deborah-asante", "robert-lindqvist")  # one per temperament
QUESTIONS = (
    "What does a typical day look like for you?",
    "What do you find hardest about the work?",
    "How did you get started in this field?",
    "What skills matter most for someone starting out?",
    "How is your industry changing right now?",
)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress:
        progress(text)
