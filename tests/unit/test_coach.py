"""The coach: context-aware critique, the session report, and asking the coach."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from agents.coach import ask_coach, build_report, critique_in_context
from agents.critic import FLAGS, critique
from cli import main
from knowledge.personas import get_persona

NURSE = get_persona("marcus-bell")
EXEC = get_persona("deborah-asante")


@dataclass
class T:
    question: str
    answer: str
    critique: dict | None = None


def history(*pairs):
    past = []
    for q, a in pairs:
        past.append(T(q, a, critique_in_context(q, past, NURSE)))
    return past


ANSWER = (
    "The hardest part is short staffing on nights; we often carry six patients and floating to the ICU is stressful."
)


def test_a_follow_up_on_the_last_answer_earns_credit():
    past = history(("What challenges do you face in your job?", ANSWER))
    c = critique_in_context("You mentioned floating to the ICU — how did you learn to cope with that?", past, NURSE)
    assert "follows_up" in c.earned and c.flags == [] and c.score == 5


def test_a_repeated_question_is_flagged():
    past = history(("What is your typical day like?", "I start with handoff at seven."))
    c = critique_in_context("What does a normal day look like for you?", past, NURSE)
    assert "repeated" in c.flags and c.score <= 2 and "Q1" in c.feedback


def test_three_closed_questions_in_a_row_are_called_out():
    past = history(("Do you like your job?", "Yes."), ("Is it stressful?", "Often."))
    c = critique_in_context("Are there many jobs?", past, NURSE)
    assert "closed_streak" in c.flags and "three closed questions" in c.feedback


def test_basic_questions_to_an_executive_are_flagged_not_to_a_junior():
    assert "too_basic_for_seniority" in critique_in_context("What does a civil engineer do?", [], EXEC).flags
    assert "too_basic_for_seniority" not in critique_in_context("What does a nurse do?", [], NURSE).flags


def test_research_earns_credit_and_v1_flags_keep_their_meaning():
    c = critique_in_context(
        "I read that California mandates 1:5 ratios on med-surg — how has that changed your shifts?", [], NURSE
    )
    assert "shows_research" in c.earned
    plain = critique("Do you like your job?")
    in_context = critique_in_context("Do you like your job?", [], NURSE)
    assert set(plain.flags) <= set(in_context.flags) and set(plain.flags) <= set(FLAGS)


def test_the_rewrite_uses_the_conversation():
    past = history(("What challenges do you face in your job?", ANSWER))
    c = critique_in_context("Is it hard?", past, NURSE)
    assert c.rewrite.startswith("You mentioned") and critique(c.rewrite).flags == []


POOR = [
    ("Do you like your job?", "Mostly, yes."),
    ("Is it stressful?", "Very, on nights. " * 40),
    ("Are there many jobs?", "Hospitals are hiring new grads. " * 40),
    ("Are you hiring? Could you refer me?", "I can't refer anyone, sorry. " * 30),
    ("What is a nurse?", "A nurse cares for patients. " * 40),
]
STRONG = [
    (
        "How did you get started in your career?",
        "I was an EMT, then did an ADN at community college and passed the NCLEX.",
    ),
    ("You mentioned the NCLEX — how did you prepare for it while working?", "I used UWorld questions every night."),
    ("What does a typical shift look like for you?", "Handoff at seven, assessments, meds, charting in Epic."),
    ("What skills have mattered most in your first two years?", "Time management and speaking up early."),
    ("What challenges do you face in your job?", ANSWER),
    ("What advice would you give someone switching from retail?", "Get CNA experience first."),
    ("Is there anyone else you think I should talk to?", "Talk to a nurse educator on our unit."),
    ("Thank you so much for your time!", "Happy to help."),
]


def test_a_poor_and_a_strong_session_get_clearly_different_reports():
    poor = build_report([T(q, a) for q, a in POOR], NURSE, "Decide whether nursing suits me", 5)
    strong = build_report(
        [T(q, a) for q, a in STRONG], NURSE, "Learn how people get into nursing and what shifts are like", 25
    )
    assert poor.band == "poor" and strong.band in ("good", "excellent")
    assert strong.overall - poor.overall >= 40
    assert poor.asked_for_job and poor.closed_streak and poor.over_time and not poor.asked_referral
    assert strong.asked_referral and strong.thanked and strong.follow_ups >= 1 and not strong.over_time
    assert len(poor.improvements) == 3 and all(i.question in dict(POOR) for i in poor.improvements)
    assert "career_path" in strong.goal_topics and "typical_day" in strong.goal_topics and not strong.goal_missing
    md = poor.markdown()
    assert "Are you hiring? Could you refer me?" in md and "Overall:" in md


def test_ask_the_coach_cites_the_rubric_and_the_seekers_words():
    report = build_report([T(q, a) for q, a in POOR], NURSE, minutes=25)
    answer = ask_coach(report, "Why did Q4 get such a low score?")
    assert answer.startswith("Q4, “Are you hiring? Could you refer me?”, got 1/5.")
    assert "Rubric 1:" in answer and "career.berkeley.edu" in answer and "A better version" in answer
    answer = ask_coach(report, "what was wrong with asking whether it is stressful")
    assert answer.startswith("Q2")


def test_report_cli_for_a_saved_session_and_an_exported_transcript(runtime, informant, home, monkeypatch, tmp_path):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    conversation = informant.start(NURSE, "Decide whether nursing suits me")
    for q in ("Do you like your job?", "How did you get started in your career?"):
        runtime.sessions().save_turn(conversation, informant.ask(conversation, q))
    sid = conversation.session_id
    out = io.StringIO()
    assert main(["report", "--session", sid, "--json"], out=out) == 0
    data = json.loads(out.getvalue())
    assert {"overall", "breakdown", "covered", "improvements", "minutes_used", "asked_referral"} <= set(data)
    path = tmp_path / "t.json"
    assert main(["export", sid, "--format", "json", "-o", str(path)], out=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["report", "--transcript", str(path)], out=out) == 0
    assert "Session report" in out.getvalue() and "Overall:" in out.getvalue()
    out = io.StringIO()
    assert main(["coach", "--session", sid, "why did Q1 get that score?"], out=out) == 0
    assert "Rubric 3" in out.getvalue()
    assert main(["report", "--transcript", str(tmp_path / "nope.json")], out=io.StringIO()) == 2


def test_a_capable_model_may_reword_but_never_contradict(fake_model):
    from agents.coach import polish

    report = build_report([T(q, a) for q, a in POOR], NURSE, minutes=25)
    first = report.improvements[0]
    fake_model.enqueue(
        "What keeps you coming back to bedside nursing after two years of night shifts?",  # open: kept
        "Do you enjoy it?",  # closed: the critic refuses it
    )
    polish(report, fake_model)
    assert first.better == "What keeps you coming back to bedside nursing after two years of night shifts?"
    assert report.improvements[1].better != "Do you enjoy it?"


def test_a_cut_off_answer_asked_again_is_not_a_repeat():
    failed = T("What challenges do you face in your job?", "", {"flags": [], "topic": "challenges"})
    failed.partial = True
    c = critique_in_context("What challenges do you face in your job?", [failed], NURSE)
    assert "repeated" not in c.flags and c.score == 4
    report = build_report([failed, T("What challenges do you face in your job?", ANSWER)], NURSE)
    assert len(report.questions) == 1 and report.repeated == 0
