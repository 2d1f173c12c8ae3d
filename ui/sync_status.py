"""The small "last sync with central" line every window carries (counter, kiosk, TV).

It asks the hub every half minute, off the GUI thread; while the hub cannot be asked it keeps
the last line it had. The full line is for staff windows; the kiosk and the TV use the short
one, and show nothing at all for an office that works without a central.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.errors import CacError
from kiosk.shared_views import SyncStatusView
from ui.hub_calls import HubCaller

REFRESH_MS = 30_000


class SyncStatusLabel(QLabel):
    def __init__(self, fetch: Callable[[], SyncStatusView], *, short: bool = False,
                 caller: HubCaller | None = None, interval_ms: int = REFRESH_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._fetch = fetch
        self._short = short
        self._caller = caller or HubCaller(self, max_threads=1)
        self.status: SyncStatusView | None = None
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.refresh)
        self.setProperty("alert", False)
        self.hide()

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        self._caller.call(self._fetch, self.show_status, self._keep_last)

    def show_status(self, status: SyncStatusView) -> None:
        self.status = status
        text = status.short if self._short else status.summary
        alert = bool(status.warnings) or status.stale
        self.setText(("⚠ " if alert and text else "") + text)
        self.setToolTip("\n".join(status.warnings))
        if self.property("alert") != alert:
            self.setProperty("alert", alert)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setVisible(bool(text))

    def _keep_last(self, _error: CacError) -> None:
        """The hub is away: the window already says so; this line keeps what it knew."""

    def wait_idle(self, msecs: int = 10_000) -> bool:
        return self._caller.wait_idle(msecs)
