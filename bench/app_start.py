"""App start and memory benchmark: `cac app` to its first window, and its resident memory.

What is measured, in one run, with Qt's offscreen platform (QT_QPA_PLATFORM=offscreen):

1. START: the all-in-one app (`python -m kiosk app`: the hub in-process, the kiosk and the
   waiting-room display full-screen, the LAN API on a loopback port) on a demo office whose
   store holds a whole simulated day (`kiosk.simulate.simulate_day`, 600 tickets, yesterday).
   Start time runs from just before the process is spawned to the moment its first window has
   been exposed and painted, which the app reports itself when `CAC_APP_QUIT_AFTER_SHOWN` is
   set (ui/first_window.py; the monotonic clock is shared by the processes of a machine).
2. FLOOR: a bare PySide6 window (a QLabel shown full-screen, `python -c`), started, timed and
   measured the same way: what Python and Qt cost before the app does anything.
3. MEMORY: resident memory (VmRSS in /proc/<pid>/status) of each, 2 s after its first window.
4. A DAY THROUGH THE APP: one more app start, then a day's tickets (600, the demo day's volume;
   `--quick`: 60) issued, called, started and finished through the app's own LAN API on
   loopback while its display window shows and announces every call; VmRSS after it, and its
   growth per 100 tickets (a leak would show there).

Starts alternate app / bare window (after one untimed start of each) so both see the same
machine; medians are quoted. Targets (issue 8, informative PASS/MISS): first window <= 2 s;
resident memory after a simulated day <= 200 MB.

Run from the repository root:  .venv/bin/python bench/app_start.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from servers import free_port
from staff import StaffedCounter, staff_counters

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.simulate import OPENING, simulate_day
from ui.first_window import MARKER, QUIT_AFTER_SHOWN_ENV

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_STARTS, QUICK_STARTS = 5, 1
DAY_TICKETS, QUICK_DAY_TICKETS = 600, 60
SIMULATED_TICKETS, QUICK_SIMULATED_TICKETS = 600, 150
SETTLE_S = 2.0  # after the first window: the windows fetch their data, then memory is read
START_TIMEOUT_S = 60.0

START_TARGET_S = 2.0
RSS_TARGET_MB = 200.0
MACHINE_NOTE = "2 cores shared: quote medians and ratios"

# The floor: Python, PySide6 and one full-screen window, reporting like ui/first_window.py.
BARE_WINDOW = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])
window = QLabel("CAC Kiosk")
window.showFullScreen()
linger_ms = round(float(os.environ[sys.argv[1]]) * 1000)

class Probe(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if (not self.seen and event.type() == QEvent.Type.Expose
                and isinstance(watched, QWindow) and watched.isExposed()):
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        print(f"{sys.argv[2]} {time.monotonic():.6f}", flush=True)
        QTimer.singleShot(linger_ms, app.quit)

probe = Probe()
window.windowHandle().installEventFilter(probe)
app.exec()
"""


# --- the office ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Devices:
    """The credentials the day is driven with: the kiosk's, and each counter's clerk."""

    kiosk: str
    counters: dict[int, StaffedCounter]


def prepare_office(root: Path, tickets: int) -> tuple[DataDir, Devices]:
    """A demo office with yesterday's simulated day in its store, a kiosk, and a clerk logged
    in at each counter."""
    data_dir = DataDir(root / "office")
    OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", demo=True).close()
    tz = data_dir.load_config().tz
    day = datetime.now(tz).date() - timedelta(days=1)
    clock = VirtualClock(datetime.combine(day, OPENING, tzinfo=tz) - timedelta(minutes=1))
    hub = OfficeHub(data_dir, clock)
    try:
        simulate_day(hub, clock, day, tickets)
    finally:
        hub.close()
    hub = OfficeHub(data_dir)
    try:
        _device, kiosk = hub.add_device(SYSTEM, "Quiosco de pruebas", "kiosk")
        devices = Devices(kiosk, staff_counters(hub, [c.number for c in hub.counters(SYSTEM)]))
    finally:
        hub.close()
    return data_dir, devices


# --- one start -----------------------------------------------------------------------------


@dataclass
class Started:
    process: subprocess.Popen[str]
    start_s: float


def _rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB; 0 where unavailable."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextlib.contextmanager
def started(command: list[str], linger_s: float, log_path: Path) -> Iterator[Started]:
    """Spawn a window process and wait for its first-window line; stop it at the end."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", QUIT_AFTER_SHOWN_ENV: f"{linger_s:g}"}
    with log_path.open("a") as log:
        t0 = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True,
                                   env=env, cwd=ROOT)
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    raise RuntimeError(f"no window within {START_TIMEOUT_S:g} s: {command}"
                                       ) from None
                if line is None:
                    raise RuntimeError(f"exited ({process.wait()}) before its first window: "
                                       f"{command}; see {log_path}")
                if line.startswith(MARKER):
                    shown = float(line.split()[-1])
                    break
            yield Started(process, shown - t0)
        except BaseException:
            _stop(process, 0)
            raise
        _stop(process, linger_s + 30)


def _stop(process: subprocess.Popen[str], grace_s: float) -> None:
    """Let the process quit by itself within `grace_s`, else terminate (then kill) it."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_start(command: list[str], log_path: Path) -> tuple[float, float]:
    """(seconds to the first window, MB resident SETTLE_S after it)."""
    with started(command, SETTLE_S + 0.5, log_path) as run:
        time.sleep(SETTLE_S)
        rss = _rss_mb(run.process.pid)
        if run.process.poll() is not None:
            raise RuntimeError(f"{command} quit before its memory was read")
    if run.process.returncode != 0:
        raise RuntimeError(f"{command} exited with {run.process.returncode}; see {log_path}")
    return run.start_s, rss


# --- a day through the app's LAN API -------------------------------------------------------


class Api:
    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self._headers = {**headers, "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
             ) -> Any:
        self._conn.request(method, f"/api/v1{path}",
                           body=None if body is None else json.dumps(body), headers=self._headers)
        response = self._conn.getresponse()
        raw = response.read()
        if response.status not in ok:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {raw[:200]!r}")
        return json.loads(raw) if raw else None


def drive_day(port: int, devices: Devices, tickets: int) -> None:
    """Each ticket: issued at the kiosk, called by the clerk of a counter that serves its
    service, started, finished."""
    kiosk = Api(port, {"Authorization": f"Bearer {devices.kiosk}"})
    clerks = {n: Api(port, staffed.headers()) for n, staffed in devices.counters.items()}
    by_service: dict[str, list[int]] = {}
    for counter in kiosk.call("GET", "/queue")["counters"]:
        if counter["state"] == "closed":
            clerks[counter["number"]].call("POST", f"/counters/{counter['number']}/open")
        for code in counter["services"]:
            by_service.setdefault(code, []).append(counter["number"])
    services = sorted(by_service)
    for i in range(tickets):
        service = services[i % len(services)]
        issued = kiosk.call("POST", "/tickets", {"service": service})
        number = by_service[service][i % len(by_service[service])]
        clerk = clerks[number]
        called = clerk.call("POST", f"/counters/{number}/call-next")
        if called["id"] != issued["id"]:
            raise RuntimeError(f"counter {number} called {called['number']}, "
                               f"not {issued['number']}")
        clerk.call("POST", f"/tickets/{called['id']}/start")
        clerk.call("POST", f"/tickets/{called['id']}/finish", {"outcome": "atendido"})


def measure_day(command: list[str], port: int, devices: Devices, tickets: int, log_path: Path
                ) -> tuple[float, float, float]:
    """(MB resident before the day, MB after it, seconds the day took)."""
    with started(command, 3600, log_path) as run:
        time.sleep(SETTLE_S)
        before = _rss_mb(run.process.pid)
        began = time.perf_counter()
        drive_day(port, devices, tickets)
        took = time.perf_counter() - began
        time.sleep(SETTLE_S)
        after = _rss_mb(run.process.pid)
        if run.process.poll() is not None:
            raise RuntimeError(f"the app quit during the day; see {log_path}")
        run.process.terminate()  # the app would otherwise linger for an hour
    return before, after, took


# --- report --------------------------------------------------------------------------------


def _check(label: str, value: float, target: float, unit: str) -> tuple[str, bool]:
    ok = value <= target
    return (f"  {label:<32} {value:8.2f}{unit:<3} target <= {target:g}{unit:<3} "
            + ("PASS" if ok else "MISS")), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_STARTS} starts of each and a {QUICK_DAY_TICKETS}-ticket "
                             "day: a CI smoke run")
    parser.add_argument("--starts", type=int, default=None,
                        help=f"timed starts of each process (default {DEFAULT_STARTS})")
    parser.add_argument("--day-tickets", type=int, default=None,
                        help=f"tickets through the running app (default {DAY_TICKETS})")
    parser.add_argument("--json", action="store_true",
                        help="print a one-line JSON summary as the last output")
    args = parser.parse_args(argv)
    starts = args.starts or (QUICK_STARTS if args.quick else DEFAULT_STARTS)
    day_tickets = args.day_tickets or (QUICK_DAY_TICKETS if args.quick else DAY_TICKETS)
    simulated = QUICK_SIMULATED_TICKETS if args.quick else SIMULATED_TICKETS
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="cac-bench-app-") as tmp:
        root = Path(tmp)
        data_dir, devices = prepare_office(root, simulated)
        port = free_port()
        app = [sys.executable, "-m", "kiosk", "app", "--data-dir", str(data_dir.root),
               "--host", "127.0.0.1", "--port", str(port)]
        bare = [sys.executable, "-c", BARE_WINDOW, QUIT_AFTER_SHOWN_ENV, MARKER]
        log = root / "windows.log"
        print(f"app start bench: {starts} starts of `cac app` (kiosk + display, LAN on "
              f"127.0.0.1:{port}) and of a bare PySide6 window, offscreen; office with a "
              f"simulated day of {simulated} tickets")
        print(f"  python {platform.python_version()}, {os.cpu_count()} cpus; "
              f"note: {MACHINE_NOTE}")
        measure_start(app, log)  # untimed: creates the windows' credentials, warms the caches
        measure_start(bare, log)
        app_runs, bare_runs = [], []
        for _ in range(starts):
            app_runs.append(measure_start(app, log))
            bare_runs.append(measure_start(bare, log))
        day_before, day_after, day_s = measure_day(app, port, devices, day_tickets, log)

    app_start = statistics.median(s for s, _ in app_runs)
    bare_start = statistics.median(s for s, _ in bare_runs)
    app_rss = statistics.median(r for _, r in app_runs)
    bare_rss = statistics.median(r for _, r in bare_runs)
    growth = (day_after - day_before) / day_tickets * 100
    print("first window (s):")
    print(f"  {'cac app':<32} median {app_start:6.2f}   "
          f"runs {', '.join(f'{s:.2f}' for s, _ in app_runs)}")
    print(f"  {'bare PySide6 window (floor)':<32} median {bare_start:6.2f}   "
          f"runs {', '.join(f'{s:.2f}' for s, _ in bare_runs)}")
    print(f"  app / floor {app_start / bare_start:.2f}x, "
          f"app - floor {app_start - bare_start:.2f} s")
    print(f"resident memory {SETTLE_S:g} s after the first window (MB):")
    print(f"  {'cac app':<32} median {app_rss:6.1f}")
    print(f"  {'bare PySide6 window (floor)':<32} median {bare_rss:6.1f}   "
          f"(app / floor {app_rss / bare_rss:.2f}x)")
    print(f"a day through the app: {day_tickets} tickets in {day_s:.1f} s "
          f"({day_tickets * 4 / day_s:.0f} requests/s on loopback)")
    print(f"  resident before {day_before:.1f} MB, after {day_after:.1f} MB "
          f"({growth:+.2f} MB per 100 tickets)")
    print("targets (informative):")
    checks = [_check("first window (median)", app_start, START_TARGET_S, " s"),
              _check("resident after a simulated day", day_after, RSS_TARGET_MB, " MB")]
    for text, _ in checks:
        print(text)
    elapsed = time.perf_counter() - began
    print(f"done in {elapsed:.1f} s ({MACHINE_NOTE})")

    if args.json:
        summary: dict[str, Any] = {
            "quick": args.quick,
            "starts": starts,
            "simulated_tickets": simulated,
            "app_start_s": round(app_start, 3),
            "bare_start_s": round(bare_start, 3),
            "start_ratio": round(app_start / bare_start, 3),
            "app_rss_mb": round(app_rss, 1),
            "bare_rss_mb": round(bare_rss, 1),
            "rss_ratio": round(app_rss / bare_rss, 3),
            "day_tickets": day_tickets,
            "day_s": round(day_s, 2),
            "day_rss_before_mb": round(day_before, 1),
            "day_rss_after_mb": round(day_after, 1),
            "rss_growth_mb_per_100_tickets": round(growth, 2),
            "start_pass": checks[0][1],
            "rss_pass": checks[1][1],
            "elapsed_s": round(elapsed, 2),
            "note": MACHINE_NOTE,
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
