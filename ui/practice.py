"""The Practice tab: pick a professional, hold the conversation (answers stream in; each question gets
feedback), end it for the coach's report.

Other tabs open it with a ``ui.links.OpenPractice`` turned into updates by ``open_practice``; Prepare's
"Practise with this list" then starts the conversation with ``start_after``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import gradio as gr
from gradio.events import Dependency

from agents.coach import build_report
from agents.informant import Conversation, summarised_notice
from agents.prepare import asked_in
from agents.runtime import Runtime
from core.defaults import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES
from core.errors import InputError
from core.settings import redact
from knowledge.personas import Personas
from ui.links import OpenPractice, Updates
from ui.page import persona_pickers, professionals_in
from ui.results import results_html
from ui.view import (
    answer_markdown,
    chat_history,
    live_feedback,
    persona_card,
    persona_choices,
    question_markdown,
)

__all__ = ["PracticeTab", "create_event_handlers", "create_ui", "open_practice", "start_after", "talk_view"]


# What the setup step says first: what an informational interview is, and what happens here.
INTRO = (
    "An **informational interview** is a short conversation to learn about someone's career, role and industry: "
    "not to ask for a job. Pick a professional and press Start. Each question gets feedback under it; End session "
    "gives you your results."
)
STARTERS = (
    "How did you get into this field?",
    "What does a typical week look like for you?",
    "What do you wish you had known when you started?",
)


@dataclass
class PracticeTab:
    """The Practice tab's components, and the page's tabs (so that a link can bring Practice to the front).

    Three views take turns: ``setup`` (choose a professional), ``talk`` (the chat) and ``results``
    (below the chat once the session ends; the question box is locked then)."""

    tabs: gr.Tabs
    setup: gr.Column
    industry: gr.Dropdown
    persona: gr.Dropdown
    card: gr.Markdown
    goal: gr.Textbox
    name: gr.Textbox
    background: gr.Textbox
    minutes: gr.Slider
    start: gr.Button
    talk: gr.Column
    talking_with: gr.Markdown
    end: gr.Button
    chatbot: gr.Chatbot
    starters: list[gr.Button]
    starter_row: gr.Row
    composer: gr.Row
    message: gr.Textbox
    send: gr.Button
    live: gr.HTML
    plan: gr.State  # the questions of the list made on Prepare ([] without one)
    plan_column: gr.Column
    prepared: gr.Radio  # that list as a checklist: choosing one puts it in the question box
    results: gr.Column
    summary: gr.HTML
    again: gr.Button
    state: gr.State  # {"conversation": Conversation, "ended": bool} once a conversation is started or resumed

    def link_outputs(self) -> list[Any]:
        """Every component ``open_practice`` may update: the outputs of an event that opens a link."""
        return [
            self.tabs,
            self.industry,
            self.persona,
            self.card,
            self.goal,
            self.background,
            self.minutes,
            self.plan,
            self.plan_column,
            *self.view_outputs(),
        ]

    def view_outputs(self) -> list[Any]:
        """What a change of view updates (start, resume, end, practise again). The page's API (/start, /end)
        returns the first five, in this order: the chat, the question box, the results, the live feedback
        line and the line naming the professional."""
        return [
            self.chatbot,
            self.message,
            self.summary,
            self.live,
            self.talking_with,
            self.setup,
            self.talk,
            self.results,
            self.starter_row,
            self.composer,
            self.send,
            self.end,
            self.state,
        ]


def create_ui(runtime: Runtime, tabs: gr.Tabs) -> PracticeTab:
    with gr.Tab("Practice", id="practice"):
        state = gr.State({})
        plan = gr.State([])
        with gr.Column(elem_id="setup") as setup:
            gr.Markdown(INTRO, elem_id="intro")
            with gr.Row(equal_height=False):
                with gr.Column(min_width=280):
                    industry, persona = persona_pickers(runtime.personas)
                with gr.Column(min_width=280):
                    card = gr.Markdown(
                        persona_card(runtime.personas.get(persona.value)) if persona.value else "", elem_id="card"
                    )
            with gr.Accordion("About you (optional): your goal, background and the minutes you will have", open=False):
                with gr.Row():
                    goal = gr.Textbox(
                        label="Your goal (optional)",
                        placeholder="e.g. Decide whether nursing suits me",
                        min_width=240,
                        elem_id="seeker-goal",
                    )
                    background = gr.Textbox(
                        value="",
                        label="Your background (optional)",
                        placeholder="e.g. Six years in retail management",
                        min_width=240,
                        elem_id="seeker-background",
                    )
                with gr.Row():
                    name = gr.Textbox(
                        label="Your name (optional)", placeholder="e.g. Sam", min_width=160, elem_id="seeker-name"
                    )
                    minutes = gr.Slider(
                        MIN_MINUTES,
                        MAX_MINUTES,
                        value=DEFAULT_MINUTES,
                        step=5,
                        label="Minutes of the real conversation",
                        min_width=240,
                        elem_id="minutes",
                    )
            start = gr.Button("Start conversation", variant="primary", elem_id="start")
        with gr.Column(visible=False, elem_id="talk") as talk:
            with gr.Row(equal_height=True, elem_id="talk-head"):
                talking_with = gr.Markdown(elem_id="talking-with")
                end = gr.Button("End session", size="md", scale=0, min_width=130, elem_id="end")
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=300):
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        height="62vh",
                        group_consecutive_messages=False,
                        buttons=["copy"],
                        elem_id="chat",
                    )
                    with gr.Row(elem_id="starters") as starter_row:
                        starters = [gr.Button(q, size="sm", variant="secondary", min_width=120) for q in STARTERS]
                    with gr.Row(elem_id="composer", equal_height=True) as composer:
                        message = gr.Textbox(
                            label="Your question",
                            show_label=False,
                            placeholder="Ask a question… (Enter to send)",
                            scale=5,
                            min_width=200,
                            max_lines=4,
                            elem_id="question",
                        )
                        send = gr.Button("Send", variant="primary", scale=0, min_width=80, elem_id="send")
                    live = gr.HTML("", elem_id="live")
                # The list made on Prepare, beside the chat: it ticks itself off as the questions are asked.
                with gr.Column(scale=1, min_width=240, visible=False, elem_id="plan-column") as plan_column:
                    prepared = gr.Radio(label="Your list", choices=[], elem_id="prepared")
        with gr.Column(visible=False, elem_id="results") as results:
            summary = gr.HTML(elem_id="summary")
            again = gr.Button("Practise again", variant="primary", elem_id="again")
    return PracticeTab(
        tabs=tabs,
        setup=setup,
        industry=industry,
        persona=persona,
        card=card,
        goal=goal,
        name=name,
        background=background,
        minutes=minutes,
        start=start,
        talk=talk,
        talking_with=talking_with,
        end=end,
        chatbot=chatbot,
        starters=starters,
        starter_row=starter_row,
        composer=composer,
        message=message,
        send=send,
        live=live,
        plan=plan,
        plan_column=plan_column,
        prepared=prepared,
        results=results,
        summary=summary,
        again=again,
        state=state,
    )


def talking_with(conversation: Conversation) -> str:
    """The line above the chat: who the seeker is talking to, and for how long."""
    p = conversation.persona
    goal = f" · your goal: {conversation.goal}" if conversation.goal else ""
    return f"Talking with **{p.name}**, {p.title} · {conversation.minutes} minutes{goal}"


def checklist(plan: list[str], conversation: Conversation) -> dict[str, Any]:
    """The prepared list beside the chat, each question ticked once the conversation has asked it."""
    done = asked_in(plan, [t.question for t in conversation.turns])
    choices = [(f"{'✓' if d else '○'} {q}", q) for q, d in zip(plan, done, strict=True)]
    label = f"Your list: {sum(done)} of {len(plan)} asked. Choose one to put it in the box."
    return gr.update(choices=choices, value=None, label=label)


def talk_view(tab: PracticeTab, conversation: Conversation, history: list[dict[str, Any]]) -> Updates:
    """The chat, open for a question (a new or resumed conversation)."""
    return {
        tab.setup: gr.update(visible=False),
        tab.talk: gr.update(visible=True),
        tab.results: gr.update(visible=False),
        tab.talking_with: talking_with(conversation),
        tab.chatbot: history,
        tab.starter_row: gr.update(visible=not conversation.turns),
        tab.composer: gr.update(visible=True),
        tab.message: gr.update(value="", interactive=True),
        tab.send: gr.update(interactive=True),
        tab.end: gr.update(visible=True),
        tab.live: "",
        tab.summary: "",
        tab.state: {"conversation": conversation, "ended": False},
    }


def setup_view(tab: PracticeTab) -> Updates:
    """Back to choosing a professional (the choices are kept)."""
    return {
        tab.setup: gr.update(visible=True),
        tab.talk: gr.update(visible=False),
        tab.results: gr.update(visible=False),
        tab.chatbot: [],
        tab.live: "",
        tab.summary: "",
        tab.state: {},
    }


def open_practice(tab: PracticeTab, personas: Personas, link: OpenPractice) -> Updates:
    """The updates that show ``link`` on the Practice tab; the event's outputs are ``tab.link_outputs()``."""
    persona = link.persona
    updates: Updates = {
        tab.industry: gr.update(value=persona.industry),
        tab.persona: gr.update(choices=persona_choices(personas, persona.industry), value=persona.id),
        tab.card: persona_card(persona),
    }
    if link.select_tab:
        updates[tab.tabs] = gr.Tabs(selected="practice")
    if link.goal is not None:
        updates[tab.goal] = link.goal
    if link.background is not None:
        updates[tab.background] = link.background
    if link.minutes is not None:
        updates[tab.minutes] = link.minutes
    if link.prepared is not None:
        updates[tab.plan] = link.prepared
    if link.conversation is not None:
        updates |= talk_view(tab, link.conversation, chat_history(link.conversation))
        updates |= {tab.plan: [], tab.plan_column: gr.update(visible=False)}  # no list beside a resumed session
    return updates


def pending_text(conversation: Conversation, waiting: int) -> str:
    """What the answer bubble says before the first word arrives."""
    name = conversation.persona.name.split()[0]
    if waiting:
        return f"_Waiting for the model: {waiting} request{'s' if waiting != 1 else ''} from other conversations ahead of you …_"
    if conversation.warming is not None and conversation.warming.is_alive() and not conversation.turns:
        return f"_{name} is still reading their notes (the first answer can take up to half a minute on a laptop) …_"
    return "…"


# Put the cursor back in the question box (after Start, and after each answer): the next thing typed is kept.
FOCUS_QUESTION = "() => { setTimeout(() => document.querySelector('#question textarea')?.focus(), 60); }"
# Bring the results into view and move focus to their heading, so a screen reader reads them next.
SHOW_RESULTS = (
    "() => { setTimeout(() => { const r = document.querySelector('#results-view');"
    " if (r) { r.scrollIntoView({behavior: 'smooth', block: 'start'}); r.focus({preventScroll: true}); } }, 120); }"
)
FOCUS_START = "() => { setTimeout(() => document.querySelector('#start')?.focus(), 60); }"


class _Handlers:
    """The tab's event handlers. Each returns ``{component: update}``; a component left out is unchanged."""

    def __init__(self, tab: PracticeTab, runtime: Runtime) -> None:
        self.tab, self.runtime = tab, runtime

    def on_industry(self, industry: str | None):
        update = professionals_in(self.runtime.personas, industry)
        first = update["value"]
        return {
            self.tab.persona: update,
            self.tab.card: persona_card(self.runtime.personas.get(first)) if first else "",
        }

    def on_persona(self, persona_id: str | None):
        return persona_card(self.runtime.personas.get(persona_id)) if persona_id else ""

    def on_start(
        self,
        persona_id: str | None,
        goal: str,
        minutes: float,
        state: dict[str, Any],
        name: str | None = None,  # None: optional in the page's API (older clients send three values)
        background: str | None = None,
    ):
        runtime, tab = self.runtime, self.tab
        if not persona_id:
            gr.Warning("Pick a professional first.")
            return gr.skip()
        persona = runtime.personas.get(persona_id)
        try:
            informant = runtime.informant()
        except Exception as exc:  # noqa: BLE001 - shown on the page
            gr.Warning(f"The model is not available: {redact(str(exc), runtime.settings)}")
            return gr.skip()
        minutes = int(minutes or DEFAULT_MINUTES)
        conversation = informant.start(persona, goal or "", minutes, name or "", background or "")
        informant.warm_in_background(conversation)
        return talk_view(tab, conversation, chat_history(conversation, informant.greeting(persona, minutes)))

    def on_send(self, message: str, history: list[dict[str, Any]], state: dict[str, Any]):
        runtime, tab = self.runtime, self.tab
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            gr.Warning("Pick a professional and press Start first.")
            yield gr.skip()
            return
        if state.get("ended"):
            gr.Warning("This session has ended. Press Practise again to start a new one.")
            yield gr.skip()
            return
        informant = runtime.informant()
        n = len(conversation.turns) + 1
        updates = informant.stream(conversation, message)
        try:
            first = next(updates)
        except InputError as exc:
            gr.Warning(str(exc))  # the text stays in the box: nothing is lost
            yield gr.skip()
            return
        # The question's feedback is ready before the answer: its chip shows under the question at once.
        history = [
            *history,
            {"role": "user", "content": question_markdown(n, message.strip(), first.critique)},
            {"role": "assistant", "content": pending_text(conversation, first.waiting)},
        ]
        live = live_feedback(n, first.critique)
        yield {
            tab.chatbot: history,
            tab.message: gr.update(value="", interactive=False),
            tab.send: gr.update(interactive=False),
            tab.starter_row: gr.update(visible=False),
            tab.live: live,
        }
        last = first
        summarised_before = conversation.summarised
        for update in updates:
            last = update
            if update.answer and not update.done:
                history[-1] = {"role": "assistant", "content": update.answer}
                yield {tab.chatbot: history}
        if last.turn is not None:
            try:
                runtime.sessions().save_turn(conversation, last.turn)
            except Exception as exc:  # noqa: BLE001 - say so; the turn stays on the page
                gr.Warning(f"This turn could not be saved: {redact(str(exc), runtime.settings)}")
            content = answer_markdown(last.turn)
            if last.turn.summarised > summarised_before:
                notice = summarised_notice(conversation)
                gr.Info(notice)
                content += f"\n\n<span class='muted'>{html.escape(notice)}</span>"
            history[-1] = {"role": "assistant", "content": content}
        yield {
            tab.chatbot: history,
            tab.message: gr.update(interactive=True),
            tab.send: gr.update(interactive=True),
            tab.live: live,  # the same line, so that an API client's last result holds it too
        }

    def on_draft(self, message: str, state: dict[str, Any]) -> None:
        """While the seeker types: have the local model read the notes for the draft ahead."""
        conversation: Conversation | None = (state or {}).get("conversation")
        # From the fourth word: earlier drafts rarely retrieve the notes the question will.
        if conversation is None or not self.runtime.model_ready or len((message or "").split()) < 4:
            return
        self.runtime.informant().read_ahead_in_background(conversation, message)

    def _finish(self, conversation: Conversation) -> None:
        if conversation.session_id:
            self.runtime.sessions().end(conversation.session_id)

    def on_end(self, state: dict[str, Any]):
        """End the session: the results under the chat, the question box locked."""
        tab = self.tab
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            gr.Warning("Start a conversation first.")
            return gr.skip()
        self._finish(conversation)
        report = build_report(conversation.turns, conversation.persona, conversation.goal, conversation.minutes)
        return {
            tab.results: gr.update(visible=True),
            tab.summary: results_html(self.runtime.polish_report(report)),
            tab.composer: gr.update(visible=False),
            tab.starter_row: gr.update(visible=False),
            tab.end: gr.update(visible=False),
            tab.live: "",
            tab.state: {"conversation": conversation, "ended": True},
        }

    def on_clear(self, state: dict[str, Any]):
        """The chat's bin: the conversation so far is ended (it stays in History) and setup comes back."""
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is not None:
            self._finish(conversation)
            if conversation.turns:
                gr.Info("The conversation was ended and kept in History. Start a new one when you are ready.")
        return setup_view(self.tab)

    def on_again(self):
        return setup_view(self.tab)

    def on_checklist(self, state: dict[str, Any], plan: list[str] | None):
        """The list made on Prepare beside the chat, ticked off as far as the conversation has got."""
        conversation: Conversation | None = (state or {}).get("conversation")
        if not plan or conversation is None:
            return {self.tab.plan_column: gr.update(visible=False)}
        return {self.tab.plan_column: gr.update(visible=True), self.tab.prepared: checklist(plan, conversation)}

    def on_prepared_pick(self, question: str | None):
        return gr.update(value=question) if question else gr.skip()


def create_event_handlers(tab: PracticeTab, runtime: Runtime) -> None:
    handlers = _Handlers(tab, runtime)
    # .input, not .change: only a person's choice re-filters; Resume sets both without a cascade.
    tab.industry.input(handlers.on_industry, tab.industry, [tab.persona, tab.card], api_visibility="private")
    tab.persona.input(handlers.on_persona, tab.persona, tab.card, api_visibility="private")
    _then_ready(tab.start.click(handlers.on_start, *_start_io(tab), api_name="start"), tab, handlers)
    send_inputs = [tab.message, tab.chatbot, tab.state]
    send_outputs = [tab.chatbot, tab.message, tab.send, tab.starter_row, tab.live]
    _then_ready(tab.message.submit(handlers.on_send, send_inputs, send_outputs, api_name="send"), tab, handlers)
    tab.message.input(
        handlers.on_draft,
        [tab.message, tab.state],
        None,
        api_visibility="private",
        trigger_mode="always_last",
        show_progress="hidden",
    )
    _then_ready(tab.send.click(handlers.on_send, send_inputs, send_outputs, api_visibility="private"), tab, handlers)
    for button in tab.starters:  # a starter fills the box: the seeker can change it before sending
        button.click(lambda q: q, button, tab.message, api_visibility="private").then(None, js=FOCUS_QUESTION)
    tab.end.click(handlers.on_end, tab.state, tab.view_outputs(), api_name="end").then(None, js=SHOW_RESULTS)
    tab.chatbot.clear(handlers.on_clear, tab.state, tab.view_outputs(), api_visibility="private").then(
        None, js=FOCUS_START
    )
    tab.again.click(handlers.on_again, None, tab.view_outputs(), api_visibility="private").then(None, js=FOCUS_START)
    tab.prepared.input(handlers.on_prepared_pick, tab.prepared, tab.message, api_visibility="private").then(
        None, js=FOCUS_QUESTION
    )


def _then_ready(event: Dependency, tab: PracticeTab, handlers: _Handlers) -> None:
    """After a conversation starts or a question is answered: the prepared list's ticks, the cursor in the box."""
    event.then(
        handlers.on_checklist, [tab.state, tab.plan], [tab.plan_column, tab.prepared], api_visibility="private"
    ).then(None, js=FOCUS_QUESTION)


def start_after(event: Dependency, tab: PracticeTab, runtime: Runtime) -> None:
    """Start a conversation once ``event`` succeeds, as the Start button does (Practise with this list)."""
    handlers = _Handlers(tab, runtime)
    _then_ready(event.success(handlers.on_start, *_start_io(tab)), tab, handlers)


def _start_io(tab: PracticeTab) -> tuple[list[Any], list[Any]]:
    """Starting a conversation: its inputs and its outputs."""
    # The seeker's name and background come after the state, so that API clients that send the
    # first three keep working (Gradio fills the two with their defaults).
    inputs = [tab.persona, tab.goal, tab.minutes, tab.state, tab.name, tab.background]
    return inputs, tab.view_outputs()
