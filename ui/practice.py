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
from agents.runtime import Runtime
from core.defaults import DEFAULT_MINUTES
from core.errors import InputError
from core.settings import redact
from knowledge.personas import Personas
from ui.links import OpenPractice, Updates
from ui.page import persona_pickers, professionals_in
from ui.view import answer_markdown, chat_history, feedback_html, persona_card, persona_choices, question_markdown

__all__ = ["PracticeTab", "create_event_handlers", "create_ui", "open_practice", "start_after"]


@dataclass
class PracticeTab:
    """The Practice tab's components, and the page's tabs (so that a link can bring Practice to the front)."""

    tabs: gr.Tabs
    industry: gr.Dropdown
    persona: gr.Dropdown
    card: gr.Markdown
    goal: gr.Textbox
    name: gr.Textbox
    background: gr.Textbox
    minutes: gr.Slider
    prepared: gr.Dropdown
    start: gr.Button
    end: gr.Button
    chatbot: gr.Chatbot
    message: gr.Textbox
    send: gr.Button
    summary: gr.Markdown
    feedback: gr.HTML
    state: gr.State  # {"conversation": Conversation} once a conversation is started or resumed


def create_ui(runtime: Runtime, tabs: gr.Tabs) -> PracticeTab:
    with gr.Tab("Practice", id="practice"):
        state = gr.State({})
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=260):
                industry, persona = persona_pickers(runtime.personas)
                card = gr.Markdown(persona_card(runtime.personas.get(persona.value)) if persona.value else "")
                goal = gr.Textbox(
                    label="Your goal (optional)", placeholder="e.g. Decide whether nursing suits me", lines=2
                )
                with gr.Row():
                    name = gr.Textbox(
                        label="Your name (optional)", placeholder="e.g. Sam", min_width=100, elem_id="seeker-name"
                    )
                    background = gr.Textbox(
                        value="",
                        label="Your background (optional)",
                        placeholder="e.g. Six years in retail management",
                        min_width=160,
                        elem_id="seeker-background",
                    )
                minutes = gr.Slider(
                    10, 60, value=DEFAULT_MINUTES, step=5, label="Minutes of the real conversation", elem_id="minutes"
                )
                prepared = gr.Dropdown(
                    label="Your prepared questions (pick one to ask it)",
                    choices=[],
                    visible=False,
                    elem_id="prepared",
                )
                start = gr.Button("Start conversation", variant="primary")
                end = gr.Button("End session")
            with gr.Column(scale=2, min_width=320):
                chatbot = gr.Chatbot(
                    label="Conversation", height=520, group_consecutive_messages=False, buttons=["copy"]
                )
                with gr.Row():
                    message = gr.Textbox(
                        show_label=False,
                        placeholder="Press Start, then ask a question… (Enter to send)",
                        scale=5,
                        min_width=200,
                        max_lines=4,
                        interactive=False,
                        elem_id="question",
                    )
                    send = gr.Button("Send", variant="primary", scale=1, min_width=80)
                summary = gr.Markdown(elem_id="summary")
            with gr.Column(scale=1, min_width=280):
                gr.Markdown("### Feedback on your questions")
                feedback = gr.HTML(feedback_html([]), elem_id="feedback")
    return PracticeTab(
        tabs=tabs,
        industry=industry,
        persona=persona,
        card=card,
        goal=goal,
        name=name,
        background=background,
        minutes=minutes,
        prepared=prepared,
        start=start,
        end=end,
        chatbot=chatbot,
        message=message,
        send=send,
        summary=summary,
        feedback=feedback,
        state=state,
    )


def ready_to_ask() -> dict[str, Any]:
    """The question box, open for a question."""
    return gr.update(interactive=True, placeholder="Ask a question… (Enter to send)")


def open_practice(tab: PracticeTab, personas: Personas, link: OpenPractice) -> Updates:
    """The updates that show ``link`` on the Practice tab; the event's outputs must hold every key."""
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
        updates[tab.prepared] = gr.update(choices=link.prepared, value=None, visible=True)
    if link.conversation is not None:
        updates |= {
            tab.chatbot: chat_history(link.conversation),
            tab.feedback: feedback_html(link.conversation.turns),
            tab.summary: "",
            tab.message: ready_to_ask(),
            tab.state: {"conversation": link.conversation},
        }
    return updates


def pending_text(conversation: Conversation, waiting: int) -> str:
    """What the answer bubble says before the first word arrives."""
    name = conversation.persona.name.split()[0]
    if waiting:
        return f"_Waiting for the model: {waiting} request{'s' if waiting != 1 else ''} from other conversations ahead of you …_"
    if conversation.warming is not None and conversation.warming.is_alive() and not conversation.turns:
        return f"_{name} is still reading their notes (the first answer can take up to half a minute on a laptop) …_"
    return "…"


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
        conversation = informant.start(
            persona, goal or "", int(minutes or DEFAULT_MINUTES), name or "", background or ""
        )
        informant.warm_in_background(conversation)
        return {
            tab.chatbot: chat_history(conversation, informant.greeting(persona)),
            tab.feedback: feedback_html([]),
            tab.summary: "",
            tab.message: ready_to_ask(),
            tab.state: {"conversation": conversation},
        }

    def on_send(self, message: str, history: list[dict[str, Any]], state: dict[str, Any]):
        runtime, tab = self.runtime, self.tab
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            gr.Warning("Pick a professional and press Start first.")
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
        history = [
            *history,
            {"role": "user", "content": question_markdown(n, message.strip())},
            {"role": "assistant", "content": pending_text(conversation, first.waiting)},
        ]
        yield {
            tab.chatbot: history,
            tab.message: gr.update(value="", interactive=False),
            tab.send: gr.update(interactive=False),
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
            tab.feedback: feedback_html(conversation.turns),
        }

    def on_draft(self, message: str, state: dict[str, Any]) -> None:
        """While the seeker types: have the local model read the notes for the draft ahead."""
        conversation: Conversation | None = (state or {}).get("conversation")
        # From the fourth word: earlier drafts rarely retrieve the notes the question will.
        if conversation is None or not self.runtime.model_ready or len((message or "").split()) < 4:
            return
        self.runtime.informant().read_ahead_in_background(conversation, message)

    def on_end(self, state: dict[str, Any]):
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            return "Start a conversation first."
        if conversation.session_id:
            self.runtime.sessions().end(conversation.session_id)
        report = build_report(conversation.turns, conversation.persona, conversation.goal, conversation.minutes)
        return self.runtime.polish_report(report).markdown()

    def on_prepared_pick(self, question: str | None):
        return gr.update(value=question) if question else gr.skip()


def create_event_handlers(tab: PracticeTab, runtime: Runtime) -> None:
    handlers = _Handlers(tab, runtime)
    # .input, not .change: only a person's choice re-filters; Resume sets both without a cascade.
    tab.industry.input(handlers.on_industry, tab.industry, [tab.persona, tab.card], api_visibility="private")
    tab.persona.input(handlers.on_persona, tab.persona, tab.card, api_visibility="private")
    tab.start.click(handlers.on_start, *_start_io(tab), api_name="start")
    send_inputs = [tab.message, tab.chatbot, tab.state]
    send_outputs = [tab.chatbot, tab.message, tab.send, tab.feedback, tab.state]
    tab.message.submit(handlers.on_send, send_inputs, send_outputs, api_name="send")
    tab.message.input(
        handlers.on_draft,
        [tab.message, tab.state],
        None,
        api_visibility="private",
        trigger_mode="always_last",
        show_progress="hidden",
    )
    tab.send.click(handlers.on_send, send_inputs, send_outputs, api_visibility="private")
    tab.end.click(handlers.on_end, tab.state, tab.summary, api_name="end")
    tab.prepared.input(handlers.on_prepared_pick, tab.prepared, tab.message, api_visibility="private")


def start_after(event: Dependency, tab: PracticeTab, runtime: Runtime) -> None:
    """Start a conversation once ``event`` succeeds, as the Start button does (Practise with this list)."""
    event.success(_Handlers(tab, runtime).on_start, *_start_io(tab))


def _start_io(tab: PracticeTab) -> tuple[list[Any], list[Any]]:
    """Starting a conversation: its inputs and its outputs."""
    # The seeker's name and background come after the state, so that API clients that send the
    # first three keep working (Gradio fills the two with their defaults).
    inputs = [tab.persona, tab.goal, tab.minutes, tab.state, tab.name, tab.background]
    outputs = [tab.chatbot, tab.feedback, tab.summary, tab.message, tab.state]
    return inputs, outputs
