"""The Follow-up tab: a thank-you note for a saved session that quotes the informant word for word; edit it
and download it."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from agents.runtime import Runtime
from core.errors import FollowUpError, SessionError
from ui.common import export_dir
from ui.view import session_choices

__all__ = ["FollowUpTab", "create_event_handlers", "create_ui"]


@dataclass
class FollowUpTab:
    tab: gr.Tab
    session: gr.Dropdown
    name: gr.Textbox
    next_step: gr.Textbox
    write_note: gr.Button
    note: gr.Textbox
    due: gr.Markdown
    download: gr.DownloadButton
    state: gr.State  # {"session": id, "due": text} once a note is written


def create_ui() -> FollowUpTab:
    with gr.Tab("Follow-up", id="followup") as tab:
        state = gr.State({})
        gr.Markdown(
            "After the conversation: a thank-you note that quotes one or two things they said, word for "
            "word, says what you will do next, and keeps in touch. Edit it, copy it, send it within 24 hours."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=260):
                session = gr.Dropdown(label="Session", choices=[], elem_id="fu-session")
                name = gr.Textbox(label="Your name", elem_id="fu-name")
                next_step = gr.Textbox(
                    label="What you will do next (optional)",
                    placeholder="e.g. shadow a nurse on a night shift this month",
                    elem_id="fu-next",
                )
                write_note = gr.Button("Write my thank-you note", variant="primary", elem_id="write-note")
            with gr.Column(scale=2, min_width=320):
                note = gr.Textbox(label="Your note (edit freely)", lines=16, buttons=["copy"], elem_id="thank-you")
                due = gr.Markdown(elem_id="fu-due")
                download = gr.DownloadButton("Download .txt", interactive=False, elem_id="fu-download")
    return FollowUpTab(
        tab=tab,
        session=session,
        name=name,
        next_step=next_step,
        write_note=write_note,
        note=note,
        due=due,
        download=download,
        state=state,
    )


def _write_note_file(session_id: str, text: str):
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"thank-you-{session_id}.txt"
    path.write_text(text or "", encoding="utf-8")
    return gr.update(value=str(path), interactive=bool(text))


class _Handlers:
    """The tab's event handlers. Each returns ``{component: update}``; a component left out is unchanged."""

    def __init__(self, tab: FollowUpTab, runtime: Runtime) -> None:
        self.tab, self.runtime = tab, runtime

    def on_followup_refresh(self, selected: str | None):
        choices = session_choices(self.runtime.sessions().list())
        ids = [c[1] for c in choices]
        return gr.update(choices=choices, value=selected if selected in ids else (ids[0] if ids else None))

    def on_thank_you(self, session_id: str | None, name: str, next_step: str):
        tab = self.tab
        if not session_id:
            gr.Warning("Choose a saved session first (hold a conversation on the Practice tab).")
            return gr.skip()
        try:
            note = self.runtime.thank_you(session_id, name=name or "", next_step=next_step or "")
        except (SessionError, FollowUpError) as exc:
            gr.Warning(str(exc))
            return gr.skip()
        quoted = ", ".join(f"Q{q.turn}" for q in note.quotes)
        where = f" It quotes what they said in answer to {quoted}, word for word." if quoted else ""
        due = f"{note.due()}{where} No resume attached: offer it only if they ask."
        return {
            tab.note: note.text,
            tab.due: due,
            tab.download: _write_note_file(session_id, note.text),
            tab.state: {"session": session_id, "due": due},
        }

    def on_note_edit(self, text: str, fu: dict):
        session_id = (fu or {}).get("session")
        if not session_id:
            return gr.skip()
        return {
            self.tab.download: _write_note_file(session_id, text),
            self.tab.due: f"{fu.get('due', '')} Your edits are in the download.",
        }


def create_event_handlers(tab: FollowUpTab, runtime: Runtime) -> None:
    handlers = _Handlers(tab, runtime)
    tab.tab.select(handlers.on_followup_refresh, tab.session, tab.session, api_visibility="private")
    tab.write_note.click(
        handlers.on_thank_you,
        [tab.session, tab.name, tab.next_step],
        [tab.note, tab.due, tab.download, tab.state],
        api_name="thank_you",
    )
    tab.note.input(handlers.on_note_edit, [tab.note, tab.state], [tab.download, tab.due], api_visibility="private")
