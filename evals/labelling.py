"""Labelling the informant's answers by reading (issue 16): reading packets from a realism run, and
the readers' labels merged into ``evals/realism_labels.yaml`` (the agreement suite's data).

A packet is one conversation: the persona's card, its story and its role's notes (everything its
answers may draw on), the seeker, and every question with the answer given. A reader who never saw
the app's code labels each answer in ``<case>.yaml`` (``LABEL_FORMAT``); ``merge`` checks the labels
and writes them beside the answers.

    python -m evals.labelling packets RUN.json DIR    # RUN.json: informant eval --suite realism --out
    python -m evals.labelling merge RUN.json DIR [--into evals/realism_labels.yaml]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from evals.agreement import LABELLED
from knowledge import NOTES_DIR, PERSONAS_DIR
from knowledge.stories import STORIES_DIR

__all__ = ["CLAIM_LABELS", "KIND_CHECKS", "LABEL_FORMAT", "merge", "packets"]

CLAIM_LABELS = ("supported", "unsupported", "contradicted")
# What a question of each kind asks of a person's answer (``kind_ok``); other kinds have none.
KIND_CHECKS = {
    "job_ask": "decline the request for a job, interview or referral, warmly, and offer something else",
    "confidential": "admit it can't or won't share the figure asked for, and give no number for it",
    "false_premise": "correct the untrue thing the question takes for granted about them",
    "advice_background": "address the seeker's own stated background (what carries over, what to do next)",
    "lookup": "say where it could be looked up or that they don't know it, and invent no figure",
}
LABEL_FORMAT = """\
case: d01
turns:
  - n: 1
    claims:                        # every factual claim in the answer, in a few words each
      - {claim: "was an EMT for four years", label: supported}     # supported | unsupported | contradicted
    first_person: true             # speaks as the person ("I", "my"), not about the role in the abstract
    relevant: true                 # answers what was asked (an honest "I can't share that" counts)
    in_character: true             # this persona, this temperament; never an AI, never someone else
    natural: 4                     # 1-5: how much it sounds like a real person talking
    repeats_earlier: false         # says again what an earlier answer in this conversation said
    kind_ok: null                  # only for the kinds listed in the packet, else null
"""


def _records(run: Path) -> dict[str, list[dict[str, Any]]]:
    report = json.loads(run.read_text(encoding="utf-8"))
    by_case: dict[str, list[dict[str, Any]]] = {}
    for record in report.get("realism") or []:
        by_case.setdefault(record["case"], []).append(record)
    if not by_case:
        raise ValueError(f"{run} holds no realism answers. Fix: informant eval --suite realism --out {run.name}")
    return by_case


def _persona_files(persona_id: str) -> tuple[str, str, str]:
    card_path = PERSONAS_DIR / f"{persona_id}.yaml"
    card = card_path.read_text(encoding="utf-8")
    data = yaml.safe_load(card)
    notes = (NOTES_DIR / data["industry"] / f"{data['role']}.md").read_text(encoding="utf-8")
    story_path = STORIES_DIR / f"{persona_id}.yaml"
    story = story_path.read_text(encoding="utf-8") if story_path.is_file() else "(this persona has no story file)"
    return card, story, notes


def packets(run: Path, out: Path) -> list[Path]:
    """One reading packet per conversation of the run, ``<case>.md`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for case, records in sorted(_records(run).items()):
        records.sort(key=lambda r: r["n"])
        first = records[0]
        card, story, notes = _persona_files(first["persona"])
        lines = [
            f"# Conversation {case}: {first['name']} ({first['temperament']}, {first['seniority']})",
            "",
            "## The seeker, as they introduced themselves at the start",
            "",
            *(f"- {k}: {v}" for k, v in first.get("seeker", {}).items()),
            "",
            "## The questions and the answers to label",
            "",
        ]
        for r in records:
            check = KIND_CHECKS.get(r["kind"])
            lines += [f"### Turn {r['n']} (kind: {r['kind']})", "", f"Question: {r['question']}", ""]
            lines += [f"Answer: {r['answer']}", ""]
            if check:
                lines += [f"kind_ok: does the answer {check}?", ""]
        lines += ["## The persona's card", "", "```yaml", card.strip(), "```", ""]
        lines += ["## The persona's own story (first-person material it may draw on)", "", "```yaml", story.strip()]
        lines += ["```", "", "## The role's notes (the facts it may draw on)", "", notes.strip(), ""]
        path = out / f"{case}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


def _checked(case: str, turn: dict[str, Any], kind: str) -> dict[str, Any]:
    where = f"{case} turn {turn.get('n')}"
    claims = []
    for claim in turn.get("claims") or []:
        if claim.get("label") not in CLAIM_LABELS:
            raise ValueError(f"{where}: a claim's label must be one of {', '.join(CLAIM_LABELS)}")
        claims.append({"claim": str(claim.get("claim", "")), "label": claim["label"]})
    labels: dict[str, Any] = {"claims": claims}
    for name in ("first_person", "relevant", "in_character", "repeats_earlier"):
        if not isinstance(turn.get(name), bool):
            raise ValueError(f"{where}: {name} must be true or false")
        labels[name] = turn[name]
    if turn.get("natural") not in (1, 2, 3, 4, 5):
        raise ValueError(f"{where}: natural must be 1-5")
    labels["natural"] = turn["natural"]
    ok = turn.get("kind_ok")
    if kind in KIND_CHECKS and not isinstance(ok, bool):
        raise ValueError(f"{where}: kind_ok must be true or false for a {kind} question")
    labels["kind_ok"] = ok if kind in KIND_CHECKS else None
    return labels


def merge(run: Path, labels_dir: Path, into: Path = LABELLED) -> int:
    """The readers' labels (``labels_dir/<case>.yaml``) beside the run's answers, into ``into``;
    conversations already there from another run are kept. Returns the answers written."""
    answers: list[dict[str, Any]] = []
    for case, records in sorted(_records(run).items()):
        path = labels_dir / f"{case}.yaml"
        if not path.is_file():
            continue
        by_n = {t["n"]: t for t in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("turns") or []}
        for r in sorted(records, key=lambda r: r["n"]):
            if r["n"] not in by_n:
                raise ValueError(f"{path.name}: no labels for turn {r['n']}. Fix the file.")
            answers.append(
                {
                    "id": f"{case}-{r['n']}",
                    "case": case,
                    "split": r["split"],
                    "persona": r["persona"],
                    "story": (STORIES_DIR / f"{r['persona']}.yaml").is_file(),
                    "seeker": r.get("seeker", {}),
                    "n": r["n"],
                    "kind": r["kind"],
                    "question": r["question"],
                    "answer": r["answer"],
                    "labels": _checked(case, by_n[r["n"]], r["kind"]),
                }
            )
    cases = {a["case"] for a in answers}
    kept = []
    if into.is_file():
        kept = [a for a in (yaml.safe_load(into.read_text(encoding="utf-8")) or {}).get("answers") or []]
        kept = [a for a in kept if a["case"] not in cases]
    header = (
        "# Answers the informant gave to the realism conversations (evals/realism_cases.yaml), each labelled\n"
        "# by careful reading against the persona's card, story and notes by a reader who never saw the\n"
        "# app's code (evals/labelling.py). The agreement suite (evals/agreement.py) checks the automatic\n"
        "# evaluators against them; tune on dev, never on holdout.\n"
    )
    body = yaml.safe_dump({"answers": kept + answers}, sort_keys=False, allow_unicode=True, width=110)
    into.write_text(header + body, encoding="utf-8")
    return len(answers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.labelling", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("packets", help="write one reading packet per conversation of a realism run")
    p.add_argument("run", type=Path)
    p.add_argument("out", type=Path)
    m = sub.add_parser("merge", help="merge readers' labels into the labelled answers")
    m.add_argument("run", type=Path)
    m.add_argument("labels", type=Path)
    m.add_argument("--into", type=Path, default=LABELLED)
    args = parser.parse_args(argv)
    try:
        if args.command == "packets":
            print(f"{len(packets(args.run, args.out))} packets in {args.out}")
        else:
            print(f"{merge(args.run, args.labels, args.into)} labelled answers merged into {args.into}")
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
