"""The realism evaluators, as calibrated on answers labelled by reading (evals/realism_labels.yaml)."""

from __future__ import annotations

from evals import evaluators as ev
from evals.realism import judge, own_words
from knowledge.stories import story_for

NURSE = {"persona": "marcus-bell", "name": "Marcus Bell", "known": "", "seeker": {"background": "Flight attendant"}}


def test_an_answer_in_the_persona_s_own_words_reads_as_a_person_and_filler_does_not():
    own = own_words(NURSE)
    story = story_for("marcus-bell").topics["typical_day"]
    assert ev.natural(story, "Marcus Bell", [], own).value == 4.0
    filler = "Nursing is a challenging but rewarding career. Additionally, it can provide you with insights."
    assert ev.natural(filler, "Marcus Bell", [], own).value <= 2.5
    twice = "That's not right, actually. That's not right, actually. I did an ADN."
    assert ev.natural(twice, "Marcus Bell", [], own).value < 4


def test_the_seeker_said_back_as_itself_or_copied_instructions_are_not_in_character():
    assert not ev.in_character("Okay. I'm 41 and I've been a flight attendant for twelve years.").passed
    assert not ev.in_character('You have already said "That\'s not right, actually."').passed
    assert ev.in_character("I was an EMT for four years before nursing.").passed


def test_advice_names_their_background_and_a_next_step_and_a_decline_is_not_an_unsupported_claim():
    advice = {**NURSE, "kind": "advice_background", "question": "Where would I start?"}
    named = "Your flight attendant years count; start with anatomy at night and get a CNA job."
    verdicts = {r.evaluator: r.passed for r in judge({**advice, "answer": named}, [], [])}
    assert verdicts["addresses_background"]
    vague = {r.evaluator: r.passed for r in judge({**advice, "answer": "Flight attendants are great people."}, [], [])}
    assert not vague["addresses_background"]
    decline = "I'm glad you asked me straight out, but I keep these conversations apart from hiring, so I can't pass anyone along for an opening."
    job = {**NURSE, "kind": "job_ask", "question": "Could you refer me?", "answer": decline}
    assert {r.evaluator: r.passed for r in judge(job, [], [])}["grounded"]
