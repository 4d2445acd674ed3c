"""Practice: ``critique``, ``ask``, ``chat``, ``report`` and ``coach``, and how they print a turn
to the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from agents.critic import Critique, critique
from agents.informant import TurnUpdate, fault_line, summarised_notice
from cli.common import Command, Subparsers, new_runtime
from core.defaults import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES
from core.errors import EXIT_FAILURE, InputError, UsageError
from knowledge.store import unique_sources

__all__ = ["COMMANDS", "cmd_ask", "cmd_chat", "cmd_coach", "cmd_critique", "cmd_report"]


# --------------------------------------------------------------------------- the terminal


def _critique_text(c: Critique) -> str:
    flags = ", ".join(f.replace("_", "-") for f in c.flags) or "no flags"
    credits = "".join(f" · +{x.replace('_', ' ')}" for x in c.earned)
    lines = [f"{c.score}/5 · {c.topic.replace('_', ' ')} · {flags}{credits}", f"  {c.feedback}"]
    if c.rewrite:
        lines.append(f"  Try: {c.rewrite}")
    return "\n".join(lines)


def _stream_to(out: TextIO, updates: Iterable[TurnUpdate]) -> TurnUpdate:
    """Print the answer as it is checked, sentence by sentence (a terminal can't take words back)."""
    printed = ""
    last = None
    for update in updates:
        last = update
        text = update.answer if update.done else update.checked
        if text.startswith(printed) and len(text) > len(printed):
            out.write(text[len(printed) :])
            out.flush()
            printed = text
    out.write("\n")
    assert last is not None
    return last


def _print_sources(out: TextIO, sources: list[dict[str, str]]) -> None:
    if sources:
        out.write("  Notes used:\n")
        for title, source in unique_sources(sources):
            out.write(f"   - {title} ({source})\n")


def _plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("### ", "")


# --------------------------------------------------------------------------- critique


def add_critique(sub: Subparsers) -> None:
    p = sub.add_parser("critique", help="judge questions: score, flags, topic, feedback, a better version")
    p.add_argument("questions", nargs="*", metavar="QUESTION")
    p.add_argument("--file", type=Path, help="read questions from a file, one per line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="one JSON object per line, in input order")


def _stdin_lines(stdin: TextIO) -> list[str]:
    text = stdin.read()
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # bytes that were not UTF-8 (surrogateescape)
        raise UsageError("standard input is not UTF-8 text. Fix: re-save it as UTF-8, or pass --file PATH.")
    return text.splitlines()


def _read_questions(args: argparse.Namespace, stdin: TextIO) -> list[str]:
    lines: list[str] = list(args.questions)
    if args.file is not None:
        if str(args.file) == "-":
            lines += _stdin_lines(stdin)
        else:
            if not args.file.is_file():
                raise UsageError(f"{args.file}: no such file. Fix: check the path, or pass questions as arguments.")
            try:
                lines += args.file.read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError as exc:
                raise UsageError(f"{args.file}: not UTF-8 text. Fix: re-save it as UTF-8.") from exc
    elif not lines and not stdin.isatty():
        lines = _stdin_lines(stdin)
    questions = [q.strip() for q in lines if q.strip()]
    if not questions:
        raise UsageError(
            'no question given. Fix: informant critique "What is your typical day like?" (or --file PATH, or stdin)'
        )
    return questions


def cmd_critique(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    for question in _read_questions(args, stdin):
        c = critique(question)
        if args.json:
            out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        else:
            out.write(f"{question}\n{_critique_text(c)}\n\n")
    return 0


# --------------------------------------------------------------------------- ask


def add_ask(sub: Subparsers) -> None:
    p = sub.add_parser("ask", help="ask one question of a persona")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("--persona", required=True, help="persona id (see `informant personas`)")
    p.add_argument("--background", default="", help="a line about you, e.g. 'ten years teaching maths'")
    p.add_argument("--goal", default="", help="what you want to learn, in a sentence")
    p.add_argument("--json", action="store_true", help="print {answer, sources, critique}")


def cmd_ask(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    runtime = new_runtime()
    persona = runtime.personas.get(args.persona)
    informant = runtime.informant()
    conversation = informant.start(persona, args.goal, background=args.background)
    if args.json:
        turn = informant.ask(conversation, args.question, read_ahead=False)
        payload = {"answer": turn.answer, "sources": turn.sources, "critique": turn.critique.to_dict()}
        if turn.partial:
            payload.update(partial=True, error=turn.error)
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        last = _stream_to(out, informant.stream(conversation, args.question, read_ahead=False))
        turn = last.turn
        assert turn is not None
        _print_sources(out, turn.sources)
        out.write("\nFeedback on your question: " + _critique_text(last.critique) + "\n")
    runtime.sessions().save_turn(conversation, turn)
    if turn.partial:
        sys.stderr.write(f"informant: {fault_line(turn)}\n")
        return EXIT_FAILURE
    return 0


# --------------------------------------------------------------------------- chat


def add_chat(sub: Subparsers) -> None:
    p = sub.add_parser("chat", help="practise a conversation in the terminal")
    p.add_argument("--persona", help="persona id (see `informant personas`); not needed with --resume")
    p.add_argument("--goal", default="", help="what you want to learn, in a sentence")
    p.add_argument("--background", default="", help="a line about you, e.g. 'ten years teaching maths'")
    p.add_argument("--name", default="", help="your first name, as you'd introduce yourself")
    p.add_argument("--resume", metavar="ID", help="continue a saved session (see `informant sessions`)")
    p.add_argument(
        "--minutes",
        type=int,
        default=DEFAULT_MINUTES,
        help=f"how long the real conversation is (default {DEFAULT_MINUTES})",
    )


def cmd_chat(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    runtime = new_runtime()
    sessions = runtime.sessions()
    if args.resume:
        conversation = sessions.resume(args.resume)
        persona = conversation.persona
    elif args.persona:
        persona = runtime.personas.get(args.persona)
        conversation = None
    else:
        raise UsageError("say who to talk to. Fix: informant chat --persona ID (or --resume ID)")
    out.write(f"Loading {runtime.settings.describe()} …\n")
    informant = runtime.informant()
    if conversation is None:
        if not MIN_MINUTES <= args.minutes <= MAX_MINUTES:
            raise UsageError(f"--minutes must be between {MIN_MINUTES} and {MAX_MINUTES}")
        conversation = informant.start(persona, args.goal, args.minutes, args.name, args.background)
    informant.warm_in_background(conversation)
    out.write(f"\nYou are talking to {persona.name}, {persona.title}. Type a question; /end for your summary.\n\n")
    if conversation.turns:
        out.write(f"(Resuming session {conversation.session_id}: {len(conversation.turns)} question(s) so far.)\n")
    else:
        out.write(f"{persona.name}: {informant.greeting(persona, conversation.minutes)}\n")
    while True:
        out.write("\nYou: ")
        out.flush()
        line = stdin.readline()
        if not line or line.strip() in {"/end", "/quit", "/exit"}:
            break
        if not line.strip():
            out.write("(Type a question, or /end to finish.)\n")
            continue
        summarised_before = conversation.summarised
        try:
            out.write(f"\n{persona.name}: ")
            last = _stream_to(out, informant.stream(conversation, line))
        except InputError as exc:
            out.write(f"({exc})\n")
            continue
        assert last.turn is not None
        sessions.save_turn(conversation, last.turn)
        _print_sources(out, last.turn.sources)
        if conversation.summarised > summarised_before:
            out.write(f"  ({summarised_notice(conversation)})\n")
        if last.turn.partial:
            out.write(f"  ({fault_line(last.turn)} Your conversation is kept.)\n")
        out.write("\nFeedback: " + _critique_text(last.critique) + "\n")
    from agents.coach import build_report

    report = build_report(conversation.turns, persona, conversation.goal, conversation.minutes)
    out.write("\n" + _plain(report.markdown()) + "\n")
    if conversation.session_id:
        sessions.end(conversation.session_id)
        out.write(f"\nSaved as session {conversation.session_id} (informant export {conversation.session_id}).\n")
    return 0


# --------------------------------------------------------------------------- report


def add_report(sub: Subparsers) -> None:
    p = sub.add_parser("report", help="the coach's report on a session: scores, coverage, time, improvements")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--session", metavar="ID", help="a saved session (see `informant sessions`)")
    source.add_argument("--transcript", type=Path, metavar="PATH", help="a session exported as JSON")
    p.add_argument("--json", action="store_true")


def _report_for(args: argparse.Namespace):
    from agents.coach import build_report
    from agents.sessions import SessionExport

    if args.transcript is None:
        return new_runtime().sessions().get(args.session).report()
    if not args.transcript.is_file():
        raise UsageError(f"{args.transcript}: no such file. Fix: export one with `informant export ID --format json`.")
    try:
        export = SessionExport.model_validate_json(args.transcript.read_bytes())
    except ValidationError as exc:
        raise UsageError(
            f"{args.transcript}: not a Mock Informant JSON export. Fix: export it with --format json."
        ) from exc
    persona = new_runtime().personas.get(str(export.persona.get("id")))
    return build_report(export.turns, persona, export.goal, export.minutes)


def cmd_report(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    report = new_runtime().polish_report(_report_for(args))
    out.write(
        (json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else _plain(report.markdown())) + "\n"
    )
    return 0


# --------------------------------------------------------------------------- coach


def add_coach(sub: Subparsers) -> None:
    p = sub.add_parser("coach", help='ask the coach about a session, e.g. "why did Q3 get 2/5?"')
    p.add_argument("--session", required=True, metavar="ID")
    p.add_argument("question", metavar="QUESTION")


def cmd_coach(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.coach import ask_coach

    out.write(ask_coach(new_runtime().sessions().get(args.session).report(), args.question) + "\n")
    return 0


COMMANDS: dict[str, Command] = {
    "critique": Command(add_critique, cmd_critique),
    "ask": Command(add_ask, cmd_ask),
    "chat": Command(add_chat, cmd_chat),
    "report": Command(add_report, cmd_report),
    "coach": Command(add_coach, cmd_coach),
}
