"""``informant bench``: speed numbers from one run on this machine.

Retrieval and ingestion are measured on a generated corpus of 1,000 and 10,000 chunks built
from the sentences of the built-in notes (real text, real metadata, the real ingestion and
hybrid retrieval code), in a throw-away Chroma directory. Latencies are per call, p50/p95.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from agents.critic import critique
from evals.critic_eval import EVALS_DIR, load_cases
from evals.retrieval_eval import load_queries
from knowledge.retrieval import Retriever
from knowledge.store import NOTES_DIR, NoteStore, parse_note_file

SECTIONS_PER_FILE = 100


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def synthetic_corpus(directory: Path, chunks: int, seed: int = 7) -> list[Path]:
    """Markdown files of ``SECTIONS_PER_FILE`` sections each, one chunk per section."""
    rng = random.Random(seed)
    sentences: list[str] = []
    roles: list[tuple[str, str]] = []
    for path in sorted(NOTES_DIR.rglob("*.md")):
        roles.append((path.parent.name, path.stem))
        for _, text, _ in parse_note_file(path, "builtin", path.stem):
            sentences += [s.strip() + "." for s in text.split(". ") if len(s) > 40]
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for f in range(max(1, chunks // SECTIONS_PER_FILE)):
        industry, role = roles[f % len(roles)]
        lines = [f"---\nindustry: {industry}\nrole: {role}\nrole_name: Synthetic {f}\n---\n"]
        for n in range(SECTIONS_PER_FILE):
            lines.append(f"## Topic {n}\n" + " ".join(rng.sample(sentences, 3)) + "\n")
        path = directory / f"synthetic-{f:04d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def retrieval_bench(size: int, queries: list[Any], workdir: Path) -> dict[str, float]:
    files = synthetic_corpus(workdir / f"corpus-{size}", size)
    store = NoteStore(workdir / f"chroma-{size}")
    start = time.perf_counter()
    result = store.ingest_files(files, "user", lambda p: p.name)
    ingest_s = time.perf_counter() - start
    retriever = Retriever(store, k=3)
    retriever.search("warm up", None)  # builds the keyword index once, as the app does at its first question
    timings = []
    for q in queries:
        t = time.perf_counter()
        retriever.search(q.query, q.role)
        timings.append((time.perf_counter() - t) * 1000)
    return {
        "chunks": float(result.added),
        "ingest_chunks_per_s": result.added / ingest_s,
        "p50": statistics.median(timings),
        "p95": _percentile(timings, 0.95),
    }


def critique_bench() -> float:
    questions = [c.question for c in load_cases(EVALS_DIR / "critic_questions.yaml")]
    timings = []
    for q in questions:
        t = time.perf_counter()
        critique(q)
        timings.append((time.perf_counter() - t) * 1000)
    return statistics.median(timings)


def run(sizes: tuple[int, ...] = (1000, 10000), queries: int = 200) -> dict[str, Any]:
    sample = load_queries()
    rng = random.Random(1)
    picked = [rng.choice(sample) for _ in range(queries)]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = retrieval_bench(size, picked, Path(tmp))
            tag = f"{size // 1000}k"
            out[f"retrieval_ms_p50_{tag}"] = round(r["p50"], 2)
            out[f"retrieval_ms_p95_{tag}"] = round(r["p95"], 2)
            out[f"ingest_chunks_per_s_{tag}"] = round(r["ingest_chunks_per_s"], 1)
            out[f"chunks_{tag}"] = int(r["chunks"])
    out["ingest_chunks_per_s"] = out[f"ingest_chunks_per_s_{sizes[-1] // 1000}k"]
    out["critique_ms_p50"] = round(critique_bench(), 3)
    return out


def format_report(result: dict[str, Any]) -> str:
    lines = ["Mock Informant benchmark"]
    for key, value in result.items():
        lines.append(f"  {key:<28} {value}")
    return "\n".join(lines)
