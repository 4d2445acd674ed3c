"""The vocabulary: topics, flags and credits, defined once in ``vocabulary.yaml`` (beside this file).

The critic (cues, canonical questions, flag feedback), the coach (seed topics, follow-ups, rubric
citations), the question lists (minutes, conversation order, the bank, note-question endings) and
the notes (which heading is which topic) all read it from here. An unknown field is an error, and
the checks below run when it loads, so a mistake in the file stops the app with one line.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

__all__ = ["VOCABULARY_PATH", "BankQuestion", "Flag", "Topic", "Vocabulary", "load_vocabulary", "vocabulary"]

VOCABULARY_PATH = Path(__file__).parent / "vocabulary.yaml"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BankQuestion(_Record):
    """A question a prepared list may offer on a topic."""

    text: str
    why: str
    when: Literal["always", "senior", "junior", "background", "about"] = "always"


class Topic(_Record):
    id: str
    label: str
    core: bool
    order: int
    minutes: int
    note_headings: tuple[str, ...] = ()
    canonical: str
    follow_up: str
    search_hint: str = ""
    mine: str = ""  # how the persona heads its own story's paragraph on it ("How I got here")
    note_tails: tuple[str, ...] = ()
    questions: tuple[BankQuestion, ...] = ()
    cues: tuple[tuple[str, float], ...] = ()


class Flag(_Record):
    id: str
    kind: Literal["question", "conversation", "credit"]
    name: str = ""
    severity: int = 0
    rubric: int | str | None = None
    feedback: str


class Vocabulary(_Record):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    topics: tuple[Topic, ...]
    flags: tuple[Flag, ...]

    @model_validator(mode="after")
    def _check(self) -> Vocabulary:
        ids = [t.id for t in self.topics]
        if len(set(ids)) != len(ids) or "other" not in ids:
            raise ValueError("topic ids must be unique, and one of them 'other'")
        if sorted(t.order for t in self.topics) != list(range(1, len(ids) + 1)):
            raise ValueError("topic orders must be 1, 2, … with no gaps or repeats")
        flag_ids = [f.id for f in self.flags]
        if len(set(flag_ids)) != len(flag_ids) or set(flag_ids) & set(ids):
            raise ValueError("flag ids must be unique and differ from topic ids")
        for topic in self.topics:
            if topic.id != "other" and not topic.cues:
                raise ValueError(f"topic {topic.id}: give it cues, or no question can be about it")
            for pattern, _ in topic.cues:
                re.compile(pattern)
            if set(re.findall(r"{(\w+)}", topic.canonical)) - {"a_role"}:
                raise ValueError(f"topic {topic.id}: its canonical question may only use {{a_role}}")
        for flag in self.flags:
            if flag.kind == "question" and not (flag.name and flag.severity):
                raise ValueError(f"flag {flag.id}: a question flag needs a name and a severity")
        return self

    # ------------------------------------------------------------------ views

    def topic(self, topic_id: str) -> Topic:
        return self.by_id[topic_id]

    @cached_property
    def by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def topic_ids(self) -> tuple[str, ...]:
        """Every topic, in the file's order."""
        return tuple(t.id for t in self.topics)

    @cached_property
    def flow(self) -> tuple[str, ...]:
        """Every topic, in the order of a conversation."""
        return tuple(t.id for t in sorted(self.topics, key=lambda t: t.order))

    @cached_property
    def core(self) -> tuple[str, ...]:
        """The seed's core topics, in the order of a conversation."""
        return tuple(t for t in self.flow if self.by_id[t].core)

    @cached_property
    def labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.topics}

    @cached_property
    def heading_topics(self) -> dict[str, str]:
        """A built-in note's section heading (lower case) -> its topic."""
        return {h: t.id for t in self.topics for h in t.note_headings}

    def flags_of(self, kind: str) -> tuple[str, ...]:
        return tuple(f.id for f in self.flags if f.kind == kind)

    @cached_property
    def flag(self) -> dict[str, Flag]:
        return {f.id: f for f in self.flags}


def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Read and check a vocabulary file; a bad one is a ValueError naming the file and the fix."""
    try:
        return Vocabulary.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError, re.error) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise ValueError(f"{path.name} is not a valid vocabulary ({detail}). Fix the file.") from exc


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The app's vocabulary, read once per process."""
    return load_vocabulary()
