"""Pure converters from the app's records to what the page shows: Markdown, HTML, tables, dropdown choices.

No Gradio here (and no events): each tab's handlers call these, and tests can too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

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
    "feedback_html",
    "industry_label",
    "persona_card",
    "persona_choices",
    "plan_frame",
    "plan_summary",
    "question_markdown",
    "session_choices",
    "sources_markdown",
]

NO_SESSIONS = "No saved sessions yet: hold a conversation on the Practice tab, and it appears here."
ONE_SESSION = "One session so far: the charts draw a line from your second session on."
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


def feedback_html(turns: list[Turn]) -> str:
    if not turns:
        return "<p><em>Feedback on each question appears here as you ask it.</em></p>"
    items = []
    for n, turn in reversed(list(enumerate(turns, 1))):
        c = turn.critique
        flags = "".join(f'<span class="flag">{html.escape(f.replace("_", " "))}</span>' for f in c.flags) or (
            '<span class="flag ok">no flags</span>'
        )
        rewrite = f"<div><strong>Try:</strong> “{html.escape(c.rewrite)}”</div>" if c.rewrite else ""
        items.append(
            f'<div class="fb-item" id="fb-q{n}"><div class="fb-q">Q{n} · {c.score}/5 · '
            f"{html.escape(c.topic.replace('_', ' '))}</div>"
            f"<div><em>“{html.escape(turn.question)}”</em></div><div>{flags}</div>"
            f"<div>{html.escape(c.feedback)}</div>{rewrite}</div>"
        )
    return "".join(items)


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


def question_markdown(n: int, question: str) -> str:
    return f"**Q{n}** · {question}"


def chat_history(conversation: Conversation, greeting: str | None = None) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = [{"role": "assistant", "content": greeting}] if greeting else []
    for n, turn in enumerate(conversation.turns, 1):
        history += [
            {"role": "user", "content": question_markdown(n, turn.question)},
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


def plan_summary(plan: QuestionPlan) -> str:
    over = plan.minutes_used - plan.minutes
    warn = f" **{over} minutes over: remove or shorten a question.**" if over > 0 else ""
    flagged = [str(n) for n, q in enumerate(plan.questions, 1) if q.flags]
    if flagged:
        warn += f" **Check question {', '.join(flagged)}: the critic flags your wording.**"
    if not any(q.topic == "networking" for q in plan.questions):
        warn += " **End by asking who else to talk to (rubric 15).**"
    return f"{plan.summary()}{warn}"


def session_choices(records: Iterable[SessionRecord]) -> list[tuple[str, str]]:
    """The saved sessions as dropdown choices (History and Follow-up each have a picker)."""
    return [
        (f"{r.display_title} ({r.turn_count} q, score {r.score if r.score is not None else '–'})", r.id)
        for r in records
    ]
