"""Every text of the kiosk is translated, and the compiled files match their sources."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui.assets import I18N
from ui.kiosk.i18n import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
TRANSLATED = [lang.code for lang in LANGUAGES if lang.code != SOURCE_LANGUAGE]
# Qt's %1 (filled with .replace) and Python's {0} (filled with str.format).
PLACEHOLDER = re.compile(r"%\d+|\{\d*\}")


def _messages(ts: Path) -> dict[str, tuple[str, str | None]]:
    """source -> (translation, its type attribute) of a .ts file."""
    result = {}
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        result[source] = (translation.text or "", translation.get("type"))
    return result


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What lupdate finds in the kiosk's code today."""
    tool = TOOLS / "pyside6-lupdate"
    if not tool.exists():
        found = shutil.which("pyside6-lupdate")
        assert found, "pyside6-lupdate comes with PySide6"
        tool = Path(found)
    ts = tmp_path_factory.mktemp("lupdate") / "kiosk.ts"
    files = sorted(str(path) for path in (ROOT / "ui" / "kiosk").glob("*.py"))
    subprocess.run([str(tool), *files, "-ts", str(ts)], check=True, capture_output=True,
                   timeout=120)
    return set(_messages(ts))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_kiosk_text_is_translated(code: str, sources: set[str]) -> None:
    messages = _messages(I18N / f"kiosk_{code}.ts")
    assert len(sources) > 30
    missing = sources - set(messages)
    assert not missing, f"run `make translations` and translate: {sorted(missing)}"
    for source in sources:
        text, kind = messages[source]
        assert text.strip() and kind not in ("unfinished", "obsolete"), source
        # Placeholders survive translation, or the screen would show "%1" or lose the date.
        placeholders = set(PLACEHOLDER.findall(source))
        assert set(PLACEHOLDER.findall(text)) == placeholders, (code, source, text)
        braces = sorted(p for p in placeholders if p.startswith("{"))
        if braces:  # and str.format accepts the translation (no stray "{" or "}")
            values = [f"<{i}>" for i in range(len(braces))]
            assert all(v in text.format(*values) for v in values), (code, source, text)


@pytest.mark.parametrize("code", ["qu", "ay"])
def test_no_quechua_or_aymara_text_is_left_in_spanish(code: str) -> None:
    """«Discapacidad» once stood untranslated on both preferential buttons."""
    messages = _messages(I18N / f"kiosk_{code}.ts")
    assert [source for source, (text, _kind) in messages.items() if text == source] == []


def test_the_placeholder_check_sees_both_styles() -> None:
    found = PLACEHOLDER.findall("Presentado el {0} · vence el {1}; espera: %1 a %2 minutos")
    assert found == ["{0}", "{1}", "%1", "%2"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_translations_are_up_to_date(code: str, tmp_path: Path) -> None:
    tool = TOOLS / "pyside6-lrelease"
    fresh = tmp_path / f"kiosk_{code}.qm"
    subprocess.run([str(tool), str(I18N / f"kiosk_{code}.ts"), "-qm", str(fresh)], check=True,
                   capture_output=True, timeout=120)
    assert fresh.read_bytes() == (I18N / f"kiosk_{code}.qm").read_bytes(), (
        "run `make translations`")
