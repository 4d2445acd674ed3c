"""Your own documents (pdf, docx, html, md, txt), sources, forgetting, and custom personas."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from agents.custom_persona import build_persona, create_persona, delete_persona
from cli import main
from core.errors import IngestError, PersonaError
from knowledge.documents import load_document
from knowledge.personas import get_persona
from knowledge.retrieval import Retriever
from tests.fakes.documents import make_docx, make_html, make_pdf

POSTING = [
    "The analytics team at Northwind Outfitters builds demand forecasts with dbt and Snowflake.",
    "Analysts present a weekly forecast review to the merchandising leads every Tuesday.",
]


def run(args):
    out = io.StringIO()
    return main(args, out=out, stdin=io.StringIO("")), out.getvalue()


def test_pdf_docx_and_html_are_read_into_text(tmp_path: Path):
    pdf = load_document(make_pdf(tmp_path / "posting.pdf", POSTING))
    assert (
        pdf.kind == "pdf" and [s.page for s in pdf.sections] == [1, 2] and "dbt and Snowflake" in pdf.sections[0].text
    )
    docx = load_document(make_docx(tmp_path / "notes.docx", "Forecast review", POSTING))
    assert docx.sections[0].heading == "Forecast review" and "every Tuesday" in docx.sections[0].text
    html = load_document(make_html(tmp_path / "page.html", "Careers", "Analytics team", POSTING))
    text = " ".join(s.text for s in html.sections)
    assert "Snowflake" in text and "tracking" not in text and "Home | Jobs" not in text
    assert html.meta["title"] == "Careers" and html.sections[0].heading == "Analytics team"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.pdf", b"%PDF-1.4\n garbage", "not a readable PDF"),
        ("empty.pdf", None, "has no text"),
        ("broken.docx", b"PK\x03\x04 not really", "not a readable .docx"),
        ("sheet.xlsx", b"PK", "unsupported file type"),
        ("latin1.txt", "café".encode("latin-1"), "not UTF-8"),
        ("nothing.html", b"<html><body><script>x()</script></body></html>", "no readable text"),
    ],
)
def test_bad_documents_get_a_clear_message(tmp_path: Path, name, content, message):
    path = tmp_path / name
    if content is None:
        make_pdf(path, [""])
    else:
        path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        load_document(path)


def test_a_docx_that_inflates_hugely_is_refused(tmp_path: Path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "a" * 30_000_000)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(IngestError, match="expands to"):
        load_document(bomb)


def test_documents_ingest_list_retrieve_and_forget(store, tmp_path: Path):
    files = [
        make_pdf(tmp_path / "posting.pdf", POSTING),
        make_pdf(tmp_path / "posting (1).pdf", POSTING),  # the same download, twice
        make_docx(tmp_path / "notes.docx", "Forecast review", ["Interviews include a case study on a launch."]),
        make_html(tmp_path / "company.html", "About", "Who we are", ["Northwind sells outdoor gear in 40 stores."]),
    ]
    result = store.ingest_user_files(files)
    assert result.files == 4 and result.added == 4
    assert result.duplicates == 2  # the copy adds nothing
    sources = {r["source"]: r for r in store.sources() if r["origin"] == "yours"}
    assert set(sources) == {"posting.pdf", "notes.docx", "company.html"}
    assert sources["posting.pdf"]["type"] == "pdf" and sources["company.html"]["type"] == "html"
    hits = Retriever(store).search("which tools does the analytics team forecast with", "data-scientist", k=5)
    assert any("Snowflake" in n.text and n.source.startswith("posting.pdf, page 1") for n in hits)
    assert store.forget("posting.pdf") >= 1
    assert "posting.pdf" not in {r["source"] for r in store.sources()}
    with pytest.raises(IngestError, match="built-in"):
        store.forget("healthcare/registered-nurse")
    with pytest.raises(IngestError, match="No source named"):
        store.forget("nope.pdf")


def test_a_bad_file_in_a_batch_stores_nothing(store, tmp_path: Path):
    before = store.count()
    good = make_pdf(tmp_path / "good.pdf", POSTING)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(IngestError):
        store.ingest_user_files([good, bad])
    assert store.count() == before


def test_cli_ingest_sources_forget(home, tmp_path: Path, capsys):
    pdf = make_pdf(tmp_path / "posting.pdf", POSTING)
    html = make_html(tmp_path / "company.html", "About", "Who we are", ["Northwind sells outdoor gear."])
    code, out = run(["ingest", str(pdf), str(html), "--role", "data-scientist"])
    assert code == 0 and "2 file(s)" in out
    code, out = run(["sources", "--json"])
    rows = json.loads(out)
    assert {r["source"] for r in rows} == {"posting.pdf", "company.html"} and rows[0]["role"] == "data-scientist"
    code, out = run(["forget", "company.html"])
    assert code == 0 and "Forgot company.html" in out
    code, _ = run(["forget", "company.html"])
    assert code == 2 and "No source named" in capsys.readouterr().err
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF- nope")
    code, _ = run(["ingest", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "not a readable PDF" in err and err.count("\n") == 1


BIO = (
    "Dana Whitfield is a Director of Data Science at Brightline Health, where she leads a team of twelve "
    "building patient-risk models. She has 14 years of experience in analytics, starting as a biostatistician "
    "after a master's in statistics."
)


def test_a_persona_is_built_from_a_bio():
    persona = build_persona(BIO, "data-scientist", temperament="sceptical")
    assert persona.name == "Dana Whitfield" and persona.title == "Director of Data Science"
    assert persona.seniority == "executive" and persona.years_in_field == 14
    assert persona.company_type == "Brightline Health" and persona.industry == "technology"
    assert persona.custom and "patient-risk models" in persona.story


def test_bio_problems_name_the_fix():
    with pytest.raises(PersonaError, match="name"):
        build_persona("leads a team of twelve building patient-risk models at a hospital group.", "data-scientist")
    with pytest.raises(PersonaError, match="Unknown role"):
        build_persona(BIO, "astronaut")


def test_a_custom_persona_is_saved_grounded_and_used_in_a_conversation(runtime, informant, fake_model):
    persona = create_persona(runtime.store(), runtime.personas, role="data-scientist", bio=BIO, temperament="busy")
    assert runtime.personas.get(persona.id).name == "Dana Whitfield"
    assert persona.id in runtime.personas.all()
    conversation = informant.start(runtime.personas.get(persona.id))
    turn = informant.ask(conversation, "What kind of models does your team build?")
    system = fake_model.calls[-1][0].content
    assert "Dana Whitfield" in system and "Brightline Health" in system
    assert any(s["title"].startswith("Dana Whitfield") for s in turn.sources)  # the bio is in its notes
    other = informant.start(get_persona("priya-raman"))
    informant.ask(other, "What kind of models does your team build?")
    assert "Brightline" not in fake_model.calls[-1][-1].content  # another persona never reads Dana's bio
    delete_persona(runtime.store(), runtime.personas, persona.id)
    assert persona.id not in runtime.personas.all()
    assert f"{persona.id}.bio.md" not in {r["source"] for r in runtime.store().sources()}


def test_sessions_outlive_a_deleted_custom_persona_and_names_never_collide(runtime, informant):
    from core.errors import SessionError

    first = create_persona(runtime.store(), runtime.personas, role="data-scientist", bio=BIO)
    second = create_persona(
        runtime.store(),
        runtime.personas,
        role="registered-nurse",
        bio=BIO.replace("Director of Data Science", "Charge Nurse"),
    )
    assert second.id != first.id and {first.id, second.id} <= set(runtime.personas.all())
    with pytest.raises(PersonaError):
        build_persona("  is a nurse at a large hospital with many years on the ward.", "registered-nurse", name="   ")
    conversation = informant.start(runtime.personas.get(first.id))
    runtime.sessions().save_turn(conversation, informant.ask(conversation, "What kind of models does your team build?"))
    delete_persona(runtime.store(), runtime.personas, first.id)
    sessions = runtime.sessions()
    record = sessions.get(conversation.session_id)
    assert "deleted" in sessions.export_markdown(record.id) and record.report().questions
    assert sessions.progress() and sessions.list()[0].display_title.startswith(
        f"Unfinished: {first.id} · "
    )  # one question, never ended
    with pytest.raises(SessionError, match="deleted"):
        sessions.resume(record.id)


def test_the_knowledge_tab_search_shows_exactly_what_the_informant_reads(runtime, informant):
    """One search: the Knowledge tab's box, the informant and its tool go through knowledge.retrieval."""
    persona = runtime.personas.get("marcus-bell")
    for question in ("Who else should I talk to?", "What does a typical night shift look like?"):
        turn = informant.ask(informant.start(persona), question, read_ahead=False)
        shown = runtime.search(question, persona.id)
        assert shown and [n.id for n in shown] == [s["id"] for s in turn.sources], question
    assert len(runtime.search("What is the pay like?")) == runtime.settings.retrieval_k  # all notes, no persona
