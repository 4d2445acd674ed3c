"""Shared fixtures. No test reaches a network or a real model unless it says so.

The tests are sorted by kind, one folder each, and each test is marked with its folder's name:
- ``unit/``: one concept at a time, no note store, no server (``make test-fast`` runs them);
- ``integration/``: the parts together over a real Chroma and SQLite in a temp dir (also fast);
- ``system/``: the whole app: the page built and served (Chromium), subprocesses, the real
  smallest model, the benchmark.
Shared test doubles live in ``tests/fakes/``.

- Every test gets its own ``INFORMANT_HOME`` and no provider keys.
- ``agents.models.ALLOW_MODEL_REQUESTS`` is False: building or calling a real model fails.
  The one test marked ``model`` turns it on for itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
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

KINDS = ("unit", "integration", "system")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its kind (the folder it is in), so ``-m unit`` and the like select it."""
    for item in items:
        kind = item.path.parent.name
        if kind in KINDS:
            item.add_marker(getattr(pytest.mark, kind))


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


# What the ingested notes depend on: when any of these change, the notes are ingested afresh.
INGEST_INPUTS = ("knowledge/notes", "knowledge/vocabulary.yaml", "knowledge/store.py", "knowledge/documents.py")


def _ingest_key() -> str:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in INGEST_INPUTS:
        path = root / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def builtin_ingest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A home with the built-in notes ingested, and what that first ingest counted.

    Ingesting the notes embeds ~400 chunks (about 15 s on 2 cores), so it is done once, and kept
    between runs in the system's temp folder under a key of everything it depends on: a second run of
    the edit loop (``make test-fast``) starts at once. A clean machine (CI) ingests afresh.
    """
    from knowledge.store import NoteStore

    cache = Path(tempfile.gettempdir()) / "mock-informant-tests" / f"ingested-{_ingest_key()}"
    if not (cache / "ingest.json").is_file():
        build = tmp_path_factory.mktemp("ingesting")
        result = NoteStore(build / "home" / "chroma").ingest_builtin()
        (build / "home" / "ingest.json").write_text(json.dumps(dataclasses.asdict(result)))
        cache.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(build / "home", cache)  # atomic: a concurrent run keeps its own or finds this one
        except OSError:
            shutil.rmtree(build / "home", ignore_errors=True)
            if not (cache / "ingest.json").is_file():
                raise
    home = tmp_path_factory.mktemp("seeded-home")
    shutil.copytree(cache, home, dirs_exist_ok=True)
    return home, json.loads((home / "ingest.json").read_text())


@pytest.fixture(scope="session")
def _ingested_home(builtin_ingest: tuple[Path, dict[str, int]]) -> Path:
    return builtin_ingest[0]


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
