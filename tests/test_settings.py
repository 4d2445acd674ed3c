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


def test_the_app_listens_beyond_this_computer_only_with_a_login(monkeypatch):
    import pytest

    from agents.settings import Settings

    Settings().check_listen("127.0.0.1")  # the default needs no login
    with pytest.raises(ValueError, match="refusing to listen on 0.0.0.0 without a login"):
        Settings().check_listen("0.0.0.0")
    settings = Settings(auth="coach:correct-horse")
    settings.check_listen("0.0.0.0")
    assert settings.login() == ("coach", "correct-horse")
    for bad in ("no-colon", "coach:short", ":password-without-user"):
        with pytest.raises(ValueError, match="INFORMANT_AUTH must be user:password") as caught:
            Settings(auth=bad).check_listen("127.0.0.1")
        assert bad.partition(":")[2] not in str(caught.value) or not bad.partition(":")[2]  # never echoes it


def test_serve_refuses_an_open_address_in_one_line(home, monkeypatch, capsys):
    import io

    from agents.cli import main

    code = main(["serve", "--host", "0.0.0.0"], out=io.StringIO(), stdin=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2 and "INFORMANT_AUTH=user:password" in err and err.count("\n") == 1
