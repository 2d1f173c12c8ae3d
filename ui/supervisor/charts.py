"""Charts of the supervisor window: Qt Charts bars for what a person would rather look at than
read (waits against targets, tickets by hour, the waiting-time histogram), and the hour ×
weekday heat map as a table whose delegate paints each cell's shade.

A chart keeps its axes and replaces only its series on each update; `plotted()` says what is
drawn (tests compare it with the hub's figures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.kiosk.style import BLUE, GOLD, NAVY
from ui.supervisor import texts

RED = "#b3261e"
SERIES_COLOURS = (BLUE, GOLD, RED, "#5b8c3a", "#7b2d8b")


@dataclass(frozen=True)
class Bars:
    """One set of bars: its legend name, a value per category, its colour."""

    name: str
    values: list[float]
    colour: str = BLUE


class BarChart(QChartView):
    """Vertical (or horizontal) bars over categories; «Sin datos» when there is nothing."""

    def __init__(self, title: str, unit: str = "", horizontal: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("barChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(260, 200)
        self._title, self._unit, self._horizontal = title, unit, horizontal
        self._plotted: tuple[list[str], list[Bars]] = ([], [])
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(6)
        chart.setMargins(QMargins(4, 4, 4, 4))
        title_font = QFont("DejaVu Sans", 11)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setTitleBrush(QBrush(QColor(NAVY)))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setFont(QFont("DejaVu Sans", 9))
        self._categories = QBarCategoryAxis()
        self._values = QValueAxis()
        self._values.setLabelFormat("%.0f")
        for axis in (self._categories, self._values):
            axis.setLabelsFont(QFont("DejaVu Sans", 9))
            axis.setGridLineVisible(axis is self._values)
        if unit:
            self._values.setTitleText(unit)
            self._values.setTitleFont(QFont("DejaVu Sans", 9))
        category_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        value_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        chart.addAxis(self._categories, category_side)
        chart.addAxis(self._values, value_side)
        self.setChart(chart)
        self._chart = chart
        self.set_bars([], [])

    def plotted(self) -> tuple[list[str], list[Bars]]:
        return self._plotted

    def set_bars(self, categories: Sequence[str], bars: Sequence[Bars]) -> None:
        chart = self._chart
        chart.removeAllSeries()
        self._categories.clear()
        categories = list(categories)
        shown = [b for b in bars if len(b.values) == len(categories)]
        self._plotted = (categories, list(shown))
        empty = not categories or not any(v for b in shown for v in b.values)
        chart.setTitle(self._title + (f" · {texts.NO_DATA.lower()}" if empty else ""))
        if not categories:
            self._values.setRange(0, 1)
            chart.legend().hide()
            return
        if self._horizontal:  # Qt draws the first category at the bottom: read top-down
            categories = categories[::-1]
            shown = [Bars(b.name, b.values[::-1], b.colour) for b in shown[::-1]]
        self._categories.append(categories)
        series = QHorizontalBarSeries() if self._horizontal else QBarSeries()
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsPrecision(7)  # «1024», never «1.02e+03»
        for bar in shown:
            bar_set = QBarSet(bar.name)
            bar_set.append([float(v) for v in bar.values])
            bar_set.setColor(QColor(bar.colour))
            bar_set.setBorderColor(QColor(bar.colour))
            bar_set.setLabelColor(QColor("#1b1f24"))
            bar_set.setLabelFont(QFont("DejaVu Sans", 8))
            series.append(bar_set)
        chart.addSeries(series)
        series.attachAxis(self._categories)
        series.attachAxis(self._values)
        peak = max((v for b in shown for v in b.values), default=0.0)
        top = nice_ceiling(peak * 1.12)
        self._values.setRange(0, top)
        intervals = tick_intervals(top)
        self._values.setTickCount(intervals + 1)
        step = top / intervals
        # Whole numbers when the ticks are: never «1, 1, 2, 2».
        self._values.setLabelFormat("%.0f" if step.is_integer() else
                                    "%.1f" if (step * 10).is_integer() else "%.2f")
        legend = chart.legend()
        legend.setVisible(len(shown) > 1)


def nice_ceiling(value: float) -> float:
    """A round top for the value axis (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ), never 0, whose
    fifths are round too."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if factor * step >= value:
            return round(factor * step, 6)
    return 10 * step


def tick_intervals(top: float) -> int:
    """How many intervals split [0, top] into round steps (1, 2, 2.5 or 5 × 10ⁿ), whole
    ones when the axis counts past a few (people, tickets)."""
    for intervals in (5, 4, 6, 3, 2):
        step = top / intervals
        scale = 10 ** math.floor(math.log10(step))
        if any(math.isclose(step / scale, f) for f in (1, 2, 2.5, 5, 10)) \
                and (top < 5 or step.is_integer()):
            return intervals
    return 5


class HeatDelegate(QStyledItemDelegate):
    """Paints a heat map cell: its shade edge to edge, the count centred on it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        rect = option.rect.adjusted(1, 1, -1, -1)
        painter.save()
        painter.fillRect(rect, background if isinstance(background, QColor) else QColor("white"))
        painter.setPen(QPen(foreground if isinstance(foreground, QColor) else QColor("black")))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(text))
        painter.restore()


def heat_table() -> QTableView:
    """The heat map's view: every hour fits across, no selection, no scrolling."""
    view = QTableView()
    view.setObjectName("heatMap")
    view.setItemDelegate(HeatDelegate(view))
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setShowGrid(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.horizontalHeader().setHighlightSections(False)
    view.verticalHeader().setHighlightSections(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view
