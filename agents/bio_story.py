"""A story for a persona made from a public bio (agents.custom_persona), built by rules.

A bio is written about someone ("Jane Doe leads the payments team at …"); the informant answers
far better from first-person text. So each sentence of the bio is put in the first person ("I lead
the payments team at …") and filed under the topic it speaks to (agents.critic's topic cues), how
they got in when it names none. Nothing is added that the bio doesn't say: the story's only other
parts are how this temperament says what it can't share (knowledge/confidential.yaml) and the advice
the built-in personas of the same role give people coming from common backgrounds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from agents.critic.topics import classify_topic
from core.text import split_sentences
from knowledge.personas import Persona, load_personas
from knowledge.stories import Background, Confidential, Story, story_for
from knowledge.vocabulary import vocabulary

__all__ = ["first_person", "private_line", "story_from_bio", "story_of"]

_TEMPLATES = Path(__file__).parent.parent / "knowledge" / "confidential.yaml"
# A third-person present verb after "I" ("I leads" → "I lead"): the irregular ones, then the rules.
_IRREGULAR = {"is": "am", "has": "have", "does": "do", "goes": "go", "was": "was"}
_ADVERBS = r"(?:also|now|currently|still|often|regularly|previously|recently|then|later|first|later|mostly)"


def _base(verb: str) -> str:
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if re.search(r"(?:ss|sh|ch|x|z|o)es$", low):
        return verb[:-2]
    if re.search(r"[^aeiou]ies$", low):
        return verb[:-3] + "y"
    if low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return verb[:-1]
    return verb


def first_person(text: str, name: str) -> str:
    """``text`` about ``name`` said by them: their name, "she", "he" become "I"; "her", "his" become "my";
    the verb after "I" agrees ("She leads" → "I lead"). Quotes and other people are left alone."""
    parts = name.split()
    names = [re.escape(name)] + [re.escape(parts[-1]), re.escape(parts[0])] if len(parts) > 1 else [re.escape(name)]
    subject = rf"(?:(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+)?(?:{'|'.join(names)})(?:'s|’s)?"
    out = re.sub(rf"\b{subject}(?=[’']s\b)[’']s\b", "my", text)  # "Jane's team" → "my team"
    out = re.sub(rf"\b{subject}\b", "I", out)
    out = re.sub(r"\b(?:She|He)\b", "I", out)
    out = re.sub(r"\b(?:she|he)\b", "I", out)
    out = re.sub(r"\b(?:Her|His)\b", "My", out)
    out = re.sub(r"\bhis\b", "my", out)
    out = re.sub(r"\bher\b(?=\s+[a-z])(?!\s+(?:to|and|in|for|with|at|on|as|by|from|about)\b)", "my", out)
    out = re.sub(r"\bher\b", "me", out)
    out = re.sub(r"\bhim\b", "me", out)
    out = re.sub(r"\b(?:herself|himself)\b", "myself", out)
    out = re.sub(
        rf"\bI((?:\s+{_ADVERBS})?)\s+([a-z]+)\b",
        lambda m: f"I{m.group(1)} {_base(m.group(2))}",
        out,
    )
    out = re.sub(r"\bmy my\b", "my", out).replace("I am ", "I'm ")
    return out[:1].upper() + out[1:]


@lru_cache(maxsize=1)
def _confidential() -> dict[str, dict[str, str]]:
    return yaml.safe_load(_TEMPLATES.read_text(encoding="utf-8"))["confidential"]


def _role_backgrounds(role: str) -> tuple[Background, ...]:
    """The advice the built-in personas of ``role`` give people coming from common backgrounds."""
    seen: dict[str, Background] = {}
    for persona in load_personas().values():
        story = story_for(persona.id) if persona.role == role and not persona.custom else None
        for background in story.backgrounds if story else ():
            seen.setdefault(background.background.lower(), background)
    return tuple(seen.values())[:5]


@lru_cache(maxsize=64)
def _story(persona_id: str, name: str, bio: str, role: str, temperament: str) -> Story:
    topics: dict[str, list[str]] = {}
    core = set(vocabulary().core)
    for sentence in split_sentences(" ".join(bio.split())):
        said = first_person(sentence, name)
        topic = classify_topic(said)
        topics.setdefault(topic if topic in core else "career_path", []).append(said)
    lines = _confidential()[temperament]
    return Story.model_construct(
        persona=persona_id,
        topics={topic: " ".join(s)[:700] for topic, s in topics.items()},
        backgrounds=_role_backgrounds(role),
        confidential=Confidential(**lines),
        details=(),
    )


def story_from_bio(persona: Persona) -> Story:
    """The story of a persona made from a bio: the bio in the first person, by topic. It covers only
    what the bio says (the validator's every-topic rule is for the built-in stories)."""
    return _story(persona.id, persona.name, persona.bio or "", persona.role, persona.temperament)


def story_of(persona: Persona) -> Story | None:
    """The persona's story: its file for a built-in persona, its bio's for one made from a bio."""
    if persona.custom:
        return story_from_bio(persona) if persona.bio else None
    return story_for(persona.id)


def private_line(persona: Persona, kind: str) -> str:
    """How the persona says it can't share what was asked (``kind``: finances, pay or people): its
    story's own words, or its temperament's (knowledge/confidential.yaml)."""
    story = story_of(persona)
    if story is not None:
        return getattr(story.confidential, kind)
    return _confidential()[persona.temperament][kind]
