"""Layering (ARCHITECTURE §3): the core never imports Qt; rules and services stay pure."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_kiosk_never_imports_qt_or_ui() -> None:
    offenders = {path: names & {"PySide6", "ui"}
                 for path, names in imported_modules("kiosk").items() if names & {"PySide6", "ui"}}
    assert offenders == {}


def test_rules_and_services_never_import_qt_requests_or_escpos() -> None:
    banned = {"PySide6", "requests", "escpos", "fastapi", "uvicorn", "ui"}
    offenders = {
        path: names & banned
        for package in ("kiosk/rules", "kiosk/services")
        for path, names in imported_modules(package).items()
        if names & banned
    }
    assert offenders == {}


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    count = len(contracts["tool"]["importlinter"]["contracts"])  # every one declared was read
    assert f"Contracts: {count} kept, 0 broken." in result.stdout
