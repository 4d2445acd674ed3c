from pathlib import Path

import pytest

from core.errors import IngestError
from knowledge import NOTES_DIR
from knowledge.retrieval import Retriever
from knowledge.store import NoteStore, parse_note_file

TOPICS = [
    "typical_day",
    "skills",
    "career_path",
    "challenges",
    "industry_trends",
    "advice",
    "resources",
    "compensation",
]


def test_every_builtin_note_file_covers_the_seed_topics():
    files = sorted(NOTES_DIR.rglob("*.md"))
    industries = {f.parent.name for f in files}
    assert len(industries) >= 6 and len(files) >= 12
    for path in files:
        chunks = parse_note_file(path, "builtin", path.stem)
        topics = {meta["topic"] for _, _, meta in chunks}
        assert set(TOPICS) <= topics, path
        assert all(meta["source"] and meta["role"] and meta["industry"] for _, _, meta in chunks), path


def test_ingest_is_idempotent_and_replaces_changed_notes(tmp_path: Path, store, builtin_ingest):
    _, first = builtin_ingest  # the built-in notes ingested into an empty store (tests/conftest.py)
    count = store.count()
    assert first["added"] == count > 100 and first["files"] == len(list(NOTES_DIR.rglob("*.md")))
    store.collection.modify(metadata={"builtin_fingerprint": "stale"})  # force a full pass
    again = store.ingest_builtin()
    assert again.added == 0 and again.updated == 0 and store.count() == count

    note = tmp_path / "mine.md"
    note.write_text(
        "---\nrole: software-engineer\n---\n## Typical day\nI review pull requests first.\n\n## Pay\nVaries.\n"
    )
    r1 = store.ingest_user_files([note])
    assert r1.added == 2
    assert store.ingest_user_files([note]).added == 0
    note.write_text("---\nrole: software-engineer\n---\n## Typical day\nI start with a stand-up at 9:30.\n")
    r3 = store.ingest_user_files([note])
    assert (r3.updated, r3.removed) == (1, 1)
    docs = store.collection.get(where={"source_key": "mine.md"})["documents"]
    assert docs == ["I start with a stand-up at 9:30."]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.md", "no such file"),
        (b"hello", "notes.xlsx", "unsupported file type"),
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf", "not a readable PDF"),
        (b"PK\x03\x04 broken zip", "broken.docx", "not a readable .docx"),
        (b"\xff\xfe\x00bad", "latin.txt", "not UTF-8"),
        (b"   \n", "empty.md", "empty"),
    ],
)
def test_bad_user_files_get_a_clear_error_and_store_nothing(tmp_path: Path, content, name, message):
    store = NoteStore(tmp_path / "chroma")
    good = tmp_path / "good.md"
    good.write_text("Some useful notes about nursing shifts.")
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        store.ingest_user_files([good, path])
    assert store.count() == 0  # the good file was not stored half-way


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("What does a normal day look like?", "typical_day"),
        ("How much do people earn when they start?", "compensation"),
        ("Which books or courses would you recommend?", "resources"),
        ("What is hard about the job?", "challenges"),
    ],
)
def test_retrieval_finds_the_right_section(store, query, topic):
    notes = Retriever(store).search(query, "registered-nurse")
    assert notes and all(n.id.startswith("builtin:healthcare/registered-nurse") for n in notes)
    assert topic in {n.topic for n in notes}
