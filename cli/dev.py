"""For developers and the app: ``eval`` (the evaluation suites), ``bench`` (speed and memory) and
``serve`` (the browser app)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from cli.common import Command, Subparsers, new_runtime
from core.errors import UsageError
from core.settings import get_settings
from knowledge.personas import get_persona, load_personas

__all__ = ["COMMANDS", "cmd_bench", "cmd_eval", "cmd_serve"]


# --------------------------------------------------------------------------- eval


def add_eval(sub: Subparsers) -> None:
    p = sub.add_parser("eval", help="run the evaluation suites on a model; prints a table, writes a JSON report")
    p.add_argument("--model", help="smollm2-135m, qwen2.5-0.5b, qwen2.5-1.5b, the configured endpoint's model, or fake")
    p.add_argument(
        "--suite",
        nargs="+",
        metavar="NAME",
        help="groundedness persona relevance critic retrieval questions (default), injection, realism, agreement",
    )
    p.add_argument(
        "--split",
        choices=["dev", "holdout", "fresh"],
        default="dev",
        help="the realism, agreement and injection suites' split (default dev)",
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
        split=args.split,
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", report["model"])
    path = harness.write(report, args.out or settings.home / "evals" / f"eval-{name}-{stamp}.json")
    if args.json:
        out.write(json.dumps({k: v for k, v in report.items() if k != "turns"}, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(harness.table(report) + f"\n\nReport (with every answer and verdict): {path}\n")
    return 0


# --------------------------------------------------------------------------- bench


def add_bench(sub: Subparsers) -> None:
    p = sub.add_parser(
        "bench", help="measure turn latency, the naive baseline, concurrency, retrieval, ingestion, start-up and memory"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes in chunks")
    p.add_argument("--levels", type=int, nargs="+", default=[1, 4, 8], help="conversations at once")
    p.add_argument("--no-startup", action="store_true", help="skip starting a fresh app process")
    p.add_argument("--out", type=Path, help="also write the JSON here")
    p.add_argument(
        "--markdown", type=Path, metavar="REPORT.json", help="print the docs/benchmark.md table of a saved run"
    )


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
    settings = new_runtime().settings
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


# --------------------------------------------------------------------------- serve


def add_serve(sub: Subparsers) -> None:
    p = sub.add_parser("serve", help="run the browser app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("INFORMANT_PORT", "7860")))


def cmd_serve(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    try:
        get_settings().check_listen(args.host)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    from app import launch

    launch(host=args.host, port=args.port)
    return 0


COMMANDS: dict[str, Command] = {
    "eval": Command(add_eval, cmd_eval),
    "bench": Command(add_bench, cmd_bench),
    "serve": Command(add_serve, cmd_serve),
}
