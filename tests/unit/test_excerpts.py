"""The few note sentences that answer the question are sent, not whole chunks."""

from __future__ import annotations

from agents.informant.excerpts import excerpts, sent_in
from knowledge.store import Note

DAY = Note(
    id="a",
    title="Nurse: Typical day",
    source="BLS",
    topic="typical_day",
    text="Nurses coordinate with physicians and pharmacists. A shift starts with bedside handoff from the "
    "previous nurse. Most hospital nurses work three twelve-hour shifts a week. The profession has a long history.",
)
PAY = Note(
    id="b",
    title="Nurse: Pay",
    source="BLS",
    topic="compensation",
    text="The median annual wage for registered nurses was $93,600 in May 2024. Pay varies by state and setting.",
)


def words(text: str) -> int:
    return len(text.split())


def test_the_sentences_that_answer_the_question_in_each_note_s_order():
    out = excerpts(
        [DAY, PAY], "How does your shift start, and how many shifts a week?", "typical_day", words, set(), 40
    )
    assert [n.id for n in out] == ["a"]
    assert out[0].text.startswith("A shift starts with bedside handoff") and "twelve-hour shifts" in out[0].text
    assert "long history" not in out[0].text


def test_within_the_budget_and_nothing_sent_twice():
    first = excerpts([DAY, PAY], "What is the pay like for nurses?", "compensation", words, set(), 25)
    assert "$93,600" in first[-1].text and sum(words(f"- {n.title}: {n.text}") for n in first) <= 25
    message = " ".join(n.text for n in first)
    again = excerpts([DAY, PAY], "What is the pay like for nurses?", "compensation", words, sent_in(message, [PAY]), 25)
    assert all("$93,600" not in n.text for n in again)


def test_a_sentence_cut_at_a_chunk_s_edge_is_never_sent():
    cut = Note(
        id="c",
        title="Nurse: Trends",
        source="BLS",
        topic="industry_trends",
        text="in April 2023, tests clinical judgment with case-based questions. Care moves toward telehealth and "
        "home health settings. Many experienced nurses recommend starting on a medical-surgical",
    )
    out = excerpts(
        [cut],
        "How is nursing changing: telehealth, clinical judgment, medical-surgical?",
        "industry_trends",
        words,
        set(),
        80,
    )
    assert [n.text for n in out] == ["Care moves toward telehealth and home health settings."]
