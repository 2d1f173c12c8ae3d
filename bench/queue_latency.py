"""Queue latency benchmark: how long issuing and calling a ticket take, next to the disk's floor.

What is measured, in one run and on one disk (a temporary folder, or `--dir`):

1. FLOOR: a raw `sqlite3` single-row INSERT + COMMIT into a tiny table, opened with the hub's
   own pragmas (`kiosk.storage.store.apply_pragmas`: WAL, synchronous=FULL, ...) and the same
   BEGIN IMMEDIATE. This is what one durable write costs on this disk, with no ORM and no logic.
2. ISSUE: `OfficeHub.issue_ticket` plus the ticket's ESC/POS bytes, round-robin over 10
   services, on a fresh office (its queue grows by one ticket per call, as in a morning rush).
3. CALL NEXT: `OfficeHub.call_next` in an office with 10 services, 10 open counters (each
   serving 3 services) and ~500 tickets waiting. After each measured call the ticket is started
   and finished and one replacement ticket is issued (none of that is timed), so the queue
   stays at 500.
4. ISSUE ROWS FLOOR (beside the issue's floor, not instead of it): what SQLite alone needs for
   the rows an issue writes, raw `sqlite3` in one BEGIN IMMEDIATE ... COMMIT on an office store
   made by the project (same triggers): the service and the wait figures read, the day's number
   taken, the ticket and its event inserted (each with its outbox entry, the event with the
   audit head). Three tables' rows and their triggers' three more, against the floor's one.
   Timed in its own pass right after the issue's, one floor insert before each sample too.
5. ISSUE WITH HISTORY: the issue again in an office holding `--history` finished tickets of
   past days (default 100,000: about four months of a busy office), because a query that walks
   the history gets slower every day and a fresh office cannot show it.

Why the floor: benchmark machines are shared and noisy (fsync time moves with the neighbours),
so absolute milliseconds are only half the story. The hub's overhead is judged as a ratio to
the floor, and the floor is sampled interleaved with the hub operations (one raw insert just
before each timed hub call) so both see the same disk weather. Quote medians and ratios; p99 on
a shared 2-core machine is mostly the neighbours.

Targets (from the issue): issue p99 <= 20 ms and <= 3x the floor's p99; call-next p99 <= 10 ms.
PASS/MISS is informative: the exit code is 0 unless the script itself fails.

Run from the repository root:  .venv/bin/python bench/queue_latency.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from kiosk.config import DataDir
from kiosk.heap import settle_heap
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.rules.queue import TicketStatus, percentile
from kiosk.services import catalogue, queue
from kiosk.services.views import TicketView
from kiosk.storage.checkpoint import start_checkpoints
from kiosk.storage.store import apply_pragmas
from kiosk.storage.tables import Service, Ticket
from printing.escpos_render import render_bytes
from printing.layout import TicketPrint, ticket_layout

T = TypeVar("T")

DEFAULT_REPS = 300
QUICK_REPS = 30
WAITING = 500
# Ten one-letter prefixes; P is reserved for preferential tickets.
PREFIXES = "ABCDEFGHJK"
SERVICES_PER_COUNTER = 3
SLA_MINUTES = 120  # long enough that no ticket goes past its target during the run

DEFAULT_HISTORY = 100_000
QUICK_HISTORY = 5_000
HISTORY_PER_DAY = 830
ISSUE_P99_TARGET_MS = 20.0
ISSUE_RATIO_TARGET = 3.0
CALL_NEXT_P99_TARGET_MS = 10.0
MACHINE_NOTE = "2 cores shared: quote medians and ratios"


@dataclass(frozen=True)
class Summary:
    n: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def of(cls, samples_ns: list[int]) -> Summary:
        ms = [s / 1e6 for s in samples_ns]
        return cls(len(ms), _pct(ms, 0.50), _pct(ms, 0.99), max(ms))


def _pct(values: list[float], q: float) -> float:
    result = percentile(values, q)
    if result is None:
        raise ValueError("no samples")
    return result


# --- the floor -----------------------------------------------------------------------------


class Floor:
    """Raw sqlite3 on the same disk: one row per durable transaction, hub pragmas."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)  # we issue BEGIN/COMMIT
        apply_pragmas(self._db)
        self._db.execute("CREATE TABLE floor (id INTEGER PRIMARY KEY, at INTEGER, note TEXT)")
        self.samples: list[int] = []

    def insert(self, record: bool = True) -> None:
        t0 = time.perf_counter_ns()
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("INSERT INTO floor (at, note) VALUES (?, ?)", (t0, "bench"))
        self._db.execute("COMMIT")
        if record:
            self.samples.append(time.perf_counter_ns() - t0)

    def close(self) -> None:
        self._db.close()


class IssueRowsFloor:
    """The rows of one issue, raw `sqlite3` in one transaction, on a store the project made."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        apply_pragmas(self._db)
        self._office = self._db.execute("SELECT id FROM offices").fetchone()[0]
        self._services = self._db.execute("SELECT id, code, prefix FROM services").fetchall()
        self.samples: list[int] = []
        self._n = 0

    def issue(self) -> None:
        db, self._n = self._db, self._n + 1
        service_id, code, prefix = self._services[self._n % len(self._services)]
        now = time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime())
        today = now[:10]
        t0 = time.perf_counter_ns()
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT id, code, name, prefix, active FROM services WHERE office_id = ? "
                   "AND code = ?", (self._office, code)).fetchone()
        db.execute("SELECT (SELECT count(*) FROM tickets WHERE status = 'waiting' AND "
                   "service_id = ?), (SELECT count(*) FROM counter_services WHERE "
                   "service_id = ?)", (service_id, service_id)).fetchone()
        (seq,), = db.execute(
            "INSERT INTO day_sequences VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET "
            "last = last + 1 RETURNING last", (self._office, today, prefix)).fetchall()
        ticket = new_id()
        db.execute(
            "INSERT INTO tickets (id, office_id, business_date, series, seq, number, "
            "service_id, origin_service_id, status, issued_at, recalls, transfers, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, 0, 0, ?)",
            (ticket, self._office, today, prefix, seq, f"{prefix}-{seq:03d}", service_id,
             service_id, now, now))
        (head,) = db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        db.execute(
            "INSERT INTO events (id, office_id, stream, stream_id, kind, occurred_at, hlc, "
            "device_id, data, prev_hash, hash) VALUES (?, ?, 'ticket', ?, 'issued', ?, ?, NULL, "
            "?, ?, ?)", (new_id(), self._office, ticket, now, f"{t0:019d}", json.dumps(
                {"number": f"{prefix}-{seq:03d}", "service": code}), head, head))
        db.execute("SELECT last_called_at, finished_at FROM tickets WHERE business_date = ? "
                   "AND +service_id = ? AND +status = 'finished' ORDER BY finished_at DESC "
                   "LIMIT 30", (today, service_id)).fetchall()
        db.execute("COMMIT")
        self.samples.append(time.perf_counter_ns() - t0)

    def close(self) -> None:
        self._db.close()


def _timed(floor: Floor, operation: Callable[[], T], samples: list[int]) -> T:
    """One floor sample, then one timed hub operation: both share the disk's current mood."""
    floor.insert()
    t0 = time.perf_counter_ns()
    result = operation()
    samples.append(time.perf_counter_ns() - t0)
    return result


# --- offices -------------------------------------------------------------------------------


def _office(root: Path, name: str) -> tuple[OfficeHub, list[str]]:
    """A fresh office with 10 services and 10 counters, each counter serving 3 services."""
    hub = OfficeHub.initialise(DataDir(root / name), "CAJ", f"CAC Bench {name}")
    codes = [f"svc{letter.lower()}" for letter in PREFIXES]
    with hub.unit_of_work() as uow:
        for letter, code in zip(PREFIXES, codes, strict=True):
            catalogue.add_service(uow, code, f"Servicio {letter}", letter, SLA_MINUTES)
        for number in range(1, len(codes) + 1):
            served = [codes[(number - 1 + k) % len(codes)] for k in range(SERVICES_PER_COUNTER)]
            catalogue.add_counter(uow, number, f"Ventanilla {number}", served)
        uow.commit()
    return hub, codes


@contextlib.contextmanager
def _serving(root: Path, name: str) -> Iterator[tuple[OfficeHub, list[str]]]:
    """`_office` as `cac hub` serves it: its WAL checkpoints on their own thread (the hub
    service kiosk.storage.checkpoint), not inside the requests' commits, and its start-up heap
    frozen (kiosk/heap.py)."""
    hub, codes = _office(root, name)
    checkpoints = start_checkpoints(hub)
    settle_heap()
    try:
        yield hub, codes
    finally:
        gc.unfreeze()
        checkpoints.stop()
        hub.close()


def bench_issue(root: Path, floor: Floor, reps: int, warmup: int, name: str = "issue",
                history: int = 0) -> list[int]:
    samples: list[int] = []
    with _serving(root, name) as (hub, codes):
        if history:
            _add_history(hub, history)
        for i in range(warmup):  # the same operation as timed: the first render imports escpos
            _issue_and_render(hub, codes[i % len(codes)])
            floor.insert(record=False)
        for i in range(reps):
            _timed(floor, partial(_issue_and_render, hub, codes[i % len(codes)]), samples)
    return samples


def bench_issue_rows(root: Path, floor: Floor, reps: int, warmup: int) -> list[int]:
    """The issue rows floor, each sample after one floor insert like the issue's."""
    _office(root, "rows")[0].close()  # a store the project made: the same schema and triggers
    rows = IssueRowsFloor(DataDir(root / "rows").database)
    try:
        for _ in range(warmup):
            rows.issue()
        rows.samples.clear()
        for _ in range(reps):
            floor.insert()
            rows.issue()
    finally:
        rows.close()
    return rows.samples


def _add_history(hub: OfficeHub, tickets: int) -> None:
    """`tickets` finished tickets on the days before today (~830 a day), raw `sqlite3` in one
    transaction, stored as the ORM stores them (their outbox entries too: a long offline
    spell)."""
    tz = hub.office.tz
    today = hub.office.business_date(hub.clock.now())
    with hub.store.read_session() as session:
        services = [(s.id, s.prefix) for s in session.scalars(select(Service))]

    def utc(moment: datetime) -> str:  # UTCDateTime's storage: naive UTC, microseconds
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    rows = []
    for n in range(tickets):
        day = today - timedelta(days=1 + n // HISTORY_PER_DAY)
        seq = n % HISTORY_PER_DAY + 1
        service_id, prefix = services[n % len(services)]
        issued = datetime.combine(day, dtime(8), tzinfo=tz) + timedelta(seconds=30 * seq)
        called, started = issued + timedelta(minutes=12), issued + timedelta(minutes=13)
        rows.append((new_id(), hub.office.office_id, day.isoformat(), prefix, seq,
                     f"{prefix}-{seq:03d}", service_id, service_id, utc(issued), utc(called),
                     utc(called), utc(started), utc(started + timedelta(minutes=7)),
                     utc(issued)))
    db = sqlite3.connect(hub.store.path, isolation_level=None)
    try:
        apply_pragmas(db)
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO tickets (id, office_id, business_date, series, seq, number, "
            "service_id, origin_service_id, status, issued_at, called_at, last_called_at, "
            "started_at, finished_at, counter_number, outcome, recalls, transfers, updated_at) "
            f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{TicketStatus.FINISHED.value}', ?, ?, ?, ?, ?, "
            "1, 'atendido', 0, 0, ?)", rows)
        db.execute("COMMIT")
        # Start the measurement from a checkpointed file, as a hub that has run for a while:
        # otherwise the first issues pay for copying the preload's huge WAL back.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def _issue_and_render(hub: OfficeHub, code: str) -> bytes:
    """The issue target's unit of work: the ticket committed and its ESC/POS bytes ready."""
    ticket = hub.issue_ticket(SYSTEM, code)
    layout = ticket_layout(TicketPrint(
        municipality=hub.config.municipality, office_name=hub.config.office_name,
        service_name=ticket.service, number=ticket.number, issued_at=ticket.issued_at,
        people_ahead=ticket.ahead, qr_payload=f"turno:{ticket.id}",
        wait_minutes=ticket.estimated_wait_min, preferential=ticket.preferential,
        timezone=hub.config.timezone))
    return render_bytes(layout, hub.config.printer_width_mm, hub.config.printer_codepage)


def bench_call_next(root: Path, floor: Floor, reps: int, warmup: int) -> tuple[list[int], int]:
    samples: list[int] = []
    with _serving(root, "call_next") as (hub, codes):
        # Preload through the same service function, in one transaction (not 500 fsyncs).
        with hub.unit_of_work() as uow:
            for i in range(WAITING):
                queue.issue_ticket(uow, codes[i % len(codes)], None, None)
            uow.commit()
        for number in range(1, len(codes) + 1):
            hub.open_counter(SYSTEM, number)

        def cycle(i: int, record: bool) -> None:
            counter = i % len(codes) + 1
            ticket: TicketView | None
            if record:
                ticket = _timed(floor, lambda: hub.call_next(SYSTEM, counter), samples)
            else:
                ticket = hub.call_next(SYSTEM, counter)
            if ticket is None:
                raise RuntimeError(f"counter {counter} found nobody to call")
            hub.start(SYSTEM, ticket.id)
            hub.finish(SYSTEM, ticket.id)
            hub.issue_ticket(SYSTEM, ticket.service)  # keep ~500 waiting, same spread

        for i in range(warmup):
            cycle(i, record=False)
        for i in range(reps):
            cycle(warmup + i, record=True)
        with hub.store.read_session() as session:
            waiting = session.scalar(
                select(func.count()).where(Ticket.status == TicketStatus.WAITING)) or 0
    return samples, waiting


# --- report --------------------------------------------------------------------------------


def _filesystem(path: Path) -> str:
    """Best effort (Linux): the filesystem type holding `path`; on tmpfs fsync costs nothing."""
    best, kind = Path("/"), "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            mount = Path(parts[1]) if len(parts) > 2 else None
            if mount and (mount == path or mount in path.parents) and (
                    kind == "unknown" or len(mount.parts) > len(best.parts)):
                best, kind = mount, parts[2]
    return kind


def _check(label: str, value: float, target: float, unit: str) -> tuple[str, bool]:
    ok = value <= target
    text = f"  {label:<28} {value:8.2f}{unit:<3} target <= {target:g}{unit:<3} "
    return text + ("PASS" if ok else "MISS"), ok


def _line(label: str, s: Summary) -> str:
    return (f"  {label:<28} p50 {s.p50_ms:7.2f} ms   p99 {s.p99_ms:7.2f} ms   "
            f"max {s.max_ms:7.2f} ms   (n={s.n})")


@contextlib.contextmanager
def _workdir(given: str | None) -> Iterator[Path]:
    if given is None:
        with tempfile.TemporaryDirectory(prefix="cac-bench-") as tmp:
            yield Path(tmp)
    else:
        base = Path(given).expanduser().resolve()
        base.mkdir(parents=True, exist_ok=True)
        yield Path(tempfile.mkdtemp(prefix="queue-latency-", dir=base))  # kept for inspection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPS} repetitions: a CI smoke run of a few seconds")
    parser.add_argument("--reps", type=int, default=None,
                        help=f"measured repetitions per operation (default {DEFAULT_REPS})")
    parser.add_argument("--dir", default=None,
                        help="put the databases in a new folder under DIR (kept); "
                             "default: a temporary folder, removed at the end")
    parser.add_argument("--json", action="store_true",
                        help="print a one-line JSON summary as the last output")
    parser.add_argument("--history", type=int, default=None,
                        help=f"finished tickets of past days in the office of the second issue "
                             f"measurement (default {DEFAULT_HISTORY:,}; quick {QUICK_HISTORY:,})")
    args = parser.parse_args(argv)
    reps = args.reps if args.reps is not None else (QUICK_REPS if args.quick else DEFAULT_REPS)
    history = args.history if args.history is not None else (
        QUICK_HISTORY if args.quick else DEFAULT_HISTORY)
    if reps < 2:
        parser.error("--reps must be at least 2")
    warmup = 5 if args.quick else 20

    started = time.perf_counter()
    with _workdir(args.dir) as root:
        print(f"queue latency bench: {reps} reps (+{warmup} warm-up), {WAITING} waiting "
              f"for call-next, {len(PREFIXES)} services / {len(PREFIXES)} counters")
        filesystem = _filesystem(root)
        print(f"  dir {root} ({filesystem}), python {platform.python_version()}, "
              f"sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cpus")
        if filesystem == "tmpfs":
            print("  warning: tmpfs makes fsync free; use --dir on the office's real disk")
        print(f"  note: {MACHINE_NOTE}")
        floor = Floor(root / "floor.sqlite3")
        try:
            for _ in range(warmup):
                floor.insert(record=False)
            issue_ns = bench_issue(root, floor, reps, warmup)
            rows_ns = bench_issue_rows(root, floor, reps, warmup)
            history_ns = bench_issue(root, floor, reps, warmup, "history", history)
            call_ns, waiting = bench_call_next(root, floor, reps, warmup)
        finally:
            floor.close()

    fl, iss, call = Summary.of(floor.samples), Summary.of(issue_ns), Summary.of(call_ns)
    rows, hist = Summary.of(rows_ns), Summary.of(history_ns)
    ratios = {
        "issue_ratio_p50": iss.p50_ms / fl.p50_ms,
        "issue_ratio_p99": iss.p99_ms / fl.p99_ms,
        "issue_rows_ratio_p50": iss.p50_ms / rows.p50_ms,
        "issue_rows_ratio_p99": iss.p99_ms / rows.p99_ms,
        "issue_history_ratio_p50": hist.p50_ms / fl.p50_ms,
        "issue_history_ratio_p99": hist.p99_ms / fl.p99_ms,
        "call_next_ratio_p50": call.p50_ms / fl.p50_ms,
        "call_next_ratio_p99": call.p99_ms / fl.p99_ms,
    }
    print("latency (ms):")
    print(_line("floor insert+commit", fl))
    print(_line("issue rows floor (raw)", rows))
    print(_line("issue_ticket", iss))
    print(_line(f"issue_ticket, {history:,} past", hist))
    print(_line(f"call_next ({waiting} waiting)", call))
    print("ratios to the floor:")
    print(f"  {'issue p50 / floor p50':<28} {ratios['issue_ratio_p50']:8.2f}x")
    print(f"  {'issue p50 / rows floor p50':<28} {ratios['issue_rows_ratio_p50']:8.2f}x")
    print(f"  {'issue p99 / rows floor p99':<28} {ratios['issue_rows_ratio_p99']:8.2f}x")
    print(f"  {'with history: p99 / floor':<28} {ratios['issue_history_ratio_p99']:8.2f}x")
    print(f"  {'call_next p50 / floor p50':<28} {ratios['call_next_ratio_p50']:8.2f}x")
    print(f"  {'call_next p99 / floor p99':<28} {ratios['call_next_ratio_p99']:8.2f}x")
    print("targets (informative):")
    checks = [
        _check("issue p99", iss.p99_ms, ISSUE_P99_TARGET_MS, " ms"),
        _check("issue p99 / floor p99", ratios["issue_ratio_p99"], ISSUE_RATIO_TARGET, "x"),
        _check("issue p99, with history", hist.p99_ms, ISSUE_P99_TARGET_MS, " ms"),
        _check("call_next p99", call.p99_ms, CALL_NEXT_P99_TARGET_MS, " ms"),
    ]
    for text, _ in checks:
        print(text)
    elapsed = time.perf_counter() - started
    print(f"done in {elapsed:.1f} s ({MACHINE_NOTE})")

    if args.json:
        summary: dict[str, object] = {
            "reps": reps,
            "warmup": warmup,
            "quick": args.quick,
            "waiting": waiting,
            "floor_n": fl.n,
            "floor_insert_p50_ms": round(fl.p50_ms, 3),
            "floor_insert_p99_ms": round(fl.p99_ms, 3),
            "issue_p50_ms": round(iss.p50_ms, 3),
            "issue_p99_ms": round(iss.p99_ms, 3),
            "issue_rows_floor_p50_ms": round(rows.p50_ms, 3),
            "issue_rows_floor_p99_ms": round(rows.p99_ms, 3),
            "history": history,
            "issue_history_p50_ms": round(hist.p50_ms, 3),
            "issue_history_p99_ms": round(hist.p99_ms, 3),
            "call_next_p50_ms": round(call.p50_ms, 3),
            "call_next_p99_ms": round(call.p99_ms, 3),
            **{key: round(value, 3) for key, value in ratios.items()},
            "issue_p99_pass": checks[0][1],
            "issue_ratio_p99_pass": checks[1][1],
            "call_next_p99_pass": checks[3][1],
            "issue_history_p99_pass": checks[2][1],
            "elapsed_s": round(elapsed, 2),
            "note": MACHINE_NOTE,
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
