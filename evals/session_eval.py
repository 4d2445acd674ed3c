"""The coach's report against labelled whole sessions: agreement per fact, and how well the
overall score ranks the sessions (Spearman's rank correlation with the labelled overall scores).

    python -m evals.session_eval
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel

from agents.coach import SEED_TOPICS, build_report
from core.defaults import DEFAULT_MINUTES
from knowledge.personas import get_persona

__all__ = [
    "BOOLEAN_FACTS",
    "COUNT_FACTS",
    "SESSIONS",
    "evaluate",
    "Expect",
    "LabelledSession",
    "LabelledTurn",
    "load_sessions",
    "main",
    "SessionEval",
    "spearman",
]

SESSIONS = Path(__file__).parent / "labelled_sessions.yaml"
BOOLEAN_FACTS = ("asked_referral", "thanked", "asked_for_job", "closed_streak", "over_time")
COUNT_FACTS = ("follow_ups", "repeated")


class LabelledTurn(BaseModel):
    question: str
    answer: str


class Expect(BaseModel):
    covered: list[str]
    asked_referral: bool
    thanked: bool
    asked_for_job: bool
    follow_ups: int
    repeated: int
    closed_streak: bool
    over_time: bool
    overall: int
    band: str


class LabelledSession(BaseModel):
    id: str
    persona: str
    goal: str = ""
    minutes: int = DEFAULT_MINUTES
    turns: list[LabelledTurn]
    expect: Expect
    note: str | None = None


def load_sessions(path: Path = SESSIONS) -> list[LabelledSession]:
    return [LabelledSession.model_validate(s) for s in yaml.safe_load(path.read_text(encoding="utf-8"))["sessions"]]


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = _ranks(a), _ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else 0.0


@dataclass
class SessionEval:
    n: int
    agreement: dict[str, float]
    spearman: float
    band_agreement: float
    misses: list[str]

    def table(self) -> str:
        lines = [f"coach report on {self.n} labelled sessions", f"{'fact':<26}{'agreement':>10}"]
        lines += [f"{fact:<26}{value:>10.3f}" for fact, value in self.agreement.items()]
        lines.append(f"{'overall: Spearman rho':<26}{self.spearman:>10.3f}")
        lines.append(f"{'overall: same band':<26}{self.band_agreement:>10.3f}")
        return "\n".join(lines)


def evaluate(sessions: list[LabelledSession]) -> SessionEval:
    hits: dict[str, list[bool]] = {}
    got_scores, want_scores, same_band, misses = [], [], [], []
    for s in sessions:
        report = build_report(s.turns, get_persona(s.persona), s.goal, s.minutes)
        e = s.expect
        for topic in SEED_TOPICS:  # per topic: covered or not
            hits.setdefault("covered (per topic)", []).append((topic in report.covered) == (topic in e.covered))
        for fact in BOOLEAN_FACTS:
            ok = getattr(report, fact) == getattr(e, fact)
            hits.setdefault(fact, []).append(ok)
            if not ok:
                misses.append(f"{s.id} {fact}: got {getattr(report, fact)}, label {getattr(e, fact)}")
        for fact in COUNT_FACTS:
            ok = abs(getattr(report, fact) - getattr(e, fact)) <= (1 if fact == "follow_ups" else 0)
            hits.setdefault(f"{fact} (exact{' ±1' if fact == 'follow_ups' else ''})", []).append(ok)
            if not ok:
                misses.append(f"{s.id} {fact}: got {getattr(report, fact)}, label {getattr(e, fact)}")
        got_scores.append(report.overall)
        want_scores.append(e.overall)
        same_band.append(report.band == e.band)
        if report.band != e.band:
            misses.append(f"{s.id} band: got {report.band} ({report.overall}), label {e.band} ({e.overall})")
    return SessionEval(
        n=len(sessions),
        agreement={k: sum(v) / len(v) for k, v in hits.items()},
        spearman=spearman(got_scores, want_scores),
        band_agreement=sum(same_band) / len(same_band),
        misses=misses,
    )


def main(argv: list[str] | None = None) -> int:
    result = evaluate(load_sessions())
    print(result.table())
    if "-v" in (argv if argv is not None else sys.argv[1:]):
        print("\n".join(result.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
