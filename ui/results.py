"""The results view shown at End session: a headline on the app's one scale (out of 5) and what it means in
plain words, strengths and fixes each linked to its question, the core topics at a glance, then the details once.

Pure HTML from the coach's ``Report`` (no Gradio here); the Practice tab shows it and scrolls it into view.
"""

from __future__ import annotations

import html

from agents.coach import PART_MOST, Report
from agents.critic import TOPIC_LABELS

__all__ = ["SCALE_NOTE", "results_html"]

SCALE_NOTE = (
    "Every score in Mock Informant is out of 5. A question scores 1–5 against the rubric; the session's score "
    "also counts the core topics covered, follow-ups, asking who else to talk to, thanking them and keeping time."
)


def _number(report: Report, question: str) -> int | None:
    return next((n for n, c in enumerate(report.questions, 1) if c.question == question), None)


def _link(n: int | None, links: bool) -> str:
    if not n:
        return ""
    return f'<a href="#fb-q{n}" class="qlink">Q{n}</a> ' if links else f"<strong>Q{n}</strong> "


def _meaning(report: Report) -> str:
    """What the score means, in plain words: how good the questions were and what held the session back."""
    scored = [c.score for c in report.questions if "closes_well" not in c.earned] or [c.score for c in report.questions]
    mean = sum(scored) / len(scored)
    n_core = len(report.covered) + len(report.missing)
    held = []
    if report.asked_for_job:
        held.append("you asked for a job, which a professional did not agree to")
    if len(report.covered) < n_core / 2:
        held.append(f"you covered {len(report.covered)} of the {n_core} core topics")
    if not report.asked_referral:
        held.append("you did not ask who else to talk to")
    if not report.follow_ups:
        held.append("no question followed up on an answer")
    if not report.thanked:
        held.append("you did not thank them")
    if report.over_time:
        held.append(f"you ran over the {report.minutes_asked} minutes")
    if report.repeated:
        held.append("you asked the same thing twice")
    quality = "strong" if mean >= 4 else "fair" if mean >= 3 else "weak"
    first = f"Your questions were {quality}: {mean:.1f} of 5 on average."
    if not held:
        return f"{first} You covered the ground a real conversation needs and closed it well."
    listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
    return f"{first} The session scores lower because {listed}."


def _topics(report: Report) -> str:
    chips = [f'<li class="topic got">✓ {html.escape(TOPIC_LABELS[t])}</li>' for t in report.covered]
    chips += [f'<li class="topic missing">○ {html.escape(TOPIC_LABELS[t])}</li>' for t in report.missing]
    return f'<ul class="topics" aria-label="Core topics: ✓ asked, ○ not yet">{"".join(chips)}</ul>'


def _details(report: Report, score: float) -> str:
    cards = []
    for n, c in enumerate(report.questions, 1):
        flags = ", ".join(f.replace("_", " ") for f in c.flags) or "no flags"
        credits = ", ".join(x.replace("_", " ") for x in c.earned)
        cards.append(
            f'<li class="qcard"><strong>Q{n} · {c.score}/5</strong> “{html.escape(c.question)}”'
            f"<br><small>{html.escape(flags)}{' · earned: ' + html.escape(credits) if credits else ''}</small></li>"
        )
    parts = [
        f"{k.replace('_', ' ')} {v / 20:.2f}" + (f" of {PART_MOST[k] / 20:.2f}" if k in PART_MOST else "")
        for k, v in report.breakdown.items()
        if v or k in PART_MOST
    ]
    return (
        "<details class='res-details'><summary>Details: every question, and how the score adds up</summary>"
        f"<ol class='qcards'>{''.join(cards)}</ol>"
        f"<p><small>How the {score:.1f} adds up: {html.escape(' · '.join(parts))}. Time: about {report.minutes_used:.0f} of "
        f"the {report.minutes_asked} minutes.</small></p></details>"
    )


def results_html(report: Report, view_id: str = "results", links: bool = True) -> str:
    """The results view for a finished session. ``view_id`` names its section and heading (``results-view``,
    ``results-h``: one per page); ``links``: each question links to its chip in the Practice chat."""
    if not report.questions:
        return (
            f'<section id="{view_id}-view" tabindex="-1" aria-labelledby="{view_id}-h"><h2 id="{view_id}-h">No results yet'
            "</h2><p>Ask at least one question, then end the session.</p></section>"
        )
    score = report.score
    strengths = [
        f"<li>{_link(_number(report, s.split('” — ')[0].lstrip('“')), links)}{html.escape(s)}</li>"
        for s in report.strengths
    ]
    fixes = []
    for imp in report.improvements:
        n = _number(report, imp.question) if imp.question else None
        asked = f"“{html.escape(imp.question)}”: " if imp.question else ""
        fixes.append(
            f"<li>{_link(n, links)}{asked}{html.escape(imp.why)} <span class='try'>Try: “{html.escape(imp.better)}”</span></li>"
        )
    went_well = f"<div class='res-col'><h3>What went well</h3><ul>{''.join(strengths)}</ul></div>" if strengths else ""
    to_fix = f"<div class='res-col'><h3>What to do next time</h3><ul>{''.join(fixes)}</ul></div>" if fixes else ""
    return (
        f'<section id="{view_id}-view" class="results-view" tabindex="-1" aria-labelledby="{view_id}-h">'
        f'<h2 id="{view_id}-h">Your session: {score:.1f} of 5 · {html.escape(report.band)}</h2>'
        f"<p class='res-meaning'>{html.escape(_meaning(report))}</p>"
        f"<div class='res-cols'>{went_well}{to_fix}</div>"
        f"<h3>Core topics</h3>{_topics(report)}"
        f"{_details(report, score)}"
        f"<p class='res-scale'><small>{html.escape(SCALE_NOTE)}</small></p></section>"
    )
