"""Tickets while idle and slow clients hold the hub's sockets (issue 14).

What is measured, on loopback:

1. The SERVER is a real hub: `cac hub` in its own process (bench/servers.py) serving a demo
   office, started with a soft limit of `--hub-files` open files (1,024: a Linux service's
   default), as an office PC would start it; the hub raises it itself where the hard limit
   allows (kiosk/api/connections.py).
2. The BASELINE: a kiosk issues `POST /tickets` on a fresh connection each time (a kiosk idle
   between citizens has lost its kept-alive one), paced at `--rate` per second.
3. The ATTACK: `--idle` connections (1,000) opened and left silent, and `--loris` slow-loris
   connections that send one more byte of a request head every `LORIS_EVERY_S` seconds. A
   keeper thread reopens every one the hub closes, so that many stay open the whole time, as a
   hostile client would keep them. The same kiosk load is measured again meanwhile.

Reported: ticket p50/p99/max in both phases, errors (a refused or timed-out ticket), how many
attacking sockets were open on average and how often the hub closed one.

Targets (informative, PASS/MISS): no ticket fails; ticket p99 under attack <= 100 ms.

Run from the repository root:  .venv/bin/python bench/idle_connections.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import resource
import selectors
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servers import cac_server, free_port

from kiosk.api.connections import raise_open_file_limit
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.queue import percentile

IDLE, LORIS = 1000, 50
LORIS_EVERY_S = 2.0
RATE_PER_S = 5.0
HUB_FILES = 1024
DURATION_S, QUICK_DURATION_S = 30.0, 5.0
TICKET_TIMEOUT_S = 30.0
P99_TARGET_MS = 100.0
LORIS_HEAD = b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\nX-Espera: "
MACHINE_NOTE = "2 cores shared by server and load: quote medians and ratios"


# --- the office and its server ---------------------------------------------------------------


def prepare_office(root: Path) -> tuple[DataDir, str]:
    data_dir = DataDir(root / "office")
    hub = OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", demo=True)
    try:
        return data_dir, hub.add_device(SYSTEM, "Quiosco de prueba", "kiosk")[1]
    finally:
        hub.close()


@contextlib.contextmanager
def soft_file_limit(limit: int) -> Iterator[None]:
    """This process's soft limit of open files lowered while a child is started with it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# --- the kiosk -------------------------------------------------------------------------------


@dataclass
class Tickets:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def issue_tickets(port: int, token: str, duration: float, rate: float) -> Tickets:
    """Tickets on a fresh connection each, paced (a slow answer does not delay the next)."""
    found = Tickets()
    body = json.dumps({"service": "caja"})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    due = start
    while due < start + duration:
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        began = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TICKET_TIMEOUT_S)
        try:
            conn.request("POST", "/api/v1/tickets", body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            if response.status == 201:
                found.latencies_ms.append((time.perf_counter() - began) * 1e3)
            else:
                found.errors.append(f"HTTP {response.status} {raw[:120]!r}")
        except (OSError, http.client.HTTPException) as exc:
            found.errors.append(f"{type(exc).__name__} after "
                                f"{time.perf_counter() - began:.1f} s")
        finally:
            conn.close()
        due = max(due + 1 / rate, time.perf_counter() - 0.5 / rate)
    return found


# --- the attack ------------------------------------------------------------------------------


class Attack:
    """Keeps `idle` silent and `loris` dribbling connections open, reopening what closes."""

    def __init__(self, port: int, idle: int, loris: int) -> None:
        self.port, self.idle, self.loris = port, idle, loris
        self.selector = selectors.DefaultSelector()
        self.stop = threading.Event()
        self.closed_by_hub = 0
        self.open_samples: list[int] = []
        self.connect_errors = 0
        self._sent: dict[socket.socket, int] = {}  # loris socket -> bytes of the head sent
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, loris: bool) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        except OSError:
            self.connect_errors += 1
            return
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ, loris)
        if loris:
            self._sent[sock] = 0

    def _drop(self, sock: socket.socket) -> bool:
        """Forget a closed socket; whether it was a slow-loris one."""
        self.selector.unregister(sock)
        loris = self._sent.pop(sock, None) is not None
        sock.close()
        return loris

    def start(self) -> None:
        for i in range(self.idle + self.loris):
            self._open(loris=i >= self.idle)
        self._thread.start()

    def _run(self) -> None:
        next_byte = time.perf_counter() + LORIS_EVERY_S
        while not self.stop.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:  # the hub closed it: open another, as an attacker would
                    self.closed_by_hub += 1
                    self._open(self._drop(sock))
            if time.perf_counter() >= next_byte:
                next_byte += LORIS_EVERY_S
                for sock, sent in list(self._sent.items()):
                    with contextlib.suppress(OSError):
                        sock.send(LORIS_HEAD[sent % len(LORIS_HEAD):][:1])
                        self._sent[sock] = sent + 1
            self.open_samples.append(len(self.selector.get_map()))

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=10)
        for key in list(self.selector.get_map().values()):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            self.selector.unregister(sock)
            sock.close()
        self.selector.close()


# --- report ----------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    result = percentile(values, q)
    return 0.0 if result is None else result


def _line(label: str, found: Tickets) -> str:
    values = found.latencies_ms
    return (f"  {label:<34} p50 {_pct(values, 0.5):7.2f}   p99 {_pct(values, 0.99):7.2f}   "
            f"max {max(values, default=0.0):8.2f}   (n={len(values)}, "
            f"errors {len(found.errors)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_DURATION_S:g} s per phase: a CI smoke run")
    parser.add_argument("--duration", type=float, default=None,
                        help=f"seconds per phase (default {DURATION_S:g})")
    parser.add_argument("--idle", type=int, default=IDLE, help=f"default {IDLE}")
    parser.add_argument("--loris", type=int, default=LORIS, help=f"default {LORIS}")
    parser.add_argument("--rate", type=float, default=RATE_PER_S,
                        help=f"tickets per second (default {RATE_PER_S:g})")
    parser.add_argument("--hub-files", type=int, default=HUB_FILES,
                        help=f"the hub's soft limit of open files at start ({HUB_FILES})")
    parser.add_argument("--json", action="store_true",
                        help="print a one-line JSON summary as the last output")
    args = parser.parse_args(argv)
    duration = args.duration or (QUICK_DURATION_S if args.quick else DURATION_S)
    began = time.perf_counter()
    raise_open_file_limit()  # this process holds every attacking socket

    with tempfile.TemporaryDirectory(prefix="cac-bench-idle-") as tmp:
        root = Path(tmp)
        data_dir, token = prepare_office(root)
        port = free_port()
        print(f"idle connections bench: {args.idle} idle + {args.loris} slow-loris connections, "
              f"{args.rate:g} tickets/s, {duration:g} s per phase on http://127.0.0.1:{port}")
        print(f"  python {platform.python_version()}, {os.cpu_count()} cpus; hub started with "
              f"{args.hub_files} open files; note: {MACHINE_NOTE}")
        with contextlib.ExitStack() as stack:
            with soft_file_limit(args.hub_files):
                stack.enter_context(cac_server(["hub", "--data-dir", str(data_dir.root)], port,
                                               root / "hub.log"))
            baseline = issue_tickets(port, token, duration, args.rate)
            attack = Attack(port, args.idle, args.loris)
            attack.start()
            try:
                attacked = issue_tickets(port, token, duration, args.rate)
            finally:
                attack.close()

    held = attack.open_samples or [0]
    held_mean = sum(held) / len(held)
    p99 = _pct(attacked.latencies_ms, 0.99)
    base_p99 = _pct(baseline.latencies_ms, 0.99)
    errors = len(baseline.errors) + len(attacked.errors)
    print("ticket latency (ms), a fresh connection each:")
    print(_line("no attack", baseline))
    print(_line(f"{args.idle} idle + {args.loris} slow-loris", attacked))
    if base_p99:
        print(f"  ratio under attack to no attack: p50 "
              f"{_pct(attacked.latencies_ms, 0.5) / _pct(baseline.latencies_ms, 0.5):.2f}x, "
              f"p99 {p99 / base_p99:.2f}x")
    print(f"attacking sockets open: mean {held_mean:.0f}, min {min(held)}; the hub closed "
          f"{attack.closed_by_hub} (reopened at once); {attack.connect_errors} connects failed")
    for error in (baseline.errors + attacked.errors)[:10]:
        print(f"  error: {error}")
    print("targets (informative):")
    ok_errors, ok_p99 = errors == 0, bool(attacked.latencies_ms) and p99 <= P99_TARGET_MS
    print(f"  {'failed tickets':<30} {errors:8d}     target 0          "
          + ("PASS" if ok_errors else "MISS"))
    print(f"  {'ticket p99 under attack':<30} {p99:8.2f} ms  target <= {P99_TARGET_MS:g} ms  "
          + ("PASS" if ok_p99 else "MISS"))
    elapsed = time.perf_counter() - began
    print(f"done in {elapsed:.1f} s ({MACHINE_NOTE})")

    if args.json:
        summary: dict[str, Any] = {
            "quick": args.quick,
            "duration_s": duration,
            "idle": args.idle,
            "loris": args.loris,
            "hub_files": args.hub_files,
            "tickets": len(attacked.latencies_ms),
            "errors": errors,
            "baseline_p50_ms": round(_pct(baseline.latencies_ms, 0.5), 3),
            "baseline_p99_ms": round(base_p99, 3),
            "p50_ms": round(_pct(attacked.latencies_ms, 0.5), 3),
            "p99_ms": round(p99, 3),
            "max_ms": round(max(attacked.latencies_ms, default=0.0), 3),
            "held_mean": round(held_mean, 1),
            "held_min": min(held),
            "closed_by_hub": attack.closed_by_hub,
            "errors_pass": ok_errors,
            "p99_pass": ok_p99,
            "elapsed_s": round(elapsed, 2),
            "note": MACHINE_NOTE,
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
