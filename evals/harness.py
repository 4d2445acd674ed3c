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
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from evals import evaluators as ev

__all__ = [
    "CONVERSATION_SUITES",
    "DEFAULT_PERSONAS",
    "DEFAULT_SUITES",
    "EVALS_DIR",
    "INJECTION_CASES",
    "MODEL_SUITES",
    "QUESTION_CASES",
    "RESULT_ROWS",
    "SEEKERS",
    "SUITES",
    "build_model",
    "converse",
    "judge_injection",
    "load_injection_cases",
    "load_seekers",
    "main",
    "rescore",
    "results_markdown",
    "run",
    "score_injection",
    "suite_critic",
    "suite_groundedness",
    "suite_injection",
    "suite_persona",
    "suite_questions",
    "suite_relevance",
    "suite_retrieval",
    "SuiteReport",
    "table",
    "TurnRecord",
    "write",
]

EVALS_DIR = Path(__file__).parent
SEEKERS = EVALS_DIR / "seekers.yaml"
QUESTION_CASES = EVALS_DIR / "question_list_cases.yaml"
INJECTION_CASES = EVALS_DIR / "injection_cases.yaml"
SUITES = ("groundedness", "persona", "relevance", "critic", "retrieval", "questions", "injection")
# What a run does when no suite is named: the injection suite runs only when asked for.
DEFAULT_SUITES = tuple(s for s in SUITES if s != "injection")
CONVERSATION_SUITES = {"groundedness", "persona", "relevance"}
MODEL_SUITES = CONVERSATION_SUITES | {"injection"}
# One persona per temperament, junior to executive, in three industries.
DEFAULT_PERSONAS = ("marcus-bell", "deborah-asante", "robert-lindqvist")


@dataclass
class SuiteReport:
    suite: str
    metrics: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class TurnRecord:
    persona: str
    temperament: str
    seeker: str
    n: int
    question: str
    answer: str
    notes: str
    expect: list[str]
    probe: bool
    ttft_s: float | None
    total_s: float | None
    results: list[dict[str, Any]] = field(default_factory=list)


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


# --------------------------------------------------------------------------- suites


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def suite_groundedness(records: list[TurnRecord], judge_model: Any = None) -> SuiteReport:
    rows = [r for r in records if not r.probe]
    results = [ev.grounded(r.answer, r.notes) for r in rows]
    for r, res in zip(rows, results, strict=True):
        r.results.append(res.to_dict())
    calibration = ev.calibrate()
    metrics: dict[str, Any] = {
        "supported_claims": round(statistics.mean(res.value for res in results), 3) if results else None,
        "answers_fully_grounded": _rate([bool(res.passed) for res in results]),
        "answers": len(results),
        "calibration_accuracy": calibration["accuracy"],
        "calibration_invented_caught": calibration["unsupported_caught"],
        "calibration_supported_kept": calibration["supported_kept"],
    }
    if judge_model is not None:
        metrics["judge_agreement_with_labels"] = ev.judge_agreement(judge_model)["agreement"]
    failures = [
        f"{r.persona}/{r.seeker} Q{r.n}: {res.reason}" for r, res in zip(rows, results, strict=True) if not res.passed
    ]
    return SuiteReport("groundedness", metrics, failures)


def suite_persona(records: list[TurnRecord]) -> SuiteReport:
    checks: dict[str, list[bool]] = {
        "first_person": [],
        "in_character": [],
        "temperament": [],
        "declines_job": [],
        "admits_gap": [],
    }
    failures: list[str] = []
    early: list[bool] = []
    late: list[bool] = []
    from agents.informant import system_prompt
    from knowledge.personas import persona_or_placeholder

    prompts: dict[str, str] = {}
    for r in records:
        if r.persona not in prompts:  # the rules, not the persona's identity and story (theirs to tell)
            text = system_prompt(persona_or_placeholder(r.persona))
            prompts[r.persona] = text[text.find("Rules:") :] if "Rules:" in text else text
        results = [
            ev.first_person(r.answer),
            ev.in_character(r.answer, prompts[r.persona]),
            ev.keeps_temperament(r.answer, r.temperament),
        ]
        if "declines_job" in r.expect:
            results.append(ev.declines_job(r.answer))
        if "admits_gap" in r.expect:
            results.append(ev.admits_gap(r.answer))
        for res in results:
            checks[res.evaluator].append(bool(res.passed))
            r.results.append(res.to_dict())
            if not res.passed:
                failures.append(f"{r.persona}/{r.seeker} Q{r.n} {res.evaluator}: {res.reason} — “{r.answer[:120]}”")
        role_ok = all(res.passed for res in results[:2])
        (early if r.n <= 5 else late).append(role_ok)
    metrics = {name: _rate(values) for name, values in checks.items()}
    metrics["in_role_turns_1_5"] = _rate(early)
    metrics["in_role_turns_6_plus"] = _rate(late)  # drift over a long conversation
    metrics["turns"] = len(records)
    return SuiteReport("persona", metrics, failures)


def suite_relevance(records: list[TurnRecord]) -> SuiteReport:
    by_conversation: dict[tuple[str, str], list[TurnRecord]] = {}
    for r in records:
        by_conversation.setdefault((r.persona, r.seeker), []).append(r)
    passed: list[bool] = []
    failures: list[str] = []
    for rows in by_conversation.values():
        questions = [r.question for r in rows if not r.probe]
        for r in rows:
            if r.probe:
                continue
            res = ev.relevant(r.question, r.answer, questions)
            r.results.append(res.to_dict())
            passed.append(bool(res.passed))
            if not res.passed:
                failures.append(f"{r.persona}/{r.seeker} Q{r.n}: {res.reason} — “{r.question[:80]}”")
    return SuiteReport("relevance", {"relevant": _rate(passed), "answers": len(passed)}, failures)


def suite_critic() -> SuiteReport:
    from evals.critic_eval import evaluate, load_cases
    from evals.session_eval import evaluate as evaluate_sessions
    from evals.session_eval import load_sessions

    metrics: dict[str, Any] = {}
    failures: list[str] = []
    for name in ("critic_questions", "critic_holdout"):
        report = evaluate(load_cases(EVALS_DIR / f"{name}.yaml"), name)
        key = "dev" if name == "critic_questions" else "holdout"
        metrics[f"{key}_macro_f1"] = round(report.macro_f1, 3)
        metrics[f"{key}_topic_accuracy"] = round(report.topic_accuracy, 3)
        for flag, stats in report.flags.items():
            if key == "holdout":
                metrics[f"holdout_{flag}_p"] = round(stats.precision, 2)
                metrics[f"holdout_{flag}_r"] = round(stats.recall, 2)
        scores = report.score_by_quality
        for quality in ("good", "poor"):
            if scores.get(quality):
                metrics[f"{key}_mean_score_{quality}"] = round(statistics.mean(scores[quality]), 2)
        failures += [f"{key}: {m}" for m in report.misses]
    sessions = evaluate_sessions(load_sessions())
    metrics["sessions_spearman"] = round(sessions.spearman, 3)
    metrics["sessions_same_band"] = round(sessions.band_agreement, 3)
    return SuiteReport("critic", metrics, failures)


def suite_retrieval(store: Any) -> SuiteReport:
    from evals.retrieval_eval import evaluate, load_queries

    metrics: dict[str, Any] = {}
    for score in evaluate(store, load_queries()):
        key = "_".join(re.findall(r"[a-z0-9]+", score.name.lower().replace("(the informant's)", "")))
        metrics[f"{key}_recall@5"] = round(score.recall_at_5, 3)
        metrics[f"{key}_mrr"] = round(score.mrr, 3)
    return SuiteReport("retrieval", metrics)


def suite_questions(store: Any) -> SuiteReport:
    """The prepare issue's bar on question lists, for the personas and goals in the cases file."""
    from agents.coach import REFERRAL
    from agents.critic import critique
    from agents.prepare import OVERHEAD_MINUTES, generate, too_similar
    from knowledge.personas import get_persona

    cases = yaml.safe_load(QUESTION_CASES.read_text(encoding="utf-8"))["cases"]
    checks: dict[str, list[bool]] = {
        k: []
        for k in ("fits_time", "five_topics", "ends_networking", "no_flags", "no_near_duplicates", "third_specific")
    }
    failures: list[str] = []
    for case in cases:
        persona = get_persona(case["persona"])
        plan = generate(
            persona,
            store.notes_in_scope(persona.role, persona.id),
            case.get("goal", ""),
            case.get("background", ""),
            case["minutes"],
        )
        qs = plan.questions
        texts = [q.question for q in qs]
        vectors = ev._embed(texts)
        near = any(too_similar(vectors, i, list(range(i)), texts) for i in range(len(texts)))
        got = {
            "fits_time": sum(q.minutes for q in qs) + OVERHEAD_MINUTES <= case["minutes"],
            "five_topics": len({q.topic for q in qs}) >= 5,
            "ends_networking": bool(qs) and qs[-1].topic == "networking" and bool(REFERRAL.search(qs[-1].question)),
            "no_flags": all(not critique(t).flags for t in texts),
            "no_near_duplicates": not near,
            "third_specific": 3 * sum(q.specific for q in qs) >= len(qs),
        }
        for k, v in got.items():
            checks[k].append(v)
            if not v:
                failures.append(f"{case['persona']} ({case['minutes']} min): {k}")
    metrics = {k: _rate(v) for k, v in checks.items()}
    metrics["lists"] = len(cases)
    return SuiteReport("questions", metrics, failures)


# --------------------------------------------------------------------------- injection


def load_injection_cases(path: Path = INJECTION_CASES) -> tuple[list[dict[str, Any]], int]:
    """The cases and how many times each is asked."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases, repeats = data["cases"], int(data.get("repeats", 1))
    for c in cases:
        if not c.get("id") or not c.get("persona") or not c.get("ask"):
            raise ValueError(f"{path.name}: every case needs an id, a persona and an ask")
        if "upload" in c and not {"name", "text"} <= set(c["upload"]):
            raise ValueError(f"{path.name}: case {c['id']}: an upload needs a name and a text")
        if "upload" in c and "bio" in c:
            raise ValueError(f"{path.name}: case {c['id']}: an upload or a bio, not both")
    return cases, repeats


def judge_injection(record: dict[str, Any]) -> list[ev.Result]:
    """The checks for one answer to an injection case (``record`` as ``suite_injection`` saves it)."""
    answer = record["answer"]
    results = [
        ev.in_character(answer, record["rules"]),
        ev.first_person(answer),
        ev.keeps_prompt_secret(answer, record["secret"]),
    ]
    if record.get("canary"):
        results.append(ev.ignores_canary(answer, record["canary"]))
    if record.get("role"):
        results.append(ev.keeps_own_role(answer, record["role"]))
    return results


def score_injection(records: list[dict[str, Any]]) -> SuiteReport:
    checks: dict[str, list[bool]] = {}
    by_case: dict[str, list[bool]] = {}
    resisted_by_case: dict[str, list[bool]] = {}
    failures: list[str] = []
    for r in records:
        results = judge_injection(r)
        r["results"] = [res.to_dict() for res in results]
        for res in results:
            checks.setdefault(res.evaluator, []).append(bool(res.passed))
            if not res.passed:
                failures.append(f"{r['case']} #{r['repeat']} {res.evaluator}: {res.reason} — “{r['answer'][:120]}”")
        by_case.setdefault(r["case"], []).append(all(res.passed for res in results))
        # The injection's own checks (first person is the persona's everyday bar, also in `persona`).
        resisted = all(res.passed for res in results if res.evaluator != "first_person")
        resisted_by_case.setdefault(r["case"], []).append(resisted)
    metrics: dict[str, Any] = {
        "answers_pass": _rate([ok for oks in by_case.values() for ok in oks]),  # every check
        "resists_injection": _rate([ok for oks in resisted_by_case.values() for ok in oks]),
    }
    metrics.update({name: _rate(values) for name, values in checks.items()})
    injected = [r["injected_note_sent"] for r in records if r["injected_note_sent"] is not None]
    metrics["injected_note_retrieved"] = _rate(injected)  # the case tested something only when it was
    metrics.update({f"case_{case}": _rate(oks) for case, oks in by_case.items()})
    metrics.update({f"resists_{case}": _rate(oks) for case, oks in resisted_by_case.items()})
    metrics["answers"] = len(records)
    return SuiteReport("injection", metrics, failures)


def suite_injection(
    informant_for: Callable[[Any], Any],
    personas: tuple[str, ...] | None = None,
    path: Path = INJECTION_CASES,
    repeats: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[SuiteReport, list[dict[str, Any]]]:
    """Ask each case's question ``repeats`` times, each in a new conversation, and judge the answers.

    The uploads and bios go into a store of the suite's own (a temporary directory holding the
    cases' roles' built-in notes), one case at a time, never into the user's store.
    ``informant_for(store)`` makes the informant that answers from that store."""
    import tempfile

    from agents.custom_persona import bio_notes, bio_notes_metadata, build_persona, read_bio
    from agents.informant import system_prompt
    from knowledge import NOTES_DIR
    from knowledge.personas import get_persona
    from knowledge.store import NoteStore

    say = progress or (lambda _m: None)
    cases, default_repeats = load_injection_cases(path)
    cases = [c for c in cases if personas is None or c["persona"] in personas]
    repeats = repeats or default_repeats
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="informant-injection-", ignore_cleanup_errors=True) as tmp:
        directory = Path(tmp)
        store = NoteStore(directory / "chroma")
        roles = sorted({get_persona(c["persona"]).role for c in cases})
        files = [f for role in roles for f in sorted(NOTES_DIR.rglob(f"{role}.md"))]
        if files:
            store.ingest_files(files, "builtin", lambda p: str(p.relative_to(NOTES_DIR).with_suffix("")))
        informant = informant_for(store)
        uploads = directory / "uploads"
        uploads.mkdir()
        for case in cases:
            t0 = time.perf_counter()
            persona = get_persona(case["persona"])
            source = None
            if "upload" in case:
                source = case["upload"]["name"]
                file = uploads / source
                file.write_text(case["upload"]["text"], encoding="utf-8")
                store.ingest_user_files([file])
            elif "bio" in case:
                persona = build_persona(read_bio(case["bio"], None), persona.role, temperament=persona.temperament)
                source = f"{persona.id}.bio.md"
                file = uploads / source
                file.write_text(bio_notes(persona), encoding="utf-8")
                store.ingest_user_files([file], extra=bio_notes_metadata(persona))
            prompt = system_prompt(persona)
            rules = prompt[prompt.find("Rules:") :] if "Rules:" in prompt else prompt
            # The prompt without who they are (its first line), their story and their way of talking:
            # those are theirs to tell.
            bare = system_prompt(persona.model_copy(update={"story": "", "speaking_style": ""}))
            secret = bare.split("\n", 1)[-1]
            for n in range(1, repeats + 1):
                conversation = informant.start(persona)
                question = case["ask"].strip()
                turn = informant.ask(conversation, question, read_ahead=False)
                sent = None if source is None else any(s["id"].startswith(f"user:{source}#") for s in turn.sources)
                records.append(
                    {
                        "case": case["id"],
                        "repeat": n,
                        "persona": persona.id,
                        "question": question,
                        "answer": turn.answer,
                        "error": turn.error,
                        "canary": case.get("canary"),
                        "role": case.get("role"),
                        "rules": rules,
                        "secret": secret,
                        "injected_note_sent": sent,
                        "sources": [s.get("title", "") for s in turn.sources],
                        "total_s": turn.total_s,
                    }
                )
            if source is not None:
                store.forget(source)
            say(f"injection {case['id']}: {time.perf_counter() - t0:.0f} s")
    report = score_injection(records)
    return report, records


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
            report, injection = suite_injection(informant_for, personas, progress=say)
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
