"""After the conversation: a thank-you note drafted from a saved session.

The rubric (criterion 18) asks for a note within 24 hours that names specific advice, with no
resume attached; criterion 19 asks to keep them posted. The note quotes, word for word, one or two
things the informant said in that session, so it can never credit them with something they did not
say. Which sentences to quote is decided by rules (advice cues, specifics, the seeker's goal); a
capable chat model may smooth the wording, and its version is kept only if every quote survives
unchanged and it adds no new names or numbers.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from agents.critic import TOPIC_LABELS
from agents.informant import Turn
from core.errors import FollowUpError
from core.text import content_words, split_sentences, with_article
from knowledge.corpus import specificity
from knowledge.personas import Persona, role_name

__all__ = ["DUE_HOURS", "candidate_quotes", "next_step_phrase", "polish_note", "Quote", "thank_you", "ThankYouNote"]

_ADVICE = re.compile(
    r"\b(?:i'd|i would|you should|you'll want|make sure|start(?:ing)? (?:by|with)|try|look for|join|don't|do not|"
    r"worth|recommend|suggest|the best|the key|most important|if i were|learn(?:ed)?|focus on|ask|shadow|"
    r"volunteer|build|get (?:a|an|some|your)|take (?:a|an|the))\b",
    re.I,
)
_OPENING_FILLER = re.compile(r"^(?:yes|no|yeah|well|so|honestly|oh|sure|great question|good question)\b", re.I)
DUE_HOURS = 24


@dataclass
class Quote:
    text: str
    turn: int  # 1-based, as Q1, Q2 … in the transcript
    topic: str


@dataclass
class ThankYouNote:
    session_id: str
    persona_name: str
    subject: str
    body: str
    quotes: list[Quote] = field(default_factory=list)
    hours_since: float | None = None

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"

    def due(self) -> str:
        """When to send it, per the rubric's 24 hours."""
        if self.hours_since is None:
            return "Send it within 24 hours of the conversation."
        if self.hours_since < DUE_HOURS:
            left = max(1, round(DUE_HOURS - self.hours_since))
            return f"Send it within 24 hours of the conversation: about {left} hour{'s' * (left != 1)} left."
        days = max(1, round(self.hours_since / 24))
        return f"It has been about {days} day{'s' * (days != 1)}: send it today anyway; late thanks beat none."

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session_id,
            "subject": self.subject,
            "body": self.body,
            "quotes": [asdict(q) for q in self.quotes],
            "due": self.due(),
        }


def _is_decline(turn: Turn) -> bool:
    return "asks_for_job" in turn.critique.flags


def candidate_quotes(turns: list[Turn], goal: str = "") -> list[tuple[float, Quote]]:
    """Sentences the informant said, scored as things worth thanking them for."""
    wanted = content_words(goal)
    scored: list[tuple[float, Quote]] = []
    for n, turn in enumerate(turns, 1):
        if turn.partial or _is_decline(turn) or not turn.answer.strip():
            continue
        for sentence in split_sentences(turn.answer):
            sentence = sentence.strip()
            words = sentence.split()
            if not 6 <= len(words) <= 35 or sentence.endswith("?") or not re.search(r"[.!]$", sentence):
                continue
            score = 2.0 * bool(_ADVICE.search(sentence)) + 0.3 * specificity(sentence)
            score += 1.0 * len(wanted & content_words(sentence))
            score -= 1.0 * bool(_OPENING_FILLER.match(sentence))
            score -= 1.0 * bool(_CONNECTIVE.match(sentence))  # "Additionally, …" reads oddly out of context
            scored.append((score, Quote(sentence, n, turn.critique.topic)))
    return sorted(scored, key=lambda sq: -sq[0])


def _role(persona: Persona) -> str:
    """'a registered nurse', 'an HR manager': the role, as said in a sentence."""
    return with_article(role_name(persona))


def _about(topic: str) -> str:
    """The topic as the seeker would say it to the informant: "your career path"."""
    if topic not in TOPIC_LABELS or topic == "other":
        return "your work"
    return re.sub(r"\btheir\b", "your", TOPIC_LABELS[topic])


def next_step_phrase(text: str) -> str:
    """'I'll shadow an ICU nurse' -> 'shadow an ICU nurse'; keeps names and acronyms as written."""
    text = re.sub(
        r"^(?:i(?:'ll| will| plan to| am going to|'m going to| want to| intend to)|next,?)\s+", "", text, flags=re.I
    )
    first = text.split()[0] if text.split() else ""
    if first and first != "I" and first[1:] == first[1:].lower():
        text = text[:1].lower() + text[1:]
    return text


_CONNECTIVE = re.compile(r"^(?:additionally|also|and|so|plus|but|lastly|finally|then|well|honestly|overall),?\s+", re.I)


def thank_you(
    session_id: str,
    persona: Persona,
    turns: list[Turn],
    goal: str = "",
    next_step: str = "",
    name: str = "",
    when: str | None = None,
    now: datetime | None = None,
) -> ThankYouNote:
    """The note for one saved session (``when`` is the ISO time the conversation ended)."""
    answered = [t for t in turns if not t.partial and t.answer.strip()]
    if not answered:
        raise FollowUpError("this session has no answers yet. Fix: hold a conversation first, then write the note.")
    next_step = " ".join((next_step or "").split()).rstrip(".")
    name = " ".join((name or "").split())
    if len(next_step) > 300 or len(name) > 100:
        raise FollowUpError("keep the next step under 300 characters and the name under 100.")
    picked: list[Quote] = []
    for _, quote in candidate_quotes(turns, goal):
        if all(q.turn != quote.turn for q in picked):
            picked.append(quote)
        if len(picked) == 2:
            break
    picked.sort(key=lambda q: q.turn)  # in the order they were said
    hours = None
    day = "today"
    if when:
        try:
            ended = datetime.fromisoformat(when)
        except ValueError:
            ended = None
        if ended is not None:
            ended = ended if ended.tzinfo else ended.replace(tzinfo=UTC)
            current = now or datetime.now(UTC)
            hours = (current - ended).total_seconds() / 3600
            days = (current.astimezone().date() - ended.astimezone().date()).days
            if days == 1:
                day = "yesterday"
            elif days > 1:
                local = ended.astimezone()
                day = f"on {local.strftime('%A')} {local.day} {local.strftime('%B %Y')}"
    lines = [
        f"Dear {persona.first_name},",
        "",
        f"Thank you for taking the time to talk with me {day} about your work as {_role(persona)}. "
        "I learned a lot from our conversation.",
    ]
    if picked:
        first = picked[0]
        lines += ["", f"What stayed with me most was what you said about {_about(first.topic)}: “{first.text}”"]
        if len(picked) > 1:
            second = picked[1]
            lines.append(f"I also keep coming back to what you said about {_about(second.topic)}: “{second.text}”")
    plan = (
        f"Next, I plan to {next_step_phrase(next_step)}."
        if next_step
        else "Next, I plan to put your advice into practice."
    )
    lines += [
        "",
        f"{plan} I'll let you know how it goes, and I hope we can stay in touch.",
        "",
        "Best regards,",
    ]
    if name:
        lines.append(name)
    return ThankYouNote(
        session_id=session_id,
        persona_name=persona.name,
        subject="Thank you for your time",
        body="\n".join(lines),
        quotes=picked,
        hours_since=hours,
    )


def _names_and_numbers(text: str) -> set[str]:
    """Numbers, and capitalised words that do not start a sentence or line."""
    found: set[str] = set(re.findall(r"\w*\d\w*", text))
    for sentence in re.split(r"(?<=[.!?:“])\s+|\n+", text):
        found.update(w for w in re.findall(r"[A-Za-z][\w'’-]*", sentence)[1:] if w[:1].isupper() and w != "I")
    return found


def polish_note(note: ThankYouNote, model: Any) -> ThankYouNote:
    """A capable model smooths the wording; kept only if every quote survives word for word and it
    introduces no name or number that was not in the draft."""
    from prompts import render

    try:
        reply = model.invoke(render("prepare", "polish_thank_you", draft=note.body))
    except Exception:  # noqa: BLE001 - the rule-based draft stands
        return note
    text = str(reply.content).strip()
    if not text or len(text) > 3 * len(note.body):
        return note
    if any(q.text not in text for q in note.quotes):
        return note
    if _names_and_numbers(text) - _names_and_numbers(note.body):
        return note
    if re.search(r"\b(?:resume|résumé|cv)\b", text, re.I):
        return note
    note.body = text
    return note
