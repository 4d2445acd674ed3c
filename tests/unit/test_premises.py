"""What the seeker takes for granted about the informant: a premise its card and story don't hold
is corrected before the model hears the question."""

from __future__ import annotations

import pytest

from agents.informant.premises import about_me, false_mention, false_premise, without_premise
from knowledge.personas import get_persona

NURSE = about_me(get_persona("marcus-bell"))  # an EMT for four years, then an ADN; nights on med-surg


def test_a_false_mention_is_found_and_a_real_one_is_not():
    earlier = ["I was an EMT for four years, and I still work nights on a med-surg unit."]
    assert false_mention("You mentioned working in Dubai. How was that?", earlier) == "working in Dubai"
    assert false_mention("You mentioned working nights. How do you sleep?", earlier) is None
    assert false_mention("What do you like most?", earlier) is None
    taught = ["After my first year of teaching I came in through alternative certification."]
    assert false_mention("You mentioned you taught in Texas first. What was that like?", taught)  # Texas: never said


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        (
            "Since you did your BSN straight out of high school, is the four-year route the only one now?",
            "Is the four-year route the only one now?",
        ),
        ("At a big 500-room resort like yours, how many people report to you?", "How many people report to you?"),
        ("With a $4 million budget on your plate, how do you keep track?", "How do you keep track?"),
        ("I read you trained at Johns Hopkins before moving. Was it worth it?", "Was it worth it?"),
        ("When you were at the Ritz in Paris, what did you learn?", "What did you learn?"),
    ],
)
def test_a_premise_the_card_and_story_don_t_hold(question, rest):
    premise = false_premise(question, NURSE)
    assert premise and without_premise(question, premise) == rest


@pytest.mark.parametrize(
    "question",
    [
        "Since you were an EMT, did that help in nursing school?",
        "Since you work nights, how do you sleep?",
        "As you know, hospitals are short-staffed. How do you cope?",
        "With your night shifts, how do you see your family?",
        "I read you were an EMT first. Was that useful?",
        "With that in mind, what would you do?",
        "How do you deal with difficult patients?",
    ],
)
def test_a_true_premise_or_none_is_left_alone(question):
    assert false_premise(question, NURSE) is None


def test_a_one_word_premise_about_their_path():
    auditor = about_me(get_persona("robert-lindqvist"))  # started as an audit associate, never in tax
    assert false_premise("Since you started in tax, how hard was the switch to audit?", auditor)
    assert false_premise("Since you started in audit, what changed most?", auditor) is None


def test_a_rank_the_title_does_not_hold_is_a_false_premise_even_when_the_story_uses_the_word():
    from knowledge.personas import get_persona

    lawyer = get_persona("marisol-quintero")  # a senior associate; her story: "the partnership vote is next year"
    asked = "Since you made partner last year, what finally tipped the vote?"
    assert false_premise(asked, about_me(lawyer), lawyer.title) == "Since you made partner last year,"
    assert (
        false_premise("Since you supervise two associates, how do you review drafts?", about_me(lawyer), lawyer.title)
        is None
    )


@pytest.mark.parametrize(
    ("question", "premise", "heard"),
    [
        (
            "What did your years as a reporter teach you?",
            "your years as a reporter",
            "What did your career teach you?",
        ),
        ("How has your MBA helped you on the unit?", "your MBA", "How has your career helped you on the unit?"),
        (
            "Does your old job at Deloitte still shape how you work?",
            "your old job at Deloitte",
            "Does your career still shape how you work?",
        ),
    ],
)
def test_a_premise_owned_inside_the_question(question, premise, heard):
    found = false_premise(question, NURSE, "Registered Nurse")
    assert found == premise and without_premise(question, found) == heard


@pytest.mark.parametrize(
    "question",
    [
        "What did your four years as an EMT teach you?",  # his own past
        "How did your time in this field change you?",
        "What's your typical day like?",
        "How does your team handle handoff?",
        "What do you wish your degree had taught you?",
    ],
)
def test_an_owned_phrase_that_holds_or_assumes_nothing_is_left_alone(question):
    assert false_premise(question, NURSE, "Registered Nurse") is None
