"""The parts of the waiting-room screen. Sizes follow the window (a 42" TV or a 1366×768 panel).

Every font is set in pixels from one unit (window height / 1080), then shrunk if the text would
not fit its width, so a long counter name never gets cut.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.services.views import CallView
from ui.display import texts

NAVY = "#0B2545"
NAVY_DARK = "#061A33"
PANEL = "#123A6B"
ROW = "#0F3060"
YELLOW = "#FFD23F"
WHITE = "#FFFFFF"
MUTED = "#B8CCE8"
RED = "#C62828"


def pixel_font(px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, round(px)))
    font.setBold(bold)
    return font


def fit_font(label: QLabel, px: float, width: float, bold: bool = False) -> None:
    """Set `px` on the label, smaller if its text would be wider than `width`."""
    font = pixel_font(px, bold)
    text_width = QFontMetrics(font).horizontalAdvance(label.text())
    if text_width > width > 0:
        font.setPixelSize(max(8, int(font.pixelSize() * width / text_width)))
    label.setFont(font)


def _label(text: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    label = QLabel(text)
    label.setAlignment(align)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class LatestCallPanel(QFrame):
    """The call being made now, very large; it blinks for a few seconds when it arrives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latest")
        self.caption = _label(texts.TICKET)
        self.number = _label()
        self.go_to = _label(texts.GO_TO)
        self.counter = _label()
        self.note = _label()
        self.number.setObjectName("number")
        for label in (self.caption, self.go_to, self.note):
            label.setObjectName("soft")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (self.caption, self.number):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (self.go_to, self.counter, self.note):
            layout.addWidget(widget)
        layout.addStretch(2)
        self._unit = 1.0
        self._call: CallView | None = None
        self._highlight = False
        self._blinks_left = 0
        self._blink = QTimer(self, interval=500)
        self._blink.timeout.connect(self._toggle)
        self.show_call(None)

    @property
    def flashing(self) -> bool:
        return self._blink.isActive()

    def show_call(self, call: CallView | None) -> None:
        self._call = call
        if call is None:
            self.caption.setText("")
            self.number.setText(texts.WAITING)
            self.go_to.setText("")
            self.counter.setText(texts.WAITING_HINT)
        else:
            self.caption.setText(texts.TICKET)
            self.number.setText(call.number)
            self.go_to.setText(texts.GO_TO)
            self.counter.setText(call.counter_name or f"Ventanilla {call.counter}")
        self.note.setText(texts.RECALLED if call is not None and call.kind == "recalled" else "")
        self.rescale(self._unit)
        self._apply_style()

    def flash(self, duration_ms: int) -> None:
        self._blinks_left = max(1, duration_ms // self._blink.interval())
        self._highlight = True
        self._blink.start()
        self._apply_style()

    def stop_flash(self) -> None:
        self._blink.stop()
        self._highlight = False
        self._apply_style()

    def _toggle(self) -> None:
        self._blinks_left -= 1
        if self._blinks_left <= 0:
            self.stop_flash()
            return
        self._highlight = not self._highlight
        self._apply_style()

    def _apply_style(self) -> None:
        background, main, accent, soft = (
            (YELLOW, NAVY, NAVY, NAVY) if self._highlight else (PANEL, YELLOW, WHITE, MUTED))
        if self._call is None:
            main, accent = WHITE, MUTED
        radius = round(24 * self._unit)
        self.setStyleSheet(
            f"QFrame#latest {{ background: {background}; border-radius: {radius}px; }}"
            f"QLabel {{ background: transparent; color: {accent}; }}"
            f"QLabel#number {{ color: {main}; }}"
            f"QLabel#soft {{ color: {soft}; }}"
        )

    def rescale(self, unit: float) -> None:
        self._unit = unit
        width = self.width() - 2 * 40 * unit
        idle = self._call is None
        fit_font(self.caption, 52 * unit, width, bold=True)
        fit_font(self.number, (170 if idle else 270) * unit, width, bold=True)
        fit_font(self.go_to, 52 * unit, width, bold=True)
        fit_font(self.counter, (64 if idle else 150) * unit, width, bold=not idle)
        fit_font(self.note, 44 * unit, width, bold=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.rescale(self._unit)


class HistoryPanel(QFrame):
    """The last calls, newest first; the newest (the one above) is highlighted."""

    def __init__(self, rows: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history")
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.title = _label(texts.RECENT, left)
        self.title.setObjectName("title")
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        self.rows: list[tuple[QFrame, QLabel, QLabel]] = []
        self._row_layouts: list[QHBoxLayout] = []
        for _ in range(rows):
            frame = QFrame()
            frame.setObjectName("empty")
            number = _label("", Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            counter = _label("", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setObjectName("rownumber")
            row = QHBoxLayout(frame)
            row.addWidget(number, 1)
            row.addWidget(counter, 2)
            self._row_layouts.append(row)
            layout.addWidget(frame, 1)
            self.rows.append((frame, number, counter))
        self._unit = 1.0
        self._restyle()

    def show_calls(self, calls: list[CallView]) -> None:
        for index, (frame, number, counter) in enumerate(self.rows):
            call = calls[index] if index < len(calls) else None
            number.setText(call.number if call else "")
            counter.setText((call.counter_name or f"Ventanilla {call.counter}") if call else "")
            name = "empty" if call is None else "first" if index == 0 else "row"
            if frame.objectName() != name:  # an empty row keeps its place, invisibly
                frame.setObjectName(name)
                for widget in (frame, number, counter):  # the rules depend on the row's name
                    widget.style().unpolish(widget)
                    widget.style().polish(widget)
        self.rescale(self._unit)

    def shown(self) -> list[tuple[str, str]]:
        return [(n.text(), c.text()) for _, n, c in self.rows if n.text()]

    def _restyle(self) -> None:
        u = self._unit
        radius, pad = round(14 * u), round(24 * u)
        self.setStyleSheet(
            f"QLabel {{ background: transparent; color: {WHITE}; }}"
            f"QLabel#title {{ color: {MUTED}; padding-left: {pad}px; }}"
            f"QFrame#row {{ background: {ROW}; border-radius: {radius}px; }}"
            f"QFrame#row QLabel#rownumber {{ color: {YELLOW}; }}"
            f"QFrame#first {{ background: {YELLOW}; border-radius: {radius}px; }}"
            f"QFrame#first QLabel {{ color: {NAVY}; }}"
        )
        for row in self._row_layouts:
            row.setContentsMargins(pad, 0, pad, 0)
        self._layout.setSpacing(round(12 * u))

    def rescale(self, unit: float) -> None:
        if unit != self._unit:
            self._unit = unit
            self._restyle()
        self.title.setFont(pixel_font(44 * unit, bold=True))
        row_px = min(64 * unit, self.height() / (len(self.rows) + 1.5) * 0.6) if self.height() \
            else 64 * unit
        inner = self.width() - 48 * unit
        for _, number, counter in self.rows:
            fit_font(number, row_px, inner / 3, bold=True)
            fit_font(counter, row_px, inner * 2 / 3, bold=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.rescale(self._unit)


class Ticker(QWidget):
    """One line of office notices scrolling right to left, behind a fixed 'AVISOS' tab."""

    LABEL = "AVISOS"
    SEPARATOR = "     •     "

    def __init__(self, notices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = self.SEPARATOR.join(notices) + self.SEPARATOR
        self._unit = 1.0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._frame = QTimer(self, interval=33)  # ~30 fps: smooth enough, light on old PCs
        self._frame.timeout.connect(self.update)
        self._frame.start()

    @property
    def text(self) -> str:
        return self._text

    def rescale(self, unit: float) -> None:
        self._unit = unit
        self.setFixedHeight(round(84 * unit))

    def stop(self) -> None:
        self._frame.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor(NAVY_DARK))
        painter.fillRect(0, 0, self.width(), max(2, round(4 * self._unit)), QColor(YELLOW))
        font = pixel_font(40 * self._unit)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        span = max(1, metrics.horizontalAdvance(self._text))
        tab_font = pixel_font(34 * self._unit, bold=True)
        tab_width = QFontMetrics(tab_font).horizontalAdvance(self.LABEL) + round(48 * self._unit)
        speed = 110 * self._unit  # pixels per second: readable from the back row
        shift = int(self._clock.elapsed() / 1000 * speed) % span
        baseline = (self.height() + metrics.ascent() - metrics.descent()) // 2
        painter.setPen(QColor(WHITE))
        x = tab_width + round(24 * self._unit) - shift
        while x < self.width():
            painter.drawText(x, baseline, self._text)
            x += span
        painter.fillRect(0, 0, tab_width, self.height(), QColor(YELLOW))
        painter.setFont(tab_font)
        painter.setPen(QColor(NAVY))
        painter.drawText(0, 0, tab_width, self.height(), Qt.AlignmentFlag.AlignCenter, self.LABEL)
        painter.end()


class TopBar(QFrame):
    """Office name on the left; the connection mark and the clock on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topbar")
        self.title = _label(texts.TITLE, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.office = _label("", Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.office.setObjectName("soft")
        self.offline = QLabel(texts.OFFLINE)
        self.offline.setObjectName("offline")
        self.offline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offline.hide()
        self.time = _label("", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.date = _label("", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.date.setObjectName("soft")
        self._names = names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.office)
        clock = QVBoxLayout()
        clock.setSpacing(0)
        clock.addWidget(self.time)
        clock.addWidget(self.date)
        self._layout = layout = QHBoxLayout(self)
        layout.addLayout(names, 3)
        layout.addWidget(self.offline, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(clock, 2)
        self._unit = 1.0
        self._notes: list[QLabel] = []
        self.rescale(1.0)

    def add_note(self, note: QLabel) -> None:
        """A small line under the office name (the sync status, a missing voice)."""
        note.setObjectName("soft")
        self._notes.append(note)
        self._names.addWidget(note)
        self.rescale(self._unit)

    def rescale(self, unit: float) -> None:
        self._unit = unit
        pad = round(36 * unit)
        self._layout.setContentsMargins(pad, round(10 * unit), pad, round(10 * unit))
        self._layout.setSpacing(pad)
        self.setFixedHeight(round(128 * unit))
        self.setStyleSheet(
            f"QFrame#topbar {{ background: {NAVY_DARK}; border-bottom: "
            f"{max(2, round(4 * unit))}px solid {YELLOW}; }}"
            f"QLabel {{ background: transparent; color: {WHITE}; }}"
            f"QLabel#soft {{ color: {MUTED}; }}"
            f"QLabel#offline {{ background: {RED}; color: {WHITE}; border-radius: "
            f"{round(12 * unit)}px; padding: {round(8 * unit)}px {round(22 * unit)}px; }}"
        )
        self.title.setFont(pixel_font(44 * unit, bold=True))
        self.office.setFont(pixel_font(32 * unit))
        self.offline.setFont(pixel_font(34 * unit, bold=True))
        self.time.setFont(pixel_font(64 * unit, bold=True))
        self.date.setFont(pixel_font(28 * unit))
        for note in getattr(self, "_notes", ()):
            note.setFont(pixel_font(20 * unit))
