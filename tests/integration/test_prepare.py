"""Preparing (question lists, the research brief) and following up (the thank-you note)."""

from __future__ import annotations

import io
import json
import re

import pytest

import agents.followup as followup
from agents.coach import REFERRAL
from agents.critic import TOPIC_LABELS, critique
from agents.followup import polish_note, thank_you
from agents.models import FakeChatModel
from agents.prepare import (
    NEAR_DUPLICATE,
    OVERHEAD_MINUTES,
    edit_question,
    generate,
    move_question,
    polish_plan,
    regenerate_one,
    remove_question,
    research_brief,
)
from cli import main
from core.errors import FollowUpError, PrepareError
from core.text import content_words
from knowledge.embeddings import MiniLMEmbedder
from knowledge.personas import get_persona
from knowledge.store import whole_sections


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, out=out, stdin=io.StringIO("")), out.getvalue()


def _notes_text(store, persona_id: str) -> str:
    persona = get_persona(persona_id)
    return " ".join(n.text for n in whole_sections(store.notes_in_scope(persona.role, persona.id)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*\([^()]*\)", "", text)).lower()


CASES = [
    ("marcus-bell", "Learn what night shifts are really like", "Career changer from retail management", 20),
    ("deborah-asante", "Understand how to move from consulting into a public agency", "Civil engineering student", 45),
    ("adaeze-nwosu", "Decide between hospital and retail pharmacy", "", 30),
    ("wei-lun-chang", "", "", 60),
]


@pytest.mark.parametrize("persona_id, goal, background, minutes", CASES)
def test_question_lists_meet_the_bar(persona_id, goal, background, minutes, home, store, monkeypatch):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    argv = ["questions", "--json", "--persona", persona_id, "--minutes", str(minutes)]
    argv += ["--goal", goal] if goal else []
    argv += ["--background", background] if background else []
    code, out = run(argv)
    assert code == 0
    plan = json.loads(out)
    questions = plan["questions"]
    assert all({"question", "topic", "minutes", "why"} <= set(q) for q in questions)
    # Fits the time, with the introductions and thanks counted.
    assert sum(q["minutes"] for q in questions) + OVERHEAD_MINUTES <= minutes
    assert len(questions) >= 6
    # Covers at least five topics, opens with their story and ends by asking who else to talk to.
    assert len({q["topic"] for q in questions}) >= 5
    assert questions[0]["topic"] == "career_path"
    assert questions[-1]["topic"] == "networking" and REFERRAL.search(questions[-1]["question"])
    # No question the critic flags.
    for q in questions:
        assert critique(q["question"]).flags == [], q["question"]
    # No near-duplicates, by meaning or by words.
    texts = [q["question"] for q in questions]
    vectors = MiniLMEmbedder.shared().embed(texts)
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert float(vectors[i] @ vectors[j]) < NEAR_DUPLICATE, (texts[i], texts[j])
            a, b = content_words(texts[i]), content_words(texts[j])
            assert len(a & b) / max(1, len(a | b)) < 0.6, (texts[i], texts[j])
    # At least a third use something specific from this persona's notes, quoted faithfully.
    specific = [q for q in questions if q["specific"]]
    assert len(specific) * 3 >= len(questions)
    notes = _squash(_notes_text(store, persona_id))
    for q in specific:
        m = re.match(r"(?:I read that|People often advise newcomers to) (.+?)\. [A-Z][^.]*\?$", q["question"])
        assert m, q["question"]
        claim = m.group(1).replace(" their ", " your ")
        words = claim.split()
        # The claim is the note's sentence (its first letter's case aside, parentheses dropped).
        assert (
            _squash(" ".join(words[1:])) in notes or _squash(" ".join(words[1:])).replace(" your ", " their ") in notes
        )
        assert q["source"], q


def test_a_goal_about_pay_asks_about_entry_ranges_not_their_pay(home, store):
    persona = get_persona("marcus-bell")
    notes = store.notes_in_scope(persona.role, persona.id)
    plan = generate(persona, notes, goal="Find out what nurses earn when starting out", minutes=30)
    pay = [q for q in plan.questions if q.topic == "compensation"]
    assert pay and not any(re.search(r"\byour (?:own )?(?:pay|salary)\b", q.question) for q in pay)
    no_goal = generate(persona, notes, minutes=30)
    assert not any(q.topic == "compensation" for q in no_goal.questions)


def test_temperament_sets_the_minutes_and_more_time_means_more_questions(home, store):
    busy, warm = get_persona("obinna-eze"), get_persona("adaeze-nwosu")
    assert busy.temperament == "busy" and warm.temperament == "warm"
    busy_plan = generate(busy, store.notes_in_scope(busy.role), minutes=30)
    warm_plan = generate(warm, store.notes_in_scope(warm.role), minutes=30)
    assert len(busy_plan.questions) > len(warm_plan.questions)
    long = generate(warm, store.notes_in_scope(warm.role), minutes=90)
    assert len(long.questions) > 10 and long.minutes_used <= 90


def test_regenerate_edit_reorder_remove_and_a_new_list(home, store):
    persona = get_persona("adaeze-nwosu")
    notes = store.notes_in_scope(persona.role, persona.id)
    plan = generate(persona, notes, minutes=30)
    before = [q.question for q in plan.questions]
    old = plan.questions[1]
    regenerate_one(plan, 1, persona, notes)
    new = plan.questions[1]
    assert new.question not in before and new.topic == old.topic and not critique(new.question).flags
    # The closer is only ever replaced by another referral question.
    last = len(plan.questions) - 1
    regenerate_one(plan, last, persona, notes)
    assert plan.questions[last].topic == "networking" and REFERRAL.search(plan.questions[last].question)
    # Edits keep the user's words, and are judged again.
    edit_question(plan, 2, "Do you like your job?", persona.role)
    assert plan.questions[2].question == "Do you like your job?" and "closed" in plan.questions[2].flags
    assert "⚠" not in plan.markdown() and "Do you like your job?" in plan.markdown()
    first = plan.questions[0].question
    move_question(plan, 0, 3)
    assert plan.questions[3].question == first
    n = len(plan.questions)
    remove_question(plan, 0)
    assert len(plan.questions) == n - 1
    with pytest.raises(PrepareError, match="no question 99"):
        remove_question(plan, 98)
    with pytest.raises(PrepareError, match="can't be empty"):
        edit_question(plan, 0, "   ")
    # A new list for the same inputs skips what was shown before (a referral question may come back:
    # every list ends with one).
    other = generate(persona, notes, minutes=30, variant=1, exclude=set(plan.shown))
    assert not {q.question for q in other.questions if q.topic != "networking"} & set(plan.shown)


def test_exports_are_markdown_and_a_printable_escaped_page(home, store):
    persona = get_persona("marcus-bell")
    plan = generate(persona, store.notes_in_scope(persona.role), goal="<b>learn</b>", minutes=25)
    md, page = plan.markdown(), plan.html()
    assert md.startswith("# Questions for Marcus Bell") and all(q.question in md for q in plan.questions)
    assert "<b>learn</b>" not in page and "&lt;b&gt;learn&lt;/b&gt;" in page and "@media print" in page
    assert page.count("<li>") == len(plan.questions)


def test_the_list_never_asks_the_model_but_a_capable_model_may_reword_it(home, store):
    persona = get_persona("marcus-bell")
    notes = store.notes_in_scope(persona.role, persona.id)
    plan = generate(persona, notes, goal="Decide whether nursing suits me", background="Retail manager", minutes=25)
    bank = [q for q in plan.questions if not q.specific and q.topic != "networking"]
    # The first rewording is flagged (closed), so it is refused; the next ones are fine and kept.
    model = FakeChatModel().enqueue("Do you like nursing?", *["What drew you to nursing after another career?"] * 20)
    polish_plan(plan, model, persona.role)
    assert bank[0].question != "Do you like nursing?"
    assert any(q.question == "What drew you to nursing after another career?" for q in bank[1:])
    assert all(not critique(q.question).flags for q in plan.questions)


def test_bad_inputs_are_one_line(home, monkeypatch, capsys):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    for argv, message in [
        (["questions", "--persona", "marcus-bell", "--minutes", "5"], "minutes must be between 10 and 120"),
        (["questions", "--persona", "marcus-bell", "--goal", "x" * 600], "keep it under 500"),
        (["questions", "--persona", "nobody"], "Unknown persona 'nobody'"),
        (["thank-you", "--session", "nope"], "No session 'nope'"),
    ]:
        code, _ = run(argv)
        err = capsys.readouterr().err
        assert code == 2 and message in err and err.count("\n") == 1, (argv, err)


def test_research_brief_points_come_from_the_notes_with_sources(home, store):
    persona = get_persona("adaeze-nwosu")
    notes = store.notes_in_scope(persona.role, persona.id)
    brief = research_brief(persona, notes, goal="hospital versus retail")
    text = _notes_text(store, persona.id)
    assert set(brief.sections) >= {"What the role involves", "Current trends", "What people in it care about"}
    for heading, points in brief.sections.items():
        assert points, heading
        for p in points:
            assert p.source.startswith("Pharmacist: ")
            if heading != "Terms to know":
                assert p.text in text
    terms = {p.text for p in brief.sections["Terms to know"]}
    assert "**NAPLEX**: North American Pharmacist Licensure Examination" in terms
    assert "**PBMs**: pharmacy benefit managers" in terms


# --------------------------------------------------------------------------- the thank-you note

ADVICE = "Start on a medical-surgical unit, because the orientation there builds your fundamentals fast."
TIP = "I'd join the Emergency Nurses Association as a student; the conference contacts helped me most."


def _saved_session(runtime, fake_model) -> str:
    informant = runtime.informant()
    persona = get_persona("marcus-bell")
    conversation = informant.start(persona, "Decide whether nursing suits me")
    fake_model.enqueue(
        f"Honestly, I came to it late. {ADVICE}",
        f"Nights are long. {TIP}",
        "Sure, it was fine.",
    )
    for question in (
        "How did you get into nursing?",
        "What advice would you give someone starting out?",
        "Can you get me a job at your hospital?",  # declined by the informant: never thanked for
        "What is a typical night shift like?",
    ):
        turn = informant.ask(conversation, question)
        runtime.sessions().save_turn(conversation, turn)
    return conversation.session_id


def test_thank_you_quotes_only_what_the_informant_said(home, runtime, fake_model, monkeypatch, capsys):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    session_id = _saved_session(runtime, fake_model)
    record = runtime.sessions().get(session_id)
    answers = " ".join(t.answer for t in record.turns)
    code, out = run(
        ["thank-you", "--session", session_id, "--name", "Sam Lee", "--next-step", "Shadow a nurse", "--json"]
    )
    assert code == 0
    note = json.loads(out)
    body = note["body"]
    assert note["quotes"] and len(note["quotes"]) <= 2
    quoted = re.findall(r"“([^”]+)”", body)
    assert quoted and all(q in answers for q in quoted)  # word for word
    assert ADVICE in quoted and TIP in quoted  # the advice, not the small talk or the decline
    decline = next(t.answer for t in record.turns if "asks_for_job" in t.critique.flags)
    assert not any(q in decline for q in quoted)
    # Outside the quotes, every word comes from the template, the persona, the user or a topic label.
    rest = re.sub(r"“[^”]+”", " ", body)
    template = followup.__file__ and open(followup.__file__, encoding="utf-8").read()
    allowed = set(re.findall(r"[a-z']+", template.lower()))
    allowed |= set(re.findall(r"[a-z']+", "marcus bell sam lee shadow a nurse registered nurse".lower()))
    allowed |= {w for label in TOPIC_LABELS.values() for w in re.findall(r"[a-z']+", label.lower())}
    assert set(re.findall(r"[a-z']+", rest.lower())) <= allowed
    assert body.startswith("Dear Marcus,") and body.rstrip().endswith("Sam Lee")
    assert "resume" not in body.lower() and "24 hours" in note["due"]


def test_thank_you_needs_answers(home, runtime):
    from agents.informant import Conversation

    persona = get_persona("marcus-bell")
    with pytest.raises(FollowUpError, match="no answers yet"):
        thank_you("abc", persona, Conversation(persona=persona).turns)


def test_a_polished_note_keeps_every_quote_and_adds_no_names(home, runtime, fake_model):
    session_id = _saved_session(runtime, fake_model)
    note = runtime.thank_you(session_id)
    draft = note.body
    changed_quote = draft.replace(ADVICE, "Start anywhere.")
    new_name = draft.replace("I learned a lot", "Dr Patel and I learned a lot")
    for reply in (changed_quote, new_name, draft + "\nI attach my resume."):
        assert polish_note(note, FakeChatModel().enqueue(reply)).body == draft
    smoother = draft.replace("I learned a lot from our conversation.", "I learned so much from our talk.")
    assert polish_note(note, FakeChatModel().enqueue(smoother)).body == smoother


def test_new_lists_keep_their_closer_and_offer_new_facts(home, store):
    persona = get_persona("marcus-bell")
    notes = store.notes_in_scope(persona.role, persona.id)
    plan = generate(persona, notes, minutes=30)
    shown = set(plan.shown)
    for variant in range(1, 5):
        plan = generate(persona, notes, minutes=30, variant=variant, exclude=shown)
        assert plan.questions[-1].topic == "networking", variant
        facts = [q.question.rsplit(". ", 1)[0] for q in plan.questions if q.specific]
        assert not any(
            f.startswith(tuple(x.rsplit(". ", 1)[0] for x in shown if x.startswith("I read"))) for f in facts
        )
        shown |= set(plan.shown)


def test_exports_follow_the_users_order(home, store):
    persona = get_persona("marcus-bell")
    plan = generate(persona, store.notes_in_scope(persona.role), minutes=30)
    closer = plan.questions[-1].question
    move_question(plan, len(plan.questions) - 1, 0)
    assert plan.markdown().index(closer) < plan.markdown().index(plan.questions[1].question)
    assert "1. " + closer in plan.markdown()


def test_wording_details(home, store):
    from agents.followup import next_step_phrase
    from agents.prepare import about_me
    from core.text import article

    assert article("HR manager") == "an" and article("UX designer") == "a" and article("engineer") == "an"
    assert next_step_phrase("I'll shadow an ICU nurse") == "shadow an ICU nurse"
    assert next_step_phrase("ANA membership") == "ANA membership" and next_step_phrase("Join the ANA") == "join the ANA"
    assert about_me("As a teacher?") == "A bit about me: as a teacher."
    assert about_me("eBay seller") == "A bit about me: eBay seller."


def test_table_rows_are_matched_to_questions_by_number():
    from agents.prepare import PlannedQuestion, QuestionPlan, apply_table_rows

    first = PlannedQuestion("How did you get started as a nurse?", "career_path", 4, "Their story.", 1)
    second = PlannedQuestion("What does a typical shift look like?", "typical_day", 5, "The work.", 2)
    closer = PlannedQuestion("Who else should I talk to?", "networking", 3, "Next steps.", 3)
    plan = QuestionPlan("marcus-bell", "Marcus Bell", "Registered Nurse", "", "", 30, [first, second, closer])
    rows = [
        [3, "networking", "Who else should I talk to?", "2", "ok", ""],  # moved up, minutes changed
        [1.0, "career path", "Do you like your job?", 99, "ok", ""],  # reworded: kept and re-checked
        # row 2 deleted; a row of your own (no "#", no minutes), a duplicate "#" with no text, an empty row
        [None, None, "What surprised you most this year?", float("nan"), None, None],
        [3, "", "", 4, "", ""],
        ["", "", "", "", "", ""],
    ]
    assert apply_table_rows(plan, rows, "registered-nurse") == []
    assert plan.questions[:2] == [closer, first]  # the same objects, in the table's order
    assert closer.minutes == 2 and first.minutes == 30  # minutes kept within 1-30
    assert first.question == "Do you like your job?" and "closed" in first.flags and first.why.startswith("Your")
    added = plan.questions[2]
    assert len(plan.questions) == 3 and added.question == "What surprised you most this year?"
    assert (added.minutes, added.why, added.priority, added.flags) == (3, "Your question.", 3, [])

    # A wording the list refuses keeps the old one and says why, by the question's number.
    warnings = apply_table_rows(plan, [[1, "", "x" * 401, 3, "", ""]], None)
    assert warnings == ["Question 1: keep a question under 400 characters (keep any preamble short)."]
    assert plan.questions == [closer] and closer.question == "Who else should I talk to?" and closer.minutes == 3


def test_a_prepared_question_is_ticked_off_when_asked_in_other_words():
    from agents.prepare import asked_in

    plan = [
        "How did you get started as a registered nurse?",
        "What does a typical shift look like for you?",
        "Is there anyone else you think I should talk to?",
    ]
    asked = ["How did you get started in nursing?", "What challenges do you face in your job?"]
    assert asked_in(plan, asked) == [True, False, False]
    assert asked_in(plan, []) == [False, False, False] and asked_in([], asked) == []
    assert asked_in(plan, ["Who else should I talk to, do you think?"])[2]
