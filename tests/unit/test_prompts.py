import pytest
from jinja2 import UndefinedError

from agents.informant import system_prompt
from agents.informant.material import Material
from knowledge.personas import load_personas
from knowledge.store import Note
from knowledge.stories import Background
from prompts import all_templates, render

PERSONA = next(iter(load_personas().values()))
VARIABLES = {
    "persona": PERSONA,
    "temperament": "You are warm.",
    "notes": [Note(id="n1", title="Nurse: Pay", source="BLS", text="About $94,000.")],
    "earlier": ["Nurse: Skills"],
    "summary": "Q1: What is your typical day like? You said: I start with handoff.",
    "n": 1,
    "answer": "I start with handoff.",
    "question": "What is the pay like?",
    "suggestion": "What do the people who do well have in common?",
    "lookup": True,
    "shared": True,
    "why": "It can be answered with yes or no.",
    "better": "What do you enjoy most about your work?",
    "name": "Marcus Bell",
    "length": "two or three sentences",
    "goal": "Decide whether nursing suits me",
    "background": "Retail manager",
    "draft": "Dear Marcus,\n\nThank you for your time.",
    "sentence": "Most of us work 12-hour shifts.",
    "premise": "Since you had a master's going in,",
    "lead": "Not quite, actually.",
    "truth": "I work at a community hospital. I was an EMT first.",
    "story": [("How I got here", "I was an EMT for four years before nursing.")],
    "material": Material(
        intro="I'm Sam. Six years in retail.",
        story="I was an EMT first.",
        story_heading="How I got here",
        advice=Background(background="retail workers", cues=("retail",), advice="Your customer skills carry over."),
        private="I don't know my hospital's budget.",
    ),
}


@pytest.mark.parametrize(("name", "template"), all_templates())
def test_every_prompt_renders(name, template):
    assert render(name, template, **VARIABLES).strip()


def test_missing_variable_is_an_error():
    with pytest.raises(UndefinedError):
        render("informant", "turn", notes=[], earlier=[])


def test_every_persona_card_loads_and_renders_a_system_prompt():
    personas = load_personas()
    assert len(personas) >= 12
    for persona in personas.values():
        text = system_prompt(persona)
        assert persona.name in text and "not hiring" in text


def test_a_persona_s_story_is_in_its_system_prompt_and_a_turn_names_the_paragraph():
    nurse = load_personas()["marcus-bell"]
    text = system_prompt(nurse)
    assert "- How I got here: I was an EMT for four years" in text and "- Pay: " in text
    turn = render("informant", "turn", **VARIABLES)
    assert 'under "How I got here" in your story above' in turn and "I was an EMT first." not in turn
    plain = render("informant", "turn", **{**VARIABLES, "material": Material(story="I was an EMT first.")})
    assert "In your own words, from your own experience: I was an EMT first." in plain
