"""The Knowledge tab: the notes the informants answer from; add your own files or forget them, make a persona
from someone's bio (it opens on the Practice tab), and try a question against the notes as the Practice
tab's professional would search them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from agents.runtime import Runtime
from core.errors import IngestError, PersonaError
from knowledge.documents import MAX_FILE_BYTES
from knowledge.personas import roles
from ui.links import OpenPractice, Updates
from ui.practice import PracticeTab, open_practice
from ui.view import industry_label

__all__ = ["SOURCE_COLUMNS", "KnowledgeTab", "create_event_handlers", "create_ui"]

SOURCE_COLUMNS = ["source", "origin", "type", "industry", "role", "persona", "sections", "chunks", "added"]


@dataclass
class KnowledgeTab:
    tab: gr.Tab
    overview: gr.Dataframe
    upload: gr.File
    upload_role: gr.Dropdown
    yours: gr.Dropdown
    kept: gr.Markdown
    forget: gr.Button
    upload_result: gr.Markdown
    bio: gr.Textbox
    bio_file: gr.File
    bio_role: gr.Dropdown
    bio_name: gr.Textbox
    bio_title: gr.Textbox
    bio_temperament: gr.Radio
    make_persona: gr.Button
    persona_result: gr.Markdown
    query: gr.Textbox
    search: gr.Button
    found: gr.Markdown


def create_ui() -> KnowledgeTab:
    role_choices = [
        (f"{name} ({industry_label(ind)})", rid) for rid, (ind, name) in sorted(roles().items(), key=lambda r: r[1])
    ]
    with gr.Tab("Knowledge", id="knowledge") as tab:
        gr.Markdown(
            "The notes the informants answer from: built-in industry notes, and your own notes (a job "
            "posting, notes from reading) as .md, .txt, .pdf, .docx or .html files of up to "
            f"{MAX_FILE_BYTES // 1_000_000} MB each. They are reference material only: the informant never "
            "takes instructions from them. Adding the same file again changes nothing; a changed file "
            "replaces its old version."
        )
        overview = gr.Dataframe(label="Sources in the knowledge base", interactive=False, elem_id="sources")
        with gr.Row():
            upload = gr.File(
                label="Add your own notes (.md .txt .pdf .docx .html)",
                file_types=[".md", ".txt", ".pdf", ".docx", ".html", ".htm"],
                file_count="multiple",
                type="filepath",
                scale=3,
                elem_id="upload",
            )
            with gr.Column(scale=1, min_width=220):
                upload_role = gr.Dropdown(
                    label="For which role (optional)", choices=role_choices, value=None, elem_id="upload-role"
                )
                yours = gr.Dropdown(label="Your sources", choices=[], elem_id="your-sources")
                forget = gr.Button("Forget this source", variant="stop")
        upload_result = gr.Markdown(elem_id="upload-result")
        with gr.Accordion("What the informants read from the source picked above", open=False):
            gr.Markdown(
                "Text a reader never sees (hidden parts of a web page, comments, footnotes, hidden Word "
                "text) is left out when a file is added; this is what was kept."
            )
            kept = gr.Markdown(elem_id="kept-text")
        with gr.Accordion("Practise with the person you are about to meet", open=False):
            gr.Markdown(
                "Paste their public bio (or upload it as .txt, .pdf, .docx or .html) and pick the closest "
                "role: you get a persona with their name, title and background, answering from their bio "
                "and that role's notes."
            )
            with gr.Row():
                bio = gr.Textbox(label="Their bio", lines=6, scale=3, elem_id="bio")
                with gr.Column(scale=1, min_width=220):
                    bio_file = gr.File(
                        label="…or a bio file",
                        file_types=[".txt", ".md", ".pdf", ".docx", ".html"],
                        type="filepath",
                    )
                    bio_role = gr.Dropdown(label="Closest role", choices=role_choices, elem_id="bio-role")
            with gr.Row():
                bio_name = gr.Textbox(label="Name (if not first in the bio)")
                bio_title = gr.Textbox(label="Job title (optional)")
                bio_temperament = gr.Radio(["warm", "busy", "sceptical"], value="warm", label="How they talk")
            make_persona = gr.Button("Create persona", variant="primary")
            persona_result = gr.Markdown(elem_id="persona-result")
        with gr.Row():
            query = gr.Textbox(label="Try a question against the notes", scale=4)
            search = gr.Button("Search", scale=1, min_width=80)
        found = gr.Markdown()
    return KnowledgeTab(
        tab=tab,
        overview=overview,
        upload=upload,
        upload_role=upload_role,
        yours=yours,
        forget=forget,
        upload_result=upload_result,
        kept=kept,
        bio=bio,
        bio_file=bio_file,
        bio_role=bio_role,
        bio_name=bio_name,
        bio_title=bio_title,
        bio_temperament=bio_temperament,
        make_persona=make_persona,
        persona_result=persona_result,
        query=query,
        search=search,
        found=found,
    )


class _Handlers:
    """The tab's event handlers. Each returns ``{component: update}``; a component left out is unchanged."""

    def __init__(self, tab: KnowledgeTab, runtime: Runtime, practice: PracticeTab) -> None:
        self.tab, self.runtime, self.practice = tab, runtime, practice

    def knowledge_view(self) -> Updates:
        rows = self.runtime.store().sources()
        yours = [r["source"] for r in rows if r["origin"] == "yours"]
        return {
            self.tab.overview: pd.DataFrame(rows, columns=SOURCE_COLUMNS),
            self.tab.yours: gr.update(choices=yours, value=yours[0] if yours else None),
        }

    def on_pick_source(self, source: str | None):
        if not source:
            return ""
        try:
            notes = self.runtime.store().kept_text(source)
        except IngestError as exc:
            return f"**Not found:** {exc}"
        return "\n\n".join(f"**{n.title}**\n\n{n.text}" for n in notes)

    def on_upload(self, paths: list[str] | None, role: str | None):
        if not paths:
            return {self.tab.upload_result: ""}
        extra = {"role": role, "industry": roles()[role][0]} if role else None
        try:
            result = self.runtime.store().ingest_user_files([Path(p) for p in paths], extra=extra)
        except IngestError as exc:
            return {self.tab.upload_result: f"**Not added:** {exc}"}
        return {**self.knowledge_view(), self.tab.upload_result: f"Added: {result.summary()}."}

    def on_forget(self, source: str | None):
        if not source:
            return {self.tab.upload_result: "Choose one of your sources first."}
        try:
            removed = self.runtime.store().forget(source)
        except IngestError as exc:
            return {self.tab.upload_result: f"**Not removed:** {exc}"}
        return {**self.knowledge_view(), self.tab.upload_result: f"Forgot {source} ({removed} chunks)."}

    def on_create_persona(
        self, bio: str, bio_file: str | None, role: str | None, name: str, title: str, temperament: str
    ):
        from agents.custom_persona import create_persona

        result = self.tab.persona_result
        if not role:
            return {result: "Choose the closest role first."}
        try:
            persona = create_persona(
                self.runtime.store(),
                self.runtime.personas,
                role=role,
                bio=None if bio_file else bio,
                bio_file=Path(bio_file) if bio_file else None,
                name=name or None,
                title=title or None,
                temperament=temperament or "warm",
            )
        except (PersonaError, IngestError, ValueError) as exc:
            return {result: f"**No persona made:** {exc}"}
        link = OpenPractice(persona, select_tab=False)
        return {
            **open_practice(self.practice, self.runtime.personas, link),
            result: f"Made **{persona.name}**, {persona.title} ({persona.seniority}, {persona.temperament}). "
            "They are selected on the Practice tab: press Start conversation.",
        }

    def on_search(self, query: str, persona_id: str | None):
        if not (query or "").strip():
            return "Type what a seeker might ask."
        notes = self.runtime.search(query, persona_id)
        return "\n\n".join(f"**{n.title}** ({n.source}; similarity {n.score:.2f})\n\n{n.text}" for n in notes)


def create_event_handlers(tab: KnowledgeTab, runtime: Runtime, practice: PracticeTab) -> None:
    handlers = _Handlers(tab, runtime, practice)
    sources_outputs: list[Any] = [tab.overview, tab.yours, tab.upload_result]
    tab.tab.select(handlers.knowledge_view, None, [tab.overview, tab.yours], api_visibility="private")
    tab.upload.upload(handlers.on_upload, [tab.upload, tab.upload_role], sources_outputs, api_visibility="private")
    tab.forget.click(handlers.on_forget, tab.yours, sources_outputs, api_visibility="private")
    tab.yours.change(handlers.on_pick_source, tab.yours, tab.kept, api_visibility="private")
    tab.make_persona.click(
        handlers.on_create_persona,
        [tab.bio, tab.bio_file, tab.bio_role, tab.bio_name, tab.bio_title, tab.bio_temperament],
        [*practice.link_outputs(), tab.persona_result],
        api_name="create_persona",
    )
    # The search is the one the informant makes, for the professional picked on the Practice tab.
    search_inputs = [tab.query, practice.persona]
    tab.search.click(handlers.on_search, search_inputs, tab.found, api_visibility="private")
    tab.query.submit(handlers.on_search, search_inputs, tab.found, api_visibility="private")
