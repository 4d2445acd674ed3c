"""A question list: its questions, and the Markdown and printable page it becomes."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from agents.coach import SEED_TOPICS
from agents.critic import TOPIC_LABELS
from core.defaults import MAX_MINUTES, MIN_MINUTES
from knowledge.vocabulary import vocabulary

__all__ = [
    "CORE",
    "FLOW",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "NEAR_DUPLICATE",
    "OVERHEAD_MINUTES",
    "SPECIFIC_SHARE",
    "TEMPERAMENT_FACTOR",
    "PlannedQuestion",
    "QuestionPlan",
]

OVERHEAD_MINUTES = 2  # introductions at the start, thanks at the end
NEAR_DUPLICATE = 0.82  # MiniLM cosine above which two questions ask the same thing
SPECIFIC_SHARE = 1 / 3

TEMPERAMENT_FACTOR = {"busy": 0.75, "sceptical": 1.0, "warm": 1.25}
# The order of a conversation (knowledge/vocabulary.yaml): their story first, referrals last.
FLOW = vocabulary().flow
CORE = tuple(t for t in SEED_TOPICS if t != "networking")


@dataclass
class PlannedQuestion:
    question: str
    topic: str
    minutes: int
    why: str
    priority: int = 0
    source: str = ""  # the note a note question was built from ("Pharmacist: Challenges — BLS …")
    specific: bool = False
    flags: list[str] = field(default_factory=list)  # after the user edits it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class QuestionPlan:
    persona_id: str
    persona_name: str
    persona_title: str
    goal: str
    background: str
    minutes: int
    questions: list[PlannedQuestion]
    variant: int = 0
    shown: list[str] = field(default_factory=list)  # every question offered so far (regenerate skips them)

    @property
    def minutes_used(self) -> int:
        return sum(q.minutes for q in self.questions) + OVERHEAD_MINUTES

    @property
    def topics(self) -> list[str]:
        return [t for t in FLOW if any(q.topic == t for q in self.questions)]

    @property
    def specific_count(self) -> int:
        return sum(1 for q in self.questions if q.specific)

    def summary(self) -> str:
        return (
            f"{len(self.questions)} questions, about {self.minutes_used} of your {self.minutes} minutes "
            f"(including {OVERHEAD_MINUTES} for introductions and thanks); {len(self.topics)} topics; "
            f"{self.specific_count} built on the notes."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona_id,
            "goal": self.goal,
            "background": self.background,
            "minutes": self.minutes,
            "minutes_used": self.minutes_used,
            "topics": self.topics,
            "variant": self.variant,
            "questions": [q.to_dict() for q in self.questions],
        }

    def markdown(self) -> str:
        lines = [
            f"# Questions for {self.persona_name}",
            f"*{self.persona_title}*",
            "",
        ]
        if self.goal:
            lines.append(f"**Goal:** {self.goal}")
        if self.background:
            lines.append(f"**About me:** {self.background}")
        lines += [
            f"**Time:** {self.summary()}",
            "",
            "Introduce yourself in a sentence and say what you hope to learn. If time runs short, ask in "
            "priority order (P1 first). Keep your resume ready, but hand it over only if asked.",
        ]
        previous = None
        for n, q in enumerate(self.questions, 1):  # in the user's order; a heading where the topic changes
            if q.topic != previous:
                label = TOPIC_LABELS.get(q.topic, "other questions")
                lines += ["", f"## {label[:1].upper() + label[1:]}"]
                previous = q.topic
            lines.append(f"{n}. {q.question}  ")
            source = f" Source: {q.source}." if q.source else ""
            lines.append(f"   *{q.minutes} min · P{q.priority} · {q.why}{source}*")
        lines += ["", "Afterwards: send a thank-you note within 24 hours that names one thing they said."]
        return "\n".join(lines)

    def html(self) -> str:
        """A standalone page to print (or save as PDF) and take into the conversation."""
        esc = html.escape
        parts = [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>Questions for {esc(self.persona_name)}</title>",
            "<style>body{font:15px/1.45 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111}"
            "h1{font-size:1.5em;margin-bottom:0}h2{font-size:1.1em;margin:1.2em 0 .3em;border-bottom:1px solid #ccc}"
            "ol{padding-left:1.6em}li{margin:.45em 0}.meta{color:#555;font-size:.85em}"
            ".box{display:inline-block;width:.9em;height:.9em;border:1px solid #333;margin-right:.4em}"
            "@media print{body{margin:0}a{color:inherit}}</style></head><body>",
            f"<h1>Questions for {esc(self.persona_name)}</h1><p><em>{esc(self.persona_title)}</em></p>",
        ]
        if self.goal:
            parts.append(f"<p><strong>Goal:</strong> {esc(self.goal)}</p>")
        if self.background:
            parts.append(f"<p><strong>About me:</strong> {esc(self.background)}</p>")
        parts.append(f"<p class='meta'>{esc(self.summary())} Ask in priority order if time runs short.</p>")
        previous = None
        for n, q in enumerate(self.questions, 1):
            if q.topic != previous:
                if previous is not None:
                    parts.append("</ol>")
                label = TOPIC_LABELS.get(q.topic, "other questions")
                parts.append(f"<h2>{esc(label[:1].upper() + label[1:])}</h2><ol start='{n}'>")
                previous = q.topic
            parts.append(
                f"<li><span class='box'></span>{esc(q.question)}"
                f"<div class='meta'>{q.minutes} min · P{q.priority} · {esc(q.why)}"
                f"{esc(' Source: ' + q.source + '.') if q.source else ''}</div></li>"
            )
        if previous is not None:
            parts.append("</ol>")
        parts.append(
            "<p class='meta'>Afterwards: a thank-you note within 24 hours that names one thing they said.</p>"
            "</body></html>"
        )
        return "".join(parts)
