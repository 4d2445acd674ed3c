"""The informant agent: answers a seeker's questions as one persona, in a stream of updates."""

from __future__ import annotations

import logging
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool

from agents.bio_story import private_line, story_of
from agents.coach import critique_in_context
from agents.critic import Critique, critique
from agents.informant.conversation import Conversation, Turn, TurnUpdate, now_iso, validate_question
from agents.informant.excerpts import excerpts, sent_in
from agents.informant.guard import Guard, Stream, checked
from agents.informant.material import Material, material_for, nudges_for, private_kind, seeker_intro
from agents.informant.premises import about_me, false_mention, false_premise, without_mention, without_premise
from agents.informant.prompt import (
    ANSWER_TOKENS,
    MESSAGE_OVERHEAD_TOKENS,
    READ_AHEAD,
    SUMMARY_TOKENS,
    TURN_NOTES_TOKENS,
    clean_answer,
    whole_sentences,
)
from agents.informant.untrusted import (
    asks_anything,
    drop_instructions,
    gives_instructions,
    left_out,
    off_script,
    quote_untrusted,
    quoted_note,
    quoted_title,
    seeker_words,
    shared_by_seeker,
)
from agents.models import REQUEST_KEY, REQUEST_STATS, describe_fault, token_counter
from core.defaults import DEFAULT_MINUTES
from core.errors import InputError
from core.settings import Settings
from core.text import lower_first, split_sentences
from knowledge.personas import Persona
from knowledge.retrieval import Retriever
from knowledge.store import Note
from prompts import render

__all__ = ["Informant"]

log = logging.getLogger("mock_informant")


# The time a greeting says the persona has ("about 25 minutes", "twenty minutes"): the seeker's choice replaces it.
_GREETING_MINUTES = re.compile(
    r"\b(?:\d+|ten|fifteen|twenty|twenty-five|thirty|forty|forty-five|fifty|sixty)\s+minutes\b", re.IGNORECASE
)


@dataclass
class _Run:
    """One model request of a turn, as it streams: the raw answer, the notes its tool found, faults."""

    answer: str = ""
    found: list[Note] = field(default_factory=list)
    stats: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    ttft: float | None = None


# Notes the agent found with its search tool during the current turn (tools may run in
# another thread; LangGraph copies the context into it).
_TOOL_NOTES: ContextVar[list[Note] | None] = ContextVar("tool_notes", default=None)


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
        self.turn_notes_tokens = TURN_NOTES_TOKENS  # new notes' text per turn, at most
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
            quoted = [q for q in map(quoted_note, notes) if q.text]
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

    def start(
        self, persona: Persona, goal: str = "", minutes: int = DEFAULT_MINUTES, name: str = "", background: str = ""
    ) -> Conversation:
        """A new conversation; the seeker's name, background and goal reach the informant as their
        own introduction in the first turn."""
        return Conversation(
            persona=persona, goal=goal.strip(), minutes=minutes, seeker_name=name.strip(), background=background.strip()
        )

    def material(
        self, conversation: Conversation, question: str, feedback: Critique, extra: tuple[str, ...] = ()
    ) -> Material:
        """What the turn's message carries besides the notes (agents.informant.material); ``extra``:
        more lines on how to react (a premise to correct)."""
        intro = ""
        if not conversation.messages:  # the first turn: the seeker introduces themselves
            intro = seeker_intro(conversation.seeker_name, conversation.background, conversation.goal)
        earlier = [t.answer for t in conversation.turns if not t.partial]
        persona = conversation.persona
        nudges = extra + nudges_for(persona, feedback.flags, question, earlier, conversation.background, feedback.topic)
        return material_for(
            persona, question, feedback.topic, conversation.background, intro, nudges, frozenset(conversation.told)
        )

    def correction(self, conversation: Conversation, question: str) -> tuple[str, str, tuple[str, ...], str]:
        """When the question takes for granted something untrue about the informant ("you mentioned X"
        when it never did; "since you had a master's" when it didn't): what it says first, the
        question as the model hears it (without the premise), how to go on, and the untrue claim
        (the answer must not then say it is so)."""
        said = [t.answer for t in conversation.turns if not t.partial]
        mentioned = false_mention(question, said)
        if mentioned:
            return render("informant", "not_mentioned"), without_mention(question), (), mentioned
        premise = false_premise(question, about_me(conversation.persona), conversation.persona.title)
        if not premise:
            return "", question, (), ""
        persona = conversation.persona
        lead = render("informant", f"premise_{persona.temperament}")
        story = story_of(persona)
        path = story.topics.get("career_path", "") if story else persona.story
        truth = " ".join([f"I work at a {persona.company_type}.", *split_sentences(path)[:2]])
        go_on = render("informant", "premise_go_on", premise=seeker_words(premise), truth=truth)
        return lead, without_premise(question, premise), (go_on,), str(premise)

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
        return self._read(conversation, READ_AHEAD, READ_AHEAD, only_if_idle=only_if_idle, persist=persist)

    def read_ahead(self, conversation: Conversation, draft: str) -> int:
        """While the seeker types: retrieve the notes for the draft and read the turn's message up
        to the question, so that sending it leaves only the question to read. Skipped when the
        same notes were read last time or other conversations are waiting for the model."""
        try:
            question = validate_question(draft)
        except InputError:
            return 0
        feedback = critique(question)
        if self.fixed_reply(conversation, question, feedback) is not None:
            return 0
        notes = self.retrieve(conversation, question, feedback.topic)
        material = self.material(conversation, question, feedback)
        message = self.build_turn_message(
            conversation, READ_AHEAD, notes, list(feedback.flags), material, feedback.topic, about=question
        )
        ids = (str(zlib.crc32(message.encode())),)  # what the read-ahead depends on
        if ids == conversation.read_ahead:
            return 0
        conversation.read_ahead = ids
        return self._read(conversation, message, "The seeker asks: " + READ_AHEAD, only_if_idle=True)

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

    def greeting(self, persona: Persona, minutes: int | None = None) -> str:
        """The persona's first words; with ``minutes``, the time they say they have is the time the seeker chose."""
        text = render("informant", "greeting", persona=persona)
        return _GREETING_MINUTES.sub(f"{minutes} minutes", text, count=1) if minutes else text

    def retrieve(self, conversation: Conversation, question: str, topic: str = "other") -> list[Note]:
        persona = conversation.persona
        return self.retriever.for_question(question, persona.role, persona.id, topic)

    def build_turn_message(
        self,
        conversation: Conversation,
        question: str,
        notes: list[Note],
        flags: list[str] | None = None,
        material: Material | None = None,
        topic: str = "other",
        about: str = "",
    ) -> str:
        """The turn's message: the material, the excerpts of ``notes`` that answer the question (``about``:
        the question they are chosen for, when ``question`` is the read-ahead's marker), the question."""
        persona = conversation.persona
        # The few sentences that answer the question, not sent before (agents.informant.excerpts).
        chosen_for = about or question
        # A role-play or a question about the app itself is left out like an instruction (agents.intents).
        off = {} if question == READ_AHEAD else left_out(question)
        quoted = [q for q in map(quoted_note, notes) if q.text]  # quoted as data; an all-instructions note is gone
        # With the persona's own words on it, half the note sentences are enough (and fewer tokens read).
        own_words = material is not None and bool(material.story or material.advice)
        budget = self.turn_notes_tokens // 2 if own_words else self.turn_notes_tokens
        new = excerpts(quoted, chosen_for, topic, self.count_tokens, conversation.sent, budget)
        fresh_ids = {n.id for n in new}
        earlier = sorted(
            {quoted_title(n.title) for n in notes if n.id in conversation.seen_notes and n.id not in fresh_ids}
        )
        message = render(
            "informant",
            "turn",
            notes=new,
            earlier=earlier,
            material=material or Material(),
            # The seeker's words on the one line after "The seeker asks:" (the read-ahead's marker as is),
            # without what tries to give the model instructions: the 1.5B model obeyed "say X" even
            # with the rule in the system prompt and a reminder after the question.
            question=question if question == READ_AHEAD else (seeker_words(question, off) or "…"),
            # What they can't share is said as the persona would, not pointed to "where to find it".
            lookup="googleable" in (flags or []) and not (material and material.private),
            shared=any(shared_by_seeker(n) for n in new),
            name=persona.name,
            length=render("informant", f"length_{persona.temperament}"),
        )
        if question != READ_AHEAD and (gives_instructions(question) or off):  # last, where a small model heeds it
            steer = "steer" if seeker_words(question, off) else "steer_nothing_left"
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
        conversation.seen_notes = {i: t for i, t in conversation.seen_notes.items() if quoted_title(t) in kept}
        conversation.sent = {s for s in conversation.sent if s in kept}
        log.info(
            "summarised the first %d turns of a conversation with %s", conversation.summarised, conversation.persona.id
        )

    def stream(self, conversation: Conversation, text: str, *, read_ahead: bool = True) -> Iterator[TurnUpdate]:
        """Answer one question, yielding the answer as it grows. Always records the turn.

        Every sentence is checked before it is shown (agents.informant.guard). ``read_ahead``:
        afterwards, read the answer into the model while the seeker reads it (off for a one-off
        question, whose process ends at once)."""
        question = validate_question(text)
        conversation.draft = ""  # sent: a read-ahead still following the typing stops
        t0 = time.perf_counter()
        # The feedback the seeker sees is judged in the context of the conversation (agents.coach).
        feedback = critique_in_context(question, conversation.turns, conversation.persona)
        started = now_iso()
        fixed = self.fixed_reply(conversation, question, feedback)
        if fixed is not None:
            yield from self._say(conversation, question, feedback, fixed, started, t0, read_ahead)
            return
        # A false premise ("you mentioned X" when it never did): it says so first, and the model hears
        # the question without it.
        lead, asked, go_on, claim = self.correction(conversation, question)
        notes = self.retrieve(conversation, asked, feedback.topic)
        yield TurnUpdate(lead, feedback, notes, waiting=self.queue_ahead(conversation), checked=lead)
        material = self.material(conversation, asked, feedback, go_on)
        message = self.build_turn_message(conversation, asked, notes, feedback.flags, material, feedback.topic)
        self._fit_context(conversation, message)
        messages = [SystemMessage(conversation.system), *conversation.messages, HumanMessage(message)]
        run = _Run()
        yield from self._generate(conversation, question, messages, feedback, notes, run, t0, lead)
        used = notes + [n for n in run.found if n.id not in {x.id for x in notes}]
        guard = self.guard(conversation, question, run.found)
        guard.claim = claim
        answer = checked(whole_sentences(clean_answer(run.answer, conversation.persona)), guard)
        answer = f"{lead} {answer}".strip() if lead else answer
        if run.error is None and guard.promised_job:  # the model agreed to help with a job: no informant does
            answer = self.decline(conversation, question)
        if answer in ("", lead) and run.answer.strip() and run.error is None:  # the guard left nothing out of it
            answer = f"{lead} {self.nothing_left(conversation, guard, feedback, material, bool(lead))}".strip()
        turn = Turn(
            question,
            answer,
            [n.as_source() for n in used],
            feedback,
            started,
            now_iso(),
            partial=run.error is not None,
            error=run.error,
            ttft_s=None if run.ttft is None else round(run.ttft, 3),
            total_s=round(time.perf_counter() - t0, 3),
            wait_s=round(sum(s["wait_s"] for s in run.stats), 3) if run.stats else None,
            summarised=conversation.summarised,
        )
        log.info(
            "turn %d persona=%s ttft=%.2fs total=%.2fs notes=%d partial=%s left_out=%d model=%s",
            len(conversation.turns) + 1,
            conversation.persona.id,
            run.ttft or -1,
            turn.total_s,
            len(used),
            turn.partial,
            len(guard.removed),
            run.stats,
        )
        if run.error is None:
            conversation.messages += [HumanMessage(message), AIMessage(answer)]
            if material.story_key:
                conversation.told.add(material.story_key)
            conversation.seen_notes.update({n.id: n.title for n in notes})
            conversation.sent |= sent_in(message, [quoted_note(n) for n in notes])
        conversation.read_ahead = ()
        conversation.turns.append(turn)
        if run.error is None and read_ahead:  # read this answer while the seeker reads it
            self.warm_in_background(conversation, only_if_idle=True)
        yield TurnUpdate(answer, feedback, used, done=True, turn=turn, stats=run.stats, removed=guard.removed)

    def _generate(
        self,
        conversation: Conversation,
        question: str,
        messages: list[BaseMessage],
        feedback: Critique,
        notes: list[Note],
        run: _Run,
        t0: float,
        lead: str = "",
    ) -> Iterator[TurnUpdate]:
        """Stream the model's answer into ``run``, showing each sentence once it has passed the guard."""
        persona = conversation.persona
        _TOOL_NOTES.set(run.found)
        REQUEST_STATS.set(run.stats)
        REQUEST_KEY.set(conversation.key)
        shown = Stream(self.guard(conversation, question, run.found))
        try:
            for chunk, meta in self.agent_for(persona).stream({"messages": messages}, stream_mode="messages"):
                if isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "model" and chunk.text:
                    if run.ttft is None:
                        run.ttft = time.perf_counter() - t0
                    run.answer += chunk.text
                    now = shown.feed(clean_answer(run.answer, persona))
                    done = f"{lead} {shown.checked}".strip()
                    yield TurnUpdate(f"{lead} {now}".strip(), feedback, notes, checked=done)
        except Exception as exc:  # noqa: BLE001 - any provider fault: keep what we have, say what happened
            run.error = describe_fault(exc, self.settings, answered=bool(run.answer))
            log.warning("turn failed after %d characters: %s (%s)", len(run.answer), run.error, type(exc).__name__)

    def decline(self, conversation: Conversation, question: str) -> str:
        """The persona's warm decline of a job request, in one of three wordings (a second such
        question in a conversation gets other words)."""
        variant = (zlib.crc32(question.encode()) + len(conversation.turns)) % 3 + 1
        return render("informant", f"decline_{conversation.persona.temperament}_{variant}")

    def fixed_reply(self, conversation: Conversation, question: str, feedback: Critique) -> str | None:
        """The persona's own words, without the model, where a small model can't be trusted:
        a request for a job, an interview or a referral (small models agree to "find you a job");
        a question about what they can't share (small models invent the figure), in their story's
        words; and a sceptic's push-back on a vague question. None: the model answers."""
        persona = conversation.persona
        # One of three wordings, so a second such question in a conversation gets other words.
        variant = (zlib.crc32(question.encode()) + len(conversation.turns)) % 3 + 1
        if "asks_for_job" in feedback.flags or "job_ask" in off_script(question).values():  # rules or learned
            return self.decline(conversation, question)
        off = left_out(question)
        rest = seeker_words(question, off) if off else ""
        if off and not asks_anything(rest):  # only a role-play or questions about the app itself
            intent = next(iter(off.values()))
            return render("informant", f"redirect_{intent}_{persona.temperament}", name=persona.name)
        kind = private_kind(question)
        if kind is not None:
            return private_line(persona, kind)
        if persona.temperament == "sceptical" and feedback.flags == ["vague"]:
            return render("informant", f"push_back_{variant}")
        return None

    def _say(
        self,
        conversation: Conversation,
        question: str,
        feedback: Critique,
        answer: str,
        started: str,
        t0: float,
        read_ahead: bool,
    ) -> Iterator[TurnUpdate]:
        """Say a fixed reply (``fixed_reply``) as if it were streamed, and record the turn."""
        shown = ""
        for word in answer.split(" "):
            shown = f"{shown} {word}" if shown else word
            yield TurnUpdate(shown, feedback, [], checked=shown)  # our own words: nothing to check
        elapsed = round(time.perf_counter() - t0, 3)
        turn = Turn(
            question,
            answer,
            [],
            feedback,
            started,
            now_iso(),
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

    def guard(self, conversation: Conversation, question: str, found: list[Note]) -> Guard:
        """The sentence check for this turn's answer (agents.informant.guard)."""
        earlier = [t.answer for t in conversation.turns if not t.partial]
        temperament = conversation.persona.temperament
        guard = Guard.for_turn(
            self.known(conversation, found, question),
            question,
            earlier,
            self.fixed_lines(temperament),
            trusted=self.trusted(conversation, found),
        )
        guard.frame = render("informant", f"frame_{temperament}")
        return guard

    def fixed_lines(self, temperament: str) -> tuple[str, ...]:
        """Every line this temperament says in its own fixed words (a model copying one isn't answering)."""
        names = [f"decline_{temperament}_{n}" for n in (1, 2, 3)] + [f"push_back_{n}" for n in (1, 2, 3)]
        names += [f"unknown_{temperament}_{n}" for n in (1, 2)] + [f"unknown_lookup_{temperament}"]
        names += [f"premise_{temperament}", "not_mentioned"]
        return tuple(render("informant", name) for name in names)

    def own_words(self, conversation: Conversation, topic: str, fallback: bool = True) -> str:
        """The first two sentences of the persona's own story on ``topic`` (or on how they got in), not
        said yet in this conversation: what is true, after a premise was corrected and the model's
        answer was all left out."""
        story = story_of(conversation.persona)
        if story is None:
            return ""
        said = " ".join(t.answer for t in conversation.turns)
        for key in (topic, "career_path") if fallback else (topic,):
            sentences = split_sentences(story.topics.get(key, ""))
            text = " ".join(sentences[:2])
            if text and sentences[0] not in said:
                return text
        return ""

    def nothing_left(
        self, conversation: Conversation, guard: Guard, feedback: Critique, material: Material, corrected: bool = False
    ) -> str:
        """What the informant says when the guard left out every sentence the model wrote: the point it
        had already made, said as such ("Like I said, …"); when nothing it wrote was invented, its own
        words (its advice for their background, its story on the topic, or after a correction what is
        true); or that it doesn't know and won't guess (where to look, for a published fact), in words
        not said yet in this conversation."""
        said = " ".join(t.answer for t in conversation.turns)
        advice = material.advice.advice if material.advice is not None else ""
        if not guard.invented and advice and split_sentences(advice)[0] not in said:  # said once, not twice
            return advice
        own = self.own_words(conversation, feedback.topic) if corrected else ""
        if own:
            return own
        if guard.repeated:
            again = re.sub(r"^(?:like i said,\s*)+", "", guard.repeated[0], flags=re.I)
            return f"Like I said, {lower_first(again)}"
        own = "" if guard.invented else self.own_words(conversation, feedback.topic, fallback=False)
        if own:
            return own
        lookup = "googleable" in feedback.flags
        temperament = conversation.persona.temperament
        if lookup:
            return render("informant", f"unknown_lookup_{temperament}")
        said = {t.answer for t in conversation.turns}
        lines = [render("informant", f"unknown_{temperament}_{n}") for n in (1, 2)]
        return next((line for line in lines if not any(line in a for a in said)), lines[0])

    def known(self, conversation: Conversation, found: list[Note] = (), question: str = "") -> str:
        """What this conversation's answers may take figures and names from: what it knows of itself
        (``trusted``), the documents the seeker shared, and the question (but not a question about
        pay, finances or people: "you earn $400k, right?" must not come back confirmed)."""
        extra = [f"{n.title}. {n.text}" for n in found]
        if question and not private_kind(question):
            extra.append(question)
        return "\n".join([self.trusted(conversation, found), conversation.shared or "", *extra])

    def trusted(self, conversation: Conversation, found: list[Note] = ()) -> str:
        """What the informant may say as its own: the persona's card, its story, the built-in notes in
        its scope (and a custom persona's bio) and what the seeker said of themselves; not a document
        the seeker shared, which it may only quote as theirs ("the posting says …"). The persona's
        part is read once per conversation."""
        if conversation.known is None:
            persona = conversation.persona
            story = story_of(persona)
            parts = [persona.name, persona.title, persona.company_type, persona.story, persona.speaking_style]
            parts += [story.model_dump_json() if story else ""]
            parts += [conversation.seeker_name, conversation.background, conversation.goal]
            in_scope = self.retriever.notes_in_scope(persona.role, persona.id)
            parts += [f"{n.title}. {n.text}" for n in in_scope if not shared_by_seeker(n)]
            conversation.known = "\n".join(p for p in parts if p)
            conversation.shared = "\n".join(f"{n.title}. {n.text}" for n in in_scope if shared_by_seeker(n))
        own = [f"{n.title}. {n.text}" for n in found if not shared_by_seeker(n)]
        return "\n".join([conversation.known, *own])

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
