"""The few sentences of the retrieved notes that answer the question, rather than whole chunks.

A whole chunk carries sentences beside the point, which the small model recites ("BLS notes that
…"), and every note token is read before the first token of the answer: three chunks are 150-300
tokens, a second or more on two cores. So each turn sends the sentences that share the most words
with the question (and its topic's search words), from the notes the search ranked, within a small
budget; a sentence the model was already sent in this conversation is not sent again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from core.text import content_words, split_sentences
from knowledge.store import Note
from knowledge.vocabulary import vocabulary

__all__ = ["EXCERPT_SENTENCES", "excerpts", "sent_in"]

# At most this many note sentences per turn (and the caller's budget in tokens).
EXCERPT_SENTENCES = 5


def _stems(text: str) -> set[str]:
    return {re.sub(r"(?:ies|es|s|ing|ed|er)$", "", w) if len(w) > 4 else w for w in content_words(text)}


def _fragment(sentence: str) -> bool:
    """A piece of a sentence cut at a chunk's edge (chunks overlap): it starts in lower case, or it
    stops without a full stop; the whole sentence is in the neighbouring chunk."""
    text = sentence.strip()
    return not text or text[0].islower() or text[-1] not in ".!?\"')”’"


def excerpts(
    notes: list[Note],
    question: str,
    topic: str,
    count_tokens: Callable[[str], int],
    sent: set[str] | frozenset[str],
    budget: int,
) -> list[Note]:
    """``notes`` (best first) cut to the sentences that answer ``question``, in each note's own order;
    notes left with no sentence are dropped. ``sent``: sentences already sent in this conversation."""
    hint = vocabulary().by_id[topic].search_hint if topic in vocabulary().by_id else ""
    asked = _stems(question)
    wanted = asked | _stems(hint)
    scored: list[tuple[int, float, int, int, str]] = []
    for rank, note in enumerate(notes):
        for position, sentence in enumerate(split_sentences(note.text)):
            if sentence in sent or len(content_words(sentence)) < 3 or _fragment(sentence):
                continue
            words = _stems(sentence)
            overlap = 2 * len(words & asked) + len(words & wanted - asked)
            bonus = 0.8 * (note.topic == topic) + 0.6 / (rank + 1) + 0.3 * (position == 0)
            scored.append((overlap, overlap + bonus, rank, position, sentence))
    # Sentences that share words with the question; when none does, the best note's opening.
    if any(s[0] for s in scored):
        scored = [s for s in scored if s[0]]
    else:
        scored = [s for s in scored if s[2] == 0 and s[3] < 2]
    chosen: list[tuple[int, int, str]] = []
    used = 0
    for _overlap, _score, rank, position, sentence in sorted(scored, key=lambda s: (-s[1], s[2], s[3])):
        size = count_tokens(sentence)
        if all(r != rank for r, _p, _s in chosen):  # the note's line: "- <title>: "
            size += count_tokens(f"- {notes[rank].title}: ")
        if len(chosen) >= EXCERPT_SENTENCES or (chosen and used + size > budget):
            break
        chosen.append((rank, position, sentence))
        used += size
    out = []
    for rank, note in enumerate(notes):
        mine = [s for r, _p, s in sorted(chosen) if r == rank]
        if mine:
            out.append(replace(note, text=" ".join(mine)))
    return out


def sent_in(message: str, notes: list[Note]) -> set[str]:
    """The sentences of ``notes`` that ``message`` carries (to leave out of later turns)."""
    return {s for note in notes for s in split_sentences(note.text) if s in message}
