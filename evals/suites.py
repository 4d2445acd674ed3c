"""The eval suites that need no model (critic, retrieval, question lists) and the judges of the
conversation suites (groundedness, persona, relevance); each returns a :class:`SuiteReport`."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evals import evaluators as ev

__all__ = [
    "EVALS_DIR",
    "QUESTION_CASES",
    "rate",
    "suite_critic",
    "suite_groundedness",
    "suite_persona",
    "suite_questions",
    "suite_relevance",
    "suite_retrieval",
    "SuiteReport",
    "TurnRecord",
]

EVALS_DIR = Path(__file__).parent
QUESTION_CASES = EVALS_DIR / "question_list_cases.yaml"


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


# --------------------------------------------------------------------------- suites


def rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def suite_groundedness(records: list[TurnRecord], judge_model: Any = None) -> SuiteReport:
    rows = [r for r in records if not r.probe]
    results = [ev.grounded(r.answer, r.notes) for r in rows]
    for r, res in zip(rows, results, strict=True):
        r.results.append(res.to_dict())
    calibration = ev.calibrate()
    metrics: dict[str, Any] = {
        "supported_claims": round(statistics.mean(res.value for res in results), 3) if results else None,
        "answers_fully_grounded": rate([bool(res.passed) for res in results]),
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
    metrics = {name: rate(values) for name, values in checks.items()}
    metrics["in_role_turns_1_5"] = rate(early)
    metrics["in_role_turns_6_plus"] = rate(late)  # drift over a long conversation
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
    return SuiteReport("relevance", {"relevant": rate(passed), "answers": len(passed)}, failures)


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
        vectors = ev.embed(texts)
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
    metrics = {k: rate(v) for k, v in checks.items()}
    metrics["lists"] = len(cases)
    return SuiteReport("questions", metrics, failures)
