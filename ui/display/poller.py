"""Follows the hub's call feed by long-poll, off the GUI thread, and reconnects by itself.

One request is in flight at a time, so pages reach the feed in order. After any failure the
display waits (1 s, 2 s, 4 s... up to 10 s; timers, never a sleep on the GUI thread), then catches
up from its cursor before it long-polls again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.errors import CacError
from kiosk.services.views import CallsPage, CallView, HealthView
from ui.display.feed import DisplayFeed, read_until_empty, tail_cursor
from ui.display.options import PollOptions
from ui.hub_calls import HubCaller

log = logging.getLogger(__name__)


class CallSource(Protocol):
    """The part of `HubClient` the display needs (any HubClient fits)."""

    def health(self) -> HealthView: ...
    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage: ...


@dataclass(frozen=True)
class CatchUp:
    health: HealthView
    pages: list[CallsPage]


def read_catch_up(client: CallSource, cursor: int | None) -> CatchUp:
    """Runs on a worker: the hub's time first, then everything after the cursor."""
    health = client.health()

    def fetch(after: int) -> CallsPage:
        return client.calls(after=after, wait=0)

    start = tail_cursor(fetch) if cursor is None else cursor
    return CatchUp(health, read_until_empty(fetch, start))


class CallPoller(QObject):
    connected_changed = Signal(bool)
    caught_up = Signal(object)  # HealthView, on every (re)connection
    arrived = Signal(object)  # list[CallView] to announce; the feed's history changed

    def __init__(self, client: CallSource, feed: DisplayFeed, options: PollOptions | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.feed = feed
        self.options = options or PollOptions()
        self._caller = HubCaller(self, max_threads=1)
        self._running = False
        self._connected: bool | None = None  # None: not known yet (no mark on start-up)
        self._retry_s = self.options.retry_min_s
        self._poll_started = 0.0
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self._connect)
        self._next_poll = QTimer(self, singleShot=True)
        self._next_poll.timeout.connect(self._poll)

    @property
    def connected(self) -> bool | None:
        return self._connected

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if not self._running:
            self._running = True
            self._connect()

    def stop(self, wait_ms: int | None = None) -> bool:
        """Stop following; wait for the request in flight (a long-poll lasts up to wait_s)."""
        self._running = False
        self._retry.stop()
        self._next_poll.stop()
        if wait_ms is None:
            wait_ms = int((self.options.wait_s + 15) * 1000)
        return self._caller.wait_idle(wait_ms)

    # --- the loop ------------------------------------------------------------------------

    def _connect(self) -> None:
        if not self._running:
            return
        cursor = self.feed.cursor
        self._caller.call(lambda: read_catch_up(self._client, cursor), self._on_caught_up,
                          self._on_error)

    def _on_caught_up(self, result: CatchUp) -> None:
        if not self._running:
            return
        fresh = self.feed.catch_up(result.pages, result.health.time)
        self._retry_s = self.options.retry_min_s
        self._set_connected(True)
        self.caught_up.emit(result.health)
        self.arrived.emit(fresh)
        self._poll()

    def _poll(self) -> None:
        if not self._running:
            return
        cursor, wait = self.feed.cursor or 0, self.options.wait_s
        self._poll_started = time.monotonic()
        self._caller.call(lambda: self._client.calls(after=cursor, wait=wait), self._on_page,
                          self._on_error)

    def _on_page(self, page: CallsPage) -> None:
        if not self._running:
            return
        new: list[CallView] = self.feed.live(page)
        if new:
            self.arrived.emit(new)
            self._poll()
            return
        elapsed = time.monotonic() - self._poll_started
        self._next_poll.start(max(0, round((self.options.min_interval_s - elapsed) * 1000)))

    def _on_error(self, error: CacError) -> None:
        if not self._running:
            return
        if self._connected is not False:
            log.warning("pantalla sin conexión con el hub: %s", error.message)
        self._set_connected(False)
        self._retry.start(round(self._retry_s * 1000))
        self._retry_s = min(self._retry_s * 2, self.options.retry_max_s)

    def _set_connected(self, connected: bool) -> None:
        if connected != self._connected:
            if connected and self._connected is False:
                log.info("pantalla conectada de nuevo con el hub")
            self._connected = connected
            self.connected_changed.emit(connected)
