"""Shared fixtures. No test reaches a network or a real model unless it says so.

- Every test gets its own ``INFORMANT_HOME`` and no provider keys.
- ``agents.models.ALLOW_MODEL_REQUESTS`` is False: building or calling a real model fails.
  The one test marked ``model`` turns it on for itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

import agents.models as models
from agents.models import FakeChatModel
from agents.runtime import Runtime
from core.settings import Settings, get_settings

# Property tests: no deadlines (these machines are shared and noisy), no example database in the tree,
# and the same examples on every run so a failure reproduces.
hypothesis_settings.register_profile(
    "informant", deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("informant")

PROVIDER_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "INFORMANT_PROVIDER", "INFORMANT_MODEL", "INFORMANT_HOME")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for var in PROVIDER_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("INFORMANT_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def _ingested_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the built-in notes ingested once per test session (copied per test)."""
    from knowledge.store import NoteStore

    home = tmp_path_factory.mktemp("seeded-home")
    NoteStore(home / "chroma").ingest_builtin()
    return home


@pytest.fixture
def home(tmp_path: Path, _ingested_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of an already-ingested home (fast), set as INFORMANT_HOME."""
    target = tmp_path / "seeded"
    shutil.copytree(_ingested_home, target)
    monkeypatch.setenv("INFORMANT_HOME", str(target))
    get_settings.cache_clear()
    return target


@pytest.fixture
def fake_model() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(home=home, provider="fake")


@pytest.fixture
def runtime(settings: Settings, fake_model: FakeChatModel) -> Runtime:
    return Runtime(settings, model=fake_model)


@pytest.fixture
def store(runtime: Runtime):
    return runtime.store()


@pytest.fixture
def informant(runtime: Runtime):
    return runtime.informant()
