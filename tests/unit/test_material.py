"""What a turn's message carries besides the notes: the persona's story, advice for the seeker's
background, what they can't share, and how a real person reacts to the question."""

from __future__ import annotations

import pytest

from agents.informant.material import background_advice, material_for, nudges_for, private_kind
from knowledge.personas import get_persona
from knowledge.stories import story_for

NURSE = get_persona("marcus-bell")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What's your hospital's annual budget, roughly?", "finances"),
        ("How much revenue does the firm bring in?", "finances"),
        ("How much does your hospital make a year?", "finances"),
        ("How much do you make?", "pay"),
        ("You said you earn $400k a year, is that typical?", "pay"),
        ("What do your coworkers' salaries look like?", "pay"),
        ("Could you name a few of your clients?", "people"),
        ("What pay range is typical for new nurses?", None),  # a range from the notes: answerable
        ("How do you handle a tight budget on your unit?", None),
        ("What does a typical week look like?", None),
    ],
)
def test_what_a_professional_can_t_share_is_recognised(question, kind):
    assert private_kind(question) == kind


def test_the_persona_s_own_words_advice_for_a_background_and_what_it_can_t_share():
    story = story_for("marcus-bell")
    assert background_advice(story, "Six years managing a grocery store").background.startswith(
        "career changers from retail"
    )
    assert background_advice(story, "I play the cello") is None
    own = material_for(NURSE, "How did you get into nursing?", "career_path")
    assert own.story.startswith("I was an EMT for four years")
    private = material_for(NURSE, "What's your hospital's budget?", "other")
    assert "not on the budget side" in private.private and not private.story


def test_a_story_part_is_told_once_then_a_detail_not_told_yet():
    first = material_for(NURSE, "How did you get into nursing?", "career_path")
    assert first.story_key == "topic:career_path"
    again = material_for(NURSE, "And how did you get in, again?", "career_path", given=frozenset({first.story_key}))
    assert again.story_key.startswith("detail:") and again.story != first.story


def test_advice_for_a_background_the_seeker_gives_in_the_question():
    asked = "I've been a grocery store manager for six years. Where would you start?"
    assert material_for(NURSE, asked, "advice").advice.background.startswith("career changers from retail")
    assert any("their own situation" in n for n in nudges_for(NURSE, [], asked, [], "", "advice"))
    assert not any(
        "their own move" in n for n in nudges_for(NURSE, [], "What's a typical week?", [], "", "typical_day")
    )


def test_a_real_person_s_reactions():
    sceptic = get_persona("robert-lindqvist")
    assert sceptic.temperament == "sceptical"
    assert any("push back" in n for n in nudges_for(sceptic, ["vague"], "Any thoughts?", []))
    executive = next(p for p in (get_persona("deborah-asante"),) if p.seniority in ("senior", "executive"))
    assert any("look this up" in n for n in nudges_for(executive, ["googleable"], "When was the agency founded?", []))
    assert nudges_for(NURSE, [], "How did you start?", []) == ()


def test_a_topic_s_paragraph_is_named_by_its_heading_and_a_detail_is_given_whole():
    first = material_for(NURSE, "How did you get into nursing?", "career_path")
    assert first.story_heading == "How I got here"
    again = material_for(NURSE, "How did you get in, again?", "career_path", given=frozenset({first.story_key}))
    assert again.story_key.startswith("detail:") and not again.story_heading and again.story


def test_a_question_about_their_own_move_is_answered_to_them_from_the_advice():
    asked = "I managed a grocery store for six years. How would someone like me get into nursing?"
    material = material_for(NURSE, asked, "career_path", background="")
    assert material.about_them and material.advice.background.startswith("career changers from retail")
    assert material.story_key != "topic:career_path"  # their path, not his
    assert not material_for(NURSE, "How did you get into nursing?", "career_path").about_them


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is your combined ratio looking like this quarter?", "finances"),
        ("Roughly what labour cost percentage does your kitchen run?", "finances"),
        ("What do the nurses on your unit make?", "pay"),
        ("So who's at the top of the scale on your team?", "pay"),
        ("Which brands are you pitching this month?", "people"),
        ("When is your next readout, and does it look good?", "people"),
        ("What is a typical food cost percentage in restaurants?", None),
        ("What do line cooks typically earn?", None),
        ("How do you decide which cases to take?", None),
    ],
)
def test_what_they_can_t_share_in_new_words(question, kind):
    assert private_kind(question) == kind
