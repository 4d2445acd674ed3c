"""Practice sessions: the SQLite store (``store.py``), its migrations (``migrations.py``), and
exports and imports (``export.py``)."""

from agents.sessions.export import EXPORT_FORMAT, EXPORT_VERSION, MAX_IMPORT_BYTES, SessionExport
from agents.sessions.migrations import MIGRATIONS, migrate
from agents.sessions.store import SessionRecord, SessionStore

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_IMPORT_BYTES",
    "MIGRATIONS",
    "SessionExport",
    "SessionRecord",
    "SessionStore",
    "migrate",
]
