"""`make screenshots` for the admin window: every tab at 1366×768, each with something done
on it (read back from the hub the screenshot tool ran against)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from tests.ui.test_counter_screenshots import png_size
from ui.admin import screenshot


def test_every_admin_tab(qtbot: QtBot, tmp_path: Path) -> None:
    saved = screenshot.save_admin_screenshots(tmp_path)
    assert saved == [screenshot.screen_file(tmp_path, name) for name in screenshot.SCREENS]
    for path in saved:  # the window never grew past the admin's 1366×768 screen
        assert png_size(path) == screenshot.SIZE, path.name
        with Image.open(path) as image:  # not a blank grab
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is not None and len(colours) > 50, path.name


def test_the_sample_logo_is_a_small_png() -> None:
    png = screenshot.sample_logo_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 512 * 1024
