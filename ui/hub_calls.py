"""Run hub calls off the GUI thread and deliver their results back on it.

A window never blocks on the network: a kiosk whose hub is restarting keeps repainting and
shows "Un momento…" instead of freezing. Errors arrive as `CacError` (the HTTP client maps
network failures to `HubUnavailable`), anything else as a generic Spanish message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from kiosk.errors import CacError

log = logging.getLogger(__name__)

class Runner(Protocol):
    """How a window's part hands its hub calls to the window: `work` on the worker thread,
    `on_result` or `on_error` back on the GUI thread (the window handles the hub being away
    and a session that ended; `on_error` None: the window shows the refusal)."""

    def __call__(self, work: Callable[[], Any], on_result: Callable[[Any], None],
                 on_error: Callable[[CacError], None] | None = None) -> None: ...


UNEXPECTED = "Ocurrió un error inesperado. Intente de nuevo; si se repite, avise al personal."


class _Relay(QObject):
    """Lives in the GUI thread; the worker's signal reaches it through a queued connection."""

    done = Signal(object, object)  # (result, error)

    def __init__(self, on_result: Callable[[Any], None], on_error: Callable[[CacError], None],
                 forget: Callable[[_Relay], None]) -> None:
        super().__init__()
        self._on_result = on_result
        self._on_error = on_error
        self._forget = forget
        self.done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: Any, error: CacError | None) -> None:
        self._forget(self)
        if error is not None:
            self._on_error(error)
        else:
            self._on_result(result)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._call = call
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._call()
        except CacError as exc:
            self._relay.done.emit(None, exc)
        except Exception as exc:  # a bug must not kill the window's worker thread
            log.exception("hub call failed")
            error = CacError("unexpected", UNEXPECTED)
            error.__cause__ = exc
            self._relay.done.emit(None, error)
        else:
            self._relay.done.emit(result, None)


class HubCaller(QObject):
    """Owns a small thread pool for one window's hub calls."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

    def call(
        self,
        call: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[CacError], None],
    ) -> None:
        relay = _Relay(on_result, on_error, self._relays.discard)
        self._relays.add(relay)  # keep it alive until it has delivered
        self._pool.start(_Job(call, relay))

    @property
    def pending(self) -> int:
        """Calls started whose answer this window has not yet heard (tests wait for none)."""
        return len(self._relays)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Wait for running calls (window close, tests)."""
        return self._pool.waitForDone(msecs)
