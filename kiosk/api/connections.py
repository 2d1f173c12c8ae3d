"""Connections to the hub's server, bounded so that idle or slow clients never stop tickets.

What went wrong (issue 14): uvicorn times out a kept-alive connection after its response, but
not one that never completes a request head, so 1,100 sockets opened and left silent stayed open
for good; past the process's file-descriptor limit (1,024 by default on Linux) `accept()` failed
and a kiosk's ticket request was never even accepted. So:

- the soft limit of open files is raised to the hard limit when the server is made (POSIX);
- a connection must send a complete request head within `head_timeout_s` of opening, or of its
  previous response (a slow-loris dribbling one header byte every few seconds is closed too);
- at most `max_connections` connections are kept (never more than the file limit allows, with
  a reserve for the database, logs and backups): a new one past the bound closes the connection
  that has waited longest for a request head, so a kiosk's new connection gets in while idle
  sockets are dropped. When every connection is busy with a request, the newcomer is closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 2000  # an office has tens of devices with a few connections each
HEAD_TIMEOUT_S = 10.0  # a device sends its request head in one packet; a person takes no part
KEEP_ALIVE_S = 5  # uvicorn's default, stated: idle kept-alive connections close after a response
FILE_RESERVE = 128  # descriptors kept for the database, WAL, logs, backups and central's sync
UNLIMITED_TARGET = 65536


def raise_open_file_limit() -> int | None:
    """Raise the soft limit of open files to the hard limit; the soft limit after (None where
    there is no such limit: Windows)."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # An unlimited hard limit (macOS) still has a kernel ceiling: ask for a generous figure.
    target = UNLIMITED_TARGET if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("no se pudo subir el límite de archivos abiertos (%s): %s", soft, exc)
    return None if soft == resource.RLIM_INFINITY else soft


def connection_bound(wanted: int, open_files: int | None) -> int:
    """`wanted`, or fewer when the file limit leaves less room (two sockets are never needed
    per connection: the server holds one descriptor each)."""
    if open_files is None:
        return wanted
    return max(8, min(wanted, open_files - FILE_RESERVE))


def bounded_protocol(max_connections: int, head_timeout_s: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol with the two bounds, for one server (its own waiting list)."""
    waiting: OrderedDict[BoundedH11Protocol, float] = OrderedDict()

    class BoundedH11Protocol(H11Protocol):
        """Tracks the connections waiting for a request head, oldest first."""

        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._await_head()
            if len(self.connections) > max_connections:
                self._make_room()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # a whole head came: a request runs
                self._stop_waiting()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self._await_head()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            super().connection_lost(exc)

        def _await_head(self) -> None:
            self._stop_waiting()
            waiting[self] = self.loop.time()
            self._head_timer = self.loop.call_later(head_timeout_s, self._head_timed_out)

        def _stop_waiting(self) -> None:
            waiting.pop(self, None)
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if self in waiting:
                self._drop()

        def _make_room(self) -> None:
            oldest = next((p for p in waiting if p is not self), None)
            (oldest or self)._drop()

        def _drop(self) -> None:
            self._stop_waiting()
            if not self.transport.is_closing():
                self.transport.close()

    return BoundedH11Protocol


def bounded_config(config: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's options with the bounds above; `max_connections` and `head_timeout_s` (ours)
    may be given to change them (the tests make them small)."""
    options = dict(config)
    wanted = int(options.pop("max_connections", MAX_CONNECTIONS))
    head_timeout_s = float(options.pop("head_timeout_s", HEAD_TIMEOUT_S))
    bound = connection_bound(wanted, raise_open_file_limit())
    options.setdefault("http", bounded_protocol(bound, head_timeout_s))
    options.setdefault("timeout_keep_alive", KEEP_ALIVE_S)
    # asyncio's own loop, not uvicorn's «auto» (uvloop where installed, for central): an
    # office's hub runs on Windows, which has no uvloop, and is tested with the loop it runs.
    options.setdefault("loop", "asyncio")
    return options
