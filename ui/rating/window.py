"""«Califique la atención»: a small touch screen facing the citizen at a counter.

It watches its counter through the hub (`queue()`, every 2 s): when the ticket the counter
held is finished, it asks that citizen for a 1–5 rating with five big faces, sends it with
`rate_ticket`, thanks them and goes back to waiting. A ticket transferred or not served is
not asked about; the faces wait a minute and a half, then the screen goes back by itself.

The device is a counter-role device of its own that the admin bound to its counter (`cac device
add --role counter --counter N`, or the admin window's «Dispositivos»), never logged in: the hub
shows it only that counter's tickets and accepts one rating of the ticket that counter finished
last, within 30 minutes. An unbound screen shows the hub's reason and asks nobody.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QKeySequence, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import CacError, Conflict, HubUnavailable
from kiosk.services.supervisor_views import RatingView
from kiosk.services.views import TicketView
from ui.hub_calls import HubCaller
from ui.kiosk.style import GOLD, NAVY

TITLE = "CAC — Califique la atención"
OFFLINE = "Sin conexión con el hub, reintentando…"
SCORE_WORDS = ("Muy mala", "Mala", "Regular", "Buena", "Muy buena")
# From red to green, one per face.
FACE_COLOURS = ("#c62828", "#ef6c00", "#f9a825", "#7cb342", "#2e7d32")

RATING_STYLE = f"""
QMainWindow#ratingWindow, QWidget#ratingPage {{ background: {NAVY}; }}
QLabel {{ color: white; font-family: "DejaVu Sans"; }}
QLabel#ratingCounter {{ font-size: 22px; color: #cfe0f5; }}
QLabel#ratingTitle {{ font-size: 40px; font-weight: bold; }}
QLabel#ratingTicket {{ font-size: 30px; color: {GOLD}; font-weight: bold; }}
QLabel#ratingHint {{ font-size: 22px; color: #dde7f3; }}
QLabel#ratingNotice {{ font-size: 20px; color: #ffd1d1; }}
"""


@dataclass(frozen=True)
class RatingOptions:
    poll_ms: int = 2_000  # how often the counter is looked at
    prompt_ms: int = 90_000  # how long the faces wait for the citizen
    thanks_ms: int = 6_000  # the thank-you, then back to waiting


class FaceButton(QAbstractButton):
    """A big painted face (no emoji font needed), its word under it; key 1–5 presses it."""

    def __init__(self, score: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score = score
        self.setObjectName(f"face{score}")
        self.setText(SCORE_WORDS[score - 1])
        self.setShortcut(QKeySequence(str(score)))
        self.setToolTip(f"{score} — {SCORE_WORDS[score - 1]}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(150, 190)

    def sizeHint(self) -> QSize:
        return QSize(170, 220)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        word_height = 44.0
        side = min(self.width() - 12.0, self.height() - word_height - 12.0)
        face = QRectF((self.width() - side) / 2, 6, side, side)
        colour = QColor(FACE_COLOURS[self.score - 1])
        if not self.isEnabled():
            colour = QColor("#7a8794")
        elif self.isDown():
            colour = colour.darker(125)
        painter.setPen(QPen(QColor("white"), 5 if self.hasFocus() else 2))
        painter.setBrush(colour)
        painter.drawEllipse(face)
        ink = QColor("#1b1f24")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        eye = side * 0.07
        for x in (0.34, 0.66):
            painter.drawEllipse(QPointF(face.left() + side * x, face.top() + side * 0.38),
                                eye, eye * 1.3)
        # The mouth bends from a frown (1) to a wide smile (5).
        bend = (self.score - 3) * side * 0.09
        left = QPointF(face.left() + side * 0.28, face.top() + side * 0.68)
        right = QPointF(face.left() + side * 0.72, face.top() + side * 0.68)
        mouth = QPainterPath(left)
        mouth.quadTo(QPointF(face.center().x(), left.y() + 2 * bend), right)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(ink, max(4.0, side * 0.05), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawPath(mouth)
        painter.setPen(QColor("white"))
        font = QFont("DejaVu Sans", 15)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, face.bottom() + 6, self.width(), word_height),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                         self.text())
        painter.end()


def _label(text: str, name: str) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setWordWrap(True)
    return widget


class RatingWindow(QMainWindow):
    rated = Signal(object)  # the RatingView the hub recorded

    def __init__(self, client: HubClient, counter: int, options: RatingOptions | None = None,
                 *, caller: HubCaller | None = None) -> None:
        super().__init__()
        self.setObjectName("ratingWindow")
        self.setWindowTitle(TITLE)
        self.setStyleSheet(RATING_STYLE)
        self._client = client
        self.counter = counter
        self.options = options or RatingOptions()
        self._caller = caller or HubCaller(self, max_threads=1)
        self.held: str | None = None  # the ticket the counter holds now
        self.ticket: TicketView | None = None  # the one being asked about
        self.asked: set[str] = set()  # never ask twice about one ticket
        self.last_rating: RatingView | None = None
        self.offline = False
        self._polling = False
        self._sending = False

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.waiting = self._page()
        column = self.waiting.layout()
        assert isinstance(column, QVBoxLayout)
        column.addWidget(_label(f"Ventanilla {counter}", "ratingCounter"))
        column.addStretch(1)
        column.addWidget(_label("Al terminar su atención, califíquenos aquí.", "ratingTitle"))
        column.addWidget(_label("Su opinión nos ayuda a atenderle mejor.", "ratingHint"))
        column.addStretch(1)
        self.waiting_notice = _label("", "ratingNotice")
        column.addWidget(self.waiting_notice)

        self.ask_page = self._page()
        column = self.ask_page.layout()
        assert isinstance(column, QVBoxLayout)
        column.addWidget(_label(f"Ventanilla {counter}", "ratingCounter"))
        column.addWidget(_label("¿Cómo lo atendimos?", "ratingTitle"))
        self.ticket_label = _label("", "ratingTicket")
        column.addWidget(self.ticket_label)
        faces = QHBoxLayout()
        faces.setSpacing(16)
        self.faces = [FaceButton(score) for score in range(1, 6)]
        for face in self.faces:
            face.clicked.connect(lambda _checked=False, s=face.score: self.rate(s))
            faces.addWidget(face)
        column.addLayout(faces, 1)
        column.addWidget(_label("Toque una carita. Es anónimo.", "ratingHint"))
        self.ask_notice = _label("", "ratingNotice")
        column.addWidget(self.ask_notice)

        self.thanks = self._page()
        column = self.thanks.layout()
        assert isinstance(column, QVBoxLayout)
        column.addStretch(1)
        column.addWidget(_label("¡Gracias por su calificación!", "ratingTitle"))
        self.thanks_text = _label("", "ratingHint")
        column.addWidget(self.thanks_text)
        column.addStretch(1)
        for page in (self.waiting, self.ask_page, self.thanks):
            self.stack.addWidget(page)

        self.poll_timer = QTimer(self, interval=self.options.poll_ms)
        self.poll_timer.timeout.connect(self.poll)
        self.prompt_timer = QTimer(self, interval=self.options.prompt_ms, singleShot=True)
        self.prompt_timer.timeout.connect(self.back_to_waiting)
        self.thanks_timer = QTimer(self, interval=self.options.thanks_ms, singleShot=True)
        self.thanks_timer.timeout.connect(self.back_to_waiting)
        self.back_to_waiting()
        self.poll()
        self.poll_timer.start()

    @staticmethod
    def _page() -> QWidget:
        page = QWidget()
        page.setObjectName("ratingPage")
        column = QVBoxLayout(page)
        column.setContentsMargins(30, 20, 30, 20)
        column.setSpacing(12)
        return page

    # --- watching the counter -------------------------------------------------------------

    @property
    def polling(self) -> bool:
        """A look at the counter is on its way (tests wait for its answer)."""
        return self._polling

    def poll(self) -> None:
        if self._polling:
            return
        self._polling = True
        client, counter, previous = self._client, self.counter, self.held

        def work() -> tuple[str | None, TicketView | None]:
            queue = client.queue()
            mine = next((c for c in queue.counters if c.number == counter), None)
            current = mine.current_ticket_id if mine is not None else None
            finished = None
            if previous is not None and previous != current:
                ticket = client.ticket(previous)  # done with it: finished, or sent on?
                finished = ticket if ticket.status == "finished" else None
            return current, finished

        def done(result: tuple[str | None, TicketView | None]) -> None:
            self._polling = False
            self._online()
            self.held, finished = result
            if finished is not None and finished.id not in self.asked:
                self.ask(finished)

        def failed(error: CacError) -> None:
            self._polling = False
            if isinstance(error, HubUnavailable):
                self.offline = True
                self.waiting_notice.setText(OFFLINE)
            else:
                self.waiting_notice.setText(error.message)

        self._caller.call(work, done, failed)

    def _online(self) -> None:
        if self.offline:
            self.offline = False
            self.waiting_notice.setText("")

    # --- asking ---------------------------------------------------------------------------

    def ask(self, ticket: TicketView) -> None:
        """The faces for the citizen of `ticket` (a newer finish replaces an open question:
        that citizen has left)."""
        self.asked.add(ticket.id)
        self.ticket = ticket
        self.thanks_timer.stop()
        self.ticket_label.setText(f"Turno {ticket.number}")
        self.ask_notice.setText("")
        self._set_faces(True)
        self.stack.setCurrentWidget(self.ask_page)
        self.prompt_timer.start()

    def rate(self, score: int) -> None:
        ticket = self.ticket
        if ticket is None or self._sending or self.stack.currentWidget() is not self.ask_page:
            return
        self._sending = True
        self._set_faces(False)
        self.prompt_timer.stop()
        client = self._client

        def done(rating: RatingView) -> None:
            self._sending = False
            self.last_rating = rating
            self.rated.emit(rating)
            self._thank(f"Calificó la atención del turno {rating.number} como "
                        f"«{SCORE_WORDS[rating.score - 1].lower()}».")

        def failed(error: CacError) -> None:
            self._sending = False
            if isinstance(error, HubUnavailable):  # the citizen may touch again
                self._set_faces(True)
                self.ask_notice.setText(OFFLINE)
                self.prompt_timer.start()
            elif isinstance(error, Conflict) and error.code == "already_rated":
                self._thank(error.message)
            else:
                self.back_to_waiting()
                self.waiting_notice.setText(error.message)

        self._caller.call(lambda: client.rate_ticket(ticket.id, score), done, failed)

    def _thank(self, text: str) -> None:
        self.thanks_text.setText(text)
        self.stack.setCurrentWidget(self.thanks)
        self.thanks_timer.start()

    def _set_faces(self, enabled: bool) -> None:
        for face in self.faces:
            face.setEnabled(enabled)

    def back_to_waiting(self) -> None:
        self.prompt_timer.stop()
        self.thanks_timer.stop()
        self.ticket = None
        self.waiting_notice.setText(OFFLINE if self.offline else "")
        self.stack.setCurrentWidget(self.waiting)

    # --- lifecycle ------------------------------------------------------------------------

    def shutdown(self) -> None:
        for timer in (self.poll_timer, self.prompt_timer, self.thanks_timer):
            timer.stop()
        self._caller.wait_idle()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def run_rating(args: argparse.Namespace) -> int:
    from ui.connect import remote_client
    from ui.lockdown import show_public
    from ui.qt_app import application

    app = application()
    client = remote_client(args.hub, args.token, getattr(args, "ca", None))
    window = RatingWindow(client, args.counter)
    show_public(window, client.unlock_window, windowed=args.windowed, size=(1024, 600))
    code = int(app.exec())
    window.shutdown()
    QCoreApplication.processEvents()
    return code
