"""Sessions out of and into the app: a JSON export (read back by import), and a Markdown transcript."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from agents.coach import CONTEXT_FLAGS, CREDITS
from agents.critic import FLAGS, TOPICS
from core.errors import PersonaError, SessionError
from knowledge.personas import Persona, Personas
from knowledge.store import unique_sources

if TYPE_CHECKING:
    from agents.sessions.store import SessionRecord

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_IMPORT_BYTES",
    "SessionExport",
    "parse_export",
    "to_json",
    "to_markdown",
]

EXPORT_FORMAT = "mock-informant-session"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 5_000_000
MAX_MINUTES = 24 * 60  # the longest conversation an import may ask for


class _CritiqueModel(BaseModel):
    question: str
    score: int = Field(ge=1, le=5)
    flags: list[Literal[FLAGS + CONTEXT_FLAGS]]  # type: ignore[valid-type]
    topic: Literal[TOPICS]  # type: ignore[valid-type]
    feedback: str
    rewrite: str | None = None
    credits: list[Literal[CREDITS]] = []  # type: ignore[valid-type]


class _TurnModel(BaseModel):
    question: str = Field(min_length=1)
    answer: str
    sources: list[dict[str, str]] = []
    critique: _CritiqueModel
    started: str
    finished: str = ""
    partial: bool = False
    error: str | None = None

    @field_validator("sources")
    @classmethod
    def _sources_have_title_and_source(cls, sources: list[dict[str, str]]) -> list[dict[str, str]]:
        if not all({"title", "source"} <= set(s) for s in sources):  # what unique_sources shows
            raise ValueError("each source needs a title and a source")
        return sources


class SessionExport(BaseModel):
    format: str
    version: int
    persona: dict[str, Any]
    goal: str = ""
    title: str = ""
    started: str
    ended: str | None = None
    minutes: int = 25  # exports from before sessions kept their minutes were 25-minute sessions
    turns: list[_TurnModel]


def to_json(record: SessionRecord) -> dict[str, Any]:
    """A session as its JSON export (``SessionStore.import_json`` reads it back)."""
    persona = record.persona_card
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "id": record.id,
        "persona": {"id": persona.id, "name": persona.name, "title": persona.title},
        "goal": record.goal,
        "title": record.display_title,
        "started": record.started,
        "ended": record.ended,
        "minutes": record.minutes,
        "turns": [t.to_dict() for t in record.turns],
        "report": record.report().to_dict(),
    }


def to_markdown(record: SessionRecord, report: bool = True) -> str:
    """A session as a readable Markdown transcript, with feedback and (``report``) the coach's report."""
    persona = record.persona_card
    lines = [
        f"# {record.display_title}",
        "",
        f"Informational interview practice with **{persona.name}**, {persona.title}.  ",
        f"Started {record.started}" + (f" · ended {record.ended}" if record.ended else "") + "  ",
    ]
    if record.goal:
        lines.append(f"Goal: {record.goal}")
    for n, turn in enumerate(record.turns, 1):
        c = turn.critique
        flags = ", ".join(f.replace("_", " ") for f in c.flags) or "no flags"
        lines += ["", f"## Q{n}. {turn.question}", "", turn.answer or "(no answer)"]
        if turn.partial:
            lines += ["", f"*This answer was cut off: {turn.error}*"]
        if turn.sources:
            lines += ["", "Notes used:"] + [f"- {title} — {source}" for title, source in unique_sources(turn.sources)]
        lines += ["", f"**Feedback:** {c.score}/5 · {c.topic.replace('_', ' ')} · {flags}. {c.feedback}"]
        if c.rewrite:
            lines.append(f"**Try:** {c.rewrite}")
    if report:
        lines += ["", record.report().markdown().replace("### Session report", "## Report")]
    return "\n".join(lines) + "\n"


def parse_export(text: str | bytes, personas: Personas) -> tuple[SessionExport, Persona]:
    """A JSON export, checked: the export and the persona it is with (a SessionError names the fix)."""
    if isinstance(text, str):
        text = text.encode("utf-8", errors="replace")
    if len(text) > MAX_IMPORT_BYTES:
        raise SessionError("That file is over 5 MB: not a session export. Fix: choose the .json file you exported.")
    try:
        data = json.loads(text)
        export = SessionExport.model_validate(data)
        # Lone surrogates ("\ud800") parse as JSON but can't be stored as UTF-8 (UnicodeEncodeError).
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, ValidationError, RecursionError) as exc:  # RecursionError: nesting like "[[[[..."
        raise SessionError(
            "That file is not a Mock Informant session export. Fix: choose a .json file made by Export."
        ) from exc
    if export.format != EXPORT_FORMAT or export.version > EXPORT_VERSION:
        raise SessionError(
            f"Unsupported export (format {export.format!r}, version {export.version}). Fix: export it again here."
        )
    if not 0 < export.minutes <= MAX_MINUTES:  # also keeps it within SQLite's INTEGER
        raise SessionError(
            f"That export asks for {export.minutes} minutes. Fix: set minutes to 1–{MAX_MINUTES} or export it again."
        )
    try:
        persona = personas.get(str(export.persona.get("id", "")))
    except PersonaError as exc:
        raise SessionError(
            f"That session is with a professional this app doesn't have ({export.persona.get('id')!r}). "
            "Fix: import it where that persona exists."
        ) from exc
    return export, persona
