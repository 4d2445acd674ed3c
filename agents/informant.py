"""The informant: a LangChain agent that role-plays a professional, grounded in retrieved notes.

Every turn, whatever the model:
1. the critic judges the question (deterministic, ``agents.critic``);
2. the persona's notes are retrieved from Chroma for the question;
3. the agent answers in character. The system prompt depends only on the persona, and the
   notes and the question go at the end of the prompt, so llama.cpp reuses the evaluated
   prefix from turn to turn. A note already sent earlier in the conversation is referred to
   by its title instead of being sent again.

Requests for a job, an interview or a referral get a fixed, in-character decline: small local
models have been seen to agree to them.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool

from agents.coach import critique_in_context
from knowledge.personas import Persona
from knowledge.retrieval import Retriever
from knowledge.store import Note, NoteStore
from prompts import render

log = logging.getLogger("mock_informant")

MAX_QUESTION_CHARS = 2000
# Longest answer per temperament, in tokens: the persona's length is enforced, not only asked for.
ANSWER_TOKENS = {"busy": 60, "sceptical": 110, "warm": 170}
# Notes the agent found with its search tool during the current turn (tools may run in
# another thread; LangGraph copies the context into it).
_TOOL_NOTES: ContextVar[list[Note] | None] = ContextVar("tool_notes", default=None)
# Room kept free in the model's context for the answer and the next turn.
CONTEXT_HEADROOM_TOKENS = 700


class InputError(ValueError):
    """The seeker's input cannot be used; the message says what to do instead."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Turn:
    question: str
    answer: str
    sources: list[dict[str, str]]
    critique: dict[str, Any]
    started: str
    finished: str = ""
    partial: bool = False
    error: str | None = None
    ttft_s: float | None = None  # time to the first answer token
    total_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Conversation:
    persona: Persona
    goal: str = ""
    turns: list[Turn] = field(default_factory=list)
    # The messages exactly as sent to the model (after the system prompt), so that the next
    # turn's prompt starts with the same tokens as the last one.
    messages: list[BaseMessage] = field(default_factory=list)
    seen_notes: dict[str, str] = field(default_factory=dict)
    session_id: str | None = None  # set once the first turn is saved (agents.sessions)
    minutes: int = 25  # the time the seeker asked for

    @property
    def critiques(self) -> list[dict[str, Any]]:
        return [t.critique for t in self.turns]


@dataclass
class TurnUpdate:
    """One step of a streaming turn: the answer so far, and what is known about the turn."""

    answer: str
    critique: dict[str, Any]  # as agents.coach.critique_in_context returns it
    sources: list[Note]
    done: bool = False
    turn: Turn | None = None


def validate_question(text: str | None) -> str:
    question = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text or "").strip()
    if not question:
        raise InputError("Type a question first.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"That message is {len(question):,} characters; keep a question under {MAX_QUESTION_CHARS:,}.")
    return question


def temperament_text(persona: Persona) -> str:
    return render("informant", f"temperament_{persona.temperament}")


def system_prompt(persona: Persona) -> str:
    return render("informant", "system", persona=persona, temperament=temperament_text(persona))


def _clean_answer(text: str, persona: Persona) -> str:
    """Drop a speaker label a small model may put first, and any invented next turn."""
    names = f"{re.escape(persona.name)}|{re.escape(persona.name.split()[0])}"
    text = re.sub(rf"^\s*(?:{names}|Informant|Answer)\s*:\s*", "", text)
    text = re.sub(rf"^\s*As (?:{names}),\s*(\w)", lambda m: m.group(1).upper(), text)
    text = re.sub(r"^\s*The seeker asks:[^\n]*\n", "", text)
    text = re.split(r"\n\s*(?:The seeker asks|Seeker|Question|User)\s*:", text)[0]
    return text.strip()


def _whole_sentences(text: str) -> str:
    """Drop a last sentence cut off by the length budget (keep the text if that would gut it)."""
    text = text.rstrip()
    if not text or text[-1] in ".!?\"')”’":
        return text
    cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "), text.rfind(".\n"))
    return text[: cut + 1] if cut >= len(text) * 0.4 else text


class Informant:
    """Answers a seeker's questions as one persona. Create one per process and share it."""

    def __init__(
        self,
        model: BaseChatModel,
        store: NoteStore,
        *,
        k: int = 3,
        use_tools: bool = False,
        context_tokens: int = 4096,
    ) -> None:
        self.model = model
        self.store = store
        self.retriever = Retriever(store, k=k)
        self.k = k
        self.use_tools = use_tools
        self.context_tokens = context_tokens
        self._agents: dict[str, Any] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ agent

    def _search_tool(self, persona: Persona):
        store = self.store

        @tool
        def search_notes(query: str) -> str:
            """Search your industry notes for facts about a topic the seeker asked about."""
            notes = store.retrieve(query, role=persona.role, k=3, persona=persona.id)
            found = _TOOL_NOTES.get()
            if found is not None:
                found.extend(notes)
            return "\n".join(f"- {n.title}: {n.text}" for n in notes) or "No notes on that."

        return search_notes

    def model_for(self, persona: Persona) -> BaseChatModel:
        """The chat model with the persona's answer-length budget (small models ignore "be brief")."""
        budget = ANSWER_TOKENS[persona.temperament]
        fields = type(self.model).model_fields
        for name in ("max_tokens", "max_completion_tokens"):
            if name in fields:
                current = getattr(self.model, name, None)
                return self.model.model_copy(update={name: min(budget, current) if current else budget})
        return self.model

    def agent_for(self, persona: Persona) -> Any:
        with self._lock:
            if persona.id not in self._agents:
                tools = [self._search_tool(persona)] if self.use_tools else []
                self._agents[persona.id] = create_agent(
                    self.model_for(persona), tools=tools, system_prompt=system_prompt(persona), name="informant"
                )
            return self._agents[persona.id]

    # ------------------------------------------------------------------ turns

    def start(self, persona: Persona, goal: str = "", minutes: int = 25) -> Conversation:
        return Conversation(persona=persona, goal=goal.strip(), minutes=minutes)

    def warm(self, persona: Persona) -> None:
        """Let a local model read the persona's system prompt now, while the seeker types.

        The first question then only pays for its own message. A no-op for remote models.
        """
        warm = getattr(self.model, "warm", None)
        if warm is not None:
            warm([SystemMessage(system_prompt(persona)), HumanMessage("Hello.")])

    def warm_in_background(self, persona: Persona) -> threading.Thread:
        def work() -> None:
            try:
                self.warm(persona)
            except Exception as exc:  # noqa: BLE001 - only an optimisation; the turn itself reports errors
                log.warning("warm-up failed: %s", exc)

        thread = threading.Thread(target=work, name="informant-warm", daemon=True)
        thread.start()
        return thread

    def greeting(self, persona: Persona) -> str:
        return render("informant", "greeting", persona=persona)

    def retrieve(self, conversation: Conversation, question: str, topic: str = "other") -> list[Note]:
        persona = conversation.persona
        if topic == "networking":  # "who else should I talk to?": the associations and communities notes
            question = f"{question} professional associations, communities and people to meet"
        return self.retriever.search(question, persona.role, persona=persona.id)

    def build_turn_message(
        self, conversation: Conversation, question: str, notes: list[Note], flags: list[str] | None = None
    ) -> str:
        persona = conversation.persona
        new = [n for n in notes if n.id not in conversation.seen_notes]
        earlier = sorted({n.title for n in notes if n.id in conversation.seen_notes})
        return render(
            "informant",
            "turn",
            notes=new,
            earlier=earlier,
            question=question,
            lookup="googleable" in (flags or []),
            name=persona.name,
            length=render("informant", f"length_{persona.temperament}"),
        )

    def _fit_context(self, conversation: Conversation, turn_message: str) -> None:
        """Drop the oldest exchanges when the prompt would not fit the model's context."""

        def size(messages: list[BaseMessage]) -> int:
            return sum(len(str(m.content)) for m in messages) // 3  # ~3 characters a token, erring high

        budget = self.context_tokens - CONTEXT_HEADROOM_TOKENS - len(system_prompt(conversation.persona)) // 3
        while conversation.messages and size(conversation.messages) + len(turn_message) // 3 > budget:
            del conversation.messages[:2]
            # Notes sent in dropped messages must be sent again when they come up.
            kept = " ".join(str(m.content) for m in conversation.messages)
            conversation.seen_notes = {i: t for i, t in conversation.seen_notes.items() if t in kept}

    def stream(self, conversation: Conversation, text: str) -> Iterator[TurnUpdate]:
        """Answer one question, yielding the answer as it grows. Always records the turn."""
        question = validate_question(text)
        t0 = time.perf_counter()
        persona = conversation.persona
        # The feedback the seeker sees is judged in the context of the conversation (agents.coach).
        feedback = critique_in_context(question, conversation.turns, persona)
        started = _now()
        if "asks_for_job" in feedback["flags"]:
            answer = render("informant", f"decline_{persona.temperament}", suggestion=feedback["rewrite"] or "")
            shown = ""
            for word in answer.split(" "):
                shown = f"{shown} {word}" if shown else word
                yield TurnUpdate(shown, feedback, [])
            elapsed = round(time.perf_counter() - t0, 3)
            turn = Turn(question, answer, [], feedback, started, _now(), ttft_s=elapsed, total_s=elapsed)
            conversation.messages += [HumanMessage(question), AIMessage(answer)]
            conversation.turns.append(turn)
            yield TurnUpdate(answer, feedback, [], done=True, turn=turn)
            return

        notes = self.retrieve(conversation, question, feedback["topic"])
        yield TurnUpdate("", feedback, notes)
        message = self.build_turn_message(conversation, question, notes, feedback["flags"])
        self._fit_context(conversation, message)
        messages = [*conversation.messages, HumanMessage(message)]
        found: list[Note] = []
        _TOOL_NOTES.set(found)
        answer, error, ttft = "", None, None
        try:
            for chunk, meta in self.agent_for(persona).stream({"messages": messages}, stream_mode="messages"):
                if isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "model" and chunk.text:
                    if ttft is None:
                        ttft = time.perf_counter() - t0
                    answer += chunk.text
                    yield TurnUpdate(_clean_answer(answer, persona), feedback, notes)
        except Exception as exc:  # noqa: BLE001 - any provider fault: keep what we have, say what happened
            error = f"{type(exc).__name__}: {exc}"
        used = notes + [n for n in found if n.id not in {x.id for x in notes}]
        answer = _whole_sentences(_clean_answer(answer, persona))
        turn = Turn(
            question,
            answer,
            [n.as_source() for n in used],
            feedback,
            started,
            _now(),
            partial=error is not None,
            error=error,
            ttft_s=None if ttft is None else round(ttft, 3),
            total_s=round(time.perf_counter() - t0, 3),
        )
        log.info(
            "turn %d persona=%s ttft=%.2fs total=%.2fs notes=%d partial=%s",
            len(conversation.turns) + 1,
            persona.id,
            ttft or -1,
            turn.total_s,
            len(used),
            turn.partial,
        )
        if error is None:
            conversation.messages += [HumanMessage(message), AIMessage(answer)]
            conversation.seen_notes.update({n.id: n.title for n in notes})
        conversation.turns.append(turn)
        yield TurnUpdate(answer, feedback, used, done=True, turn=turn)

    def ask(self, conversation: Conversation, text: str) -> Turn:
        """Answer one question without streaming; returns the recorded turn."""
        last = None
        for update in self.stream(conversation, text):
            last = update
        assert last is not None and last.turn is not None
        return last.turn
