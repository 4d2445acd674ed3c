"""Choosing a list: the opener and the closer, the core topics (the goal's first), a third built
on the notes, filled to the minutes, in the order of a conversation."""

from __future__ import annotations

import math
import random
import re
from typing import Any

from agents.coach import goal_topics
from agents.critic import critique
from agents.prepare.candidates import bank, fact, note_candidates
from agents.prepare.plan import (
    CORE,
    FLOW,
    MAX_MINUTES,
    MIN_MINUTES,
    NEAR_DUPLICATE,
    OVERHEAD_MINUTES,
    SPECIFIC_SHARE,
    TEMPERAMENT_FACTOR,
    QuestionPlan,
)
from core.defaults import DEFAULT_MINUTES
from core.errors import PrepareError
from core.text import content_words
from knowledge.personas import Persona
from knowledge.store import Note
from knowledge.vocabulary import vocabulary

__all__ = ["embed", "generate", "minutes_for", "too_similar", "validate_inputs"]


def minutes_for(topic: str, persona: Persona) -> int:
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


# A prepared question counts as asked when a question in the conversation is this close to it (MiniLM cosine),
# or shares this share of its content words: seekers reword a prepared question as they ask it.
ASKED_COSINE = 0.75
ASKED_OVERLAP = 0.5


def asked_in(prepared: list[str], asked: list[str]) -> list[bool]:
    """Which prepared questions the conversation has asked (Practice ticks them off the list)."""
    if not prepared or not asked:
        return [False] * len(prepared)
    vectors = embed([*prepared, *asked])
    mine, theirs = vectors[: len(prepared)], vectors[len(prepared) :]
    done = []
    for i, question in enumerate(prepared):
        words = content_words(question)
        close = float((theirs @ mine[i]).max()) >= ASKED_COSINE
        shared = any(words and len(words & content_words(a)) / len(words) >= ASKED_OVERLAP for a in asked)
        done.append(close or shared)
    return done


def embed(texts: list[str]) -> Any:
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
    shown = {fact(q) for q in exclude or set()}
    # A new list skips what was offered before (the same note sentence with another ending too),
    # but keeps the referral questions: every list ends with one.
    pool = [
        c
        for c in bank(persona, background) + note_candidates(notes, variant)
        if c.topic == "networking" or fact(c.question) not in shown
    ]
    pool = [c for c in pool if c.specific or not critique(c.question, persona.role).flags]
    texts = [c.question for c in pool]
    want = " ".join(x for x in (goal, background) if x)
    vectors = embed(texts + ([want] if want else []))
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
            used = sum(minutes_for(pool[i].topic, persona) for i in chosen)
            if used + minutes_for(topic, persona) > budget:
                full = used + min(minutes_for(t, persona) for t in rounds) > budget
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
    while len(chosen) > 6 and sum(minutes_for(pool[i].topic, persona) for i in chosen) > budget:
        drop = max((i for i in chosen if i not in (opener, closer)), key=lambda i: priority[i])
        chosen.remove(drop)
    minutes_each = {i: minutes_for(pool[i].topic, persona) for i in chosen}
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
