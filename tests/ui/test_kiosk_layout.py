"""Every word of the kiosk's big buttons whole, every pictogram at least 64 px: on each screen
the kiosk ships on, in each of its four languages (issue 15: at 1024x768 "Caja" read "Caia",
"Qullqi" read "Oullqi" and the pictograms had shrunk to about 40 px)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.client.inprocess import InProcessHubClient
from kiosk.hub import SYSTEM, OfficeHub
from tests.ui.test_kiosk import FakePrinter
from ui.kiosk.i18n import LANGUAGES
from ui.kiosk.widgets import BigButton
from ui.kiosk.window import KioskWindow

SCREENS = [(1024, 768), (1366, 768), (1280, 1024), (1920, 1080), (1080, 1920)]
SMALLEST_PICTOGRAM = 64
BORDER = 4  # the widest border the style sheet draws around a big button


def _word_is_painted(button: BigButton, ink: QRect) -> bool:
    """Some pixel of the word's ink box has the word's colour in what the button paints."""
    image = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colour = button.palette().color(QPalette.ColorRole.ButtonText).rgb()
    return any(QColor(image.pixel(x, y)).rgb() == colour
               for y in range(ink.top(), ink.bottom() + 1)
               for x in range(ink.left(), ink.right() + 1))


def _check(button: BigButton, window: KioskWindow, where: str) -> None:
    where = f"{where} «{button.text()}»"
    assert button.text(), where
    # The button is on the screen, not pushed past its bottom or side by the others.
    assert window.rect().contains(QRect(button.mapTo(window, QPoint(0, 0)), button.size())), where
    inside = button.rect().adjusted(BORDER, BORDER, -BORDER, -BORDER)
    arrangement = button.arrangement()
    metrics = QFontMetrics(arrangement.font)
    baseline = arrangement.baseline
    # The word's whole line, any letter's ascender and descender included, inside the border.
    line = QRect(baseline.x(), baseline.y() - metrics.ascent(),
                 metrics.horizontalAdvance(button.text()), metrics.ascent() + metrics.descent())
    ink = metrics.tightBoundingRect(button.text()).translated(baseline)
    assert inside.contains(line) and inside.contains(ink), (where, inside, line, ink)
    assert arrangement.text.contains(ink), where
    # The pictogram: at least 64 px, inside the button, clear of the word.
    icon = arrangement.icon
    assert min(icon.width(), icon.height()) >= SMALLEST_PICTOGRAM, (where, icon)
    assert inside.contains(icon) and not icon.intersects(line), (where, icon, line)
    rendered = button.icon().pixmap(icon.size())
    assert min(rendered.width(), rendered.height()) >= SMALLEST_PICTOGRAM, where
    assert _word_is_painted(button, ink), where  # drawn where it was measured


def _big_buttons(page: QWidget) -> list[BigButton]:
    return [b for b in page.findChildren(BigButton) if b.isVisible()]


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_every_word_whole_and_every_pictogram_large(
    qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], width: int, height: int
) -> None:
    services = len([s for s in hub.services(SYSTEM) if s.active])
    window = KioskWindow(InProcessHubClient(hub, tokens["kiosk"]), FakePrinter())
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=10_000)
    assert (window.width(), window.height()) == (width, height)
    try:
        for language in LANGUAGES:
            window.set_language(language.code)
            window.go_home()
            QApplication.processEvents()
            start = _big_buttons(window.start)
            # The services, the four preferential groups, Trámites, Consultar, Reclamos and
            # Tengo cita.
            assert len(start) == services + 4 + 4
            for button in start:
                _check(button, window, f"{language.code} {width}x{height} inicio")
            window.choose_preferential("discapacidad")  # the longest word in Quechua
            QApplication.processEvents()
            second = _big_buttons(window.preferential)
            assert len(second) == services
            for button in second:
                _check(button, window, f"{language.code} {width}x{height} preferencial")
    finally:
        window.reset()  # the translator is the application's: later tests expect Spanish
        window.close()


def test_every_procedure_name_whole_on_the_smallest_screen(
    qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]
) -> None:
    """At 1024x768 «Licencia de funcionamiento — riesgo alto» takes three lines: its row has
    room for the three (Qt measured two and cut «alto»)."""
    window = KioskWindow(InProcessHubClient(hub, tokens["kiosk"]), FakePrinter())
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=10_000)
    window.open_procedures()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.procedures, timeout=10_000)
    QApplication.processEvents()
    listing = window.procedures.list
    padding = 16  # QListWidget#procedures::item in the style sheet
    width = listing.viewport().width() - 2 * padding
    metrics = QFontMetrics(listing.font())
    lines = set()
    for row in range(listing.count()):
        item = listing.item(row)
        needed = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap,
                                      item.text()).height()
        lines.add(needed // metrics.lineSpacing())
        assert listing.visualItemRect(item).height() >= needed + 2 * padding, item.text()
    assert max(lines) >= 3  # the long names do wrap to three lines here
    window.close()
