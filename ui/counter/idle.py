"""Lock the counter after a while without keyboard or mouse input (personal data on screen).

`timer` is a plain single-shot QTimer: tests emit its `timeout` instead of waiting.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class IdleLock(QObject):
    """Emits `idle` once after `seconds` without input to `scope`'s window while armed.

    Only that window's input counts: in `cac app` a citizen touching the kiosk in the same
    process must not keep the counter unlocked."""

    idle = Signal()

    def __init__(self, scope: QWidget) -> None:
        super().__init__(scope)
        self._scope = scope
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._expired)
        self._armed = False
        self._installed = False

    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self, seconds: int) -> None:
        """Start watching; seconds <= 0 means never lock."""
        self._armed = seconds > 0
        if not self._armed:
            self.timer.stop()
            return
        self.timer.setInterval(seconds * 1000)
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.timer.start()

    def disarm(self) -> None:
        self._armed = False
        self.timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() in INPUT_EVENTS and self._mine(watched):
            self.timer.start()
        return False

    def _mine(self, watched: QObject) -> bool:
        if isinstance(watched, QWidget):
            return watched.window() is self._scope
        if isinstance(watched, QWindow):
            return watched is self._scope.windowHandle()
        return False

    def _expired(self) -> None:
        if self._armed:
            self._armed = False
            self.idle.emit()
