"""What one tab hands another: small typed objects instead of positional tuples.

The tab that owns the target turns a link into ``{component: update}`` (``ui.practice.open_practice``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agents.informant import Conversation
from knowledge.personas import Persona

__all__ = ["OpenPractice", "Updates"]

# What a handler returns: {component: value or gr.update(...)}. The event's outputs list must hold every key;
# an output left out is left as it is (Gradio fills it with gr.skip()).
Updates = dict[Any, Any]


@dataclass(frozen=True)
class OpenPractice:
    """Show a professional on the Practice tab: History's Resume, Prepare's "Practise with this list" and
    Knowledge's "Create persona". A field left None leaves its control as it is."""

    persona: Persona
    goal: str | None = None
    background: str | None = None  # the seeker's background, as they wrote it
    minutes: int | None = None
    conversation: Conversation | None = None  # resume it: its transcript and feedback, the box ready to ask
    prepared: list[str] | None = None  # questions to offer in the "Your prepared questions" picker
    select_tab: bool = True  # bring the Practice tab to the front
