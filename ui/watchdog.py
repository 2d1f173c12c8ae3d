"""`cac kiosk|display|rating --restart`: the window runs as a child process and is started
again when it dies (issue 19), and the hub hears of each restart (the supervisor's alerts).

A window that ends on purpose is not restarted: code 0 (an administrator's PIN closed it, see
ui/lockdown.py), 130 (Ctrl+C) and 143 (SIGTERM, the PC shutting down). Anything else (a crash,
a kill, Qt aborting) is a death: the window is started again after a pause that grows with
each death in a row (so a window that cannot start does not spin the CPU) and falls back to
the shortest once the window has lived a while. If the hub cannot be told (it is away too),
the next report says the count; the watchdog itself never stops for that. No Qt here.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kiosk.errors import CacError
from kiosk.wire import WindowRestartReport

log = logging.getLogger(__name__)

ON_PURPOSE = frozenset({0, 130, 143})
PAUSES_S = (1.0, 2.0, 5.0, 15.0, 30.0, 60.0)
HEALTHY_AFTER_S = 300.0  # a window that lived this long starts the pauses over


@dataclass
class Watchdog:
    """Runs `command` until it ends on purpose. `run`, `sleep` and `now` are the OS's by
    default; tests give their own (no real processes, no waiting)."""

    command: Sequence[str]
    report: Callable[[WindowRestartReport], None]
    run: Callable[[Sequence[str]], int] = field(
        default=lambda command: subprocess.call(list(command)))
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.monotonic
    restarts: int = 0
    unreported: list[int] = field(default_factory=list)

    def watch(self, max_runs: int | None = None) -> int:
        """The window's last exit code (an on-purpose one), or the last death's after
        `max_runs` runs (tests; None: for ever)."""
        in_a_row = 0
        runs = 0
        while True:
            started = self.now()
            code = self.run(self.command)
            runs += 1
            if code in ON_PURPOSE:
                return code
            if self.now() - started >= HEALTHY_AFTER_S:
                in_a_row = 0
            in_a_row += 1
            self.restarts += 1
            log.warning("la ventana terminó con el código %s: se vuelve a abrir", code)
            self._tell(code)
            if max_runs is not None and runs >= max_runs:
                return code
            self.sleep(PAUSES_S[min(in_a_row, len(PAUSES_S)) - 1])

    def _tell(self, code: int) -> None:
        self.unreported.append(code)
        try:
            for pending in list(self.unreported):
                self.report(WindowRestartReport(exit_code=max(-255, min(255, pending))))
                self.unreported.remove(pending)
        except CacError as exc:  # the hub is away too: said with the next restart
            log.warning("no se pudo avisar al hub del reinicio: %s", exc.message)
