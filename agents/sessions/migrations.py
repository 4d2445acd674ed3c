"""The session database's schema, as an ordered list of named migrations.

The database records how many have run (SQLite's ``user_version``); opening a store runs the ones
after that, in order, each in the store's transaction, so a database from any earlier version
opens in this one. To change the schema, append a migration; never edit one that has shipped.
A database from before migrations were numbered (``user_version`` 0, tables present) passes
through them safely: each one checks what is already there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["MIGRATIONS", "migrate", "schema_version"]


def m001_initial(db: sqlite3.Connection) -> None:
    """Sessions and their turns: each completed turn is one row, written when it completes."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY,
            persona TEXT NOT NULL,
            goal TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            started TEXT NOT NULL,
            updated TEXT NOT NULL,
            ended TEXT
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
    )


def m002_session_minutes(db: sqlite3.Connection) -> None:
    """The minutes of the real conversation the seeker practises for (the report's time check)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
    if "minutes" not in columns:
        db.execute("ALTER TABLE sessions ADD COLUMN minutes INTEGER NOT NULL DEFAULT 25")


def m003_seeker(db: sqlite3.Connection) -> None:
    """Who the seeker said they were (name, background), so a resumed conversation keeps it."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
    for column in ("seeker_name", "background"):
        if column not in columns:
            db.execute(f"ALTER TABLE sessions ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial, m002_session_minutes, m003_seeker)


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection) -> list[str]:
    """Run the migrations this database has not had yet; returns their names."""
    done = schema_version(db)
    ran = []
    for number, migration in enumerate(MIGRATIONS, 1):
        if number > done:
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
            ran.append(migration.__name__)
    return ran
