"""Prompt templates live as YAML files in this folder and render strictly.

Each file maps template names to Jinja text. Rendering uses ``StrictUndefined``: a missing
variable is an error, never an empty string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

PROMPTS_DIR = Path(__file__).parent
_env = Environment(undefined=StrictUndefined, keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)


@cache
def load_prompts(name: str) -> dict[str, str]:
    data = yaml.safe_load((PROMPTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"prompts/{name}.yaml must map template names to text")
    return data


@cache
def _compiled(prompt_file: str, template: str) -> Any:
    return _env.from_string(load_prompts(prompt_file)[template])


def render(prompt_file: str, template: str, /, **variables: Any) -> str:
    """Render ``template`` from ``prompts/<prompt_file>.yaml`` with strict undefined variables."""
    return _compiled(prompt_file, template).render(**variables).strip()


def all_templates() -> list[tuple[str, str]]:
    return [(p.stem, key) for p in sorted(PROMPTS_DIR.glob("*.yaml")) for key in load_prompts(p.stem)]
