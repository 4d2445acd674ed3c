from agents.settings import Settings


def test_provider_defaults_to_the_embedded_model(monkeypatch):
    s = Settings()
    assert s.resolved_provider == "local" and s.resolved_model == "qwen2.5-1.5b"


def test_openai_when_a_key_or_base_url_is_set(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("INFORMANT_MODEL", "llama3.2")
    s = Settings()
    assert s.resolved_provider == "openai" and s.resolved_model == "llama3.2"


def test_secrets_never_show(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-123")
    s = Settings()
    assert "sk-secret-123" not in repr(s) and "sk-secret-123" not in s.describe()
    assert s.resolved_model == "gpt-4o-mini"


def test_home_moves_all_state(monkeypatch, tmp_path):
    monkeypatch.setenv("INFORMANT_HOME", str(tmp_path / "x"))
    s = Settings()
    assert s.chroma_dir.parent == tmp_path / "x" and s.models_dir.parent == tmp_path / "x"
