"""A persona made from a bio gets a story from the bio itself, in the first person."""

from __future__ import annotations

import pytest

from agents.bio_story import first_person, story_of
from agents.custom_persona import build_persona
from agents.informant.material import material_for

BIO = (
    "Jane Doe is a Senior Product Manager at Acme Health, where she leads the patient app team. She joined "
    "Acme in 2019 after eight years as a pediatric nurse. Her work focuses on scheduling and billing. Jane often "
    "speaks at conferences about product discovery, and she mentors new PMs."
)


@pytest.mark.parametrize(
    ("about", "said"),
    [
        (
            "Jane Doe is a Senior Product Manager, where she leads the team.",
            "I'm a Senior Product Manager, where I lead the team.",
        ),
        ("Her work focuses on billing.", "My work focuses on billing."),
        ("Jane's team ships weekly, and she also teaches classes.", "My team ships weekly, and I also teach classes."),
        ("Ms. Doe studies data closely.", "I study data closely."),
        ("She told her manager to trust her.", "I told my manager to trust me."),
    ],
)
def test_a_bio_sentence_in_the_first_person(about, said):
    assert first_person(about, "Jane Doe") == said


def test_a_bio_persona_s_story_is_the_bio_by_topic_and_says_what_it_can_t_share():
    persona = build_persona(BIO, "product-manager", temperament="busy")
    story = story_of(persona)
    assert story.topics["career_path"].startswith("I'm a Senior Product Manager at Acme Health, where I lead")
    assert "eight years as a pediatric nurse" in " ".join(story.topics.values())
    assert story.backgrounds  # the advice the role's built-in personas give career changers
    assert material_for(persona, "How did you get into product?", "career_path").story.startswith("I'm a Senior")
    assert "pay" in material_for(persona, "What's your salary?", "other").private
