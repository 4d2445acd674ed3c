"""The model's part of the benchmark: llama.cpp alone (``llama_limits``), a conversation as the app
holds it (``conversation_bench``), the naive baseline on the same questions (``baseline_bench``),
and many conversations on one model through the fair queue (``concurrency_bench``)."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.bench.common import PERSONAS, QUESTIONS, median, say
from knowledge import NOTES_DIR

__all__ = ["baseline_bench", "concurrency_bench", "conversation_bench", "llama_limits"]


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
        say(progress, f"  {label}, turn {n}: TTFT {numbers['ttft_s']:.2f} s, turn {numbers['turn_s']:.2f} s")
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
    say(progress, f"  ours, first turn after the read-ahead: TTFT {warm_first['ttft_s']:.2f} s")
    later, later_plain = turns[1:], plain[1:]
    decode = [(t["tokens"] - 1) / t["decode_s"] for t in turns + plain if t["tokens"] > 1 and t["decode_s"] > 0]
    return {
        "first_turn_ttft_s": round(turns[0]["ttft_s"], 3),
        "later_turn_ttft_s": median([t["ttft_s"] for t in later]),
        "later_turn_ttft_sent_at_once_s": median([t["ttft_s"] for t in later_plain]),
        "decode_tok_per_s": median(decode),
        "turn_s": median([t["turn_s"] for t in later]),
        "overhead_ms_p50": median([t["overhead_ms"] for t in turns + plain]),
        "first_turn_ttft_after_read_ahead_s": round(warm_first["ttft_s"], 3),
        "read_ahead_s": round(warm_read_s, 2),
        "read_ahead_from_disk_s": round(disk_read_s, 3),
        "prompt_tokens_first": turns[0]["prompt_tokens"],
        "new_prompt_tokens_later_p50": median([t["new_tokens"] for t in later]),
        "new_prompt_tokens_later_sent_at_once_p50": median([t["new_tokens"] for t in later_plain]),
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
        say(progress, f"  baseline, turn {n}: TTFT {turns[-1]['ttft_s']:.2f} s, turn {turns[-1]['turn_s']:.2f} s")
    later = turns[1:]
    decode = [(t["tokens"] - 1) / t["decode_s"] for t in turns if t["tokens"] > 1 and t["decode_s"] > 0]
    return {
        "first_turn_ttft_s": round(turns[0]["ttft_s"], 3),
        "later_turn_ttft_s": median([t["ttft_s"] for t in later]),
        "decode_tok_per_s": median(decode),
        "turn_s": median([t["turn_s"] for t in later]),
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
            "wait_s_p50": median([r["wait_s"] for r in records]),
            "wait_s_max": round(max((r["wait_s"] for r in records), default=0.0), 2),
            "ttft_s_p50": median([r["ttft_s"] for r in records]),
            "ttft_s_max": round(max((r["ttft_s"] for r in records), default=0.0), 2),
        }
        results.append(row)
        say(progress, f"  {level} at once: {row['turns_per_min']} turns/min, wait p50 {row['wait_s_p50']} s")
    return results
