"""The decision on one question: its flags (in severity order), its topic, and its asks.

Flags are judged on the asks (agents.critic.rules); the topic is scored on the first ask
(agents.critic.topics), or on the preamble or the research before it when the ask names none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from agents.critic.reading import (
    AUX,
    FORMAT_CHARS,
    NEG_AUX,
    WH,
    WINDOW,
    ask_clause,
    canon,
    is_request,
    sentences_of,
    strip_filler,
    window,
    words_of,
)
from agents.critic.rules import (
    CLAUSE_START,
    GREETING_ONLY,
    JOB,
    LEADING,
    VERB_PAIR,
    flag_closed,
    is_googleable,
    is_vague,
    is_yes_no_form,
)
from agents.critic.topics import topic_scores
from knowledge.vocabulary import vocabulary

__all__ = ["FLAGS", "MAX_WORDS", "SEVERITY", "analyse", "Analysis", "decide"]

MAX_WORDS = 35  # a question longer than this is flagged too_long
FLAGS = vocabulary().flags_of("question")
SEVERITY = {f: vocabulary().flag[f].severity for f in FLAGS}


def _severity_order(flag: str) -> tuple[int, int]:
    return (-SEVERITY[flag], FLAGS.index(flag))


@dataclass(frozen=True)
class Analysis:
    flags: tuple[str, ...]
    topic: str
    hint_topic: str  # for a statement: what it is about, so the rewrite can ask about that
    asks: tuple[str, ...]
    words: int


@lru_cache(maxsize=2048)
def analyse(text: str) -> Analysis:
    """Flags in severity order, topic and the question's asks for normalised text."""
    words = len(words_of(text))
    t = FORMAT_CHARS.sub("", window(text)).replace("\u061f", "?").replace("\uff1f", "?")
    t = canon(re.sub(r"\s+", " ", t).strip())
    sentences = sentences_of(t)
    questions = [s for s in sentences if is_request(s) and not GREETING_ONLY.match(strip_filler(s))]
    flags: set[str] = set()
    asks: list[str] = []
    first_sentence = ""
    for q in questions:
        clause = ask_clause(q)
        parts = [p.strip(" ,;:") for p in CLAUSE_START.split(clause) if re.search(r"\w", p)]
        if not asks and any(parts):
            first_sentence = strip_filler(q)
        asks.extend(p for p in parts if p)
    if JOB.search(t) or (len(text) > WINDOW and JOB.search(canon(text[:WINDOW]))):
        flags.add("asks_for_job")
    if words > MAX_WORDS:
        flags.add("too_long")
    if not questions or not asks:
        flags.add("not_a_question")
        ordered = sorted(flags, key=_severity_order)
        hint_score, hint_topic = topic_scores(t)
        return Analysis(tuple(ordered), "other", hint_topic if hint_score >= 0.75 else "other", (), words)

    real = [
        q
        for q in questions
        if q.rstrip().endswith("?") or re.match(rf"^(?:{WH}|{AUX}|{NEG_AUX})\b", strip_filler(q), re.I)
    ]
    double = len(real) >= 2 or len(asks) >= 2 or any(VERB_PAIR.search(a) for a in asks)
    if double:
        flags.add("double_barreled")
    if any(LEADING.search(a) for a in asks):
        flags.add("leading")
    if any(re.match(r"^(?:surely|obviously|clearly|of course)\b", strip_filler(q), re.I) for q in questions):
        flags.add("leading")
    no_topic = False
    if "asks_for_job" not in flags:
        for a in asks:
            google, fact = is_googleable(a)
            if google:
                flags.add("googleable")
                no_topic = no_topic or fact
    vague = len(asks) == 1 and is_vague(asks[0])
    if vague:
        flags.add("vague")
    if double:
        closed = len(asks) >= 2 and all(is_yes_no_form(a) for a in asks)
    else:
        closed = flag_closed(asks[0])
    if closed:
        flags.add("closed")

    score, topic = topic_scores(asks[0])
    if score < 0.75:
        # The preamble of the same sentence may name the subject: "You switched from retail; what made it work?"
        score, topic = topic_scores(CLAUSE_START.split(first_sentence)[0])
        if score < 0.75 and re.search(r"\b(?:that|this|those|these|it)\b", asks[0], re.I):
            # "I read that nurses work 12-hour shifts. How has that affected you?": the research says what.
            before = sentences[: sentences.index(questions[0])] if questions[0] in sentences else []
            if before:
                score, topic = topic_scores(" ".join(before))
        if score < 0.75:
            topic = "other"
    if vague or no_topic or "asks_for_job" in flags:
        topic = "other"
    ordered = sorted(flags, key=_severity_order)
    return Analysis(tuple(ordered), topic, topic, tuple(asks), words)


def decide(text: str) -> tuple[list[str], str, str]:
    """Return (flags in severity order, topic, core question) for normalised text."""
    analysis = analyse(text)
    return list(analysis.flags), analysis.topic, analysis.asks[0] if analysis.asks else text
