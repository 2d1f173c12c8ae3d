"""The data files the program reads at run time, as pyproject.toml's package-data declares
them (said once): the spec bundles them, the smoke run and the wheel check look for them.

Standard library only: the spec, the smoke run and the wheel check import it as a script's
neighbour (this folder is not a package: `packaging` is also a library's name)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project() -> dict[str, object]:
    found: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return found


def version() -> str:
    table = project()["project"]
    assert isinstance(table, dict)
    return str(table["version"])


def data_files(root: Path = ROOT) -> list[Path]:
    """Each declared data file, relative to the repository root (kiosk/seed/demo.toml, ...)."""
    tool = project()["tool"]
    assert isinstance(tool, dict)
    declared: dict[str, list[str]] = tool["setuptools"]["package-data"]
    found: set[Path] = set()
    for package, patterns in declared.items():
        for pattern in patterns:
            found.update(path.relative_to(root) for path in (root / package).glob(pattern)
                         if path.is_file() and "__pycache__" not in path.parts)
    return sorted(found)
