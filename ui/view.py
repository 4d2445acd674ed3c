"""Pure converters from the app's records to what the page shows: Markdown, HTML, tables, dropdown choices.

No Gradio here (and no events): each tab's handlers call these, and tests can too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from agents.critic import Critique
from agents.informant import Conversation, Turn, fault_line
from agents.prepare import QuestionPlan
from agents.sessions import SessionRecord
from knowledge.personas import Persona, Personas, industry_names
from knowledge.store import unique_sources

__all__ = [
    "NO_SESSIONS",
    "ONE_SESSION",
    "PLAN_COLUMNS",
    "answer_markdown",
    "chat_history",
    "feedback_chip",
    "industry_label",
    "live_feedback",
    "persona_card",
    "persona_choices",
    "plan_cards",
    "plan_frame",
    "plan_summary",
    "question_markdown",
    "session_choices",
    "sources_markdown",
]

NO_SESSIONS = (
    "## No saved sessions yet\nHold a conversation on the Practice tab: it is saved as you go, question by "
    "question, and appears here with its feedback, its results and your progress across sessions. You can also "
    "import a session someone exported."
)
ONE_SESSION = "One session so far: the progress charts draw a line from your second session on."
PLAN_COLUMNS = ["#", "Topic", "Question", "Min", "Check", "Why"]


def persona_choices(personas: Personas, industry: str | None) -> list[tuple[str, str]]:
    return [(f"{p.name} — {p.title}", p.id) for p in personas.in_industry(industry)]


def industry_label(industry: str) -> str:
    return industry_names().get(industry, industry.replace("-", " ").capitalize())


def persona_card(persona: Persona) -> str:
    return (
        f"**{persona.name}**, {persona.title}  \n"
        f"{persona.years_in_field} years in {persona.industry_name.lower()} · {persona.seniority} · "
        f"{persona.company_type}  \n*{persona.speaking_style}*"
    )


def _flag_names(critique: Critique) -> str:
    return ", ".join(f.replace("_", " ") for f in critique.flags)


def feedback_chip(n: int, critique: Critique) -> str:
    """The score chip under the seeker's question: it opens to the critique and a better version."""
    flags = html.escape(_flag_names(critique)) or "no flags"
    rewrite = (
        f'<p class="fb-try"><strong>Try:</strong> “{html.escape(critique.rewrite)}”</p>' if critique.rewrite else ""
    )
    level = "good" if critique.score >= 4 else "fair" if critique.score == 3 else "weak"
    return (
        f'<details class="fb-chip fb-{level}" id="fb-q{n}"><summary>'
        f'<span class="fb-score">{critique.score}/5</span> {flags} · feedback</summary>'
        f"<p>{html.escape(critique.feedback)}</p>{rewrite}</details>"
    )


def live_feedback(n: int, critique: Critique) -> str:
    """The latest feedback in one line, for the page's polite live region (``#live``, ui.common.PAGE_JS):
    screen readers announce it."""
    flags = _flag_names(critique) or "no flags"
    try_ = f" Try: “{html.escape(critique.rewrite)}”" if critique.rewrite else ""
    return (
        f'<p class="fb-live">Feedback on Q{n}: {critique.score} of 5, '
        f"{html.escape(flags)}. {html.escape(critique.feedback)}{try_}</p>"
    )


def sources_markdown(sources: list[dict[str, str]]) -> str:
    return "\n".join(f"- <small>**{title}** — {source}</small>" for title, source in unique_sources(sources))


def answer_markdown(turn: Turn) -> str:
    if turn.partial and not turn.answer:  # nothing arrived: say why, and no notes (none were used)
        return f"*{fault_line(turn)} Your conversation is kept.*"
    text = turn.answer or "(no answer)"
    if turn.partial:
        text += f"\n\n*{fault_line(turn)} Your conversation is kept.*"
    if turn.sources:
        text += "\n\n<small>Notes used:</small>\n\n" + sources_markdown(turn.sources)
    return text


def question_markdown(n: int, question: str, critique: Critique | None = None) -> str:
    """The seeker's bubble: the question, and under it its feedback chip once it is judged."""
    chip = f"\n\n{feedback_chip(n, critique)}" if critique is not None else ""
    return f"**Q{n}** · {question}{chip}"


def chat_history(conversation: Conversation, greeting: str | None = None) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = [{"role": "assistant", "content": greeting}] if greeting else []
    for n, turn in enumerate(conversation.turns, 1):
        history += [
            {"role": "user", "content": question_markdown(n, turn.question, turn.critique)},
            {"role": "assistant", "content": answer_markdown(turn)},
        ]
    return history


def plan_frame(plan: QuestionPlan | None) -> pd.DataFrame:
    rows = [
        [
            n,
            q.topic.replace("_", " "),
            q.question,
            q.minutes,
            ("⚠ " + ", ".join(f.replace("_", " ") for f in q.flags)) if q.flags else "ok",
            q.why + (f" From “{q.source.split(' — ')[0]}”." if q.source else ""),
        ]
        for n, q in enumerate(plan.questions if plan else [], 1)
    ]
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def plan_cards(plan: QuestionPlan | None) -> str:
    """The prepared list as cards (a phone shows these instead of the table)."""
    items = []
    for n, q in enumerate(plan.questions if plan else [], 1):
        check = f" · ⚠ {html.escape(', '.join(f.replace('_', ' ') for f in q.flags))}" if q.flags else ""
        items.append(
            f"<li><strong>{n}. {html.escape(q.question)}</strong><br><small>{html.escape(q.topic.replace('_', ' '))}"
            f" · {q.minutes} min{check}</small><br><small>{html.escape(q.why)}</small></li>"
        )
    return f'<ol class="plan-list" aria-label="Your questions">{"".join(items)}</ol>' if items else ""


def plan_summary(plan: QuestionPlan) -> str:
    over = plan.minutes_used - plan.minutes
    warn = f" **{over} minutes over: remove or shorten a question.**" if over > 0 else ""
    flagged = [str(n) for n, q in enumerate(plan.questions, 1) if q.flags]
    if flagged:
        warn += f" **Check question {', '.join(flagged)}: the critic flags your wording.**"
    if not any(q.topic == "networking" for q in plan.questions):
        warn += " **End by asking who else to talk to.**"
    return f"{plan.summary()}{warn}"


def session_choices(records: Iterable[SessionRecord]) -> list[tuple[str, str]]:
    """The saved sessions as dropdown choices (History and Follow-up each have a picker)."""
    return [(f"{r.display_title} ({_questions(r)}{'' if r.ended else ', not ended'})", r.id) for r in records]


def _questions(r: SessionRecord) -> str:
    n = f"{r.turn_count} question{'s' if r.turn_count != 1 else ''}"
    return f"{n} · average {r.score:.1f}/5" if r.score is not None else n
