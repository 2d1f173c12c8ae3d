"""`make screenshots` for the supervisor (every view at 1366×768 and the PDF's first page)
and for the counter's rating screen (1024×600)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from tests.ui.test_counter_screenshots import png_size
from ui.rating import screenshot as rating
from ui.supervisor import screenshot as supervisor


def test_every_supervisor_view_and_the_report_page(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "capturas"
    saved = supervisor.save_supervisor_screenshots(folder, scale=0.15)  # a quieter week
    views = [supervisor.screen_file(folder, name) for name in supervisor.SCREENS]
    page = folder / f"supervision-{supervisor.REPORT_PAGE}.png"
    assert saved == [*views, page]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in saved)
    for path in views:  # the window never grew past the supervisor's screen
        assert png_size(path) == supervisor.SIZE, path.name
    width, height = png_size(page)  # A4 portrait at 110 dpi (pdfium rounds up)
    assert abs(width - 210 / 25.4 * 110) < 1.5 and abs(height - 297 / 25.4 * 110) < 1.5
    with Image.open(views[0]) as image:  # not a blank grab: the window's colours are there
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is not None and len(colours) > 50


def test_the_rating_screens(qtbot: QtBot, tmp_path: Path) -> None:
    saved = rating.save_rating_screenshots(tmp_path)
    assert saved == [rating.screen_file(tmp_path, name) for name in rating.SCREENS]
    for path in saved:
        assert png_size(path) == rating.SIZE, path.name
