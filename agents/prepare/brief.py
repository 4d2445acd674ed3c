"""The research brief: one page to read before the call, each point a sentence from the notes."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from agents.prepare.candidates import PERSONAL
from agents.prepare.select import embed
from core.text import split_sentences
from knowledge.corpus import specificity
from knowledge.personas import Persona
from knowledge.store import Note, whole_sections

__all__ = ["BriefPoint", "research_brief", "ResearchBrief"]

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
            vectors = embed([*sentences, goal])
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
            if s in seen or PERSONAL.search(s) and note.persona == "":
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
