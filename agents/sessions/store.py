"""Practice sessions in SQLite under ``INFORMANT_HOME``: saved turn by turn, listed, resumed,
renamed, deleted, exported (Markdown, JSON) and imported again.

Each completed turn is written in its own transaction the moment it completes, so a crash or a
restart loses nothing that was answered. The schema is built by numbered migrations
(``migrations.py``), run when a store opens.
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
from typing import Any

from agents.critic import Critique
from agents.informant import Conversation, Turn
from agents.sessions.export import parse_export, to_json, to_markdown
from agents.sessions.migrations import migrate
from core.defaults import DEFAULT_MINUTES
from core.errors import PersonaError, SessionError
from knowledge.personas import Persona, Personas

__all__ = ["SessionRecord", "SessionStore"]


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
    minutes: int = DEFAULT_MINUTES
    seeker_name: str = ""
    background: str = ""
    turns: list[Turn] = field(default_factory=list)
    turn_count: int = 0
    score: float | None = None

    @property
    def display_title(self) -> str:
        """The title the seeker gave it, or who and when; a session left after one question says so."""
        if self.title:
            return self.title
        when = f"{self.persona_card.name} · {self.started[:16].replace('T', ' ')}"
        return f"Unfinished: {when}" if self.ended is None and max(self.turn_count, len(self.turns)) <= 1 else when

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
        seeker_name=row["seeker_name"],
        background=row["background"],
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
            migrate(db)  # agents/sessions/migrations.py

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
        self,
        persona: Persona,
        goal: str = "",
        title: str = "",
        started: str | None = None,
        minutes: int = DEFAULT_MINUTES,
        seeker_name: str = "",
        background: str = "",
    ) -> str:
        session_id = uuid.uuid4().hex[:8]
        started = started or _now()
        with self._connect() as db:
            db.execute(
                "INSERT INTO sessions (id, persona, goal, title, started, updated, minutes, seeker_name, background) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, persona.id, goal, title, started, started, minutes, seeker_name, background),
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
            conversation.session_id = self.create(
                conversation.persona,
                conversation.goal,
                minutes=conversation.minutes,
                seeker_name=conversation.seeker_name,
                background=conversation.background,
            )
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
        conversation = Conversation(
            persona=persona,
            goal=record.goal,
            session_id=record.id,
            minutes=record.minutes,
            seeker_name=record.seeker_name,
            background=record.background,
        )
        conversation.turns = list(record.turns)
        for turn in record.turns:
            if not turn.partial:
                conversation.messages += [HumanMessage(turn.question), AIMessage(turn.answer)]
        return conversation

    def progress(self) -> list[dict[str, Any]]:
        """Chart points over time: each session's score and topic coverage (% of the seed's
        topics), per persona and as a running average over all sessions; ``session`` numbers them 1, 2, …"""
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
                    "session": len(scores),
                    "started": when,
                    "series": record.persona_card.name,
                    "score": record.score,
                    "coverage": coverage,
                }
            )
            rows.append(
                {
                    "session": len(scores),
                    "started": when,
                    "series": "All sessions (running average)",
                    "score": round(sum(scores) / len(scores), 2),
                    "coverage": round(sum(coverages) / len(coverages), 1),
                }
            )
        return rows

    # ---------------------------------------------------------------- export / import

    def export_json(self, session_id: str) -> dict[str, Any]:
        return to_json(self.get(session_id))

    def export_markdown(self, session_id: str, report: bool = True) -> str:
        """The session as Markdown: the transcript with each question's feedback, and (``report``) the report."""
        return to_markdown(self.get(session_id), report)

    def import_json(self, text: str | bytes) -> str:
        """Import an exported JSON transcript as a new session; returns its id."""
        export, persona = parse_export(text, self.personas)
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
