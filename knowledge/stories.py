"""Each persona's own story, in the first person, as data: ``knowledge/stories/<persona id>.yaml``.

The notes say what is true of a role in the third person; a small model reads them out that way.
A story says the same things as this one person would: how I got in, my real week, what is hard,
the skill I wish I'd built earlier, my advice (and my advice for people coming from common
backgrounds), whom I'd point you to, what I can't share and how I'd say so, and a few details that
make them someone. It is written to agree with the persona's card and the role's notes: a number,
a name or an organisation in a story is one the card or the notes already hold.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from knowledge.vocabulary import vocabulary

__all__ = ["STORIES_DIR", "Background", "Confidential", "Story", "load_story", "story_for"]

STORIES_DIR = Path(__file__).parent / "stories"
# Spoken by the person to the seeker: "I" and "my", or "you" in advice; never "he" or "she" about themselves.
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I've|I'd|I'll|[Mm]y|[Mm]e|[Mm]ine|[Ww]e|[Oo]ur|[Uu]s|[Yy]ou|[Yy]ou're|[Yy]our)\b"
)
_THIRD_PERSON_OPENER = re.compile(r"^(?:he|she|they|the (?:nurse|engineer|designer|analyst|manager))\b", re.I)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Background(_Record):
    """Advice for people coming from one common background."""

    background: str  # who it is for: "career changers from retail or customer service"
    cues: tuple[str, ...]  # words a seeker's background would contain: ("retail", "customer service", "store")
    advice: str  # first person, two or three sentences


class Confidential(_Record):
    """What this person can't share, and how they'd say so, in their own voice."""

    finances: str  # the employer's revenue, budget, costs, deals
    pay: str  # their own exact pay, colleagues' pay (ranges from the notes are fine elsewhere)
    people: str  # patients, clients, students, colleagues, internal matters


class Story(_Record):
    persona: str
    topics: dict[str, str]  # a core topic id (knowledge/vocabulary.yaml) -> a short first-person paragraph
    backgrounds: tuple[Background, ...]
    confidential: Confidential
    details: tuple[str, ...]  # a project, a bad day, an opinion: a sentence or two each

    @field_validator("topics")
    @classmethod
    def _topics_are_the_vocabulary_s(cls, topics: dict[str, str]) -> dict[str, str]:
        known = set(vocabulary().topic_ids) - {"other"}
        unknown = set(topics) - known
        if unknown:
            raise ValueError(f"unknown topics {sorted(unknown)}; use: {', '.join(sorted(known))}")
        missing = set(vocabulary().core) - set(topics)
        if missing:
            raise ValueError(f"missing core topics {sorted(missing)}")
        return topics

    @model_validator(mode="after")
    def _first_person(self) -> Story:
        texts = [*self.topics.values(), *(b.advice for b in self.backgrounds), *self.details]
        texts += [self.confidential.finances, self.confidential.pay, self.confidential.people]
        for text in texts:
            if _THIRD_PERSON_OPENER.match(text.strip()) or not _FIRST_PERSON.search(text):
                raise ValueError(f"not in the first person: {text[:60]!r}")
        if not 3 <= len(self.backgrounds) <= 6 or not 3 <= len(self.details) <= 5:
            raise ValueError("give 3-6 backgrounds and 3-5 details")
        return self


def load_story(path: Path) -> Story:
    """Read and check one story file; a bad one is a ValueError naming the file."""
    try:
        return Story.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise ValueError(f"{path.name} is not a valid story ({detail}). Fix the file.") from exc


@lru_cache(maxsize=64)
def story_for(persona_id: str) -> Story | None:
    """The built-in persona's story, or None when it has none (a persona made from a bio)."""
    path = STORIES_DIR / f"{persona_id}.yaml"
    return load_story(path) if path.is_file() else None
