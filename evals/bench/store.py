"""Retrieval, ingestion and critique on generated corpora built from the built-in notes' sentences
(real ingestion and hybrid retrieval code, a throw-away Chroma)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from agents.critic import critique
from evals.bench.common import percentile
from evals.critic_eval import EVALS_DIR, load_cases
from evals.retrieval_eval import load_queries
from knowledge import NOTES_DIR
from knowledge.retrieval import Retriever
from knowledge.store import NoteStore, parse_note_file

__all__ = ["SECTIONS_PER_FILE", "critique_bench", "retrieval_bench", "store_bench", "synthetic_corpus"]

SECTIONS_PER_FILE = 100


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
    from knowledge.embeddings import MiniLMEmbedder

    files = synthetic_corpus(workdir / f"corpus-{size}", size)
    store = NoteStore(workdir / f"chroma-{size}")
    start = time.perf_counter()
    result = store.ingest_files(files, "user", lambda p: p.name)
    ingest_s = time.perf_counter() - start
    # The embedding model alone on the same chunks: the ceiling of ingestion on this CPU.
    texts = [f"{c[2]['title']}. {c[1]}" for f in files[:5] for c in parse_note_file(f, "user", f.name)]
    start = time.perf_counter()
    MiniLMEmbedder.shared().embed(texts)
    embed_per_s = len(texts) / (time.perf_counter() - start)
    retriever = Retriever(store, k=3)
    retriever.search("warm up", None)  # builds the in-memory index once, as the app does at its first question
    timings = []
    embedder = MiniLMEmbedder.shared()
    for q in queries:
        embedder.forget()  # every query embedded afresh, as a new question is
        t = time.perf_counter()
        retriever.search(q.query, q.role)
        timings.append((time.perf_counter() - t) * 1000)
    return {
        "chunks": float(result.added),
        "ingest_chunks_per_s": result.added / ingest_s,
        "embed_chunks_per_s": embed_per_s,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
    }


def critique_bench() -> float:
    questions = [c.question for c in load_cases(EVALS_DIR / "critic_questions.yaml")]
    timings = []
    for q in questions:
        t = time.perf_counter()
        critique(q)
        timings.append((time.perf_counter() - t) * 1000)
    return statistics.median(timings)


def guard_bench(
    informant: Any, persona_ids: tuple[str, ...] = ("marcus-bell", "tomas-rivera", "farah-qureshi")
) -> dict[str, float]:
    """The sentence check (agents.informant.guard) on the sentences of three personas' notes and on
    sentences with invented figures and names, against each persona's whole known text: ms per sentence."""
    from agents.informant.guard import Guard
    from core.text import split_sentences
    from knowledge.personas import get_persona

    times: list[float] = []
    for pid in persona_ids:
        conversation = informant.start(get_persona(pid))
        known = informant.known(conversation)
        notes = informant.retriever.notes_in_scope(conversation.persona.role, pid)
        sentences = [s for n in notes for s in split_sentences(n.text)][:120]
        sentences += [f"Our revenue was ${n},000 last year at Acme Health Partners." for n in range(40)]
        earlier = sentences[:30]
        for sentence in sentences:
            guard = Guard.for_turn(known, "What is it like?", earlier, informant.fixed_lines("warm"))
            t0 = time.perf_counter()
            guard.check(sentence)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"guard_ms_p50": round(statistics.median(times), 3), "guard_ms_max": round(times[-1], 3)}


def _size_tag(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def store_bench(sizes: tuple[int, ...], queries: int = 200) -> dict[str, Any]:
    sample = load_queries()
    rng = random.Random(1)
    picked = [rng.choice(sample) for _ in range(queries)]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = retrieval_bench(size, picked, Path(tmp))
            tag = _size_tag(size)
            out[f"retrieval_ms_p50_{tag}"] = round(r["p50"], 2)
            out[f"retrieval_ms_p95_{tag}"] = round(r["p95"], 2)
            out[f"ingest_chunks_per_s_{tag}"] = round(r["ingest_chunks_per_s"], 1)
            out[f"chunks_{tag}"] = int(r["chunks"])
            out["embed_only_chunks_per_s"] = round(r["embed_chunks_per_s"], 1)
    out["ingest_chunks_per_s"] = out[f"ingest_chunks_per_s_{_size_tag(sizes[-1])}"]
    out["critique_ms_p50"] = round(critique_bench(), 3)
    return out
