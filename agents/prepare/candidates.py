"""Where a list's questions come from: the vocabulary's bank, filled in for the persona, and note
questions built on a specific sentence of their notes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from agents.critic import critique
from agents.prepare.plan import PlannedQuestion
from core.text import split_sentences, with_article
from knowledge.corpus import lower_first_known, specificity
from knowledge.personas import Persona, role_name
from knowledge.store import Note, whole_sections
from knowledge.vocabulary import vocabulary

__all__ = ["PERSONAL", "about_me", "bank", "Candidate", "fact", "note_candidates"]


@dataclass
class Candidate:
    question: str
    topic: str
    why: str
    source: str = ""
    specific: bool = False
    relevance: float = 0.0
    specificity: float = 0.0

    def planned(self, minutes: int, priority: int, why: str | None = None) -> PlannedQuestion:
        return PlannedQuestion(
            question=self.question,
            topic=self.topic,
            minutes=minutes,
            why=self.why if why is None else why,
            priority=priority,
            source=self.source,
            specific=self.specific,
        )


def _workplace(persona: Persona) -> str:
    """'an academic medical center' from 'academic medical center (about 700 beds)'; '' when too long."""
    org = re.sub(r"\s*\([^)]*\)", "", persona.company_type or "").strip()
    if not org or len(org.split()) > 5:
        return ""
    return with_article(org)


def bank(persona: Persona, background: str) -> list[Candidate]:
    """The vocabulary's bank questions this persona and seeker get, in the vocabulary's order."""
    org = _workplace(persona)
    about = about_me(background) if background else ""
    fill = {"a_role": with_article(role_name(persona)), "at_org": f" at {org}" if org else "", "about": about}
    senior = persona.seniority in {"senior", "executive"}
    offered = {
        "always": True,
        "senior": senior,
        "junior": not senior,
        "about": bool(about),
        "background": bool(background),
    }
    always = [(t.id, q) for t in vocabulary().topics for q in t.questions if q.when == "always"]
    extra = [(t.id, q) for t in vocabulary().topics for q in t.questions if q.when != "always" and offered[q.when]]
    return [Candidate(q.text.format(**fill), topic, q.why) for topic, q in always + extra]


def about_me(background: str) -> str:
    text = " ".join(background.split()).strip().rstrip(".!?")
    if not text or len(text.split()) > 18:
        return ""
    first = text.split()[0]
    mixed = first[1:] != first[1:].lower()  # "eBay", "iOS", "UX": keep as written
    if re.match(r"(?:i|i'm|i've|my)\b", text, re.I):
        return text[:1].upper() + text[1:] + "."
    start = text if mixed else text[:1].lower() + text[1:]
    return f"A bit about me: {start}."


_ANAPHORA = re.compile(
    r"^(?:this|these|that|those|it|its|they|their|them|such|both|he|she|here|there|others|another|"
    r"the same|also|however|still|instead|in addition|for example|for instance|even|but|and|or|so|then|next|"
    r"after|afterwards|later|first|finally|meanwhile|when|if|once|while|before|unless)\b",
    re.I,
)
PERSONAL = re.compile(r"\b(?:i|me|my|mine|we|us|our|ours)\b", re.I)
_REFERS_BACK = re.compile(
    r"\b(?:also|instead|this|these|those|that figure|such(?! as)|the same|either|too|other|just as)\b", re.I
)
_SECOND = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_IMPERATIVE_VERBS = set(
    "work seek build learn get take join start be compare consider find attend volunteer plan keep ask apply read "
    "practise practice use look talk network develop gain try make write follow shadow focus expect check study "
    "pick choose spend aim show create bring know treat save prepare sign register expect budget document "
    "protect prioritise prioritize collect put go do".split()
)
_STATISTIC = re.compile(r"\$|\bpercent\b|%|\bmedian\b|\bwage\b|\bsalar", re.I)


def _hook_question(sentence: str, topic: str, salt: int) -> str | None:
    """'I read that …. How has that affected your own work?' from one note sentence, or None."""
    s = re.sub(r"\s*\([^()]*\)", "", sentence).strip()
    s = re.sub(r"\s+([,.;:])", r"\1", s).rstrip(".").strip()
    words = s.split()
    tails = vocabulary().topic(topic).note_tails if topic in vocabulary().by_id else ()
    if not 7 <= len(words) <= 22 or not tails:
        return None
    if re.search(r"[:;\"“”?!]", s) or _ANAPHORA.match(s) or PERSONAL.search(s) or s.startswith(("BLS", "Source")):
        return None
    if _REFERS_BACK.search(s):  # leans on the sentence before it
        return None
    if topic != "compensation" and _STATISTIC.search(s):
        return None
    names = sum(1 for w in words[1:] if w[:1].isupper())
    if topic == "resources" and not (re.search(r",| and | or ", s) and names >= 3):  # "which of those" needs a list
        return None
    first = re.sub(r"[^a-z]", "", words[0].lower())
    if first in _IMPERATIVE_VERBS:
        if topic != "advice":
            return None
        if re.search(r"\byou\b", s, re.I):
            return None
        s = re.sub(r"\byour\b", "their", s[:1].lower() + s[1:])
        return f"People often advise newcomers to {s}. {tails[salt % len(tails)]}"
    if _SECOND.search(s) or topic == "advice":  # advice in the notes is imperative; anything else reads oddly
        return None
    if len(words) > 1 and words[1][:1].isupper() and not words[0].isupper():  # a title: "Supply Chain Dive"
        return None
    lowered = lower_first_known(s)
    return f"I read that {lowered}. {tails[salt % len(tails)]}" if lowered else None


def fact(question: str) -> str:
    """A note question without its ending (the note's sentence); a bank question as it is."""
    if question.startswith(("I read that ", "People often advise newcomers to ")):
        return question.rsplit(". ", 1)[0]
    return question


def _salt(text: str, variant: int) -> int:
    return int(hashlib.sha1(f"{variant}:{text}".encode()).hexdigest()[:8], 16)


def note_candidates(notes: list[Note], variant: int = 0) -> list[Candidate]:
    """Note questions from the persona's notes, each passing the critic with no flags."""
    found: list[Candidate] = []
    seen: set[str] = set()
    for note in whole_sections(notes):
        if note.persona:  # a bio speaks of the person in the third person; its facts are theirs to tell
            continue
        for sentence in split_sentences(note.text):
            q = _hook_question(sentence, note.topic, _salt(sentence, variant))
            if not q or q in seen:
                continue
            seen.add(q)
            if critique(q).flags:
                continue
            source = f"{note.title} — {note.source}" if note.source else note.title
            found.append(
                Candidate(
                    q,
                    note.topic,
                    "Shows your homework; asks about their own experience, so no web search answers it.",
                    source=source,
                    specific=True,
                    specificity=specificity(sentence),
                )
            )
    return found
