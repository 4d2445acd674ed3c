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

Where each part lives: ``turns`` (llama.cpp alone, a conversation, the baseline, concurrency),
``store`` (retrieval, ingestion, critique), ``startup`` (a fresh ``informant serve``), ``report``
(the terminal report and the tables in docs/benchmark.md); ``run`` here puts them together and checks the
budget.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.bench.common import say
from evals.bench.report import format_report, results_markdown
from evals.bench.startup import startup_bench
from evals.bench.store import guard_bench, store_bench
from evals.bench.turns import baseline_bench, concurrency_bench, conversation_bench, llama_limits

__all__ = ["BUDGET", "check_budget", "format_report", "machine", "results_markdown", "run", "store_bench"]

# The budget (issues 8 and 16), checked at the end of a run: (key, "<=" or ">=", limit, what it means).
BUDGET: tuple[tuple[str, str, float, str], ...] = (
    ("later_turn_ttft_s", "<=", 0.74, "later-turn time to first token ≤ 0.74 s (typed; issue 16: no worse)"),
    ("later_turn_ttft_sent_at_once_s", "<=", 1.2, "the same, sent at once (CLI, API) ≤ 1.2 s (issue 16)"),
    ("later_over_first_ttft", "<=", 0.25, "later-turn TTFT ≤ 0.25 × the first turn's"),
    ("overhead_ms_p50", "<=", 50.0, "overhead outside the model ≤ 50 ms p50"),
    ("retrieval_ms_p50_10k", "<=", 20.0, "retrieval p50 ≤ 20 ms at 10,000 chunks"),
    ("critique_ms_p50", "<=", 5.0, "critique decision ≤ 5 ms p50"),
    ("guard_ms_max", "<=", 150.0, "sentence check ≤ 150 ms per sentence (issue 16)"),
    ("ingest_chunks_per_s", ">=", 200.0, "ingest ≥ 200 chunks/s"),
    ("page_usable_s", "<=", 5.0, "page usable ≤ 5 s after start"),
    ("peak_rss_mb", "<=", 2560.0, "peak memory ≤ 2.5 GB"),
)


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
    say(progress, "Loading the model …")
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
    say(progress, "llama.cpp alone …")
    result.update(llama_limits(model))
    informant = runtime.informant()
    with tempfile.TemporaryDirectory() as tmp:
        sessions = SessionStore(Path(tmp) / "sessions.db", runtime.personas)
        say(progress, "A conversation, as the app holds it …")
        ours = conversation_bench(informant, sessions, progress)
    say(progress, "The naive baseline …")
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
    say(progress, "Conversations at once …")
    result["concurrency"] = concurrency_bench(informant, levels, progress=progress)
    say(progress, "Retrieval, ingestion and critique …")
    result.update(store_bench(sizes))
    result.update(guard_bench(informant))
    result["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if startup:
        say(progress, "Start-up of a fresh app process …")
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
