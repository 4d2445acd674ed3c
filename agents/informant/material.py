"""What the informant is given for a turn besides the notes: the seeker's own introduction, the
persona's story for the question's topic (knowledge/stories), its advice for the seeker's
background, and, when the seeker asks for something a professional can't share, how this person
would say so.

A small model answers in the first person far better from first-person text than from notes in the
third person, and it invents a figure when asked for one it doesn't have; so the story leads, the
notes back it, and a question about the employer's finances, someone's pay or the people they
work with is answered by saying what they can't share (agents.informant.guard removes any figure
that slips through).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.bio_story import story_of
from agents.informant.untrusted import seeker_words
from knowledge.personas import Persona
from knowledge.stories import Background, Story
from knowledge.vocabulary import vocabulary

__all__ = [
    "PRIVATE",
    "Material",
    "background_advice",
    "own_background",
    "material_for",
    "nudges_for",
    "private_kind",
    "seeker_intro",
]

_FIGURE = r"(?:what(?:'s| is| are)?|how (?:much|big|large|many)|roughly|ballpark|exact(?:ly)?|figure|number|share|tell me|disclose)"
# A question that asks for what a professional can't or won't share, by kind.
PRIVATE = {
    "finances": re.compile(
        rf"{_FIGURE}.{{0,60}}\b(?:revenue|revenues|budget|budgets|profits?|margins?|turnover figures?|funding|"
        r"valuation|financials?|income|sales figures|annual sales|contract values?|billing rates?)\b"
        r"|\bhow much (?:money )?(?:does|do|did) (?:your|the) (?:company|firm|hospital|agency|school|organi[sz]ation|"
        r"district|team|department|unit|business|practice|studio|plant|site) (?:make|earn|spend|bring in|have)\b"
        r"|\bbring(?:s|ing)? in\b.{0,30}\b(?:a year|annually|per year|each year|a month)\b"
        r"|\bspend(?:s|ing)? (?:on|in) (?:salaries|payroll|wages|staff)\b|\bworth in fees\b|\brevenue targets?\b"
        # The employer's own running figures: "what are your loss ratios running at", "your food cost
        # percentage", "your group's utilisation", "your margins this year".
        r"|\b(?:your|the (?:company|firm|group|hospital|agency|practice)'s) (?:\w+ ){0,3}(?:loss ratios?|combined ratio|"
        r"food cost(?: percentage)?|labou?r cost(?: percentage)?|margins?|utili[sz]ation(?: rate)?|occupancy rate|"
        r"win rate|burn rate|cost estimate|bid price)\b"
        r"|\b(?:loss ratios?|combined ratio|food cost|labou?r cost|utili[sz]ation rate)\b.{0,40}\b(?:your|you run)\b",
        re.I,
    ),
    "pay": re.compile(
        r"\b(?:how much|what) do you (?:make|earn|get paid|take home|bring in)\b"
        r"|\byour (?:own )?(?:salary|pay|paycheck|income|compensation|wage|bonus)\b(?! (?:range|bands?|scales?))"
        r"|\byou (?:make|earn|get paid|take home)\b.{0,30}(?:\$|\d|k\b|thousand|a year|an hour)"
        r"|\bhow much (?:does|do) (?:your|the) (?:boss|manager|director|colleagues?|co-?workers?|team|peers|partners?)"
        r" (?:make|earn|get paid)\b|\b(?:colleagues?|co-?workers?|peers|boss|manager)'?s? (?:salar(?:y|ies)|pay|wages?)\b"
        r"|\bwho(?:'s| is) at the top of the (?:pay )?scale\b"
        r"|\bwhat (?:do|does) (?:the )?\w+(?: \w+)? (?:on your team|at your \w+|in your \w+|there|on your \w+) "
        r"(?:make|earn|get paid|take home)\b"
        r"|\bwhat do (?:the )?(?:partners|managers|directors|colleagues|co-?workers|seniors|leads|your \w+)\b.{0,40}"
        r"\b(?:make|earn|take home|get paid|bring home)\b",
        re.I,
    ),
    "people": re.compile(
        # Who they work with, and what is internal: "which clients are you prepping for trial", "when is
        # your trial readout", "who's at the top of the scale".
        r"\bwhich (?:clients?|customers?|patients?|accounts?|cases?|donors?|companies|brands)\b.{0,40}"
        r"\b(?:you(?:'re| are)?|your)\b|\b(?:trial )?readout\b|\bunannounced\b|\bnot (?:yet )?public\b|"
        r"\b(?:client|customer|patient|student|donor|account)s?'? (?:list|names?)\b"
        r"|\bwho (?:are|were) (?:your|the firm's|the company's) (?:clients|customers|donors|accounts)\b"
        r"|\bname (?:some|a few|one of|your|any) (?:of your )?(?:clients|customers|patients|colleagues|donors|accounts)\b",
        re.I,
    ),
}
_ABOUT_ME = re.compile(
    r"\b(?:my background|someone like me|people like me|given my|with my|in my position|coming from)\b", re.I
)


# The seeker describes themselves in the question: "I've taught Spanish for nine years", "I was a purser".
_SELF = re.compile(
    r"\b(?:i(?:'ve| have) (?:been|taught|worked|spent|done|run|managed|built|led)|i was (?:an? |the )|"
    r"i(?:'m| am) (?:an? |currently|still)|i spent|i work(?:ed)? (?:as|in|at)|i built|i run|i teach|i studied|"
    r"i (?:managed|ran|taught|led|owned|coached|served|trained) )\b",
    re.I,
)


def own_background(question: str, background: str) -> str:
    """What the seeker has said of their own background: at Start, and in this question if it says."""
    return " ".join(t for t in (background, question if _SELF.search(question) else "") if t.strip())


def nudges_for(
    persona: Persona, flags: list[str], question: str, earlier: list[str], background: str = "", topic: str = "other"
) -> tuple[str, ...]:
    """How a real person in this persona's shoes reacts to this question, as lines for the turn."""
    nudges = []
    theirs = own_background(question, background)
    if theirs and (topic == "advice" or _ABOUT_ME.search(question) or _SELF.search(question)):
        said = seeker_words(background if background.strip() else question)[:160]
        nudges.append(
            f'They are asking about their own situation ("{said}"). Talk to them as "you": say which of their '
            "experience counts in your field and what they would still need to learn or get, from what you've seen."
        )
    if "vague" in flags:
        if persona.temperament == "sceptical":
            nudges.append("The question is vague: push back, and ask what they really want to know.")
        else:
            nudges.append("The question is vague: answer briefly, then ask which part they'd like to hear about.")
    if "googleable" in flags and persona.seniority in ("senior", "executive") and not private_kind(question):
        nudges.append(
            'They could look this up: say so briefly ("that\'s on our website"), then add what you know from experience.'
        )
    if persona.temperament == "warm" and not flags and len(earlier) % 3 == 2:
        nudges.append("If it fits, end by asking them one short question about their own situation.")
    return tuple(nudges)


def private_kind(question: str) -> str | None:
    """Which kind of thing a professional can't share the question asks for, if any."""
    return next((kind for kind, pattern in PRIVATE.items() if pattern.search(question)), None)


def seeker_intro(name: str, background: str, goal: str) -> str:
    """The seeker's own introduction, in their words (quoted: it is theirs, never instructions)."""
    parts = [f"I'm {seeker_words(name)}." if name.strip() else ""]
    parts += [seeker_words(text) for text in (background, goal) if text.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in parts if p)


def _stem(word: str) -> str:
    """A crude stem, enough to meet "teaching" with "teacher": common endings off, four letters kept."""
    for ending in ("ers", "ing", "er", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _cue_in(cue: str, said: set[str]) -> bool:
    """Are all the cue's words (by stem) in what the seeker said about themselves?"""
    words = re.findall(r"[a-z]+", cue.lower())
    return bool(words) and all(_stem(w) in said for w in words)


def background_advice(story: Story | None, background: str) -> Background | None:
    """The story's advice for the background most like the seeker's (by its cue words), if any fits."""
    if story is None or not background.strip():
        return None
    said = {_stem(w) for w in re.findall(r"[a-z]+", background.lower())}
    scored = [(sum(1 for cue in b.cues if _cue_in(cue, said)), b) for b in story.backgrounds]
    best = max(scored, key=lambda sb: sb[0], default=(0, None))
    return best[1] if best[0] else None


@dataclass(frozen=True)
class Material:
    """What a turn's message carries besides the notes and the question (each may be empty)."""

    intro: str = ""  # the seeker's introduction (first turn only)
    story: str = ""  # the persona's own words on the question's topic (or a detail not told yet)
    story_key: str = ""  # which part of the story that is ("topic:skills", "detail:2"), told once
    story_heading: str = ""  # a topic's paragraph is in the system prompt: the turn names its heading
    about_them: bool = False  # they ask about their own situation: the answer speaks to them ("you")
    advice: Background | None = None  # the persona's advice for the seeker's background
    private: str = ""  # how the persona says it can't share what was asked
    nudges: tuple[str, ...] = ()  # how a real person would react to this question (nudges_for)


def _untold(story: Story, topic: str, given: frozenset[str]) -> tuple[str, str]:
    """The story's paragraph on ``topic`` if not told yet in this conversation, else a personal detail
    not told yet (a follow-up gets something new to say rather than the same paragraph again)."""
    if topic in story.topics and f"topic:{topic}" not in given:
        return f"topic:{topic}", story.topics[topic]
    if topic in story.topics or topic == "other":
        for i, detail in enumerate(story.details):
            if f"detail:{i}" not in given:
                return f"detail:{i}", detail
    return "", ""


def material_for(
    persona: Persona,
    question: str,
    topic: str,
    background: str = "",
    intro: str = "",
    nudges: tuple[str, ...] = (),
    given: frozenset[str] = frozenset(),
) -> Material:
    """The persona's material for this question; ``given``: the parts of its story told already."""
    story = story_of(persona)
    if story is None:
        return Material(intro=intro, nudges=nudges)
    kind = private_kind(question)
    private = getattr(story.confidential, kind) if kind else ""
    advice = None
    theirs = own_background(question, background)
    about_them = (
        not kind and bool(theirs) and bool(topic == "advice" or _ABOUT_ME.search(question) or _SELF.search(question))
    )
    if about_them:
        advice = background_advice(story, theirs)
        # "How would someone like me get in?" asks about their path, not the persona's.
        topic = "advice" if topic == "career_path" else topic
    # Advice for their very background says it better than the general advice paragraph.
    key, own = ("", "") if kind or (advice and topic == "advice") else _untold(story, topic, given)
    heading = ""
    if key.startswith("topic:"):  # the system prompt holds it (agents.informant.prompt.story_in_prompt)
        topic_record = vocabulary().by_id[key.removeprefix("topic:")]
        heading = topic_record.mine or topic_record.label
    return Material(
        intro=intro,
        story=own,
        story_key=key,
        story_heading=heading,
        advice=advice,
        private=private,
        nudges=nudges,
        about_them=about_them,
    )
