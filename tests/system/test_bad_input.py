"""Bad input, as people give it: in the terminal (here) and in the browser (the ``browser`` tests
below). Each gets one clear line naming the fix, and nothing is stored half-way.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from agents.informant import MAX_QUESTION_CHARS
from agents.sessions import SessionStore
from cli import main
from knowledge.documents import MAX_FILE_BYTES
from tests.fakes.documents import make_docx

QUESTION = "What is your typical day like in your role?"
EMOJI_RTL = "ما هو يومك المعتاد؟ 🙂👩🏽‍⚕️ What is your typical day like, שלום?"
LONG = "Why " + "really " * (50_000 // 7)  # about 50,000 characters


def run(args: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, out=out, stdin=io.StringIO(stdin))
    return code, out.getvalue()


def sessions(home: Path) -> list:
    return SessionStore(home / "sessions.db").list()


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each kind of bad document, and the words of the message it must get."""
    made: dict[str, tuple[Path, str]] = {}

    def put(key: str, name: str, content: bytes, says: str) -> None:
        path = tmp_path / name
        path.write_bytes(content)
        made[key] = (path, says)

    put("not UTF-8 (.txt)", "notes-latin1.txt", "Café notes: the night shift.".encode("latin-1"), "not UTF-8")
    put("not UTF-8 (.md)", "notes-cp1252.md", "# Notes\n\n“Smart quotes” from Word".encode("cp1252"), "not UTF-8")
    put("unsupported (.csv)", "salaries.csv", b"role,pay\nnurse,1\n", "unsupported file type '.csv'")
    put("unsupported (.exe)", "setup.exe", b"MZ\x90\x00", "unsupported file type '.exe'")
    put("no suffix", "README", b"notes", "unsupported file type 'none'")
    put("empty", "empty.md", b"", "the file is empty")
    put("corrupt PDF", "posting.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "not a readable PDF")
    put("PDF that is not a PDF", "photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a readable PDF")
    put("corrupt DOCX", "cv.docx", b"PK\x03\x04 truncated", "not a readable .docx")
    bomb = tmp_path / "bomb.docx"  # 30 MB of text in a ~30 kB zip
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:t>" + "a" * 30_000_000 + "</w:t>")
    made["DOCX that expands to something huge"] = (bomb, "expands to")
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:  # sparse: over the limit without writing it all
        f.truncate(MAX_FILE_BYTES + 1)
    made["oversized"] = (big, f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
    return made


# ----------------------------------------------------------------------------- the terminal


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("", "Type a question first."),
        (" \t\n  ", "Type a question first."),
        ("\x00\x07\x1b", "Type a question first."),
        (LONG, f"Fix: ask one thing at a time, in under {MAX_QUESTION_CHARS:,} characters."),
    ],
    ids=["empty", "whitespace", "only-control-characters", "50k-characters"],
)
def test_ask_refuses_a_question_in_one_line_and_stores_nothing(home, monkeypatch, capsys, question, says):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    code, out = run(["ask", "--persona", "marcus-bell", question])
    err = capsys.readouterr().err
    assert code == 2 and out == "" and err.count("\n") == 1 and says in err
    assert sessions(home) == []


def test_control_characters_are_removed_and_emoji_and_rtl_text_kept(home, monkeypatch):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    code, out = run(["ask", "--json", "--persona", "marcus-bell", "What is\x00 your typical\x1b[2J day\x07 like?"])
    assert code == 0 and json.loads(out)["answer"]
    code, out = run(["ask", "--json", "--persona", "marcus-bell", EMOJI_RTL])
    assert code == 0 and json.loads(out)["answer"]
    store = SessionStore(home / "sessions.db")
    asked = sorted(t.question for s in store.list() for t in store.get(s.id).turns)
    assert asked == sorted(["What is  your typical [2J day  like?", EMOJI_RTL])


def test_the_terminal_chat_refuses_a_bad_line_and_goes_on(home, monkeypatch):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    code, out = run(["chat", "--persona", "marcus-bell"], stdin=f"{LONG}\n\x00\x00\n{QUESTION}\n/end\n")
    assert code == 0 and f"in under {MAX_QUESTION_CHARS:,} characters" in out and "Session report" in out
    (session,) = sessions(home)
    assert session.turn_count == 1  # the refused lines left nothing behind


def test_critique_from_a_file_that_is_not_utf8_or_stdin_that_is_not(tmp_path, capsys):
    path = tmp_path / "questions.txt"
    path.write_bytes("Qu’est-ce que vous faites?".encode("cp1252"))
    assert run(["critique", "--file", str(path)])[0] == 2
    assert "not UTF-8 text. Fix: re-save it as UTF-8." in capsys.readouterr().err
    # Real stdin with invalid bytes, through the console script.
    done = subprocess.run(
        [sys.executable, "-m", "cli", "critique", "--file", "-"],
        input=b"Do you like \xff\xfe your job?\n",
        capture_output=True,
        timeout=120,
    )
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1 and "not UTF-8" in err and "Traceback" not in err


def test_every_bad_document_is_refused_in_one_line_and_nothing_is_stored(home, tmp_path, capsys):
    assert run(["sources", "--json"])[0] == 0
    before = run(["sources", "--json"])[1]
    capsys.readouterr()
    for kind, (path, says) in bad_files(tmp_path).items():
        code, _ = run(["ingest", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and says in err and "Fix" in err, (kind, err)
    # A good file with a bad one in the same batch: neither is stored.
    good = make_docx(tmp_path / "good.docx", "Team", ["Forecast reviews happen every Tuesday."])
    code, _ = run(["ingest", str(good), str(bad_files(tmp_path)["corrupt PDF"][0])])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Nothing from these 2 files was added." in err
    assert run(["sources", "--json"])[1] == before


def test_a_bio_file_that_is_bad_makes_no_persona(home, tmp_path, capsys):
    files = bad_files(tmp_path)
    for kind in ("not UTF-8 (.txt)", "corrupt PDF", "DOCX that expands to something huge", "unsupported (.csv)"):
        path, says = files[kind]
        code, _ = run(["persona", "create", "--role", "data-scientist", "--bio-file", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and says in err, (kind, err)
    assert not (home / "personas").exists() or not any((home / "personas").iterdir())


# ----------------------------------------------------------------------------- the browser

from tests.system import test_browser as tb  # noqa: E402 - the browser tests' server and Chromium

browser = tb.browser  # the module's Chromium (a fixture)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    srv = tb.Server(tmp_path_factory.mktemp("bad-input-home"))
    srv.start()
    yield srv
    srv.kill()


def toast(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=tb.TIMEOUT_MS)


@pytest.mark.browser
def test_bad_questions_in_the_browser_keep_the_text_and_store_nothing(site, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    tb.start_conversation(page, site.url, "Healthcare", "Marcus Bell — Registered Nurse, Medical-Surgical Unit")
    box = page.locator("#question textarea")
    box.fill("   \t  ")
    box.press("Enter")
    toast(page, "Type a question first.")
    box.fill(LONG)
    box.press("Enter")
    toast(page, f"Fix: ask one thing at a time, in under {MAX_QUESTION_CHARS:,} characters.")
    assert box.input_value() == LONG  # nothing the seeker typed is lost
    tb.shot(page, "11-bad-input-long-question")
    assert page.locator("#fb-q1").count() == 0 and sessions(site.home) == []

    tb.ask(page, "What is\x07 your typical\x1b day like?", 1)
    tb.ask(page, EMOJI_RTL, 2)
    page.get_by_text(EMOJI_RTL).first.wait_for(timeout=tb.TIMEOUT_MS)  # shown as typed
    tb.shot(page, "12-bad-input-emoji-rtl")
    store = SessionStore(site.home / "sessions.db")
    (session,) = store.list()
    assert [t.question for t in store.get(session.id).turns] == ["What is  your typical  day like?", EMOJI_RTL]
    page.close()


@pytest.mark.browser
def test_bad_files_in_the_browser_get_a_message_and_change_nothing(site, browser, tmp_path):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    sources = page.locator("#sources")

    def upload(*paths: Path) -> None:  # a fresh page for each try, as after a reload
        page.goto(site.url)
        page.get_by_role("tab", name="Knowledge").click()
        page.get_by_text("Everything the professionals answer from").click()
        expect(sources).to_contain_text("built in", timeout=tb.TIMEOUT_MS)
        page.locator("#upload input[type=file]").set_input_files([str(p) for p in paths])

    upload()
    before = sources.inner_text()
    result = page.locator("#upload-result")
    files = bad_files(tmp_path)
    for kind, (path, says) in files.items():
        upload(path)
        if kind.startswith("unsupported") or kind == "no suffix":  # the page refuses it before sending
            toast(page, f"Invalid file type: {path.name}. Only .md, .txt, .pdf, .docx, .html, .htm allowed.")
        elif kind == "oversized":  # so does the size limit
            toast(page, f'File(s) exceed the maximum allowed size of 20.0 Mb: "{path.name}"')
            tb.shot(page, "14-bad-input-oversized")
        else:
            expect(result).to_contain_text(says, timeout=tb.TIMEOUT_MS)
            assert "Fix" in result.inner_text(), kind
    good = make_docx(tmp_path / "good.docx", "Team", ["Forecast reviews happen every Tuesday."])
    upload(good, files["corrupt PDF"][0])
    expect(result).to_contain_text("Nothing from these 2 files was added.", timeout=tb.TIMEOUT_MS)
    tb.shot(page, "13-bad-input-files")
    assert sources.inner_text() == before

    # A session file that is not a session.
    page.get_by_role("tab", name="History").click()
    saved = len(sessions(site.home))
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    page.locator("#import-session input[type=file]").set_input_files([str(junk)])
    toast(page, "That file is not a Mock Informant session export. Fix: choose a .json file made by Export.")
    tb.shot(page, "15-bad-input-session-file")
    assert len(sessions(site.home)) == saved
    page.close()
