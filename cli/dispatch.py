"""The ``informant`` command: practise, critique, ask, ingest, serve. Scriptable.

Bad input prints one line on stderr naming the fix and exits 2; a model or provider failure
exits 1. Never a traceback. This module builds the parser from the command modules, runs the
command, and is the one place errors become exit codes (``core.errors`` says which).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from pydantic import ValidationError

from cli import dev, knowledge, practice, prepare, sessions
from cli.common import Command, Handler, Parser
from core.errors import EXIT_FAILURE, EXIT_USAGE, InformantError, exit_code
from core.settings import get_settings, redact

__all__ = ["COMMANDS", "ORDER", "build_parser", "main"]

# Every command, in the order `informant --help` lists them.
ORDER = (
    "critique",
    "ask",
    "chat",
    "report",
    "coach",
    "sessions",
    "export",
    "import",
    "personas",
    "ingest",
    "sources",
    "forget",
    "persona",
    "questions",
    "brief",
    "thank-you",
    "eval",
    "bench",
    "serve",
)
_DEFINED: dict[str, Command] = {
    **practice.COMMANDS,
    **sessions.COMMANDS,
    **knowledge.COMMANDS,
    **prepare.COMMANDS,
    **dev.COMMANDS,
}
assert sorted(_DEFINED) == sorted(ORDER), "every command module's commands are listed in ORDER, once"
# Which function runs each command.
COMMANDS: dict[str, Handler] = {name: _DEFINED[name].run for name in ORDER}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="informant", description="Practise informational interviews with an AI professional.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in ORDER:
        _DEFINED[name].add_parser(sub)
    return parser


def _settings_or_none():
    """The settings, or None when they are themselves what failed (for redacting an error)."""
    try:
        return get_settings()
    except ValidationError:
        return None


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
