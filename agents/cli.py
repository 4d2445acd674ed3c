"""The ``informant`` command: practise, critique, ask, ingest, serve. Scriptable.

Bad input prints one line on stderr naming the fix and exits 2; a model or provider failure
exits 1. Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from agents.critic import Critique, critique
from agents.informant import TurnUpdate, fault_line, summarised_notice
from core.errors import EXIT_FAILURE, EXIT_USAGE, InformantError, InputError, UsageError, exit_code
from core.settings import get_settings, redact
from knowledge.personas import get_persona, load_personas, roles
from knowledge.store import unique_sources


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for every other bad input
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="informant", description="Practise informational interviews with an AI professional.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("critique", help="judge questions: score, flags, topic, feedback, a better version")
    p.add_argument("questions", nargs="*", metavar="QUESTION")
    p.add_argument("--file", type=Path, help="read questions from a file, one per line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="one JSON object per line, in input order")

    p = sub.add_parser("ask", help="ask one question of a persona")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("--persona", required=True, help="persona id (see `informant personas`)")
    p.add_argument("--json", action="store_true", help="print {answer, sources, critique}")

    p = sub.add_parser("chat", help="practise a conversation in the terminal")
    p.add_argument("--persona", help="persona id (see `informant personas`); not needed with --resume")
    p.add_argument("--goal", default="", help="what you want to learn, in a sentence")
    p.add_argument("--resume", metavar="ID", help="continue a saved session (see `informant sessions`)")
    p.add_argument("--minutes", type=int, default=25, help="how long the real conversation is (default 25)")

    p = sub.add_parser("report", help="the coach's report on a session: scores, coverage, time, improvements")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--session", metavar="ID", help="a saved session (see `informant sessions`)")
    source.add_argument("--transcript", type=Path, metavar="PATH", help="a session exported as JSON")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("coach", help='ask the coach about a session, e.g. "why did Q3 get 2/5?"')
    p.add_argument("--session", required=True, metavar="ID")
    p.add_argument("question", metavar="QUESTION")

    p = sub.add_parser("sessions", help="list saved practice sessions (and show, rename, delete one)")
    p.add_argument("--json", action="store_true", help="a JSON list of {id, persona, started, turns, score, ...}")
    ssub = p.add_subparsers(dest="action", parser_class=_Parser)
    q = ssub.add_parser("show", help="print one session's transcript with feedback")
    q.add_argument("id")
    q = ssub.add_parser("delete", help="delete a session")
    q.add_argument("id")
    q = ssub.add_parser("rename", help="give a session a title")
    q.add_argument("id")
    q.add_argument("title", nargs="+")

    p = sub.add_parser("export", help="export a session as Markdown or JSON")
    p.add_argument("id")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")

    p = sub.add_parser("import", help="import a session exported as JSON")
    p.add_argument("path", type=Path)

    p = sub.add_parser("personas", help="list the informants you can talk to")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ingest", help="add your own notes: .md, .txt, .pdf, .docx, .html")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--role", default="", help="only for this role's informants (see `informant personas`)")

    p = sub.add_parser("sources", help="list the sources in the knowledge base")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include the built-in notes")

    p = sub.add_parser("forget", help="remove one of your sources from the knowledge base")
    p.add_argument("source", metavar="SOURCE", help="its name as `informant sources` lists it")

    p = sub.add_parser("persona", help="make a persona of someone you are about to meet, from their bio")
    psub = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    q = psub.add_parser(
        "create", help="build a persona from a pasted bio or a bio file (.txt, .md, .pdf, .docx, .html)"
    )
    q.add_argument("--role", required=True, help="the closest built-in role, e.g. data-scientist")
    q.add_argument("--bio", help="the bio text")
    q.add_argument("--bio-file", type=Path, help="a file holding the bio")
    q.add_argument("--name", help="their name (else taken from the bio)")
    q.add_argument("--title", help="their job title (else taken from the bio)")
    q.add_argument("--temperament", choices=["warm", "busy", "sceptical"], default="warm")
    q = psub.add_parser("delete", help="delete a persona you made")
    q.add_argument("id")

    p = sub.add_parser("questions", help="prepare a question list for a real conversation, fitted to the time")
    p.add_argument("--persona", required=True, help="persona id (see `informant personas`)")
    p.add_argument("--goal", default="", help="what you want to learn, in a sentence")
    p.add_argument("--background", default="", help="a line about you, e.g. 'career changer from retail'")
    p.add_argument("--minutes", type=int, default=30, help="length of the real conversation (default 30)")
    p.add_argument("--variant", type=int, default=0, help="another list for the same inputs (1, 2, …)")
    p.add_argument("--html", action="store_true", help="print a printable HTML page instead of Markdown")
    p.add_argument("--json", action="store_true", help="print {questions: [{question, topic, minutes, why}], …}")

    p = sub.add_parser("brief", help="a one-page research brief on a persona's role, each point with its source")
    p.add_argument("--persona", required=True, help="persona id (see `informant personas`)")
    p.add_argument("--goal", default="", help="what you want to learn (ranks the points)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("thank-you", help="draft the thank-you note from a saved session")
    p.add_argument("--session", required=True, help="session id (see `informant sessions`)")
    p.add_argument("--name", default="", help="your name, to sign the note")
    p.add_argument("--next-step", default="", help="what you will do next, e.g. 'shadow a nurse this month'")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", help="run the evaluation suites on a model; prints a table, writes a JSON report")
    p.add_argument("--model", help="smollm2-135m, qwen2.5-0.5b, qwen2.5-1.5b, the configured endpoint's model, or fake")
    p.add_argument(
        "--suite",
        nargs="+",
        metavar="NAME",
        help="groundedness persona relevance critic retrieval questions (default), injection",
    )
    p.add_argument(
        "--personas", nargs="+", metavar="ID", help="personas the simulated seekers talk to ('all' for every one)"
    )
    p.add_argument("--seekers", nargs="+", metavar="ID", help="curious rambling job_hunter character_breaker")
    p.add_argument("--turns", type=int, help="at most this many turns per conversation")
    p.add_argument("--quick", action="store_true", help="one persona, two seekers, four turns each")
    p.add_argument("--judge", action="store_true", help="with OpenAI or a compatible server: add a judge model")
    p.add_argument("--json", action="store_true", help="print the JSON report instead of the table")
    p.add_argument("--out", type=Path, help="write the JSON report here (default INFORMANT_HOME/evals/…)")

    p = sub.add_parser(
        "bench", help="measure turn latency, the naive baseline, concurrency, retrieval, ingestion, start-up and memory"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes in chunks")
    p.add_argument("--levels", type=int, nargs="+", default=[1, 4, 8], help="conversations at once")
    p.add_argument("--no-startup", action="store_true", help="skip starting a fresh app process")
    p.add_argument("--out", type=Path, help="also write the JSON here")
    p.add_argument("--markdown", type=Path, metavar="REPORT.json", help="print the README table of a saved run")

    p = sub.add_parser("serve", help="run the browser app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("INFORMANT_PORT", "7860")))
    return parser


# --------------------------------------------------------------------------- helpers


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


def _critique_text(c: Critique) -> str:
    flags = ", ".join(f.replace("_", "-") for f in c.flags) or "no flags"
    credits = "".join(f" · +{x.replace('_', ' ')}" for x in c.earned)
    lines = [f"{c.score}/5 · {c.topic.replace('_', ' ')} · {flags}{credits}", f"  {c.feedback}"]
    if c.rewrite:
        lines.append(f"  Try: {c.rewrite}")
    return "\n".join(lines)


def _settings_or_none():
    """The settings, or None when they are themselves what failed (for redacting an error)."""
    try:
        return get_settings()
    except ValidationError:
        return None


def _runtime():
    from agents.runtime import Runtime

    return Runtime(get_settings())


def _stream_to(out: TextIO, updates: Iterable[TurnUpdate]) -> TurnUpdate:
    printed = ""
    last = None
    for update in updates:
        last = update
        if update.answer.startswith(printed) and len(update.answer) > len(printed):
            out.write(update.answer[len(printed) :])
            out.flush()
            printed = update.answer
    out.write("\n")
    assert last is not None
    return last


def _print_sources(out: TextIO, sources: list[dict[str, str]]) -> None:
    if sources:
        out.write("  Notes used:\n")
        for title, source in unique_sources(sources):
            out.write(f"   - {title} ({source})\n")


# --------------------------------------------------------------------------- commands


def cmd_critique(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    for question in _read_questions(args, stdin):
        c = critique(question)
        if args.json:
            out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        else:
            out.write(f"{question}\n{_critique_text(c)}\n\n")
    return 0


def cmd_personas(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    personas = _runtime().personas.all()
    if args.json:
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "title": p.title,
                "industry": p.industry,
                "role": p.role,
                "seniority": p.seniority,
                "temperament": p.temperament,
            }
            for p in personas.values()
        ]
        out.write(json.dumps(rows, indent=2) + "\n")
        return 0
    for p in sorted(personas.values(), key=lambda p: (p.industry, p.role)):
        out.write(f"{p.id:<22} {p.name}, {p.title} ({p.industry}; {p.seniority}, {p.temperament})\n")
    return 0


def cmd_ask(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    runtime = _runtime()
    persona = runtime.personas.get(args.persona)
    informant = runtime.informant()
    conversation = informant.start(persona)
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


def cmd_chat(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    runtime = _runtime()
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
        if not 5 <= args.minutes <= 120:
            raise UsageError("--minutes must be between 5 and 120")
        conversation = informant.start(persona, args.goal, args.minutes)
    informant.warm_in_background(conversation)
    out.write(f"\nYou are talking to {persona.name}, {persona.title}. Type a question; /end for your summary.\n\n")
    if conversation.turns:
        out.write(f"(Resuming session {conversation.session_id}: {len(conversation.turns)} question(s) so far.)\n")
    else:
        out.write(f"{persona.name}: {informant.greeting(persona)}\n")
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


def _session_line(row: dict) -> str:
    score = "–" if row["score"] is None else f"{row['score']:.1f}"
    return (
        f"{row['id']}  {row['started'][:16].replace('T', ' ')}  {row['turns']:>2} q  score {score:>3}  {row['title']}"
    )


def cmd_sessions(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    store = _runtime().sessions()
    if args.action == "show":
        out.write(store.export_markdown(args.id))
        return 0
    if args.action == "delete":
        store.delete(args.id)
        out.write(f"Deleted session {args.id}.\n")
        return 0
    if args.action == "rename":
        store.rename(args.id, " ".join(args.title))
        out.write(f"Renamed session {args.id}.\n")
        return 0
    rows = [r.row() for r in store.list()]
    if args.json:
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif not rows:
        out.write("No sessions yet. Start one: informant chat --persona ID (or in the browser: make run)\n")
    else:
        out.write("\n".join(_session_line(r) for r in rows) + "\n")
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    store = _runtime().sessions()
    if args.format == "json":
        text = json.dumps(store.export_json(args.id), indent=2, ensure_ascii=False) + "\n"
    else:
        text = store.export_markdown(args.id)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output} ({exc.strerror}). Fix: choose a writable path.") from exc
        out.write(f"Wrote {args.output}\n")
    else:
        out.write(text)
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if not args.path.is_file():
        raise UsageError(f"{args.path}: no such file. Fix: check the path.")
    session_id = _runtime().sessions().import_json(args.path.read_bytes())
    out.write(f"Imported as session {session_id}.\n")
    return 0


def cmd_ingest(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    store = _runtime().store()

    def progress(n: int, total: int, name: str) -> None:
        out.write(f"[{n}/{total}] {name}\n")
        out.flush()

    extra = {}
    if args.role:
        if args.role not in roles():
            raise UsageError(f"unknown role '{args.role}'. Fix: use one of: {', '.join(sorted(roles()))}")
        extra = {"role": args.role, "industry": roles()[args.role][0]}
    result = store.ingest_user_files(args.paths, progress, extra)
    out.write(result.summary() + "\n")
    return 0


def _plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("### ", "")


def _report_for(args: argparse.Namespace):
    from agents.coach import build_report
    from agents.sessions import SessionExport

    if args.transcript is None:
        return _runtime().sessions().get(args.session).report()
    if not args.transcript.is_file():
        raise UsageError(f"{args.transcript}: no such file. Fix: export one with `informant export ID --format json`.")
    try:
        export = SessionExport.model_validate_json(args.transcript.read_bytes())
    except ValidationError as exc:
        raise UsageError(
            f"{args.transcript}: not a Mock Informant JSON export. Fix: export it with --format json."
        ) from exc
    persona = _runtime().personas.get(str(export.persona.get("id")))
    return build_report(export.turns, persona, export.goal, export.minutes)


def cmd_report(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    report = _runtime().polish_report(_report_for(args))
    out.write(
        (json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else _plain(report.markdown())) + "\n"
    )
    return 0


def cmd_coach(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.coach import ask_coach

    out.write(ask_coach(_runtime().sessions().get(args.session).report(), args.question) + "\n")
    return 0


def cmd_sources(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    rows = [r for r in _runtime().store().sources() if args.all or r["origin"] == "yours"]
    if args.json:
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif not rows:
        out.write("No sources of your own yet. Add some: informant ingest FILE (.md .txt .pdf .docx .html)\n")
    else:
        for r in rows:
            scope = r["persona"] or r["role"] or "all informants"
            out.write(
                f"{r['source']:<40} {r['type']:<5} {r['chunks']:>4} chunks  {r['added'][:10]}  ({r['origin']}; {scope})\n"
            )
    return 0


def cmd_forget(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    removed = _runtime().store().forget(args.source)
    out.write(f"Forgot {args.source} ({removed} chunks).\n")
    return 0


def cmd_persona(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.custom_persona import create_persona, delete_persona

    runtime = _runtime()
    if args.action == "delete":
        delete_persona(runtime.store(), runtime.personas, args.id)
        out.write(f"Deleted persona {args.id}.\n")
        return 0
    if bool(args.bio) == bool(args.bio_file):
        raise UsageError("give the bio with --bio TEXT or --bio-file PATH (one of them)")
    persona = create_persona(
        runtime.store(),
        runtime.personas,
        role=args.role,
        bio=args.bio,
        bio_file=args.bio_file,
        name=args.name,
        title=args.title,
        temperament=args.temperament,
    )
    out.write(
        f"Created persona {persona.id}: {persona.name}, {persona.title}. Practise: informant chat --persona {persona.id}\n"
    )
    return 0


def cmd_questions(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.prepare import generate, validate_inputs

    validate_inputs(args.minutes, args.goal, args.background)  # before loading anything
    if args.variant < 0:
        raise UsageError("--variant must be 0 or more")
    runtime = _runtime()
    persona = runtime.personas.get(args.persona)
    notes = runtime.store().notes_in_scope(persona.role, persona.id)
    plan = runtime.polish_questions(generate(persona, notes, args.goal, args.background, args.minutes, args.variant))
    if args.json:
        out.write(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write((plan.html() if args.html else plan.markdown()) + "\n")
    return 0


def cmd_brief(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.prepare import research_brief

    runtime = _runtime()
    persona = runtime.personas.get(args.persona)
    notes = runtime.store().notes_in_scope(persona.role, persona.id)
    brief = research_brief(persona, notes, args.goal)
    out.write((json.dumps(brief.to_dict(), indent=2, ensure_ascii=False) if args.json else brief.markdown()) + "\n")
    return 0


def cmd_thank_you(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    runtime = _runtime()
    note = runtime.thank_you(args.session, name=args.name, next_step=args.next_step)
    if args.json:
        out.write(json.dumps(note.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(f"{note.text}\n\n({note.due()})\n")
    return 0


def cmd_eval(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from datetime import UTC, datetime

    from agents.models import LOCAL_MODELS
    from evals import harness

    suites = tuple(args.suite or harness.DEFAULT_SUITES)  # the injection suite runs when named
    unknown = [s for s in suites if s not in harness.SUITES]
    if unknown:
        raise UsageError(f"unknown suite {unknown[0]!r}; choose from {', '.join(harness.SUITES)}")
    personas = tuple(args.personas or (harness.DEFAULT_PERSONAS[:1] if args.quick else harness.DEFAULT_PERSONAS))
    if personas == ("all",):
        personas = tuple(sorted(load_personas()))  # the built-in ones
    for pid in personas:
        get_persona(pid)  # an unknown persona fails here, before a model loads
    seeker_ids = [s["id"] for s in harness.load_seekers()]
    seekers = tuple(args.seekers or (("curious", "character_breaker") if args.quick else seeker_ids))
    if set(seekers) - set(seeker_ids):
        raise UsageError(f"unknown seeker; choose from {', '.join(seeker_ids)}")
    turns = args.turns if args.turns is not None else (4 if args.quick else None)
    if turns is not None and turns < 1:
        raise UsageError("--turns must be at least 1")
    settings = get_settings()
    if (
        args.model
        and args.model not in LOCAL_MODELS
        and args.model != "fake"
        and settings.resolved_provider != "openai"
    ):
        raise UsageError(
            f"unknown model {args.model!r}: use one of {', '.join(LOCAL_MODELS)}, fake, or set OPENAI_BASE_URL / "
            "OPENAI_API_KEY for a served model"
        )
    if args.judge and settings.resolved_provider != "openai":
        sys.stderr.write("informant: note: --judge needs OpenAI or a compatible server; running without a judge\n")
    report = harness.run(
        args.model,
        suites,
        personas,
        seekers,
        turns,
        judge=args.judge,
        progress=lambda m: sys.stderr.write(f"  {m}\n"),
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", report["model"])
    path = harness.write(report, args.out or settings.home / "evals" / f"eval-{name}-{stamp}.json")
    if args.json:
        out.write(json.dumps({k: v for k, v in report.items() if k != "turns"}, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(harness.table(report) + f"\n\nReport (with every answer and verdict): {path}\n")
    return 0


def cmd_bench(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from evals import bench

    if args.markdown:
        try:
            saved = json.loads(args.markdown.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(
                f"{args.markdown}: not a saved bench report ({exc}). Fix: informant bench --out FILE"
            ) from exc
        out.write(bench.results_markdown(saved) + "\n")
        return 0
    if any(size < 100 for size in args.sizes):
        raise UsageError("--sizes must be at least 100 chunks each")
    if any(not 1 <= level <= 32 for level in args.levels):
        raise UsageError("--levels must be between 1 and 32 conversations")
    settings = _runtime().settings
    if settings.resolved_provider != "local":
        raise UsageError(
            "informant bench measures the embedded local model. Fix: unset OPENAI_* and INFORMANT_PROVIDER."
        )

    def progress(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    result = bench.run(settings, tuple(args.sizes), tuple(args.levels), progress=progress, startup=not args.no_startup)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.write((json.dumps(result) if args.json else bench.format_report(result)) + "\n")
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    try:
        get_settings().check_listen(args.host)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    from app import launch

    launch(host=args.host, port=args.port)
    return 0


COMMANDS = {
    "critique": cmd_critique,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "personas": cmd_personas,
    "ingest": cmd_ingest,
    "sources": cmd_sources,
    "forget": cmd_forget,
    "persona": cmd_persona,
    "sessions": cmd_sessions,
    "export": cmd_export,
    "import": cmd_import,
    "questions": cmd_questions,
    "brief": cmd_brief,
    "thank-you": cmd_thank_you,
    "eval": cmd_eval,
    "bench": cmd_bench,
    "report": cmd_report,
    "coach": cmd_coach,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = out or sys.stdout
    stdin = stdin or sys.stdin
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args, out, stdin)
    except InformantError as exc:  # one line naming the fix; core.errors says which exit code
        sys.stderr.write(f"informant: error: {exc}\n")
        return exit_code(exc)
    except KeyboardInterrupt:
        sys.stderr.write("informant: interrupted\n")
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except ValidationError as exc:  # a bad INFORMANT_* / OPENAI_* setting
        first = exc.errors()[0]
        name = "INFORMANT_" + str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        sys.stderr.write(f"informant: error: {name} is invalid ({first['msg']}). Fix: correct or unset it.\n")
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - never a traceback; say what failed
        detail = " ".join(redact(f"{type(exc).__name__}: {exc}", _settings_or_none()).split())  # one line, no secrets
        sys.stderr.write(f"informant: error: {detail}\n")
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
