"""What the whole page shares that needs Gradio: the header with its status line (refreshed every second
until the model is ready; also the ``/status`` API), and the industry and professional pickers that Practice
and Prepare each have a pair of."""

from __future__ import annotations

from typing import Any

import gradio as gr

from agents.runtime import Runtime
from knowledge.personas import Personas
from ui.common import TITLE
from ui.view import industry_label, persona_choices

__all__ = ["create_header", "theme", "create_status_events", "persona_pickers", "professionals_in", "status_line"]


def status_line(runtime: Runtime) -> str:
    """The app's state in one line: loading, indexing, ready, or why the model could not load."""
    if runtime.model_error:
        return f"**The model could not load:** {runtime.model_error}"
    if runtime.ingest_progress and not runtime.store_ready:
        return f"Indexing the industry notes: {runtime.ingest_progress} …"
    if runtime.model_ready:
        return f"Ready to practise · model: {runtime.settings.describe()}"
    return (
        f"Loading the model ({runtime.settings.describe()}) in the background: you can choose a professional meanwhile."
    )


def create_header(runtime: Runtime) -> gr.Markdown:
    """The title, what the page is for, and the status line (returned: the timer refreshes it)."""

    # A callable value: computed on each page load. Its name is the page-load endpoint's name (/status_text).
    def status_text() -> str:
        return status_line(runtime)

    gr.Markdown(f"# {TITLE}\nPractise informational interviews with an AI professional, and get feedback as you go.")
    return gr.Markdown(status_text, elem_id="status")


def create_status_events(status: gr.Markdown, runtime: Runtime) -> None:
    """Refresh the status line every second until the model is ready (or failed); serve it as /status."""

    def on_tick():
        done = runtime.model_ready or bool(runtime.model_error)
        return status_line(runtime), gr.Timer(active=not done)

    timer = gr.Timer(1.0)
    timer.tick(on_tick, None, [status, timer], api_visibility="private")

    def api_status() -> str:
        """The app's state in one line: loading, indexing, ready, or why the model could not load."""
        return status_line(runtime)

    gr.api(api_status, api_name="status")


def persona_pickers(personas: Personas, elem_id: str | None = None) -> tuple[gr.Dropdown, gr.Dropdown]:
    """An industry dropdown and the professionals in it, the first of each chosen."""
    industries = personas.industries()
    first_industry = industries[0] if industries else None
    first_choices = persona_choices(personas, first_industry)
    industry = gr.Dropdown(choices=[(industry_label(i), i) for i in industries], value=first_industry, label="Industry")
    persona = gr.Dropdown(
        choices=first_choices,
        value=first_choices[0][1] if first_choices else None,
        label="Professional",
        elem_id=elem_id,
    )
    return industry, persona


def professionals_in(personas: Personas, industry: str | None) -> dict[str, Any]:
    """The update that fills a Professional dropdown with an industry's professionals, the first chosen."""
    choices = persona_choices(personas, industry)
    return gr.update(choices=choices, value=choices[0][1] if choices else None)


def theme() -> gr.themes.Base:
    """Gradio's default look, with every colour pair at WCAG AA contrast or better (4.5:1 for text)."""
    return gr.themes.Default(primary_hue="orange").set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700",
        color_accent="*primary_700",
        input_placeholder_color="*neutral_500",
        body_text_color_subdued="*neutral_600",
        slider_color="*primary_700",
        button_cancel_background_fill="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_border_color="#b91c1c",
    )
