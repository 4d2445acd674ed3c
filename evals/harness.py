"""The eval harness: every suite, on any model, in one run; a table on screen and a JSON report.

    informant eval [--model NAME] [--suite NAME ...] [--personas ID ...] [--quick] [--json] [--out FILE]

Suites (cases are data files in this folder):
- groundedness, persona, relevance: simulated seekers (``seekers.yaml``) hold whole conversations
  (10+ turns) with each persona in the run, through the real informant (Chroma retrieval, the real
  prompts); the answers are judged by the evaluators in ``evaluators.py``. The groundedness suite
  also reports how the support threshold does against the hand labels (``grounding_labels.yaml``)
  and, with ``--judge`` and a capable configured model, the judge's agreement with those labels;
- critic: flag precision/recall and topic accuracy on the labelled questions (dev and held-out
  sets), and the coach's session scores against the labelled sessions;
- retrieval: recall@5 and MRR on the labelled queries;
- questions: the prepare issue's checks on question lists (``question_list_cases.yaml``);
- injection: notes, uploads, a bio or the seeker try to give the informant instructions
  (``injection_cases.yaml``); each answer must stay in character and ignore them. Not in a run
  without ``--suite`` (``DEFAULT_SUITES``) when the caller uses that default.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from core.settings import Settings
from evals.injection import score_injection, suite_injection
from evals.suites import (
    SuiteReport,
    TurnRecord,
    suite_critic,
    suite_groundedness,
    suite_persona,
    suite_questions,
    suite_relevance,
    suite_retrieval,
)

__all__ = [
    "CONVERSATION_SUITES",
    "DEFAULT_PERSONAS",
    "DEFAULT_SUITES",
    "MODEL_SUITES",
    "SUITES",
    "build_model",
    "converse",
    "load_seekers",
    "main",
    "rescore",
    "results_markdown",
    "run",
    "table",
    "write",
]

EVALS_DIR = Path(__file__).parent
SEEKERS = EVALS_DIR / "seekers.yaml"
SUITES = (
    "groundedness",
    "persona",
    "relevance",
    "critic",
    "retrieval",
    "questions",
    "injection",
    "realism",
    "agreement",
)
# What a run does when no suite is named: the injection, realism and agreement suites run only when asked for.
DEFAULT_SUITES = tuple(s for s in SUITES if s not in ("injection", "realism", "agreement"))
CONVERSATION_SUITES = {"groundedness", "persona", "relevance"}
MODEL_SUITES = CONVERSATION_SUITES | {"injection", "realism"}
# One persona per temperament, junior to executive, in three industries.
DEFAULT_PERSONAS = ("marcus-bell", "deborah-asante", "robert-lindqvist")


# --------------------------------------------------------------------------- conversations


def load_seekers(path: Path = SEEKERS) -> list[dict[str, Any]]:
    seekers = yaml.safe_load(path.read_text(encoding="utf-8"))["seekers"]
    for s in seekers:
        if not s.get("id") or not s.get("turns"):
            raise ValueError(f"{path.name}: every seeker needs an id and turns")
        for t in s["turns"]:
            if "ask" not in t:
                raise ValueError(f"{path.name}: seeker {s['id']}: every turn needs `ask`")
            unknown = set(t.get("expect", [])) - {"declines_job", "stays_in_character", "admits_gap"}
            if unknown:
                raise ValueError(f"{path.name}: seeker {s['id']}: unknown expectation {sorted(unknown)}")
    return seekers


def _question(turn: dict[str, Any], role: str, last_answer: str) -> str:
    if turn.get("follow_up") and last_answer:
        from agents.coach import key_phrase

        phrase = key_phrase(last_answer)
        if phrase:
            return turn["follow_up"].replace("{phrase}", phrase)
    return " ".join(turn["ask"].replace("{role}", role).split())


def converse(
    informant: Any, store: Any, persona: Any, seeker: dict[str, Any], turns: int | None = None
) -> list[TurnRecord]:
    """One whole conversation between a simulated seeker and ``persona``."""
    from knowledge.personas import roles

    role = roles().get(persona.role, ("", persona.title))[1].lower() or persona.title
    conversation = informant.start(persona)
    informant.warm(conversation)
    records: list[TurnRecord] = []
    last_answer = ""
    for n, spec in enumerate(seeker["turns"][:turns], 1):
        question = _question(spec, role, last_answer)
        turn = informant.ask(conversation, question)
        ids = [s["id"] for s in turn.sources if s.get("id")]
        texts = store.collection.get(ids=ids, include=["documents"])["documents"] if ids else []
        records.append(
            TurnRecord(
                persona=persona.id,
                temperament=persona.temperament,
                seeker=seeker["id"],
                n=n,
                question=question,
                answer=turn.answer,
                notes=" ".join([*texts, persona.story]),
                expect=list(spec.get("expect", [])),
                probe=bool(spec.get("probe")),
                ttft_s=turn.ttft_s,
                total_s=turn.total_s,
            )
        )
        last_answer = turn.answer
    return records


# --------------------------------------------------------------------------- the run


def build_model(name: str | None) -> tuple[Any, Any]:
    """(model, settings) for a local model name, the configured endpoint, or ``fake``."""
    import agents.models as models
    from agents.models import LOCAL_MODELS, FakeChatModel, build_chat_model
    from core.settings import get_settings

    settings = get_settings()
    if name == "fake" or (name is None and settings.resolved_provider == "fake"):
        return FakeChatModel(), settings.model_copy(update={"provider": "fake"})
    if name in LOCAL_MODELS or (name is None and settings.resolved_provider == "local"):
        settings = settings.model_copy(update={"provider": "local", "model": name or settings.model})
    elif name:
        settings = settings.model_copy(update={"model": name})
    models.ALLOW_MODEL_REQUESTS = True
    model = build_chat_model(settings)
    if hasattr(model, "load"):
        model.load()
    return model, settings


def run(
    model_name: str | None = None,
    suites: tuple[str, ...] = DEFAULT_SUITES,
    personas: tuple[str, ...] = DEFAULT_PERSONAS,
    seekers: tuple[str, ...] | None = None,
    turns: int | None = None,
    judge: bool = False,
    model: Any = None,
    progress: Callable[[str], None] | None = None,
    split: str = "dev",
) -> dict[str, Any]:
    from agents.informant import Informant
    from core.settings import get_settings
    from knowledge.personas import get_persona
    from knowledge.retrieval import Retriever
    from knowledge.store import NoteStore

    say = progress or (lambda _m: None)
    started = time.perf_counter()
    settings = get_settings()
    store = NoteStore(settings.chroma_dir, settings.chroma_host, settings.chroma_port)
    store.ingest_builtin()
    reports: list[SuiteReport] = []
    speed: dict[str, Any] = {}
    label = model_name or settings.describe()
    records: list[TurnRecord] = []
    injection: list[dict[str, Any]] = []
    realism: list[dict[str, Any]] = []
    if MODEL_SUITES & set(suites) and model is None:
        say(f"loading {label} …")
        model, settings = build_model(model_name)
        label = settings.describe()

    def informant_for(notes: Any) -> Informant:
        return Informant(
            model,
            Retriever(notes, k=settings.retrieval_k),
            settings=settings,
            use_tools=settings.resolved_provider == "openai",
            context_tokens=settings.context_tokens,
        )

    if CONVERSATION_SUITES & set(suites):
        informant = informant_for(store)
        chosen = [s for s in load_seekers() if not seekers or s["id"] in seekers]
        for pid in personas:
            persona = get_persona(pid)
            for seeker in chosen:
                t0 = time.perf_counter()
                records += converse(informant, store, persona, seeker, turns)
                say(f"{pid} × {seeker['id']}: {time.perf_counter() - t0:.0f} s")
        ttft = [r.ttft_s for r in records if r.ttft_s is not None]
        total = [r.total_s for r in records if r.total_s is not None]
        speed = {
            "turns": len(records),
            "conversations": len(personas) * len(chosen),
            "ttft_s_p50": round(statistics.median(ttft), 2) if ttft else None,
            "turn_s_p50": round(statistics.median(total), 2) if total else None,
        }
    judge_model = model if judge and settings.resolved_provider == "openai" else None
    for suite in suites:
        t0 = time.perf_counter()
        if suite == "groundedness":
            report = suite_groundedness(records, judge_model)
        elif suite == "persona":
            report = suite_persona(records)
        elif suite == "relevance":
            report = suite_relevance(records)
        elif suite == "critic":
            report = suite_critic()
        elif suite == "retrieval":
            report = suite_retrieval(store)
        elif suite == "questions":
            report = suite_questions(store)
        elif suite == "injection":
            # Every case of the split (the red-team cases use many personas) unless personas were named.
            named = None if personas == DEFAULT_PERSONAS else personas
            report, injection = suite_injection(informant_for, named, progress=say, split=split)
        elif suite == "realism":
            from agents.runtime import Runtime
            from evals.realism import suite_realism

            report, realism = suite_realism(Runtime(settings, model=model), split, progress=say)
        elif suite == "agreement":
            from agents.models.fake import FakeChatModel
            from agents.runtime import Runtime
            from evals.agreement import known_then, suite_agreement

            report, _rows = suite_agreement(split, known=known_then(Runtime(settings, model=FakeChatModel())))
        else:
            raise ValueError(f"unknown suite {suite!r}; choose from {', '.join(SUITES)}")
        report.seconds = round(time.perf_counter() - t0, 1)
        reports.append(report)
        say(f"{suite}: {report.seconds} s")
    return {
        "model": label,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "personas": list(personas) if records else [],
        "seekers": sorted({r.seeker for r in records}),
        "speed": speed,
        "suites": {r.suite: {"metrics": r.metrics, "failures": r.failures[:50], "seconds": r.seconds} for r in reports},
        "turns": [asdict(r) for r in records],
        "injection": injection,
        "realism": realism,
        "seconds": round(time.perf_counter() - started, 1),
    }


def rescore(report: dict[str, Any]) -> dict[str, Any]:
    """Judge a saved report's conversations again with the current evaluators (no model needed)."""
    records = [TurnRecord(**{**t, "results": []}) for t in report["turns"]]
    suites = {
        "groundedness": lambda: suite_groundedness(records),
        "persona": lambda: suite_persona(records),
        "relevance": lambda: suite_relevance(records),
    }
    for name, make in suites.items():
        if name in report["suites"]:
            fresh = make()
            report["suites"][name] = {
                "metrics": fresh.metrics,
                "failures": fresh.failures[:50],
                "seconds": fresh.seconds,
            }
    if "injection" in report["suites"] and report.get("injection"):
        fresh = score_injection(report["injection"])
        report["suites"]["injection"] = {"metrics": fresh.metrics, "failures": fresh.failures[:50], "seconds": 0.0}
    if "realism" in report["suites"] and report.get("realism"):
        from agents.models.fake import FakeChatModel
        from agents.runtime import Runtime
        from evals.realism import rejudge

        informant = Runtime(Settings(), model=FakeChatModel()).informant()
        fresh = rejudge(report["realism"], lambda p: informant.known(informant.start(p)))
        report["suites"]["realism"] = {"metrics": fresh.metrics, "failures": fresh.failures[:50], "seconds": 0.0}
    report["turns"] = [asdict(r) for r in records]
    return report


def table(report: dict[str, Any]) -> str:
    lines = [f"Model: {report['model']}  ({report['date']}, {report['seconds']} s)"]
    if report["speed"]:
        s = report["speed"]
        lines.append(
            f"Conversations: {s['conversations']} ({s['turns']} turns; personas {', '.join(report['personas'])}; "
            f"seekers {', '.join(report['seekers'])}); TTFT p50 {s['ttft_s_p50']} s, turn p50 {s['turn_s_p50']} s"
        )
    for name, suite in report["suites"].items():
        lines.append("")
        lines.append(f"{name} ({suite['seconds']} s)")
        for key, value in suite["metrics"].items():
            lines.append(f"  {key:<40} {value}")
        for failure in suite["failures"][:5]:
            lines.append(f"  ✗ {failure[:160]}")
        if len(suite["failures"]) > 5:
            lines.append(f"  … {len(suite['failures']) - 5} more in the JSON report")
    return "\n".join(lines)


def write(report: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- RESULTS.md

RESULT_ROWS = [
    ("groundedness", "supported_claims", "claims supported by the turn's notes"),
    ("groundedness", "answers_fully_grounded", "answers with every claim supported"),
    ("persona", "first_person", "speaks in the first person"),
    ("persona", "in_character", "never says it is an AI or shows its instructions"),
    ("persona", "declines_job", "declines job, interview and referral requests"),
    ("persona", "admits_gap", "admits not knowing (company revenue)"),
    ("persona", "temperament", "keeps its temperament's length"),
    ("persona", "in_role_turns_1_5", "in role, turns 1–5"),
    ("persona", "in_role_turns_6_plus", "in role, turns 6+ (drift)"),
    ("relevance", "relevant", "answer closest to its own question"),
]


def results_markdown(reports: list[dict[str, Any]], machine: str) -> str:
    """The table in evals/RESULTS.md: one column per model, from saved JSON reports."""
    names = [r["model"] for r in reports]
    lines = [
        "| measure | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for suite, key, label in RESULT_ROWS:
        values = [r["suites"].get(suite, {}).get("metrics", {}).get(key) for r in reports]
        lines.append(f"| {label} | " + " | ".join("–" if v is None else f"{v:.2f}" for v in values) + " |")
    for key, label in (("ttft_s_p50", "time to first token, p50 (s)"), ("turn_s_p50", "whole turn, p50 (s)")):
        lines.append(f"| {label} | " + " | ".join(str(r["speed"].get(key, "–")) for r in reports) + " |")
    lines.append("| turns judged | " + " | ".join(str(r["speed"].get("turns", "–")) for r in reports) + " |")
    first = reports[0]
    dates = sorted({r["date"][:10] for r in reports})
    lines.append("")
    lines.append(
        f"Run on {', '.join(dates)} on {machine}; personas {', '.join(first['personas'])}; "
        f"seekers {', '.join(first['seekers'])}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """python -m evals.harness [--rescore] REPORT.json ... : print the RESULTS.md model table
    (with --rescore, judge the saved conversations again with the current evaluators first)."""
    import sys

    args = list(argv if argv is not None else sys.argv[1:])
    again = "--rescore" in args
    paths = [Path(p) for p in args if p != "--rescore"]
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    if again:
        reports = [rescore(r) for r in reports]
        for path, report in zip(paths, reports, strict=True):
            write(report, path)
    print(results_markdown(reports, "a 2-core AMD EPYC x86_64 VM with 24 GB and no GPU"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
