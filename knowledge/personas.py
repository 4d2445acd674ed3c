"""Persona cards: one YAML file per informant in ``knowledge/personas/``."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ValidationError

PERSONAS_DIR = Path(__file__).parent / "personas"
NOTES_DIR = Path(__file__).parent / "notes"
log = logging.getLogger("mock_informant")


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


class PersonaError(ValueError):
    pass


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


def user_personas_dir() -> Path:
    from agents.settings import get_settings

    return get_settings().home / "personas"


def load_personas() -> dict[str, Persona]:
    """The built-in personas and the user's own (re-read when that folder changes)."""
    directory = user_personas_dir()
    personas = dict(_builtin())
    if directory.is_dir():
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.yaml")))
        for pid, persona in _user(directory, stamp).items():
            personas.setdefault(pid, persona)  # a built-in id can't be shadowed
    return personas


@lru_cache(maxsize=1)
def industry_names() -> dict[str, str]:
    """Display names of the industries, from the notes' front matter (industry_name)."""
    names: dict[str, str] = {}
    for path in sorted(NOTES_DIR.rglob("*.md")):
        match = re.search(r"^industry_name:\s*(.+)$", path.read_text(encoding="utf-8")[:500], re.MULTILINE)
        if match:
            names.setdefault(path.parent.name, match.group(1).strip().strip("'\""))
    return names


def roles() -> dict[str, tuple[str, str]]:
    """role id -> (industry, role name), for every built-in notes file."""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(NOTES_DIR.rglob("*.md")):
        match = re.search(r"^role_name:\s*(.+)$", path.read_text(encoding="utf-8")[:500], re.MULTILINE)
        out[path.stem] = (path.parent.name, match.group(1).strip() if match else path.stem.replace("-", " "))
    return out


def get_persona(persona_id: str) -> Persona:
    personas = load_personas()
    if persona_id not in personas:
        raise PersonaError(
            f"Unknown persona '{persona_id}'. Fix: pick one of: {', '.join(sorted(personas))} "
            "(see `informant personas`)."
        )
    return personas[persona_id]


def persona_or_placeholder(persona_id: str) -> Persona:
    """The persona, or, when it was deleted, a stand-in so that old sessions stay readable."""
    try:
        return get_persona(persona_id)
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


def industries() -> list[str]:
    return sorted({p.industry for p in load_personas().values()})
