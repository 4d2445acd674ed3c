"""The page as a person uses it: the real app served on loopback (fake model), driven by
Playwright in Debian's Chromium. Screenshots go to ``artifacts/screenshots/``.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; ``make test`` installs it when run
as root). Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
TIMEOUT_MS = 120_000  # the first request may wait for the first ingest of the notes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``informant serve`` in a subprocess, as a user runs it (fake model, private home)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "INFORMANT_HOME": str(self.home),
            "INFORMANT_PROVIDER": "fake",
            "INFORMANT_FAKE_DELAY_MS": "80",  # slow enough that the first answer is seen growing
        }
        log = (self.home / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--port", str(self.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited: {(self.home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the app did not answer within 90 s")

    def kill(self) -> None:
        """SIGKILL, as a crash would: nothing gets a chance to flush or clean up."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("browser-home"))
    srv.start()
    yield srv
    srv.kill()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing. Fix: apt-get install chromium (make test does it as root).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def expect_text(locator, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=TIMEOUT_MS)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option).click()


def start_conversation(page, url: str, industry: str, persona: str, goal: str = "") -> None:
    page.goto(url)
    page.get_by_role("button", name="Start conversation").wait_for(timeout=TIMEOUT_MS)
    choose(page, "Industry", industry)
    choose(page, "Professional", persona)
    if goal:
        page.get_by_text("About you (optional)").click()
        page.get_by_label("Your goal (optional)").fill(goal)
    page.get_by_role("button", name="Start conversation").click()
    page.locator("#question textarea").and_(page.locator(":enabled")).wait_for(timeout=TIMEOUT_MS)


def ask(page, question: str, n: int, *, press_enter: bool = True) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    if press_enter:
        box.press("Enter")
    else:
        page.get_by_role("button", name="Send").click()
    answered(page, n)


def answered(page, n: int) -> None:
    """Wait for question ``n``'s answer: its feedback chip shows at once, the box opens again when the answer ends."""
    page.locator(f"#fb-q{n}").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('#question textarea').disabled", timeout=TIMEOUT_MS)


def test_practise_end_find_in_history_export_resume_and_survive_a_restart(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start_conversation(
        page,
        server.url,
        "Healthcare",
        "Marcus Bell — Registered Nurse, Medical-Surgical Unit",
        goal="Learn what bedside nursing is like",
    )
    page.get_by_text("I'm Marcus", exact=False).first.wait_for(timeout=TIMEOUT_MS)  # his greeting

    # Q1 with Enter: the answer streams (the box is disabled while it does), then sources and feedback.
    box = page.locator("#question textarea")
    box.fill("What is your typical day like in your role?")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('#question textarea').disabled", timeout=TIMEOUT_MS)
    partial = page.get_by_text("In my experience:", exact=False).last
    partial.wait_for(timeout=TIMEOUT_MS)
    streamed_len = len(partial.inner_text())
    answered(page, 1)
    final_text = page.get_by_text("In my experience:", exact=False).last.inner_text()
    assert len(final_text) > streamed_len, "the answer should have grown while streaming"
    assert page.get_by_text("Notes used:").first.is_visible()
    assert page.get_by_text("Registered nurse: Typical day").first.is_visible()
    assert "4/5" in page.locator("#fb-q1").inner_text()

    # Q2 with the Send button: a closed question gets its flag and a better version.
    ask(page, "Do you like working 12-hour shifts?", 2, press_enter=False)
    fb2 = page.locator("#fb-q2").text_content()
    assert "closed" in fb2 and "Try:" in fb2
    shot(page, "01-practice-two-questions")

    page.get_by_role("button", name="End session").click()
    expect_text(page.locator("#summary"), "Your session:")
    report = page.locator("#summary").inner_text()
    assert "Q2" in report and "Do you like working 12-hour shifts?" in report and "What to do next time" in report
    shot(page, "02-summary")

    # History: the session is there with its feedback.
    page.get_by_role("tab", name="History").click()
    page.locator("#transcript").get_by_text("Q1. What is your typical day like in your role?").wait_for(
        timeout=TIMEOUT_MS
    )
    transcript = page.locator("#transcript").inner_text()
    assert "Q2. Do you like working 12-hour shifts?" in transcript and "Feedback:" in transcript
    # Ask the coach why Q2 scored as it did: the answer cites the rubric.
    page.locator("#coach-question textarea").fill("Why did Q2 get that score?")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect_text(page.locator("#coach-answer"), "Rubric 3")
    assert "Do you like working 12-hour shifts?" in page.locator("#coach-answer").inner_text()
    shot(page, "03-history")

    # Export both formats through the browser's download.
    with page.expect_download(timeout=TIMEOUT_MS) as md_download:
        page.get_by_text("Export Markdown").click()
    md_path = tmp_path / "session.md"
    md_download.value.save_as(md_path)
    assert "Q1. What is your typical day like in your role?" in md_path.read_text()
    with page.expect_download(timeout=TIMEOUT_MS) as js_download:
        page.get_by_text("Export JSON").click()
    js_path = tmp_path / "session.json"
    js_download.value.save_as(js_path)
    exported = json.loads(js_path.read_text())
    assert [t["question"] for t in exported["turns"]] == [
        "What is your typical day like in your role?",
        "Do you like working 12-hour shifts?",
    ]

    # Resume: back on Practice with the transcript, and a third question joins the same session.
    page.get_by_role("tab", name="Practice").click()
    page.get_by_role("button", name="Practise again").click()
    page.wait_for_function("() => document.activeElement === document.querySelector('#start')")
    choose(page, "Industry", "Finance")  # the page shows someone else before resuming
    page.get_by_role("tab", name="History").click()
    page.get_by_role("button", name="Resume in Practice").click()
    page.locator("#fb-q2").wait_for(timeout=TIMEOUT_MS)
    expect_text(page.locator("#talking-with"), "Marcus Bell")
    ask(page, "What challenges do you face in your job?", 3)
    shot(page, "04-resumed")

    # A crash and a restart lose no completed turn.
    server.kill()
    server.start()
    page.goto(server.url)
    page.get_by_role("tab", name="History").click()
    page.locator("#transcript").get_by_text("Q3. What challenges do you face in your job?").wait_for(timeout=TIMEOUT_MS)
    assert "(3 questions" in page.locator("#session-picker label:has(input:checked)").inner_text()
    shot(page, "05-after-restart")
    page.close()


def test_two_browser_sessions_never_see_each_other(server, browser):
    a = browser.new_context().new_page()
    b = browser.new_context().new_page()
    start_conversation(a, server.url, "Technology", "Priya Raman — Senior Data Scientist")
    start_conversation(b, server.url, "Finance", "Robert Lindqvist — Audit Partner, CPA")
    # Interleave the two conversations.
    a.locator("#question textarea").fill("Which skills matter most for a data scientist today?")
    b.locator("#question textarea").fill("What does busy season look like for an auditor?")
    a.locator("#question textarea").press("Enter")
    b.locator("#question textarea").press("Enter")
    answered(a, 1)
    answered(b, 1)
    text_a, text_b = a.content(), b.content()
    assert "busy season" not in text_a and "Audit" not in a.locator("#chat").inner_text()
    assert "data scientist today" not in text_b
    assert "Data scientist: Skills" in text_a and "Accountant:" in text_b
    shot(a, "06-concurrent-a")
    shot(b, "06-concurrent-b")
    a.context.close()
    b.context.close()


def test_readable_on_a_phone(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    start_conversation(page, server.url, "Marketing", "Hannah Brooks — Marketing Manager, Demand Generation")
    ask(page, "What skills matter most for a marketing manager today?", 1)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
    shot(page, "07-phone")
    page.close()


def test_your_documents_and_a_persona_from_a_bio(server, browser, tmp_path):
    from playwright.sync_api import expect

    from tests.fakes.documents import make_docx, make_html, make_pdf

    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(server.url)
    page.get_by_role("tab", name="Knowledge").click()
    page.get_by_text("Everything the professionals answer from").click()
    sources = page.locator("#sources")
    expect(sources).to_contain_text("built in", timeout=TIMEOUT_MS)
    files = [
        make_pdf(tmp_path / "posting.pdf", ["The analytics team forecasts demand with dbt and Snowflake."]),
        make_docx(
            tmp_path / "reading-notes.docx", "Notes", ["Forecast reviews happen every Tuesday with merchandising."]
        ),
        make_html(tmp_path / "company.html", "About", "Who we are", ["Northwind sells outdoor gear in 40 stores."]),
    ]
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
    expect(page.locator("#upload-result")).to_contain_text("3 files: ", timeout=TIMEOUT_MS)
    # No one chosen to read them: the role of the professional picked on Practice, not every professional.
    expect(page.locator("#upload-result")).to_contain_text("Added for the Graphic designer role")
    for name in ("posting.pdf", "reading-notes.docx", "company.html"):
        expect(sources).to_contain_text(name)
    # Retrievable: the search box finds the PDF's text.
    page.get_by_label("Try a question against the notes").fill("which tools does the analytics team forecast with")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("dbt and Snowflake", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    shot(page, "08-knowledge-sources")
    # Forget one.
    choose(page, "Your notes", "company.html")
    page.get_by_role("button", name="Remove these notes").click()
    expect(page.locator("#upload-result")).to_contain_text("Removed company.html", timeout=TIMEOUT_MS)
    expect(sources).not_to_contain_text("company.html")
    # A corrupt file: a clear message, and nothing changes.
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    page.locator("#upload input[type=file]").set_input_files([str(broken)])
    expect(page.locator("#upload-result")).to_contain_text("not a readable PDF", timeout=TIMEOUT_MS)
    expect(sources).not_to_contain_text("broken.pdf")

    # A persona from a pasted bio, then a conversation with them.
    page.get_by_text("Practise with the person you are about to meet").click()
    page.locator("#bio textarea").fill(
        "Dana Whitfield is a Director of Data Science at Brightline Health, where she leads a team of twelve "
        "building patient-risk models. She has 14 years of experience in analytics."
    )
    choose(page, "Closest role", "Data scientist (Technology)")
    page.get_by_role("button", name="Create persona").click()
    expect(page.locator("#persona-result")).to_contain_text("Made Dana Whitfield", timeout=TIMEOUT_MS)
    shot(page, "09-persona-from-bio")
    page.get_by_role("tab", name="Practice").click()
    assert "Dana Whitfield" in page.get_by_role("combobox", name="Professional").input_value()
    page.get_by_role("button", name="Start conversation").click()
    page.locator("#question textarea").and_(page.locator(":enabled")).wait_for(timeout=TIMEOUT_MS)
    ask(page, "What kind of models does your team build?", 1)
    page.get_by_text("Dana Whitfield: Public bio").first.wait_for(timeout=TIMEOUT_MS)
    shot(page, "10-custom-persona-conversation")
    page.close()


def test_prepare_a_list_practise_with_it_and_write_the_thank_you_note(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(server.url)
    page.get_by_role("tab", name="Prepare").click()
    prepare = page.locator("#prep-persona")
    page.get_by_label("Industry").nth(1).click()
    page.get_by_role("option", name="Healthcare").click()
    prepare.locator("input").click()
    page.get_by_role("option").filter(has_text="Marcus Bell").click()
    page.locator("#prep-goal textarea").fill("Decide whether bedside nursing suits me")
    page.locator("#prep-background textarea").fill("Career changer from retail management")
    page.locator("#make-list").click()
    summary = page.locator("#plan-summary")
    expect(summary).to_contain_text("built on the notes", timeout=TIMEOUT_MS)
    table = page.locator("#plan-table")
    expect(table).to_contain_text("I read that")
    expect(table).to_contain_text("talk to")
    # Regenerate question 2: a different question on the same topic.
    before = table.inner_text()
    page.get_by_label("Question #").fill("2")
    page.get_by_role("button", name="Regenerate it").click()
    expect(table).not_to_have_text(before, timeout=TIMEOUT_MS)
    # Both downloads work; the printable page lists every question.
    with page.expect_download() as md:
        page.get_by_role("button", name="Download Markdown").click()
    text = Path(md.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Questions for Marcus Bell") and "talk to" in text
    with page.expect_download() as printable:
        page.get_by_role("button", name="Download printable page").click()
    assert "@media print" in Path(printable.value.path()).read_text(encoding="utf-8")
    page.get_by_text("Research brief: read this before the call").click()
    expect(page.locator("#brief")).to_contain_text("Terms to know")
    shot(page, "11-prepare")

    # Practise with it: the conversation starts, and a prepared question goes into the box.
    page.get_by_role("button", name="Practise with this list").click()
    page.locator("#question textarea").and_(page.locator(":enabled")).wait_for(timeout=TIMEOUT_MS)
    page.locator("#prepared label").first.click()
    box = page.locator("#question textarea")
    expect(box).to_have_value("How did you get started as a registered nurse?")
    box.press("Enter")
    answered(page, 1)
    # The list beside the chat ticks the question off.
    checklist = page.locator("#prepared")
    expect(checklist).to_contain_text("✓ How did you get started as a registered nurse?", timeout=TIMEOUT_MS)
    expect(checklist).to_contain_text("1 of ")
    ask(page, "What advice would you give someone starting out in nursing?", 2)
    shot(page, "12-practise-with-the-list")
    page.get_by_role("button", name="End session").click()
    expect(page.locator("#summary")).to_contain_text("Your session:", timeout=TIMEOUT_MS)

    # Follow-up: the note quotes the informant's own words.
    page.get_by_role("tab", name="Follow-up").click()
    expect(page.locator("#fu-session input")).to_have_value(re.compile("Marcus Bell"), timeout=TIMEOUT_MS)
    page.locator("#fu-name textarea").fill("Sam Lee")
    page.locator("#write-note").click()
    note = page.locator("#thank-you textarea")
    expect(note).to_have_value(re.compile(r"^Subject: Thank you for your time\n\nDear Marcus,"), timeout=TIMEOUT_MS)
    expect(page.locator("#fu-due")).to_contain_text("24 hours")
    body = note.input_value()
    from agents.sessions import SessionStore

    latest = SessionStore(server.home / "sessions.db").list()[0]
    answers = " ".join(t.answer for t in SessionStore(server.home / "sessions.db").get(latest.id).turns)
    quotes = re.findall(r"“([^”]+)”", body)
    assert quotes and all(q[1:] in answers for q in quotes), (quotes, body)
    note.fill(body.replace("I learned a lot", "I learned a great deal"))
    note.press("End")
    note.press_sequentially("!")  # typed, as a person does: Gradio's input event follows keystrokes
    expect(page.locator("#fu-due")).to_contain_text("Your edits are in the download", timeout=TIMEOUT_MS)
    with page.expect_download() as txt:
        page.get_by_role("button", name="Download .txt").click()
    assert "I learned a great deal" in Path(txt.value.path()).read_text(encoding="utf-8")
    shot(page, "13-thank-you-note")
    page.close()


def test_keyboard_screen_reader_and_the_end_of_a_session(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start_conversation(page, server.url, "Healthcare", "Marcus Bell — Registered Nurse, Medical-Surgical Unit")
    # The greeting uses the minutes chosen (30 by default), and the cursor is in the question box.
    expect_text(page.locator("#chat"), "30 minutes")
    page.wait_for_function("() => document.activeElement === document.querySelector('#question textarea')")
    # A starter question fills the box; it waits to be sent, and the cursor stays in the box.
    page.get_by_role("button", name="What does a typical week look like for you?").click()
    page.wait_for_function("() => document.querySelector('#question textarea').value.includes('typical week')")
    page.wait_for_function("() => document.activeElement === document.querySelector('#question textarea')")
    page.keyboard.press("Enter")
    answered(page, 1)
    # After the answer: the cursor is back in the box, so the next question can be typed at once.
    page.wait_for_function("() => document.activeElement === document.querySelector('#question textarea')")
    page.keyboard.type("Do you like working nights?")
    page.keyboard.press("Enter")
    answered(page, 2)
    # The feedback sits under its question as a chip, and a polite live region announces it.
    live = page.locator("#live")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    expect_text(live, "Feedback on Q2")
    chip = page.locator("#fb-q2")
    assert "closed" in chip.inner_text() and "Try:" not in chip.locator("summary").inner_text()
    chip.locator("summary").click()
    expect_text(chip, "Try:")
    assert not page.get_by_role("button", name="What does a typical week look like for you?").is_visible()

    # End session: the results come into view and take focus; the question box is locked.
    page.get_by_role("button", name="End session").click()
    results = page.locator("#results-view")
    results.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => { const r = document.querySelector('#results-h').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function("() => document.activeElement === document.querySelector('#results-view')")
    assert "of 5" in page.locator("#results-h").inner_text()
    assert not page.locator("#question textarea").is_visible()
    shot(page, "14-results-in-view")
    # Practise again: the setup is back with Start focused; the chat is empty.
    page.get_by_role("button", name="Practise again").click()
    page.wait_for_function("() => document.activeElement === document.querySelector('#start')")
    assert not page.locator("#chat").is_visible()
    page.close()


TABS = ("Practice", "Prepare", "Follow-up", "History", "Knowledge")


def settled(page) -> None:
    """Wait until Gradio has no event in flight: a pending component is drawn at 20% opacity, which axe reads as low contrast."""
    page.wait_for_function(
        "() => !document.querySelector('.pending, .generating, .eta-bar')", timeout=TIMEOUT_MS, polling=100
    )
    page.wait_for_timeout(400)  # fades


def serious(violations: list[dict]) -> list[tuple]:
    """axe-core's serious and critical violations: the rule, and the first nodes with what to fix."""
    return [
        (v["id"], v["impact"], [(n["target"], n.get("failureSummary", "")[:160]) for n in v["nodes"][:3]])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_no_serious_accessibility_violation_on_any_tab(server, browser, width, height):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(viewport={"width": width, "height": height}, is_mobile=width < 600)
    start_conversation(page, server.url, "Healthcare", "Marcus Bell — Registered Nurse, Medical-Surgical Unit")
    ask(page, "What does a typical week look like for you?", 1)
    found = {}
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        settled(page)
        found[tab] = serious(axe.run(page).response["violations"])
    page.get_by_role("tab", name="Practice").click()
    page.get_by_role("button", name="End session").click()
    page.wait_for_function("() => document.activeElement === document.querySelector('#results-view')")
    settled(page)  # and the results fade in
    found["Practice results"] = serious(axe.run(page).response["violations"])
    shot(page, f"15-results-{width}")
    assert not any(found.values()), found
    page.close()
