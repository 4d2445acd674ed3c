"""What the informants are and know: ``personas``, ``ingest``, ``sources``, ``forget``, and
``persona`` (create one from a bio, or delete it)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from cli.common import Command, Parser, Subparsers, new_runtime
from core.errors import UsageError
from knowledge.personas import roles

__all__ = ["COMMANDS", "cmd_forget", "cmd_ingest", "cmd_persona", "cmd_personas", "cmd_sources"]


# --------------------------------------------------------------------------- personas


def add_personas(sub: Subparsers) -> None:
    p = sub.add_parser("personas", help="list the informants you can talk to")
    p.add_argument("--json", action="store_true")


def cmd_personas(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    personas = new_runtime().personas.all()
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


# --------------------------------------------------------------------------- ingest


def add_ingest(sub: Subparsers) -> None:
    p = sub.add_parser("ingest", help="add your own notes: .md, .txt, .pdf, .docx, .html")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--role", default="", help="only for this role's informants (see `informant personas`)")


def cmd_ingest(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    store = new_runtime().store()

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


# --------------------------------------------------------------------------- sources


def add_sources(sub: Subparsers) -> None:
    p = sub.add_parser("sources", help="list the sources in the knowledge base")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include the built-in notes")
    p.add_argument("--show", metavar="SOURCE", help="print what the informants read from this source")


def cmd_sources(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if args.show:
        for note in new_runtime().store().kept_text(args.show):
            out.write(f"## {note.title}\n\n{note.text}\n\n")
        return 0
    rows = [r for r in new_runtime().store().sources() if args.all or r["origin"] == "yours"]
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


# --------------------------------------------------------------------------- forget


def add_forget(sub: Subparsers) -> None:
    p = sub.add_parser("forget", help="remove one of your sources from the knowledge base")
    p.add_argument("source", metavar="SOURCE", help="its name as `informant sources` lists it")


def cmd_forget(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    removed = new_runtime().store().forget(args.source)
    out.write(f"Forgot {args.source} ({removed} chunks).\n")
    return 0


# --------------------------------------------------------------------------- persona


def add_persona(sub: Subparsers) -> None:
    p = sub.add_parser("persona", help="make a persona of someone you are about to meet, from their bio")
    psub = p.add_subparsers(dest="action", required=True, parser_class=Parser)
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


def cmd_persona(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from agents.custom_persona import create_persona, delete_persona

    runtime = new_runtime()
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


COMMANDS: dict[str, Command] = {
    "personas": Command(add_personas, cmd_personas),
    "ingest": Command(add_ingest, cmd_ingest),
    "sources": Command(add_sources, cmd_sources),
    "forget": Command(add_forget, cmd_forget),
    "persona": Command(add_persona, cmd_persona),
}
