"""The benchmark's results as text: the terminal report, and the Markdown tables of docs/benchmark.md."""

from __future__ import annotations

from typing import Any

__all__ = ["format_report", "results_markdown"]


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
    """The table of a run in docs/benchmark.md: each figure with the budget it answers to."""
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
