"""Charts of the supervisor window: Qt Charts bars for what a person would rather look at than
read (waits against targets, tickets by hour, the waiting-time histogram), and the hour ×
weekday heat map as a table whose delegate paints each cell's shade.

A chart keeps its axes and replaces only its series on each update; `plotted()` says what is
drawn (tests compare it with the hub's figures). Whatever its size, no two labels overlap and
none is cut to «…» by Qt (`_fit`): the chart writes the category names itself, every n-th
when side by side they would run into each other, and a bar's value only where it has room.
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
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsSimpleTextItem,
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


# The share of a category's band the bars take, by the number of sets side by side.
BAR_WIDTH = {1: 0.6, 2: 0.8}
LABEL_GAP = 1.15  # a label needs its own size and a little air
NAME_FONT = QFont("DejaVu Sans", 9)
VALUE_FONT = QFont("DejaVu Sans", 8)
LABEL_COLOUR = "#3b4350"
NAME_PAD = 8  # between the names and the plot
NAME_SHARE = 0.4  # of the chart's width, at most, for the names left of horizontal bars


def _value_text(value: float) -> str:
    """A bar's value as Qt Charts writes it (precision 7: «1024», «61.5»)."""
    return f"{value:.7g}"


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
        self._series: QBarSeries | QHorizontalBarSeries | None = None
        self._shown: tuple[list[str], list[Bars]] = ([], [])  # in drawing order
        self._names: list[QGraphicsSimpleTextItem] = []  # the categories, written here
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
            axis.setLabelsFont(NAME_FONT)
            axis.setGridLineVisible(axis is self._values)
        self._categories.setLabelsVisible(False)  # written by the chart itself: _fit
        if unit:
            self._values.setTitleText(unit)
            self._values.setTitleFont(QFont("DejaVu Sans", 9))
        category_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        value_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        chart.addAxis(self._categories, category_side)
        chart.addAxis(self._values, value_side)
        self.setChart(chart)
        self._chart = chart
        chart.plotAreaChanged.connect(lambda _area: self._fit())
        self.set_bars([], [])

    def plotted(self) -> tuple[list[str], list[Bars]]:
        return self._plotted

    def set_bars(self, categories: Sequence[str], bars: Sequence[Bars]) -> None:
        chart = self._chart
        chart.removeAllSeries()
        self._series = None
        self._shown = ([], [])
        for item in self._names:
            scene = item.scene()
            if scene is not None:
                scene.removeItem(item)
        self._names = []
        self._categories.clear()
        categories = list(categories)
        shown = [b for b in bars if len(b.values) == len(categories)]
        self._plotted = (categories, list(shown))
        empty = not categories or not any(v for b in shown for v in b.values)
        chart.setTitle(self._title + (f" · {texts.NO_DATA.lower()}" if empty else ""))
        if not categories:
            self._values.setRange(0, 1)
            chart.legend().hide()
            self._reserve()
            return
        if self._horizontal:  # Qt draws the first category at the bottom: read top-down
            categories = categories[::-1]
            shown = [Bars(b.name, b.values[::-1], b.colour) for b in shown[::-1]]
        self._categories.append(categories)
        self._shown = (categories, list(shown))
        series = QHorizontalBarSeries() if self._horizontal else QBarSeries()
        series.setBarWidth(BAR_WIDTH.get(len(shown), BAR_WIDTH[2]))
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsPrecision(7)  # «1024», never «1.02e+03»
        for bar in shown:
            bar_set = QBarSet(bar.name)
            bar_set.append([float(v) for v in bar.values])
            bar_set.setColor(QColor(bar.colour))
            bar_set.setBorderColor(QColor(bar.colour))
            bar_set.setLabelColor(QColor("#1b1f24"))
            bar_set.setLabelFont(VALUE_FONT)
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
        self._series = series
        self._names = [QGraphicsSimpleTextItem(name, chart) for name in categories]
        for item in self._names:
            item.setFont(NAME_FONT)
            item.setBrush(QBrush(QColor(LABEL_COLOUR)))
        self._reserve()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reserve()

    def _name_room(self) -> float:
        """The widest a category name is written at the left of horizontal bars."""
        return max(60.0, self.width() * NAME_SHARE)

    def _reserve(self) -> None:
        """Room beside the plot for the category names, which the chart writes itself: Qt
        Charts cuts a name to its bar's band («…») and lets crowded labels overlap."""
        metrics = QFontMetrics(NAME_FONT)
        if self._horizontal:
            widest = max((metrics.horizontalAdvance(item.text()) for item in self._names),
                         default=0)
            side = QMargins(4 + min(widest, round(self._name_room())) + NAME_PAD, 4, 4, 4)
        else:
            side = QMargins(4, 4, 4, 4 + metrics.height() + NAME_PAD) if self._names \
                else QMargins(4, 4, 4, 4)
        if self._chart.margins() != side:
            self._chart.setMargins(side)  # the plot area moves: _fit follows
        else:
            self._fit()

    def _fit(self) -> None:
        """At this size: every n-th category name when side by side they would overlap, each
        whole (a long one at the left of horizontal bars shortened with «…» to its room); a
        bar's value only where the bar has room for it."""
        names, series = self._names, self._series
        if series is None or not names:
            return
        plot = self._chart.plotArea()
        count = len(names)
        band = (plot.height() if self._horizontal else plot.width()) / count
        if band <= 0:
            return
        metrics = QFontMetrics(NAME_FONT)
        texts_ = self._shown[0]
        if self._horizontal:
            name_room = round(self._name_room())
            for item, text in zip(names, texts_, strict=True):
                item.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, name_room))
            need = metrics.height() * LABEL_GAP
        else:  # the first name is pushed right by up to half its overhang: room for that
            widest = max(metrics.horizontalAdvance(t) for t in texts_)
            need = widest * LABEL_GAP + max(0.0, (widest - band) / 2)
        every = max(1, math.ceil(need / band))
        taken = -math.inf  # where the last name written ends, in reading order
        # Read from the top (Qt draws the first horizontal bar at the bottom) or the left.
        order = range(count - 1, -1, -1) if self._horizontal else range(count)
        for read, index in enumerate(order):
            item = names[index]
            box = item.boundingRect()
            centre = band * (index + 0.5)
            if self._horizontal:
                y = min(max(plot.bottom() - centre - box.height() / 2, plot.top()),
                        plot.bottom() - box.height())
                item.setPos(plot.left() - NAME_PAD - box.width(), y)
                start, end = y - plot.top(), y - plot.top() + box.height()
            else:  # kept inside the plot's width: clear of the value axis's «0»
                x = min(max(plot.left() + centre - box.width() / 2, plot.left()),
                        plot.right() - box.width())
                item.setPos(x, plot.bottom() + NAME_PAD / 2)
                start, end = x - plot.left(), x - plot.left() + box.width()
            # Every n-th, and never onto the one before (the ends are pushed inwards).
            written = read % every == 0 and start >= taken
            item.setVisible(written)
            if written:
                taken = end + (LABEL_GAP - 1) * (box.height() if self._horizontal
                                                 else box.width())
        sets = len(self._shown[1])
        values = QFontMetrics(VALUE_FONT)
        # Side by side bars of a group are a bar apart; a lone bar's neighbours a band.
        room = band * series.barWidth() / sets if sets > 1 else band
        value_need = values.height() if self._horizontal else max(
            values.horizontalAdvance(_value_text(v)) for b in self._shown[1] for v in b.values)
        series.setLabelsVisible(value_need <= room)


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
