"""A hub service that does one piece of work now and then on its own thread (backups, the
daily statistics and retention job): started and stopped by kiosk/plugins.py."""

from __future__ import annotations

import logging
import threading
from typing import Any, Self

log = logging.getLogger(__name__)


class PeriodicJob:
    """Calls `run_once` at start and every `wait_s()` seconds until stopped. A failure is
    logged (`failure` says what failed, in Spanish) and the next round tries again: the
    thread never dies and the office keeps working."""

    thread_name = "tarea"
    failure = "error inesperado en una tarea del hub"
    run_at_start = True  # False: the first round waits `wait_s()` like the others

    def __init__(self, check_every_s: float) -> None:
        self.check_every_s = check_every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    def run_once(self) -> Any:
        raise NotImplementedError

    def wait_s(self) -> float:
        return self.check_every_s

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _run(self) -> None:
        if not self.run_at_start:
            self._stop.wait(self.wait_s())
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # never let the thread die
                log.exception("%s", self.failure)
            self._stop.wait(self.wait_s())
