"""The Prepare tab: a question list fitted to the time (edit it in the table, regenerate, move or remove a
question), a research brief, downloads, and "Practise with this list", which opens Practice with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from agents.prepare import (
    MAX_MINUTES,
    MIN_MINUTES,
    QuestionPlan,
    apply_table_rows,
    generate,
    move_question,
    regenerate_one,
    remove_question,
    research_brief,
)
from agents.runtime import Runtime
from core.defaults import DEFAULT_MINUTES
from core.errors import PersonaError, PrepareError
from knowledge.personas import Persona
from ui.common import export_dir
from ui.links import OpenPractice, Updates
from ui.page import persona_pickers, professionals_in
from ui.practice import PracticeTab, open_practice, start_after
from ui.view import PLAN_COLUMNS, plan_cards, plan_frame, plan_summary

__all__ = ["PrepareTab", "create_event_handlers", "create_ui"]


@dataclass
class PrepareTab:
    industry: gr.Dropdown
    persona: gr.Dropdown
    goal: gr.Textbox
    background: gr.Textbox
    minutes: gr.Slider
    make_list: gr.Button
    new_list: gr.Button
    plan_info: gr.Markdown
    plan_table: gr.Dataframe
    plan_cards: gr.HTML  # the same list as cards, shown instead of the table on a phone
    plan_number: gr.Number
    regen: gr.Button
    move_up: gr.Button
    move_down: gr.Button
    remove: gr.Button
    practise_with: gr.Button
    plan_md: gr.DownloadButton
    plan_html: gr.DownloadButton
    brief_md: gr.Markdown
    state: gr.State  # {"plan": QuestionPlan} once a list is made


def create_ui(runtime: Runtime) -> PrepareTab:
    with gr.Tab("Prepare", id="prepare"):
        state = gr.State({})
        gr.Markdown(
            "Prepare for a real conversation: a question list fitted to the time, opening with their story "
            "and ending with who else to talk to, plus a one-page brief to read first. Edit the questions "
            "in the table; each is checked again."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=260):
                industry, persona = persona_pickers(runtime.personas, elem_id="prep-persona")
                goal = gr.Textbox(
                    label="Your goal (optional)",
                    placeholder="e.g. Decide between hospital and retail pharmacy",
                    lines=2,
                    elem_id="prep-goal",
                )
                background = gr.Textbox(
                    label="Your background (optional)",
                    placeholder="e.g. Career changer from retail management",
                    elem_id="prep-background",
                )
                minutes = gr.Slider(
                    MIN_MINUTES,
                    MAX_MINUTES,
                    value=DEFAULT_MINUTES,
                    step=5,
                    label="Minutes of the real conversation",
                )
                make_list = gr.Button("Make my list", variant="primary", elem_id="make-list")
                new_list = gr.Button("New list")
            with gr.Column(scale=3, min_width=320):
                plan_info = gr.Markdown(elem_id="plan-summary")
                plan_table = gr.Dataframe(
                    headers=PLAN_COLUMNS,
                    interactive=True,
                    static_columns=[0, 1, 4, 5],
                    wrap=True,
                    column_widths=["4%", "11%", "45%", "6%", "9%", "25%"],
                    max_height=720,
                    elem_id="plan-table",
                )
                plan_cards = gr.HTML(elem_id="plan-cards")
                with gr.Row():
                    plan_number = gr.Number(label="Question #", value=1, precision=0, minimum=1, min_width=90, scale=1)
                    regen = gr.Button("Regenerate it", scale=1, min_width=110)
                    move_up = gr.Button("Move up", scale=1, min_width=90)
                    move_down = gr.Button("Move down", scale=1, min_width=90)
                    remove = gr.Button("Remove", scale=1, min_width=90, variant="stop")
                with gr.Row():
                    practise_with = gr.Button("Practise with this list", variant="primary")
                    plan_md = gr.DownloadButton("Download Markdown", interactive=False)
                    plan_html = gr.DownloadButton("Download printable page", interactive=False)
                with gr.Accordion("Research brief: read this before the call", open=False):
                    brief_md = gr.Markdown(elem_id="brief")
    return PrepareTab(
        industry=industry,
        persona=persona,
        goal=goal,
        background=background,
        minutes=minutes,
        make_list=make_list,
        new_list=new_list,
        plan_info=plan_info,
        plan_table=plan_table,
        plan_cards=plan_cards,
        plan_number=plan_number,
        regen=regen,
        move_up=move_up,
        move_down=move_down,
        remove=remove,
        practise_with=practise_with,
        plan_md=plan_md,
        plan_html=plan_html,
        brief_md=brief_md,
        state=state,
    )


def _plan_or_warn(prep: dict) -> QuestionPlan | None:
    plan = (prep or {}).get("plan")
    if plan is None:
        gr.Warning("Make a list first.")
    return plan


def _write_plan_files(plan: QuestionPlan) -> tuple[str, str]:
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"questions-{plan.persona_id}-{abs(hash(tuple(q.question for q in plan.questions))) % 10**8:08d}"
    md, page = folder / f"{stem}.md", folder / f"{stem}.html"
    md.write_text(plan.markdown(), encoding="utf-8")
    page.write_text(plan.html(), encoding="utf-8")
    return str(md), str(page)


class _Handlers:
    """The tab's event handlers. Each returns ``{component: update}``; a component left out is unchanged."""

    def __init__(self, tab: PrepareTab, runtime: Runtime, practice: PracticeTab) -> None:
        self.tab, self.runtime, self.practice = tab, runtime, practice

    def notes_for(self, persona: Persona):
        return self.runtime.store().notes_in_scope(persona.role, persona.id)

    def plan_outputs(self, plan: QuestionPlan, brief: Any = None) -> Updates:
        tab = self.tab
        md, page = _write_plan_files(plan)
        updates: Updates = {
            tab.plan_table: plan_frame(plan),
            tab.plan_cards: plan_cards(plan),
            tab.plan_info: plan_summary(plan),
            tab.plan_md: gr.update(value=md, interactive=True),
            tab.plan_html: gr.update(value=page, interactive=True),
            tab.state: {"plan": plan},
        }
        if brief is not None:
            updates[tab.brief_md] = brief
        return updates

    def on_prepare(self, persona_id: str | None, goal: str, background: str, minutes: float, prep: dict, new: bool):
        if not persona_id:
            gr.Warning("Pick a professional first.")
            return gr.skip()
        persona = self.runtime.personas.get(persona_id)
        old: QuestionPlan | None = (prep or {}).get("plan")
        same = old is not None and old.persona_id == persona_id
        variant = (old.variant + 1) if (new and same) else 0
        exclude = set(old.shown) if (new and same) else set()
        try:
            notes = self.notes_for(persona)
            plan = self.runtime.polish_questions(
                generate(
                    persona, notes, goal or "", background or "", int(minutes or DEFAULT_MINUTES), variant, exclude
                )
            )
            brief = research_brief(persona, notes, goal or "").markdown()
        except PrepareError as exc:
            gr.Warning(str(exc))
            return gr.skip()
        return self.plan_outputs(plan, brief)

    def on_plan_action(self, action: str, number: float | None, prep: dict):
        plan = _plan_or_warn(prep)
        if plan is None:
            return gr.skip()
        index = int(number or 0) - 1
        try:
            if action == "regenerate":
                persona = self.runtime.personas.get(plan.persona_id)
                regenerate_one(plan, index, persona, self.notes_for(persona))
            elif action == "up":
                move_question(plan, index, index - 1)
            elif action == "down":
                move_question(plan, index, index + 1)
            elif action == "remove":
                remove_question(plan, index)
        except (PrepareError, PersonaError) as exc:
            gr.Warning(str(exc))
            return gr.skip()
        return self.plan_outputs(plan)

    def on_plan_edit(self, frame: pd.DataFrame, prep: dict):
        """The user typed in the table: rows are matched to questions by their "#", so a deleted row
        removes its question and an added row (no "#") adds one; wording is kept and re-checked."""
        plan = _plan_or_warn(prep)
        if plan is None:
            return gr.skip()
        rows = frame.values.tolist() if isinstance(frame, pd.DataFrame) else list(frame or [])
        role = self.runtime.personas.or_placeholder(plan.persona_id).role or None
        for warning in apply_table_rows(plan, rows, role):
            gr.Warning(warning)
        return self.plan_outputs(plan)

    def on_practise_with(self, prep: dict):
        plan = (prep or {}).get("plan")
        if plan is None:
            raise gr.Error("Make a list first.", print_exception=False)  # and don't start a conversation
        persona = self.runtime.personas.get(plan.persona_id)
        gr.Info("Your list is beside the chat: choose a question to put it in the box (or type your own).")
        link = OpenPractice(
            persona,
            goal=plan.goal,
            background=plan.background,
            minutes=min(MAX_MINUTES, max(MIN_MINUTES, plan.minutes)),
            prepared=[q.question for q in plan.questions],
        )
        return open_practice(self.practice, self.runtime.personas, link)


def create_event_handlers(tab: PrepareTab, runtime: Runtime, practice: PracticeTab) -> None:
    handlers = _Handlers(tab, runtime, practice)
    on_prepare, on_plan_action = handlers.on_prepare, handlers.on_plan_action
    tab.industry.input(
        lambda i: professionals_in(runtime.personas, i), tab.industry, tab.persona, api_visibility="private"
    )
    plan_outputs_list = [tab.plan_table, tab.plan_info, tab.plan_md, tab.plan_html, tab.state, tab.plan_cards]
    prep_inputs = [tab.persona, tab.goal, tab.background, tab.minutes, tab.state]
    # The lambdas' parameters are the endpoints' parameters (/prepare, /new_list, /plan_up ...): keep them.
    tab.make_list.click(
        lambda *a: on_prepare(*a, new=False),
        prep_inputs,
        [*plan_outputs_list, tab.brief_md],
        api_name="prepare",
    )
    tab.new_list.click(
        lambda *a: on_prepare(*a, new=True), prep_inputs, [*plan_outputs_list, tab.brief_md], api_name="new_list"
    )
    for button, action in (
        (tab.regen, "regenerate"),
        (tab.move_up, "up"),
        (tab.move_down, "down"),
        (tab.remove, "remove"),
    ):
        button.click(
            lambda n, p, action=action: on_plan_action(action, n, p),
            [tab.plan_number, tab.state],
            plan_outputs_list,
            api_name=f"plan_{action}",
        )
    tab.plan_table.input(handlers.on_plan_edit, [tab.plan_table, tab.state], plan_outputs_list, api_name="plan_edit")
    opened = tab.practise_with.click(
        handlers.on_practise_with, tab.state, practice.link_outputs(), api_visibility="private"
    )
    start_after(opened, practice, runtime)
