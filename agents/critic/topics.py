"""A question's topic, scored from the vocabulary's cues (knowledge/vocabulary.yaml).

Each topic's cues are regular expressions with weights; a topic's score is the sum of the weights
of its cues found in the text, and the best score (0.75 or more) names the topic. Cues inside a
subordinate clause ("…, when you first moved into PR") count half: the main clause carries what
the question is about. On an exact tie, the topic whose cue comes first wins, then the one listed
first in the vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.critic.reading import canon, normalise
from knowledge.vocabulary import vocabulary

__all__ = ["classify_topic", "mentioned_topics", "topic_scores"]

_CUES = {t.id: [(re.compile(p, re.I), w) for p, w in t.cues] for t in vocabulary().topics if t.cues}
# One pass per topic first: most texts name only a few topics, so most cue lists are skipped.
_ANY = {t: re.compile("|".join(f"(?:{p.pattern})" for p, _ in cues), re.I) for t, cues in _CUES.items()}


# Cues inside a subordinate clause ("..., when you first moved into PR") count half: the main clause
# carries what the question is about.
_SUBORDINATE = re.compile(
    r"(?<=\w)[,;]?\s+(?:when|while|since|after|before|if|because|once|until|whenever|even though)\b", re.I
)


@lru_cache(maxsize=4096)
def topic_scores(text: str) -> tuple[float, str]:
    """(best score, best topic); ties go to the topic whose cue comes first."""
    text = text[:300]  # a question names its topic early; this bounds the cost on very long input
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    sub = _SUBORDINATE.search(text)
    cut = sub.start() if sub else len(text)
    for topic, patterns in _CUES.items():
        if not _ANY[topic].search(text):
            continue
        for pattern, weight in patterns:
            m = pattern.search(text)
            if m:
                if m.start() >= cut:
                    weight *= 0.5
                scores[topic] = scores.get(topic, 0.0) + weight
                first[topic] = min(first.get(topic, 10**6), m.start())
    if not scores:
        return 0.0, "other"
    best = max(scores, key=lambda t: (scores[t], -first[t]))
    return scores[best], best


def classify_topic(text: str) -> str:
    text = canon(normalise(text))
    score, topic = topic_scores(text)
    return topic if score >= 0.75 else "other"


def mentioned_topics(text: str) -> set[str]:
    """Every topic one of whose cues appears in ``text`` (a seeker's goal may name several)."""
    return {t for t, cues in _CUES.items() if _ANY[t].search(text)}
