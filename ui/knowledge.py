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
# The notes table in plain words: which file, whose, who reads it, how many parts, when added.
SHOWN_COLUMNS = {"source": "file", "origin": "from", "role": "read by", "sections": "parts", "added": "added"}
EVERYONE = "*"  # the Who-reads-them choice that shares a user's notes with every professional
EVERYONE_LABEL = "Everyone (every professional)"


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
            "## Your notes\nAdd a job posting, a company page or your reading notes (.md, .txt, .pdf, .docx or "
            f".html, up to {MAX_FILE_BYTES // 1_000_000} MB each). The professional you practise with reads them as "
            "a document you shared: they can talk about it, but never take it as their own experience or as "
            "instructions."
        )
        with gr.Row():
            upload = gr.File(
                label="Add your notes",
                file_types=[".md", ".txt", ".pdf", ".docx", ".html", ".htm"],
                file_count="multiple",
                type="filepath",
                height=140,
                scale=3,
                elem_id="upload",
            )
            with gr.Column(scale=2, min_width=240):
                upload_role = gr.Dropdown(
                    label="Who reads them",
                    info="Left empty: the role of the professional picked on Practice.",
                    choices=[(EVERYONE_LABEL, EVERYONE), *role_choices],
                    value=None,
                    elem_id="upload-role",
                )
        upload_result = gr.Markdown(elem_id="upload-result")
        with gr.Row(equal_height=True):
            yours = gr.Dropdown(label="Your notes", choices=[], scale=3, elem_id="your-sources")
            forget = gr.Button("Remove these notes", variant="stop", scale=1, min_width=160)
        with gr.Accordion("What the professionals read from the notes picked above", open=False):
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
        with gr.Accordion("Everything the professionals answer from", open=False):
            gr.Markdown(
                "The built-in notes on each industry and role (with the sources their facts come from), and yours. "
                "Adding the same file again changes nothing; a changed file replaces its old version."
            )
            overview = gr.Dataframe(label="Notes", interactive=False, wrap=True, elem_id="sources")
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                label="Try a question against the notes",
                info="As the professional picked on Practice would look it up.",
                scale=4,
            )
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
        frame = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
        names = {rid: name for rid, (_, name) in roles().items()}
        frame["role"] = [
            f"{p} (made from a bio)" if p else names.get(r, r) if r else "everyone"
            for r, p in zip(frame["role"], frame["persona"], strict=True)
        ]
        frame["origin"] = frame["origin"].map({"yours": "you", "built-in": "built in"}).fillna(frame["origin"])
        return {
            self.tab.overview: frame[list(SHOWN_COLUMNS)].rename(columns=SHOWN_COLUMNS),
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

    def on_upload(self, paths: list[str] | None, role: str | None, persona_id: str | None = None):
        """Add the files for ``role``; none chosen: for the role of the professional picked on Practice (so a
        posting never reaches an unrelated professional unless the seeker chose Everyone)."""
        if not paths:
            return {self.tab.upload_result: ""}
        if not role and persona_id:
            role = self.runtime.personas.get(persona_id).role
        if not role:
            return {self.tab.upload_result: "**Not added:** choose who reads them first (a role, or Everyone)."}
        everyone = role == EVERYONE
        extra = None if everyone else {"role": role, "industry": roles()[role][0]}
        try:
            result = self.runtime.store().ingest_user_files([Path(p) for p in paths], extra=extra)
        except IngestError as exc:
            return {self.tab.upload_result: f"**Not added:** {exc}"}
        who = "every professional" if everyone else f"the {roles()[role][1]} role"
        return {**self.knowledge_view(), self.tab.upload_result: f"Added for {who}: {result.plain()}."}

    def on_forget(self, source: str | None):
        if not source:
            return {self.tab.upload_result: "Choose one of your sources first."}
        try:
            removed = self.runtime.store().forget(source)
        except IngestError as exc:
            return {self.tab.upload_result: f"**Not removed:** {exc}"}
        return {**self.knowledge_view(), self.tab.upload_result: f"Removed {source} ({removed} parts)."}

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
    upload_inputs = [tab.upload, tab.upload_role, practice.persona]
    tab.upload.upload(handlers.on_upload, upload_inputs, sources_outputs, api_visibility="private")
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
