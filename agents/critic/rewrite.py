"""Better versions and feedback: what the seeker reads under a flagged question.

A rewrite keeps the seeker's own subject where a simple transformation can ("Don't you think X?"
-> "What is your view on whether X?"); otherwise it falls back to the topic's canonical question
(knowledge/vocabulary.yaml). Every candidate must pass the critic with no flag.
"""

from __future__ import annotations

import re

from agents.critic.analysis import MAX_WORDS, Analysis, analyse
from agents.critic.reading import normalise
from core.text import lower_first, sentence_case, with_article
from knowledge.vocabulary import vocabulary

__all__ = ["SPECIFIC", "VOCABULARY", "feedback_for", "rewrite"]

VOCABULARY = vocabulary()


# Refers to something specific (what they said, what the seeker read): the coach credits research
# with the same pattern.
SPECIFIC = re.compile(
    r"\byou (?:mentioned|said|talked about|wrote|described|noted|posted|shared)\b|"
    r"\bi (?:read|saw|noticed|heard|came across|watched|listened)\b|"
    r"\bin your experience\b|\byour (?:post|article|talk|team's|move|switch|transition|time at|book|podcast|paper)\b|"
    r"\"[^\"]{3,}\"|\b(?:when you|since you|after you|as someone who)\b",
    re.I,
)
_GRADABLE = (
    r"hard|difficult|easy|stressful|common|competitive|important|necessary|good|bad|demanding|rewarding|flexible|busy|"
    r"long|stable|risky|valuable|useful|helpful|hectic|intense|popular|realistic|tough|challenging|satisfying|"
    r"fulfilling|boring|collaborative|relevant|worth it|worthwhile|predictable|fast-paced|competitive|"
    r"manageable|reasonable|flexible|secure|exhausting|lonely"
)


def _role_text(role: str | None) -> str:
    role = re.sub(r"[^\w &/'+.-]", " ", normalise(role or ""))
    role = re.sub(r"\s+", " ", role).strip(" .")
    if not re.search(r"[^\W\d_]", role) or len(role) > 60:
        return "someone in your role"
    return with_article(role.lower())


_PREP_END = re.compile(r"\b(?:for|of|in|at|on|with|to|the|a|an|and|or|as|by|from|about)\s*$", re.I)


def _transform(ask: str, flags: set[str]) -> str | None:
    """A rewrite that keeps the seeker's own subject where a simple transformation can."""
    s = ask.strip().rstrip(" ?.!").strip()
    s = re.sub(r"^(?:so|and|but|also|ok|okay|well),?\s+", "", s, flags=re.I)
    if "leading" in flags:
        # "Don't you think X?", "Isn't it true that X?", "Surely X?", "X, right?" -> ask about X neutrally.
        m = re.match(
            r"^(?:don't|doesn't|wouldn't|won't|didn't|aren't|isn't)\s+you\s+(?:really\s+)?(?:think|agree|feel|believe|find|say|"
            r"expect|reckon)\s+(?:that\s+)?(.+)$|^(?:isn't|wasn't)\s+it\s+true\s+(?:that\s+)?(.+)$|"
            r"^(?:surely|obviously|clearly|of course|i'?m sure|i bet|i assume)\s*,?\s*(?:that\s+)?(.+)$",
            s,
            re.I,
        )
        clause = next((g for g in m.groups() if g), None) if m else None
        if clause is None:
            m = re.match(
                r"^(.+?),\s*(?:right|correct|true|yeah|yes|no|ok|okay|isn't it|don't you|aren't you|wouldn't it|"
                r"doesn't it|am i right|wouldn't you say|don't they|aren't they)$",
                s,
                re.I,
            )
            if m:
                clause = re.sub(
                    r"^(?:i'?m sure|surely|obviously|clearly|i bet|i assume)\s+(?:that\s+)?", "", m.group(1), flags=re.I
                )
        if clause:
            clause = re.sub(r",?\s*(?:right|correct)$", "", clause.strip(" ,"), flags=re.I)
            if len(clause.split()) >= 3 and not re.match(r"^(?:you|i|we)\b", clause, re.I):
                return f"What is your view on whether {lower_first(clause)}?"
        m = re.match(r"^how much do you (?:love|like|enjoy|hate|dislike|miss|resent|appreciate) (.+)$", s, re.I)
        if m:
            return f"How do you feel about {m.group(1)}?"
        m = re.match(r"^why (is|are) (.+?) (?:the|so|such|a|an|better|worse|superior|overrated|underrated)\b", s, re.I)
        if m and len(m.group(2).split()) <= 5:
            verb = "does" if m.group(1).lower() == "is" else "do"
            return f"How {verb} {m.group(2)} compare with the alternatives, in your experience?"
        m = re.match(
            rf"^(isn't|wasn't|aren't|weren't) ((?:[\w'-]+ ){{1,6}}?)(?:really |so |very |pretty )?({_GRADABLE})$",
            s,
            re.I,
        )
        if m and not _PREP_END.search(m.group(2)):
            aux = {"isn't": "is", "wasn't": "was", "aren't": "are", "weren't": "were"}[m.group(1).lower()]
            return f"In your experience, how {m.group(3)} {aux} {m.group(2).strip()}?"
    if "closed" in flags:
        m = re.match(r"^(?:do|did) you (?:really |still |ever )?(?:like|enjoy|love) (.+)$", s, re.I)
        if m and not re.match(r"^(?:it|that|this|them)\b", m.group(1), re.I):
            return f"What do you enjoy most about {m.group(1)}?"
        m = re.match(r"^(did|do) you (?:really )?(?:need|have to get|have to have|require) (.+)$", s, re.I)
        if m:
            if m.group(1).lower() == "did":
                return f"How much did {m.group(2)} matter in getting where you are?"
            return f"How much does {m.group(2)} matter in this line of work?"
        m = re.match(rf"^(is|was|are|were) ((?:[\w'-]+ ){{1,6}}?)({_GRADABLE})\b(.*)$", s, re.I)
        if m:
            aux, subject, adj, rest = m.group(1).lower(), m.group(2).strip(), m.group(3), m.group(4).strip()
            rest_ok = not rest or re.match(
                r"^(?:to|in|at|for|among|on|with|as|when|during|after|before|compared)\b", rest, re.I
            )
            if (
                rest_ok
                and not _PREP_END.search(subject)
                and (rest or not re.match(r"^(?:it|that|this)$", subject, re.I))
            ):
                tail = f" {rest}" if rest else ""
                return f"In your experience, how {adj} {aux} {subject}{tail}?"
        m = re.match(
            r"^(?:do you think )?will (.+?) (?:replace|kill|eliminate|take over|wipe out|make obsolete) (.+)$", s, re.I
        )
        if m:
            return f"How do you think {m.group(1)} will change the work of {m.group(2)}?"
    return None


def rewrite(analysis: Analysis, role: str | None) -> str | None:
    flags = set(analysis.flags)
    if not flags:
        return None
    a_role = _role_text(role)
    candidates: list[str] = []
    if "asks_for_job" in flags:
        candidates.append(f"What do the people who do well as {a_role} have in common?")
    elif "not_a_question" not in flags and analysis.asks:
        first = analysis.asks[0].strip().rstrip(" ?.,;:!")
        first = re.sub(r"^(?:so|and|but|also|ok|okay|well),?\s+", "", first, flags=re.I)
        if {"too_long", "double_barreled"} & flags:
            candidates.append(sentence_case(first) + "?")
        transformed = _transform(first, flags)
        if transformed:
            candidates.append(sentence_case(transformed))
    # A statement still names what the seeker cares about ("I want to become a nurse" -> their path).
    topic = analysis.hint_topic if "not_a_question" in flags else analysis.topic
    candidates.append(VOCABULARY.topic(topic).canonical.format(a_role=a_role))
    candidates.append(VOCABULARY.topic("other").canonical.format(a_role=a_role))
    candidates.append(VOCABULARY.topic("other").canonical.format(a_role="someone in your role"))
    for candidate in candidates:
        if len(candidate.split()) >= 3 and not analyse(normalise(candidate)).flags:
            return candidate
    return candidates[-1]


def feedback_for(flags: list[str], topic: str, words: int, specific: bool) -> tuple[str, list[str]]:
    if flags:
        first = VOCABULARY.flag[flags[0]].feedback.format(words=words)
        if len(flags) > 1:
            names = [VOCABULARY.flag[f].name.format(max=MAX_WORDS) for f in flags[1:]]
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            return f"{first} It is also {joined}.", []
        return first, []
    if topic == "other":
        praise = ["It is open and asks about their own work, so it invites a real answer."]
    else:
        praise = [
            f"It is open and about {VOCABULARY.topic(topic).label}, so it invites a story from their own experience."
        ]
    if specific:
        praise.append("It builds on something specific, which shows you listened or did your homework.")
    return " ".join(praise), praise
