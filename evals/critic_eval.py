"""Measure the critic against labelled questions: precision/recall/F1 per flag, topic accuracy.

Cases are data (``critic_questions.yaml``, and ``critic_holdout.yaml``, which was written apart
and is not used to tune the rules). Run: ``python -m evals.critic_eval [FILE...]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, field_validator

from agents.critic import FLAGS, TOPICS, critique

__all__ = ["EVALS_DIR", "CriticCase", "CriticReport", "evaluate", "FlagStats", "load_cases", "main"]

EVALS_DIR = Path(__file__).parent


class CriticCase(BaseModel):
    question: str
    flags: list[str]
    topic: str
    quality: str | None = None
    note: str | None = None

    @field_validator("flags")
    @classmethod
    def _known_flags(cls, v: list[str]) -> list[str]:
        unknown = set(v) - set(FLAGS)
        if unknown:
            raise ValueError(f"unknown flags {sorted(unknown)}")
        return v

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, v: str) -> str:
        if v not in TOPICS:
            raise ValueError(f"unknown topic {v}")
        return v


def load_cases(path: Path) -> list[CriticCase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [CriticCase.model_validate(c) for c in data["cases"]]


@dataclass
class FlagStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class CriticReport:
    name: str
    cases: int = 0
    flags: dict[str, FlagStats] = field(default_factory=lambda: {f: FlagStats() for f in FLAGS})
    topic_correct: int = 0
    score_by_quality: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.flags.values()) / len(self.flags)

    @property
    def topic_accuracy(self) -> float:
        return self.topic_correct / self.cases if self.cases else 0.0

    def table(self) -> str:
        lines = [f"critic on {self.name}: {self.cases} questions", f"{'flag':<16}{'P':>6}{'R':>6}{'F1':>6}{'n':>5}"]
        for flag, s in self.flags.items():
            lines.append(f"{flag:<16}{s.precision:>6.2f}{s.recall:>6.2f}{s.f1:>6.2f}{s.tp + s.fn:>5}")
        lines.append(f"{'macro-F1':<16}{'':>12}{self.macro_f1:>6.2f}")
        lines.append(f"topic accuracy: {self.topic_accuracy:.3f}")
        for quality, scores in sorted(self.score_by_quality.items()):
            lines.append(f"mean score of '{quality}' questions: {sum(scores) / len(scores):.2f} (n={len(scores)})")
        return "\n".join(lines)


def evaluate(cases: list[CriticCase], name: str) -> CriticReport:
    report = CriticReport(name=name)
    for case in cases:
        got = critique(case.question)
        report.cases += 1
        expected, actual = set(case.flags), set(got.flags)
        for flag in FLAGS:
            stats = report.flags[flag]
            if flag in expected and flag in actual:
                stats.tp += 1
            elif flag in actual:
                stats.fp += 1
            elif flag in expected:
                stats.fn += 1
        if got.topic == case.topic:
            report.topic_correct += 1
        if case.quality:
            report.score_by_quality.setdefault(case.quality, []).append(got.score)
        if expected != actual or got.topic != case.topic:
            report.misses.append(
                f"{case.question!r}\n    expected {sorted(expected)} {case.topic}; got {sorted(actual)} {got.topic}"
            )
    return report


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    verbose = "-v" in args
    files = [Path(a) for a in args if a != "-v"] or [EVALS_DIR / "critic_questions.yaml"]
    for path in files:
        report = evaluate(load_cases(path), path.name)
        print(report.table())
        if verbose:
            print("\n".join(report.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
