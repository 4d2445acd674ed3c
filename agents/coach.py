"""The coach: each question judged in the context of the conversation, a session report with an
overall score, and answers to "why did this question get that score?" that cite the rubric.

Every decision here is made by rules and measurements (the v1 critic, word overlap, MiniLM
similarity), never by the chat model, so it holds on a tiny local model. The v1 flags keep their
meaning; the conversation adds:

- flags ``repeated`` (asks again what was asked before), ``closed_streak`` (the third closed
  question in a row), ``too_basic_for_seniority`` (a basic or look-up question to a senior or
  executive informant);
- credits ``follows_up`` (builds on the informant's last answer) and ``shows_research`` (refers
  to something specific about the person, company or field).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from agents.critic import SPECIFIC, TOPIC_LABELS, Critique, classify_topic, critique, mentioned_topics
from core.defaults import DEFAULT_MINUTES
from core.text import content_words
from knowledge.personas import Persona
from knowledge.vocabulary import vocabulary

__all__ = [
    "CONTEXT_FLAGS",
    "CREDITS",
    "PAUSE_MIN_PER_TURN",
    "REFERRAL",
    "RUBRIC_PATH",
    "PART_MOST",
    "SEED_TOPICS",
    "VOCABULARY",
    "WORDS_PER_MINUTE",
    "ask_coach",
    "band",
    "build_report",
    "checked_rewording",
    "covered_topics",
    "critique_in_context",
    "goal_topics",
    "Improvement",
    "judge_session",
    "key_phrase",
    "polish",
    "Report",
    "rubric_criteria",
]

VOCABULARY = vocabulary()
CONTEXT_FLAGS = VOCABULARY.flags_of("conversation")
CREDITS = VOCABULARY.flags_of("credit")
SEED_TOPICS = VOCABULARY.core
WORDS_PER_MINUTE = 150
PAUSE_MIN_PER_TURN = 0.5
RUBRIC_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "rubric.md"

_FOLLOW_CUE = re.compile(
    r"\byou (?:mentioned|said|talked about|described|brought up|noted|just said|were saying)\b|"
    r"\b(?:earlier|a moment ago|before) you\b|\bwhen you (?:said|mentioned|talked)\b|\bgoing back to\b|"
    r"\b(?:say|tell me) (?:a bit |a little )?more about (?:that|the|what|how|your)\b|\bwhat did you mean\b|"
    r"\bcan you give (?:me )?an example\b|\bwhat was that like\b",
    re.I,
)
_BASIC = re.compile(
    r"^what (?:does|do) (?:a|an) [a-z -]{2,40} do\b|\bwhat (?:degree|major|certification)s? do (?:i|you) need\b|"
    r"\bdo i need a degree\b|^what is (?:a|an) [a-z -]{2,30}\??$|\bwhat does (?:your|the) company do\b",
    re.I,
)
_THANKS = re.compile(r"\b(?:thank you|thanks|thank u|thx|appreciate (?:your|you|it|this))\b", re.I)
REFERRAL = re.compile(
    r"\b(?:who else|anyone else|anybody else|someone else|other people)\b.*\b(?:talk|speak|reach|contact|meet|connect)\b|"
    r"\b(?:introduce me|introduction to)\b|\brecommend (?:anyone|someone|people)\b",
    re.I,
)


def _similarities(text: str, others: list[str]) -> list[float]:
    """Cosine similarity of ``text`` to each of ``others`` (one embedding call)."""
    from knowledge.embeddings import MiniLMEmbedder

    vectors = MiniLMEmbedder.shared().embed([text, *others])
    return [float(vectors[0] @ v) for v in vectors[1:]]


def covered_topics(critiques: list[Critique]) -> list[str]:
    """The seed's topics that the questions were about (job requests and non-questions cover none)."""
    topics = {c.topic for c in critiques if not {"asks_for_job", "not_a_question"} & set(c.flags)}
    return [t for t in SEED_TOPICS if t in topics]


_DANGLING = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "with",
    "such",
    "as",
    "for",
    "in",
    "on",
    "at",
    "by",
    "that",
    "which",
}


def key_phrase(answer: str) -> str | None:
    """The most specific clause of an answer, turned to the second person, to quote back."""
    best, best_score = None, 0
    for sentence in re.split(r"(?<=[.!?])\s+", answer):
        clause = re.split(r"[;:—–]|, (?:and|but|which|so) ", sentence)[0].strip(" .!?")
        words = clause.split()
        if len(words) < 4 or words[0].lower() in {"if", "when", "so", "but", "and", "yes", "no", "well", "honestly"}:
            continue
        if len([w for w in content_words(clause) if len(w) >= 5]) < 2:
            continue
        score = len(content_words(clause)) + sum(1 for w in words[1:] if w[:1].isupper())
        if score > best_score:
            kept = words[:14]
            while kept and kept[-1].lower().strip(",") in _DANGLING:
                kept.pop()
            best, best_score = " ".join(kept).rstrip(","), score
    if not best:
        return None
    swaps = {
        "i": "you",
        "i'm": "you're",
        "i've": "you've",
        "my": "your",
        "me": "you",
        "we": "your team",
        "our": "your",
        "us": "your team",
    }
    phrase = " ".join(swaps.get(w.lower(), w) for w in best.split())
    return phrase[:1].lower() + phrase[1:] if not phrase[:2].isupper() else phrase


def critique_in_context(question: str, history: list[Any], persona: Persona | None = None) -> Critique:
    """Judge ``question`` after ``history`` (earlier turns with ``question``, ``answer``, ``critique``).

    Returns the critic's judgement with the conversation's flags added to ``flags``, the
    ``credits`` it earned, the score adjusted, and a rewrite that uses the conversation when it can.
    """
    role = persona.role.replace("-", " ") if persona and persona.role else None
    history = [t for t in history if not getattr(t, "partial", False)]  # a cut-off try is not a question asked
    base = critique(question, role)
    flags = list(base.flags)
    credits: list[str] = []
    notes: list[str] = []
    last_answer = history[-1].answer if history else ""
    asked = set(content_words(question))

    if "not_a_question" in base.flags and _THANKS.search(question):
        # Thanking them is how a good conversation ends, not a missing question.
        return replace(
            base,
            score=5,
            flags=[],
            credits=["closes_well"],
            rewrite=None,
            feedback=VOCABULARY.flag["closes_well"].feedback,
        )
    cued = bool(history and _FOLLOW_CUE.search(question))
    echoes = len({w for w in asked & content_words(last_answer) if len(w) >= 5}) >= 2
    if history and (cued or (echoes and "too_long" not in base.flags)):
        credits.append("follows_up")
    specific = SPECIFIC.search(question) or re.search(r"\b[A-Z][a-z]+[A-Z]\w*\b|\b[A-Z]{2,}\b", question)
    if specific and "googleable" not in base.flags:
        credits.append("shows_research")
    if history and not cued and not base.flags:
        similarities = _similarities(question, [t.question for t in history])
        for n, (turn, similarity) in enumerate(zip(history, similarities, strict=True), 1):
            same_topic = turn.critique.topic == base.topic != "other"
            if similarity >= 0.75 or (same_topic and similarity >= 0.6):
                flags.append("repeated")
                credits = [c for c in credits if c != "follows_up"]
                notes.append(VOCABULARY.flag["repeated"].feedback.format(earlier=n))
                break
    if "closed" in base.flags and len(history) >= 2 and all("closed" in t.critique.flags for t in history[-2:]):
        flags.append("closed_streak")
        notes.append(VOCABULARY.flag["closed_streak"].feedback)
    if (
        persona
        and persona.seniority in ("senior", "executive")
        and ("googleable" in base.flags or _BASIC.search(question))
    ):
        flags.append("too_basic_for_seniority")
        notes.append(VOCABULARY.flag["too_basic_for_seniority"].feedback)

    score = base.score
    if not flags and credits:
        score = min(5, score + 1)
    if "repeated" in flags:
        score = min(score, 2)
    score -= sum(1 for f in ("closed_streak", "too_basic_for_seniority") if f in flags)
    if flags:
        score = min(score, 3)
    feedback = [base.feedback] if base.flags or not credits else []
    feedback += notes + [VOCABULARY.flag[c].feedback for c in credits if not flags]
    rewrite = base.rewrite
    declined = bool(history) and "asks_for_job" in history[-1].critique.flags  # our fixed reply
    if flags and last_answer and not declined and "asks_for_job" not in flags and "repeated" not in flags:
        phrase = key_phrase(last_answer)
        if phrase:
            candidate = f"You mentioned {phrase} — {VOCABULARY.topic(base.topic).follow_up}"
            if not critique(candidate).flags:
                rewrite = candidate[:1].upper() + candidate[1:]
    if flags and not rewrite:  # also when the last answer had nothing to quote back
        rewrite = critique("").rewrite
    return replace(
        base,
        score=max(1, min(5, score)),
        flags=flags,
        credits=credits,
        feedback=" ".join(feedback) or base.feedback,
        rewrite=rewrite,
    )


# --------------------------------------------------------------------------- the report


@dataclass
class Improvement:
    question: str
    why: str
    better: str


@dataclass
class Report:
    questions: list[Critique]
    covered: list[str]
    missing: list[str]
    goal_topics: list[str]
    goal_missing: list[str]
    minutes_used: float
    minutes_asked: int
    over_time: bool
    asked_referral: bool
    thanked: bool
    asked_for_job: bool
    follow_ups: int
    repeated: int
    closed_streak: bool
    improvements: list[Improvement]
    breakdown: dict[str, float]
    overall: int
    band: str
    strengths: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The session's score on the app's one scale, out of 5 (``overall`` weighs it out of 100)."""
        return round(self.overall / 20, 1)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["questions"] = [q.to_dict() for q in self.questions]
        return data

    def markdown(self) -> str:
        if not self.questions:
            return "### Session report\nNo questions yet: ask at least one question, then end the session."
        label = lambda ts: ", ".join(TOPIC_LABELS[t] for t in ts)  # noqa: E731
        lines = [
            "### Session report",
            f"**Overall: {self.score:.1f} of 5 ({self.band})** — every score is out of 5; this one also counts "
            "the core topics, follow-ups, asking who else to talk to, thanking them and keeping time.",
            "",
            "| # | your question | score | flags | credits |",
            "|---|---|---|---|---|",
        ]
        for n, q in enumerate(self.questions, 1):
            flags = ", ".join(f.replace("_", " ") for f in q.flags) or "–"
            credits = ", ".join(c.replace("_", " ") for c in q.earned) or "–"
            lines.append(f"| Q{n} | {q.question.replace('|', '/')} | {q.score}/5 | {flags} | {credits} |")
        lines += [
            "",
            f"**Core topics covered:** {label(self.covered) or 'none'}. **Missing:** {label(self.missing) or 'none'}.",
        ]
        if self.goal_topics:
            lines += [
                "",
                f"**Your goal** touches {label(self.goal_topics)}"
                + (f"; not yet asked about: {label(self.goal_missing)}." if self.goal_missing else "; all covered."),
            ]
        lines += [
            "",
            f"**Time:** about {self.minutes_used:.0f} of the {self.minutes_asked} minutes you asked for"
            + (" — over time." if self.over_time else "."),
            "",
            f"**Asked who else to talk to:** {'yes' if self.asked_referral else 'no'} · "
            f"**Thanked them:** {'yes' if self.thanked else 'no'} · "
            f"**Asked for a job:** {'yes — avoid this' if self.asked_for_job else 'no'} · "
            f"**Follow-ups:** {self.follow_ups} · **Repeats:** {self.repeated}",
        ]
        if self.strengths:
            lines += ["", "**What worked:**"] + [f"- {s}" for s in self.strengths]
        if self.improvements:
            lines += ["", "**Three things to do better:**"]
            for imp in self.improvements:
                asked = f"You asked “{imp.question}”: " if imp.question else ""
                lines.append(f"- {asked}{imp.why} Try: “{imp.better}”")
        return "\n".join(lines)


def goal_topics(goal: str) -> list[str]:
    named = mentioned_topics(goal)
    found = [t for t in SEED_TOPICS if t in named]
    main = classify_topic(goal)
    if main in SEED_TOPICS and main not in found:
        found.append(main)
    return [t for t in SEED_TOPICS if t in found]


# The most each part of a session's score can add, out of 100 (repeats only take away: 5 each).
PART_MOST = {
    "questions": 40.0,
    "coverage": 20.0,
    "follow_ups": 10.0,
    "referral": 10.0,
    "closing": 5.0,
    "time": 10.0,
    "conduct": 5.0,
}


def band(score: float) -> str:
    return "poor" if score < 40 else "fair" if score < 65 else "good" if score < 85 else "excellent"


def judge_session(turns: list[Any], persona: Persona | None) -> list[Critique]:
    """Each question's critique in the context of the turns before it."""
    judged = []

    @dataclass
    class _Past:
        question: str
        answer: str
        critique: Critique

    past: list[_Past] = []
    for turn in turns:
        c = critique_in_context(turn.question, past, persona)
        judged.append(c)
        past.append(_Past(turn.question, turn.answer, c))
    return judged


def build_report(turns: list[Any], persona: Persona | None, goal: str = "", minutes: int | None = None) -> Report:
    minutes = minutes or DEFAULT_MINUTES
    turns = [t for t in turns if not getattr(t, "partial", False)]  # cut-off answers were asked again
    judged = judge_session(turns, persona)
    covered = covered_topics(judged)
    missing = [t for t in SEED_TOPICS if t not in covered]
    wanted = goal_topics(goal) if goal else []
    words = sum(len(t.question.split()) + len(t.answer.split()) for t in turns)
    used = round(words / WORDS_PER_MINUTE + PAUSE_MIN_PER_TURN * len(turns), 1)
    asked_referral = any(
        REFERRAL.search(t.question) and "asks_for_job" not in c.flags for t, c in zip(turns, judged, strict=False)
    )
    thanked = any(_THANKS.search(t.question) for t in turns)
    asked_for_job = any("asks_for_job" in c.flags for c in judged)
    follow_ups = sum(1 for c in judged if "follows_up" in c.earned)
    repeated = sum(1 for c in judged if "repeated" in c.flags)
    closed_streak = any("closed_streak" in c.flags for c in judged)
    over_time = used > minutes

    scored = [c.score for c in judged if "closes_well" not in c.earned]
    mean = sum(scored) / len(scored) if scored else 1.0
    # Weights calibrated on evals/labelled_sessions.yaml (python -m evals.session_eval): an average
    # question score of 2.5 or less earns nothing; keeping to the time and asking who else to
    # talk to weigh as much as they do in the rubric (criteria 13 and 15).
    most = PART_MOST
    breakdown = {
        "questions": round(max(0.0, (mean - 2.5) / 2.5) * most["questions"], 1),
        "coverage": round(len(covered) / len(SEED_TOPICS) * most["coverage"], 1),
        "follow_ups": round(min(follow_ups, 3) / 3 * most["follow_ups"], 1),
        "referral": most["referral"] if asked_referral else 0.0,
        "closing": most["closing"] if thanked else 0.0,
        "time": most["time"] if not over_time else 0.0,
        "conduct": 0.0 if asked_for_job else (most["conduct"] / 2 if closed_streak else most["conduct"]),
        "repeats": -5.0 * repeated if repeated else 0.0,
    }
    overall = max(0, min(100, round(sum(breakdown.values()))))
    if asked_for_job:
        overall = min(overall, 39)  # asking for a job in an informational interview is a poor session

    improvements: list[Improvement] = []
    for c in sorted((c for c in judged if c.flags and c.rewrite), key=lambda c: c.score):
        if len(improvements) == 3:
            break
        if c.question not in {i.question for i in improvements}:
            improvements.append(Improvement(c.question, c.feedback.split(". ")[0].rstrip(".") + ".", c.rewrite))
    # Good questions can still go deeper: a follow-up on what the answer said.
    for turn, c in sorted(zip(turns, judged, strict=False), key=lambda tc: tc[1].score):
        if len(improvements) >= 3 - (0 if asked_referral else 1):
            break
        if c.flags or set(c.earned) & {"follows_up", "closes_well"}:
            continue
        phrase = key_phrase(turn.answer)
        candidate = f"You mentioned {phrase} — {VOCABULARY.topic(c.topic).follow_up}" if phrase else ""
        if candidate and not critique(candidate).flags:
            improvements.append(
                Improvement(turn.question, "A good question; the answer deserved a follow-up.", candidate)
            )
    if len(improvements) < 3 and not asked_referral and turns:
        improvements.append(
            Improvement(
                "",
                "You never asked who else to talk to.",
                "Is there anyone else you think I should talk to?",
            )
        )
    # What went well: questions that earned extra credit first, then any other unflagged question of 4 or 5.
    good = [c for c in judged if not c.flags and c.earned] + [
        c for c in judged if not c.flags and not c.earned and c.score >= 4
    ]
    strengths = [f"“{c.question}” — {c.feedback}" for c in good][:2]
    return Report(
        questions=judged,
        covered=covered,
        missing=missing,
        goal_topics=wanted,
        goal_missing=[t for t in wanted if t not in covered],
        minutes_used=used,
        minutes_asked=minutes,
        over_time=over_time,
        asked_referral=asked_referral,
        thanked=thanked,
        asked_for_job=asked_for_job,
        follow_ups=follow_ups,
        repeated=repeated,
        closed_streak=closed_streak,
        improvements=improvements[:3],
        breakdown=breakdown,
        overall=overall,
        band=band(overall),
        strengths=strengths,
    )


def checked_rewording(model: Any, prompt: str, role: str | None = None, max_words: int = 30) -> str | None:
    """A capable model's rewording of a question, or None when it fails, runs long or the critic
    flags it: the model may improve the words, never contradict the rules' decisions."""
    try:
        reply = model.invoke(prompt)
    except Exception:  # noqa: BLE001 - the rule-based wording stands
        return None
    text = " ".join(str(reply.content).split()).strip('"“” ')
    return text if text and len(text.split()) <= max_words and not critique(text, role).flags else None


def polish(report: Report, model: Any) -> Report:
    """Let a capable chat model reword each suggested better version (checked by the critic)."""
    from prompts import render

    for imp in report.improvements:
        if imp.question:
            prompt = render("coach", "polish_rewrite", question=imp.question, why=imp.why, better=imp.better)
            imp.better = checked_rewording(model, prompt) or imp.better
    return report


# --------------------------------------------------------------------------- ask the coach


def rubric_criteria(path: Path = RUBRIC_PATH) -> dict[int | str, str]:
    """The rubric's numbered criteria (first sentence, with its sources), and its HCD-buddy note."""
    text = path.read_text(encoding="utf-8")
    criteria: dict[int | str, str] = {}
    for m in re.finditer(r"^(\d{1,2})\.\s+(.+?)(?=^\d{1,2}\.|^#|\Z)", text, re.M | re.S):
        body = " ".join(m.group(2).split())
        end = body.find(". ", 20)
        criteria[int(m.group(1))] = body if end < 0 else body[: end + 1]
    streak = re.search(r"^- (HCD-buddy.+?)(?=^- |\Z)", text, re.M | re.S)
    if streak:
        criteria["closed_streak"] = " ".join(streak.group(1).split())
    return criteria


def ask_coach(report: Report, asked: str) -> str:
    """Why a question got its score, citing the rubric and the seeker's own words."""
    if not report.questions:
        return "There are no questions in this session yet."
    m = re.search(r"\bq(?:uestion)?\s*#?\s*(\d{1,2})\b", asked, re.I)
    if m and 1 <= int(m.group(1)) <= len(report.questions):
        n = int(m.group(1))
    else:
        overlap = [len(content_words(asked) & content_words(q.question)) for q in report.questions]
        n = (
            (overlap.index(max(overlap)) + 1)
            if max(overlap) >= 1
            else min(range(1, len(report.questions) + 1), key=lambda i: report.questions[i - 1].score)
        )
    q = report.questions[n - 1]
    criteria = rubric_criteria()
    lines = [f"Q{n}, “{q.question}”, got {q.score}/5."]
    reasons = q.flags + q.earned
    if not reasons:
        lines.append(
            f"It is open, about {TOPIC_LABELS[q.topic]}, and has none of the problems the rubric lists, so it scores well. "
            f"To reach 5/5, build on something they said or on your research ({criteria.get(10, '')})"
        )
    for reason in reasons:
        number = VOCABULARY.flag[reason].rubric
        where = f"Rubric {number}" if isinstance(number, int) else "The rubric's nearby measures"
        cite = f" {where}: “{criteria[number]}”" if number in criteria else ""
        verb = "counts for it" if reason in CREDITS else "counts against it"
        lines.append(f"- {reason.replace('_', ' ')} {verb}.{cite}")
    if q.feedback:
        lines.append(f"In your words: “{q.question}” — {q.feedback}")
    if q.rewrite:
        lines.append(f"A better version: “{q.rewrite}”")
    return "\n".join(lines)
