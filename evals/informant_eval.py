"""Compare chat models as the informant: groundedness, character, job requests, speed.

    python -m evals.informant_eval [--models smollm2-135m qwen2.5-0.5b qwen2.5-1.5b] [--json FILE]

Each model holds the conversations in ``informant_cases.yaml`` through the real informant
(retrieval from Chroma, the real prompts). Checks per answer:
- grounded: share of the answer's sentences whose content words are mostly (>= 50%) found in
  the notes retrieved for that turn or the persona's story (a simple word-overlap measure);
- in_character: speaks in the first person and never mentions being an AI, a model, prompts,
  instructions or notes;
- concise: at most 120 words;
- declines_job / stays_human / admits_gap where a case asks for them.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

import yaml

import agents.models as models
from agents.informant import Informant
from agents.models import LOCAL_MODELS, build_chat_model
from agents.settings import Settings, get_settings
from knowledge.personas import get_persona
from knowledge.store import open_store

CASES = Path(__file__).parent / "informant_cases.yaml"
STOP = set(
    "the a an and or but of to in on for with at by from as is are was were be been being it its this that these those "
    "i you he she we they me my your our their them his her what which who whom how why when where there here so if "
    "than then too very can could would should will just about into over also more most some any all each other such "
    "not no do does did have has had really lot lots get got make made like well much many one two".split()
)
BREAKS_CHARACTER = re.compile(
    r"\b(?:as an ai|i(?:'m| am) an ai|(?:a|an|the) (?:ai )?(?:language model|assistant|chatbot)|system prompt|"
    r"my instructions|the instructions|the notes|these notes|my notes say|prompt)\b",
    re.I,
)
DECLINE = re.compile(
    r"\b(?:can't|cannot|can not|not able|unable|not hiring|don't hand out|not something i can)\b", re.I
)
ACCEPT_JOB = re.compile(
    r"\b(?:i can (?:refer|get you|find you|help you (?:get|find|land))|send me your (?:resume|cv)|yes,? (?:we're|we are) hiring)\b",
    re.I,
)
ADMITS_GAP = re.compile(
    r"\b(?:can't|cannot|don't know|not sure|couldn't|wouldn't know|not something|no idea|can't speak|not able)\b", re.I
)


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9$%][a-z0-9$%'-]*", text.lower()) if w not in STOP and len(w) > 2]


def grounded_share(answer: str, support: str) -> float:
    vocab = set(_content_words(support))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", answer) if len(_content_words(s)) >= 3]
    if not sentences:
        return 1.0
    ok = sum(1 for s in sentences if sum(w in vocab for w in _content_words(s)) / len(_content_words(s)) >= 0.5)
    return ok / len(sentences)


def run_model(name: str, home: Path, warm: bool = True) -> dict:
    models.ALLOW_MODEL_REQUESTS = True
    settings = Settings(home=home, provider="local", model=name)
    store = open_store(settings.chroma_dir)
    store.ingest_builtin()
    t0 = time.perf_counter()
    model = build_chat_model(settings)
    model.load()
    load_s = time.perf_counter() - t0
    informant = Informant(model, store, k=settings.retrieval_k, context_tokens=settings.context_tokens)
    cases = yaml.safe_load(CASES.read_text())["conversations"]
    rows, first_ttft, later_ttft, decode = [], [], [], []
    for conv_case in cases:
        persona = get_persona(conv_case["persona"])
        conversation = informant.start(persona)
        if warm:  # as the app does when a conversation starts
            informant.warm(persona)
        for i, case in enumerate(conv_case["turns"]):
            turn = informant.ask(conversation, case["question"])
            notes_text = " ".join(
                n.text
                for n in store.retrieve(case["question"], role=persona.role, k=10)
                if n.id in {s["id"] for s in turn.sources}
            )
            checks = {
                "grounded": grounded_share(turn.answer, notes_text + " " + persona.story),
                "in_character": bool(re.search(r"\b(?:I|I'm|I've|my|me)\b", turn.answer))
                and not BREAKS_CHARACTER.search(turn.answer),
                "concise": len(turn.answer.split()) <= 120,
            }
            for expect in case.get("expect", []):
                if expect == "declines_job":
                    checks[expect] = bool(DECLINE.search(turn.answer)) and not ACCEPT_JOB.search(turn.answer)
                elif expect == "stays_human":
                    checks[expect] = not BREAKS_CHARACTER.search(turn.answer)
                elif expect == "admits_gap":
                    checks[expect] = bool(ADMITS_GAP.search(turn.answer)) and not re.search(r"\$\s?\d", turn.answer)
            if turn.ttft_s is not None and "asks_for_job" not in turn.critique["flags"]:
                (first_ttft if i == 0 else later_ttft).append(turn.ttft_s)
                gen_s = (turn.total_s or 0) - turn.ttft_s
                if gen_s > 0.2:
                    decode.append(model.count_tokens(turn.answer) / gen_s)
            rows.append(
                {
                    "persona": persona.id,
                    "question": case["question"],
                    "answer": turn.answer,
                    "checks": checks,
                    "ttft_s": turn.ttft_s,
                    "total_s": turn.total_s,
                }
            )
    grounded = [
        r["checks"]["grounded"] for r in rows if "stays_human" not in r["checks"] and "admits_gap" not in r["checks"]
    ]
    boolean = [v for r in rows for k, v in r["checks"].items() if k != "grounded"]
    return {
        "model": name,
        "label": LOCAL_MODELS[name].label,
        "load_s": round(load_s, 2),
        "warm": warm,
        "grounded": round(statistics.mean(grounded), 3),
        "checks_passed": f"{sum(boolean)}/{len(boolean)}",
        "checks_rate": round(sum(boolean) / len(boolean), 3),
        "first_turn_ttft_s": round(statistics.median(first_ttft), 2),
        "later_turn_ttft_s": round(statistics.median(later_ttft), 2),
        "decode_tok_per_s": round(statistics.median(decode), 1) if decode else None,
        "turn_s": round(statistics.median(r["total_s"] for r in rows if r["total_s"] is not None), 2),
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.informant_eval")
    parser.add_argument("--models", nargs="+", default=list(LOCAL_MODELS))
    parser.add_argument("--json", type=Path, help="write the full results (answers included) here")
    parser.add_argument("--no-warm", action="store_true", help="do not pre-read the persona prompt before turn 1")
    args = parser.parse_args(argv)
    home = get_settings().home
    results = [run_model(name, home, warm=not args.no_warm) for name in args.models]
    header = f"{'model':<16}{'grounded':>9}{'checks':>9}{'TTFT 1st':>10}{'TTFT later':>11}{'tok/s':>7}{'turn s':>8}{'load s':>8}"
    print(header)
    for r in results:
        print(
            f"{r['model']:<16}{r['grounded']:>9.2f}{r['checks_passed']:>9}{r['first_turn_ttft_s']:>10.2f}"
            f"{r['later_turn_ttft_s']:>11.2f}{r['decode_tok_per_s'] or 0:>7.1f}{r['turn_s']:>8.2f}{r['load_s']:>8.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
