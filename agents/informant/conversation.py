"""A conversation with an informant: its turns, as saved and shown, and what the seeker may send."""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from langchain_core.messages import BaseMessage

from agents.critic import Critique
from agents.informant.prompt import system_prompt
from core.defaults import DEFAULT_MINUTES
from core.errors import InputError
from knowledge.personas import Persona
from knowledge.store import Note

__all__ = [
    "MAX_QUESTION_CHARS",
    "Conversation",
    "fault_line",
    "now_iso",
    "summarised_notice",
    "Turn",
    "TurnUpdate",
    "validate_question",
]

MAX_QUESTION_CHARS = 2000

_CONVERSATION_IDS = itertools.count(1)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Turn:
    question: str
    answer: str
    sources: list[dict[str, str]]
    critique: Critique  # judged in the conversation (agents.coach.critique_in_context)
    started: str
    finished: str = ""
    partial: bool = False
    error: str | None = None
    ttft_s: float | None = None  # time to the first answer token
    total_s: float | None = None
    wait_s: float | None = None  # time spent waiting for the local model's queue
    summarised: int = 0  # how many earlier turns the informant now sees only as a summary

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["critique"] = self.critique.to_dict()
        return data


@dataclass
class Conversation:
    persona: Persona
    goal: str = ""
    seeker_name: str = ""  # the seeker's name, if they gave it
    background: str = ""  # the seeker's background, in their words ("Ten years teaching maths")
    turns: list[Turn] = field(default_factory=list)
    # The messages exactly as sent to the model (after the system prompt), so that the next
    # turn's prompt starts with the same tokens as the last one.
    messages: list[BaseMessage] = field(default_factory=list)
    # Notes already sent with an earlier turn (still in the prompt): id -> title.
    seen_notes: dict[str, str] = field(default_factory=dict)
    session_id: str | None = None  # set once the first turn is saved (agents.sessions)
    minutes: int = DEFAULT_MINUTES  # the time the seeker asked for
    read_ahead: tuple[str, ...] = ()  # the note ids last read ahead for a draft
    summary: list[str] = field(default_factory=list)  # one line per summarised turn
    summarised: int = 0  # turns summarised so far (the oldest ones)
    key: str = field(default_factory=lambda: f"c{next(_CONVERSATION_IDS)}")  # for the fair queue
    warming: threading.Thread | None = field(default=None, repr=False)  # reading ahead (Informant.warm)
    drafting: threading.Thread | None = field(default=None, repr=False)  # reading a draft's notes ahead
    draft: str = ""  # the seeker's latest draft (while they type)
    sent: set[str] = field(default_factory=set)  # note sentences already sent to the model (still in the prompt)
    told: set[str] = field(default_factory=set)  # parts of the persona's story already told (material.story_key)
    known: str | None = field(default=None, repr=False)  # what the answers may say as their own (guard)
    shared: str | None = field(default=None, repr=False)  # the seeker's documents in scope: quoted, not owned

    @property
    def system(self) -> str:
        return system_prompt(self.persona, "\n".join(self.summary))

    @property
    def critiques(self) -> list[Critique]:
        return [t.critique for t in self.turns]


@dataclass
class TurnUpdate:
    """One step of a streaming turn: the answer so far, and what is known about the turn.

    ``answer`` is what the page shows now: checked sentences, then the one being written while it
    holds nothing to check (it may shrink when that sentence turns out to need checking);
    ``checked`` only grows: whole sentences that passed the guard (what a terminal prints)."""

    answer: str
    critique: Critique  # as agents.coach.critique_in_context returns it
    sources: list[Note]
    done: bool = False
    turn: Turn | None = None
    waiting: int = 0  # requests ahead of this one for the local model
    stats: list[dict[str, Any]] = field(default_factory=list)  # what each model request cost (agents.models)
    removed: list[str] = field(default_factory=list)  # sentences the guard left out (agents.informant.guard)
    checked: str = ""


def fault_line(turn: Turn) -> str:
    """What the seeker is told about a turn the model did not finish (one line, with the fix)."""
    what = "The answer was cut off" if turn.answer else "No answer"
    why = turn.error or "the model stopped."
    if len(why) > 1 and why[1].islower():  # "The model server …" reads on after a colon
        why = why[0].lower() + why[1:]
    return f"{what}: {why}"


def summarised_notice(conversation: Conversation) -> str:
    """What the seeker is told when earlier turns are summarised to fit the model's context."""
    n = conversation.summarised
    which = "question 1" if n == 1 else f"questions 1–{n}"
    name = conversation.persona.first_name
    return f"To fit the model's memory, {name} now remembers {which} as a summary. Your transcript keeps every word."


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def validate_question(text: str | None) -> str:
    question = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", " ", text or "").strip()  # C0, DEL and C1 controls
    question = re.sub("[\ud800-\udfff]", "\ufffd", question)  # undecodable bytes from a terminal
    if not _INVISIBLE.sub("", question).strip():  # nothing but zero-width or direction marks
        raise InputError("Type a question first.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"That message is {len(question):,} characters. "
            f"Fix: ask one thing at a time, in under {MAX_QUESTION_CHARS:,} characters."
        )
    return question
