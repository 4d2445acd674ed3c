"""Persona cards: one YAML file per informant in ``knowledge/personas/``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ValidationError

PERSONAS_DIR = Path(__file__).parent / "personas"


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

    @property
    def industry_name(self) -> str:
        return self.industry.replace("-", " ").title()

    @property
    def label(self) -> str:
        return f"{self.name}, {self.title}"


class PersonaError(ValueError):
    pass


@lru_cache(maxsize=4)
def load_personas(directory: Path = PERSONAS_DIR) -> dict[str, Persona]:
    personas: dict[str, Persona] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            persona = Persona.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise PersonaError(f"{path.name}: invalid persona card ({exc}). Fix the file.") from exc
        personas[persona.id] = persona
    return personas


def get_persona(persona_id: str) -> Persona:
    personas = load_personas()
    if persona_id not in personas:
        raise PersonaError(
            f"Unknown persona '{persona_id}'. Fix: pick one of: {', '.join(sorted(personas))} "
            "(see `informant personas`)."
        )
    return personas[persona_id]


def industries() -> list[str]:
    return sorted({p.industry for p in load_personas().values()})
