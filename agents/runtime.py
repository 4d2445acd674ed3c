"""The runtime: everything one app process shares, each part made once and passed down.

The page, the CLI, the evals and the benchmark each build one ``Runtime`` from the settings. It
owns the settings, the personas, the note store and its search, the chat model (and with it the
local model's fair queue and saved states), the session store and the informant. Nothing below
it reads the settings or keeps process-wide state of its own: what a part needs, it is given here.

The store opens (and ingests the built-in notes on first run) and the model loads on first use,
possibly in the background while the page is already usable.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel

from agents.critic import critique
from agents.informant import Informant
from agents.models import ChatLlamaCpp, FairQueue, build_chat_model
from agents.sessions import SessionStore
from core.errors import ModelError
from core.settings import Settings, redact
from knowledge.personas import Personas
from knowledge.retrieval import Retriever
from knowledge.store import IngestResult, NoteStore

if TYPE_CHECKING:
    from agents.coach import Report
    from agents.followup import ThankYouNote
    from agents.prepare import QuestionPlan
    from knowledge.store import Note

__all__ = ["Runtime"]


class Runtime:
    def __init__(self, settings: Settings, model: BaseChatModel | None = None) -> None:
        self.settings = settings
        # Sessions and notes are private: a new home is readable by this user only.
        settings.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.personas = Personas(settings.home / "personas")
        # The local model serves one request at a time; conversations take turns here.
        self.queue = FairQueue()
        self._model = model
        self._store: NoteStore | None = None
        self._retriever: Retriever | None = None
        self._informant: Informant | None = None
        self._sessions: SessionStore | None = None
        self._lock = threading.RLock()
        self.model_error: str | None = None
        self.builtin_ingest: IngestResult | None = None
        self.ingest_progress: str | None = None
        self._model_ready = threading.Event()
        if model is not None:
            self._model_ready.set()

    # ---------------------------------------------------------------- notes

    def store(self) -> NoteStore:
        """The note store; on first use the built-in notes are ingested (progress in ``ingest_progress``)."""
        with self._lock:
            if self._store is None:

                def progress(n: int, total: int, name: str) -> None:
                    self.ingest_progress = f"{n}/{total} files ({name})"

                store = NoteStore(self.settings.chroma_dir, self.settings.chroma_host, self.settings.chroma_port)
                self.builtin_ingest = store.ingest_builtin(progress)
                self._store = store
            return self._store

    @property
    def store_ready(self) -> bool:
        return self._store is not None

    def retriever(self) -> Retriever:
        """The one search over the notes: the informant, its search tool and the Knowledge tab use it."""
        with self._lock:
            if self._retriever is None:
                self._retriever = Retriever(self.store(), k=self.settings.retrieval_k)
            return self._retriever

    def search(self, question: str, persona_id: str | None = None) -> list[Note]:
        """What the informant would read for ``question``: the same search, topic and number of notes,
        in the persona's notes (all notes for None)."""
        persona = self.personas.or_placeholder(persona_id) if persona_id else None
        role = persona.role or None if persona else None
        topic = critique(question).topic
        return self.retriever().for_question(question, role, persona.id if persona else None, topic)

    def sessions(self) -> SessionStore:
        with self._lock:
            if self._sessions is None:
                self._sessions = SessionStore(self.settings.home / "sessions.db", self.personas)
            return self._sessions

    # ---------------------------------------------------------------- model

    def model(self) -> BaseChatModel:
        with self._lock:
            if self._model is None:
                try:
                    model = build_chat_model(self.settings, self.queue)
                    if isinstance(model, ChatLlamaCpp):
                        model.load()  # the weights now, not at the first question
                except ModelError as exc:
                    self.model_error = redact(str(exc), self.settings)
                    self._model_ready.set()
                    raise
                self._model = model
                self._model_ready.set()
            return self._model

    def load_in_background(self) -> threading.Thread:
        """Open the store and load the model without blocking the caller."""

        def work() -> None:
            try:
                self.store()
                self.model()
            except Exception as exc:  # noqa: BLE001 - reported on the page through model_error
                self.model_error = self.model_error or redact(f"{type(exc).__name__}: {exc}", self.settings)
                self._model_ready.set()

        thread = threading.Thread(target=work, name="informant-loader", daemon=True)
        thread.start()
        return thread

    @property
    def model_ready(self) -> bool:
        return self._model is not None

    def wait_for_model(self, timeout: float | None = None) -> bool:
        self._model_ready.wait(timeout)
        return self._model is not None

    @property
    def capable_model(self) -> bool:
        """OpenAI or a compatible server: trusted to reword text (the rules still check its words)."""
        return self.settings.resolved_provider == "openai"

    def polish_report(self, report: Report) -> Report:
        """With a capable model, improve the report's wording."""
        if not self.capable_model:
            return report
        from agents.coach import polish

        return polish(report, self.model())

    def polish_questions(self, plan: QuestionPlan) -> QuestionPlan:
        """With a capable model, tailor the wording of a prepared list (checked again by the critic)."""
        if not self.capable_model:
            return plan
        from agents.prepare import polish_plan

        return polish_plan(plan, self.model())

    def thank_you(self, session_id: str, name: str = "", next_step: str = "") -> ThankYouNote:
        """The thank-you note for a saved session (polished by a capable model, quotes kept verbatim)."""
        from agents.followup import polish_note, thank_you

        record = self.sessions().get(session_id)
        last = record.turns[-1] if record.turns else None
        when = (last.finished or last.started) if last else (record.ended or record.updated)
        note = thank_you(session_id, record.persona_card, record.turns, record.goal, next_step, name, when=when)
        if self.capable_model:
            note = polish_note(note, self.model())
        return note

    # ---------------------------------------------------------------- informant

    def informant(self) -> Informant:
        with self._lock:
            if self._informant is None:
                self._informant = Informant(
                    self.model(),
                    self.retriever(),
                    settings=self.settings,
                    use_tools=self.capable_model,
                    context_tokens=self.settings.context_tokens,
                )
            return self._informant
