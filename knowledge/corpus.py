"""Word statistics of the built-in notes: how specific a sentence is, and how its first word is spelt.

Read once per process from ``knowledge/notes`` (the files ship with the app and never change while
it runs). The question lists, the research brief and the thank-you note rank sentences with these.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from core.text import split_sentences
from knowledge import NOTES_DIR

__all__ = ["Corpus", "corpus", "lower_first_known", "specificity"]


@dataclass(frozen=True)
class Corpus:
    df: dict[str, int]  # per word: in how many roles' notes it appears
    lower: set[str]  # words seen in lower case
    proper: set[str]  # words capitalised in the middle of a sentence (names: "Epic", "Medicare")
    files: int


@lru_cache(maxsize=1)
def corpus() -> Corpus:
    """Word statistics of the built-in notes, read once per process."""
    df: Counter[str] = Counter()
    lower: set[str] = set()
    proper: set[str] = set()
    files = sorted(NOTES_DIR.glob("*/*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        words = re.findall(r"[A-Za-z][A-Za-z0-9'’-]*", text)
        df.update({w.lower() for w in words})
        lower.update(w for w in words if w.islower())
        prose = re.sub(r"^(?:#.*|Source:.*|---.*|\w+: .*)$", " ", text, flags=re.M)
        for sentence in split_sentences(prose):
            proper.update(w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", sentence)[1:] if w[:1].isupper())
    return Corpus(dict(df), lower, proper, max(len(files), 1))


def specificity(sentence: str) -> float:
    """How specific a sentence is: names, acronyms, numbers and words rare across the roles' notes."""
    stats = corpus()
    df, n = stats.df, stats.files
    score = 0.0
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’<>-]*", sentence)
    for i, w in enumerate(words):
        if any(c.isdigit() for c in w):
            score += 1.0
        elif i > 0 and w[:1].isupper():
            score += 1.0
        elif w.lower() not in df or df[w.lower()] <= max(2, n // 20):
            score += 0.5 if len(w) > 4 else 0.0
    return score


def lower_first_known(sentence: str) -> str | None:
    """Lower-case the first word unless it is a name or an acronym ("Epic", "USP", "PharmD");
    None when the notes don't say which it is (a name seen only at the start of sentences)."""
    stats = corpus()
    first = sentence.split()[0]
    bare = re.sub(r"[^A-Za-z'’-]", "", first)
    if not bare or bare[1:] != bare[1:].lower() or any(c.isdigit() for c in first):
        return sentence
    if bare.lower() in stats.lower:
        return sentence[:1].lower() + sentence[1:]
    return sentence if bare.lower() in stats.proper else None
