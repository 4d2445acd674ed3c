"""The History tab: saved sessions with progress charts; open one (transcript and report, exports), rename,
delete or import one, ask the coach about it, and resume it on the Practice tab."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from agents.coach import ask_coach
from agents.runtime import Runtime
from core.errors import PersonaError, SessionError
from core.settings import redact
from ui.common import export_dir
from ui.links import OpenPractice, Updates
from ui.practice import FOCUS_QUESTION, PracticeTab, open_practice
from ui.results import results_html
from ui.view import NO_SESSIONS, ONE_SESSION, session_choices

__all__ = ["HistoryTab", "create_event_handlers", "create_ui"]


@dataclass
class HistoryTab:
    tab: gr.Tab
    empty_note: gr.Markdown
    body: gr.Column  # everything but the empty state and the import, shown once there is a session
    score_plot: gr.LinePlot
    coverage_plot: gr.LinePlot
    chosen: gr.Radio  # the saved sessions as cards: choosing one opens it
    refresh: gr.Button
    resume: gr.Button
    export_md: gr.DownloadButton
    export_json: gr.DownloadButton
    delete: gr.Button
    confirm_row: gr.Row
    confirm_text: gr.Markdown
    confirm_delete: gr.Button
    keep: gr.Button
    new_title: gr.Textbox
    rename: gr.Button
    coach_question: gr.Textbox
    coach_ask: gr.Button
    coach_answer: gr.Markdown
    transcript: gr.Markdown
    upload_session: gr.File


def _trend(y: str, title: str, y_lim: list[int], y_title: str) -> gr.LinePlot:
    return gr.LinePlot(
        x="session", y=y, color="series", title=title, y_lim=y_lim, height=240, x_title="session", y_title=y_title
    )


def create_ui() -> HistoryTab:
    with gr.Tab("History", id="history") as tab:
        empty_note = gr.Markdown(elem_id="history-empty")
        with gr.Column(visible=False) as body:
            chosen = gr.Radio(
                label="Your sessions, newest first: choose one to open it", choices=[], elem_id="session-picker"
            )
            refresh = gr.Button("Refresh the list", size="sm", elem_id="refresh-sessions")
            with gr.Row():
                resume = gr.Button("Resume in Practice", variant="primary")
                export_md = gr.DownloadButton("Export Markdown", interactive=False)
                export_json = gr.DownloadButton("Export JSON", interactive=False)
                delete = gr.Button("Delete…", variant="stop", elem_id="delete")
            with gr.Row(visible=False, elem_id="confirm-delete") as confirm_row:
                confirm_text = gr.Markdown()
                confirm_delete = gr.Button("Delete for good", variant="stop", scale=0, min_width=150)
                keep = gr.Button("Keep it", scale=0, min_width=100)
            with gr.Row(equal_height=True):
                new_title = gr.Textbox(label="Rename to", scale=3)
                rename = gr.Button("Rename", scale=0, min_width=90)
            with gr.Accordion("Your progress across sessions", open=True):
                with gr.Row():
                    score_plot = _trend("score", "Average question score (out of 5)", [1, 5], "score")
                    coverage_plot = _trend("coverage", "Core topics covered (%)", [0, 100], "% of topics")
            with gr.Row(equal_height=True):
                coach_question = gr.Textbox(
                    label="Ask the coach about this session",
                    placeholder="e.g. Why did Q2 get 2/5?",
                    scale=4,
                    elem_id="coach-question",
                )
                coach_ask = gr.Button("Ask", scale=0, min_width=80)
            coach_answer = gr.Markdown(elem_id="coach-answer")
            transcript = gr.Markdown(elem_id="transcript")
        upload_session = gr.File(
            label="Import a session (.json export)",
            file_types=[".json"],
            type="filepath",
            height=120,
            elem_id="import-session",
        )
    return HistoryTab(
        tab=tab,
        empty_note=empty_note,
        body=body,
        score_plot=score_plot,
        coverage_plot=coverage_plot,
        chosen=chosen,
        refresh=refresh,
        resume=resume,
        export_md=export_md,
        export_json=export_json,
        delete=delete,
        confirm_row=confirm_row,
        confirm_text=confirm_text,
        confirm_delete=confirm_delete,
        keep=keep,
        new_title=new_title,
        rename=rename,
        coach_question=coach_question,
        coach_ask=coach_ask,
        coach_answer=coach_answer,
        transcript=transcript,
        upload_session=upload_session,
    )


class _Handlers:
    """The tab's event handlers. Each returns ``{component: update}``; a component left out is unchanged."""

    def __init__(self, tab: HistoryTab, runtime: Runtime, practice: PracticeTab) -> None:
        self.tab, self.runtime, self.practice = tab, runtime, practice

    def session_choices(self) -> list[tuple[str, str]]:
        return session_choices(self.runtime.sessions().list())

    def progress_plots(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The two trends, one point per session numbered 1, 2, … (whole numbers on the axis, in order)."""
        frame = pd.DataFrame(self.runtime.sessions().progress(), columns=["session", "series", "score", "coverage"])
        frame["session"] = frame["session"].astype(str)
        order = list(dict.fromkeys(frame["session"]))
        return (
            gr.update(value=frame[["session", "series", "score"]], sort=order),
            gr.update(value=frame[["session", "series", "coverage"]], sort=order),
        )

    def write_exports(self, session_id: str) -> tuple[str, str]:
        folder = export_dir()
        folder.mkdir(parents=True, exist_ok=True)
        store = self.runtime.sessions()
        md = folder / f"mock-informant-{session_id}.md"
        js = folder / f"mock-informant-{session_id}.json"
        md.write_text(store.export_markdown(session_id), encoding="utf-8")
        js.write_text(json.dumps(store.export_json(session_id), indent=2, ensure_ascii=False), encoding="utf-8")
        return str(md), str(js)

    def picked(self, session_id: str | None) -> Updates:
        """Every view of the saved sessions, after a change to them (``session_id``: the one to open)."""
        tab = self.tab
        choices = session_choices(self.runtime.sessions().list())
        ids = [c[1] for c in choices]
        score, coverage = self.progress_plots()
        return {
            tab.chosen: gr.update(
                choices=choices, value=session_id if session_id in ids else (ids[0] if ids else None)
            ),
            tab.score_plot: score,
            tab.coverage_plot: coverage,
            tab.empty_note: NO_SESSIONS if not choices else (ONE_SESSION if len(choices) == 1 else ""),
            tab.body: gr.update(visible=bool(choices)),
            tab.confirm_row: gr.update(visible=False),
        }

    def on_history_refresh(self, selected: str | None):
        return self.picked(selected)

    def on_select_session(self, session_id: str | None):
        tab = self.tab
        if not session_id:
            return {
                tab.transcript: "",
                tab.export_md: gr.update(value=None, interactive=False),
                tab.export_json: gr.update(value=None, interactive=False),
                tab.new_title: "",
            }
        try:
            record = self.runtime.sessions().get(session_id)
            md, js = self.write_exports(session_id)
        except SessionError as exc:
            return {tab.transcript: str(exc), tab.new_title: ""}
        # The results once, then the transcript with each question's feedback.
        transcript = (
            results_html(record.report(), view_id="past", links=False)
            + "\n\n"
            + self.runtime.sessions().export_markdown(session_id, report=False)
        )
        return {
            tab.transcript: transcript,
            tab.export_md: gr.update(value=md, interactive=True),
            tab.export_json: gr.update(value=js, interactive=True),
            tab.new_title: record.title,
        }

    def on_ask_coach(self, session_id: str | None, asked: str):
        if not session_id:
            return "Choose a session first."
        if not (asked or "").strip():
            return "Ask about one of your questions, e.g. “Why did Q2 get 2/5?”"
        try:
            report = self.runtime.sessions().get(session_id).report()
        except SessionError as exc:
            return str(exc)
        return ask_coach(report, asked).replace("\n", "\n\n")

    def on_rename(self, session_id: str | None, title: str):
        if not session_id:
            gr.Warning("Choose a session first.")
            return gr.skip()
        try:
            self.runtime.sessions().rename(session_id, title or "")
        except SessionError as exc:
            gr.Warning(str(exc))
            return gr.skip()
        gr.Info("Renamed.")
        return self.picked(session_id)

    def on_delete(self, session_id: str | None):
        """Delete asks first: the confirmation names the session."""
        if not session_id:
            gr.Warning("Choose a session first.")
            return gr.skip()
        try:
            record = self.runtime.sessions().get(session_id)
        except SessionError as exc:
            gr.Warning(str(exc))
            return gr.skip()
        return {
            self.tab.confirm_row: gr.update(visible=True),
            self.tab.confirm_text: f"Delete “{record.display_title}” for good? Its {record.turn_count} questions, "
            "answers and feedback go with it. Export it first to keep a copy.",
        }

    def on_confirm_delete(self, session_id: str | None):
        if not session_id:
            return {self.tab.confirm_row: gr.update(visible=False)}
        try:
            self.runtime.sessions().delete(session_id)
        except SessionError as exc:
            gr.Warning(str(exc))
        else:
            gr.Info("Session deleted.")
        return {**self.picked(None), self.tab.transcript: ""}

    def on_keep(self):
        return {self.tab.confirm_row: gr.update(visible=False)}

    def on_import(self, path: str | None):
        if not path:
            return gr.skip()
        try:
            session_id = self.runtime.sessions().import_json(Path(path).read_bytes())
        except SessionError as exc:
            gr.Warning(str(exc))
            return gr.skip()
        gr.Info("Imported.")
        return self.picked(session_id)

    def on_resume(self, session_id: str | None, state: dict[str, Any]):
        if not session_id:
            gr.Warning("Choose a session first.")
            return gr.skip()
        try:
            conversation = self.runtime.sessions().resume(session_id)
        except (SessionError, PersonaError) as exc:
            gr.Warning(str(exc))
            return gr.skip()
        try:
            self.runtime.informant().warm_in_background(conversation)
        except Exception as exc:  # noqa: BLE001 - the transcript still opens; sending will say more
            gr.Warning(f"The model is not available: {redact(str(exc), self.runtime.settings)}")
        link = OpenPractice(
            conversation.persona, goal=conversation.goal, background=conversation.background, conversation=conversation
        )
        return open_practice(self.practice, self.runtime.personas, link)


def create_event_handlers(tab: HistoryTab, runtime: Runtime, practice: PracticeTab) -> None:
    handlers = _Handlers(tab, runtime, practice)
    # The page's API (/history) returns the sessions, the two trends and the empty-state note.
    history_outputs = [
        tab.chosen,
        tab.score_plot,
        tab.coverage_plot,
        tab.empty_note,
        tab.body,
        tab.confirm_row,
    ]
    tab.tab.select(handlers.on_history_refresh, tab.chosen, history_outputs, api_name="history")
    tab.refresh.click(handlers.on_history_refresh, tab.chosen, history_outputs, api_visibility="private")
    tab.chosen.change(
        handlers.on_select_session,
        tab.chosen,
        [tab.transcript, tab.export_md, tab.export_json, tab.new_title],
        api_name="session",
    )
    tab.rename.click(handlers.on_rename, [tab.chosen, tab.new_title], history_outputs, api_name="rename")
    coach_inputs = [tab.chosen, tab.coach_question]
    tab.coach_ask.click(handlers.on_ask_coach, coach_inputs, tab.coach_answer, api_name="coach")
    tab.coach_question.submit(handlers.on_ask_coach, coach_inputs, tab.coach_answer, api_visibility="private")
    tab.delete.click(handlers.on_delete, tab.chosen, [tab.confirm_row, tab.confirm_text], api_visibility="private")
    tab.confirm_delete.click(
        handlers.on_confirm_delete, tab.chosen, [*history_outputs, tab.transcript], api_name="delete"
    )
    tab.keep.click(handlers.on_keep, None, tab.confirm_row, api_visibility="private")
    tab.upload_session.upload(handlers.on_import, tab.upload_session, history_outputs, api_visibility="private")
    tab.resume.click(handlers.on_resume, [tab.chosen, practice.state], practice.link_outputs(), api_name="resume").then(
        None, js=FOCUS_QUESTION
    )
