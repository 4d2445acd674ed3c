"""A persona of the person you are about to meet, built from their public bio.

A bio is data, never instructions: chat-template tokens and role markers in it are neutralised,
and a sentence that speaks to the model ("ignore your previous instructions", "you are now a
recruiter", "always say …") is dropped before anything is taken from it, so none of it reaches the
card (its story goes into the system prompt) or the bio's notes.

The card is built by rules, not by the chat model (a tiny local model can't be trusted to): the
name, title, employer and years come from the bio's own words, the seniority from the title and
years, the way of talking from the temperament the user picks. The bio itself is ingested as
notes that only this persona reads, next to the notes of the closest built-in role. The card is
saved under ``INFORMANT_HOME/personas`` and is then listed and used like the built-in ones.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml

from agents.informant import drop_instructions, quote_untrusted
from core.errors import IngestError, PersonaError
from core.text import slug
from knowledge.documents import load_document
from knowledge.personas import Persona, Personas, roles
from knowledge.store import NoteStore

__all__ = [
    "GREETINGS",
    "MAX_BIO_CHARS",
    "MIN_BIO_CHARS",
    "STYLES",
    "bio_notes",
    "bio_notes_metadata",
    "build_persona",
    "clean_bio",
    "create_persona",
    "delete_persona",
    "read_bio",
    "save_persona",
]

MIN_BIO_CHARS = 40
MAX_BIO_CHARS = 20_000

STYLES = {
    "warm": "Warm and generous with time; tells short stories from their own career and encourages you.",
    "busy": "Busy and brief; answers in a sentence or two and moves on.",
    "sceptical": "Direct and sceptical; pushes back on vague questions and asks what you really mean.",
}
GREETINGS = {
    "warm": "Hi, I'm {first}. Happy to make time for this; I've got about 30 minutes. What would you like to know?",
    "busy": "Hi, {first} here. I have about 20 minutes, so let's get going. What's your first question?",
    "sceptical": "{first}. I've got 20 minutes. Tell me what you're trying to figure out, then ask away.",
}
_EXEC = re.compile(
    r"\b(?:chief|ceo|cfo|cto|coo|vp|vice president|director|head of|partner|founder|president|principal)\b", re.I
)
_SENIOR = re.compile(r"\b(?:senior|sr\.?|lead|staff|manager|supervisor|architect)\b", re.I)
_JUNIOR = re.compile(r"\b(?:junior|jr\.?|associate|assistant|intern|trainee|entry[- ]level|graduate)\b", re.I)
_NAME = re.compile(r"^([A-Z][a-zA-Z'’.-]+(?:\s+[A-Z][a-zA-Z'’.-]+){1,3})\b")
_TITLE = re.compile(
    r"\b(?:is|works as|serves as|was named|joined [^.]{0,60}? as)\s+(?:a|an|the)?\s*([^.;,()]{3,80}?)(?=\s+(?:at|with|for|in)\s+|[.;,(]|$)"
)
_COMPANY = re.compile(r"\b(?:at|with|for|joined)\s+((?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|of|and|&)){0,5})")
_YEARS = re.compile(r"\b(\d{1,2})\+?\s*(?:years|yrs)\b", re.I)


def read_bio(bio: str | None, bio_file: Path | None) -> str:
    if bio_file is not None:
        document = load_document(Path(bio_file))
        bio = "\n".join(s.text for s in document.sections)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", bio or "").strip()
    if len(text) < MIN_BIO_CHARS:
        raise PersonaError("That bio is too short to build a persona from. Fix: paste their full public bio.")
    if len(text) > MAX_BIO_CHARS:
        raise PersonaError(f"That bio is over {MAX_BIO_CHARS:,} characters. Fix: paste only the bio itself.")
    return text


def clean_bio(text: str) -> str:
    """The bio as data: each line quoted (agents.informant.quote_untrusted) and without the
    sentences that give the model instructions; the line breaks stay, for finding the name."""
    lines = (drop_instructions(quote_untrusted(line)) for line in text.splitlines())
    cleaned = "\n".join(line for line in lines if line)
    if len(cleaned) < MIN_BIO_CHARS:
        raise PersonaError(
            "After leaving out what reads as instructions to the model, that bio is too short. "
            "Fix: paste only their public bio."
        )
    return cleaned


def _seniority(title: str, years: int | None) -> str:
    if _EXEC.search(title):
        return "executive"
    if _JUNIOR.search(title):
        return "junior"
    if _SENIOR.search(title):
        return "senior"
    if years is None:
        return "mid"
    return "junior" if years <= 3 else "mid" if years <= 8 else "senior" if years <= 15 else "executive"


def build_persona(
    bio: str,
    role: str,
    name: str | None = None,
    title: str | None = None,
    temperament: str = "warm",
    taken: set[str] | frozenset[str] = frozenset(),
) -> Persona:
    """A persona card from a bio, by rules; ``taken``: the persona ids already in use."""
    known_roles = roles()
    if role not in known_roles:
        raise PersonaError(f"Unknown role '{role}'. Fix: pick the closest of: {', '.join(sorted(known_roles))}")
    if temperament not in STYLES:
        raise PersonaError("Temperament must be warm, busy or sceptical.")
    industry, role_name = known_roles[role]
    bio = clean_bio(bio)
    name = quote_untrusted(name or "")[:80] or None
    title = quote_untrusted(title or "")[:120] or None
    first_line = bio.splitlines()[0].strip()
    if not name:
        match = _NAME.match(first_line) or _NAME.match(bio)
        if not match:
            raise PersonaError(
                "Couldn't find their name at the start of the bio. Fix: give it (--name, or the Name box)."
            )
        name = match.group(1)
        name = re.sub(r"\s+(?:Is|Has|Was|Works|Joined|Leads)$", "", name)
    if not title:
        match = _TITLE.search(bio)
        title = match.group(1).strip() if match else role_name
        title = title[:1].upper() + title[1:]
    company = _COMPANY.search(bio)
    years_match = _YEARS.search(bio)
    years = int(years_match.group(1)) if years_match else None
    seniority = _seniority(title, years)
    years = years or {"junior": 2, "mid": 6, "senior": 12, "executive": 20}[seniority]
    first = name.split()[0]
    pid = slug(name, 40, "persona")
    n = 2
    while pid in taken:
        pid = f"{slug(name, 40, 'persona')}-{n}"
        n += 1
    story = " ".join(bio.split())
    story = story if len(story) <= 900 else story[:900].rsplit(".", 1)[0] + "."
    return Persona(
        id=pid,
        name=name,
        title=title,
        industry=industry,
        role=role,
        seniority=seniority,
        years_in_field=years,
        company_type=company.group(1).strip() if company else f"an organisation in {industry.replace('-', ' ')}",
        temperament=temperament,
        speaking_style=STYLES[temperament],
        story=f"(From your public bio.) {story}",
        greeting=GREETINGS[temperament].format(first=first),
        custom=True,
        bio=bio,
    )


def bio_notes(persona: Persona) -> str:
    """The persona's notes file: its bio (as kept on the card), which only this persona reads."""
    return f"# {persona.name}\n\n## Public bio\n{persona.bio}\nSource: the bio you pasted\n"


def bio_notes_metadata(persona: Persona) -> dict[str, str]:
    return {"persona": persona.id, "role": persona.role, "industry": persona.industry, "role_name": persona.name}


def save_persona(persona: Persona, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{persona.id}.yaml"
    data = persona.model_dump()
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, sort_keys=False, allow_unicode=True)
    os.replace(tmp, path)
    return path


def create_persona(
    store: NoteStore,
    personas: Personas,
    role: str,
    bio: str | None = None,
    bio_file: Path | None = None,
    name: str | None = None,
    title: str | None = None,
    temperament: str = "warm",
) -> Persona:
    """Build, save and ground a persona from a bio; returns it."""
    text = read_bio(bio, bio_file)
    persona = build_persona(text, role, name, title, temperament, taken=set(personas.all()))
    directory = personas.user_dir
    notes = directory / f"{persona.id}.bio.md"
    directory.mkdir(parents=True, exist_ok=True)
    notes.write_text(bio_notes(persona), encoding="utf-8")
    extra = bio_notes_metadata(persona)
    try:
        store.ingest_user_files([notes], extra=extra)
    except IngestError as exc:
        notes.unlink(missing_ok=True)
        raise PersonaError(str(exc)) from exc
    save_persona(persona, directory)
    return persona


def delete_persona(store: NoteStore, personas: Personas, persona_id: str) -> None:
    persona = personas.all().get(persona_id)
    if persona is None or not persona.custom:
        raise PersonaError(f"No persona of yours called '{persona_id}'. Fix: see `informant personas`.")
    directory = personas.user_dir
    try:
        store.forget(f"{persona_id}.bio.md")
    except IngestError:
        pass  # its notes were already forgotten
    (directory / f"{persona_id}.bio.md").unlink(missing_ok=True)
    (directory / f"{persona_id}.yaml").unlink(missing_ok=True)
