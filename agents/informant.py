"""The informant: a LangChain agent that role-plays a professional, grounded in retrieved notes.

Every turn, whatever the model:
1. the critic judges the question (deterministic, ``agents.critic``);
2. the persona's notes are retrieved from Chroma for the question;
3. the agent answers in character.

The prompt is built so that a turn reads as few new tokens as possible on a laptop CPU:
- The system prompt depends only on the persona; the notes and the question go in the turn's
  message, at the end, so everything before it is unchanged from the last turn and llama.cpp
  reuses it. A note already sent earlier is named by its title instead of being sent again, and
  new notes are cut to ``TURN_NOTES_TOKENS``.
- The app reads ahead: the system prompt when a conversation starts, the last answer while the
  seeker reads it, and, while they type, the notes retrieved for their draft (everything before
  "The seeker asks:"). When the question is sent, only the question is left to read.
- Conversations take turns on the one local model through a fair queue, and each one's evaluated
  state is kept (agents.models), so alternating conversations don't re-read each other's prompts.
- When the conversation would outgrow the context, the oldest turns are summarised into the end
  of the system prompt and the turn records it, so the seeker is told.
Tokens are counted with the model's own tokenizer (local) or tiktoken (OpenAI-compatible).

Requests for a job, an interview or a referral get a fixed, in-character decline: small local
models have been seen to agree to them.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool

from agents.coach import critique_in_context
from agents.critic import Critique, critique
from agents.models import REQUEST_KEY, REQUEST_STATS, describe_fault, token_counter
from core.errors import InputError
from core.settings import Settings
from knowledge.personas import Persona
from knowledge.retrieval import Retriever
from knowledge.store import Note
from prompts import render

log = logging.getLogger("mock_informant")

MAX_QUESTION_CHARS = 2000
# Longest answer per temperament, in tokens: the persona's length is enforced, not only asked for.
ANSWER_TOKENS = {"busy": 60, "sceptical": 110, "warm": 170}
# Notes the agent found with its search tool during the current turn (tools may run in
# another thread; LangGraph copies the context into it).
_TOOL_NOTES: ContextVar[list[Note] | None] = ContextVar("tool_notes", default=None)
# Text of retrieved notes not yet in the prompt, per turn (three built-in notes are ~300 tokens).
TURN_NOTES_TOKENS = 450
# Marks where a read-ahead stops (never shown to the model).
_READ_AHEAD = "\u2063read-ahead\u2063"
# The summary of old turns, at most; beyond it the oldest summary lines are dropped.
SUMMARY_TOKENS = 900
# Tokens per message for the chat template's markers, when counting without the template.
MESSAGE_OVERHEAD_TOKENS = 6


_CONVERSATION_IDS = itertools.count(1)


def _now() -> str:
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
    turns: list[Turn] = field(default_factory=list)
    # The messages exactly as sent to the model (after the system prompt), so that the next
    # turn's prompt starts with the same tokens as the last one.
    messages: list[BaseMessage] = field(default_factory=list)
    # Notes already sent with an earlier turn (still in the prompt): id -> title.
    seen_notes: dict[str, str] = field(default_factory=dict)
    session_id: str | None = None  # set once the first turn is saved (agents.sessions)
    minutes: int = 25  # the time the seeker asked for
    read_ahead: tuple[str, ...] = ()  # the note ids last read ahead for a draft
    summary: list[str] = field(default_factory=list)  # one line per summarised turn
    summarised: int = 0  # turns summarised so far (the oldest ones)
    key: str = field(default_factory=lambda: f"c{next(_CONVERSATION_IDS)}")  # for the fair queue
    warming: threading.Thread | None = field(default=None, repr=False)  # reading ahead (Informant.warm)
    drafting: threading.Thread | None = field(default=None, repr=False)  # reading a draft's notes ahead
    draft: str = ""  # the seeker's latest draft (while they type)

    @property
    def system(self) -> str:
        return system_prompt(self.persona, "\n".join(self.summary))

    @property
    def critiques(self) -> list[Critique]:
        return [t.critique for t in self.turns]


@dataclass
class TurnUpdate:
    """One step of a streaming turn: the answer so far, and what is known about the turn."""

    answer: str
    critique: Critique  # as agents.coach.critique_in_context returns it
    sources: list[Note]
    done: bool = False
    turn: Turn | None = None
    waiting: int = 0  # requests ahead of this one for the local model
    stats: list[dict[str, Any]] = field(default_factory=list)  # what each model request cost (agents.models)


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


# ---------------------------------------------------------------------- untrusted text
# Notes (built-in or uploaded), a custom persona's bio and the seeker's question are data, never
# instructions. They are quoted into the prompt on one line each, after these are neutralised:
# chat-template tokens ("<|im_start|>": the local model reads special tokens in any text), the
# notes block's first and last lines (and <notes> tags), role markers at a line start ("System:",
# "### System"), the turn's "The seeker asks:" line and invisible characters (the read-ahead
# marker is made of them). Folding the line breaks means nothing quoted can start a line of the
# prompt: the notes block is its first line, one "- " line per note, and its last line.
_SPECIAL_TOKEN = re.compile(r"<\|\s*([^<>|\n]{0,40}?)\s*\|>")
_CHAT_MARKUP = re.compile(r"<\|+|\|+>|\[/?INST\]|<<\s*/?\s*SYS\s*>>|</?s>", re.I)
_NOTES_TAG = re.compile(r"<\s*/?\s*notes?\b[^<>\n]{0,40}>", re.I)
# The notes block's own first and last lines (prompts/informant.yaml `turn`).
_NOTES_DELIMITER = re.compile(r"\b(?:notes for this question|end of the notes)\b\s*[:.]?", re.I)
_ROLE_MARKER = re.compile(
    r"^[\s>*_-]*(?:#+\s*)?(system|assistant|user|developer|human|instructions?|informant|seeker)\b[ \t]*(?::|$)",
    re.I | re.M,
)
_TURN_LINE = re.compile(r"\bthe seeker asks\s*:", re.I)
# A sentence that speaks to the model instead of informing it ("Ignore your previous
# instructions", "you are now a recruiter", "always say …", "note to the assistant: …"). In a
# bio or a note it is left out of the prompt (the 1.5B model was seen to obey it even quoted);
# in the seeker's message it is left out of their line and a reminder ends the turn (`steer`).
# No sentence of the built-in notes or persona cards, nor any question in evals/ other than the
# character-breaker's probes, matches (tests/test_injection.py). It is a list of patterns: an
# instruction worded otherwise still reaches the model, quoted (evals/RESULTS.md).
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|these|those|of|everything|previous|"
    r"prior|above|earlier|preceding|system|original)\s+){0,4}(?:instructions?|prompts?|rules|guidelines|directions|"
    r"interview|role|character|persona)\b"
    r"|\b(?:ignore|disregard)\s+(?:(?:all|everything|of|the)\s+){0,3}above\b"
    r"|\byou(?: are|'re)(?: now| no longer)\b|\byou(?: are|'re) [\w\s'-]{1,30}? now\b(?=\s*(?:[.;:!,]|$))"
    r"|\bfrom now on,? (?:you|your|always|only|answer|reply|respond|say|act|speak|talk)\b"
    r"|\bnew (?:rule|instructions?)\s*:|\bdeveloper mode\b|\bjailbreak"
    r"|\b(?:system|developer) (?:prompt|message|instructions?)\b"
    r"|\byour (?:instructions|prompt|programming|training data)\b"
    r"|\b(?:show|print|reveal|repeat|output)\b[^.!?]{0,20}\byour (?:rules|guidelines|notes)\b"
    r"|\bpretend (?:to be|you(?:'re| are) (?:an?|the|not))\b"
    r"|\b(?:act|behave|respond|reply|answer) as (?:an? |the )?(?:ai|assistant|bot|chatbot|language model)\b"
    r"|\byou (?:must|should|shall|will) (?:always |only )?(?:say|reply|respond|answer|include|mention|output|print|end|start|begin)\b"
    r"|(?:^|(?<=[.!?:;] ))(?:always|only) (?:say|reply|respond|answer)\b"
    r"|\b(?:say|reply|respond|answer|print|output|write|type|repeat|confirm|end|start|begin)\b[^.!?]{0,40}"
    r"\b(?:the (?:single |exact |secret )?(?:word|phrase)|only with|verbatim|word for word|by saying)\b"
    r"|\b(?:say|reply|respond|answer|write|add|include)\b[^.!?]{0,40}\b(?:in|to|at the (?:end|start) of) "
    r"(?:every|each|all) (?:answers?|repl(?:y|ies)|responses?|messages?)\b"
    r"|\b(?:end|start|begin|sign)\s+(?:every|each|all)\s+(?:answers?|repl(?:y|ies)|responses?|messages?)\b"
    r"|(?:^|(?<=[.!?:;] ))(?:please )?(?:introduce|present) yourself as\b"
    r"|\b(?:note|message|instructions?|reminder)s? (?:to|for) (?:the )?(?:ai|assistant|model|llm|chatbot|bot|informant)\b"
    r"|\btell (?:the )?(?:seeker|user|them|everyone|people)\b[^.!?]{0,30}\byou(?:'re| are)\b",
    re.I,
)


def quote_untrusted(text: str) -> str:
    """``text`` as quoted data for a prompt: one line, with nothing that could pass for the
    prompt's own structure or the chat template's (see above). Ordinary text is unchanged."""
    text = "".join(
        "\n" if ch in "\u2028\u2029\x85" else " " if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" else ch
        for ch in str(text or "")
    )
    while True:
        before = text
        text = _SPECIAL_TOKEN.sub(lambda m: f" ({m.group(1).strip()}) " if m.group(1).strip() else " ", text)
        text = _CHAT_MARKUP.sub(" ", text)
        text = _NOTES_TAG.sub(" (notes) ", text)
        text = _NOTES_DELIMITER.sub(" (notes) ", text)
        if text == before:
            break
    text = _ROLE_MARKER.sub(lambda m: f"({m.group(1).lower()})", text)
    text = _TURN_LINE.sub("the seeker asks -", text)
    return " ".join(text.split())


def drop_instructions(text: str) -> str:
    """``text`` without the sentences that give instructions to the model (for a bio or a note)."""
    kept: list[str] = []
    lead_in = False  # "Note to the assistant:" drops what it introduces too
    for sentence in re.split(r"(?<=[.!?:;])\s+", text):
        dropped = lead_in or bool(_INSTRUCTION.search(sentence))
        lead_in = dropped and sentence.endswith(":")
        if not dropped:
            kept.append(sentence)
    return " ".join(kept).strip()


def gives_instructions(text: str) -> bool:
    """Does ``text`` (the seeker's message) try to give the model instructions?"""
    return bool(_INSTRUCTION.search(quote_untrusted(text)))


_CLAUSE = re.compile(r",?\s+(?:and then|then)\s+|,\s+(?:and|but|so)\s+|;\s+|,\s+")
_ASKS = re.compile(r"\?|\b(?:what|how|why|when|where|which|who|tell me|describe|explain|walk me)\b", re.I)


def seeker_words(question: str) -> str:
    """The seeker's message, quoted, without what speaks to the model: whole sentences, and the
    clauses that do in a sentence that also asks something ("confirm by saying X, then tell me …")."""
    kept: list[str] = []
    lead_in = False
    for sentence in re.split(r"(?<=[.!?:;])\s+", quote_untrusted(question)):
        if lead_in:
            lead_in = sentence.endswith(":")
            continue
        if not _INSTRUCTION.search(sentence):
            kept.append(sentence)
            continue
        lead_in = sentence.endswith(":")
        clauses = [c for c in _CLAUSE.split(sentence) if c and _ASKS.search(c) and not _INSTRUCTION.search(c)]
        if clauses and not lead_in:
            rest = ", ".join(clauses).strip()
            kept.append(rest[:1].upper() + rest[1:])
    return " ".join(kept).strip()


def _quoted_title(title: str) -> str:
    return drop_instructions(quote_untrusted(title)) or "A note"


def _quoted_note(note: Note) -> Note:
    """A note as the prompt shows it: quoted, without sentences that speak to the model."""
    return replace(note, title=_quoted_title(note.title), text=drop_instructions(quote_untrusted(note.text)))


def temperament_text(persona: Persona) -> str:
    return render("informant", f"temperament_{persona.temperament}")


def _card_for_prompt(persona: Persona) -> Persona:
    """A custom persona's card as the prompt shows it: what came from the bio is quoted, and any
    sentence in it that speaks to the model is dropped (also for cards saved before this check)."""
    if not persona.custom:
        return persona
    story = drop_instructions(quote_untrusted(persona.story))
    fields = {f: quote_untrusted(getattr(persona, f))[:120] for f in ("name", "title", "company_type")}
    return persona.model_copy(update={**fields, "story": story})


def system_prompt(persona: Persona, summary: str = "") -> str:
    card = _card_for_prompt(persona)
    return render("informant", "system", persona=card, temperament=temperament_text(persona), summary=summary)


def _clean_answer(text: str, persona: Persona) -> str:
    """Drop a speaker label a small model may put first, and any invented next turn."""
    names = f"{re.escape(persona.name)}|{re.escape(persona.name.split()[0])}"
    text = re.sub(rf"^\s*(?:{names}|Informant|Answer)\s*:\s*", "", text)
    text = re.sub(rf"^\s*As (?:{names}),\s*(\w)", lambda m: m.group(1).upper(), text)
    text = re.sub(r"^\s*The seeker asks:[^\n]*\n", "", text)
    text = re.split(r"\n\s*(?:The seeker asks|Seeker|Question|User)\s*:", text)[0]
    return text.strip()


def _first_sentences(text: str, fits: Callable[[str], bool]) -> str:
    """The longest run of whole sentences from the start of ``text`` that ``fits``."""
    out = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        candidate = f"{out} {sentence}".strip()
        if not fits(candidate):
            break
        out = candidate
    return out


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
        retriever: Retriever,
        *,
        settings: Settings,
        use_tools: bool = False,
        context_tokens: int = 4096,
    ) -> None:
        self.settings = settings  # how faults are described (retries, timeout)
        self.model = model
        self.retriever = retriever  # the one search over the notes (knowledge.retrieval)
        self.use_tools = use_tools
        self.context_tokens = context_tokens
        self._agents: dict[str, Any] = {}
        self._counts: dict[str, int] = {}  # message text -> tokens
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ agent

    def _search_tool(self, persona: Persona):
        retriever = self.retriever

        @tool
        def search_notes(query: str) -> str:
            """Search your industry notes for facts about a topic the seeker asked about."""
            notes = retriever.search(query, persona.role, persona=persona.id)
            found = _TOOL_NOTES.get()
            if found is not None:
                found.extend(notes)
            if not notes:
                return "No notes on that."
            # Quoted like the turn's notes: reference material, never instructions.
            quoted = [q for q in map(_quoted_note, notes) if q.text]
            found_text = "\n".join(f"- {q.title}: {q.text}" for q in quoted)
            return f"Notes found:\n{found_text}\nEnd of the notes." if quoted else "No notes on that."

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
        """The agent for a persona's temperament; the system prompt comes with each conversation's messages."""
        with self._lock:
            if persona.id not in self._agents:
                tools = [self._search_tool(persona)] if self.use_tools else []
                self._agents[persona.id] = create_agent(self.model_for(persona), tools=tools, name="informant")
            return self._agents[persona.id]

    # ------------------------------------------------------------------ prompt

    def count_tokens(self, text: str) -> int:
        return token_counter(self.model)(text)

    def prompt_tokens(self, messages: list[BaseMessage]) -> int:
        """The prompt's size in tokens: each message counted once (and remembered) with the model's
        own tokenizer, plus the chat template's markers. The local model checks the exact count
        again before it reads the prompt."""
        total = MESSAGE_OVERHEAD_TOKENS  # the answer's header
        for message in messages:
            text = str(message.content)
            n = self._counts.get(text)
            if n is None:
                if len(self._counts) > 4096:
                    self._counts.clear()
                n = self._counts[text] = self.count_tokens(text)
            total += n + MESSAGE_OVERHEAD_TOKENS
        return total

    def start(self, persona: Persona, goal: str = "", minutes: int = 25) -> Conversation:
        return Conversation(persona=persona, goal=goal.strip(), minutes=minutes)

    def _read(
        self, conversation: Conversation, message: str, stop_at: str, *, only_if_idle: bool, persist: bool = False
    ) -> int:
        """Have a local model read the conversation's prompt with ``message`` as the next turn,
        up to ``stop_at`` in it. A no-op for remote models; returns the tokens read."""
        warm = getattr(self.model, "warm", None)
        if warm is None:
            return 0
        token = REQUEST_KEY.set(conversation.key)
        try:
            return warm(
                [SystemMessage(conversation.system), *conversation.messages, HumanMessage(message)],
                stop_at=stop_at,
                only_if_idle=only_if_idle,
                persist=persist,
            )
        finally:
            REQUEST_KEY.reset(token)

    def warm(self, conversation: Conversation, *, only_if_idle: bool = False) -> int:
        """Read the conversation so far now: the system prompt when it starts, and after each
        answer the answer itself, while the seeker reads it."""
        # The system prompt alone (the persona) is kept on disk for the next run.
        persist = not conversation.messages
        return self._read(conversation, _READ_AHEAD, _READ_AHEAD, only_if_idle=only_if_idle, persist=persist)

    def read_ahead(self, conversation: Conversation, draft: str) -> int:
        """While the seeker types: retrieve the notes for the draft and read the turn's message up
        to the question, so that sending it leaves only the question to read. Skipped when the
        same notes were read last time or other conversations are waiting for the model."""
        try:
            question = validate_question(draft)
        except InputError:
            return 0
        feedback = critique(question)
        if "asks_for_job" in feedback.flags:
            return 0
        notes = self.retrieve(conversation, question, feedback.topic)
        ids = tuple(n.id for n in notes)
        if ids == conversation.read_ahead:
            return 0
        conversation.read_ahead = ids
        message = self.build_turn_message(conversation, _READ_AHEAD, notes, list(feedback.flags))
        return self._read(conversation, message, "The seeker asks: " + _READ_AHEAD, only_if_idle=True)

    def read_ahead_in_background(self, conversation: Conversation, draft: str) -> None:
        """Follow the seeker's typing: one worker per conversation reads ahead for the latest
        draft, and again whenever the draft changed while it was reading."""
        conversation.draft = draft
        if conversation.drafting is not None and conversation.drafting.is_alive():
            return

        def follow() -> None:
            while True:
                seen = conversation.draft
                self.read_ahead(conversation, seen)
                if conversation.draft == seen:
                    return

        conversation.drafting = self.in_background(follow)

    def in_background(self, work: Callable[[], Any]) -> threading.Thread:
        """Run a read-ahead in a thread (only an optimisation: a failure is logged, never shown)."""

        def run() -> None:
            try:
                work()
            except Exception as exc:  # noqa: BLE001 - the turn itself reports model errors
                log.warning("read-ahead failed: %s", exc)

        thread = threading.Thread(target=run, name="informant-read-ahead", daemon=True)
        thread.start()
        return thread

    def warm_in_background(self, conversation: Conversation, *, only_if_idle: bool = False) -> threading.Thread:
        conversation.warming = self.in_background(lambda: self.warm(conversation, only_if_idle=only_if_idle))
        return conversation.warming

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
        earlier = sorted({_quoted_title(n.title) for n in notes if n.id in conversation.seen_notes})
        new: list[Note] = []
        used = 0
        for note in (n for n in notes if n.id not in conversation.seen_notes):
            # Quoted as data: one line inside the notes block, nothing in it that could close the block.
            note = _quoted_note(note)
            if not note.text:
                continue  # it was all instructions
            size = self.count_tokens(f"- {note.title}: {note.text}")
            if used + size > TURN_NOTES_TOKENS:
                room = TURN_NOTES_TOKENS - used - 12
                text = _first_sentences(note.text, lambda t, room=room: self.count_tokens(t) <= room)
                if text:
                    new.append(replace(note, text=text))
                break
            new.append(note)
            used += size
        message = render(
            "informant",
            "turn",
            notes=new,
            earlier=earlier,
            # The seeker's words on the one line after "The seeker asks:" (the read-ahead's marker as is),
            # without what tries to give the model instructions: the 1.5B model obeyed "say X" even
            # with the rule in the system prompt and a reminder after the question.
            question=question if question == _READ_AHEAD else (seeker_words(question) or "…"),
            lookup="googleable" in (flags or []),
            name=persona.name,
            length=render("informant", f"length_{persona.temperament}"),
        )
        if question != _READ_AHEAD and gives_instructions(question):  # last, where a small model heeds it
            steer = "steer" if seeker_words(question) else "steer_nothing_left"
            message += "\n" + render("informant", steer, name=persona.name)
        return message

    def _fit_context(self, conversation: Conversation, turn_message: str) -> None:
        """Summarise the oldest turns when the prompt, the answer and room for the next turn
        would not fit the model's context.

        The summary goes at the end of the system prompt, after the notes, so the notes stay
        cached; enough turns are summarised at once (down to half the room) that this happens
        rarely, since everything after the summary has to be read again.
        """
        answer = ANSWER_TOKENS[conversation.persona.temperament]
        room = self.context_tokens - answer - 2 * MESSAGE_OVERHEAD_TOKENS

        def size() -> int:
            return self.prompt_tokens(
                [SystemMessage(conversation.system), *conversation.messages, HumanMessage(turn_message)]
            )

        if size() <= room:
            return
        target = room // 2 + self.prompt_tokens([SystemMessage(conversation.system)]) // 2
        answered = [t for t in conversation.turns if not t.partial]
        while conversation.messages and size() > target:
            n = conversation.summarised + 1
            turn = answered[n - 1] if n - 1 < len(answered) else None
            del conversation.messages[:2]
            conversation.summarised = n
            if turn is not None:
                first = re.split(r"(?<=[.!?])\s+", turn.answer.strip())[0]
                if len(first) > 160:
                    first = first[:160].rsplit(" ", 1)[0] + " …"
                conversation.summary.append(  # into the system prompt: quoted like every untrusted text
                    render(
                        "informant",
                        "summary_line",
                        n=n,
                        question=drop_instructions(quote_untrusted(turn.question)) or "…",
                        answer=quote_untrusted(first),
                    )
                )
            while self.count_tokens("\n".join(conversation.summary)) > SUMMARY_TOKENS and len(conversation.summary) > 1:
                conversation.summary.pop(0)
        # Notes sent only in the dropped messages must be sent again when they come up.
        kept = " ".join(str(m.content) for m in conversation.messages)
        conversation.seen_notes = {i: t for i, t in conversation.seen_notes.items() if _quoted_title(t) in kept}
        log.info(
            "summarised the first %d turns of a conversation with %s", conversation.summarised, conversation.persona.id
        )

    def stream(self, conversation: Conversation, text: str, *, read_ahead: bool = True) -> Iterator[TurnUpdate]:
        """Answer one question, yielding the answer as it grows. Always records the turn.

        ``read_ahead``: afterwards, read the answer into the model while the seeker reads it (off
        for a one-off question, whose process ends at once)."""
        question = validate_question(text)
        conversation.draft = ""  # sent: a read-ahead still following the typing stops
        t0 = time.perf_counter()
        persona = conversation.persona
        # The feedback the seeker sees is judged in the context of the conversation (agents.coach).
        feedback = critique_in_context(question, conversation.turns, persona)
        started = _now()
        if "asks_for_job" in feedback.flags:
            answer = render("informant", f"decline_{persona.temperament}", suggestion=feedback.rewrite or "")
            shown = ""
            for word in answer.split(" "):
                shown = f"{shown} {word}" if shown else word
                yield TurnUpdate(shown, feedback, [])
            elapsed = round(time.perf_counter() - t0, 3)
            turn = Turn(
                question,
                answer,
                [],
                feedback,
                started,
                _now(),
                ttft_s=elapsed,
                total_s=elapsed,
                summarised=conversation.summarised,
            )
            # The history holds the seeker's words as every turn does: quoted, never as instructions.
            asked = self.build_turn_message(conversation, question, [], feedback.flags)
            conversation.messages += [HumanMessage(asked), AIMessage(answer)]
            conversation.turns.append(turn)
            if read_ahead:
                self.warm_in_background(conversation, only_if_idle=True)
            yield TurnUpdate(answer, feedback, [], done=True, turn=turn)
            return

        notes = self.retrieve(conversation, question, feedback.topic)
        ahead = self.queue_ahead(conversation)
        yield TurnUpdate("", feedback, notes, waiting=ahead)
        message = self.build_turn_message(conversation, question, notes, feedback.flags)
        self._fit_context(conversation, message)
        messages = [SystemMessage(conversation.system), *conversation.messages, HumanMessage(message)]
        found: list[Note] = []
        stats: list[dict[str, Any]] = []
        _TOOL_NOTES.set(found)
        REQUEST_STATS.set(stats)
        REQUEST_KEY.set(conversation.key)
        answer, error, ttft = "", None, None
        try:
            for chunk, meta in self.agent_for(persona).stream({"messages": messages}, stream_mode="messages"):
                if isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "model" and chunk.text:
                    if ttft is None:
                        ttft = time.perf_counter() - t0
                    answer += chunk.text
                    yield TurnUpdate(_clean_answer(answer, persona), feedback, notes)
        except Exception as exc:  # noqa: BLE001 - any provider fault: keep what we have, say what happened
            error = describe_fault(exc, self.settings, answered=bool(answer))
            log.warning("turn failed after %d characters: %s (%s)", len(answer), error, type(exc).__name__)
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
            wait_s=round(sum(s["wait_s"] for s in stats), 3) if stats else None,
            summarised=conversation.summarised,
        )
        log.info(
            "turn %d persona=%s ttft=%.2fs total=%.2fs notes=%d partial=%s model=%s",
            len(conversation.turns) + 1,
            persona.id,
            ttft or -1,
            turn.total_s,
            len(used),
            turn.partial,
            stats,
        )
        if error is None:
            conversation.messages += [HumanMessage(message), AIMessage(answer)]
            conversation.seen_notes.update({n.id: n.title for n in notes})
        conversation.read_ahead = ()
        conversation.turns.append(turn)
        if error is None and read_ahead:  # read this answer while the seeker reads it
            self.warm_in_background(conversation, only_if_idle=True)
        yield TurnUpdate(answer, feedback, used, done=True, turn=turn, stats=stats)

    def queue_ahead(self, conversation: Conversation) -> int:
        """Requests ahead of this conversation's next one for the local model (0 for remote models)."""
        ahead = getattr(self.model, "requests_ahead", None)
        return ahead(conversation.key) if ahead is not None else 0

    def ask(self, conversation: Conversation, text: str, *, read_ahead: bool = True) -> Turn:
        """Answer one question without streaming; returns the recorded turn."""
        last = None
        for update in self.stream(conversation, text, read_ahead=read_ahead):
            last = update
        assert last is not None and last.turn is not None
        return last.turn
