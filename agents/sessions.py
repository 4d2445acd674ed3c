"""Practice sessions in SQLite under ``INFORMANT_HOME``: saved turn by turn, listed, resumed,
renamed, deleted, exported (Markdown, JSON) and imported again.

Each completed turn is written in its own transaction the moment it completes, so a crash or a
restart loses nothing that was answered.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from agents.coach import CONTEXT_FLAGS, CREDITS
from agents.critic import FLAGS, TOPICS, Critique
from agents.informant import Conversation, Turn
from core.errors import PersonaError, SessionError
from knowledge.personas import Persona, Personas
from knowledge.store import unique_sources

EXPORT_FORMAT = "mock-informant-session"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 5_000_000
MAX_MINUTES = 24 * 60  # the longest conversation an import may ask for

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    persona TEXT NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    started TEXT NOT NULL,
    updated TEXT NOT NULL,
    ended TEXT,
    minutes INTEGER NOT NULL DEFAULT 25
);
CREATE TABLE IF NOT EXISTS turns (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,
    critique TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    partial INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    PRIMARY KEY (session_id, n)
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SessionRecord:
    id: str
    persona: str
    goal: str
    title: str
    started: str
    updated: str
    ended: str | None
    persona_card: Persona  # the persona, or a stand-in when it was deleted
    minutes: int = 25
    turns: list[Turn] = field(default_factory=list)
    turn_count: int = 0
    score: float | None = None

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return f"{self.persona_card.name} · {self.started[:16].replace('T', ' ')}"

    def report(self):
        """The coach's report (agents.coach), recomputed from the questions and answers."""
        from agents.coach import build_report

        return build_report(self.turns, self.persona_card, self.goal, self.minutes)

    def coverage(self) -> float:
        """Share of the seed's topics this session covered (0..1)."""
        from agents.coach import SEED_TOPICS, covered_topics

        return len(covered_topics([t.critique for t in self.turns])) / len(SEED_TOPICS)

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "persona": self.persona,
            "title": self.display_title,
            "goal": self.goal,
            "started": self.started,
            "ended": self.ended,
            "turns": self.turn_count,
            "score": self.score,
        }


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
    minutes: int = 25
    turns: list[_TurnModel]


def _record(row: sqlite3.Row, personas: Personas, **fields: Any) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        persona=row["persona"],
        persona_card=personas.or_placeholder(row["persona"]),
        goal=row["goal"],
        title=row["title"],
        started=row["started"],
        updated=row["updated"],
        ended=row["ended"],
        minutes=row["minutes"],
        **fields,
    )


class SessionStore:
    def __init__(self, path: Path, personas: Personas | None = None) -> None:
        """``personas``: whom sessions can be with; by default the built-in personas and the user's
        own in the ``personas`` folder beside the database (both live in ``INFORMANT_HOME``)."""
        self.path = path
        self.personas = personas or Personas(path.parent / "personas")
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
            if "minutes" not in columns:  # a store from before sessions kept the time asked for
                db.execute("ALTER TABLE sessions ADD COLUMN minutes INTEGER NOT NULL DEFAULT 25")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        try:
            with db:  # one transaction: commit on success, roll back on error
                yield db
        finally:
            db.close()

    # ---------------------------------------------------------------- writing

    def create(
        self, persona: Persona, goal: str = "", title: str = "", started: str | None = None, minutes: int = 25
    ) -> str:
        session_id = uuid.uuid4().hex[:8]
        started = started or _now()
        with self._connect() as db:
            db.execute(
                "INSERT INTO sessions (id, persona, goal, title, started, updated, minutes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, persona.id, goal, title, started, started, minutes),
            )
        return session_id

    def add_turn(self, session_id: str, turn: Turn) -> int:
        """Append one completed turn (its own transaction). Returns the turn's number."""
        with self._connect() as db:
            n = db.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM turns WHERE session_id = ?", (session_id,)).fetchone()[
                0
            ]
            db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    n,
                    turn.question,
                    turn.answer,
                    json.dumps(turn.sources, ensure_ascii=False),
                    json.dumps(turn.critique.to_dict(), ensure_ascii=False),
                    turn.started,
                    turn.finished or _now(),
                    int(turn.partial),
                    turn.error,
                ),
            )
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (_now(), session_id))
        return n

    def save_turn(self, conversation: Conversation, turn: Turn) -> str:
        """Save a turn of a live conversation, creating its session on the first turn."""
        if conversation.session_id and not self.exists(conversation.session_id):
            # Deleted (say, in another tab) while it was open: keep the whole conversation in a new one.
            conversation.session_id = None
            pending = conversation.turns[:-1] if conversation.turns and conversation.turns[-1] is turn else []
        else:
            pending = []
        if not conversation.session_id:
            conversation.session_id = self.create(conversation.persona, conversation.goal, minutes=conversation.minutes)
        for earlier in pending:
            self.add_turn(conversation.session_id, earlier)
        self.add_turn(conversation.session_id, turn)
        return conversation.session_id

    def exists(self, session_id: str) -> bool:
        with self._connect() as db:
            return db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    def end(self, session_id: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE sessions SET ended = ?, updated = ? WHERE id = ?", (_now(), _now(), self._check(db, session_id))
            )

    def rename(self, session_id: str, title: str) -> None:
        title = " ".join(title.split())[:120]
        if not title:
            raise SessionError("A session title can't be empty. Fix: give a few words.")
        with self._connect() as db:
            db.execute("UPDATE sessions SET title = ? WHERE id = ?", (title, self._check(db, session_id)))

    def delete(self, session_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (self._check(db, session_id),))

    # ---------------------------------------------------------------- reading

    def _check(self, db: sqlite3.Connection, session_id: str) -> str:
        session_id = (session_id or "").strip()
        if not db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
            raise SessionError(f"No session '{session_id}'. Fix: see `informant sessions` for the ids.")
        return session_id

    def list(self, persona: str | None = None) -> list[SessionRecord]:
        query = (
            "SELECT s.*, COUNT(t.n) AS turn_count, AVG(json_extract(t.critique, '$.score')) AS score "
            "FROM sessions s LEFT JOIN turns t ON t.session_id = s.id "
            + ("WHERE s.persona = ? " if persona else "")
            + "GROUP BY s.id ORDER BY s.started DESC"
        )
        with self._connect() as db:
            rows = db.execute(query, (persona,) if persona else ()).fetchall()
        return [
            _record(
                r, self.personas, turn_count=r["turn_count"], score=None if r["score"] is None else round(r["score"], 2)
            )
            for r in rows
        ]

    def get(self, session_id: str) -> SessionRecord:
        with self._connect() as db:
            session_id = self._check(db, session_id)
            r = db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            turns = db.execute("SELECT * FROM turns WHERE session_id = ? ORDER BY n", (session_id,)).fetchall()
        record = _record(
            r,
            self.personas,
            turns=[
                Turn(
                    question=t["question"],
                    answer=t["answer"],
                    sources=json.loads(t["sources"]),
                    critique=Critique.from_dict(json.loads(t["critique"])),
                    started=t["started"],
                    finished=t["finished"],
                    partial=bool(t["partial"]),
                    error=t["error"],
                )
                for t in turns
            ],
        )
        record.turn_count = len(record.turns)
        scores = [t.critique.score for t in record.turns]
        record.score = round(sum(scores) / len(scores), 2) if scores else None
        return record

    def resume(self, session_id: str) -> Conversation:
        """A live conversation that continues a saved session (its history rebuilt from the turns)."""
        from langchain_core.messages import AIMessage, HumanMessage

        record = self.get(session_id)
        try:
            persona = self.personas.get(record.persona)
        except PersonaError as exc:
            raise SessionError(
                f"This session's professional ({record.persona}) was deleted, so it can't be resumed. "
                "Fix: read or export it instead."
            ) from exc
        conversation = Conversation(persona=persona, goal=record.goal, session_id=record.id, minutes=record.minutes)
        conversation.turns = list(record.turns)
        for turn in record.turns:
            if not turn.partial:
                conversation.messages += [HumanMessage(turn.question), AIMessage(turn.answer)]
        return conversation

    def progress(self) -> list[dict[str, Any]]:
        """Chart points over time: each session's score and topic coverage (% of the seed's
        topics), per persona and as a running average over all sessions."""
        records = sorted((self.get(r.id) for r in self.list() if r.turn_count), key=lambda r: r.started)
        rows: list[dict[str, Any]] = []
        scores: list[float] = []
        coverages: list[float] = []
        for record in records:
            coverage = round(record.coverage() * 100, 1)
            scores.append(record.score or 0.0)
            coverages.append(coverage)
            when = record.started
            rows.append(
                {
                    "started": when,
                    "series": record.persona_card.name,
                    "score": record.score,
                    "coverage": coverage,
                }
            )
            rows.append(
                {
                    "started": when,
                    "series": "All sessions (running average)",
                    "score": round(sum(scores) / len(scores), 2),
                    "coverage": round(sum(coverages) / len(coverages), 1),
                }
            )
        return rows

    # ---------------------------------------------------------------- export / import

    def export_json(self, session_id: str) -> dict[str, Any]:
        record = self.get(session_id)
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

    def export_markdown(self, session_id: str) -> str:
        record = self.get(session_id)
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
                lines += ["", "Notes used:"] + [
                    f"- {title} — {source}" for title, source in unique_sources(turn.sources)
                ]
            lines += ["", f"**Feedback:** {c.score}/5 · {c.topic.replace('_', ' ')} · {flags}. {c.feedback}"]
            if c.rewrite:
                lines.append(f"**Try:** {c.rewrite}")
        lines += ["", record.report().markdown().replace("### Session report", "## Report")]
        return "\n".join(lines) + "\n"

    def import_json(self, text: str | bytes) -> str:
        """Import an exported JSON transcript as a new session; returns its id."""
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
            persona = self.personas.get(str(export.persona.get("id", "")))
        except PersonaError as exc:
            raise SessionError(
                f"That session is with a professional this app doesn't have ({export.persona.get('id')!r}). "
                "Fix: import it where that persona exists."
            ) from exc
        with self._connect() as db:  # all or nothing
            session_id = uuid.uuid4().hex[:8]
            db.execute(
                "INSERT INTO sessions (id, persona, goal, title, started, updated, ended, minutes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    persona.id,
                    export.goal,
                    export.title,
                    export.started,
                    _now(),
                    export.ended,
                    export.minutes,
                ),
            )
            for n, t in enumerate(export.turns, 1):
                db.execute(
                    "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        session_id,
                        n,
                        t.question,
                        t.answer,
                        json.dumps(t.sources),
                        t.critique.model_dump_json(),
                        t.started,
                        t.finished or t.started,
                        int(t.partial),
                        t.error,
                    ),
                )
        return session_id
