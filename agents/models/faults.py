"""What the seeker is told when the model fails: one line, with the fix, and never a secret."""

from __future__ import annotations

import json

from core.settings import Settings, redact, safe_url

__all__ = ["describe_fault"]


def describe_fault(exc: BaseException, settings: Settings, *, answered: bool = False) -> str:
    """One line for the seeker: what went wrong with the model, then ``Fix: …``. Never a secret.

    The OpenAI client has already retried timeouts, refused connections, 429s (after any
    ``Retry-After``) and 5xx replies ``INFORMANT_MAX_RETRIES`` times with exponential backoff by
    the time an error reaches here; ``answered`` says whether part of the answer had arrived.
    """
    import openai
    from langchain_core import exceptions as lc

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
