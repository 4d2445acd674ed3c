"""Every built-in persona's story loads, belongs to a built-in persona, and invents no figure:
each number in it is one its card or its role's notes already hold (the facts stay theirs)."""

from __future__ import annotations

import re

import pytest

from knowledge.personas import PERSONAS_DIR, load_personas
from knowledge.stories import STORIES_DIR, load_story

NOTES_DIR = STORIES_DIR.parent / "notes"
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
STORY_FILES = sorted(STORIES_DIR.glob("*.yaml"))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _story_text(story) -> str:
    parts = [*story.topics.values(), *(b.advice for b in story.backgrounds), *story.details]
    return " ".join([*parts, *story.confidential.model_dump().values()])


def test_there_are_stories():
    assert STORY_FILES


@pytest.mark.parametrize("path", STORY_FILES, ids=lambda p: p.stem)
def test_a_story_is_a_built_in_persona_s_and_its_numbers_are_the_card_s_or_the_notes(path):
    story = load_story(path)
    personas = load_personas()
    assert story.persona == path.stem and story.persona in personas
    persona = personas[story.persona]
    card = (PERSONAS_DIR / f"{persona.id}.yaml").read_text(encoding="utf-8")
    notes = (NOTES_DIR / persona.industry / f"{persona.role}.md").read_text(encoding="utf-8")
    invented = _numbers(_story_text(story)) - _numbers(card) - _numbers(notes)
    assert not invented, f"{path.name}: numbers in neither the card nor the notes: {sorted(invented)}"
