"""Saved practice sessions: storage, crash safety, rename/delete, export/import, resume,
progress, and the ``informant sessions|export|import|chat --resume`` commands."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from agents.critic import Critique
from agents.informant import Turn
from agents.sessions import MAX_IMPORT_BYTES, SessionStore
from cli import main
from core.errors import SessionError
from knowledge.personas import get_persona

REPO = Path(__file__).resolve().parents[2]
Q_DAY = "What is your typical day like in your role?"
Q_LIKE = "Do you like it?"
Q_PATH = "How did you get started in nursing?"

# Fields of a Turn that the session store persists.
STORED_FIELDS = ("question", "answer", "sources", "critique", "started", "finished", "partial", "error")


def stored(turn: Turn) -> dict:
    return {name: getattr(turn, name) for name in STORED_FIELDS}


def crit(question: str, score: int, topic: str, flags: list[str] | None = None, rewrite: str | None = None) -> Critique:
    return Critique(question, score, flags or [], topic, f"Feedback on: {question}", rewrite)


def make_turn(question: str, score: int = 4, topic: str = "typical_day", **kw) -> Turn:
    return Turn(
        question=question,
        answer=kw.pop("answer", f"Answer to {question}"),
        sources=kw.pop("sources", [{"id": "n1", "title": "Note one", "source": "Handbook"}]),
        critique=crit(question, score, topic, **kw),
        started="2024-05-01T10:00:00+00:00",
        finished="2024-05-01T10:00:05+00:00",
    )


@pytest.fixture
def held(runtime, informant):
    """A two-turn conversation with Marcus Bell, held and saved the way the app and CLI do it."""
    sessions = runtime.sessions()
    conversation = informant.start(get_persona("marcus-bell"), "  learn what nursing is like  ")
    turns = []
    for question in (Q_DAY, Q_LIKE):
        turn = informant.ask(conversation, question)
        sessions.save_turn(conversation, turn)
        turns.append(turn)
    return sessions, conversation, turns


def run(args: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, out=out, stdin=io.StringIO(stdin))
    return code, out.getvalue()


# --------------------------------------------------------------------------- 1. saving a conversation


def test_session_is_created_on_the_first_saved_turn_and_grows_turn_by_turn(runtime, informant):
    sessions = runtime.sessions()
    conversation = informant.start(get_persona("marcus-bell"), "learn nursing")
    assert conversation.session_id is None and sessions.list() == []

    first = informant.ask(conversation, Q_DAY)
    assert conversation.session_id is None  # asking alone does not save
    session_id = sessions.save_turn(conversation, first)
    assert conversation.session_id == session_id and len(session_id) == 8
    [row] = sessions.list()
    assert (row.id, row.persona, row.goal, row.turn_count) == (session_id, "marcus-bell", "learn nursing", 1)
    assert row.score == first.critique.score == 4

    second = informant.ask(conversation, Q_LIKE)
    assert sessions.save_turn(conversation, second) == session_id  # same session, not a new one
    [row] = sessions.list()
    assert row.turn_count == 2
    assert second.critique.score == 1
    assert row.score == 2.5  # (4 + 1) / 2


def test_each_turn_is_stored_with_question_answer_sources_critique_and_timestamps(held):
    sessions, conversation, turns = held
    record = sessions.get(conversation.session_id)
    assert record.persona == "marcus-bell" and record.goal == "learn what nursing is like"
    assert record.turn_count == 2 and record.score == 2.5
    assert [stored(t) for t in record.turns] == [stored(t) for t in turns]  # exact round trip

    day, like = record.turns
    assert day.question == Q_DAY and day.answer.startswith("In my experience:")
    assert day.sources and all(set(s) == {"id", "title", "source"} for s in day.sources)
    assert "Registered nurse: Typical day" in {s["title"] for s in day.sources}
    assert day.critique.topic == "typical_day" and day.critique.flags == []
    assert like.critique.flags == ["closed", "vague"] and like.critique.rewrite
    for turn in record.turns:
        started, finished = datetime.fromisoformat(turn.started), datetime.fromisoformat(turn.finished)
        assert started.tzinfo is not None and finished >= started
        assert turn.partial is False and turn.error is None


def test_partial_turn_keeps_its_error_and_is_left_out_of_the_resumed_history(tmp_path):
    sessions = SessionStore(tmp_path / "s.db")
    session_id = sessions.create(get_persona("marcus-bell"))
    sessions.add_turn(session_id, make_turn("First question?"))
    cut = make_turn("Second question?", answer="It depends on")
    cut.partial, cut.error = True, "ReadTimeout: server stopped"
    assert sessions.add_turn(session_id, cut) == 2
    loaded = sessions.get(session_id).turns[1]
    assert (loaded.partial, loaded.error, loaded.answer) == (True, "ReadTimeout: server stopped", "It depends on")
    conversation = sessions.resume(session_id)
    assert len(conversation.turns) == 2
    assert [m.content for m in conversation.messages] == ["First question?", "Answer to First question?"]


# --------------------------------------------------------------------------- 2. restart and crash safety


def test_a_second_store_on_the_same_file_sees_every_completed_turn(held):
    sessions, conversation, turns = held
    reopened = SessionStore(sessions.path)  # what a new process does
    assert [r.id for r in reopened.list()] == [conversation.session_id]
    assert [stored(t) for t in reopened.get(conversation.session_id).turns] == [stored(t) for t in turns]


CRASH_CHILD = textwrap.dedent(
    """
    import sqlite3, sys, time
    from pathlib import Path
    from agents.critic import Critique
    from agents.informant import Turn
    from agents.sessions import SessionStore
    from knowledge.personas import get_persona

    path, n = Path(sys.argv[1]), int(sys.argv[2])
    store = SessionStore(path)
    sid = store.create(get_persona("priya-raman"), "crash test")
    critique = Critique("q", 3, [], "skills", "ok", None)
    for i in range(1, n + 1):
        store.add_turn(sid, Turn(f"Question {i}?", f"Answer {i}.", [], critique, "2024-01-01T00:00:00+00:00"))
    # A turn in flight when the process dies: an open, uncommitted write transaction.
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    db.execute(
        "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sid, n + 1, "In flight?", "", "[]", "{}", "t", "t", 0, None),
    )
    print(sid, flush=True)
    print("READY", flush=True)
    time.sleep(120)
    """
)


def test_completed_turns_survive_a_sigkill(tmp_path):
    path = tmp_path / "crash" / "sessions.db"
    n = 5
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH_CHILD, str(path), str(n)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        session_id = child.stdout.readline().strip()
        ready = child.stdout.readline().strip()
        assert ready == "READY", child.stderr.read() if child.poll() is not None else ready
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()

    store = SessionStore(path)
    record = store.get(session_id)
    assert [t.question for t in record.turns] == [f"Question {i}?" for i in range(1, n + 1)]
    assert [t.answer for t in record.turns] == [f"Answer {i}." for i in range(1, n + 1)]
    assert record.persona == "priya-raman" and record.goal == "crash test"
    [row] = store.list()
    assert row.turn_count == n and row.score == 3.0
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == n  # the in-flight turn is gone
    finally:
        db.close()
    assert store.add_turn(session_id, make_turn("After the crash?")) == n + 1  # still writable


# --------------------------------------------------------------------------- 3. rename, delete, unknown ids


def test_rename_normalises_the_title_and_refuses_an_empty_one(held):
    sessions, conversation, _ = held
    sid = conversation.session_id
    assert sessions.get(sid).display_title.startswith("Marcus Bell · ")
    sessions.rename(sid, "  Nursing\n   practice  ")
    assert sessions.get(sid).title == "Nursing practice"
    assert sessions.list()[0].row()["title"] == "Nursing practice"

    for empty in ("", "   ", "\n\t"):
        with pytest.raises(SessionError, match="can't be empty"):
            sessions.rename(sid, empty)
    assert sessions.get(sid).title == "Nursing practice"

    sessions.rename(sid, "x" * 300)
    assert sessions.get(sid).title == "x" * 120


def test_delete_removes_the_session_and_cascades_to_its_turns(held):
    sessions, conversation, _ = held
    other = sessions.create(get_persona("priya-raman"))
    sessions.add_turn(other, make_turn("What skills matter most?", topic="skills"))

    sessions.delete(conversation.session_id)
    assert [r.id for r in sessions.list()] == [other]
    db = sqlite3.connect(sessions.path)
    try:
        counts = dict(db.execute("SELECT session_id, COUNT(*) FROM turns GROUP BY session_id").fetchall())
    finally:
        db.close()
    assert counts == {other: 1}
    with pytest.raises(SessionError):
        sessions.get(conversation.session_id)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.get("nope1234"),
        lambda s: s.delete("nope1234"),
        lambda s: s.rename("nope1234", "A title"),
        lambda s: s.end("nope1234"),
        lambda s: s.resume("nope1234"),
        lambda s: s.export_json("nope1234"),
        lambda s: s.export_markdown("nope1234"),
        lambda s: s.get(""),
    ],
    ids=["get", "delete", "rename", "end", "resume", "export_json", "export_markdown", "empty-id"],
)
def test_unknown_session_id_is_a_session_error_naming_informant_sessions(tmp_path, call):
    sessions = SessionStore(tmp_path / "s.db")
    sessions.create(get_persona("marcus-bell"))
    with pytest.raises(SessionError) as info:
        call(sessions)
    message = str(info.value)
    assert "`informant sessions`" in message and "\n" not in message
    assert len(sessions.list()) == 1


def test_end_sets_the_end_time(held):
    sessions, conversation, _ = held
    assert sessions.get(conversation.session_id).ended is None
    sessions.end(conversation.session_id)
    ended = sessions.get(conversation.session_id).ended
    assert ended is not None and datetime.fromisoformat(ended).tzinfo is not None


# --------------------------------------------------------------------------- 4. export / import JSON


def test_export_json_then_import_json_gives_a_new_session_with_the_same_turns(held):
    sessions, conversation, turns = held
    sessions.rename(conversation.session_id, "Night shift questions")
    exported = sessions.export_json(conversation.session_id)
    assert exported["format"] == "mock-informant-session" and exported["version"] == 1
    assert exported["persona"] == {
        "id": "marcus-bell",
        "name": "Marcus Bell",
        "title": "Registered Nurse, Medical-Surgical Unit",
    }
    assert len(exported["report"]["questions"]) == 2 and exported["report"]["band"] in (
        "poor",
        "fair",
        "good",
        "excellent",
    )

    new_id = sessions.import_json(json.dumps(exported))
    assert new_id != conversation.session_id
    assert {r.id for r in sessions.list()} == {conversation.session_id, new_id}
    original, copy = sessions.get(conversation.session_id), sessions.get(new_id)
    assert (copy.persona, copy.goal, copy.title, copy.started) == (
        "marcus-bell",
        "learn what nursing is like",
        "Night shift questions",
        original.started,
    )
    for name in ("question", "answer", "critique", "sources", "started", "finished", "partial"):
        assert [getattr(t, name) for t in copy.turns] == [getattr(t, name) for t in turns], name
    assert copy.score == original.score == 2.5

    # bytes (as read from a file) import the same way
    again = sessions.import_json(json.dumps(exported).encode("utf-8"))
    assert [t.question for t in sessions.get(again).turns] == [Q_DAY, Q_LIKE]


def _valid_export(sessions: SessionStore) -> dict:
    sid = sessions.create(get_persona("marcus-bell"), "goal")
    sessions.add_turn(sid, make_turn("What do you do all day?"))
    return sessions.export_json(sid)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda e: "{not json", "not a Mock Informant session export"),
        (lambda e: b"\xff\xfe\x00garbage", "not a Mock Informant session export"),
        (lambda e: "", "not a Mock Informant session export"),
        (lambda e: json.dumps([1, 2, 3]), "not a Mock Informant session export"),
        (lambda e: json.dumps({"hello": "world"}), "not a Mock Informant session export"),
        (lambda e: json.dumps({**e, "turns": [{"question": "", "answer": "a"}]}), "not a Mock Informant"),
        (lambda e: json.dumps({**e, "format": "something-else"}), "Unsupported export"),
        (lambda e: json.dumps({**e, "version": 99}), "Unsupported export"),
        (lambda e: json.dumps(e) + " " * MAX_IMPORT_BYTES, "over 5 MB"),
        (lambda e: (json.dumps(e) + " " * MAX_IMPORT_BYTES).encode(), "over 5 MB"),
    ],
    ids=[
        "invalid-json",
        "not-utf8",
        "empty",
        "json-list",
        "json-object",
        "empty-question",
        "wrong-format",
        "newer-version",
        "over-5mb-str",
        "over-5mb-bytes",
    ],
)
def test_bad_imports_are_a_one_line_session_error_and_store_nothing(tmp_path, make, message):
    sessions = SessionStore(tmp_path / "s.db")
    export = _valid_export(sessions)
    before = [(r.id, r.turn_count) for r in sessions.list()]
    with pytest.raises(SessionError) as info:
        sessions.import_json(make(export))
    assert message in str(info.value) and "\n" not in str(info.value) and "Fix:" in str(info.value)
    assert [(r.id, r.turn_count) for r in sessions.list()] == before


def test_import_with_an_unknown_persona_is_refused_and_stores_nothing(tmp_path):
    sessions = SessionStore(tmp_path / "s.db")
    export = _valid_export(sessions)
    export["persona"] = {"id": "nobody-at-all", "name": "Nobody"}
    before = [r.id for r in sessions.list()]
    with pytest.raises(ValueError, match="nobody-at-all") as info:
        sessions.import_json(json.dumps(export))
    assert "\n" not in str(info.value)
    assert [r.id for r in sessions.list()] == before


def test_import_with_an_unknown_persona_is_a_session_error(tmp_path):
    sessions = SessionStore(tmp_path / "s.db")
    export = _valid_export(sessions)
    export["persona"] = {"id": "nobody-at-all", "name": "Nobody"}
    with pytest.raises(SessionError):
        sessions.import_json(json.dumps(export))


def test_import_with_a_malformed_critique_is_refused(tmp_path):
    sessions = SessionStore(tmp_path / "s.db")
    export = _valid_export(sessions)
    export["turns"][0]["critique"] = {}
    before = [r.id for r in sessions.list()]
    with pytest.raises(SessionError):
        sessions.import_json(json.dumps(export))
    assert [r.id for r in sessions.list()] == before
    sessions.progress()  # must keep working for the sessions already there


# --------------------------------------------------------------------------- 5. export Markdown


def test_export_markdown_has_persona_questions_feedback_and_notes(held):
    sessions, conversation, turns = held
    md = sessions.export_markdown(conversation.session_id)
    assert md.startswith("# Marcus Bell · ")
    assert "with **Marcus Bell**, Registered Nurse, Medical-Surgical Unit." in md
    assert "Goal: learn what nursing is like" in md
    assert f"## Q1. {Q_DAY}" in md and f"## Q2. {Q_LIKE}" in md
    assert md.index("## Q1.") < md.index("## Q2.") and "## Q3." not in md
    assert turns[0].answer in md and turns[1].answer in md
    assert md.count("Notes used:") == 1  # the second answer used no notes
    assert "- Registered nurse: Typical day — " in md
    assert f"**Feedback:** 4/5 · typical day · no flags. {turns[0].critique.feedback}" in md
    assert f"**Feedback:** 1/5 · other · closed, vague. {turns[1].critique.feedback}" in md
    assert f"**Try:** {turns[1].critique.rewrite}" in md
    assert "## Report" in md and "| Q2 |" in md and "**Overall:" in md


# --------------------------------------------------------------------------- 6. resume


def test_resume_continues_the_same_session(held, informant, fake_model):
    sessions, conversation, turns = held
    sid = conversation.session_id
    resumed = SessionStore(sessions.path).resume(sid)  # as after a restart
    assert resumed.persona.id == "marcus-bell" and resumed.goal == "learn what nursing is like"
    assert resumed.session_id == sid
    assert [stored(t) for t in resumed.turns] == [stored(t) for t in turns]
    assert [m.content for m in resumed.messages] == [Q_DAY, turns[0].answer, Q_LIKE, turns[1].answer]

    third = informant.ask(resumed, Q_PATH)
    assert sessions.save_turn(resumed, third) == sid
    assert [r.id for r in sessions.list()] == [sid]
    record = sessions.get(sid)
    assert [t.question for t in record.turns] == [Q_DAY, Q_LIKE, Q_PATH]
    assert record.turn_count == 3 and len(resumed.turns) == 3
    # the model saw the earlier exchanges as history
    sent = [str(m.content) for m in fake_model.calls[-1]]
    assert Q_DAY in sent and turns[1].answer in sent and Q_PATH in sent[-1]


# --------------------------------------------------------------------------- 7. progress


def test_progress_rows_in_time_order_with_a_running_average(tmp_path):
    sessions = SessionStore(tmp_path / "s.db")
    # Created first but started later.
    later = sessions.create(get_persona("marcus-bell"), started="2024-03-01T09:00:00+00:00")
    for q, score, topic in [("A?", 4, "typical_day"), ("B?", 5, "career_path"), ("C?", 3, "skills")]:
        sessions.add_turn(later, make_turn(q, score, topic))
    earlier = sessions.create(get_persona("priya-raman"), started="2024-01-01T09:00:00+00:00")
    sessions.add_turn(earlier, make_turn("D?", 2, "challenges", flags=["closed"], rewrite="Better D?"))
    sessions.create(get_persona("marcus-bell"), started="2024-02-01T09:00:00+00:00")  # no turns: left out

    assert sessions.progress() == [
        {"session": 1, "started": "2024-01-01T09:00:00+00:00", "series": "Priya Raman", "score": 2.0, "coverage": 12.5},
        {
            "session": 1,
            "started": "2024-01-01T09:00:00+00:00",
            "series": "All sessions (running average)",
            "score": 2.0,
            "coverage": 12.5,
        },
        {"session": 2, "started": "2024-03-01T09:00:00+00:00", "series": "Marcus Bell", "score": 4.0, "coverage": 37.5},
        {
            "session": 2,
            "started": "2024-03-01T09:00:00+00:00",
            "series": "All sessions (running average)",
            "score": 3.0,
            "coverage": 25.0,
        },
    ]


def test_progress_is_empty_without_turns(tmp_path):
    sessions = SessionStore(tmp_path / "s.db")
    assert sessions.progress() == []
    sessions.create(get_persona("marcus-bell"))
    assert sessions.progress() == []


# --------------------------------------------------------------------------- 8. the CLI


@pytest.fixture
def cli(home, monkeypatch):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    return home


def test_cli_sessions_json_lists_every_session(cli, held):
    sessions, conversation, _ = held
    assert sessions.path == cli / "sessions.db"  # the CLI reads the same file
    other = sessions.create(get_persona("priya-raman"), started="2000-01-01T00:00:00+00:00")
    code, out = run(["sessions", "--json"])
    rows = json.loads(out)
    assert code == 0 and isinstance(rows, list)
    assert [r["id"] for r in rows] == [conversation.session_id, other]  # newest first
    for r in rows:
        assert {"id", "persona", "started", "turns", "score"} <= set(r)
    assert (rows[0]["persona"], rows[0]["turns"], rows[0]["score"]) == ("marcus-bell", 2, 2.5)
    assert (rows[1]["persona"], rows[1]["turns"], rows[1]["score"]) == ("priya-raman", 0, None)

    code, out = run(["sessions"])
    assert code == 0 and conversation.session_id in out and " 2 q  score 2.5" in out


def test_cli_sessions_on_an_empty_store(cli):
    assert run(["sessions", "--json"]) == (0, "[]\n")
    code, out = run(["sessions"])
    assert code == 0 and out.startswith("No sessions yet.")


def test_cli_show_rename_delete(cli, held):
    sessions, conversation, _ = held
    sid = conversation.session_id
    code, out = run(["sessions", "show", sid])
    assert code == 0 and "**Marcus Bell**" in out and f"## Q1. {Q_DAY}" in out and f"## Q2. {Q_LIKE}" in out

    code, out = run(["sessions", "rename", sid, "My", "first", "practice"])
    assert code == 0 and out == f"Renamed session {sid}.\n"
    assert sessions.get(sid).title == "My first practice"
    assert json.loads(run(["sessions", "--json"])[1])[0]["title"] == "My first practice"

    code, out = run(["sessions", "delete", sid])
    assert code == 0 and out == f"Deleted session {sid}.\n"
    assert sessions.list() == []


def test_cli_export_markdown_and_json_then_import(cli, held, tmp_path):
    sessions, conversation, turns = held
    sid = conversation.session_id
    code, out = run(["export", sid, "--format", "md"])
    assert code == 0 and out == sessions.export_markdown(sid)

    target = tmp_path / "out" / "session.json"
    target.parent.mkdir()
    code, out = run(["export", sid, "--format", "json", "-o", str(target)])
    assert code == 0 and out == f"Wrote {target}\n"
    assert json.loads(target.read_text(encoding="utf-8")) == sessions.export_json(sid)

    code, out = run(["import", str(target)])
    assert code == 0 and out.startswith("Imported as session ")
    new_id = out.strip().removeprefix("Imported as session ").rstrip(".")
    assert new_id != sid and {r.id for r in sessions.list()} == {sid, new_id}
    copy = sessions.get(new_id)
    assert [(t.question, t.answer, t.critique, t.sources) for t in copy.turns] == [
        (t.question, t.answer, t.critique, t.sources) for t in turns
    ]


def test_cli_chat_resume_continues_the_same_session(cli, held):
    sessions, conversation, _ = held
    sid = conversation.session_id
    code, out = run(["chat", "--resume", sid], stdin=f"{Q_PATH}\n/end\n")
    assert code == 0
    assert f"(Resuming session {sid}: 2 question(s) so far.)" in out
    assert "You are talking to Marcus Bell" in out and out.count("Feedback:") == 1
    assert f"Saved as session {sid} " in out and "| Q3 |" in out
    assert [r.id for r in sessions.list()] == [sid]
    record = sessions.get(sid)
    assert [t.question for t in record.turns] == [Q_DAY, Q_LIKE, Q_PATH] and record.ended is not None


def test_cli_chat_with_a_persona_saves_a_new_session(cli):
    code, out = run(["chat", "--persona", "priya-raman", "--goal", "data science"], stdin=f"{Q_LIKE}\n/end\n")
    assert code == 0
    [row] = SessionStore(cli / "sessions.db").list()
    assert (row.persona, row.goal, row.turn_count) == ("priya-raman", "data science", 1)
    assert f"Saved as session {row.id} " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sessions", "show", "nope1234"], "No session 'nope1234'"),
        (["sessions", "delete", "nope1234"], "No session 'nope1234'"),
        (["sessions", "rename", "nope1234", "title"], "No session 'nope1234'"),
        (["export", "nope1234"], "No session 'nope1234'"),
        (["export", "nope1234", "--format", "json"], "No session 'nope1234'"),
        (["chat", "--resume", "nope1234"], "No session 'nope1234'"),
        (["import", "/nope/session.json"], "no such file"),
        (["chat"], "say who to talk to"),
        (["sessions", "show"], "the following arguments are required: id"),
    ],
)
def test_cli_errors_are_one_line_on_stderr_and_exit_2(cli, capsys, args, message):
    code, out = run(args)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.startswith("informant: error: ")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert SessionStore(cli / "sessions.db").list() == []


def test_cli_import_of_a_bad_file_exits_2_and_stores_nothing(cli, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "mock-informant-session"}', encoding="utf-8")
    code, _ = run(["import", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "not a Mock Informant session export" in err and err.count("\n") == 1
    assert SessionStore(cli / "sessions.db").list() == []


def test_cli_export_to_an_unwritable_path_exits_2(cli, held, tmp_path, capsys):
    _, conversation, _ = held
    code, _ = run(["export", conversation.session_id, "-o", str(tmp_path / "missing-dir" / "x.md")])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write" in err and err.count("\n") == 1


def test_a_turn_for_a_session_deleted_meanwhile_starts_a_new_session_with_the_whole_conversation(informant, runtime):
    sessions = runtime.sessions()
    conversation = informant.start(get_persona("marcus-bell"))
    sessions.save_turn(conversation, informant.ask(conversation, "What is your typical day like in your role?"))
    first_id = conversation.session_id
    sessions.delete(first_id)
    sessions.save_turn(conversation, informant.ask(conversation, "What challenges do you face in your job?"))
    assert conversation.session_id != first_id
    assert [t.question for t in sessions.get(conversation.session_id).turns] == [
        "What is your typical day like in your role?",
        "What challenges do you face in your job?",
    ]


def test_migrations_run_in_order_once_and_upgrade_an_old_store(tmp_path):
    from agents.sessions import MIGRATIONS, migrate

    fresh = SessionStore(tmp_path / "new.db")
    with sqlite3.connect(fresh.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert migrate(db) == []  # nothing left to run
    # A store written before migrations were numbered: no minutes column, user_version 0.
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as db:
        db.executescript(
            "CREATE TABLE sessions (id TEXT PRIMARY KEY, persona TEXT NOT NULL, goal TEXT NOT NULL DEFAULT '', "
            "title TEXT NOT NULL DEFAULT '', started TEXT NOT NULL, updated TEXT NOT NULL, ended TEXT);"
            "CREATE TABLE turns (session_id TEXT NOT NULL, n INTEGER NOT NULL, question TEXT NOT NULL, "
            "answer TEXT NOT NULL, sources TEXT NOT NULL, critique TEXT NOT NULL, started TEXT NOT NULL, "
            "finished TEXT NOT NULL, partial INTEGER NOT NULL DEFAULT 0, error TEXT, PRIMARY KEY (session_id, n));"
            "INSERT INTO sessions VALUES ('abc', 'marcus-bell', 'goal', '', '2024-01-01T00:00:00+00:00', "
            "'2024-01-01T00:00:00+00:00', NULL);"
        )
    record = SessionStore(old).get("abc")
    assert (record.persona, record.goal, record.minutes) == ("marcus-bell", "goal", 25)
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_the_seeker_s_name_and_background_are_kept_and_come_back_on_resume(runtime, informant):
    persona = runtime.personas.get("marcus-bell")
    conversation = informant.start(persona, "Decide on nursing", name="Sam", background="Six years in retail")
    runtime.sessions().save_turn(conversation, informant.ask(conversation, "How did you get started?"))
    resumed = runtime.sessions().resume(conversation.session_id)
    assert (resumed.seeker_name, resumed.background, resumed.goal) == (
        "Sam",
        "Six years in retail",
        "Decide on nursing",
    )


def test_a_session_left_after_one_question_is_titled_unfinished(runtime, informant):
    sessions = runtime.sessions()
    conversation = informant.start(get_persona("marcus-bell"))
    sessions.save_turn(conversation, informant.ask(conversation, Q_DAY))
    sid = conversation.session_id
    assert sessions.get(sid).display_title.startswith("Unfinished: Marcus Bell · ")
    assert sessions.list()[0].display_title.startswith("Unfinished: Marcus Bell · ")
    sessions.end(sid)  # ended: a short session, not an abandoned one
    assert sessions.get(sid).display_title.startswith("Marcus Bell · ")
