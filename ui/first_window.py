"""The moment the first window of a process reaches the screen.

`cac app` starts its LAN API and the hub's background services only then (ui/app.py), so the
windows do not wait for FastAPI and the sync worker to load.

For bench/app_start.py: with `CAC_APP_QUIT_AFTER_SHOWN=S` in the environment, `cac app` prints
`cac-app: first window shown <time.monotonic()>` on stdout at that moment, then quits S seconds
later (S may be 0). Without the variable nothing is printed. The benchmark compares that moment
with when it spawned the process (the monotonic clock is shared by the processes of a machine)
and reads the process's memory while it waits. The other window programs (`cac kiosk`, …) do
the same (`report_first_window`): the tests know so when a window is up.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

QUIT_AFTER_SHOWN_ENV = "CAC_APP_QUIT_AFTER_SHOWN"
MARKER = "cac-app: first window shown"


class _FirstExpose(QObject):
    """Calls back once, right after the first of the windows is exposed and has painted."""

    def __init__(self, app: QApplication, windows: Sequence[QWidget] | None,
                 callback: Callable[[], None], fallback_ms: int | None) -> None:
        super().__init__(app)
        self._app, self._callback, self._done = app, callback, False
        if windows is None:  # any window of the process, shown now or later
            app.installEventFilter(self)
        for window in windows or ():
            handle = window.windowHandle()  # exists once the window has been shown
            if handle is not None:
                handle.installEventFilter(self)
        if fallback_ms is not None:  # a window that is never exposed (minimised, covered)
            QTimer.singleShot(fallback_ms, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (not self._done and event.type() == QEvent.Type.Expose
                and isinstance(watched, QWindow) and watched.isExposed()):
            # Queued behind this event, which is where the window paints itself.
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        if not self._done:
            self._done = True
            self._app.removeEventFilter(self)  # if watching the whole application
            self._callback()


def after_first_window(app: QApplication, windows: Sequence[QWidget],
                       callback: Callable[[], None], fallback_ms: int | None = None) -> QObject:
    """Run `callback` once the first window is on screen (or after `fallback_ms`, if given).
    Call after showing the windows; the returned object lives as long as `app`."""
    return _FirstExpose(app, windows, callback, fallback_ms)


def first_window_report(app: QApplication) -> Callable[[], None] | None:
    """The benchmark's report, when the environment asks for it (see the module's doc): to be
    called at the first window, it prints the moment and has the app quit a while later."""
    value = os.environ.get(QUIT_AFTER_SHOWN_ENV)
    if not value:
        return None
    try:
        linger_ms = round(max(0.0, float(value)) * 1000)
    except ValueError:
        log.warning("%s=%r is not a number of seconds: ignored", QUIT_AFTER_SHOWN_ENV, value)
        return None

    def report() -> None:
        print(f"{MARKER} {time.monotonic():.6f}", flush=True)
        QTimer.singleShot(linger_ms, app.quit)

    return report


def report_first_window(app: QApplication) -> None:
    """The benchmark's report (when the environment asks for it) for a program that shows its
    windows itself: at the first window of the process to reach the screen."""
    report = first_window_report(app)
    if report is not None:
        _FirstExpose(app, None, report, None)
