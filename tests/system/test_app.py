"""The page, built and served on loopback with the fake model, driven through Gradio's client."""

import socket

import pytest
from gradio_client import Client

from app import build_app
from knowledge.personas import Personas, industries
from ui.common import CSS
from ui.view import chat_history, live_feedback, persona_choices

# The persona the page offers first (the Start endpoint takes what the dropdown offers).
FIRST = persona_choices(Personas(None), industries()[0])[0][1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(runtime):
    demo = build_app(runtime)
    demo.queue()
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    try:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False, download_files=False)
    finally:
        demo.close()


def test_the_app_builds():
    from agents.runtime import Runtime
    from core.settings import Settings

    assert build_app(Runtime(Settings(provider="fake"))) is not None


def test_one_turn_through_the_served_app(served, fake_model):
    fake_model.enqueue("I start at seven with a stand-up, then two hours of focused work.")
    history, box, results, live, talking = served.predict(FIRST, "Learn what the work is like", 25, api_name="/start")
    assert history[0]["role"] == "assistant" and "25 minutes" in talking and not results and not live
    history, box, live = served.predict("What is your typical day like in your role?", history, api_name="/send")
    answer = history[-1]["content"]
    text = answer if isinstance(answer, str) else str(answer)
    assert "stand-up, then two hours" in text and "Notes used" in text and "Typical day" in text
    # The question's feedback: a chip under it in the chat, and the live line a screen reader announces.
    question = str(history[-2]["content"])
    assert 'id="fb-q1"' in question and "4/5" in question
    assert "Feedback on Q1: 4 of 5" in live
    results = served.predict(api_name="/end")[2]
    assert "Your session:" in results and "of 5" in results and "Q1 · 4/5" in results


def test_empty_question_is_refused_without_losing_the_conversation(served):
    history, *_ = served.predict(FIRST, "", 25, api_name="/start")
    result = served.predict("   ", history, api_name="/send")
    # Nothing changes: the chat keeps its history and the text box keeps what was typed.
    assert result[0] == {"__type__": "update"} and result[1] == {"__type__": "update"}


def test_feedback_escapes_html(informant):
    from knowledge.personas import get_persona

    conversation = informant.start(get_persona("marcus-bell"))
    informant.ask(conversation, "<script>alert(1)</script> what is your day like?")
    shown = str(chat_history(conversation)) + live_feedback(1, conversation.turns[0].critique)
    assert "<script>" not in shown.replace("**Q1** · <script>", "")  # the question itself: Gradio sanitises it


def test_prepare_then_delete_and_add_rows_in_the_table(served):
    table, summary, *_ = served.predict(FIRST, "", "", 30, api_name="/prepare")
    rows = table["data"]
    assert len(rows) >= 6 and rows[-1][1] == "networking"
    # Delete row 2 and add a question of your own: the other rows keep their questions and topics.
    edited = [rows[0], *rows[2:], ["", "", "What surprised you most this year?", 3, "", ""]]
    table, summary, *_ = served.predict({"headers": table["headers"], "data": edited}, api_name="/plan_edit")
    after = table["data"]
    assert [r[2] for r in after[:-1]] == [r[2] for r in [rows[0], *rows[2:]]]
    assert [r[1] for r in after[:-1]] == [r[1] for r in [rows[0], *rows[2:]]]
    assert after[-1][2] == "What surprised you most this year?" and after[-1][4] == "ok"
    assert [r[0] for r in after] == list(range(1, len(after) + 1))
