"""Provider faults from an OpenAI-compatible server on loopback (tests/fake_openai.py)."""

import io
import json

import pytest

import agents.models as models
from agents.cli import main
from tests.fake_openai import FakeOpenAI, Fault

QUESTION = "What is your typical day like in your role?"


@pytest.fixture
def served(home, monkeypatch):
    def start(replies):
        server = FakeOpenAI(replies)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("INFORMANT_MODEL", "served-model")
        monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", True)  # a loopback server, not the network
        return server

    return start


def test_a_rate_limit_with_retry_after_is_retried_and_the_answer_arrives(served):
    with served([Fault(429, retry_after="0"), "I start every shift with handoff at the bedside."]) as server:
        out = io.StringIO()
        assert main(["ask", "--json", "--persona", "marcus-bell", QUESTION], out=out) == 0
    assert json.loads(out.getvalue())["answer"] == "I start every shift with handoff at the bedside."
    assert len(server.requests) == 2  # the refused request, then the retry


def test_server_errors_beyond_the_retries_end_in_one_line_and_the_session_is_kept(served, capsys):
    with served([Fault(500)]) as server:
        code = main(["ask", "--persona", "marcus-bell", QUESTION], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Fix: check the model server and ask again" in err
    assert len(server.requests) == 3  # the first try and two retries (INFORMANT_MAX_RETRIES)
    code = main(["sessions", "--json"], out=(listing := io.StringIO()))
    assert code == 0 and json.loads(listing.getvalue())[0]["turns"] == 1  # the question is kept
