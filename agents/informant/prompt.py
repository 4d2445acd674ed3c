"""The informant's prompt: the persona's system prompt, the answer budgets, and cleaning an answer."""

from __future__ import annotations

import re
from functools import lru_cache

from agents.bio_story import story_of
from agents.informant.untrusted import drop_instructions, quote_untrusted
from knowledge.personas import Persona
from knowledge.vocabulary import vocabulary
from prompts import render

__all__ = [
    "ANSWER_TOKENS",
    "MESSAGE_OVERHEAD_TOKENS",
    "READ_AHEAD",
    "SUMMARY_TOKENS",
    "TURN_NOTES_TOKENS",
    "card_for_prompt",
    "clean_answer",
    "plain_spoken",
    "story_in_prompt",
    "system_prompt",
    "temperament_text",
    "whole_sentences",
]

# Longest answer per temperament, in tokens: the persona's length is enforced, not only asked for.
ANSWER_TOKENS = {"busy": 60, "sceptical": 110, "warm": 170}
# Note sentences per turn, at most, in tokens (agents.informant.excerpts; three whole chunks are 150-300).
TURN_NOTES_TOKENS = 170
# Marks where a read-ahead stops (never shown to the model).
READ_AHEAD = "\u2063read-ahead\u2063"
# The summary of old turns, at most; beyond it the oldest summary lines are dropped.
SUMMARY_TOKENS = 900
# Tokens per message for the chat template's markers, when counting without the template.
MESSAGE_OVERHEAD_TOKENS = 6


def temperament_text(persona: Persona) -> str:
    return render("informant", f"temperament_{persona.temperament}")


def card_for_prompt(persona: Persona) -> Persona:
    """A custom persona's card as the prompt shows it: what came from the bio is quoted, and any
    sentence in it that speaks to the model is dropped (also for cards saved before this check)."""
    if not persona.custom:
        return persona
    story = drop_instructions(quote_untrusted(persona.story))
    fields = {f: quote_untrusted(getattr(persona, f))[:120] for f in ("name", "title", "company_type")}
    return persona.model_copy(update={**fields, "story": story})


def story_in_prompt(persona: Persona) -> list[tuple[str, str]]:
    """The persona's own story paragraphs as the system prompt holds them: (heading, text), by topic.

    They live in the system prompt, read once per persona (and kept on disk), so that a turn only
    points to the paragraph on its topic: a question sent at once then reads 60-90 tokens fewer."""
    story = story_of(persona)
    if story is None:
        return []
    by_id = vocabulary().by_id
    return [(by_id[t].mine or by_id[t].label, text) for t, text in story.topics.items() if t in by_id]


def system_prompt(persona: Persona, summary: str = "") -> str:
    card = card_for_prompt(persona)
    story = story_in_prompt(persona)
    if persona.custom:  # from the bio, so quoted like it
        story = [(heading, drop_instructions(quote_untrusted(text))) for heading, text in story]
    return render(
        "informant", "system", persona=card, temperament=temperament_text(persona), summary=summary, story=story
    )


def _is_own(words: str, persona: Persona) -> bool:
    """Do ``words`` name the persona, its title or its role ("As a med-surg nurse, …")? Not another
    role ("As a recruiter, …" is kept, for the evals and the guards to see)."""
    own = f"{persona.name} {persona.title} {persona.role.replace('-', ' ')} {persona.industry_name}".lower()
    said = {w for w in re.findall(r"[a-z]{3,}", words.lower())}
    return not said or bool(said & set(re.findall(r"[a-z]{3,}", own)))


# Filler a small model opens with and no person says ("Certainly! …", "Great question, and …").
_FILLER = re.compile(
    r"^\s*(?:(?:certainly|sure|absolutely|of course|sure thing|definitely)[!.,]+"
    r"|(?:(?:that's|that is|what) an? )?(?:great|good|excellent|interesting|fair) question[!.,:—–-]*"
    r"(?:\s*(?:and|but|so),?)?)\s*(\w)",
    re.I,
)
# Markdown a person doesn't speak: a bold run-in heading ("**Accuracy**: …"), bold, headings, list markers.
_RUN_IN = re.compile(r"(?m)(^|(?<=[.!?]) )\s*\*\*[^*\n]{1,60}\*\*\s*:?\s*")
_LIST_MARK = re.compile(r"(?m)^\s*(?:#{1,6}\s+|(?:\d{1,2}[.)]|[-*•])\s+)")
# A line that only announces a list ("Here's how it looks:").
_LEAD_IN = re.compile(r"(?m)(?:^|(?<=[.!?])[ \t])[^\n.!?:]{0,60}:[ \t]*$")


@lru_cache(maxsize=1)
def _note_heading() -> re.Pattern[str]:
    """A note's heading read out as a label ("Typical day: A design engineer …")."""
    headings = sorted(vocabulary().heading_topics, key=len, reverse=True)
    return re.compile(rf"(?im)(^|(?<=[.!?] )|(?<=like i said, ))(?:{'|'.join(map(re.escape, headings))})\s*:\s*")


def plain_spoken(text: str) -> str:
    """The answer as a person would say it: no markdown headings, bold or list markers, no note headings."""
    text = _note_heading().sub(lambda m: m.group(1), text)
    text = _RUN_IN.sub(lambda m: m.group(1), text)
    text = text.replace("**", "").replace("__", "")
    text = _LIST_MARK.sub("", text)
    text = _LEAD_IN.sub("", text)
    text = re.sub(r"(?m)^\s*\d{1,2}[.)]?\s*$\n?", "", text)  # a bare list number left on its own line
    return text


def clean_answer(text: str, persona: Persona) -> str:
    """Drop a speaker label a small model may put first, an opener no person uses ("As a registered
    nurse, …", "Great question!", "Certainly!"), markdown, and any invented next turn."""
    names = f"{re.escape(persona.name)}|{re.escape(persona.name.split()[0])}"
    text = re.sub(r"^\s*The seeker asks:[^\n]*\n", "", text)
    text = re.split(r"\n\s*(?:The seeker asks|Seeker|Question|User)\s*:", text)[0]
    text = plain_spoken(text)
    before = None
    while before != text:  # openers come stacked: "Certainly! As a general manager, my day …"
        before = text
        text = re.sub(rf"^\s*(?:{names}|Informant|Answer)\s*:\s*", "", text)
        text = _FILLER.sub(lambda m: m.group(1).upper(), text, count=1)
        text = re.sub(
            rf"^\s*As (?:a|an|the|{names})\b([^,.!?\n]{{0,80}}),\s*(\w)",
            lambda m: m.group(2).upper() if _is_own(m.group(1), persona) else m.group(0),
            text,
        )
    return text.strip()


def whole_sentences(text: str) -> str:
    """Drop a last sentence cut off by the length budget (keep the text if that would gut it)."""
    text = text.rstrip()
    if not text or text[-1] in ".!?\"')”’":
        return text
    cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "), text.rfind(".\n"))
    return text[: cut + 1] if cut >= len(text) * 0.4 else text


# The app's own instructions to the model (the system prompt's fixed text, the temperaments, the turn
# and its reminders): an answer that repeats seven words of them in a row is showing its prompt.
_INSTRUCTION_TEMPLATES = ("system", "turn", "steer", "steer_nothing_left", "premise_go_on")
_LEAK_RUN = 7


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("’", "'"))


@lru_cache(maxsize=1)
def instruction_runs() -> frozenset[tuple[str, ...]]:
    """Every run of ``_LEAK_RUN`` words in the fixed text of the informant's instructions."""
    from prompts import load_prompts

    templates = load_prompts("informant")
    names = [*_INSTRUCTION_TEMPLATES, *(k for k in templates if k.startswith("temperament_"))]
    runs: set[tuple[str, ...]] = set()
    for name in names:
        for part in re.split(r"\{\{.*?\}\}|\{%.*?%\}", templates[name], flags=re.S):
            words = _words(part)
            runs.update(tuple(words[i : i + _LEAK_RUN]) for i in range(len(words) - _LEAK_RUN + 1))
    return frozenset(runs)


def shows_instructions(sentence: str) -> bool:
    """Does ``sentence`` repeat a run of seven words of the app's instructions to the model?"""
    words = _words(sentence)
    runs = instruction_runs()
    return any(tuple(words[i : i + _LEAK_RUN]) in runs for i in range(len(words) - _LEAK_RUN + 1))
