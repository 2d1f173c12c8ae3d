"""Hub API load benchmark: 30 devices on one office hub over HTTP, next to a constant endpoint.

What is measured, in one run, on loopback:

1. The SERVER is a real hub: `cac hub` (`python -m kiosk hub`) in its own process, so the load
   generator never shares its GIL, serving a demo office (`OfficeHub.initialise(..., demo=True)`)
   with 20 counters (the demo's 5, and 15 more serving the same service pairs), all open, and
   300 tickets already waiting, so that a call almost always finds someone.
2. The DEVICES are 30 threads in this process, each with its own keep-alive connection and its
   own device credential (`hub.add_device`), paced on a fixed schedule (open loop: a slow answer
   does not slow the offered load down):
   - 4 kiosks: `POST /tickets` (12 % preferential), 3 tickets/s together;
   - 20 counters: `POST /counters/N/call-next`, 1 s later `POST /tickets/ID/start`, 1 s later
     `POST /tickets/ID/finish`, one cycle per counter every 20/3 s (3 calls/s together), and
     `GET /queue` every 1.6 s (the window's refresh);
   - 6 waiting-room displays: `GET /calls?after=SEQ&wait=S` long-polls, as `cac display` does.
   Together about 25 paced requests/s plus the displays' long-polls (each call wakes all six,
   some polls bring two calls): ~45 requests/s in all.
3. The FLOOR is `GET /api/v1/health` on the same server, 5 times a second during the load: no
   credential, no database, a constant body apart from the clock (the same FastAPI middleware
   and thread pool as every route), so it is what any request costs on this server and machine
   before the hub does any work. The product API gets no extra route.

Per request latency is measured for every paced request. A long-poll's latency would be its
intentional wait, so displays are measured as CALL -> DISPLAY instead: from the moment a counter
has the answer of its call-next to the moment each display's poll returns that call (0 when the
display had it first: the hub wakes displays on commit, before the counter's answer is sent).

Targets (issue 8, informative PASS/MISS): p99 <= 100 ms with zero errors; call -> display
p95 <= 300 ms. The machine is shared: quote medians and ratios to the floor.

Run from the repository root:  .venv/bin/python bench/hub_load.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import http.client
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servers import cac_server, free_port
from staff import StaffedCounter, staff_counters

from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.queue import PREFERENTIAL_CATEGORIES, percentile
from kiosk.services import catalogue, queue

ROOT = Path(__file__).resolve().parent.parent

KIOSKS, COUNTERS, DISPLAYS = 4, 20, 6
CALLS_PER_S = 3.0  # = tickets issued per second: the queue stays about as long as it starts
STEP_S = 1.0  # call-next -> start -> finish
QUEUE_REFRESH_S = 1.6
FLOOR_PER_S = 5.0
PRELOADED = 300
PREFERENTIAL_SHARE = 0.12
LONG_POLL_S = 5.0  # shorter than a real display's 25 s: same latency, a quicker end
DURATION_S, QUICK_DURATION_S = 60.0, 10.0
WARMUP_S, QUICK_WARMUP_S = 5.0, 2.0

P99_TARGET_MS = 100.0
CALL_DISPLAY_P95_TARGET_MS = 300.0
MACHINE_NOTE = "2 cores shared by server and load: quote medians and ratios"


# --- the office and its server ---------------------------------------------------------------


@dataclass
class Office:
    data_dir: DataDir
    kiosks: list[str]
    counters: list[StaffedCounter]  # a clerk logged in on each counter's PC
    displays: list[str]
    service_weights: dict[str, float]


def prepare_office(root: Path) -> Office:
    """The demo office with 20 open counters, 30 device credentials and a queue."""
    data_dir = DataDir(root / "office")
    hub = OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", demo=True)
    try:
        demo = {c.number: c.services for c in hub.counters(SYSTEM)}
        with hub.unit_of_work() as uow:
            for number in range(len(demo) + 1, COUNTERS + 1):
                catalogue.add_counter(uow, number, f"Ventanilla {number}",
                                      demo[(number - 1) % len(demo) + 1])
            uow.commit()
        served = {c.number: c.services for c in hub.counters(SYSTEM)}
        # Issue tickets where the counters call them: each counter spreads over its services.
        weights: dict[str, float] = {}
        for services in served.values():
            for code in services:
                weights[code] = weights.get(code, 0.0) + 1 / len(services)
        rng = random.Random(8)
        with hub.unit_of_work() as uow:
            for _ in range(PRELOADED):
                queue.issue_ticket(uow, _pick(rng, weights), _preferential(rng), None)
            uow.commit()
        for number in served:
            hub.open_counter(SYSTEM, number)

        def tokens(role: str, label: str, count: int) -> list[str]:
            return [hub.add_device(SYSTEM, f"{label} {i + 1}", role)[1] for i in range(count)]

        staffed = staff_counters(hub, sorted(served))
        return Office(data_dir, tokens("kiosk", "Quiosco", KIOSKS), list(staffed.values()),
                      tokens("display", "Pantalla", DISPLAYS), weights)
    finally:
        hub.close()


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _preferential(rng: random.Random) -> str | None:
    return rng.choice(list(PREFERENTIAL_CATEGORIES)) if rng.random() < PREFERENTIAL_SHARE else None


@contextlib.contextmanager
def hub_process(data_dir: DataDir, port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`cac hub` in a subprocess (bench/servers.py); a long-poll in flight may delay its stop."""
    with cac_server(["hub", "--data-dir", str(data_dir.root)], port, log_path,
                    stop_timeout_s=LONG_POLL_S + 5) as process:
        yield process


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc); 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# --- the devices -----------------------------------------------------------------------------


@dataclass
class Results:
    measure_from: float
    measure_to: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # label -> ms
    errors: list[str] = field(default_factory=list)
    calls_answered: dict[str, float] = field(default_factory=dict)  # ticket number -> t
    calls_requested: dict[str, float] = field(default_factory=dict)  # ticket number -> t
    calls_seen: list[tuple[str, float]] = field(default_factory=list)  # (number, t) per display
    empty_calls: int = 0
    long_polls: int = 0

    def counts(self, started: float) -> bool:
        return self.measure_from <= started < self.measure_to


class Connection:
    """One device's keep-alive HTTP connection; reconnects after a failure."""

    def __init__(self, port: int, token: str | None, results: Results, timeout: float = 30,
                 headers: dict[str, str] | None = None):
        self._port, self._timeout, self._results = port, timeout, results
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._conn: http.client.HTTPConnection | None = None

    def request(self, label: str, method: str, path: str, body: Any = None, *,
                timed: bool = True) -> tuple[int, Any]:
        started = time.perf_counter()
        try:
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self._port,
                                                        timeout=self._timeout)
            payload = None if body is None else json.dumps(body)
            self._conn.request(method, path, body=payload, headers=self._headers)
            response = self._conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            if self._results.counts(started):
                self._results.errors.append(f"{label}: {type(exc).__name__}: {exc}")
            return 0, None
        ended = time.perf_counter()
        if self._results.counts(started):
            if timed:
                self._results.latencies.setdefault(label, []).append((ended - started) * 1e3)
            if status >= 400:
                self._results.errors.append(f"{label}: HTTP {status} {raw[:200]!r}")
        return status, json.loads(raw) if raw else None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _paced(start: float, stop: float, period: float, phase: float) -> Iterator[float]:
    """Due times every `period` from `start + phase`; when late, the next one is not doubled."""
    due = start + phase
    while due < stop:
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        yield due
        due = max(due + period, time.perf_counter() - period / 2)


def kiosk(port: int, token: str, office: Office, results: Results, start: float, stop: float,
          seed: int) -> None:
    rng = random.Random(seed)
    conn = Connection(port, token, results)
    period = KIOSKS / CALLS_PER_S
    for _ in _paced(start, stop, period, rng.uniform(0, period)):
        body: dict[str, Any] = {"service": _pick(rng, office.service_weights)}
        preferential = _preferential(rng)
        if preferential:
            body["preferential"] = preferential
        conn.request("POST /tickets", "POST", "/api/v1/tickets", body)
    conn.close()


def counter(port: int, staffed: StaffedCounter, results: Results, start: float, stop: float,
            seed: int) -> None:
    """Call-next, start, finish on a cycle; the queue refresh on its own beat."""
    rng = random.Random(seed)
    number = staffed.number
    conn = Connection(port, None, results, headers=staffed.headers())
    cycle = COUNTERS / CALLS_PER_S
    agenda: list[tuple[float, int, str, str | None]] = []
    order = 0

    def at(when: float, action: str, ticket_id: str | None = None) -> None:
        nonlocal order
        order += 1
        heapq.heappush(agenda, (when, order, action, ticket_id))

    at(start + rng.uniform(0, cycle), "call")
    at(start + rng.uniform(0, QUEUE_REFRESH_S), "queue")
    while agenda:
        due, _, action, ticket_id = heapq.heappop(agenda)
        if due >= stop:
            break
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if action == "queue":
            conn.request("GET /queue", "GET", "/api/v1/queue")
            at(due + QUEUE_REFRESH_S, "queue")
        elif action == "call":
            requested = time.perf_counter()
            status, called = conn.request("POST /counters/N/call-next", "POST",
                                          f"/api/v1/counters/{number}/call-next")
            answered = time.perf_counter()
            if status == 200 and called:
                results.calls_answered[called["number"]] = answered
                results.calls_requested[called["number"]] = requested
                at(due + STEP_S, "start", called["id"])
            else:
                results.empty_calls += status == 204
            at(due + cycle, "call")
        elif action == "start":
            conn.request("POST /tickets/ID/start", "POST", f"/api/v1/tickets/{ticket_id}/start")
            at(due + STEP_S, "finish", ticket_id)
        else:
            conn.request("POST /tickets/ID/finish", "POST",
                         f"/api/v1/tickets/{ticket_id}/finish", {"outcome": "atendido"})
    conn.close()


def display(port: int, token: str, results: Results, stop: float) -> None:
    conn = Connection(port, token, results, timeout=LONG_POLL_S + 10)
    status, page = conn.request("GET /calls", "GET", "/api/v1/calls?after=0", timed=False)
    after = page["last_seq"] if status == 200 and page else 0
    while time.perf_counter() < stop:
        status, page = conn.request("GET /calls (long-poll)", "GET",
                                    f"/api/v1/calls?after={after}&wait={LONG_POLL_S:g}",
                                    timed=False)
        seen = time.perf_counter()
        if status != 200 or not page:
            time.sleep(0.5)
            continue
        results.long_polls += 1
        for call in page["calls"]:
            if call["kind"] == "called":
                results.calls_seen.append((call["number"], seen))
        after = page["last_seq"]
    conn.close()


def floor(port: int, results: Results, start: float, stop: float) -> None:
    conn = Connection(port, None, results)
    for _ in _paced(start, stop, 1 / FLOOR_PER_S, 0.05):
        conn.request("floor: GET /health", "GET", "/api/v1/health")
    conn.close()


def run_load(office: Office, port: int, duration: float, warmup: float) -> Results:
    start = time.perf_counter() + 0.5
    stop = start + warmup + duration
    results = Results(measure_from=start + warmup, measure_to=stop)
    threads = [threading.Thread(target=floor, args=(port, results, start, stop))]
    threads += [threading.Thread(target=kiosk, args=(port, token, office, results, start, stop,
                                                     100 + i))
                for i, token in enumerate(office.kiosks)]
    threads += [threading.Thread(target=counter, args=(port, staffed, results, start, stop,
                                                       200 + staffed.number))
                for staffed in office.counters]
    threads += [threading.Thread(target=display, args=(port, token, results, stop), daemon=True)
                for token in office.displays]
    for thread in threads:
        thread.start()
    for thread in threads:
        if not thread.daemon:
            thread.join()
    # Displays end with their poll in flight; give them the wait, then stop the server anyway.
    for thread in threads:
        if thread.daemon:
            thread.join(timeout=LONG_POLL_S + 2)
    return results


# --- report ----------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    result = percentile(values, q)
    return 0.0 if result is None else result


def _check(label: str, value: float, target: float, unit: str) -> tuple[str, bool]:
    ok = value <= target
    return (f"  {label:<30} {value:8.2f}{unit:<3} target <= {target:g}{unit:<3} "
            + ("PASS" if ok else "MISS")), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_DURATION_S:g} s of load: a CI smoke run")
    parser.add_argument("--duration", type=float, default=None,
                        help=f"seconds of measured load (default {DURATION_S:g})")
    parser.add_argument("--json", action="store_true",
                        help="print a one-line JSON summary as the last output")
    args = parser.parse_args(argv)
    duration = args.duration or (QUICK_DURATION_S if args.quick else DURATION_S)
    warmup = QUICK_WARMUP_S if args.quick else WARMUP_S
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="cac-bench-hub-") as tmp:
        root = Path(tmp)
        office = prepare_office(root)
        port = free_port()
        print(f"hub load bench: {KIOSKS} kiosks, {COUNTERS} counters, {DISPLAYS} displays, "
              f"{duration:g} s (+{warmup:g} s warm-up) on http://127.0.0.1:{port}")
        print(f"  python {platform.python_version()}, {os.cpu_count()} cpus; "
              f"note: {MACHINE_NOTE}")
        with hub_process(office.data_dir, port, root / "hub.log") as server:
            cpu_before, own_before = _cpu_seconds(server.pid), time.process_time()
            results = run_load(office, port, duration, warmup)
            server_cpu = _cpu_seconds(server.pid) - cpu_before
            load_cpu = time.process_time() - own_before

    floor_ms = results.latencies.pop("floor: GET /health", [])
    timed = [ms for values in results.latencies.values() for ms in values]
    if not timed or not floor_ms:
        raise RuntimeError("no requests were measured")
    delays, from_request = [], []
    for number, seen in results.calls_seen:
        answered = results.calls_answered.get(number)
        if answered is not None and results.counts(answered):
            delays.append(max(0.0, seen - answered) * 1e3)
            from_request.append((seen - results.calls_requested[number]) * 1e3)
    window = results.measure_to - results.measure_from
    requests = len(timed) + results.long_polls
    p50, p95, p99 = (_pct(timed, q) for q in (0.50, 0.95, 0.99))
    floor_p50, floor_p99 = _pct(floor_ms, 0.50), _pct(floor_ms, 0.99)
    call_p50, call_p95 = _pct(delays, 0.50), _pct(delays, 0.95)
    first = sum(1 for d in delays if d == 0)

    print("latency per request (ms), load window only:")
    for label, values in sorted(results.latencies.items()):
        print(f"  {label:<30} p50 {_pct(values, 0.5):7.2f}   p95 {_pct(values, 0.95):7.2f}   "
              f"p99 {_pct(values, 0.99):7.2f}   (n={len(values)})")
    print(f"  {'all device requests':<30} p50 {p50:7.2f}   p95 {p95:7.2f}   p99 {p99:7.2f}   "
          f"(n={len(timed)})")
    print(f"  {'floor: GET /health':<30} p50 {floor_p50:7.2f}   p95 {_pct(floor_ms, 0.95):7.2f}"
          f"   p99 {floor_p99:7.2f}   (n={len(floor_ms)})")
    print(f"  ratios to the floor: p50 {p50 / floor_p50:.2f}x, p99 {p99 / floor_p99:.2f}x")
    print(f"call -> display (ms): p50 {call_p50:.1f}   p95 {call_p95:.1f}   "
          f"(n={len(delays)} call x display pairs, {results.long_polls} long-polls returned; "
          f"{first} shown before the counter had its answer)")
    print(f"  from the call-next request instead: p50 {_pct(from_request, 0.5):.1f}   "
          f"p95 {_pct(from_request, 0.95):.1f}")
    print(f"throughput: {len(timed) / window:.1f} paced req/s + {results.long_polls / window:.1f}"
          f" long-polls/s = {requests / window:.1f} req/s (+{len(floor_ms) / window:.1f} floor); "
          f"{results.empty_calls} calls found nobody")
    print(f"cpu over the whole run: hub process {server_cpu:.1f} s, load generator "
          f"{load_cpu:.1f} s")
    print(f"errors: {len(results.errors)}")
    for error in results.errors[:10]:
        print(f"  {error}")
    print("targets (informative):")
    checks = [_check("p99 of device requests", p99, P99_TARGET_MS, " ms"),
              _check("errors", len(results.errors), 0, ""),
              _check("call -> display p95", call_p95, CALL_DISPLAY_P95_TARGET_MS, " ms")]
    for text, _ in checks:
        print(text)
    elapsed = time.perf_counter() - began
    print(f"done in {elapsed:.1f} s ({MACHINE_NOTE})")

    if args.json:
        summary: dict[str, Any] = {
            "quick": args.quick,
            "duration_s": duration,
            "devices": KIOSKS + COUNTERS + DISPLAYS,
            "requests": requests,
            "req_per_s": round(requests / window, 2),
            "paced_req_per_s": round(len(timed) / window, 2),
            "errors": len(results.errors),
            "p50_ms": round(p50, 3),
            "p95_ms": round(p95, 3),
            "p99_ms": round(p99, 3),
            "floor_p50_ms": round(floor_p50, 3),
            "floor_p99_ms": round(floor_p99, 3),
            "ratio_p50": round(p50 / floor_p50, 3),
            "ratio_p99": round(p99 / floor_p99, 3),
            "call_display_n": len(delays),
            "call_display_p50_ms": round(call_p50, 3),
            "call_display_p95_ms": round(call_p95, 3),
            "call_display_first_share": round(first / len(delays), 3) if delays else 0.0,
            "request_display_p50_ms": round(_pct(from_request, 0.50), 3),
            "request_display_p95_ms": round(_pct(from_request, 0.95), 3),
            **{f"{label}.p99_ms": round(_pct(values, 0.99), 3)
               for label, values in sorted(results.latencies.items())},
            "server_cpu_s": round(server_cpu, 2),
            "load_cpu_s": round(load_cpu, 2),
            "p99_pass": checks[0][1],
            "errors_pass": checks[1][1],
            "call_display_p95_pass": checks[2][1],
            "elapsed_s": round(elapsed, 2),
            "note": MACHINE_NOTE,
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
