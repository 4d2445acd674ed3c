"""What the Practice tab shows, as pure HTML: the feedback chip, the live line, the results view, the greeting."""

from __future__ import annotations

import html
import re

from agents.coach import build_report
from agents.critic import critique
from agents.informant import Informant
from knowledge.personas import get_persona
from tests.unit.test_coach import NURSE, POOR, STRONG, T
from ui.results import SCALE_NOTE, results_html
from ui.view import feedback_chip, live_feedback, question_markdown


def test_the_chip_under_a_question_opens_to_its_critique_and_a_better_version():
    c = critique("Do you like your job?")
    chip = feedback_chip(3, c)
    assert chip.startswith('<details class="fb-chip fb-weak" id="fb-q3">')
    assert f"{c.score}/5" in chip and "closed" in chip and "Try:" in chip and c.rewrite in chip
    assert question_markdown(3, "Do you like your job?", c).startswith("**Q3** · Do you like your job?\n\n<details")
    assert question_markdown(3, "Do you like your job?") == "**Q3** · Do you like your job?"
    good = feedback_chip(1, critique("What does a typical week look like for you?"))
    assert "fb-good" in good and "no flags" in good and "Try:" not in good


def test_the_chip_and_the_live_line_escape_what_the_seeker_typed():
    c = critique("<img src=x onerror=alert(1)> is it <b>hard</b>?")
    shown = feedback_chip(1, c) + live_feedback(1, c)
    assert "<img" not in shown and "<b>" not in shown
    assert live_feedback(1, c).startswith(f'<p class="fb-live">Feedback on Q1: {c.score} of 5, ')


def test_results_lead_with_one_score_out_of_5_and_say_what_held_it_back():
    report = build_report([T(q, a) for q, a in POOR], NURSE, "Decide whether nursing suits me", 25)
    page = results_html(report)
    headline = re.search(r'<h2 id="results-h">(.*?)</h2>', page).group(1)
    assert headline == f"Your session: {report.overall / 20:.1f} of 5 · {report.band}"
    assert "/100" not in page and html.escape(SCALE_NOTE) in page
    assert "you asked for a job" in page and "you did not ask who else to talk to" in page
    # Each fix links to its question in the chat (the chip's id), and the details come once, folded.
    for imp in report.improvements:
        if imp.question:
            n = [c.question for c in report.questions].index(imp.question) + 1
            assert f'href="#fb-q{n}"' in page
    assert page.count("<details") == 1 and page.count("Q1 · ") == 1


def test_a_strong_session_says_so_and_lists_what_went_well():
    report = build_report([T(q, a) for q, a in STRONG], NURSE, "", 25)
    page = results_html(report)
    assert "What went well" in page and "scores lower because" not in page and "✓ a typical day" in page
    assert report.score == round(report.overall / 20, 1) >= 3.5


def test_no_questions_no_score():
    assert "No results yet" in results_html(build_report([], NURSE))


def test_the_greeting_says_the_minutes_the_seeker_chose():
    informant = Informant.__new__(Informant)  # greeting needs no model
    said = informant.greeting(get_persona("colette-pierre-louis"))
    assert "25 minutes" in said
    assert "45 minutes" in informant.greeting(get_persona("colette-pierre-louis"), 45) and "25 minutes" not in (
        informant.greeting(get_persona("colette-pierre-louis"), 45)
    )
    assert "30 minutes" in informant.greeting(get_persona("curtis-holloway"), 30)  # "twenty minutes" in his words
