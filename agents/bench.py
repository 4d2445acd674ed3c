"""``informant bench``: the speed and memory numbers of this machine, in one run.

What it measures, on the embedded default model (``INFORMANT_MODEL`` picks another):

- **llama.cpp's own limit**: prompt reading and decoding speed of the bare ``Llama`` object with
  the same threads, the ceiling any app on this model can reach.
- **A conversation as the app holds it** (``conversation``): the first question with nothing
  read ahead (the seeker asks the moment they start), later questions after the app has read
  the last answer ahead (the seeker reading it), and a first question after the start-up
  read-ahead. Time to first token, whole turn, decode speed, and the overhead outside the model
  (critique, retrieval, prompt building, token counting, saving the turn).
- **A naive baseline** (``baseline``) on the same questions: the retrieved notes in the system
  prompt, so every turn re-reads the whole prompt, and a new model object per request. Ratios
  ours/baseline follow.
- **Many conversations, one model** (``concurrency``): 1, 4 and 8 conversations asking at once;
  throughput and the wait each one sees in the fair queue.
- **Retrieval, ingestion, critique** on generated corpora of 1,000 and 10,000 chunks built from
  the built-in notes' sentences (real ingestion and hybrid retrieval code, a throw-away Chroma).
- **Start-up** (``startup``): ``informant serve`` in a fresh process: seconds until the page
  answers, until the model is loaded, and until the first answer token through the app's API;
  the app process's peak memory (VmHWM) after that conversation.

Nothing here runs in the test suite: timings on shared machines are noisy, so the budget is
checked here, against ratios measured in the same run, and never asserted in tests.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agents.critic import critique
from evals.critic_eval import EVALS_DIR, load_cases
from evals.retrieval_eval import load_queries
from knowledge import NOTES_DIR
from knowledge.retrieval import Retriever
from knowledge.store import NoteStore, parse_note_file

SECTIONS_PER_FILE = 100
PERSONAS = ("marcus-bell", "deborah-asante", "robert-lindqvist")  # one per temperament
QUESTIONS = (
    "What does a typical day look like for you?",
    "What do you find hardest about the work?",
    "How did you get started in this field?",
    "What skills matter most for someone starting out?",
    "How is your industry changing right now?",
)
# The budget of issue 8, checked at the end of a run: (key, "<=" or ">=", limit, what it means).
BUDGET: tuple[tuple[str, str, float, str], ...] = (
    ("later_turn_ttft_s", "<=", 1.0, "later-turn time to first token ≤ 1 s (typed)"),
    ("later_turn_ttft_sent_at_once_s", "<=", 1.0, "the same, sent at once (CLI, API)"),
    ("later_over_first_ttft", "<=", 0.25, "later-turn TTFT ≤ 0.25 × the first turn's"),
    ("overhead_ms_p50", "<=", 50.0, "overhead outside the model ≤ 50 ms p50"),
    ("retrieval_ms_p50_10k", "<=", 20.0, "retrieval p50 ≤ 20 ms at 10,000 chunks"),
    ("critique_ms_p50", "<=", 5.0, "critique decision ≤ 5 ms p50"),
    ("ingest_chunks_per_s", ">=", 200.0, "ingest ≥ 200 chunks/s"),
    ("page_usable_s", "<=", 5.0, "page usable ≤ 5 s after start"),
    ("peak_rss_mb", "<=", 2560.0, "peak memory ≤ 2.5 GB"),
)


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress:
        progress(text)


# --------------------------------------------------------------------------- retrieval, ingest, critique


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
        embedder._memo.clear()  # every query embedded afresh, as a new question is
        t = time.perf_counter()
        retriever.search(q.query, q.role)
        timings.append((time.perf_counter() - t) * 1000)
    return {
        "chunks": float(result.added),
        "ingest_chunks_per_s": result.added / ingest_s,
        "embed_chunks_per_s": embed_per_s,
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


# --------------------------------------------------------------------------- the model


def llama_limits(model: Any, prompt_tokens: int = 512, decode_tokens: int = 64) -> dict[str, float]:
    """Bare llama.cpp on this model and thread count: prompt reading and decoding speed."""
    llama = model.llama
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(NOTES_DIR.rglob("*.md"))[:3])
    tokens = llama.tokenize(text.encode("utf-8"), add_bos=False)[:prompt_tokens]
    llama.reset()
    llama._ctx.kv_cache_clear()
    start = time.perf_counter()
    llama.eval(tokens)
    prompt_s = time.perf_counter() - start
    produced, first = 0, 0.0
    for _ in llama.generate(tokens, temp=0.0):  # the prompt is read: only its last token again
        produced += 1
        if produced == 1:
            first = time.perf_counter()
        if produced > decode_tokens:
            break
    decode_s = time.perf_counter() - first
    llama.reset()
    llama._ctx.kv_cache_clear()
    return {
        "llama_prompt_tok_per_s": round(len(tokens) / prompt_s, 1),
        "llama_decode_tok_per_s": round(decode_tokens / decode_s, 1),
    }


def _turn_numbers(update: Any, save_s: float, decode_s: float, *, count: Callable[[str], int]) -> dict[str, float]:
    turn = update.turn
    model_s = sum(s.get("model_s", 0.0) for s in update.stats)
    tokens = count(turn.answer) if turn.answer else 0
    return {
        "ttft_s": turn.ttft_s or 0.0,
        "turn_s": turn.total_s,
        "tokens": tokens,
        "model_s": model_s,
        "overhead_ms": (turn.total_s - model_s + save_s) * 1000,
        "decode_s": decode_s,
        "prompt_tokens": sum(s["prompt_tokens"] for s in update.stats),
        "new_tokens": sum(s["prompt_tokens"] - s["cached_tokens"] for s in update.stats),
    }


def _ask(informant: Any, sessions: Any, conversation: Any, question: str) -> tuple[Any, float, float]:
    """One turn as the app runs it; returns the last update, the seconds saving it took, and the
    seconds from the first answer token to the end (for decode speed)."""
    last = None
    first_token_at = None
    start = time.perf_counter()
    for update in informant.stream(conversation, question):
        if first_token_at is None and update.answer:
            first_token_at = time.perf_counter()
        last = update
    assert last is not None and last.turn is not None
    if last.turn.error:
        raise RuntimeError(f"the model failed during the benchmark: {last.turn.error}")
    decode_s = time.perf_counter() - (first_token_at or start)
    t = time.perf_counter()
    sessions.save_turn(conversation, last.turn)
    return last, time.perf_counter() - t, decode_s


def _conversation(informant: Any, sessions: Any, persona_id: str, typing: bool, label: str, progress=None):
    """Five questions in one conversation. Between turns the seeker reads the answer (the app reads
    it ahead meanwhile); with ``typing``, they then type the question in the page, and the app reads
    the notes for their draft (the question less its last two words) ahead too."""
    from knowledge.personas import get_persona

    conversation = informant.start(get_persona(persona_id))
    turns: list[dict[str, float]] = []
    for n, question in enumerate(QUESTIONS, 1):
        if conversation.warming is not None:
            conversation.warming.join()
        if typing and n > 1:
            informant.read_ahead(conversation, question.rsplit(" ", 2)[0])
        numbers = _turn_numbers(*_ask(informant, sessions, conversation, question), count=informant.count_tokens)
        turns.append(numbers)
        _say(progress, f"  {label}, turn {n}: TTFT {numbers['ttft_s']:.2f} s, turn {numbers['turn_s']:.2f} s")
    return turns


def conversation_bench(informant: Any, sessions: Any, progress=None) -> dict[str, Any]:
    """Ours: a cold first turn; later turns typed in the page and asked without typing (CLI, API);
    the read-ahead of a new conversation, from scratch and from disk; a first turn after it."""
    from knowledge.personas import get_persona

    model = informant.model
    model.state_cache.clear()
    model.llama.reset()
    turns = _conversation(informant, sessions, PERSONAS[0], True, "ours, typed in the page", progress)
    plain = _conversation(informant, sessions, PERSONAS[0], False, "ours, sent at once (CLI)", progress)
    warm_conversation = informant.start(get_persona(PERSONAS[1]))
    kept_dir = model.state_dir
    with tempfile.TemporaryDirectory() as scratch:
        model.state_dir = scratch  # nothing saved from an earlier run: the read-ahead from scratch
        start = time.perf_counter()
        informant.warm(warm_conversation)
        warm_read_s = time.perf_counter() - start
        # After a restart: the same read-ahead, from the state kept on disk.
        model.state_cache.clear()
        model.llama.reset()
        start = time.perf_counter()
        informant.warm(informant.start(get_persona(PERSONAS[1])))
        disk_read_s = time.perf_counter() - start
    model.state_dir = kept_dir
    warm_first = _turn_numbers(
        *_ask(informant, sessions, warm_conversation, QUESTIONS[0]), count=informant.count_tokens
    )
    _say(progress, f"  ours, first turn after the read-ahead: TTFT {warm_first['ttft_s']:.2f} s")
    later, later_plain = turns[1:], plain[1:]
    decode = [(t["tokens"] - 1) / t["decode_s"] for t in turns + plain if t["tokens"] > 1 and t["decode_s"] > 0]
    return {
        "first_turn_ttft_s": round(turns[0]["ttft_s"], 3),
        "later_turn_ttft_s": _median([t["ttft_s"] for t in later]),
        "later_turn_ttft_sent_at_once_s": _median([t["ttft_s"] for t in later_plain]),
        "decode_tok_per_s": _median(decode),
        "turn_s": _median([t["turn_s"] for t in later]),
        "overhead_ms_p50": _median([t["overhead_ms"] for t in turns + plain]),
        "first_turn_ttft_after_read_ahead_s": round(warm_first["ttft_s"], 3),
        "read_ahead_s": round(warm_read_s, 2),
        "read_ahead_from_disk_s": round(disk_read_s, 3),
        "prompt_tokens_first": turns[0]["prompt_tokens"],
        "new_prompt_tokens_later_p50": _median([t["new_tokens"] for t in later]),
        "new_prompt_tokens_later_sent_at_once_p50": _median([t["new_tokens"] for t in later_plain]),
        "turns": [{k: round(v, 3) for k, v in t.items()} for t in turns + plain],
    }


def baseline_bench(informant: Any, progress=None) -> dict[str, Any]:
    """The naive way: retrieved notes in the system prompt (every turn re-reads the whole prompt)
    and a new model object per request."""
    from agents.informant import ANSWER_TOKENS, system_prompt
    from agents.models import new_llama
    from knowledge.personas import get_persona

    model = informant.model
    persona = get_persona(PERSONAS[0])
    history: list[dict[str, str]] = []
    turns: list[dict[str, float]] = []
    for n, question in enumerate(QUESTIONS, 1):
        start = time.perf_counter()
        notes = informant.retriever.search(question, persona.role, persona=persona.id)
        system = system_prompt(persona) + "\n\nNotes:\n" + "\n".join(f"- {x.title}: {x.text}" for x in notes)
        llama = new_llama(Path(model.model_path), model.n_ctx, model.n_threads)  # the same settings, made anew
        messages = [{"role": "system", "content": system}, *history, {"role": "user", "content": question}]
        answer, first = "", None
        stream = llama.create_chat_completion(
            messages=messages,
            stream=True,
            max_tokens=ANSWER_TOKENS[persona.temperament],
            temperature=model.temperature,
            repeat_penalty=1.1,
        )
        for part in stream:
            text = part["choices"][0].get("delta", {}).get("content") or ""
            if text and first is None:
                first = time.perf_counter()
            answer += text
        end = time.perf_counter()
        del llama
        tokens = informant.count_tokens(answer)
        turns.append(
            {
                "ttft_s": (first or end) - start,
                "turn_s": end - start,
                "tokens": tokens,
                "decode_s": end - (first or end),
            }
        )
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        _say(progress, f"  baseline, turn {n}: TTFT {turns[-1]['ttft_s']:.2f} s, turn {turns[-1]['turn_s']:.2f} s")
    later = turns[1:]
    decode = [(t["tokens"] - 1) / t["decode_s"] for t in turns if t["tokens"] > 1 and t["decode_s"] > 0]
    return {
        "first_turn_ttft_s": round(turns[0]["ttft_s"], 3),
        "later_turn_ttft_s": _median([t["ttft_s"] for t in later]),
        "decode_tok_per_s": _median(decode),
        "turn_s": _median([t["turn_s"] for t in later]),
        "turns": [{k: round(v, 3) for k, v in t.items()} for t in turns],
    }


def _user(informant: Any, persona_id: str, turns: int, records: list[dict[str, float]], errors: list[str]) -> None:
    """One simulated seeker: a new conversation, then ``turns`` questions back to back."""
    from knowledge.personas import get_persona

    conversation = informant.start(get_persona(persona_id))
    for question in QUESTIONS[:turns]:
        start = time.perf_counter()
        last = None
        for update in informant.stream(conversation, question):
            last = update
        if last is None or last.turn is None or last.turn.error:
            errors.append(last.turn.error if last and last.turn else "no answer")
            return
        records.append(  # list.append is atomic: no lock needed
            {
                "wait_s": last.turn.wait_s or 0.0,
                "ttft_s": last.turn.ttft_s or 0.0,
                "turn_s": time.perf_counter() - start,
                "tokens": informant.count_tokens(last.turn.answer),
            }
        )


def concurrency_bench(informant: Any, levels: tuple[int, ...], turns: int = 3, progress=None) -> list[dict[str, Any]]:
    """N conversations asking at once through the fair queue: throughput and the wait each sees."""
    results = []
    for level in levels:
        records: list[dict[str, float]] = []
        errors: list[str] = []
        threads = [
            threading.Thread(target=_user, args=(informant, PERSONAS[i % len(PERSONAS)], turns, records, errors))
            for i in range(level)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        row = {
            "conversations": level,
            "turns": len(records),
            "errors": len(errors),
            "wall_s": round(wall, 1),
            "turns_per_min": round(len(records) / wall * 60, 2),
            "answer_tok_per_s": round(sum(r["tokens"] for r in records) / wall, 1),
            "wait_s_p50": _median([r["wait_s"] for r in records]),
            "wait_s_max": round(max((r["wait_s"] for r in records), default=0.0), 2),
            "ttft_s_p50": _median([r["ttft_s"] for r in records]),
            "ttft_s_max": round(max((r["ttft_s"] for r in records), default=0.0), 2),
        }
        results.append(row)
        _say(progress, f"  {level} at once: {row['turns_per_min']} turns/min, wait p50 {row['wait_s_p50']} s")
    return results


# --------------------------------------------------------------------------- start-up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def startup_bench(settings: Any, progress=None, timeout: float = 600.0) -> dict[str, Any]:
    """``informant serve`` in a fresh process: the page, the model, the first answer, peak memory.

    It runs with a scratch INFORMANT_HOME holding a copy of the note store and a link to the
    verified model files, so nothing is added to your history.
    """
    from gradio_client import Client

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if settings.chroma_dir.is_dir():
            shutil.copytree(settings.chroma_dir, home / "chroma")
        if settings.models_dir.is_dir():
            (home / "models").symlink_to(settings.models_dir, target_is_directory=True)
        env = {**os.environ, "INFORMANT_HOME": str(home), "INFORMANT_PORT": str(port)}
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "agents.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        out: dict[str, Any] = {}
        try:
            url = f"http://127.0.0.1:{port}/"
            while time.perf_counter() - start < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(f"informant serve exited: {(proc.stderr.read() or '').strip()[-300:]}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
            out["page_usable_s"] = round(time.perf_counter() - start, 2)
            _say(progress, f"  page answered after {out['page_usable_s']} s")
            client = Client(url, verbose=False)
            while time.perf_counter() - start < timeout:
                status = client.predict(api_name="/status")
                if not status.startswith("Loading") and not status.startswith("Indexing"):
                    break
                time.sleep(0.2)
            out["model_ready_s"] = round(time.perf_counter() - start, 2)
            # The persona the page offers first (the dropdown holds the first industry's people).
            from knowledge.personas import industries, load_personas

            shown = sorted(
                (p for p in load_personas().values() if p.industry == industries()[0]), key=lambda p: p.title
            )[0]
            client.predict(shown.id, "", 25, api_name="/start")
            job = client.submit(QUESTIONS[0], api_name="/send")
            first = None  # the time of the first answer token
            for update in job:
                history = update[0] if isinstance(update, list | tuple) else update
                if history and isinstance(history, list) and history[-1].get("role") == "assistant":
                    content = history[-1].get("content")
                    text = content if isinstance(content, str) else json.dumps(content)
                    # Before the first word the bubble holds a note in italics ("_…_") or "…".
                    if first is None and text.strip() and not text.lstrip().startswith(("_", "…")):
                        first = time.perf_counter()
            job.result()
            out["startup_s"] = round((first or time.perf_counter()) - start, 2)
            out["peak_rss_mb"] = round(_vm_hwm_mb(proc.pid) or 0.0, 1)
            _say(progress, f"  first answer token {out['startup_s']} s after start; peak {out['peak_rss_mb']} MB")
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return out


# --------------------------------------------------------------------------- the whole run


def run(
    settings: Any,
    sizes: tuple[int, ...] = (1000, 10000),
    levels: tuple[int, ...] = (1, 4, 8),
    progress: Callable[[str], None] | None = None,
    startup: bool = True,
) -> dict[str, Any]:
    from agents.models import ChatLlamaCpp
    from agents.runtime import Runtime
    from agents.sessions import SessionStore

    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    runtime = Runtime(settings)
    _say(progress, "Loading the model …")
    start = time.perf_counter()
    model = runtime.model()
    result["model_load_s"] = round(time.perf_counter() - start, 2)
    if not isinstance(model, ChatLlamaCpp):
        raise RuntimeError(
            "informant bench measures the embedded local model. Fix: unset OPENAI_* / INFORMANT_PROVIDER."
        )
    result["model"] = model.model_name
    result["threads"] = model.n_threads
    result["context_tokens"] = model.n_ctx
    _say(progress, "llama.cpp alone …")
    result.update(llama_limits(model))
    informant = runtime.informant()
    with tempfile.TemporaryDirectory() as tmp:
        sessions = SessionStore(Path(tmp) / "sessions.db", runtime.personas)
        _say(progress, "A conversation, as the app holds it …")
        ours = conversation_bench(informant, sessions, progress)
    _say(progress, "The naive baseline …")
    base = baseline_bench(informant, progress)
    result.update({k: v for k, v in ours.items() if k != "turns"})
    result["baseline"] = {k: v for k, v in base.items() if k != "turns"}
    result["ratios"] = {
        k: round(ours[k] / base[k], 3)
        for k in ("first_turn_ttft_s", "later_turn_ttft_s", "decode_tok_per_s", "turn_s")
        if ours.get(k) and base.get(k)
    }
    if ours.get("later_turn_ttft_sent_at_once_s") and base.get("later_turn_ttft_s"):
        result["ratios"]["later_turn_ttft_sent_at_once_s"] = round(
            ours["later_turn_ttft_sent_at_once_s"] / base["later_turn_ttft_s"], 3
        )
    result["later_over_first_ttft"] = round(ours["later_turn_ttft_s"] / ours["first_turn_ttft_s"], 3)
    _say(progress, "Conversations at once …")
    result["concurrency"] = concurrency_bench(informant, levels, progress=progress)
    _say(progress, "Retrieval, ingestion and critique …")
    result.update(store_bench(sizes))
    result["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if startup:
        _say(progress, "Start-up of a fresh app process …")
        result.update(startup_bench(settings, progress))
    result["detail"] = {"ours": ours["turns"], "baseline": base["turns"]}
    result["budget"] = check_budget(result)
    return result


def check_budget(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, op, limit, label in BUDGET:
        value = result.get(key)
        ok = None if value is None else (value <= limit if op == "<=" else value >= limit)
        rows.append({"key": key, "target": label, "value": value, "ok": ok})
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GB"
    except (ValueError, OSError):
        memory = "? GB"
    return f"{os.cpu_count()} cores, {cpu}, {memory}"


def format_report(result: dict[str, Any]) -> str:
    base = result.get("baseline", {})
    ratios = result.get("ratios", {})
    lines = [
        f"Mock Informant benchmark — {result.get('date')} — {result.get('machine')}",
        f"model {result.get('model')}, {result.get('threads')} threads, context {result.get('context_tokens')}",
        "",
        f"{'turn (TTFT = time to first token)':<40} {'ours':>9} {'baseline':>9} {'ours/base':>9}",
    ]
    for key, label in (
        ("first_turn_ttft_s", "first turn TTFT, nothing read ahead (s)"),
        ("later_turn_ttft_s", "later turn TTFT, typed in the page, p50 (s)"),
        ("later_turn_ttft_sent_at_once_s", "later turn TTFT, sent at once (CLI), p50"),
        ("turn_s", "whole later turn, p50 (s)"),
        ("decode_tok_per_s", "decode (tokens/s)"),
    ):
        lines.append(f"{label:<40} {result.get(key)!s:>9} {base.get(key)!s:>9} {ratios.get(key)!s:>9}")
    lines += [
        f"{'first turn TTFT after the read-ahead (s)':<40} {result.get('first_turn_ttft_after_read_ahead_s')!s:>9}",
        f"{'the read-ahead of a new conversation (s)':<40} {result.get('read_ahead_s')!s:>9}",
        f"{'  the same, kept on disk from a last run':<40} {result.get('read_ahead_from_disk_s')!s:>9}",
        f"{'overhead outside the model, p50 (ms)':<40} {result.get('overhead_ms_p50')!s:>9}",
        f"{'llama.cpp alone: prompt / decode (tok/s)':<40} "
        f"{result.get('llama_prompt_tok_per_s')!s:>9} {result.get('llama_decode_tok_per_s')!s:>9}",
        "",
        "conversations at once   turns/min   answer tok/s   wait p50 / max (s)   TTFT p50 / max (s)",
    ]
    for row in result.get("concurrency", []):
        lines.append(
            f"{row['conversations']:>21}   {row['turns_per_min']:>9}   {row['answer_tok_per_s']:>12}   "
            f"{row['wait_s_p50']!s:>8} / {row['wait_s_max']!s:<8}   {row['ttft_s_p50']!s:>7} / {row['ttft_s_max']}"
        )
    lines += [""]
    for key in (
        "retrieval_ms_p50_1k",
        "retrieval_ms_p95_1k",
        "retrieval_ms_p50_10k",
        "retrieval_ms_p95_10k",
        "ingest_chunks_per_s",
        "embed_only_chunks_per_s",
        "critique_ms_p50",
        "page_usable_s",
        "model_ready_s",
        "startup_s",
        "peak_rss_mb",
    ):
        if key in result:
            lines.append(f"  {key:<28} {result[key]}")
    lines += ["", "budget"]
    for row in result.get("budget", []):
        mark = "n/a" if row["ok"] is None else ("ok" if row["ok"] else "MISS")
        lines.append(f"  {mark:<5} {row['target']:<46} {row['value']}")
    return "\n".join(lines)


def results_markdown(result: dict[str, Any]) -> str:
    """The README's table of a run: each figure with the budget it answers to."""
    base, ratios = result.get("baseline", {}), result.get("ratios", {})
    budget = {row["key"]: row for row in result.get("budget", [])}

    def verdict(key: str) -> str:
        row = budget.get(key)
        if not row or row["ok"] is None:
            return ""
        return f"{'meets' if row['ok'] else '**misses**'}: {row['target']}"

    def fmt(value: Any, unit: str = "") -> str:
        return "–" if value is None else f"{value}{unit}"

    rows = [
        ("first turn, time to first token (nothing read ahead)", "first_turn_ttft_s", " s", True),
        ("later turn, time to first token, typed in the page (p50)", "later_turn_ttft_s", " s", True),
        (
            "later turn, time to first token, sent at once: CLI, API (p50)",
            "later_turn_ttft_sent_at_once_s",
            " s",
            False,
        ),
        ("whole later turn (p50)", "turn_s", " s", True),
        ("decode, tokens/s", "decode_tok_per_s", "", True),
    ]
    lines = [
        f"Measured {result.get('date')} on {result.get('machine')}; model `{result.get('model')}`, "
        f"{result.get('threads')} threads, context {result.get('context_tokens')}.",
        "",
        "| turn | ours | naive baseline | ours / baseline | budget |",
        "|---|---|---|---|---|",
    ]
    for label, key, unit, has_base in rows:
        base_value = base.get(key if has_base else "later_turn_ttft_s")
        lines.append(
            f"| {label} | {fmt(result.get(key), unit)} | {fmt(base_value, unit)} | {fmt(ratios.get(key))} | {verdict(key)} |"
        )
    lines += [
        f"| later / first turn, time to first token | {fmt(result.get('later_over_first_ttft'))} | | | "
        f"{verdict('later_over_first_ttft')} |",
        "",
        "| measure | value | budget |",
        "|---|---|---|",
        f"| llama.cpp alone, same model and threads: prompt / decode | {result.get('llama_prompt_tok_per_s')} / "
        f"{result.get('llama_decode_tok_per_s')} tokens/s | the limit |",
        f"| a new conversation's read-ahead of the persona prompt | {fmt(result.get('read_ahead_s'), ' s')}; "
        f"{fmt(result.get('read_ahead_from_disk_s'), ' s')} when kept from an earlier run | |",
        f"| first turn after that read-ahead, sent at once | {fmt(result.get('first_turn_ttft_after_read_ahead_s'), ' s')} | |",
        f"| overhead outside the model per turn (p50) | {fmt(result.get('overhead_ms_p50'), ' ms')} | "
        f"{verdict('overhead_ms_p50')} |",
        f"| retrieval p50 / p95, 1,000 chunks | {fmt(result.get('retrieval_ms_p50_1k'), ' ms')} / "
        f"{fmt(result.get('retrieval_ms_p95_1k'), ' ms')} | |",
        f"| retrieval p50 / p95, 10,000 chunks | {fmt(result.get('retrieval_ms_p50_10k'), ' ms')} / "
        f"{fmt(result.get('retrieval_ms_p95_10k'), ' ms')} | {verdict('retrieval_ms_p50_10k')} |",
        f"| ingest (the embedding model alone: {fmt(result.get('embed_only_chunks_per_s'))}) | "
        f"{fmt(result.get('ingest_chunks_per_s'))} chunks/s | {verdict('ingest_chunks_per_s')} |",
        f"| critique decision p50 | {fmt(result.get('critique_ms_p50'), ' ms')} | {verdict('critique_ms_p50')} |",
        f"| `informant serve`: page answers / model loaded / first answer token | "
        f"{fmt(result.get('page_usable_s'), ' s')} / {fmt(result.get('model_ready_s'), ' s')} / "
        f"{fmt(result.get('startup_s'), ' s')} | {verdict('page_usable_s')} |",
        f"| peak memory of the app process (VmHWM) | {fmt(result.get('peak_rss_mb'), ' MB')} | "
        f"{verdict('peak_rss_mb')} |",
        "",
        "| conversations at once | turns/min | answer tokens/s | queue wait p50 / max | time to first token p50 / max |",
        "|---|---|---|---|---|",
    ]
    for row in result.get("concurrency", []):
        lines.append(
            f"| {row['conversations']} | {row['turns_per_min']} | {row['answer_tok_per_s']} | "
            f"{row['wait_s_p50']} / {row['wait_s_max']} s | {row['ttft_s_p50']} / {row['ttft_s_max']} s |"
        )
    return "\n".join(lines)
