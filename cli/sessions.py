"""Saved sessions: ``sessions`` (list, show, rename, delete), ``export``, ``import``, and the
``thank-you`` note drafted from one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from cli.common import Command, Parser, Subparsers, new_runtime
from core.errors import UsageError

__all__ = ["COMMANDS", "cmd_export", "cmd_import", "cmd_sessions", "cmd_thank_you"]


# --------------------------------------------------------------------------- sessions


def add_sessions(sub: Subparsers) -> None:
    p = sub.add_parser("sessions", help="list saved practice sessions (and show, rename, delete one)")
    p.add_argument("--json", action="store_true", help="a JSON list of {id, persona, started, turns, score, ...}")
    ssub = p.add_subparsers(dest="action", parser_class=Parser)
    q = ssub.add_parser("show", help="print one session's transcript with feedback")
    q.add_argument("id")
    q = ssub.add_parser("delete", help="delete a session")
    q.add_argument("id")
    q = ssub.add_parser("rename", help="give a session a title")
    q.add_argument("id")
    q.add_argument("title", nargs="+")


def _session_line(row: dict) -> str:
    score = "–" if row["score"] is None else f"{row['score']:.1f}"
    return (
        f"{row['id']}  {row['started'][:16].replace('T', ' ')}  {row['turns']:>2} q  score {score:>3}  {row['title']}"
    )


def cmd_sessions(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    store = new_runtime().sessions()
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


# --------------------------------------------------------------------------- export


def add_export(sub: Subparsers) -> None:
    p = sub.add_parser("export", help="export a session as Markdown or JSON")
    p.add_argument("id")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")


def cmd_export(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    store = new_runtime().sessions()
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


# --------------------------------------------------------------------------- import


def add_import(sub: Subparsers) -> None:
    p = sub.add_parser("import", help="import a session exported as JSON")
    p.add_argument("path", type=Path)


def cmd_import(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if not args.path.is_file():
        raise UsageError(f"{args.path}: no such file. Fix: check the path.")
    session_id = new_runtime().sessions().import_json(args.path.read_bytes())
    out.write(f"Imported as session {session_id}.\n")
    return 0


# --------------------------------------------------------------------------- thank-you


def add_thank_you(sub: Subparsers) -> None:
    p = sub.add_parser("thank-you", help="draft the thank-you note from a saved session")
    p.add_argument("--session", required=True, help="session id (see `informant sessions`)")
    p.add_argument("--name", default="", help="your name, to sign the note")
    p.add_argument("--next-step", default="", help="what you will do next, e.g. 'shadow a nurse this month'")
    p.add_argument("--json", action="store_true")


def cmd_thank_you(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    runtime = new_runtime()
    note = runtime.thank_you(args.session, name=args.name, next_step=args.next_step)
    if args.json:
        out.write(json.dumps(note.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(f"{note.text}\n\n({note.due()})\n")
    return 0


COMMANDS: dict[str, Command] = {
    "sessions": Command(add_sessions, cmd_sessions),
    "export": Command(add_export, cmd_export),
    "import": Command(add_import, cmd_import),
    "thank-you": Command(add_thank_you, cmd_thank_you),
}
