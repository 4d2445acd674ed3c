"""The one place that creates chat models.

Everything else receives a LangChain ``BaseChatModel``:

- :class:`ChatLlamaCpp` (``llama.py``): the embedded default, llama.cpp running a GGUF file that
  arrives inside PyPI packages (``registry.py``: which files, assembled and sha256-checked). One
  :class:`LlamaEngine` holds the loaded file, the fair queue its requests wait in
  (``queue.py``) and the saved KV states of recent conversations (``state_cache.py``).
- ``ChatOpenAI`` (``langchain-openai``): OpenAI or any OpenAI-compatible server.
- :class:`FakeChatModel` (``fake.py``): scripted replies, for tests and for driving the app without a model.

:func:`build_chat_model` (``factory.py``) makes each from the settings; the runtime calls it once
and hands it the runtime's queue. ``faults.py`` turns a provider's errors into one line for the
seeker; ``tokens.py`` counts prompt tokens.

``ALLOW_MODEL_REQUESTS = False`` (set by the test suite) makes every real model fail loudly: it is
read at call time, here, so patching ``agents.models.ALLOW_MODEL_REQUESTS`` is enough.
"""

from __future__ import annotations

from core.errors import ModelRequestsBlockedError

ALLOW_MODEL_REQUESTS = True


def check_allowed(what: str) -> None:
    """Raise unless real model requests are allowed (the test suite switches them off)."""
    if not ALLOW_MODEL_REQUESTS:
        raise ModelRequestsBlockedError(what)


from agents.models.factory import build_chat_model  # noqa: E402
from agents.models.fake import FakeChatModel  # noqa: E402
from agents.models.faults import describe_fault  # noqa: E402
from agents.models.llama import ChatLlamaCpp, LlamaEngine, new_llama  # noqa: E402
from agents.models.queue import REQUEST_KEY, REQUEST_STATS, FairQueue  # noqa: E402
from agents.models.registry import LOCAL_MODELS, LocalModelSpec, resolve_local_model  # noqa: E402
from agents.models.state_cache import StateCache  # noqa: E402
from agents.models.tokens import tiktoken_count, token_counter  # noqa: E402

__all__ = [
    "ALLOW_MODEL_REQUESTS",
    "LOCAL_MODELS",
    "REQUEST_KEY",
    "REQUEST_STATS",
    "ChatLlamaCpp",
    "FairQueue",
    "FakeChatModel",
    "LlamaEngine",
    "LocalModelSpec",
    "StateCache",
    "build_chat_model",
    "check_allowed",
    "describe_fault",
    "new_llama",
    "resolve_local_model",
    "tiktoken_count",
    "token_counter",
]
