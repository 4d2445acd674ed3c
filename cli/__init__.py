"""The ``informant`` command line. ``dispatch`` builds the parser and maps errors to exit codes; the
commands live by concept: ``practice`` (critique, ask, chat, report, coach), ``sessions``
(sessions, export, import, thank-you), ``knowledge`` (personas, ingest, sources, forget, persona),
``prepare`` (questions, brief) and ``dev`` (eval, bench, serve). Each module declares a command's
options next to its code."""

from cli.dispatch import build_parser, main

__all__ = ["build_parser", "main"]
