"""Before a real conversation: ``questions`` (a question list fitted to the time) and ``brief`` (a
research brief on the persona's role)."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from cli.common import Command, Subparsers, new_runtime
from core.defaults import DEFAULT_MINUTES
from core.errors import UsageError

__all__ = ["COMMANDS", "cmd_brief", "cmd_questions"]


# --------------------------------------------------------------------------- questions


def add_questions(sub: Subparsers) -> None:
    p = sub.add_parser("questions", help="prepare a question list for a real conversation, fitted to the time")
    p.add_argument("--persona", required=True, help="persona id (see `informant personas`)")
    p.add_argument("--goal", default="", help="what you want to learn, in a sentence")
    p.add_argument("--background", default="", help="a line about you, e.g. 'career changer from retail'")
    p.add_argument(
        "--minutes",
        type=int,
        default=DEFAULT_MINUTES,
        help=f"length of the real conversation (default {DEFAULT_MINUTES})",
    )
    p.add_argument("--variant", type=int, default=0, help="another list for the same inputs (1, 2, …)")
    p.add_argument("--html", action="store_true", help="print a printable HTML page instead of Markdown")
    p.add_argument("--json", action="store_true", help="print {questions: [{question, topic, minutes, why}], …}")


def cmd_questions(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.prepare import generate, validate_inputs

    validate_inputs(args.minutes, args.goal, args.background)  # before loading anything
    if args.variant < 0:
        raise UsageError("--variant must be 0 or more")
    runtime = new_runtime()
    persona = runtime.personas.get(args.persona)
    notes = runtime.store().notes_in_scope(persona.role, persona.id)
    plan = runtime.polish_questions(generate(persona, notes, args.goal, args.background, args.minutes, args.variant))
    if args.json:
        out.write(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write((plan.html() if args.html else plan.markdown()) + "\n")
    return 0


# --------------------------------------------------------------------------- brief


def add_brief(sub: Subparsers) -> None:
    p = sub.add_parser("brief", help="a one-page research brief on a persona's role, each point with its source")
    p.add_argument("--persona", required=True, help="persona id (see `informant personas`)")
    p.add_argument("--goal", default="", help="what you want to learn (ranks the points)")
    p.add_argument("--json", action="store_true")


def cmd_brief(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.prepare import research_brief

    runtime = new_runtime()
    persona = runtime.personas.get(args.persona)
    notes = runtime.store().notes_in_scope(persona.role, persona.id)
    brief = research_brief(persona, notes, args.goal)
    out.write((json.dumps(brief.to_dict(), indent=2, ensure_ascii=False) if args.json else brief.markdown()) + "\n")
    return 0


COMMANDS: dict[str, Command] = {
    "questions": Command(add_questions, cmd_questions),
    "brief": Command(add_brief, cmd_brief),
}
