"""The waiting-room TV: a thin view over the call feed (`feed.py`) and the poller (`poller.py`).

Embeddable: `DisplayWindow(InProcessHubClient(hub, token), announcer)` in an all-in-one office;
`cac display --hub URL --token T` runs it against a remote hub (`run_display`).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.clock import Clock, SystemClock
from kiosk.services.views import CallView, HealthView
from kiosk.shared_views import REPORT_EVERY, DisplayHealthReport, SyncStatusView
from ui.display import texts
from ui.display.announcer import Announcer
from ui.display.feed import DisplayFeed
from ui.display.options import DisplayOptions
from ui.display.poller import CallPoller, CallSource
from ui.display.speech_text import announcement_text
from ui.display.widgets import NAVY, HistoryPanel, LatestCallPanel, Ticker, TopBar
from ui.hub_calls import HubCaller
from ui.local_time import local_timezone
from ui.sync_status import SyncStatusLabel

log = logging.getLogger(__name__)

TITLE = "CAC — Pantalla de llamados"


class DisplayWindow(QWidget):
    """Latest call, recent calls, clock and notices. `announcer=None` is a silent display.

    Polling starts when the window is first shown (or on `start()`) and stops on close;
    `shutdown()` then waits for the request in flight (up to the long-poll's wait).
    `clock` is this PC's clock; the time shown follows the hub's (see `_on_caught_up`).
    """

    def __init__(self, client: CallSource, announcer: Announcer | None = None,
                 clock: Clock | None = None, *, tz: tzinfo | None = None,
                 options: DisplayOptions | None = None, parent: QWidget | None = None,
                 sync_status: Callable[[], SyncStatusView] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.options = options or DisplayOptions()
        self._clock = clock or SystemClock()
        self._tz_fixed = tz is not None
        self.tz = tz or local_timezone()
        self._hub_offset = timedelta(0)
        self.feed = DisplayFeed(self.tz, self.options.history_size,
                                timedelta(seconds=self.options.stale_after_s))
        self._client = client
        self.poller = CallPoller(client, self.feed, self.options.poll, self)
        self.announcer = announcer
        if announcer is not None and announcer.parent() is None:
            announcer.setParent(self)

        self.top = TopBar()
        # The link with central, small under the office name (nothing without a central).
        self.sync_line = (SyncStatusLabel(sync_status, short=True)
                          if sync_status is not None else None)
        if self.sync_line is not None:
            self.top.add_note(self.sync_line)
        # No Spanish voice here: a small line on the TV, and the hub is told (it alerts the
        # supervisor) on every connection and every few minutes while the display runs.
        self.voice_problem = announcer.voice_problem if announcer is not None else None
        self.no_voice = QLabel(texts.NO_VOICE)
        self.top.add_note(self.no_voice)
        self.no_voice.setVisible(self.voice_problem is not None)
        self._health = HubCaller(self, max_threads=1)
        self._health_timer = QTimer(self, interval=int(REPORT_EVERY.total_seconds() * 1000))
        self._health_timer.timeout.connect(self._report_health)
        self.latest = LatestCallPanel()
        self.history = HistoryPanel(self.options.history_size)
        self.ticker = Ticker(self.options.notices)
        self._body = QHBoxLayout()
        self._body.addWidget(self.latest, 3)
        self._body.addWidget(self.history, 2)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self.top)
        root.addLayout(self._body, 1)
        root.addWidget(self.ticker)
        self.setObjectName("display")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#display {{ background: {NAVY}; }}")

        self.poller.arrived.connect(self._on_arrived)
        self.poller.caught_up.connect(self._on_caught_up)
        self.poller.caught_up.connect(lambda _health: self._report_health())
        self.poller.connected_changed.connect(self._on_connection)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_clock)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.close)  # for the technician
        self._started = False
        self._rescale()
        self._update_clock()

    # --- life cycle ----------------------------------------------------------------------

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._tick.start()
            self._health_timer.start()
            self.poller.start()
            if self.sync_line is not None:
                self.sync_line.start()

    def shutdown(self, wait_ms: int | None = None) -> bool:
        """Stop polling, sound and timers; True once no request is left in flight."""
        self._tick.stop()
        self._health_timer.stop()
        self.ticker.stop()
        self.latest.stop_flash()
        if self.sync_line is not None:
            self.sync_line.stop()
            self.sync_line.wait_idle(0 if wait_ms == 0 else 10_000)
        if self.announcer is not None:
            self.announcer.stop()
        self._health.wait_idle(0 if wait_ms == 0 else 10_000)
        return self.poller.stop(wait_ms)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Do not freeze a closing window on a long-poll in flight: whoever owns the window
        # waits for it afterwards with shutdown() (run_display does).
        self.shutdown(wait_ms=0)
        super().closeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    # --- what the screen shows (also read by tests) ----------------------------------------

    def now(self) -> datetime:
        """Office time: this PC's clock corrected to the hub's (an old PC's clock drifts)."""
        return (self._clock.now() + self._hub_offset).astimezone(self.tz)

    def shown_latest(self) -> tuple[str, str] | None:
        if self.feed.latest is None:
            return None
        return self.latest.number.text(), self.latest.counter.text()

    def shown_history(self) -> list[tuple[str, str]]:
        return self.history.shown()

    @property
    def offline_shown(self) -> bool:
        return not self.top.offline.isHidden()

    # --- reacting to the feed ------------------------------------------------------------

    def _on_caught_up(self, health: HealthView) -> None:
        self._hub_offset = health.time - self._clock.now()
        self.top.office.setText(health.name)
        zone = getattr(health, "timezone", None)  # newer hubs may say which zone they keep
        if zone and not self._tz_fixed:
            try:
                self.tz = self.feed.tz = ZoneInfo(str(zone))
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("zona horaria del hub desconocida: %s", zone)
        self._update_clock()

    def _on_arrived(self, fresh: list[CallView]) -> None:
        self._refresh()
        latest = self.feed.latest
        if latest is not None and any(call.seq == latest.seq for call in fresh):
            self.latest.flash(round(self.options.flash_s * 1000))
        if self.announcer is not None:
            for call in fresh:
                self.announcer.announce(announcement_text(call))

    def _report_health(self) -> None:
        """Tell the hub whether this display speaks the calls (not a muted one: silent on
        purpose). A hub too old to listen, or out of reach, changes nothing here."""
        report = getattr(self._client, "report_display_health", None)
        if self.announcer is None or not callable(report):
            return
        health = DisplayHealthReport(voice=self.voice_problem or "ok")
        self._health.call(lambda: report(health), lambda _done: None,
                          lambda error: log.info("voice report not taken: %s", error.code))

    def _on_connection(self, connected: bool) -> None:
        self.top.offline.setVisible(not connected)

    def _refresh(self) -> None:
        self.latest.show_call(self.feed.latest)
        self.history.show_calls(self.feed.history)

    def _update_clock(self) -> None:
        now = self.now()
        self.top.time.setText(texts.clock_time(now))
        self.top.date.setText(texts.long_date(now.date()))
        if self.feed.cursor is not None and self.feed.start_day(now.date()):
            self._refresh()  # past midnight: yesterday's numbers leave the screen

    def _rescale(self) -> None:
        unit = max(0.4, min(self.height() / 1080, self.width() / 1920))
        margin = round(28 * unit)
        self._body.setContentsMargins(margin, margin, margin, margin)
        self._body.setSpacing(margin)
        self.top.rescale(unit)
        self.latest.rescale(unit)
        self.history.rescale(unit)
        self.ticker.rescale(unit)


def run_display(args: argparse.Namespace) -> int:
    """`cac display`: the TV of the waiting room, full-screen unless --windowed."""
    from ui.connect import remote_client
    from ui.display.announcer import Announcer
    from ui.display.sound import QtSpeaker
    from ui.lockdown import show_public
    from ui.qt_app import application

    app = application()
    client = remote_client(args.hub, args.token, getattr(args, "ca", None))
    announcer = None if getattr(args, "mute", False) else Announcer(QtSpeaker())
    window = DisplayWindow(client, announcer, sync_status=client.sync_status)
    # Nobody points at a TV: no cursor, mouse or not.
    show_public(window, client.unlock_window, windowed=getattr(args, "windowed", False),
                size=(1366, 768), hide_cursor=True)
    app.exec()
    window.shutdown()  # the window is gone; wait for the last long-poll to return
    close = getattr(client, "close", None)
    if callable(close):
        close()
    return 0
