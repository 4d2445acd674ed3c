"""Provider faults from an OpenAI-compatible server on loopback (tests/fakes/openai_server.py).

Each fault is tried through the CLI (one line on stderr, exit 1, the session kept) and the
informant (the turn is marked partial and says what happened); the retries are counted on the
server. The page shows the same line (``answer_markdown``).
"""

import io
import json
import logging

import pytest

import agents.models as models
from agents.sessions import SessionStore
from cli import main
from core.settings import get_settings
from tests.fakes.openai_server import Cut, FakeOpenAI, Fault, Hang, Malformed, refused_url
from ui.view import answer_markdown

QUESTION = "What is your typical day like in your role?"
ANSWER = "I start every shift with handoff at the bedside. Then I round on my patients."
SECRET = "sk-test-9f8e7d6c5b4a39281706"


@pytest.fixture
def served(home, monkeypatch):
    monkeypatch.setenv("INFORMANT_MODEL", "served-model")
    monkeypatch.setenv("INFORMANT_REQUEST_TIMEOUT_S", "0.5")
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", True)  # a loopback server, not the network

    def start(replies):
        server = FakeOpenAI(replies)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        get_settings.cache_clear()
        return server

    return start


def ask(capsys) -> tuple[int, dict, str]:
    out = io.StringIO()
    code = main(["ask", "--json", "--persona", "marcus-bell", QUESTION], out=out)
    return code, json.loads(out.getvalue()), capsys.readouterr().err


def saved_turns(home) -> list:
    store = SessionStore(home / "sessions.db")
    (session,) = store.list()
    return store.get(session.id).turns


def test_a_rate_limit_with_retry_after_is_retried_and_the_answer_arrives(served, capsys):
    with served([Fault(429, retry_after="0"), ANSWER]) as server:
        code, payload, err = ask(capsys)
    assert code == 0 and payload["answer"] == ANSWER and err == ""
    assert len(server.requests) == 2  # the refused request, then the retry


@pytest.mark.parametrize(
    ("replies", "requests", "says"),
    [
        ([Fault(500)], 3, "no answer: the model server failed (http 500; 3 tries). fix: check the model server"),
        ([Fault(429, retry_after="0")], 3, "rate-limiting requests (http 429; 3 tries). fix: wait a minute"),
        ([Hang(2)], 3, "did not answer within 0.5 s (3 tries). fix: ask again, or raise informant_request_timeout_s"),
        ([Malformed()], 1, "reply was not valid openai-style json. fix: check that openai_base_url"),
        ([Malformed(b"data: {not json\n\n")], 1, "reply was not valid openai-style json"),
        ([Fault(404)], 1, "has no model 'served-model' (http 404). fix: set informant_model"),
    ],
    ids=["500s", "429s", "timeouts", "malformed-json", "malformed-stream", "unknown-model"],
)
def test_each_fault_ends_in_one_line_with_the_fix_and_the_question_is_kept(
    served, capsys, home, replies, requests, says
):
    with served(replies) as server:
        code, payload, err = ask(capsys)
    assert code == 1 and err.count("\n") == 1 and says in err.lower(), err
    assert len(server.requests) == requests  # the first try and INFORMANT_MAX_RETRIES (2) retries when transient
    assert payload["answer"] == "" and payload["partial"] is True
    (turn,) = saved_turns(home)
    assert turn.partial and turn.question == QUESTION and says.split(": ", 1)[-1][:30] in turn.error.lower()


def test_a_stream_cut_mid_answer_keeps_the_words_that_arrived_marked_partial(served, capsys, home):
    with served([Cut(ANSWER, words=6)]):
        code, payload, err = ask(capsys)
    assert (
        code == 1
        and err
        == "informant: The answer was cut off: the connection to the model server dropped mid-answer. Fix: ask again.\n"
    )
    assert payload["answer"] == "I start every shift with handoff" and payload["partial"] is True
    (turn,) = saved_turns(home)
    assert turn.partial and turn.answer == "I start every shift with handoff"
    shown = answer_markdown(turn)  # what the page shows under the answer
    assert shown.startswith("I start every shift with handoff") and "*The answer was cut off: the connection" in shown
    assert "Your conversation is kept." in shown


def test_connection_refused_names_the_address_and_the_fix(home, monkeypatch, capsys):
    monkeypatch.setenv("INFORMANT_MODEL", "served-model")
    monkeypatch.setenv("OPENAI_BASE_URL", refused_url())
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", True)
    get_settings.cache_clear()
    code, payload, err = ask(capsys)
    assert code == 1 and err.count("\n") == 1
    assert (
        "No answer: could not reach http://127.0.0.1:" in err
        and "Fix: start the server, or correct OPENAI_BASE_URL" in err
    )


def test_after_a_fault_the_next_question_is_answered_in_the_same_chat(served):
    with served([Fault(503), Fault(503), Fault(503), ANSWER]):
        out = io.StringIO()
        code = main(["chat", "--persona", "marcus-bell"], out=out, stdin=io.StringIO(f"{QUESTION}\n{QUESTION}\n"))
    text = out.getvalue()
    assert code == 0 and "(No answer: the model server failed (HTTP 503; 3 tries)." in text
    assert "Your conversation is kept.)" in text and "I start every shift with handoff at the bedside." in text


def test_a_key_the_server_echoes_never_reaches_the_seeker_the_log_or_an_export(
    served, monkeypatch, capsys, caplog, home
):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    echo = f"Incorrect API key provided: {SECRET}. You can find your API key at https://example.invalid."
    with caplog.at_level(logging.DEBUG), served([Fault(401, message=echo)]):
        code, payload, err = ask(capsys)
    assert code == 1 and "the model server refused the API key (HTTP 401). Fix: check OPENAI_API_KEY." in err
    (session,) = SessionStore(home / "sessions.db").list()
    exported = io.StringIO()
    assert main(["export", session.id, "--format", "json"], out=exported) == 0
    everything = [err, json.dumps(payload), exported.getvalue(), caplog.text]
    assert not any(SECRET in text or SECRET[:12] in text for text in everything)
