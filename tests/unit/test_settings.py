from core.settings import Settings, get_settings


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


def test_redaction_removes_configured_secrets_key_shapes_and_url_credentials(monkeypatch):
    import io
    import logging

    from core.settings import RedactSecrets, redact

    monkeypatch.setenv("OPENAI_API_KEY", "gsk_custom-provider-key-77")  # not sk- shaped: found as configured
    monkeypatch.setenv("OPENAI_BASE_URL", "http://me:hunter22@127.0.0.1:8080/v1")
    monkeypatch.setenv("INFORMANT_AUTH", "coach:correct-horse-battery")
    get_settings.cache_clear()
    settings = get_settings()
    text = (
        "key gsk_custom-provider-key-77, masked sk-proj-abc1********xyz9, "
        "url http://me:hunter22@127.0.0.1:8080/v1, login correct-horse-battery"
    )
    cleaned = redact(text, settings)
    for secret in ("gsk_custom-provider-key-77", "sk-proj-abc1", "hunter22", "correct-horse-battery"):
        assert secret not in cleaned
    assert "http://[redacted]@127.0.0.1:8080/v1" in cleaned and "hunter22" not in get_settings().describe()

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(settings))
    logger = logging.getLogger("test-redaction")
    logger.addHandler(handler)
    try:
        logger.warning("calling with %s", "gsk_custom-provider-key-77")
        try:
            raise RuntimeError("401 for key gsk_custom-provider-key-77")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert (
        "gsk_custom" not in logged
        and "calling with [redacted]" in logged
        and "RuntimeError: 401 for key [redacted]" in logged
    )


def test_an_unexpected_error_in_the_cli_is_one_redacted_line(monkeypatch, capsys):
    from cli import dispatch

    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-0123456789abcdef")
    get_settings.cache_clear()

    def boom(*args):
        raise RuntimeError("upstream said:\nbad key sk-live-0123456789abcdef")

    monkeypatch.setitem(dispatch.COMMANDS, "personas", boom)
    assert dispatch.main(["personas"]) == 1
    err = capsys.readouterr().err
    assert err == "informant: error: RuntimeError: upstream said: bad key [redacted]\n"


def test_home_moves_all_state(monkeypatch, tmp_path):
    monkeypatch.setenv("INFORMANT_HOME", str(tmp_path / "x"))
    s = Settings()
    assert s.chroma_dir.parent == tmp_path / "x" and s.models_dir.parent == tmp_path / "x"


def test_the_app_listens_beyond_this_computer_only_with_a_login(monkeypatch):
    import pytest

    from core.settings import Settings

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

    from cli import main

    code = main(["serve", "--host", "0.0.0.0"], out=io.StringIO(), stdin=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2 and "INFORMANT_AUTH=user:password" in err and err.count("\n") == 1


def test_a_new_home_and_the_apps_temporary_files_are_private(tmp_path):
    import stat

    from agents.runtime import Runtime

    home = tmp_path / "new-home"
    Runtime(Settings(home=home, provider="fake"))
    assert stat.S_IMODE(home.stat().st_mode) == 0o700

    import os

    from ui.common import export_dir

    assert stat.S_IMODE(export_dir().parent.stat().st_mode) == 0o700  # exports and uploads live under it
    assert os.environ["GRADIO_TEMP_DIR"].startswith(str(export_dir().parent))


def test_served_on_loopback_with_no_share_link_and_no_telemetry(home, monkeypatch):
    import os

    import gradio as gr
    import pytest

    import app
    from cli import build_parser
    from knowledge.store import NoteStore

    launched: dict = {}

    def fake_launch(self, **kwargs):
        launched.update(kwargs, analytics=self.analytics_enabled)
        raise SystemExit  # stop before serving

    monkeypatch.setattr(gr.Blocks, "launch", fake_launch)
    monkeypatch.setattr(app.Runtime, "load_in_background", lambda self: None)
    args = build_parser().parse_args(["serve"])
    with pytest.raises(SystemExit):
        app.launch(host=args.host, port=args.port)
    assert args.host == "127.0.0.1" and launched["server_name"] == "127.0.0.1"
    assert launched["share"] is False and launched["auth"] is None and launched["analytics"] is False
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False" and os.environ["ORT_DISABLE_TELEMETRY"] == "1"
    assert NoteStore(home / "chroma").client.get_settings().anonymized_telemetry is False
