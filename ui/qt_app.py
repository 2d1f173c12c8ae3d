"""The one QApplication of a process, set up the same way for every window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QDeadlineTimer, QEventLoop
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

APP_NAME = "CAC Kiosk"


def application(argv: list[str] | None = None) -> QApplication:
    """Return the running QApplication, creating it on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("CAC")
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 11))
    app.setFont(font)
    return app


def process_events_until(done: Callable[[], bool], timeout_ms: int = 10_000) -> bool:
    """Run the event loop until `done()` or the timeout (no window shown yet, no test running):
    for tools such as `make screenshots` that must wait for queued hub results. Returns done()."""
    app = application()
    deadline = QDeadlineTimer(timeout_ms)
    while not done() and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    app.processEvents()
    return done()
