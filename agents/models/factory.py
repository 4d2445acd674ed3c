"""``build_chat_model``: the chat model the settings ask for. The only place models are made."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

import agents.models
from agents.models.fake import FakeChatModel
from agents.models.llama import ChatLlamaCpp
from agents.models.queue import FairQueue
from agents.models.registry import LOCAL_MODELS, resolve_local_model
from core.errors import ModelError, ModelRequestsBlockedError
from core.settings import Settings

__all__ = ["build_chat_model"]


def build_chat_model(settings: Settings, queue: FairQueue | None = None) -> BaseChatModel:
    """Create the chat model the settings ask for.

    ``queue``: where the local model's requests take turns (the runtime's; a new one if None).
    """
    provider = settings.resolved_provider
    if provider == "fake":
        return FakeChatModel(delay_s=settings.fake_delay_ms / 1000)
    if not agents.models.ALLOW_MODEL_REQUESTS:
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
        queue=queue or FairQueue(),
    )
