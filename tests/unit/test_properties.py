"""Property-based tests (hypothesis) on bad input: the critic, the coach, question validation,
document parsing and session import (issue 9).

Every property here can fail: each states what the code promises for *any* input (never an
unexpected exception, a one-line message that names the fix, the documented shape of a result,
nothing stored half-way) and hypothesis searches for an input that breaks it. The profile in
``conftest.py`` makes the examples the same on every run, so a failure reproduces.

No test here takes a function-scoped fixture: the ones that need files make a fresh temporary
folder per example (the autouse isolation fixture only sets environment variables, which every
example may share).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from agents.coach import CONTEXT_FLAGS, CREDITS, build_report, critique_in_context, judge_session
from agents.critic import FLAGS, MAX_WORDS, SEVERITY, TOPICS, Critique, analyse, critique
from agents.informant import MAX_QUESTION_CHARS, validate_question
from agents.sessions import EXPORT_FORMAT, SessionStore
from core.errors import IngestError, InputError, SessionError
from evals.critic_eval import EVALS_DIR, load_cases
from knowledge.documents import load_document
from knowledge.personas import get_persona
from tests.fakes.documents import make_pdf

# --------------------------------------------------------------------------- text strategies

# Characters that break naive text handling: C0/C1 controls (NUL, BEL, ESC, the 8-bit CSI), line
# and paragraph separators, zero-width and bidi format characters, a BOM, non-breaking spaces,
# the Arabic and full-width question marks.
ODD_CHARS = list(
    "\x00\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9b\x9f\t\n\r\u00a0\u2028\u2029\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202e\u2066\u2069\ufeff\u061f\uff1f\u3000\u2003"
)
# Words the critic's rules key on, so generated text reaches its branches, not only "no question".
RULE_WORDS = (
    "what how why when where which who do does did is are can could would should don't isn't "
    "you your I I'm we they it that this the a an and or but so please tell me about describe walk "
    "through typical day career path skills challenges advice resources hiring refer job opening "
    "internship resume salary pay founded company team culture trends future surely obviously right "
    "like enjoy hard stressful nurse engineer ICU thanks thank anyone else talk to mentioned earlier "
    "? ? ? . , ; — !"
).split()

rtl = st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), min_size=1, max_size=12)
combining = st.text(st.characters(categories=["Mn", "Me"]), min_size=1, max_size=4)
emoji = st.sampled_from(["🙂", "👩\u200d⚕️", "🏳️\u200d🌈", "👍🏽", "🇫🇷", "\U0001faf6", "🔥🔥🔥"])
odd = st.text(st.sampled_from(ODD_CHARS), min_size=1, max_size=4)
word = st.sampled_from(RULE_WORDS)
anything = st.text(max_size=8)  # every code point but surrogates

fragment = st.one_of(word, word, word, rtl, combining, emoji, odd, anything)
sentence = st.lists(fragment, max_size=30).map(" ".join)
glued = st.lists(fragment, max_size=20).map("".join)  # no spaces: marks on letters, emoji in words
long_text = st.tuples(sentence, st.integers(20, 400)).map(lambda t: (t[0] + " ") * t[1])
whitespace_only = st.text(st.sampled_from(" \t\n\r\x0b\x0c\u00a0\u2003\u3000\u2028"), max_size=50)

LABELLED = [case.question for case in load_cases(EVALS_DIR / "critic_questions.yaml")]
labelled = st.sampled_from(LABELLED)
# A real question with odd text before or after it.
decorated = st.tuples(
    st.one_of(odd, emoji, rtl, st.just("")), labelled, st.one_of(odd, emoji, combining, st.just(""))
).map("".join)

any_text = st.one_of(sentence, glued, anything, st.text(), whitespace_only, labelled, decorated, long_text)
roles = st.one_of(st.none(), st.just("registered nurse"), st.text(max_size=80), sentence)

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 (but tab and newline), DEL and C1


def one_line(message: str) -> bool:
    return bool(message.strip()) and not any(ch in message for ch in "\n\r\u2028\u2029\x85")


# --------------------------------------------------------------------------- 1. the critic


def check_critique(c, role: str | None = None) -> None:
    """The documented shape of a Critique, for any input."""
    assert isinstance(c.score, int) and 1 <= c.score <= 5
    assert set(c.flags) <= set(FLAGS) and len(set(c.flags)) == len(c.flags), c.flags
    assert c.flags == sorted(c.flags, key=lambda f: (-SEVERITY[f], FLAGS.index(f))), "flags in severity order"
    assert c.topic in TOPICS
    assert isinstance(c.feedback, str) and c.feedback.strip()
    # The judged text is the normalised question: no control characters, whitespace collapsed.
    assert not any(unicodedata.category(ch) == "Cc" for ch in c.question), repr(c.question)
    assert c.question == " ".join(c.question.split())
    assert ("too_long" in c.flags) == (len(c.question.split()) > MAX_WORDS)
    if c.flags:
        assert c.score <= 3
        # As test_critic asserts for the labelled set: every flagged question gets a rewrite the
        # critic itself passes.
        assert isinstance(c.rewrite, str) and c.rewrite.strip()
        assert critique(c.rewrite).flags == [], (c.question, c.rewrite)
        assert critique(c.rewrite, role).flags == [], (c.question, c.rewrite, role)
    else:
        assert c.score >= 4 and c.rewrite is None
    if {"asks_for_job", "not_a_question"} & set(c.flags):
        assert c.score == 1
    if {"asks_for_job", "not_a_question", "vague"} & set(c.flags):
        assert c.topic == "other"  # job requests, statements and vague questions cover no topic
    json.dumps(c.to_dict())


@given(any_text, roles)
@example("", None)
@example("\x00\x01\x02?", None)
@example("ما هو يومك المعتاد؟", None)
@example("מה עושה מהנדס ביום רגיל?", "מהנדס")
@example("e\u0301" * 3000, None)
@example("why " * 20_000 + "?", None)
@example("What? " * 5000, "nurse")
@example("\u202eWhat is your typical day like?\u202c", None)
def test_the_critic_never_raises_and_keeps_its_shape(text, role):
    check_critique(critique(text, role), role)


@given(any_text, roles)
def test_the_critic_is_deterministic(text, role):
    first = critique(text, role)
    analyse.cache_clear()  # judge it again from scratch, not from the cache
    assert critique(text, role) == first


spaces = st.text(st.sampled_from(" \t\n\r\x0b\x0c\u00a0\u2003\u3000\u2028\x00\x1f\x85\ufeff"), min_size=1, max_size=6)


@given(any_text, st.text(st.sampled_from(" \t\n\u00a0\ufeff"), max_size=4), spaces, st.data())
def test_whitespace_and_curly_quotes_do_not_change_the_judgement(text, before, after, data):
    """By design the critic judges normalised text: spacing, control characters and typographic
    quotes are not part of a question."""
    base = critique(text)
    assert critique(before + text + after) == base
    respaced = re.sub(" ", lambda _: data.draw(spaces), text)
    assert critique(respaced) == base
    curly = text.replace("'", "\u2019").replace('"', "\u201c")
    assert critique(curly) == base


@given(st.one_of(labelled, decorated.filter(lambda t: t[:1].isascii()), sentence))
def test_the_case_of_the_first_letter_does_not_change_flags_topic_or_score(text):
    """The rules match case-insensitively and a rewrite is sentence-cased, so "what ..." and "What ..."
    are the same question (only the echoed question text differs)."""
    stripped = text.lstrip()
    if not stripped[:1].isascii() or not stripped[:1].isalpha():
        return
    swapped = text[: len(text) - len(stripped)] + stripped[0].swapcase() + stripped[1:]
    a, b = critique(text), critique(swapped)
    assert (a.flags, a.topic, a.score) == (b.flags, b.topic, b.score), (text, swapped)


# --------------------------------------------------------------------------- 1b. the coach


@dataclass
class T:
    question: str
    answer: str
    critique: Critique | None = None
    partial: bool = False


PERSONAS = [None, get_persona("marcus-bell"), get_persona("deborah-asante")]  # none, a junior, an executive
# Questions only the conversation flags (basic for an executive; repeats; a third closed one in a row).
CONTEXT_QUESTIONS = [
    "What does a nurse do all day?",
    "What certifications do you need, in your experience?",
    "What is your typical day like?",
    "What does a normal day look like for you?",
    "Do you like it?",
    "Is it hard?",
    "Thank you so much for your time!",
    "You mentioned the ICU — how did you cope with that?",
]
answers = st.one_of(st.just(""), st.just("ok"), sentence, labelled, st.text(max_size=200), long_text)
questions = st.one_of(st.sampled_from(CONTEXT_QUESTIONS), labelled, sentence, decorated, st.text(max_size=60))
turns = st.lists(st.builds(T, questions, answers), max_size=4)


def check_in_context(c: Critique) -> None:
    """The shape critique_in_context documents: v1 flags plus the conversation's, credits, and a
    rewrite (that the critic passes) whenever anything is flagged."""
    assert isinstance(c.score, int) and 1 <= c.score <= 5
    assert set(c.flags) <= set(FLAGS + CONTEXT_FLAGS) and len(set(c.flags)) == len(c.flags)
    assert set(c.earned) <= set(CREDITS) and len(set(c.earned)) == len(c.earned)
    assert c.topic in TOPICS
    assert isinstance(c.feedback, str) and c.feedback.strip()
    if c.flags:
        assert c.score <= 3
        assert isinstance(c.rewrite, str) and c.rewrite.strip(), c
        assert critique(c.rewrite).flags == [], c.rewrite
    else:
        assert c.rewrite is None
    json.dumps(c.to_dict())


@settings(max_examples=60)
@given(turns, st.sampled_from(PERSONAS))
@example([T("What is your typical day like?", "I start with handoff at seven."), T("What is a nurse?", "")], None)
@example([T("What does a civil engineer do?", "")], PERSONAS[2])
# Basic for an executive after an answer with nothing to quote back: flagged, so it needs a rewrite.
@example([T("Hi", "ok"), T("What does a nurse do all day?", "")], PERSONAS[2])
def test_the_coach_judges_any_conversation(conversation, persona):
    for c in judge_session(conversation, persona):
        check_in_context(c)
    report = build_report(conversation, persona, goal=conversation[0].question if conversation else "")
    assert 0 <= report.overall <= 100 and report.band in ("poor", "fair", "good", "excellent")
    assert len(report.improvements) <= 3 and all(i.better.strip() for i in report.improvements)
    assert report.markdown().startswith("### Session report")


@given(any_text, st.sampled_from(PERSONAS))
def test_critique_in_context_without_history_keeps_the_v1_flags(text, persona):
    c = critique_in_context(text, [], persona)
    check_in_context(c)
    if c.earned != ["closes_well"]:  # a thank-you is not "not a question" in a conversation
        assert set(critique(text).flags) <= set(c.flags)


# --------------------------------------------------------------------------- 2. question validation


@given(st.one_of(st.none(), any_text, st.text(), st.integers(1990, 2010).map(lambda n: " \x00" + "a" * n + "\t\n ")))
@example("\x00\x1b[31m\x7f")
@example("a" * MAX_QUESTION_CHARS)
@example("a" * (MAX_QUESTION_CHARS + 1))
@example(" " * 5000 + "What is your day like?" + "\n" * 5000)
@example("a\x9bb")  # C1: the 8-bit terminal escape
@example("\u200b\ufeff\u202e")  # nothing visible
@example("Do you \udcff like it?")  # bytes a terminal could not decode
def test_validate_question_cleans_or_refuses_in_one_line(text):
    try:
        question = validate_question(text)
    except InputError as exc:
        message = str(exc)
        assert one_line(message), repr(message)
        visible = INVISIBLE.sub("", CONTROL.sub(" ", text or "")).strip()
        # Refused only when empty (or invisible) or too long; a long one is told the limit to get under.
        assert not visible or (len(visible) > MAX_QUESTION_CHARS and f"{MAX_QUESTION_CHARS:,}" in message), message
        return
    assert question and question == question.strip()
    assert not CONTROL.search(question), repr(question)  # C0 controls (but tab, newline) and DEL removed
    assert len(question) <= MAX_QUESTION_CHARS
    assert validate_question(question) == question  # idempotent
    # Nothing but the control characters changed (undecodable bytes show as U+FFFD): the seeker's own words.
    assert question == re.sub("[\ud800-\udfff]", "\ufffd", CONTROL.sub(" ", text).strip())


# --------------------------------------------------------------------------- 3. documents


@contextmanager
def written(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def check_load(name: str, data: bytes, kind: str) -> Any:
    """load_document either returns a Document with text in every section or raises IngestError
    with a one-line message that starts with the file's name; no other exception."""
    with written(name, data) as path:
        try:
            document = load_document(path)
        except IngestError as exc:
            message = str(exc)
            assert one_line(message) and message.startswith(f"{name}:"), repr(message)
            assert "Fix" in message, message
            event(f"refused: {message.split(':', 1)[1].split('.')[0].strip()[:40]}")
            return exc
        finally:
            assert [p.name for p in path.parent.iterdir()] == [name]  # reading writes nothing
    assert document.kind == kind
    assert document.sections, "a document with no sections should be an IngestError"
    for section in document.sections:
        assert isinstance(section.heading, str) and isinstance(section.text, str) and section.text.strip()
        assert section.page is None or (isinstance(section.page, int) and section.page >= 1)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in document.meta.items())
    event("loaded")
    return document


text_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8")),
    any_text.map(lambda t: t.encode("utf-8")),
    st.text(max_size=100).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),  # a BOM
    st.text(max_size=100).map(lambda t: t.encode("utf-16")),
    st.text(max_size=100).map(lambda t: t.replace("\n", "\r\n").encode("utf-8")),
)


@given(text_bytes)
@example(b"\n\n \t\r\n")
@example("\u2028\u2029\x85".encode())
def test_a_txt_file_of_any_bytes(data):
    check_load("notes.txt", data, "txt")


YAML_SNIPPETS = [
    "",
    "a: b",
    "role_name: Nurse\nindustry: healthcare",
    "just a string",
    "- a\n- b",
    "a: [1, 2",
    "a:\tb",
    "\ta: b",
    "? [a, b]\n: c",
    "a: &x [*x]",
    "a: *nowhere",
    "!!python/object/apply:os.system ['true']",
    "a: !!binary AAAA",
    "a: 2001-01-01\nb: null\nc: 1e400\nd: .nan",
    "{a: {b: [c, {d: e}]}}",
    "a: |\n  multi\n  line",
    "%YAML 1.1\n---\na: b",
    "---",
    "...",
    "[" * 2000 + "]" * 2000,
    "a: " + "[" * 2000,
    "{a: " * 2000,
    "a: 'unterminated",
    "a: b\n---\nc: d",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
front_matter = st.one_of(
    st.sampled_from(YAML_SNIPPETS),
    st.text(max_size=200),
    st.lists(st.tuples(st.text(max_size=10), st.text(max_size=30)), max_size=5).map(
        lambda kv: "\n".join(f"{k}: {v}" for k, v in kv)
    ),
    json_values.map(lambda v: json.dumps(v, allow_nan=True)),  # JSON is (mostly) YAML
)
heading_line = st.tuples(st.integers(1, 7), st.one_of(sentence, st.text(max_size=30), st.just(""))).map(
    lambda t: "#" * t[0] + " " + t[1]
)
markdown_line = st.one_of(
    heading_line,
    sentence,
    st.text(max_size=60),
    st.sampled_from(["", "```", "~~~", "===", "---", "***", "> quote", "- item", "Source: somewhere", "#nospace"]),
)
markdown_body = st.lists(markdown_line, max_size=15).map("\n".join)
markdown_file = st.one_of(
    st.tuples(front_matter, markdown_body).map(lambda t: f"---\n{t[0]}\n---\n{t[1]}"),
    markdown_body,
    st.text(max_size=300),
).map(lambda t: t.encode("utf-8"))


@given(st.one_of(markdown_file, text_bytes))
@example(b"# Only a heading\n## And another\n")
@example(b"---\nrole_name: Nurse\n---\n")
@example(("---\n" + "[" * 2000 + "\n---\nSome notes.\n").encode())
@example(b"---\n? [a, b]\n: c\n---\nSome notes.\n")
def test_a_markdown_file_with_any_front_matter_and_headings(data):
    check_load("notes.md", data, "md")


html_tag = st.sampled_from(
    ["h1", "h2", "h3", "h4", "p", "li", "ul", "td", "table", "tr", "pre", "blockquote", "div", "span", "script",
     "style", "nav", "svg", "title", "body", "head", "dd", "dt", "iframe", "form"]
)  # fmt: skip
html_node = st.recursive(
    st.one_of(
        sentence, st.text(max_size=20), st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&nbsp;", "<!--", "]]>"])
    ),
    lambda inner: st.tuples(html_tag, st.lists(inner, max_size=3)).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=10,
)
html_file = st.one_of(
    st.lists(html_node, max_size=5).map(lambda nodes: f"<html><body>{''.join(nodes)}</body></html>".encode()),
    st.lists(html_node, max_size=5).map("".join).map(lambda t: t.encode("utf-8")),
    st.tuples(
        st.sampled_from(["utf-8", "utf-16", "latin-1", "shift_jis", "x-nonsense", "utf-7", ""]),
        st.lists(html_node, max_size=3).map("".join),
    ).map(lambda t: f'<html><head><meta charset="{t[0]}"></head><body>{t[1]}</body></html>'.encode()),
    text_bytes,
)


@settings(max_examples=150)
@given(html_file)
@example(b"<html><body><script>x()</script></body></html>")
@example(b"<h1># not a heading</h1><p>#</p>")
def test_an_html_file_of_any_bytes(data):
    check_load("page.html", data, "html")


@lru_cache(maxsize=1)
def base_pdf() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return make_pdf(
            Path(folder) / "base.pdf", ["The first page has text.", "So does (the) second \\ page."]
        ).read_bytes()


@dataclass(frozen=True)
class Edit:
    at: float  # where, as a share of the length
    kind: str
    data: bytes


edits = st.lists(
    st.builds(
        Edit,
        st.floats(0, 1),
        st.sampled_from(["flip", "insert", "delete", "truncate"]),
        st.binary(min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, changes: list[Edit]) -> bytes:
    out = bytearray(data)
    for e in changes:
        i = min(int(e.at * len(out)), max(len(out) - 1, 0))
        if e.kind == "flip" and out:
            out[i : i + len(e.data)] = bytes(b ^ d for b, d in zip(out[i : i + len(e.data)], e.data, strict=False))
        elif e.kind == "insert":
            out[i:i] = e.data
        elif e.kind == "delete":
            del out[i : i + len(e.data)]
        elif e.kind == "truncate":
            del out[i:]
    return bytes(out)


def pdf_with_pages(pages: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return make_pdf(Path(folder) / "p.pdf", pages).read_bytes()


# Tokens that steer pypdf into its less travelled paths: indirect references to nowhere, streams
# with filters, object streams, broken dictionaries.
PDF_TOKENS = [
    b"9 0 R", b"/Filter /FlateDecode", b"/Length 99999", b"<<", b">>", b"[", b"]", b"/Type /ObjStm",
    b"/Kids [1 0 R]", b"/Count -1", b"stream\n", b"endstream", b"obj", b"/Encrypt 1 0 R", b"/Prev 0",
    b"(unbalanced", b"<FFFE", b"/Resources 2 0 R", b"/Contents [3 0 R 3 0 R]",
]  # fmt: skip
pdf_bytes = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b),
    st.lists(st.one_of(st.text(max_size=80), sentence), min_size=1, max_size=3).map(pdf_with_pages),
    edits.map(lambda e: mutate(base_pdf(), e)),
    st.tuples(edits, st.lists(st.sampled_from(PDF_TOKENS), min_size=1, max_size=3)).map(
        lambda t: mutate(base_pdf(), [Edit(e.at, "insert", b" ".join(t[1])) if e.kind == "insert" else e for e in t[0]])
    ),
)


@settings(max_examples=80)
@given(pdf_bytes)
@example(b"%PDF-1.4\n garbage")
@example(mutate(base_pdf(), [Edit(0.59375, "insert", b"9 0 R")]))  # a reference in a content stream: AssertionError
def test_a_pdf_of_any_bytes(data):
    check_load("posting.pdf", data, "pdf")


@lru_cache(maxsize=1)
def base_docx() -> dict[str, bytes]:
    import docx

    document = docx.Document()
    document.add_heading("Forecast review", level=1)
    document.add_paragraph("Analysts present a weekly forecast.")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "a cell"
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


xml_safe_text = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"), max_size=40
)
docx_paragraph = st.tuples(
    st.sampled_from(["", "Heading1", "Heading2", "Title", "NoSuchStyle", "heading 1", "Normal"]), xml_safe_text
).map(
    lambda t: (
        (f'<w:p><w:pPr><w:pStyle w:val="{t[0]}"/></w:pPr>' if t[0] else "<w:p>")
        + f"<w:r><w:t>{xml_text(t[1])}</w:t></w:r></w:p>"
    )
)
cell_property = st.sampled_from(
    ["", '<w:gridSpan w:val="2"/>', '<w:gridSpan w:val="0"/>', '<w:gridSpan w:val="-1"/>', '<w:gridSpan w:val="abc"/>',
     "<w:vMerge/>", '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="continue"/>', '<w:vMerge w:val="sideways"/>',
     '<w:tcW w:w="x" w:type="dxa"/>']
)  # fmt: skip
docx_cell = st.tuples(cell_property, xml_safe_text).map(
    lambda t: f"<w:tc><w:tcPr>{t[0]}</w:tcPr><w:p><w:r><w:t>{xml_text(t[1])}</w:t></w:r></w:p></w:tc>"
)
docx_table = st.tuples(
    st.integers(0, 3), st.lists(st.lists(docx_cell, max_size=3).map("".join), max_size=3)
).map(
    lambda t: "<w:tbl><w:tblGrid>" + '<w:gridCol w:w="2000"/>' * t[0] + "</w:tblGrid>"
    + "".join(f"<w:tr>{row}</w:tr>" for row in t[1]) + "</w:tbl>"
)  # fmt: skip
docx_body = st.lists(st.one_of(docx_paragraph, docx_paragraph, docx_table), max_size=6).map(
    lambda parts: (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{"".join(parts)}</w:body></w:document>'
    )
)
docx_part = st.sampled_from(
    ["word/document.xml", "word/styles.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"]
)


def docx_with(parts: dict[str, bytes], deflate: bool = True) -> bytes:
    files = {**base_docx(), **parts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def one_cell_table(cell_properties: str, rows: int = 1) -> bytes:
    body = f"<w:tbl>{f'<w:tr><w:tc><w:tcPr>{cell_properties}</w:tcPr><w:p/></w:tc></w:tr>' * rows}</w:tbl>"
    return docx_with({"word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()})


docx_bytes = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    docx_body.map(lambda xml: docx_with({"word/document.xml": xml.encode("utf-8")})),
    docx_body.map(lambda xml: docx_with({"word/document.xml": xml.encode("utf-8")})),
    st.tuples(docx_part, st.one_of(st.binary(max_size=200), st.text(max_size=100).map(str.encode))).map(
        lambda t: docx_with({t[0]: t[1]})
    ),
    edits.map(lambda e: mutate(docx_with({}, deflate=False), e)),
)


@settings(max_examples=80)
@given(docx_bytes)
@example(one_cell_table('<w:gridSpan w:val="abc"/>'))  # python-docx: ValueError from int("abc")
@example(one_cell_table("<w:vMerge/>"))  # python-docx: ValueError "no tr above topmost tr"
@example(one_cell_table("", rows=2))  # empty rows are no text (was a section of "\n")
def test_a_docx_of_any_bytes(data):
    check_load("notes.docx", data, "docx")


# --------------------------------------------------------------------------- 3b. session import


def valid_export() -> dict[str, Any]:
    question = "What is your typical day like in your role?"
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "persona": {"id": "marcus-bell", "name": "Marcus Bell"},
        "goal": "learn what nursing is like",
        "title": "Practice",
        "started": "2024-05-01T10:00:00+00:00",
        "ended": None,
        "minutes": 25,
        "turns": [
            {
                "question": question,
                "answer": "I start with handoff at seven.",
                "sources": [{"id": "n1", "title": "Note one", "source": "Handbook"}],
                "critique": {
                    "question": question,
                    "score": 4,
                    "flags": [],
                    "topic": "typical_day",
                    "feedback": "Good.",
                    "rewrite": None,
                    "credits": [],
                },
                "started": "2024-05-01T10:00:00+00:00",
                "finished": "2024-05-01T10:00:05+00:00",
                "partial": False,
                "error": None,
            }
        ],
    }


lone_surrogate = st.characters(categories=["Cs"]).map(lambda s: "x" + s)
json_leaf = st.one_of(
    json_values,
    lone_surrogate,
    st.sampled_from([10**30, -(10**30), 2**63, -(2**63) - 1, float("nan"), float("inf"), 0, -5, 10**6, "", " "]),
)
# Paths into the export: the mutation replaces (or deletes) the value there.
EXPORT_PATHS = [
    ("format",), ("version",), ("persona",), ("persona", "id"), ("goal",), ("title",), ("started",), ("ended",),
    ("minutes",), ("turns",), ("turns", 0), ("turns", 0, "question"), ("turns", 0, "answer"), ("turns", 0, "sources"),
    ("turns", 0, "sources", 0), ("turns", 0, "sources", 0, "title"), ("turns", 0, "critique"),
    ("turns", 0, "critique", "score"), ("turns", 0, "critique", "flags"), ("turns", 0, "critique", "topic"),
    ("turns", 0, "critique", "rewrite"), ("turns", 0, "critique", "credits"), ("turns", 0, "started"),
    ("turns", 0, "finished"), ("turns", 0, "partial"), ("turns", 0, "error"),
]  # fmt: skip
mutation = st.tuples(st.sampled_from(EXPORT_PATHS), st.one_of(json_leaf, st.just(KeyError)))


def _index(key: Any, target: list) -> bool:
    return isinstance(key, int) and key < len(target)


def mutated_export(changes: list[tuple[tuple, Any]]) -> dict[str, Any]:
    export = valid_export()
    for path, value in changes:
        target: Any = export
        for key in path[:-1]:
            if isinstance(target, dict) and key in target or isinstance(target, list) and _index(key, target):
                target = target[key]
            else:
                break
        else:
            last = path[-1]
            if isinstance(target, dict):
                if value is KeyError:
                    target.pop(last, None)
                else:
                    target[last] = value
            elif isinstance(target, list) and _index(last, target):
                if value is KeyError:
                    del target[last]
                else:
                    target[last] = value
    return export


# Exports that should import: any text in the free fields, any valid flags, topics and scores.
plausible_critique = st.fixed_dictionaries(
    {
        "question": any_text,
        "score": st.integers(1, 5),
        "flags": st.lists(st.sampled_from(FLAGS + CONTEXT_FLAGS), unique=True, max_size=3),
        "topic": st.sampled_from(TOPICS),
        "feedback": st.text(max_size=40),
    },
    optional={
        "rewrite": st.none() | st.text(max_size=40),
        "credits": st.lists(st.sampled_from(CREDITS), unique=True, max_size=2),
    },
)
plausible_source = st.fixed_dictionaries(
    {"title": st.text(max_size=30), "source": st.text(max_size=30)}, optional={"id": st.text(max_size=10)}
)
plausible_turn = st.fixed_dictionaries(
    {
        "question": any_text.map(lambda t: t or "?"),
        "answer": st.one_of(sentence, st.text(max_size=80)),
        "sources": st.lists(plausible_source, max_size=2),
        "critique": plausible_critique,
        "started": st.text(max_size=25),
    },
    optional={"finished": st.text(max_size=25), "partial": st.booleans(), "error": st.none() | st.text(max_size=30)},
)
plausible_export = st.fixed_dictionaries(
    {
        "format": st.just(EXPORT_FORMAT),
        "version": st.integers(-2, 1),
        "persona": st.sampled_from([{"id": "marcus-bell"}, {"id": "deborah-asante", "name": "?"}]),
        "started": st.text(max_size=25),
        "turns": st.lists(plausible_turn, max_size=2),
    },
    optional={
        "goal": st.text(max_size=40),
        "title": st.text(max_size=40),
        "ended": st.none() | st.text(max_size=25),
        "minutes": st.integers(1, 120),
    },
)

export_text = st.one_of(
    plausible_export.map(json.dumps),
    plausible_export.map(lambda e: json.dumps(e, ensure_ascii=False).encode("utf-8")),
    st.lists(mutation, min_size=1, max_size=3).map(mutated_export).map(lambda e: json.dumps(e, allow_nan=True)),
    st.lists(mutation, min_size=1, max_size=3).map(mutated_export).map(lambda e: json.dumps(e, ensure_ascii=False)),
    json_values.map(json.dumps),
    st.binary(max_size=200),
    st.text(max_size=200),
    st.just(json.dumps(valid_export())).map(str.encode).flatmap(lambda b: edits.map(lambda e: mutate(b, e))),
)


@contextmanager
def fresh_store() -> Iterator[SessionStore]:
    with tempfile.TemporaryDirectory() as folder:
        yield SessionStore(Path(folder) / "sessions.db")


def rows(store: SessionStore) -> list[tuple[str, int]]:
    return [(r.id, r.turn_count) for r in store.list()]


@settings(max_examples=80)
@given(export_text)
@example("[" * 100_000)  # nesting deeper than the JSON parser recurses
@example(json.dumps({**valid_export(), "minutes": 10**30}))  # larger than SQLite's INTEGER
@example(json.dumps({**valid_export(), "goal": "\ud800"}))  # a lone surrogate: not storable as UTF-8
@example(json.dumps({**valid_export(), "persona": {"id": "a\nb"}}))
@example(json.dumps({**valid_export(), "turns": []}))
# A source without a title imported fine, then export_markdown failed on it with a KeyError.
@example(json.dumps(mutated_export([(("turns", 0, "sources", 0, "title"), KeyError)])))
def test_session_import_of_any_bytes_is_a_one_line_error_or_a_whole_session(text):
    with fresh_store() as store:
        store.import_json(json.dumps(valid_export()))  # one session already there
        before = rows(store)
        try:
            session_id = store.import_json(text)
        except SessionError as exc:
            assert one_line(str(exc)) and "Fix:" in str(exc), repr(str(exc))
            assert rows(store) == before  # nothing stored
            event(f"refused: {str(exc)[:30]}")
            return
        after = rows(store)
        assert len(after) == len(before) + 1 and set(before) < set(after)
        record = store.get(session_id)  # what was stored can be read back whole
        assert record.turn_count == len(json.loads(text)["turns"])
        for turn in record.turns:
            assert set(turn.critique.flags) <= set(FLAGS + CONTEXT_FLAGS) and 1 <= turn.critique.score <= 5
        # ... and shown, exported and resumed the way the app and the CLI do it.
        store.export_markdown(session_id)
        json.dumps(store.export_json(session_id))
        store.resume(session_id)
        event("imported")
