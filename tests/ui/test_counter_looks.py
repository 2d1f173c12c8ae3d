"""What the counter window looks like, measured (issue 15): arrows drawn on the spin boxes and
drop-downs, whole names in the acta search, a quiet empty turn, login fields of one height.
The screenshots (`make screenshots`) show the same screens."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.counter.window import CounterWindow

ARROW = QColor("#12355b")  # assets/icons/arrow-*.svg


def arrow_pixels(widget: QWidget, area: QRect) -> int:
    """Pixels of the arrows' colour in `area` of the widget as drawn."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for x in range(max(area.left(), 0), min(area.right(), image.width() - 1) + 1):
        for y in range(max(area.top(), 0), min(area.bottom(), image.height() - 1) + 1):
            pixel = image.pixelColor(x, y)
            if abs(pixel.red() - ARROW.red()) + abs(pixel.green() - ARROW.green()) \
                    + abs(pixel.blue() - ARROW.blue()) < 90:
                count += 1
    return count


def test_spin_boxes_and_drop_downs_draw_their_arrows(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    window.open_form()
    qtbot.waitUntil(lambda: window.form.procedure.count() > 0, timeout=10_000)
    window.form.choose("RC-01")
    pages = window.form.pages  # «Folios»: both ways possible, so both arrows are drawn
    pages.setValue(5)
    width, height = pages.width(), pages.height()
    assert arrow_pixels(pages, QRect(width - 24, 0, 24, height // 2)) >= 8  # up
    assert arrow_pixels(pages, QRect(width - 24, height // 2, 24, height // 2)) >= 8  # down
    for combo in (window.form.procedure, window.form.partida.relation, window.cash.day):
        box = combo.rect()
        assert arrow_pixels(combo, QRect(box.width() - 24, 0, 24, box.height())) >= 8, combo


def test_the_acta_search_shows_each_titulars_whole_name(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    window.open_form()
    qtbot.waitUntil(lambda: window.form.procedure.count() > 0, timeout=10_000)
    window.form.choose("RC-01")
    window.search_actas("Quispe", "nacimiento")  # the demo registry: many names, some long
    partida = window.form.partida
    qtbot.waitUntil(lambda: partida.model.rowCount() > 5, timeout=10_000)
    results = partida.results
    titular = [partida.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(partida.model.columnCount())].index("Titular")
    for column in range(partida.model.columnCount()):  # nothing cut to «Wil…»
        assert results.sizeHintForColumn(column) <= results.columnWidth(column), column
    assert results.columnWidth(titular) > results.viewport().width() / 2
    assert results.horizontalScrollBar().maximum() == 0  # and nothing hidden to the right


def test_an_empty_turn_reads_as_words_not_a_bar(logged_in: CounterWindow) -> None:
    number = logged_in.queue.number
    number.ensurePolished()
    assert logged_in.state.held_ticket is None
    assert number.text() == "Sin turno"
    assert number.font().pixelSize() <= 24  # a ticket's number is drawn at 56 px
    assert logged_in.queue.ticket_info.text() == "Llame al siguiente con F2 o Espacio."


def test_the_login_fields_are_as_tall_as_each_other(counter_window: CounterWindow) -> None:
    login = counter_window.login
    heights = {login.username.height(), login.secret.height(), login.counter.height()}
    assert len(heights) == 1 and heights.pop() >= 40
