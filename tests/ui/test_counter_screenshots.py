"""`make screenshots` for the counter: every screen at 1366×768 and the printed documents."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from printing.blocks import paper
from ui.counter.screenshot import (
    PAPER_MM,
    PRINTS,
    SCREENS,
    SIZE,
    print_file,
    save_counter_screenshots,
    screen_file,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    assert path.read_bytes().startswith(PNG_MAGIC), path.name
    with Image.open(path) as image:
        image.verify()  # a whole, readable PNG
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def test_every_counter_screen_and_print_is_saved(qtbot: QtBot, tmp_path: Path) -> None:
    saved = save_counter_screenshots(tmp_path / "capturas")
    screens = [screen_file(tmp_path / "capturas", name) for name in SCREENS]
    prints = [print_file(tmp_path / "capturas", name) for name in PRINTS]
    assert saved == screens + prints
    assert sorted(p.name for p in (tmp_path / "capturas").iterdir()) == sorted(
        p.name for p in saved)
    for path in screens:  # the window never grew past the counter PC's screen
        assert png_size(path) == SIZE, path.name
    dots = paper(PAPER_MM).dots
    for path in prints:
        width, height = png_size(path)
        assert width == dots and height > width, path.name
