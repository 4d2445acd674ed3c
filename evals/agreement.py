"""Do the realism suite's evaluators agree with careful reading? (issue 16)

``realism_labels.yaml`` holds answers the informant gave to the realism conversations, each labelled
by a reader who never saw the code: every factual claim supported, unsupported or contradicted by
the persona's card, story and notes; first person; relevant; in character; natural (1-5); repeats
an earlier answer; and, by the question's kind, whether it did what a person should (admits what it
can't share, declines a job request warmly, corrects a false premise, addresses the seeker's
background, says where to look). This suite runs the automatic evaluators on the same answers and
reports how often they agree with the labels, per split (tune on ``dev``; ``holdout`` is reported,
never tuned on).

    informant eval --suite agreement [--split dev|holdout]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evals.realism import judge
from evals.suites import SuiteReport

__all__ = ["LABELLED", "known_then", "label_rates", "load_labelled", "suite_agreement"]

LABELLED = Path(__file__).parent / "realism_labels.yaml"
# Which automatic verdict stands for which label (the kind's label is ``kind_ok``).
_KIND_EVALUATOR = {
    "job_ask": "declines_job",
    "confidential": "admits_gap",
    "false_premise": "corrects_premise",
    "advice_background": "addresses_background",
    "lookup": "handles_lookup",
}


def known_then(runtime: Any) -> Any:
    """``known(item)``: what the persona could draw on when the labelled answer was given: its card, its
    notes, and its story only if it had one then (``item["story"]``)."""
    from knowledge.stories import story_for

    cache: dict[tuple[str, bool], str] = {}

    def known(item: dict[str, Any]) -> str:
        key = (item["persona"], bool(item.get("story")))
        if key not in cache:
            persona = runtime.personas.get(item["persona"])
            story = story_for(persona.id) if key[1] else None
            parts = [persona.name, persona.title, persona.company_type, persona.story, persona.speaking_style]
            parts += [story.model_dump_json() if story else ""]
            seeker = item.get("seeker", {})
            parts += [seeker.get("name", ""), seeker.get("background", ""), seeker.get("goal", "")]
            parts += [f"{n.title}. {n.text}" for n in runtime.retriever().notes_in_scope(persona.role, persona.id)]
            cache[key] = "\n".join(p for p in parts if p)
        return cache[key]

    return known


def load_labelled(path: Path = LABELLED, split: str | None = None) -> list[dict[str, Any]]:
    answers = yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]
    return [a for a in answers if split in (None, a["split"])]


def _label_verdicts(item: dict[str, Any]) -> dict[str, bool | None]:
    labels = item["labels"]
    claims = labels.get("claims") or []
    verdicts: dict[str, bool | None] = {
        "grounded": all(c["label"] == "supported" for c in claims),
        "first_person": labels["first_person"],
        "relevant": labels["relevant"],
        "in_character": labels["in_character"],
        "no_repeat": not labels["repeats_earlier"],
        "natural": labels["natural"] >= 4,
    }
    kind = _KIND_EVALUATOR.get(item["kind"])
    if kind:
        verdicts[kind] = labels.get("kind_ok")
    return verdicts


def label_rates(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures by reading: claims supported and contradicted, and each label's rate."""
    claims = [c["label"] for i in items for c in i["labels"].get("claims") or []]
    rates: dict[str, Any] = {
        "claims": len(claims),
        "claims_supported": round(claims.count("supported") / max(1, len(claims)), 3),
        "claims_contradicted": claims.count("contradicted"),
        "natural_mean": round(sum(i["labels"]["natural"] for i in items) / max(1, len(items)), 2),
    }
    by: dict[str, list[bool]] = {}
    for item in items:
        for name, value in _label_verdicts(item).items():
            if value is not None:
                by.setdefault(name, []).append(bool(value))
    rates |= {f"{name}_rate": round(sum(v) / len(v), 3) for name, v in sorted(by.items())}
    return rates


def suite_agreement(
    split: str | None = "dev", path: Path = LABELLED, known: Any = None
) -> tuple[SuiteReport, list[dict[str, Any]]]:
    """Each evaluator's agreement with the labels on ``split`` (both for None). ``known(item)``: what the
    persona's answers could draw on when the answer was given (its card, story and notes)."""
    items = load_labelled(path, split)
    by_case: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_case.setdefault(item["case"], []).append(item)
    agree: dict[str, list[bool]] = {}
    failures: list[str] = []
    rows = []
    natural_gap: list[float] = []
    natural_auto: list[float] = []
    for case_items in by_case.values():
        case_items.sort(key=lambda i: i["n"])
        questions = [i["question"] for i in case_items]
        for k, item in enumerate(case_items):
            record = {**item, "known": known(item) if known else item.get("known", "")}
            auto = {r.evaluator: r for r in judge(record, case_items[:k], questions)}
            for name, wanted in _label_verdicts(item).items():
                if wanted is None or name not in auto or auto[name].passed is None:
                    continue
                same = bool(auto[name].passed) == bool(wanted)
                agree.setdefault(name, []).append(same)
                if not same:
                    failures.append(f"{item['id']} {name}: read {wanted}, evaluator {auto[name].reason[:140]}")
            rows.append({"id": item["id"], "auto": {n: r.passed for n, r in auto.items()}})
            natural_gap.append(abs((auto["natural"].value or 0) - item["labels"]["natural"]))
            natural_auto.append(auto["natural"].value or 0)
    metrics: dict[str, Any] = {"answers": len(items)}
    metrics |= {f"{name}_agreement": round(sum(v) / len(v), 3) for name, v in sorted(agree.items())}
    metrics["natural_mean_abs_error"] = round(sum(natural_gap) / max(1, len(natural_gap)), 2)
    metrics["by_reading"] = label_rates(items)
    auto_rates: dict[str, list[bool]] = {}
    for row in rows:
        for name, passed in row["auto"].items():
            if passed is not None:
                auto_rates.setdefault(name, []).append(bool(passed))
    metrics["by_evaluators"] = {f"{n}_rate": round(sum(v) / len(v), 3) for n, v in sorted(auto_rates.items())}
    metrics["by_evaluators"]["natural_mean"] = round(sum(natural_auto) / max(1, len(natural_auto)), 2)
    return SuiteReport("agreement", metrics, failures), rows
