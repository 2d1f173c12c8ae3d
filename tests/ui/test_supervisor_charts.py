"""The supervisor's bar charts at the sizes the window gives them: no label runs into another
and none is cut to «…» (issue 15: the live chart's names read «…», a month's values ran
together)."""

from __future__ import annotations

import itertools

import shiboken6
from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QGraphicsTextItem
from pytestqt.qtbot import QtBot

from ui.supervisor.charts import RED, BarChart, Bars

TEXT_TYPES = (8, 9)  # QGraphicsTextItem::Type, QGraphicsSimpleTextItem::Type
SERVICES = ["Registro Civil (partidas)", "Licencias", "Caja", "Orientación", "Mesa de partes"]
DAYS = [f"{day:02d}/11" for day in range(2, 31) if day % 7 not in (0, 1)]  # working days
LIVE = [Bars("Espera más larga", [44, 61.5, 67.3, 55.6, 47], RED),
        Bars("Objetivo", [15, 20, 10, 10, 15], "#9aa8b8")]
CASES = {
    # The live tab's chart, five services with two bars each: where it was at 1366×768
    # (under the counters: too low to name each service) and where it is now (under the
    # alerts: every service named).
    "live-before": (True, (705, 195), SERVICES, LIVE),
    "live": (True, (590, 250), SERVICES, LIVE),
    # «Por fecha» over a month, beside its table.
    "month": (False, (420, 440), DAYS, [Bars("Emitidos", [300.0 + 7 * i for i in
                                                          range(len(DAYS))])]),
    # «Por usuario» with a large staff.
    "clerks": (True, (420, 300), [f"Usuario número {n}" for n in range(14)],
               [Bars("Atendidos", [100.0 + n for n in range(14)])]),
    "few": (False, (420, 440), ["1", "2", "3", "4", "5"], [Bars("Personas",
                                                               [14, 29, 82, 172, 182])]),
}


def texts_drawn(chart: BarChart) -> list[tuple[str, QRectF]]:
    """Every piece of text the chart shows, where it is (scene coordinates)."""
    found = []
    for item in chart.scene().items():
        if not item.isVisible() or item.type() not in TEXT_TYPES:
            continue
        text = _text_of(item)
        if text.strip("\u200b "):
            found.append((text, item.sceneBoundingRect()))
    return found


def _text_of(item: QGraphicsItem) -> str:
    if isinstance(item, QGraphicsSimpleTextItem):
        return item.text()
    obj = item.toGraphicsObject()  # Qt Charts' own labels: text items PySide sees as plain
    assert obj is not None
    text_item = shiboken6.wrapInstance(shiboken6.getCppPointer(obj)[0], QGraphicsTextItem)
    return str(text_item.toPlainText())


def test_no_label_overlaps_or_is_cut(qtbot: QtBot) -> None:
    for case, (horizontal, size, categories, bars) in CASES.items():
        chart = BarChart("Prueba", "min", horizontal=horizontal)
        qtbot.addWidget(chart)
        chart.resize(*size)
        chart.show()
        chart.set_bars(categories, bars)
        qtbot.waitExposed(chart)
        QCoreApplication.processEvents()  # Qt Charts lays its labels out on the next pass
        drawn = texts_drawn(chart)
        assert not [text for text, _ in drawn if "…" in text or "..." in text], case
        for (one, a), (other, b) in itertools.combinations(drawn, 2):
            overlap = a.intersected(b)
            assert overlap.width() <= 1 or overlap.height() <= 1, (case, one, other)
        names = [text for text, _ in drawn if text in categories]
        assert categories[0] in names, case  # the first one is always named
        if case in ("live", "few"):  # room enough: every one is named
            assert sorted(names) == sorted(categories), case
