"""One settings object, read from the environment (and an optional `.env`), created in one place."""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "DEFAULT_LOCAL_MODEL",
    "LOOPBACK",
    "REDACTED",
    "get_settings",
    "install_log_redaction",
    "Provider",
    "redact",
    "RedactSecrets",
    "safe_url",
    "Settings",
]

Provider = Literal["auto", "local", "openai", "fake"]

DEFAULT_LOCAL_MODEL = "qwen2.5-1.5b"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Settings(BaseSettings):
    """Everything the app can be configured with.

    Environment variables: ``INFORMANT_*`` for the app, ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``
    for OpenAI or any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp's server).
    """

    model_config = SettingsConfigDict(env_prefix="INFORMANT_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".mock-informant")
    provider: Provider = "auto"
    # For the embedded provider: a name from agents.models.LOCAL_MODELS.
    # For OpenAI-compatible servers: the served model's name.
    model: str | None = None
    threads: int = Field(default_factory=lambda: os.cpu_count() or 2)
    # The local model's context window. The persona's notes (~2,000 tokens) are read once and
    # cached; 8,192 leaves room for about 30 turns before the oldest are summarised.
    context_tokens: int = 8192
    # Saved llama.cpp states (KV caches) of recent conversations, so they can take turns.
    state_cache_mb: int = 384
    max_answer_tokens: int = 160
    temperature: float = 0.4
    retrieval_k: int = 3
    request_timeout_s: float = 60.0
    max_retries: int = 2
    fake_delay_ms: int = 0  # the fake provider's pause between streamed words

    # A Chroma server (`chroma run --path DIR --host 127.0.0.1 --port 8000`) instead of the local store.
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="CHROMA_PORT")

    # "user:password": required before the app listens on anything but this computer (127.0.0.1).
    auth: SecretStr | None = None

    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        return Path(value).expanduser() if isinstance(value, str | Path) else value

    @property
    def resolved_provider(self) -> Literal["local", "openai", "fake"]:
        if self.provider != "auto":
            return self.provider
        if self.openai_api_key or self.openai_base_url:
            return "openai"
        return "local"

    @property
    def resolved_model(self) -> str:
        if self.model:
            return self.model
        provider = self.resolved_provider
        if provider == "openai":
            return "gpt-4o-mini"
        if provider == "fake":
            return "fake"
        return DEFAULT_LOCAL_MODEL

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    def login(self) -> tuple[str, str] | None:
        """The (user, password) of ``INFORMANT_AUTH``, or None; a malformed value is a ValueError."""
        if self.auth is None:
            return None
        user, sep, password = self.auth.get_secret_value().partition(":")
        if not sep or not user.strip() or len(password) < 8:
            raise ValueError(
                "INFORMANT_AUTH must be user:password with a password of at least 8 characters. "
                "Fix: export INFORMANT_AUTH='me:a-long-passphrase'"
            )
        return user.strip(), password

    def check_listen(self, host: str) -> None:
        """Refuse to serve beyond this computer without a login (a ValueError naming the fix)."""
        if host in LOOPBACK:
            self.login()  # still check a configured value
            return
        if self.login() is None:
            raise ValueError(
                f"refusing to listen on {host} without a login: anyone on the network could read your "
                "sessions. Fix: set INFORMANT_AUTH=user:password, or serve on 127.0.0.1."
            )

    def describe(self) -> str:
        """A one-line, secret-free description (safe for logs and the page)."""
        where = f" at {safe_url(self.openai_base_url)}" if self.openai_base_url else ""
        return f"{self.resolved_provider}:{self.resolved_model}{where}"

    def secrets(self) -> list[str]:
        """Every configured secret value (the API key, the login's password), for redaction."""
        values = []
        if self.openai_api_key is not None:
            values.append(self.openai_api_key.get_secret_value())
        if self.auth is not None:
            values.append(self.auth.get_secret_value().partition(":")[2])
        if self.openai_base_url and (match := _URL_USERINFO.search(self.openai_base_url)):
            values.append(match.group(1))
        return [v for v in values if len(v) >= 4]


# Keys that look like OpenAI's (even masked, as error bodies echo them) and credentials in URLs.
_KEY_LIKE = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_*\-]{6,}")
_URL_USERINFO = re.compile(r"(?<=://)([^/@\s]+)@")
REDACTED = "[redacted]"


def safe_url(url: str) -> str:
    """A URL without any ``user:password@`` in it."""
    return _URL_USERINFO.sub(f"{REDACTED}@", url)


def redact(text: str, settings: Settings | None) -> str:
    """``text`` with every secret configured in ``settings`` and anything shaped like an API key
    replaced (with ``settings`` None, only what is shaped like a key or a URL's password)."""
    for secret in sorted(settings.secrets() if settings else [], key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return safe_url(_KEY_LIKE.sub(REDACTED, text))


class RedactSecrets(logging.Filter):
    """A logging filter (on handlers) that removes secrets from every record it passes."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.settings)
        if cleaned != message or record.exc_info:
            if record.exc_info:  # a traceback may quote a secret: keep its text, redacted
                cleaned = redact(f"{cleaned}\n{logging.Formatter().formatException(record.exc_info)}", self.settings)
                record.exc_info, record.exc_text = None, None
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction(settings: Settings) -> None:
    """Redact secrets in everything the root logger's handlers write."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets(settings))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once. Only entry points call this (the app's launch,
    the CLI, the evals); everything else is handed the settings it needs."""
    return Settings()
