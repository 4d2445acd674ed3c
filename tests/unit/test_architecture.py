"""The code's shape, checked: layers import only downward, nothing imports another module's private
names, and no room grows past what a newcomer can read (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Lowest first. A module may import from its own package or from a package in a lower layer.
LAYERS = (
    ("core",),
    ("prompts", "knowledge"),
    ("agents",),
    ("evals", "ui"),
    ("app",),
    ("cli",),
)
LAYER = {package: n for n, packages in enumerate(LAYERS) for package in packages}
MAX_FILE_LINES = 700
MAX_FUNCTION_LINES = 150
MAX_APP_LINES = 150


def _sources(*, tests: bool = False) -> list[Path]:
    roots = [REPO / p for p in LAYER if (REPO / p).is_dir()] + [REPO / "app.py"]
    if tests:
        roots.append(REPO / "tests")
    files = []
    for root in roots:
        files += [root] if root.is_file() else sorted(root.rglob("*.py"))
    return files


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) for every absolute import in the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
    return found


def _package(path: Path) -> str:
    return path.relative_to(REPO).parts[0].removesuffix(".py")


def test_layers_import_only_downward():
    wrong = []
    for path in _sources():
        own = _package(path)
        for module, _, line in _imports(path):
            target = module.split(".")[0]
            if target in LAYER and target != own and LAYER[target] >= LAYER[own]:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_another_module_s_private_names():
    project = set(LAYER) | {"tests"}
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {name} from {module}"
        for path in _sources(tests=True)
        for module, names, line in _imports(path)
        if module.split(".")[0] in project
        for name in names
        if name.startswith("_")
    ]
    assert not wrong, "\n".join(wrong)


def test_no_room_is_too_big_to_read():
    big = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        limit = MAX_APP_LINES if path.name == "app.py" and path.parent == REPO else MAX_FILE_LINES
        if lines > limit:
            big.append(f"{path.relative_to(REPO)} has {lines} lines (at most {limit})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    big.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}() has {size} lines")
    assert not big, "\n".join(big)


@pytest.mark.parametrize("package", ["core", "knowledge", "agents", "evals", "ui", "cli"])
def test_every_module_names_its_public_surface(package):
    """Each module lists what other modules may use (``__all__``), as simonw/llm and pydantic_evals do."""
    root = REPO / package
    assert root.is_dir(), f"no {package}/ package"
    missing = [
        str(path.relative_to(REPO))
        for path in sorted(root.rglob("*.py"))
        if path.name not in {"__main__.py"}
        and path.stat().st_size > 0
        and "__all__" not in path.read_text(encoding="utf-8")
    ]
    assert not missing, "no __all__ in: " + ", ".join(missing)
