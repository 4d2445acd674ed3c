"""The critic: a deterministic judgement of one seeker question.

Small local models cannot judge questions reliably, so the decision (score, flags, topic) is made
here by rules that are measured against the labelled sets in ``evals/``; no chat model is asked.
Each rule follows the rubric (knowledge/rubric.md): open not closed (polite requests are open),
neutral wording, one topic per question, never ask for a job, do the homework first, keep it short.
The topics and flags themselves, with their wording, are data: knowledge/vocabulary.yaml.

The package, in the order a question goes through it:
- ``reading``: normalise the text, find the sentences that ask something and the ask in each;
- ``rules``: the flag rules (closed, leading, double-barreled, job, web search, vague);
- ``topics``: the topic, scored from the vocabulary's cues;
- ``analysis``: the decision (flags in severity order, topic, asks);
- ``rewrite``: a better version and the feedback;
- here: the :class:`Critique` and :func:`critique`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from agents.critic.analysis import FLAGS, MAX_WORDS, SEVERITY, Analysis, analyse, decide
from agents.critic.reading import canon, normalise
from agents.critic.rewrite import SPECIFIC, feedback_for, rewrite
from agents.critic.topics import classify_topic, mentioned_topics, topic_scores
from knowledge.vocabulary import vocabulary

__all__ = [
    "FLAGS",
    "MAX_WORDS",
    "SEVERITY",
    "SPECIFIC",
    "TOPICS",
    "TOPIC_LABELS",
    "Analysis",
    "Critique",
    "analyse",
    "classify_topic",
    "critique",
    "critique_many",
    "decide",
    "mentioned_topics",
    "normalise",
    "topic_scores",
]

TOPICS = vocabulary().topic_ids
TOPIC_LABELS = vocabulary().labels


@dataclass
class Critique:
    """The judgement of one question, from the critic alone or in a conversation (agents.coach)."""

    question: str
    score: int
    flags: list[str]
    topic: str
    feedback: str
    rewrite: str | None
    praise: list[str] = field(default_factory=list, repr=False, compare=False)
    # What earned credit, when judged in a conversation (agents.coach.critique_in_context); None
    # for a question judged alone.
    credits: list[str] | None = None

    def to_dict(self) -> dict:
        """The JSON shape (sessions, exports, the CLI): no praise; credits only from a conversation."""
        data = asdict(self)
        data.pop("praise")
        if self.credits is None:
            data.pop("credits")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Critique:
        """A critique as ``to_dict`` wrote it (or as an older session stored it)."""
        return cls(
            question=str(data.get("question", "")),
            score=int(data["score"]),
            flags=list(data.get("flags", [])),
            topic=str(data.get("topic", "other")),
            feedback=str(data.get("feedback", "")),
            rewrite=data.get("rewrite"),
            credits=list(data["credits"]) if data.get("credits") is not None else None,
        )

    @property
    def earned(self) -> list[str]:
        """The credits, as a list (empty for a question judged alone)."""
        return self.credits or []


def critique(question: str, role: str | None = None) -> Critique:
    """Judge one question. ``role`` (e.g. "data scientist") makes the rewrite concrete."""
    text = normalise(question)
    analysis = analyse(text)
    flags, topic = list(analysis.flags), analysis.topic
    specific = bool(SPECIFIC.search(canon(text)))
    if not flags:
        score = 5 if specific else 4
    else:
        score = 5 - sum(SEVERITY[f] for f in flags)
        score = max(1, min(3, score))
        if "asks_for_job" in flags or "not_a_question" in flags:
            score = 1
    feedback, praise = feedback_for(flags, topic, analysis.words, specific)
    return Critique(text, score, flags, topic, feedback, rewrite(analysis, role), praise)


def critique_many(questions: Iterable[str], role: str | None = None) -> list[Critique]:
    return [critique(q, role) for q in questions]
