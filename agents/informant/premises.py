"""What the seeker takes for granted about the informant, checked before the model hears it.

A small model goes along with whatever a question assumes: "Since you did your BSN straight out of
high school, …" to a nurse who did an associate degree after years as an EMT got "Since I did my
BSN straight out of high school, I think …". A real person corrects it. So a question's premise
about the persona (its own life, its employer) or about what it said earlier is checked against
the persona's card and story and against the conversation; when it doesn't hold, the informant
says so first and the model hears the question without the premise.
"""

from __future__ import annotations

import re

from agents.bio_story import story_of
from core.text import content_words, novel_specifics
from knowledge.personas import Persona

__all__ = ["Premise", "about_me", "false_mention", "false_premise", "without_mention", "without_premise"]

# "You mentioned X …": what the seeker says the informant said.
_MENTION = re.compile(
    r"\byou (?:mentioned|said|told me|talked about|brought up)\s+(?:that\s+)?(?P<what>[^.?!;,—–]{3,80})", re.I
)
# What a question assumes about the persona, each with the words of the premise (``what``):
# "Since you had a master's going in, …", "Since your PhD was in …", "At a big 500-room resort like
# yours, …", "With a $4 million budget on your plate, …", "When you were at the agency, …",
# "I read you trained at …. …".
_START = r"(?:^|(?<=[.!?]\s))\s*"
_PREMISES = tuple(
    re.compile(_START + pattern, re.I)
    for pattern in (
        r"(?:since|given (?:that )?|now that|because|as) (?:you(?:'ve|'re| have| had| are| were| did| went| got| came)?"
        r"|your)\b(?P<what>[^,?]{3,90}),\s*",
        r"(?:at|in|with|for|on) (?:a|an|the|such a) (?P<what>[^,?]{3,60}?) like yours,\s*",
        r"(?:with|having) (?P<what>[^,?]{0,60}\byour?\b[^,?]{0,40}),\s*",
        r"when you were (?P<what>[^,?]{3,80}),\s*",
        r"as (?:someone|a person) who (?P<what>[^,?]{3,80}),\s*",
        r"i (?:read|heard|saw|was told|noticed|understand)(?: online| somewhere| on linkedin)?(?: that)? you(?:'d|'ve)?"
        r" (?P<what>[^,.?!]{3,90})[,.]\s*",
    )
)
# A premise inside the question, owned by them: "What did your years as a reporter teach you?", "How has
# your MBA helped?", "Does your old job at Deloitte still shape how you work?". Only a past, a degree or
# a former employer is a premise; "your typical day" or "your team" assumes nothing.
_DEGREE = r"(?:mba|phd|ph\.d\.?|doctorate|law degree|j\.?d\.?|master'?s(?: degree)?(?: in [a-z][\w' -]{2,30}?)?|bachelor'?s(?: degree)? in [a-z][\w' -]{2,30}?|degree in [a-z][\w' -]{2,30}?)"
_OWNED = re.compile(
    r"\byour (?P<what>(?:(?:\w+ )?years?|time|days|stint|decade|career|background) (?:as|at|in|with|on) (?:a |an |the )?"
    r"[a-z][\w'&. -]{2,40}?|(?:former|previous|old|first|earlier|last) (?:job|role|career|company|firm|employer|"
    r"position|life) (?:as|at|in|with) (?:a |an |the )?[a-z][\w'&. -]{2,40}?|" + _DEGREE + r")"
    r"(?=\s*[,?.!;]|\s*$|\s+(?:help|helped|teach|taught|prepare|prepared|shape|shaped|change|changed|make|made|give|"
    r"gave|lead|led|affect|affected|influence|influenced|still|really|ever|matter|mattered|prove|proved)\b)",
    re.I,
)
# What stands in for an owned premise when the model hears the question: "your years as a reporter" →
# "your career" ("What did your career teach you?").
_OWNED_NEUTRAL = "your career"
# Premise words that say nothing about the persona by themselves.
_FILLER = set(
    "going straight back first started start already still big huge small place know knew said say see saw "
    "mentioned think imagine guess understand probably might must can well likely clearly obviously sure "
    "experience years work job field industry role company team career area profession line business sector "
    "position employer firm life time days stint decade background former previous old earlier last degree".split()
)


class Premise(str):
    """A premise the question takes for granted (its words), which the persona's material doesn't hold."""


def about_me(persona: Persona) -> str:
    """What the persona's own card and story say about its life and work (not its advice for others)."""
    story = story_of(persona)
    parts = [persona.name, persona.title, persona.company_type, persona.story, f"{persona.years_in_field} years"]
    if story is not None:
        parts += [story.topics.get("career_path", ""), story.topics.get("typical_day", ""), *story.details]
    return " ".join(p for p in parts if p)


def false_mention(question: str, earlier: list[str]) -> str | None:
    """What the seeker says the informant mentioned, when the informant said no such thing."""
    m = _MENTION.search(question)
    if not m:
        return None
    what = m.group("what").strip()
    if novel_specifics(what, " ".join(earlier)):  # a name or a figure never said ("you taught in Texas first")
        return what
    words = content_words(what)
    said = content_words(" ".join(earlier))
    return what if words and len(words & said) < len(words) / 2 else None


def without_mention(question: str) -> str:
    """The question without its claim that the informant said something: "You mentioned X. Why?"
    becomes "About X. Why?" (sent to the model after the informant has said it didn't say X)."""
    return _MENTION.sub(lambda m: f"about {m.group('what')}", question, count=1).replace("about", "About", 1)


_SHORT_STOP = set(
    "the and for you was are did had has her his its not but all any can out our who how why one two new now way "
    "got get lot too yet own off per via use let put say see".split()
)


def _words(text: str) -> set[str]:
    """Content words, three-letter ones too ("tax", "law", "ICU")."""
    short = {w for w in re.findall(r"\b[a-z]{3}\b", text.lower())} - _SHORT_STOP
    return {_stem(w) for w in content_words(text) | short} - _FILLER - _FILLER_STEMS


def _stem(word: str) -> str:
    return re.sub(r"(?:'s|s|es|ed|ing)$", "", word) if len(word) > 4 else word


_FILLER_STEMS = {_stem(w) for w in _FILLER}


# A rank the premise gives them ("since you made partner"), checked against their title: the story may
# well use the word ("the partnership vote is next year") without their holding it.
_RANK = re.compile(
    r"\b(?:made|became|promoted to|making|now|as)\s+(?:a |an |the )?(?P<rank>partner|director|vice president|vp|"
    r"ceo|cfo|cto|founder|co-founder|owner|principal|head chef|executive chef|chief \w+|head of \w+)\b",
    re.I,
)


def false_premise(question: str, about_me: str, title: str = "") -> Premise | None:
    """The premise of ``question`` about the persona when ``about_me`` (its card and story, what it
    said so far) doesn't hold it: a figure or a name that isn't there, mostly words that aren't, or
    a rank its ``title`` doesn't have."""
    m = next((m for pattern in _PREMISES if (m := pattern.search(question))), None)
    if not m:
        owned = _OWNED.search(question)
        if owned and _unsupported(owned.group("what"), about_me, title):
            return Premise(owned.group(0).strip())
        return None
    return Premise(m.group(0).strip()) if _unsupported(m.group("what"), about_me, title) else None


def _unsupported(what: str, about_me: str, title: str) -> bool:
    """Whether the persona's material doesn't hold ``what``: a rank the title lacks, a figure or a name
    that isn't there, or mostly words that aren't."""
    rank = _RANK.search(what)
    if title and rank and rank.group("rank").lower() not in title.lower():
        return True
    if novel_specifics(what, about_me):
        return True
    words = _words(what)
    return bool(words) and len(words & _words(about_me)) < len(words) / 2


def without_premise(question: str, premise: str) -> str:
    """The question without its premise: "Since you had a master's, do you think …?" becomes
    "Do you think …?" (what the model hears once the informant has corrected the premise)."""
    if premise.lower().startswith("your ") and premise in question:  # owned, inside the question
        return question.replace(premise, _OWNED_NEUTRAL, 1)
    rest = question.replace(premise, "", 1).strip(" ,")
    return rest[:1].upper() + rest[1:] if rest else question
