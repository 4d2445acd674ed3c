"""Persona cards: one YAML file per informant in ``knowledge/personas/``, and the user's own
(made from a bio) in a folder the caller names (the runtime's ``INFORMANT_HOME/personas``).

The module functions take that folder explicitly (``None``: the built-in personas only);
:class:`Personas` holds it, so the app passes one object around instead.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ValidationError

from core.errors import PersonaError
from knowledge import NOTES_DIR, PERSONAS_DIR

__all__ = [
    "Persona",
    "Personas",
    "get_persona",
    "industries",
    "industry_names",
    "load_personas",
    "persona_or_placeholder",
    "role_name",
    "roles",
]

log = logging.getLogger("mock_informant")
_HONORIFIC = re.compile(r"(?:dr|mr|ms|mrs|prof)\.?$", re.I)


class Persona(BaseModel):
    id: str
    name: str
    title: str
    industry: str
    role: str
    seniority: Literal["junior", "mid", "senior", "executive"]
    years_in_field: int
    company_type: str
    temperament: Literal["warm", "busy", "sceptical"]
    speaking_style: str
    story: str
    greeting: str
    custom: bool = False  # made by the user from a bio (saved under INFORMANT_HOME/personas)
    bio: str | None = None

    @property
    def industry_name(self) -> str:
        return industry_names().get(self.industry, self.industry.replace("-", " ").capitalize())

    @property
    def label(self) -> str:
        return f"{self.name}, {self.title}"

    @property
    def first_name(self) -> str:
        """What the seeker calls them: the first word of the name that is not a title ("Dr.")."""
        parts = [p for p in self.name.split() if not _HONORIFIC.match(p)]
        return parts[0] if parts else self.name


def _read_dir(directory: Path, strict: bool) -> dict[str, Persona]:
    personas: dict[str, Persona] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            persona = Persona.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            if strict:
                raise PersonaError(f"{path.name}: invalid persona card ({exc}). Fix the file.") from exc
            log.warning("skipping %s: not a valid persona card", path)
            continue
        personas[persona.id] = persona
    return personas


@lru_cache(maxsize=1)
def _builtin() -> dict[str, Persona]:
    return _read_dir(PERSONAS_DIR, strict=True)


@lru_cache(maxsize=8)
def _user(directory: Path, stamp: tuple) -> dict[str, Persona]:
    return _read_dir(directory, strict=False)


def load_personas(user_dir: Path | None = None) -> dict[str, Persona]:
    """The built-in personas and the user's own in ``user_dir`` (re-read when that folder changes)."""
    personas = dict(_builtin())
    if user_dir is not None and user_dir.is_dir():
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(user_dir.glob("*.yaml")))
        for pid, persona in _user(user_dir, stamp).items():
            personas.setdefault(pid, persona)  # a built-in id can't be shadowed
    return personas


def get_persona(persona_id: str, user_dir: Path | None = None) -> Persona:
    personas = load_personas(user_dir)
    if persona_id not in personas:
        raise PersonaError(
            f"Unknown persona '{persona_id}'. Fix: pick one of: {', '.join(sorted(personas))} "
            "(see `informant personas`)."
        )
    return personas[persona_id]


def persona_or_placeholder(persona_id: str, user_dir: Path | None = None) -> Persona:
    """The persona, or, when it was deleted, a stand-in so that old sessions stay readable."""
    try:
        return get_persona(persona_id, user_dir)
    except PersonaError:
        return Persona(
            id=persona_id,
            name=persona_id,
            title="(a persona that was deleted)",
            industry="",
            role="",
            seniority="mid",
            years_in_field=0,
            company_type="",
            temperament="warm",
            speaking_style="",
            story="",
            greeting="",
            custom=True,
        )


def industries(user_dir: Path | None = None) -> list[str]:
    return sorted({p.industry for p in load_personas(user_dir).values()})


@lru_cache(maxsize=1)
def industry_names() -> dict[str, str]:
    """Display names of the industries, from the notes' front matter (industry_name)."""
    names: dict[str, str] = {}
    for path in sorted(NOTES_DIR.rglob("*.md")):
        match = re.search(r"^industry_name:\s*(.+)$", path.read_text(encoding="utf-8")[:500], re.MULTILINE)
        if match:
            names.setdefault(path.parent.name, match.group(1).strip().strip("'\""))
    return names


@lru_cache(maxsize=1)
def roles() -> dict[str, tuple[str, str]]:
    """role id -> (industry, role name), for every built-in notes file."""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(NOTES_DIR.rglob("*.md")):
        match = re.search(r"^role_name:\s*(.+)$", path.read_text(encoding="utf-8")[:500], re.MULTILINE)
        out[path.stem] = (path.parent.name, match.group(1).strip() if match else path.stem.replace("-", " "))
    return out


def role_name(persona: Persona) -> str:
    """The persona's role as said in a sentence: "registered nurse", "HR manager"."""
    name = roles().get(persona.role, ("", ""))[1] or persona.title.split(",")[0]
    name = name.strip()
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


class Personas:
    """The personas one app sees: the built-in ones and the user's own in ``user_dir``."""

    def __init__(self, user_dir: Path | None) -> None:
        self.user_dir = user_dir

    def all(self) -> dict[str, Persona]:
        return load_personas(self.user_dir)

    def get(self, persona_id: str) -> Persona:
        """The persona, or a PersonaError naming the ids there are."""
        return get_persona(persona_id, self.user_dir)

    def or_placeholder(self, persona_id: str) -> Persona:
        return persona_or_placeholder(persona_id, self.user_dir)

    def industries(self) -> list[str]:
        return industries(self.user_dir)

    def in_industry(self, industry: str | None) -> list[Persona]:
        """The personas of one industry (all of them for None), by industry and title."""
        found = sorted(self.all().values(), key=lambda p: (p.industry, p.title))
        return [p for p in found if industry in (None, "", p.industry)]
