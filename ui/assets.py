"""Where the windows find their icons, sounds and translations."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ICONS = ASSETS / "icons"
I18N = ASSETS / "i18n"


def icon_path(name: str) -> Path | None:
    path = ICONS / f"{name}.svg"
    return path if path.exists() else None
