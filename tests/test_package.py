"""The package a municipality installs (issue 19, decision 44): what the frozen program and
the wheel carry is pyproject's package-data, and the smoke run catches a bundle without it.

The build itself is `make package` / `make wheel` (CI, after `make test`): too long for here.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from kiosk.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RUNTIME_PACKAGES = ("kiosk", "ui", "sync", "printing", "assets")
# Files the program never reads: translation sources (the .qm beside them are compiled).
NOT_READ = {".ts", ".pyc"}


@pytest.fixture
def packaging_scripts(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, ModuleType]]:
    """packaging/*.py as the scripts see each other (the folder is not a package)."""
    monkeypatch.syspath_prepend(str(PACKAGING))
    import datafiles
    import smoke

    yield {"datafiles": datafiles, "smoke": smoke}
    for name in ("datafiles", "smoke"):
        sys.modules.pop(name, None)


def test_every_file_the_program_reads_is_declared(
        packaging_scripts: dict[str, ModuleType]) -> None:
    declared = set(packaging_scripts["datafiles"].data_files())
    on_disk = {
        path.relative_to(ROOT)
        for package in RUNTIME_PACKAGES for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
        and path.suffix not in NOT_READ
        and (path.suffix != ".py" or "versions" in path.parts)  # migrations run as files
    }
    assert on_disk, "no data files found: the walk is wrong"
    assert on_disk - declared == set(), "add them to [tool.setuptools.package-data]"
    assert Path("assets/i18n/kiosk_qu.qm") in declared
    assert any(p.parts[:4] == ("kiosk", "storage", "migrations", "versions") for p in declared)


def _fake_bundle(root: Path, files: list[Path], smoke: ModuleType) -> Path:
    internal = root / "cac" / "_internal"
    for path in files:
        (internal / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / path, internal / path)
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for pattern in smoke.QT_PLUGINS:
        folder, name = pattern.split("/")
        (plugins / folder).mkdir(parents=True, exist_ok=True)
        (plugins / folder / (name.replace("*", "") or "plugin")).write_bytes(b"")
    info = internal / "cac_kiosk-0.1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[cac_kiosk.commands]\nui = ui.cli:register\n")
    return root / "cac"


def test_the_smoke_run_finds_a_bundle_without_a_translation(
        packaging_scripts: dict[str, ModuleType], tmp_path: Path) -> None:
    smoke = packaging_scripts["smoke"]
    files = packaging_scripts["datafiles"].data_files()
    dist = _fake_bundle(tmp_path, files, smoke)
    smoke.check_bundle(dist)  # complete: passes

    (dist / "_internal" / "assets" / "i18n" / "kiosk_ay.qm").unlink()
    with pytest.raises(smoke.SmokeFailure, match=r"missing: \['assets/i18n/kiosk_ay.qm'\]"):
        smoke.check_bundle(dist)


def test_the_smoke_run_finds_a_bundle_without_a_qt_plugin(
        packaging_scripts: dict[str, ModuleType], tmp_path: Path) -> None:
    smoke = packaging_scripts["smoke"]
    dist = _fake_bundle(tmp_path, packaging_scripts["datafiles"].data_files(), smoke)
    shutil.rmtree(dist / "_internal" / "PySide6" / "Qt" / "plugins" / "iconengines")
    with pytest.raises(smoke.SmokeFailure, match=r"missing: \['iconengines/\*svg\*'\]"):
        smoke.check_bundle(dist)


def test_cac_screenshots_draws_into_the_folder_given() -> None:
    from ui.cli import _cmd_screenshots

    args = build_parser().parse_args(["screenshots", "--out", "capturas"])
    assert args.func is _cmd_screenshots
    assert args.out == "capturas"


def test_the_version_the_package_says_is_the_programs(
        packaging_scripts: dict[str, ModuleType]) -> None:
    from kiosk import __version__

    assert packaging_scripts["datafiles"].version() == __version__
