"""Changing a list: regenerate, edit (also as a table), move or remove a question, and a capable
model's rewording."""

from __future__ import annotations

import math
import re
from typing import Any

from agents.coach import checked_rewording
from agents.critic import TOPIC_LABELS, critique
from agents.prepare.candidates import bank, fact, note_candidates
from agents.prepare.plan import FLOW, NEAR_DUPLICATE, PlannedQuestion, QuestionPlan
from agents.prepare.select import embed
from core.errors import PrepareError
from knowledge.personas import Persona
from knowledge.store import Note

__all__ = ["apply_table_rows", "edit_question", "move_question", "polish_plan", "regenerate_one", "remove_question"]


def regenerate_one(plan: QuestionPlan, index: int, persona: Persona, notes: list[Note]) -> QuestionPlan:
    """Replace question ``index`` (0-based) with a new one on the same topic, never one shown before."""
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    old = plan.questions[index]
    used = {fact(q) for q in plan.shown} | {fact(q.question) for q in plan.questions}
    has_pay = any(q.topic == "compensation" for q in plan.questions)
    pool = [
        c
        for c in bank(persona, plan.background) + note_candidates(notes, plan.variant)
        if fact(c.question) not in used and (c.topic != "compensation" or has_pay)
    ]
    pool = [c for c in pool if c.specific or not critique(c.question, persona.role).flags]
    others = [q.question for i, q in enumerate(plan.questions) if i != index]
    same_topic = [c for c in pool if c.topic == old.topic]
    candidates = same_topic or ([] if old.topic == "networking" else [c for c in pool if c.topic != "networking"])
    if not candidates:
        raise PrepareError(f"no other question on {TOPIC_LABELS[old.topic]} is left; edit this one instead.")
    vectors = embed([c.question for c in candidates] + others) if others else None
    best = None
    for i, c in enumerate(candidates):
        near = vectors is not None and any(
            float(vectors[i] @ vectors[len(candidates) + j]) >= NEAR_DUPLICATE for j in range(len(others))
        )
        if not near and (old.specific == c.specific or best is None):
            best = c
            if old.specific == c.specific:
                break
    if best is None:
        raise PrepareError("every other question would repeat one already in the list; edit this one instead.")
    plan.questions[index] = best.planned(old.minutes, old.priority)
    plan.shown = sorted(set(plan.shown) | {best.question})
    return plan


def edit_question(plan: QuestionPlan, index: int, text: str, role: str | None = None) -> QuestionPlan:
    """The user's own wording: kept as written, re-judged so the page can warn about a flag."""
    text = " ".join((text or "").split())
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    if not text:
        raise PrepareError("a question can't be empty; remove it instead.")
    if len(text) > 400:
        raise PrepareError("keep a question under 400 characters (keep any preamble short).")
    q = plan.questions[index]
    if text != q.question:
        c = critique(text, role)
        q.question, q.flags, q.specific, q.source = text, list(c.flags), False, ""
        q.topic = c.topic if c.topic in FLOW else q.topic
        q.why = "Your wording." + (f" The critic flags: {', '.join(c.flags)}." if c.flags else "")
    return plan


def move_question(plan: QuestionPlan, index: int, to: int) -> QuestionPlan:
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    to = max(0, min(len(plan.questions) - 1, to))
    plan.questions.insert(to, plan.questions.pop(index))
    return plan


def remove_question(plan: QuestionPlan, index: int) -> QuestionPlan:
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    plan.questions.pop(index)
    return plan


def polish_plan(plan: QuestionPlan, model: Any, role: str | None = None) -> QuestionPlan:
    """A capable model rewords the bank questions for the goal and background; kept only if the critic
    still finds no flag and the wording stays short. Note questions keep their exact note text."""
    if not (plan.goal or plan.background):
        return plan
    from prompts import render

    for q in plan.questions:
        if q.specific or q.topic == "networking" or q.flags:
            continue
        prompt = render("prepare", "tailor_question", question=q.question, goal=plan.goal, background=plan.background)
        q.question = checked_rewording(model, prompt, role) or q.question
    return plan


def apply_table_rows(plan: QuestionPlan, rows: list[list], role: str | None = None) -> list[str]:
    """The user edited the list as a table (columns ``#, Topic, Question, Min, Check, Why``): rows are matched
    to questions by their "#", so a deleted row removes its question and an added row (no "#") adds one; a
    question's wording is kept and re-checked (``edit_question``), its minutes kept within 1-30.

    Edits ``plan`` in place; returns the warnings to show (a refused wording keeps the old one).
    """

    def cell(row: list, i: int) -> str:
        value = row[i] if len(row) > i else None
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

    warnings: list[str] = []
    kept: list[PlannedQuestion] = []
    old = list(plan.questions)
    for row in rows:
        text, number = cell(row, 2), cell(row, 0)
        try:
            minutes = max(1, min(30, int(float(cell(row, 3)))))
        except ValueError:
            minutes = 3
        index = int(float(number)) - 1 if re.fullmatch(r"\d+(?:\.0)?", number) else -1
        if 0 <= index < len(old) and old[index] not in kept:
            q = old[index]
            if text:
                try:
                    edit_question(plan, index, text, role)  # the plan still holds ``old``: this edits q
                except PrepareError as exc:
                    warnings.append(f"Question {index + 1}: {exc}")
            q.minutes = minutes
            kept.append(q)
        elif text:  # a row the user added
            c = critique(text, role)
            kept.append(PlannedQuestion(text, c.topic, minutes, "Your question.", len(kept) + 1, flags=c.flags))
    plan.questions = kept
    return warnings
