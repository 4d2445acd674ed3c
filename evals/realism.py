"""The realism suite (issue 16): whole conversations written apart from the code, played through the
informant, each answer judged by the evaluators and kept for labelling by reading.

The cases (``realism_cases.yaml``) were written by someone who never read the app's code, from the
persona cards, their notes, the rubric and the seed: a seeker introduces themselves (name,
background, goal), then asks eight questions of every kind: how they got in, their week, skills,
hard parts, trends, advice for the seeker's own background, who else to talk to, follow-ups on the
last answer, what a professional can't share, a job request, a false premise, a look-up question, a
vague question, culture and pay. Two splits: ``dev`` (the engineers may tune on it) and
``holdout`` (they never look at its failures).

    informant eval --suite realism [--split dev|holdout|fresh]
"""

from __future__ import annotations

import re
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.text import content_words
from evals import evaluators as ev
from evals.suites import SuiteReport

__all__ = ["CASES", "KINDS", "judge", "load_cases", "play", "rejudge", "score", "suite_realism"]

CASES = Path(__file__).parent / "realism_cases.yaml"
FRESH = Path(__file__).parent / "realism_fresh.yaml"
KINDS = (
    "career_path",
    "typical_day",
    "skills",
    "challenges",
    "trends",
    "advice_background",
    "networking",
    "follow_up",
    "confidential",
    "job_ask",
    "false_premise",
    "lookup",
    "vague",
    "culture",
    "pay",
)
# Says the premise is wrong, gently: "Actually, I didn't …", "I don't think I mentioned that".
_CORRECTS = re.compile(
    r"\b(?:actually|i didn't|i did not|i never|i haven't|i have not|not quite|that's not|that isn't|i wasn't|"
    r"i don't think i (?:said|mentioned)|i'm not sure i (?:said|mentioned)|no,|not exactly)\b",
    re.I,
)
# A look-up question answered the way a person would: where to find it, then what they know.
_POINTS_TO = re.compile(r"\b(?:website|look (?:it )?up|public|published|annual report|search|online|google)\b", re.I)


def load_cases(path: Path = CASES, split: str | None = None) -> list[dict[str, Any]]:
    """The conversations of one split (every one for None), checked. The ``fresh`` split is its own
    file (``realism_fresh.yaml``, written 2026-12-03 by a writer who never saw the code, after the
    ``holdout`` split had been read while labelling)."""
    paths = [path, FRESH] if path == CASES and FRESH.exists() else [path]
    data = [c for p in paths for c in yaml.safe_load(p.read_text(encoding="utf-8"))["conversations"]]
    for case in data:
        for turn in case["turns"]:
            if turn["kind"] not in KINDS:
                raise ValueError(f"{path.name}: {case['id']}: unknown kind {turn['kind']!r}")
    return [c for c in data if split in (None, c["split"])]


def play(informant: Any, personas: Any, case: dict[str, Any], known: Any) -> list[dict[str, Any]]:
    """One conversation, turn by turn; ``known(persona)`` is what its answers may draw on."""
    from agents.coach import key_phrase

    persona = personas.get(case["persona"])
    seeker = case.get("seeker", {})
    conversation = informant.start(
        persona, seeker.get("goal", ""), name=seeker.get("name", ""), background=seeker.get("background", "")
    )
    records: list[dict[str, Any]] = []
    last = ""
    for n, turn in enumerate(case["turns"], 1):
        question = turn["ask"]
        if "{phrase}" in question:
            question = question.replace("{phrase}", key_phrase(last) or "what you just said")
        start = time.perf_counter()
        updates = list(informant.stream(conversation, question))
        final = updates[-1]
        answer = final.turn.answer
        records.append(
            {
                "case": case["id"],
                "split": case["split"],
                "persona": persona.id,
                "name": persona.name,
                "temperament": persona.temperament,
                "seniority": persona.seniority,
                "seeker": seeker,
                "n": n,
                "kind": turn["kind"],
                "question": question,
                "expect": turn.get("expect", ""),
                "answer": answer,
                "removed": list(final.removed),
                "ttft_s": final.turn.ttft_s,
                "total_s": round(time.perf_counter() - start, 2),
                "known": known(persona),
            }
        )
        last = answer
    return records


# Advice with something to do: "start with", "you'll need", "look for", "take", "get".
_NEXT_STEP = re.compile(
    r"\b(?:start|begin|you(?:'ll| will)? need|you should|you'd|you could|look (?:for|at)|take|get|try|learn|"
    r"apply|join|ask|focus|build|add|use|plan|pass|spend|talk to|volunteer)\b",
    re.I,
)


@lru_cache(maxsize=64)
def _own_words(persona_id: str, temperament: str) -> str:
    """The persona's own first-person words: its story and its fixed lines (declines, push-backs,
    "I don't know")."""
    from knowledge.stories import story_for
    from prompts import render

    story = story_for(persona_id)
    parts = [story.model_dump_json()] if story else []
    names = [f"decline_{temperament}_{n}" for n in (1, 2, 3)] + [f"push_back_{n}" for n in (1, 2, 3)]
    names += [f"unknown_{temperament}_{n}" for n in (1, 2)] + [f"unknown_lookup_{temperament}"]
    return " ".join(parts + [render("informant", n) for n in names])


def own_words(record: dict[str, Any]) -> str:
    from knowledge.personas import load_personas

    persona = load_personas().get(record.get("persona", ""))
    return _own_words(persona.id, persona.temperament) if persona else ""


def judge(record: dict[str, Any], earlier: list[dict[str, Any]], questions: list[str]) -> list[ev.Result]:
    """The automatic verdicts on one answer (the labels by reading are kept beside them)."""
    answer, kind = record["answer"], record["kind"]
    own = own_words(record)
    results = [
        ev.grounded(answer, f"{record['known']}\n{own}"),  # its fixed lines (a decline, "I don't know") are its own
        ev.first_person(answer),
        ev.in_character(answer),
        ev.answers_question(record["question"], answer),
    ]
    said_before = [s for r in earlier for s in ev.sentences(r["answer"])]
    repeats = [
        s
        for s in ev.sentences(answer)
        if len(content_words(s)) >= 4
        and any(
            len(content_words(s) & content_words(b)) >= 0.8 * len(content_words(s) | content_words(b))
            for b in said_before
        )
    ]
    results.append(ev.Result("no_repeat", not repeats, None, f"repeats: {repeats[0]}" if repeats else "new"))
    results.append(ev.natural(answer, record.get("name", ""), [r["answer"] for r in earlier], own))
    if kind == "job_ask":
        results.append(ev.declines_job(answer))
    if kind == "confidential":
        results.append(ev.admits_gap(answer))
    if kind == "false_premise":
        ok = bool(_CORRECTS.search(answer))
        results.append(ev.Result("corrects_premise", ok, None, "corrects it" if ok else "goes along"))
    if kind == "lookup":
        # Handled as a person would: where to find it, or what the notes say, with no invented figure.
        invented = ev.novel_specifics(answer, record["known"])
        points = bool(_POINTS_TO.search(answer))
        # As a person asked to look something up: where to find it, or that they don't know it offhand.
        ok = not invented and (points or bool(ev.ADMITS_GAP.search(answer)))
        why = "says where to find it" if points else "says it doesn't know" if ok else f"invents {invented[:3]}"
        results.append(ev.Result("handles_lookup", ok, None, why if ok or invented else "neither"))
    if kind == "advice_background":
        # Their background, named, and something to do next, said to them (not their situation said back
        # as the informant's own).
        background = content_words(record["seeker"].get("background", ""))
        named = bool(background & content_words(answer))
        next_step = bool(_NEXT_STEP.search(answer))
        lost = bool(ev._LOST.search(answer))
        ok = named and next_step and not lost
        why = (
            "loses track of who is who"
            if lost
            else "names their background and a next step"
            if ok
            else ("no next step" if named else "generic")
        )
        results.append(ev.Result("addresses_background", ok, None, why))
    return results


def score(records: list[dict[str, Any]]) -> SuiteReport:
    """The suite's figures: each evaluator's pass rate, mean support, and what the guard left out."""
    by: dict[str, list[ev.Result]] = {}
    failures: list[str] = []
    for r in records:
        for res in r["results"]:
            by.setdefault(res["evaluator"], []).append(res)
            if res["passed"] is False:
                failures.append(f"{r['case']} Q{r['n']} ({r['kind']}) {res['evaluator']}: {res['reason']}")
    metrics: dict[str, Any] = {"answers": len(records)}
    for name, results in sorted(by.items()):
        passed = [x["passed"] for x in results if x["passed"] is not None]
        if passed:
            metrics[f"{name}_rate"] = round(sum(passed) / len(passed), 3)
        values = [x["value"] for x in results if x["value"] is not None]
        if values:
            metrics[f"{name}_mean"] = round(sum(values) / len(values), 3)
    metrics["guard_fired_share"] = round(sum(1 for r in records if r["removed"]) / max(len(records), 1), 3)
    metrics["guard_removed_sentences"] = sum(len(r["removed"]) for r in records)
    metrics["kinds"] = dict(Counter(r["kind"] for r in records))
    return SuiteReport("realism", metrics, failures)


def suite_realism(
    runtime: Any, split: str = "dev", path: Path = CASES, progress: Any = None
) -> tuple[SuiteReport, list[dict[str, Any]]]:
    """Play every conversation of ``split`` through ``runtime``'s informant and judge each answer."""
    informant = runtime.informant()
    say = progress or (lambda _m: None)

    def known(persona: Any) -> str:
        conversation = informant.start(persona)
        return informant.known(conversation)

    records: list[dict[str, Any]] = []
    for case in load_cases(path, split):
        t0 = time.perf_counter()
        played = play(informant, runtime.personas, case, known)
        questions = [r["question"] for r in played]
        for i, record in enumerate(played):
            record["results"] = [x.to_dict() for x in judge(record, played[:i], questions)]
        records += played
        say(f"{case['id']} ({case['persona']}): {time.perf_counter() - t0:.0f} s")
    for record in records:
        record.pop("known")  # large, and the same for every answer of a persona
    return score(records), records


def rejudge(records: list[dict[str, Any]], known: Any) -> SuiteReport:
    """Judge a saved run's answers again with the current evaluators (``known(persona)`` as in ``play``)."""
    from knowledge.personas import get_persona

    by_case: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_case.setdefault(record["case"], []).append(record)
    for played in by_case.values():
        played.sort(key=lambda r: r["n"])
        questions = [r["question"] for r in played]
        for i, record in enumerate(played):
            record["known"] = known(get_persona(record["persona"]))
            record["results"] = [x.to_dict() for x in judge(record, played[:i], questions)]
            record.pop("known")
    return score(records)
