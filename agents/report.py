"""The end-of-session summary: what was asked, how well, what was covered and what to improve."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from agents.critic import TOPIC_LABELS

# The seed document's topics: what a prepared list of questions covers
# (career path, responsibilities and a typical day, skills, challenges, industry trends,
# advice for entering, resources) plus networking: asking who else to talk to.
SEED_TOPICS = (
    "career_path",
    "typical_day",
    "skills",
    "challenges",
    "industry_trends",
    "advice",
    "resources",
    "networking",
)


@dataclass
class Improvement:
    question: str
    problem: str
    better: str


@dataclass
class SessionSummary:
    questions: int
    average_score: float | None
    covered: list[str]
    missing: list[str]
    flag_counts: dict[str, int]
    improvements: list[Improvement] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def markdown(self) -> str:
        if not self.questions:
            return "### Session summary\nNo questions yet: ask at least one question, then end the session."
        lines = [
            "### Session summary",
            f"**Questions asked:** {self.questions} · **Average score:** {self.average_score:.1f} / 5",
            "",
            "**Topics covered:** " + (", ".join(TOPIC_LABELS[t] for t in self.covered) or "none of the core topics"),
            "",
            "**Not yet covered:** "
            + (", ".join(TOPIC_LABELS[t] for t in self.missing) or "nothing: every core topic came up"),
        ]
        if self.flag_counts:
            lines += [
                "",
                "**Patterns:** " + ", ".join(f"{f.replace('_', ' ')} ×{n}" for f, n in self.flag_counts.items()),
            ]
        if self.strengths:
            lines += ["", "**What worked:**"] + [f"- {s}" for s in self.strengths]
        if self.improvements:
            lines += ["", "**Top improvements:**"]
            for imp in self.improvements:
                lines.append(f"- You asked: “{imp.question}” — {imp.problem}\n  Try: “{imp.better}”")
        if "networking" in self.missing:
            lines += [
                "",
                "Before you close a real conversation, ask: “Is there anyone else you think I should talk to?”",
            ]
        return "\n".join(lines)


def summarise(critiques: list[dict[str, Any]], limit: int = 3) -> SessionSummary:
    """Summarise a session from its per-question critiques (dicts as ``Critique.to_dict()``)."""
    if not critiques:
        return SessionSummary(0, None, [], list(SEED_TOPICS), {})
    scores = [c["score"] for c in critiques]
    topics = {c["topic"] for c in critiques if not c["flags"] or c["topic"] != "other"}
    covered = [t for t in SEED_TOPICS if t in topics]
    missing = [t for t in SEED_TOPICS if t not in topics]
    flags = Counter(f for c in critiques for f in c["flags"])
    weakest = sorted((c for c in critiques if c["flags"] and c.get("rewrite")), key=lambda c: c["score"])
    improvements = [Improvement(c["question"], c["feedback"], c["rewrite"]) for c in weakest[:limit]]
    best = [c for c in critiques if not c["flags"]]
    strengths = []
    if best:
        top = max(best, key=lambda c: c["score"])
        strengths.append(f"“{top['question']}” — {top['feedback']}")
    return SessionSummary(
        questions=len(critiques),
        average_score=round(sum(scores) / len(scores), 2),
        covered=covered,
        missing=missing,
        flag_counts=dict(flags.most_common()),
        improvements=improvements,
        strengths=strengths,
    )
