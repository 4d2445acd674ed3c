"""Text helpers shared by the agents: one of each, so two modules never word things differently.

Pure functions over strings; nothing here reads files or models.
"""

from __future__ import annotations

import re

__all__ = [
    "article",
    "novel_specifics",
    "number_known",
    "numbers",
    "specifics",
    "content_words",
    "lower_first",
    "sentence_case",
    "slug",
    "split_sentences",
    "with_article",
]

_STOP = set(
    "the a an and or but of to in on for with at by from as is are was were be been being it its this that these those "
    "i you he she we they me my your our their them his her what which who whom how why when where there here so if "
    "than then too very can could would should will just about into over also more most some any all each other such "
    "not no do does did have has had really lot lots get got make made like well much many one two thing things "
    "work working job role field industry career people someone something kind sort day days time".split()
)
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs?|Dr|Mr|Ms|Mrs|St|No|Inc|Ltd|Co|U\.S|U\.K|approx)\.$")


def article(phrase: str) -> str:
    """ "a" or "an" for ``phrase``, as it is said: "an HR manager", "a UX designer", "a university"."""
    first = phrase.split()[0] if phrase.split() else phrase
    if len(first) > 1 and first.isupper():  # an acronym is said letter by letter
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if re.match(r"[aeiou]", phrase, re.I) and not re.match(r"(?:uni|eu|one)", phrase, re.I) else "a"


def with_article(phrase: str) -> str:
    """``phrase`` with its article: "an accountant"."""
    return f"{article(phrase)} {phrase}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a name in capitals ("AI", "ICU")
    or the pronoun "I" ("I'm", "I've")."""
    word = text.split(" ", 1)[0]
    if (len(word) > 1 and word[1:2].isupper()) or re.match(r"I(?:\b|['’])", word):
        return text
    return text[:1].lower() + text[1:]


def sentence_case(text: str) -> str:
    """``text`` stripped, with its first letter in upper case."""
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def split_sentences(text: str) -> list[str]:
    """Sentences of prose, not split after "e.g.", "Dr." and the like."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“(])", " ".join(text.split()))
    merged: list[str] = []
    for part in parts:
        if merged and _ABBREVIATIONS.search(merged[-1]):
            merged[-1] += " " + part
        else:
            merged.append(part)
    return merged


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its content (four letters or more, not a stop word)."""
    return {w for w in re.findall(r"[a-z][a-z'-]{3,}", text.lower()) if w not in _STOP}


def slug(text: str, max_len: int = 60, empty: str = "section") -> str:
    """A lower-case, hyphenated identifier made from ``text``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_len] or empty


# --------------------------------------------------------------------------- specifics

_NUMBER = re.compile(
    r"[$€£]?(\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?)\s*(k\b|thousand\b|million\b|billion\b|trillion\b|bn\b)?",
    re.I,
)
_SCALE = {"k": 1e3, "thousand": 1e3, "million": 1e6, "bn": 1e9, "billion": 1e9, "trillion": 1e12}


def numbers(text: str) -> list[float]:
    found = []
    for m in _NUMBER.finditer(text):
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        found.append(value * _SCALE.get((m.group(2) or "").lower(), 1))
    return found


def number_known(value: float, known: list[float]) -> bool:
    """A number the notes give, allowing rounding ("roughly $126,000" for $125,770), never a changed year."""
    if 1900 <= value <= 2100 and value == int(value):
        return value in known
    return any(abs(value - k) <= 0.05 * max(abs(k), 1e-9) for k in known)


def novel_specifics(sentence: str, notes: str) -> list[str]:
    """The sentence's numbers and names that ``notes`` never mention (the informant's sentence check
    and the groundedness evaluator both use this)."""
    lowered = notes.lower()
    known = numbers(notes)
    novel = [v for v in numbers(sentence) if not number_known(v, known)]
    names = [
        w
        for w in specifics(sentence)
        if not re.search(r"\d", w) and not re.search(rf"(?<![\w]){re.escape(w.lower())}(?![\w])", lowered)
    ]
    return [f"{v:g}" for v in novel] + names


def specifics(text: str) -> set[str]:
    """Numbers and capitalised names (not the first word of the sentence)."""
    words = re.findall(r"[A-Za-z0-9$][\w$%.,'’-]*", text)
    found = {re.sub(r"[.,]+$", "", w) for w in words if re.search(r"\d", w)}
    found |= {w.strip(".,'’") for w in words[1:] if w[:1].isupper() and w not in {"I", "I'm", "I've", "I'd", "I'll"}}
    return {f for f in found if f}
