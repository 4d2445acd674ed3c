import re

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from agents.critic import critique
from agents.informant import system_prompt
from core.errors import InputError
from core.settings import Settings
from knowledge.personas import get_persona
from prompts import render

NURSE = "marcus-bell"


def _sent(fake_model, call=-1):
    return fake_model.calls[call]


def test_a_turn_streams_an_answer_with_its_notes(informant, fake_model):
    fake_model.enqueue("I start every shift with handoff at the bedside, then I do my assessments.")
    conversation = informant.start(get_persona(NURSE))
    updates = list(informant.stream(conversation, "What is your typical day like in your role?"))
    assert len(updates) > 3  # streamed in pieces
    turn = updates[-1].turn
    assert turn.answer.startswith("I start every shift")
    assert turn.sources and all({"id", "title", "source"} <= set(s) for s in turn.sources)
    assert any("Typical day" in s["title"] for s in turn.sources)
    assert turn.critique.flags == [] and turn.critique.topic == "typical_day"
    messages = _sent(fake_model)
    assert isinstance(messages[0], SystemMessage) and messages[0].content == system_prompt(get_persona(NURSE))
    last = messages[-1]
    assert isinstance(last, HumanMessage)
    assert last.content.index("Notes for this question") < last.content.index(
        "The seeker asks: What is your typical day like in your role?"
    )
    assert last.content.rstrip().endswith("in three to five sentences.")  # Marcus is warm


def test_prompt_prefix_is_stable_across_turns(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    informant.ask(conversation, "What is your typical day like in your role?")
    informant.ask(conversation, "What challenges do you face in your job?")
    first, second = _sent(fake_model, 0), _sent(fake_model, 1)
    # Turn 2's prompt starts with exactly turn 1's prompt, then turn 1's answer.
    assert [m.content for m in second[: len(first)]] == [m.content for m in first]
    assert isinstance(second[len(first)], AIMessage)
    # The system prompt carries no retrieved notes: they go late, in the turn's message.
    assert "Notes for this question" not in second[0].content


def test_notes_already_sent_are_referred_to_not_repeated(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    informant.ask(conversation, "What is your typical day like in your role?")
    informant.ask(conversation, "What does a normal day on the unit look like for you?")
    second_turn = _sent(fake_model, 1)[-1].content
    assert "from notes given earlier" in second_turn


def test_the_read_ahead_reads_exactly_the_start_of_the_message_the_turn_sends(informant, fake_model):
    from agents.informant import READ_AHEAD

    conversation = informant.start(get_persona(NURSE))
    draft, question = "What is your typical day like", "What is your typical day like in your role?"
    feedback = critique(question)
    notes = informant.retrieve(conversation, question, feedback.topic)
    assert [n.id for n in informant.retrieve(conversation, draft, critique(draft).topic)] == [n.id for n in notes]
    ahead = informant.build_turn_message(conversation, READ_AHEAD, notes, list(feedback.flags), about=question)
    ahead = ahead[: ahead.index("The seeker asks: " + READ_AHEAD)]
    sent = informant.build_turn_message(conversation, question, notes, list(feedback.flags))
    assert len(ahead) > 200 and sent.startswith(ahead)  # the notes are read before the question is sent
    assert informant.read_ahead(conversation, draft) == 0 and fake_model.calls == []  # remote: nothing to read


def test_the_note_sentences_sent_keep_to_their_token_budget(informant, fake_model):
    informant.turn_notes_tokens = 120
    conversation = informant.start(get_persona(NURSE))
    informant.ask(conversation, "What is your typical day like in your role?")
    message = _sent(fake_model)[-1].content
    notes = message[message.index("Notes for this question:") : message.index("The seeker asks:")]
    assert 20 < informant.count_tokens(notes) <= 130
    assert notes.rstrip().endswith((".", "!", "?"))


def test_old_turns_are_summarised_to_fit_the_context_and_the_turn_says_so(runtime, fake_model):
    from agents.informant import Informant

    informant = Informant(fake_model, runtime.retriever(), settings=runtime.settings, context_tokens=2000)
    conversation = informant.start(get_persona(NURSE))
    questions = [
        "What is your typical day like in your role?",
        "What challenges do you face in your job?",
        "How did you get started in nursing?",
        "What skills matter most on your unit?",
        "How is the industry changing for nurses?",
        "What advice would you give someone starting out?",
    ] * 3
    long_answer = "I spend a lot of my shift walking between rooms and checking on patients. " * 6
    for q in questions:
        fake_model.enqueue(long_answer.strip())
        turn = informant.ask(conversation, q)
        assert informant.prompt_tokens(_sent(fake_model)) <= 2000 - 170  # room for the answer
    assert turn.summarised > 0 and conversation.summarised == turn.summarised
    system = _sent(fake_model)[0].content
    assert "Earlier in this conversation (summarised" in system and "Q1: What is your typical day" in system
    # The persona's prompt before the summary is unchanged, so its cached tokens are still used.
    assert system.startswith(_sent(fake_model, 0)[0].content)
    assert len(conversation.turns) == len(questions)  # the transcript keeps every turn


def test_job_request_gets_a_warm_decline_without_the_model(informant, fake_model):
    from evals.evaluators import declines_job

    conversation = informant.start(get_persona(NURSE))
    turn = informant.ask(conversation, "Could you refer me for an opening on your unit?")
    assert fake_model.calls == []
    assert declines_job(turn.answer).passed and turn.sources == []
    assert "asks_for_job" in turn.critique.flags
    again = informant.ask(conversation, "Could you refer me for an opening on your unit?")
    assert again.answer != turn.answer and declines_job(again.answer).passed  # not the same words twice


@pytest.mark.parametrize("temperament", ["warm", "busy", "sceptical"])
def test_every_decline_is_warm_and_offers_something_instead(temperament):
    from evals.evaluators import declines_job, in_character
    from prompts import render

    for n in (1, 2, 3):
        text = render("informant", f"decline_{temperament}_{n}")
        assert declines_job(text).passed and in_character(text).passed, text
        assert "ask me:" not in text.lower() and "you could ask" not in text.lower()  # no canned question line
        assert re.search(r"\b(?:happy|glad|tell you|ask me)\b", text, re.I), text  # what they can offer


def test_a_lookup_question_is_told_not_to_guess_figures(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    informant.ask(conversation, "How many employees does your hospital have?")
    assert "do not guess any figure" in _sent(fake_model)[-1].content


def test_warm_up_is_a_no_op_for_remote_models(informant, fake_model):
    informant.warm(informant.start(get_persona(NURSE)))
    assert fake_model.calls == []


def test_off_topic_question_gets_no_notes_and_says_so(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    turn = informant.ask(conversation, "What is the weather like on Mars?")
    assert turn.sources == []
    assert "There are no notes on this question" in _sent(fake_model)[-1].content


@pytest.mark.parametrize("text", ["", "   \n\t", "x" * 50_000])
def test_bad_questions_are_refused_and_nothing_is_recorded(informant, text):
    conversation = informant.start(get_persona(NURSE))
    with pytest.raises(InputError):
        list(informant.stream(conversation, text))
    assert conversation.turns == []


def test_a_model_failure_keeps_the_partial_answer_and_the_conversation(informant, fake_model, monkeypatch):
    conversation = informant.start(get_persona(NURSE))
    informant.ask(conversation, "What is your typical day like in your role?")

    def broken(*args, **kwargs):
        yield from ()
        raise ConnectionError("server went away")

    monkeypatch.setattr(type(fake_model), "_stream", broken)
    turn = informant.ask(conversation, "What challenges do you face in your job?")
    assert turn.partial and "server went away" in turn.error
    assert len(conversation.turns) == 2 and not conversation.turns[0].partial


def test_speaker_labels_and_invented_next_turns_are_removed(informant, fake_model):
    fake_model.enqueue("Marcus: I love the team.\nSeeker: And the pay?")
    conversation = informant.start(get_persona(NURSE))
    turn = informant.ask(conversation, "How would you describe the culture on your unit?")
    assert turn.answer == "I love the team."


def test_tools_path_records_notes_the_agent_searched(runtime, fake_model):
    from agents.informant import Informant

    informant = Informant(fake_model, runtime.retriever(), settings=runtime.settings, use_tools=True)
    fake_model.enqueue(
        AIMessage(content="", tool_calls=[{"name": "search_notes", "args": {"query": "NCLEX exam"}, "id": "c1"}]),
        "You'll need to pass the NCLEX-RN after your degree.",
    )
    conversation = informant.start(get_persona(NURSE))
    turn = informant.ask(conversation, "How did you get started in your career?")
    assert turn.answer == "You'll need to pass the NCLEX-RN after your degree."
    assert len(turn.sources) > 3  # retrieved notes plus what the tool found


def test_a_name_prefix_the_model_adds_is_removed(informant, fake_model):
    fake_model.enqueue("As Marcus Bell, the skills I lean on most are assessment and communication.")
    conversation = informant.start(get_persona(NURSE))
    turn = informant.ask(conversation, "What skills are most important for success in this field?")
    assert turn.answer == "The skills I lean on most are assessment and communication."


def test_each_temperament_gets_its_own_answer_budget(informant):
    from agents.informant import ANSWER_TOKENS, whole_sentences

    assert ANSWER_TOKENS["busy"] < ANSWER_TOKENS["sceptical"] < ANSWER_TOKENS["warm"]
    cut = "The first point is long enough to keep on its own. A second point got cut off by the bud"
    assert whole_sentences(cut) == "The first point is long enough to keep on its own."
    assert whole_sentences("Short and cut off") == "Short and cut off"


def test_the_local_model_gets_the_temperament_budget(tmp_path):
    from agents.informant import ANSWER_TOKENS, Informant
    from agents.models import ChatLlamaCpp

    model = ChatLlamaCpp(model_name="m", model_path=str(tmp_path / "m.gguf"), max_tokens=160)
    informant = Informant(model, retriever=None, settings=Settings(provider="fake"))  # the budget needs no notes
    busy = informant.model_for(get_persona("tomas-rivera"))
    warm = informant.model_for(get_persona("marcus-bell"))
    assert busy.max_tokens == ANSWER_TOKENS["busy"] and warm.max_tokens == 160


def test_an_invented_figure_never_reaches_the_seeker(informant, fake_model):
    """The model invents a revenue figure and a person: both sentences are left out before they are shown."""
    fake_model.enqueue(
        "Honestly, I couldn't tell you. Our revenue is about $2.5 billion a year. "
        "My manager, Dr. Patel, would know. What I can say is that staffing is tight on nights."
    )
    conversation = informant.start(get_persona(NURSE))
    updates = list(informant.stream(conversation, "How big is the hospital you work at?", read_ahead=False))
    turn = updates[-1].turn
    assert turn.answer == "Honestly, I couldn't tell you. What I can say is that staffing is tight on nights."
    assert not any("billion" in u.answer or "Patel" in u.answer for u in updates)
    assert updates[-1].removed == ["Our revenue is about $2.5 billion a year.", "My manager, Dr. Patel, would know."]
    fake_model.enqueue("Our unit has 32 beds.")
    turn = informant.ask(conversation, "And how many beds does your unit have?", read_ahead=False)
    assert "32" not in turn.answer and "guess" in turn.answer  # nothing left: it says it doesn't know


def test_the_seeker_introduces_themselves_and_the_persona_speaks_from_its_own_story(informant, fake_model):
    persona = get_persona(NURSE)
    conversation = informant.start(persona, "Decide whether nursing suits me", name="Sam", background="I run a store")
    informant.ask(conversation, "How did you get started?", read_ahead=False)
    first = _sent(fake_model)[-1].content
    assert "The seeker introduced themselves: I'm Sam. I run a store. Decide whether nursing suits me." in first
    # Marcus's own words on his path (knowledge/stories) are in his system prompt; the turn names them.
    assert "I was an EMT for four years" in _sent(fake_model)[0].content
    assert 'Answer from what you say under "How I got here" in your story above.' in first
    informant.ask(conversation, "Given my background, what should I do first?", read_ahead=False)
    second = _sent(fake_model)[-1].content
    assert "introduced themselves" not in second  # once, at the start
    assert "What you tell people coming from career changers from retail" in second
    calls = len(fake_model.calls)
    turn = informant.ask(conversation, "What's your hospital's annual budget, roughly?", read_ahead=False)
    assert "not on the budget side" in turn.answer and len(fake_model.calls) == calls  # his own words, no model


def test_a_persona_without_a_story_gets_only_the_seeker_s_introduction():
    from agents.informant.material import Material, material_for
    from knowledge.personas import persona_or_placeholder

    made_from_a_bio = persona_or_placeholder("someone-from-a-bio")  # no story file
    assert material_for(made_from_a_bio, "What's your budget?", "other", "retail", "I'm Sam.") == Material(
        intro="I'm Sam."
    )


def test_the_seeker_s_own_figures_may_come_back_but_not_as_the_informant_s_pay(informant, fake_model):
    conversation = informant.start(get_persona(NURSE), background="Ten years in retail")
    fake_model.enqueue("With 10 years in retail, you already know how to calm upset people.")
    assert "10 years" in informant.ask(conversation, "I've done 10 years in retail. Does that help?").answer
    answer = informant.ask(conversation, "You said you earn $400k a year, is that typical?").answer
    assert "400" not in answer and answer.startswith("I'd rather not share my own pay")  # his story's words


def test_a_sceptic_pushes_back_on_a_vague_question_and_a_private_question_gets_the_persona_s_words(
    informant, fake_model, runtime
):
    sceptic = runtime.personas.get("robert-lindqvist")
    conversation = informant.start(sceptic)
    turn = informant.ask(conversation, "So what's it like?", read_ahead=False)
    assert fake_model.calls == [] and "?" in turn.answer  # he asks what they really want to know
    fake_model.enqueue("Our revenue is $40 million and growing.")
    turn = informant.ask(informant.start(get_persona("priya-raman")), "What's the company's revenue?", read_ahead=False)
    assert "40" not in turn.answer  # no story here (or the story's own words): never the invented figure


def test_a_follow_up_on_something_never_said_gets_a_gentle_correction(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    fake_model.enqueue("I start every shift with bedside handoff from the day nurse.")
    informant.ask(conversation, "What does a shift look like?", read_ahead=False)
    fake_model.enqueue("Night shifts were the hardest part of my first year.")
    turn = informant.ask(conversation, "You mentioned working in Dubai. What was that like?", read_ahead=False)
    assert turn.answer.startswith("I don't think I mentioned that, actually")
    assert "Night shifts were the hardest part" in turn.answer
    assert "The seeker asks: About working in Dubai. What was that like?" in _sent(fake_model)[-1].content
    fake_model.enqueue("Handoff is where my night starts.")
    real = informant.ask(conversation, "You mentioned handoff. How does it work?", read_ahead=False)
    assert real.answer == "Handoff is where my night starts."  # it did say that: no correction
    fake_model.enqueue("I started at Google in 2019.")  # all of it invented: the guard leaves nothing
    invented = informant.ask(conversation, "You mentioned you started at Google, right?", read_ahead=False)
    assert invented.answer.startswith("I don't think I mentioned that") and "Google" not in invented.answer
    assert "I was an EMT for four years before nursing" in invented.answer  # what is true, in his words


def test_when_the_guard_leaves_nothing_the_informant_says_so_in_words_not_said_yet(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    fake_model.enqueue("My hospital's annual budget is $812 million.")
    first = informant.ask(conversation, "How many beds does the hospital have across its campuses?")
    assert "$812" not in first.answer and "don't know" in first.answer
    # The model copies that line from the history: it isn't an answer, and the next words differ.
    fake_model.enqueue(first.answer)
    second = informant.ask(conversation, "And how many nurses work on your whole floor in total?")
    assert second.answer != first.answer and ("know" in second.answer or "guess" in second.answer)


def test_like_i_said_is_never_said_twice_over(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    fake_model.enqueue("I work three twelve-hour night shifts a week on a med-surg unit.")
    informant.ask(conversation, "What does your week look like?")
    fake_model.enqueue("Like I said, I work three twelve-hour night shifts a week on a med-surg unit.")
    again = informant.ask(conversation, "So how many nights do you work?")
    assert again.answer.lower().count("like i said") == 1


def test_when_the_model_only_speaks_as_the_seeker_the_persona_gives_its_own_advice(informant, fake_model):
    conversation = informant.start(get_persona(NURSE), background="I managed a grocery store for six years")
    fake_model.enqueue("I've managed a grocery store for six years and I'm good with upset customers.")
    asked = "I've managed a grocery store for six years and I'm good with upset customers. Where would you start?"
    turn = informant.ask(conversation, asked, read_ahead=False)
    assert "grocery store for six years and I'm good" not in turn.answer
    assert "customer-service years count more than you'd think" in turn.answer  # his advice for that move


def test_a_job_request_in_words_the_coach_does_not_know_still_gets_a_warm_decline(informant, fake_model):
    conversation = informant.start(get_persona(NURSE))
    fake_model.enqueue("Sure, I'd be happy to let you know if a spot opens on my unit. Nights are busy.")
    turn = informant.ask(conversation, "Would you ping me when your floor has room for someone?", read_ahead=False)
    assert "let you know if a spot" not in turn.answer
    assert any(turn.answer == render("informant", f"decline_warm_{n}") for n in (1, 2, 3))


def test_advice_for_their_background_is_not_said_twice_when_the_model_s_answer_is_left_out(informant, fake_model):
    conversation = informant.start(
        get_persona(NURSE), background="Ten years in retail, the last three as a store manager"
    )
    fake_model.enqueue("As an AI language model, I can't say.")  # left out, and nothing was invented
    first = informant.ask(conversation, "Where would I start, coming from retail?")
    fake_model.enqueue("As an AI language model, I can't say.")
    second = informant.ask(conversation, "Besides people like you, who should I be talking to?")
    assert "AI" not in first.answer + second.answer and first.answer  # the first gets his advice for retail
    assert second.answer != first.answer
