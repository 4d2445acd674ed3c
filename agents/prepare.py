"""Prepare for a real conversation: a tailored question list that fits the time, and a research brief.

Everything here is decided by rules, so the embedded model (however small) is never asked to judge:

- **Candidates** come from two places. A bank of open questions per core topic (the rubric's
  criterion 8), filled in with the persona's role and workplace; and *note questions*, built from a
  short, specific sentence in the persona's notes ("I read that hospitals run around the clock, so
  nights and weekends are common. How has that shaped your own schedule?"). A note question shows
  homework (criterion 6), could not be asked of just anyone, and asks about their own experience,
  so a web search cannot answer it.
- **Every candidate passes the critic with no flags**, and near-duplicates (MiniLM cosine or word
  overlap) are dropped.
- **Selection** opens with their story, covers the core topics (the goal's topics first), keeps at
  least a third of the questions note-specific, fills the minutes (each question's minutes depend on
  its topic and the persona's temperament), and always ends by asking who else to talk to
  (criterion 15).
- **Order** follows the flow of a conversation (criterion 9 says to prioritise: each item has a
  priority, 1 = ask first if time runs short).

A capable chat model (OpenAI or a compatible server) may then reword the bank questions for the
user's goal and background; a rewording is kept only if the critic still finds no flag in it.
"""

from __future__ import annotations

import hashlib
import html
import math
import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from agents.coach import SEED_TOPICS, checked_rewording, goal_topics
from agents.critic import TOPIC_LABELS, critique
from core.defaults import DEFAULT_MINUTES
from core.errors import PrepareError
from core.text import content_words, split_sentences, with_article
from knowledge.corpus import lower_first_known, specificity
from knowledge.personas import Persona, role_name
from knowledge.store import Note, whole_sections
from knowledge.vocabulary import vocabulary

__all__ = [
    "CORE",
    "FLOW",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "NEAR_DUPLICATE",
    "OVERHEAD_MINUTES",
    "SPECIFIC_SHARE",
    "TEMPERAMENT_FACTOR",
    "about_me",
    "BriefPoint",
    "edit_question",
    "generate",
    "move_question",
    "note_candidates",
    "PlannedQuestion",
    "polish_plan",
    "QuestionPlan",
    "regenerate_one",
    "remove_question",
    "research_brief",
    "ResearchBrief",
    "too_similar",
    "validate_inputs",
]

MIN_MINUTES = 10
MAX_MINUTES = 120
OVERHEAD_MINUTES = 2  # introductions at the start, thanks at the end
NEAR_DUPLICATE = 0.82  # MiniLM cosine above which two questions ask the same thing
SPECIFIC_SHARE = 1 / 3

TEMPERAMENT_FACTOR = {"busy": 0.75, "sceptical": 1.0, "warm": 1.25}
# The order of a conversation (knowledge/vocabulary.yaml): their story first, referrals last.
FLOW = vocabulary().flow
CORE = tuple(t for t in SEED_TOPICS if t != "networking")


@dataclass
class PlannedQuestion:
    question: str
    topic: str
    minutes: int
    why: str
    priority: int = 0
    source: str = ""  # the note a note question was built from ("Pharmacist: Challenges — BLS …")
    specific: bool = False
    flags: list[str] = field(default_factory=list)  # after the user edits it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class QuestionPlan:
    persona_id: str
    persona_name: str
    persona_title: str
    goal: str
    background: str
    minutes: int
    questions: list[PlannedQuestion]
    variant: int = 0
    shown: list[str] = field(default_factory=list)  # every question offered so far (regenerate skips them)

    @property
    def minutes_used(self) -> int:
        return sum(q.minutes for q in self.questions) + OVERHEAD_MINUTES

    @property
    def topics(self) -> list[str]:
        return [t for t in FLOW if any(q.topic == t for q in self.questions)]

    @property
    def specific_count(self) -> int:
        return sum(1 for q in self.questions if q.specific)

    def summary(self) -> str:
        return (
            f"{len(self.questions)} questions, about {self.minutes_used} of your {self.minutes} minutes "
            f"(including {OVERHEAD_MINUTES} for introductions and thanks); {len(self.topics)} topics; "
            f"{self.specific_count} built on the notes."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona_id,
            "goal": self.goal,
            "background": self.background,
            "minutes": self.minutes,
            "minutes_used": self.minutes_used,
            "topics": self.topics,
            "variant": self.variant,
            "questions": [q.to_dict() for q in self.questions],
        }

    def markdown(self) -> str:
        lines = [
            f"# Questions for {self.persona_name}",
            f"*{self.persona_title}*",
            "",
        ]
        if self.goal:
            lines.append(f"**Goal:** {self.goal}")
        if self.background:
            lines.append(f"**About me:** {self.background}")
        lines += [
            f"**Time:** {self.summary()}",
            "",
            "Introduce yourself in a sentence and say what you hope to learn. If time runs short, ask in "
            "priority order (P1 first). Keep your resume ready, but hand it over only if asked.",
        ]
        previous = None
        for n, q in enumerate(self.questions, 1):  # in the user's order; a heading where the topic changes
            if q.topic != previous:
                label = TOPIC_LABELS.get(q.topic, "other questions")
                lines += ["", f"## {label[:1].upper() + label[1:]}"]
                previous = q.topic
            lines.append(f"{n}. {q.question}  ")
            source = f" Source: {q.source}." if q.source else ""
            lines.append(f"   *{q.minutes} min · P{q.priority} · {q.why}{source}*")
        lines += ["", "Afterwards: send a thank-you note within 24 hours that names one thing they said."]
        return "\n".join(lines)

    def html(self) -> str:
        """A standalone page to print (or save as PDF) and take into the conversation."""
        esc = html.escape
        parts = [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>Questions for {esc(self.persona_name)}</title>",
            "<style>body{font:15px/1.45 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111}"
            "h1{font-size:1.5em;margin-bottom:0}h2{font-size:1.1em;margin:1.2em 0 .3em;border-bottom:1px solid #ccc}"
            "ol{padding-left:1.6em}li{margin:.45em 0}.meta{color:#555;font-size:.85em}"
            ".box{display:inline-block;width:.9em;height:.9em;border:1px solid #333;margin-right:.4em}"
            "@media print{body{margin:0}a{color:inherit}}</style></head><body>",
            f"<h1>Questions for {esc(self.persona_name)}</h1><p><em>{esc(self.persona_title)}</em></p>",
        ]
        if self.goal:
            parts.append(f"<p><strong>Goal:</strong> {esc(self.goal)}</p>")
        if self.background:
            parts.append(f"<p><strong>About me:</strong> {esc(self.background)}</p>")
        parts.append(f"<p class='meta'>{esc(self.summary())} Ask in priority order if time runs short.</p>")
        previous = None
        for n, q in enumerate(self.questions, 1):
            if q.topic != previous:
                if previous is not None:
                    parts.append("</ol>")
                label = TOPIC_LABELS.get(q.topic, "other questions")
                parts.append(f"<h2>{esc(label[:1].upper() + label[1:])}</h2><ol start='{n}'>")
                previous = q.topic
            parts.append(
                f"<li><span class='box'></span>{esc(q.question)}"
                f"<div class='meta'>{q.minutes} min · P{q.priority} · {esc(q.why)}"
                f"{esc(' Source: ' + q.source + '.') if q.source else ''}</div></li>"
            )
        if previous is not None:
            parts.append("</ol>")
        parts.append(
            "<p class='meta'>Afterwards: a thank-you note within 24 hours that names one thing they said.</p>"
            "</body></html>"
        )
        return "".join(parts)


# --------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
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


def _bank(persona: Persona, background: str) -> list[_Candidate]:
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
    return [_Candidate(q.text.format(**fill), topic, q.why) for topic, q in always + extra]


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
_PERSONAL = re.compile(r"\b(?:i|me|my|mine|we|us|our|ours)\b", re.I)
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
    if re.search(r"[:;\"“”?!]", s) or _ANAPHORA.match(s) or _PERSONAL.search(s) or s.startswith(("BLS", "Source")):
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


def _fact(question: str) -> str:
    """A note question without its ending (the note's sentence); a bank question as it is."""
    if question.startswith(("I read that ", "People often advise newcomers to ")):
        return question.rsplit(". ", 1)[0]
    return question


def _salt(text: str, variant: int) -> int:
    return int(hashlib.sha1(f"{variant}:{text}".encode()).hexdigest()[:8], 16)


def note_candidates(notes: list[Note], variant: int = 0) -> list[_Candidate]:
    """Note questions from the persona's notes, each passing the critic with no flags."""
    found: list[_Candidate] = []
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
                _Candidate(
                    q,
                    note.topic,
                    "Shows your homework (rubric 6); asks about their own experience, so no web search answers it.",
                    source=source,
                    specific=True,
                    specificity=specificity(sentence),
                )
            )
    return found


# --------------------------------------------------------------------------- selection


def _minutes_for(topic: str, persona: Persona) -> int:
    minutes = vocabulary().topic(topic).minutes if topic in vocabulary().by_id else 3
    return max(1, round(minutes * TEMPERAMENT_FACTOR.get(persona.temperament, 1.0)))


def too_similar(vectors: Any, i: int, chosen: list[int], texts: list[str]) -> bool:
    for j in chosen:
        if vectors is not None and float(vectors[i] @ vectors[j]) >= NEAR_DUPLICATE:
            return True
        a, b = content_words(texts[i]), content_words(texts[j])
        if a and b and len(a & b) / len(a | b) >= 0.6:
            return True
    return False


def _embed(texts: list[str]) -> Any:
    from knowledge.embeddings import MiniLMEmbedder

    return MiniLMEmbedder.shared().embed(texts)


def validate_inputs(minutes: int, goal: str, background: str) -> None:
    if not MIN_MINUTES <= int(minutes) <= MAX_MINUTES:
        raise PrepareError(
            f"minutes must be between {MIN_MINUTES} and {MAX_MINUTES} (the length of the real conversation). "
            f"Fix: e.g. --minutes {DEFAULT_MINUTES}"
        )
    for name, text in (("goal", goal), ("background", background)):
        if len(text) > 500:
            raise PrepareError(f"the {name} is {len(text)} characters; keep it under 500 (a sentence or two).")


def generate(
    persona: Persona,
    notes: list[Note],
    goal: str = "",
    background: str = "",
    minutes: int = DEFAULT_MINUTES,
    variant: int = 0,
    exclude: set[str] | None = None,
) -> QuestionPlan:
    """A question list for ``persona`` that fits ``minutes``; ``variant`` gives another list."""
    goal, background = " ".join((goal or "").split()), " ".join((background or "").split())
    validate_inputs(minutes, goal, background)
    shown = {_fact(q) for q in exclude or set()}
    # A new list skips what was offered before (the same note sentence with another ending too),
    # but keeps the referral questions: every list ends with one.
    pool = [
        c
        for c in _bank(persona, background) + note_candidates(notes, variant)
        if c.topic == "networking" or _fact(c.question) not in shown
    ]
    pool = [c for c in pool if c.specific or not critique(c.question, persona.role).flags]
    texts = [c.question for c in pool]
    want = " ".join(x for x in (goal, background) if x)
    vectors = _embed(texts + ([want] if want else []))
    if want:
        for i, c in enumerate(pool):
            c.relevance = float(vectors[i] @ vectors[-1])
    rng = random.Random(variant)
    order = list(range(len(pool)))
    rng.shuffle(order)  # a different variant breaks ties differently

    def rank(i: int) -> tuple:
        c = pool[i]
        length = max(0, len(c.question.split()) - 22) * 0.04  # shorter note questions are easier to ask
        return (-(c.relevance * 3 + c.specificity * 0.15 - length), order.index(i))

    wanted = [t for t in goal_topics(goal) if t in FLOW] if goal else []
    if goal and re.search(r"\b(?:pay|salary|salaries|earn|earnings|money|compensation|wages?)\b", goal, re.I):
        wanted.append("compensation")
    budget = int(minutes) - OVERHEAD_MINUTES
    chosen: list[int] = []
    priority: dict[int, int] = {}

    def pick(topic: str | None, specific: bool | None) -> int | None:
        for i in sorted(range(len(pool)), key=rank):
            c = pool[i]
            if i in chosen or (topic and c.topic != topic) or (specific is not None and c.specific != specific):
                continue
            if c.topic == "networking" and topic != "networking":
                continue
            if c.topic == "compensation" and "compensation" not in wanted:
                continue
            if too_similar(vectors, i, chosen, texts):
                continue
            return i
        return None

    def add(i: int | None) -> bool:
        if i is None:
            return False
        chosen.append(i)
        priority[i] = len(chosen)
        return True

    # 1. The opener (their story) and the closer (who else to talk to) are always there.
    opener = pick("career_path", False)
    add(opener)
    closer = pick("networking", False)
    add(closer)
    # 2. One question per core topic, the goal's topics first; note questions where the notes have one,
    #    until a third of the projected list is note-specific.
    topics = [t for t in wanted if t != "networking"] + [t for t in CORE if t not in wanted and t != "networking"]
    projected = max(6, budget // 3)
    target_specific = math.ceil(projected * SPECIFIC_SHARE)
    for topic in topics:
        if topic == "career_path" and opener is not None:
            continue
        specific_now = sum(1 for i in chosen if pool[i].specific)
        prefer = specific_now < target_specific or topic in wanted
        if not add(pick(topic, True if prefer else False)):
            add(pick(topic, None))
    # 3. Fill the time round by round: one more question per topic each round (the goal's topics
    #    first and twice as often), note questions while they are under half the list.
    rounds = [t for t in wanted if t != "networking"] * 2 + [t for t in CORE if t != "career_path"]
    full = False
    while not full:
        added = False
        for topic in rounds:
            used = sum(_minutes_for(pool[i].topic, persona) for i in chosen)
            if used + _minutes_for(topic, persona) > budget:
                full = used + min(_minutes_for(t, persona) for t in rounds) > budget
                continue
            specific_now = sum(1 for i in chosen if pool[i].specific)
            prefer = specific_now < max(math.ceil((len(chosen) + 1) * SPECIFIC_SHARE), (len(chosen) + 1) // 2)
            nxt = pick(topic, prefer)
            if nxt is None:
                nxt = pick(topic, not prefer)
            added = add(nxt) or added
        if not added:
            break
    # 4. Too little time for the essentials: trim the lowest priorities, keeping the closer.
    while len(chosen) > 6 and sum(_minutes_for(pool[i].topic, persona) for i in chosen) > budget:
        drop = max((i for i in chosen if i not in (opener, closer)), key=lambda i: priority[i])
        chosen.remove(drop)
    minutes_each = {i: _minutes_for(pool[i].topic, persona) for i in chosen}
    while sum(minutes_each.values()) > budget and any(m > 1 for m in minutes_each.values()):
        longest = max(minutes_each, key=lambda i: minutes_each[i])
        minutes_each[longest] -= 1

    ranked = sorted(chosen, key=lambda i: priority[i])
    prio = {i: n for n, i in enumerate(ranked, 1)}
    questions = [
        pool[i].planned(
            minutes_each[i],
            prio[i],
            pool[i].why + (" Your goal asks about this." if pool[i].topic in wanted else ""),
        )
        for i in sorted(chosen, key=lambda i: (FLOW.index(pool[i].topic), priority[i]))
    ]
    return QuestionPlan(
        persona_id=persona.id,
        persona_name=persona.name,
        persona_title=persona.title,
        goal=goal,
        background=background,
        minutes=int(minutes),
        questions=questions,
        variant=variant,
        shown=sorted((exclude or set()) | {q.question for q in questions}),
    )


# --------------------------------------------------------------------------- editing a list


def regenerate_one(plan: QuestionPlan, index: int, persona: Persona, notes: list[Note]) -> QuestionPlan:
    """Replace question ``index`` (0-based) with a new one on the same topic, never one shown before."""
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    old = plan.questions[index]
    used = {_fact(q) for q in plan.shown} | {_fact(q.question) for q in plan.questions}
    has_pay = any(q.topic == "compensation" for q in plan.questions)
    pool = [
        c
        for c in _bank(persona, plan.background) + note_candidates(notes, plan.variant)
        if _fact(c.question) not in used and (c.topic != "compensation" or has_pay)
    ]
    pool = [c for c in pool if c.specific or not critique(c.question, persona.role).flags]
    others = [q.question for i, q in enumerate(plan.questions) if i != index]
    same_topic = [c for c in pool if c.topic == old.topic]
    candidates = same_topic or ([] if old.topic == "networking" else [c for c in pool if c.topic != "networking"])
    if not candidates:
        raise PrepareError(f"no other question on {TOPIC_LABELS[old.topic]} is left; edit this one instead.")
    vectors = _embed([c.question for c in candidates] + others) if others else None
    best = None
    for i, c in enumerate(candidates):
        near = vectors is not None and any(
            float(vectors[i] @ vectors[len(candidates) + j]) >= NEAR_DUPLICATE for j in range(len(others))
        )
        if not near and (old.specific == c.specific or best is None):
            best = c
            if old.specific == c.specific:
                break
    if best is None:
        raise PrepareError("every other question would repeat one already in the list; edit this one instead.")
    plan.questions[index] = best.planned(old.minutes, old.priority)
    plan.shown = sorted(set(plan.shown) | {best.question})
    return plan


def edit_question(plan: QuestionPlan, index: int, text: str, role: str | None = None) -> QuestionPlan:
    """The user's own wording: kept as written, re-judged so the page can warn about a flag."""
    text = " ".join((text or "").split())
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    if not text:
        raise PrepareError("a question can't be empty; remove it instead.")
    if len(text) > 400:
        raise PrepareError("keep a question under 400 characters (rubric 11: short preambles).")
    q = plan.questions[index]
    if text != q.question:
        c = critique(text, role)
        q.question, q.flags, q.specific, q.source = text, list(c.flags), False, ""
        q.topic = c.topic if c.topic in FLOW else q.topic
        q.why = "Your wording." + (f" The critic flags: {', '.join(c.flags)}." if c.flags else "")
    return plan


def move_question(plan: QuestionPlan, index: int, to: int) -> QuestionPlan:
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    to = max(0, min(len(plan.questions) - 1, to))
    plan.questions.insert(to, plan.questions.pop(index))
    return plan


def remove_question(plan: QuestionPlan, index: int) -> QuestionPlan:
    if not 0 <= index < len(plan.questions):
        raise PrepareError(f"there is no question {index + 1}; the list has {len(plan.questions)}.")
    plan.questions.pop(index)
    return plan


def polish_plan(plan: QuestionPlan, model: Any, role: str | None = None) -> QuestionPlan:
    """A capable model rewords the bank questions for the goal and background; kept only if the critic
    still finds no flag and the wording stays short. Note questions keep their exact note text."""
    if not (plan.goal or plan.background):
        return plan
    from prompts import render

    for q in plan.questions:
        if q.specific or q.topic == "networking" or q.flags:
            continue
        prompt = render("prepare", "tailor_question", question=q.question, goal=plan.goal, background=plan.background)
        q.question = checked_rewording(model, prompt, role) or q.question
    return plan


# --------------------------------------------------------------------------- research brief

_ACRONYM = re.compile(r"((?:[\w'’&-]+\s+){0,7}[\w'’&-]+)\s+\(([A-Z][A-Za-z0-9&-]{1,9})\)")
_SMALL = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "&"}


@dataclass
class BriefPoint:
    text: str
    source: str


@dataclass
class ResearchBrief:
    persona_name: str
    persona_title: str
    sections: dict[str, list[BriefPoint]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona_name,
            "title": self.persona_title,
            "sections": {k: [asdict(p) for p in v] for k, v in self.sections.items()},
        }

    def markdown(self) -> str:
        lines = [f"# Research brief: {self.persona_title}", f"*Before you talk with {self.persona_name}.*"]
        for heading, points in self.sections.items():
            if not points:
                continue
            lines += ["", f"## {heading}"]
            lines += [f"- {p.text} <small>({p.source})</small>" for p in points]
        return "\n".join(lines)


def _expand_acronym(words: str, acronym: str) -> str | None:
    """The words that ``acronym`` stands for ("pharmacy benefit managers" for PBMs), or None."""
    tokens = words.split()
    letters = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    letters = re.sub(r"[^a-z]", "", letters.lower())
    for k in range(2, min(8, len(tokens)) + 1):
        phrase = tokens[-k:]
        if phrase[0].lower() in _SMALL:
            continue
        if "".join(t[0].lower() for t in phrase if t.lower() not in _SMALL) == letters:
            return " ".join(phrase)
    run: list[str] = []  # a run of capitalised words: "Doctor of Pharmacy" for PharmD
    for t in reversed(tokens):
        if t[:1].isupper() or (t.lower() in _SMALL and run):
            run.insert(0, t)
        else:
            break
    while run and run[0].lower() in _SMALL:
        run.pop(0)
    if len(run) >= 2 and run[0][0].lower() == letters[:1]:
        return " ".join(run)
    return None


def research_brief(persona: Persona, notes: list[Note], goal: str = "", per_section: int = 3) -> ResearchBrief:
    """One page to read before the call: each point a sentence from the notes, with its source."""
    notes = whole_sections(notes)
    by_topic: dict[str, list[tuple[str, Note]]] = {}
    for note in notes:
        for sentence in split_sentences(note.text):
            by_topic.setdefault(note.topic, []).append((sentence, note))

    def where(note: Note) -> str:
        return f"{note.title}; {note.source.split(';')[0].strip()}" if note.source else note.title

    relevance: dict[str, float] = {}
    goal = " ".join((goal or "").split())
    if goal:
        sentences = [s for items in by_topic.values() for s, _ in items]
        if sentences:
            vectors = _embed([*sentences, goal])
            relevance = {s: float(vectors[i] @ vectors[-1]) for i, s in enumerate(sentences)}

    def points(topics: tuple[str, ...], n: int) -> list[BriefPoint]:
        items = [
            (s, note)
            for t in topics
            for s, note in by_topic.get(t, [])
            if 6 <= len(s.split()) <= 45 and s[:1].isupper() and s.endswith((".", "!"))
        ]
        if not items:
            return []
        # The first sentence of a section states its gist; the rest are ranked by the goal, then specifics.
        firsts = [items[0]]
        rest = sorted(items[1:], key=lambda x: -(relevance.get(x[0], 0.0) * 10 + specificity(x[0]) * 0.1))
        seen: set[str] = set()
        out: list[BriefPoint] = []
        for s, note in firsts + rest:
            if s in seen or _PERSONAL.search(s) and note.persona == "":
                continue
            seen.add(s)
            out.append(BriefPoint(s, where(note)))
            if len(out) == n:
                break
        return out

    terms: list[BriefPoint] = []
    seen_terms: set[str] = set()
    for note in notes:
        for m in _ACRONYM.finditer(note.text):
            acronym = m.group(2)
            expanded = _expand_acronym(m.group(1), acronym)
            if not expanded or acronym in seen_terms:
                continue
            seen_terms.add(acronym)
            terms.append(BriefPoint(f"**{acronym}**: {expanded}", where(note)))
    return ResearchBrief(
        persona.name,
        persona.title,
        {
            "What the role involves": points(("typical_day",), per_section),
            "Current trends": points(("industry_trends",), per_section),
            "What people in it care about": points(("challenges",), per_section),
            "Advice they give newcomers": points(("advice",), 2),
            "How people get in": points(("career_path",), 2),
            "Terms to know": terms[:10],
        },
    )


def apply_table_rows(plan: QuestionPlan, rows: list[list], role: str | None = None) -> list[str]:
    """The user edited the list as a table (columns ``#, Topic, Question, Min, Check, Why``): rows are matched
    to questions by their "#", so a deleted row removes its question and an added row (no "#") adds one; a
    question's wording is kept and re-checked (``edit_question``), its minutes kept within 1-30.

    Edits ``plan`` in place; returns the warnings to show (a refused wording keeps the old one).
    """

    def cell(row: list, i: int) -> str:
        value = row[i] if len(row) > i else None
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

    warnings: list[str] = []
    kept: list[PlannedQuestion] = []
    old = list(plan.questions)
    for row in rows:
        text, number = cell(row, 2), cell(row, 0)
        try:
            minutes = max(1, min(30, int(float(cell(row, 3)))))
        except ValueError:
            minutes = 3
        index = int(float(number)) - 1 if re.fullmatch(r"\d+(?:\.0)?", number) else -1
        if 0 <= index < len(old) and old[index] not in kept:
            q = old[index]
            if text:
                try:
                    edit_question(plan, index, text, role)  # the plan still holds ``old``: this edits q
                except PrepareError as exc:
                    warnings.append(f"Question {index + 1}: {exc}")
            q.minutes = minutes
            kept.append(q)
        elif text:  # a row the user added
            c = critique(text, role)
            kept.append(PlannedQuestion(text, c.topic, minutes, "Your question.", len(kept) + 1, flags=c.flags))
    plan.questions = kept
    return warnings
