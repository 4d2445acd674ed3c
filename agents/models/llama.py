"""The embedded chat model: llama.cpp (``llama-cpp-python``) in this process.

A GGUF file is loaded once into a :class:`LlamaEngine`; :class:`ChatLlamaCpp` is the LangChain
chat model over it. Requests take turns in the runtime's fair queue (``queue.py``), and each
conversation's evaluated state is kept (``state_cache.py``, and on disk for the persona's system
prompt), so alternating conversations don't re-read each other's prompts.
"""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

import agents.models
from agents.models.queue import REQUEST_KEY, REQUEST_STATS, FairQueue
from agents.models.state_cache import StateCache
from core.errors import ModelError

__all__ = ["READ_AHEAD_BATCH", "ChatLlamaCpp", "EngineSlot", "LlamaEngine", "new_llama"]


def new_llama(path: Path, n_ctx: int, n_threads: int) -> Any:
    """A new ``llama_cpp.Llama`` for a GGUF file, as this app configures it (a :class:`LlamaEngine`
    holds the one a runtime shares)."""
    try:
        from llama_cpp import Llama
        from llama_cpp import llama_cpp as capi
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError("llama-cpp-python is not installed. Fix: pip install llama-cpp-python==0.3.36") from exc

    # llama.cpp repacks quantised weights into an interleaved copy for its CPU kernels
    # ("extra buffer types"). Measured on the 2-core machine with the 1.5B model: the copy
    # costs ~600 MB on top of the mapped file and reads prompts slower (96 against 125
    # tokens/s), but decodes faster (26 against 21 tokens/s). Off: memory and the time
    # to the first word matter more than writing faster than anyone reads.
    default_params = capi.llama_model_default_params

    def params_without_repack() -> Any:
        params = default_params()
        params.use_extra_bufts = False
        return params

    with _NEW_LLAMA_LOCK:
        capi.llama_model_default_params = params_without_repack
        try:
            return Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=512,
                verbose=False,
            )
        finally:
            capi.llama_model_default_params = default_params


def _as_openai_messages(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    out = []
    for m in messages:
        role = roles.get(m.type)
        if role is None:
            continue
        out.append({"role": role, "content": m.text if isinstance(m.content, list) else str(m.content)})
    return out


def _chat_formatter(llama: Any) -> Any:
    """The GGUF's own chat template, as llama-cpp-python would apply it."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        raise ModelError("This GGUF file has no chat template. Fix: use one of the listed models.")
    eos, bos = llama.token_eos(), llama.token_bos()
    return Jinja2ChatFormatter(
        template=template,
        eos_token=llama._model.token_get_text(eos) if eos != -1 else "",
        bos_token=llama._model.token_get_text(bos) if bos != -1 else "",
        stop_token_ids=[eos],
    )


# A read-ahead reads in batches of this many tokens and yields the model to a waiting request
# between them (a batch of 64 takes about 0.8 s with the 1.5B model on 2 cores).
READ_AHEAD_BATCH = 64
# llama-cpp-python reads its model parameters from a library-wide function; new_llama swaps it
# for one without weight repacking while it loads, so two loads must not overlap.
_NEW_LLAMA_LOCK = threading.Lock()


class LlamaEngine:
    """One loaded GGUF file and what serving it takes: the ``llama_cpp.Llama`` object, its chat
    template, the queue its requests take turns in, the saved KV states of recent conversations,
    and which conversation's state is live (saved only when another one takes the model).

    Closed at exit: it waits for a read-ahead in a background thread to finish its batch (it gives
    way to a waiting request), so the interpreter never shuts down under a running llama.cpp call,
    then frees the model (llama-cpp-python's ``__del__`` fails during interpreter shutdown).
    """

    def __init__(self, path: Path, n_ctx: int, n_threads: int, queue: FairQueue, state_cache_bytes: int) -> None:
        self.llama = new_llama(path, n_ctx, n_threads)
        self.formatter = _chat_formatter(self.llama)
        self.queue = queue
        self.states = StateCache(state_cache_bytes)
        self.live_owner: str | None = None  # the conversation whose state is live and unsaved
        self._closed = False
        atexit.register(self.close)

    def close(self) -> None:
        with self.queue.slot("exit"):
            if not self._closed:
                self._closed = True
                self.llama.close()


class EngineSlot:
    """Where a :class:`ChatLlamaCpp` and its copies find their one engine (filled on first use)."""

    def __init__(self) -> None:
        self.engine: LlamaEngine | None = None
        self.lock = threading.Lock()


class ChatLlamaCpp(BaseChatModel):
    """A LangChain chat model over an in-process ``llama_cpp.Llama``.

    One :class:`LlamaEngine` (one ``Llama`` object) is reused across turns and conversations, and
    shared by the copies the informant makes for each persona's answer length:
    - llama.cpp keeps the evaluated tokens and only reads the part of a prompt that differs
      from the last one;
    - requests take turns through the runtime's :class:`FairQueue` (fair between conversations);
    - after each request its KV state goes into a :class:`StateCache`, so a conversation whose
      turn comes after another's restores its own prefix instead of re-reading it.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_name: str
    model_path: str
    n_ctx: int = 8192
    n_threads: int = 2
    max_tokens: int = 220
    temperature: float = 0.4
    stop: list[str] = Field(default_factory=list)
    state_cache_mb: int = 384
    # Where the read system prompts (persona and notes, no conversation) are kept between runs,
    # so a persona used before answers its first question quickly after a restart.
    state_dir: str | None = None
    state_disk_mb: int = 512
    # Where requests take turns: the runtime's queue (every local model of a runtime shares one).
    queue: FairQueue = Field(default_factory=FairQueue, exclude=True, repr=False)
    # The loaded model, shared with this object's copies (model_copy keeps the same slot).
    engine_slot: EngineSlot = Field(default_factory=lambda: EngineSlot(), exclude=True, repr=False)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "n_ctx": self.n_ctx, "n_threads": self.n_threads}

    @property
    def engine(self) -> LlamaEngine:
        """The loaded model (loaded on first use, once for this object and its copies)."""
        slot = self.engine_slot
        with slot.lock:
            if slot.engine is None:
                slot.engine = LlamaEngine(
                    Path(self.model_path), self.n_ctx, self.n_threads, self.queue, self.state_cache_mb << 20
                )
            return slot.engine

    @property
    def llama(self) -> Any:
        return self.engine.llama

    @property
    def state_cache(self) -> StateCache:
        return self.engine.states

    def load(self) -> None:
        """Load the weights before the first request."""
        _ = self.engine

    def requests_ahead(self, key: str) -> int:
        """Requests that would be served before a new one from conversation ``key``."""
        return self.queue.ahead_of(key)

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def prompt_tokens(self, messages: Sequence[BaseMessage], stop_at: str | None = None) -> tuple[list[int], Any]:
        """The exact tokens llama.cpp will read for ``messages`` (the GGUF's chat template); with
        ``stop_at``, only those before the last occurrence of that text in the prompt."""
        llama = self.llama
        result = self.engine.formatter(messages=_as_openai_messages(messages))
        prompt = result.prompt
        if stop_at is not None:
            cut = prompt.rfind(stop_at)
            if cut < 0:
                raise ValueError("prompt_tokens(): stop_at is not in the prompt")
            prompt = prompt[:cut]
        tokens = llama.tokenize(prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
        return tokens, result

    # ------------------------------------------------------------ KV state

    def _restore_best(self, tokens: list[int], key: str) -> tuple[int, bool]:
        """Make the live state the best start for ``tokens``; returns how many tokens it shares
        and whether a saved state was restored for it.

        The live state belongs to the conversation that used the model last and is saved only
        when another conversation takes the model (a lone conversation never pays for saving).
        """
        llama = self.llama
        owner = self.engine.live_owner
        if owner is not None and owner != key:
            self._save_state()
        wanted = np.asarray(tokens, dtype=np.intc)
        live = StateCache.common_prefix(llama.input_ids[: llama.n_tokens], wanted)
        saved, length = self.state_cache.best(wanted)
        if saved is None or length <= live:
            return live, False
        from llama_cpp import llama_cpp as capi

        if capi.llama_state_set_data(llama._ctx.ctx, saved.data, saved.size) != saved.size:
            llama.reset()
            return 0, False
        n = len(saved.tokens)
        llama.input_ids[:n] = saved.tokens
        llama.n_tokens = n
        llama._requires_eval = True  # logits must come from a fresh decode, not the restored state
        return length, True

    def _done(self, key: str) -> None:
        """The live state now belongs to ``key`` (saved when someone else needs the model)."""
        self.engine.live_owner = key

    def _save_state(self) -> None:
        llama = self.llama
        from llama_cpp import llama_cpp as capi

        size = capi.llama_state_get_size(llama._ctx.ctx)
        buf = (ctypes.c_uint8 * size)()
        written = capi.llama_state_get_data(llama._ctx.ctx, buf, size)
        self.state_cache.put(llama.input_ids[: llama.n_tokens], buf, written)
        self.engine.live_owner = None

    # ------------------------------------------------------------ generation

    def _complete(self, messages: Sequence[BaseMessage], max_tokens: int, temperature: float, stop: list[str]):
        """Stream the text of a completion, in this conversation's turn of the queue."""
        agents.models.check_allowed("Real model requests are disabled (tests).")
        llama = self.llama
        tokens, formatted = self.prompt_tokens(messages)
        if len(tokens) + max_tokens > self.n_ctx:
            raise ModelError(
                f"The prompt is {len(tokens):,} tokens and the model's context is {self.n_ctx:,}. "
                "Fix: start a new conversation, or raise INFORMANT_CONTEXT_TOKENS."
            )
        stops = list(stop) + ([formatted.stop] if isinstance(formatted.stop, str) else list(formatted.stop or []))
        key = REQUEST_KEY.get()
        with self.queue.slot(key) as waited:
            cached, restored = self._restore_best(tokens, key)
            stats = {"wait_s": waited, "prompt_tokens": len(tokens), "cached_tokens": cached, "restored": restored}
            sink = REQUEST_STATS.get()
            if sink is not None:
                sink.append(stats)
            started = time.perf_counter()
            try:
                stream = llama.create_completion(
                    prompt=tokens,
                    stream=True,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    repeat_penalty=1.1,
                    stop=stops or None,
                    stopping_criteria=formatted.stopping_criteria,
                )
                stats["model_s"] = time.perf_counter() - started  # time inside llama.cpp only
                while True:
                    tick = time.perf_counter()
                    part = next(stream, None)
                    stats["model_s"] += time.perf_counter() - tick
                    if part is None:
                        break
                    choice = part["choices"][0]
                    yield choice.get("text") or "", choice.get("finish_reason")
            finally:
                self._done(key)

    def _disk_state(self, tokens: list[int]) -> Path | None:
        if not self.state_dir:
            return None
        digest = hashlib.sha256(self.model_name.encode() + np.asarray(tokens, dtype=np.int32).tobytes()).hexdigest()
        return Path(self.state_dir) / f"{self.model_name}-{digest[:32]}.kv"

    def _load_disk_state(self, tokens: list[int]) -> None:
        path = self._disk_state(tokens)
        if path is None or not path.is_file():
            return
        try:
            data = path.read_bytes()
            os.utime(path)  # most recently used
        except OSError:
            return
        self.state_cache.put(np.asarray(tokens, dtype=np.intc), (ctypes.c_uint8 * len(data)).from_buffer_copy(data))

    def _save_disk_state(self, tokens: list[int]) -> None:
        path = self._disk_state(tokens)
        if path is None or path.is_file():
            return
        saved, length = self.state_cache.best(np.asarray(tokens, dtype=np.intc))
        if saved is None or length != len(tokens) or len(saved.tokens) != len(tokens):
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".partial")
            tmp.write_bytes(memoryview(saved.data)[: saved.size])
            os.replace(tmp, path)
            files = sorted(path.parent.glob("*.kv"), key=lambda p: p.stat().st_mtime, reverse=True)
            total = 0
            for old in files:
                total += old.stat().st_size
                if total > self.state_disk_mb << 20 and old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # only an optimisation

    def warm(
        self,
        messages: list[BaseMessage],
        stop_at: str | None = None,
        *,
        only_if_idle: bool = False,
        persist: bool = False,
    ) -> int:
        """Read a prompt now, so a later prompt that starts the same way only reads what follows.

        With ``stop_at``, only the prompt before the last occurrence of that text is read (a
        placeholder for the part not known yet). ``only_if_idle`` skips the read when others are
        waiting for the model, and it stops early (keeping what it read) when someone starts
        waiting. ``persist`` keeps the read state on disk (``state_dir``) and loads it from there
        next time. Returns the number of tokens read.
        """
        agents.models.check_allowed("Real model requests are disabled (tests).")
        llama = self.llama
        tokens, _ = self.prompt_tokens(messages, stop_at)
        if len(tokens) > self.n_ctx - self.max_tokens:
            return 0  # the turn itself will summarise old turns first
        key = REQUEST_KEY.get()
        if only_if_idle and self.queue.ahead_of(key):
            return 0
        read = 0
        with self.queue.slot(key):
            if persist and self.state_cache.best(np.asarray(tokens, dtype=np.intc))[1] < len(tokens):
                self._load_disk_state(tokens)
            keep = min(self._restore_best(tokens, key)[0], len(tokens) - 1)
            llama.n_tokens = keep
            for start in range(keep, len(tokens), READ_AHEAD_BATCH):
                if only_if_idle and start > keep and self.queue.waiting():
                    break  # a request is waiting: it gets the model now, with what is read so far
                llama.eval(tokens[start : start + READ_AHEAD_BATCH])
                read = start + READ_AHEAD_BATCH - keep
            if persist and read >= len(tokens) - keep:
                self._save_state()
                self._save_disk_state(tokens)
            self._done(key)
        return min(read, len(tokens) - keep)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        parts = self._complete(
            messages,
            kwargs.get("max_tokens", self.max_tokens),
            kwargs.get("temperature", self.temperature),
            (stop or []) + self.stop,
        )
        for text, finish in parts:
            if not text and not finish:
                continue
            yield ChatGenerationChunk(
                message=AIMessageChunk(content=text),
                generation_info={"finish_reason": finish} if finish else None,
            )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(c.message.text for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
