from pathlib import Path

import pytest

from agents.critic import FLAGS, TOPICS, critique
from evals.critic_eval import EVALS_DIR, evaluate, load_cases

SEED_QUESTIONS = [
    "What is your typical day like in your role?",
    "What skills are most important for success in this field?",
    "How did you get started in your career?",
    "What challenges do you face in your job?",
    "Can you recommend any resources for further learning?",
]


@pytest.mark.parametrize("question", SEED_QUESTIONS)
def test_seed_examples_are_good_questions(question):
    c = critique(question)
    assert c.flags == []
    assert c.score >= 4
    assert c.rewrite is None
    assert c.topic != "other"


@pytest.mark.parametrize(
    "question",
    [
        "Can you tell me about your first year on the job?",
        "Could you describe how your team plans a project?",
        "Is there anyone else I should talk to?",
        "Would you mind walking me through a recent project?",
    ],
)
def test_polite_requests_are_not_closed(question):
    assert "closed" not in critique(question).flags


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("Do you like your job?", "closed"),
        ("Don't you think remote work is better?", "leading"),
        ("How did you get started and what do you do now?", "double_barreled"),
        ("Could you refer me for an opening on your team?", "asks_for_job"),
        ("When was your company founded?", "googleable"),
        ("Tell me about your job.", "vague"),
        ("I'm a junior studying biology.", "not_a_question"),
        (
            "I have spent the last six years working in retail management and recently finished an online course in "
            "data analysis, and I keep wondering what the hardest part of moving into analytics is for someone like me?",
            "too_long",
        ),
    ],
)
def test_each_flag(question, flag):
    c = critique(question)
    assert flag in c.flags
    assert c.score <= 3
    assert c.rewrite and critique(c.rewrite).flags == []


def test_asking_for_a_job_scores_lowest_and_feedback_names_it():
    c = critique("Is your team hiring right now?")
    assert c.score == 1
    assert "job" in c.feedback.lower()


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂?", "ما هو يومك المعتاد؟", "a\x00b\x07c?", "word " * 1000])
def test_odd_input_never_raises(text):
    c = critique(text)
    assert set(c.flags) <= set(FLAGS) and c.topic in TOPICS and 1 <= c.score <= 5


def test_rewrites_of_every_labelled_question_pass_the_critic():
    for case in load_cases(EVALS_DIR / "critic_questions.yaml"):
        for role in (None, "registered nurse"):
            c = critique(case.question, role)
            if c.flags:
                assert c.rewrite, case.question
                assert critique(c.rewrite).flags == [], (case.question, c.rewrite)


# The rules were tuned on the main set; the holdout set was written apart and never tuned on,
# so its bar is lower: it says how the rules generalise.
@pytest.mark.parametrize(
    ("name", "min_cases", "min_f1", "min_topic"),
    [("critic_questions.yaml", 150, 0.9, 0.9), ("critic_holdout.yaml", 40, 0.85, 0.75)],
)
def test_labelled_set_precision_recall(name: str, min_cases: int, min_f1: float, min_topic: float, capsys):
    cases = load_cases(Path(EVALS_DIR) / name)
    report = evaluate(cases, name)
    with capsys.disabled():
        print("\n" + report.table())
    assert len(cases) >= min_cases
    assert report.macro_f1 >= min_f1
    assert report.topic_accuracy >= min_topic
    good = report.score_by_quality["good"]
    poor = report.score_by_quality["poor"]
    assert sum(good) / len(good) >= 3.8
    assert sum(poor) / len(poor) <= 2.0


@pytest.mark.parametrize(
    "question",
    [
        "Is there any way I could shadow you for a week and maybe get hired after?",
        "Are there any spots left in your summer internship program?",
        "Would you mind being a reference for me?",
        "Could you tell your recruiter about me?",
        "Could you help me get a foot in the door where you work?",
        "Would you be willing to forward my CV to HR?",
        "If something opens up on your team, could you let me know?",
        "Would you text me whenever a role opens on your team?",
        "Keep me in mind if anything comes up?",
        "Could you take me on as a trainee?",
        "Could I come in and shadow for a shift?",
        "Would you mention me to your manager?",
        "Can I email you my portfolio?",
    ],
)
def test_indirect_job_asks_are_recognised(question):
    assert "asks_for_job" in critique(question).flags


@pytest.mark.parametrize(
    "question",
    [
        "Could you tell me when the hiring season usually starts?",
        "What did you shadow when you were starting out?",
        "How do people usually find out about openings in this field?",
    ],
)
def test_questions_about_hiring_in_general_are_not_job_asks(question):
    assert "asks_for_job" not in critique(question).flags
