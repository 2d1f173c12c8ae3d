"""Supervisor statistics benchmark: the dashboard's refresh over a simulated year of a busy
office (about 200,000 tickets), next to the floor of one COUNT(*) over the same table.

The year is generated (seeded) into a store made by the project's own migrations: every working
day of 2026 up to the measured day gets ~830 tickets (services, preferential share, waits,
no-shows, service times and clerks shaped like kiosk/simulate.py's day), a quarter of the
served ones rated, and ~60 expedientes a day. The measured day itself (Fri 18 Dec 2026) is
worked through the real queue engine until 11:00 (`kiosk.simulate.simulate_day`), with two
clerks logged in and a printer failure, so the dashboard has live queues, counters and alerts.
The office is cached under --cache-dir, keyed by size, seed, generator version and schema
revision, so reruns skip the build.

What is timed (warm, in one process, through `OfficeHub` as the API calls it):

  live         supervisor_live: queues, counters and clerks, today's figures, alerts: the
               dashboard's periodic refresh. Target (issue 6): p95 <= 150 ms.
  today        ticket_history for today (the day's panel of the dashboard).
  month        ticket_history for November (informative).
  year         ticket_history for the whole year, as the hub answers it: closed days and
               months from `daily_ticket_stats` (kiosk/services/daily_stats.py), today from
               its tickets. Target (issue 8): p50 <= 150 ms.
  year_raw     the same figures computed from every ticket of the year (what the hub did
               before the daily statistics, and what central still does over its copy).
  report_year  period_report for the whole year: tickets, expedientes, satisfaction (what
               `cac report` and the exports compute; informative).

The first statistics read after the year is loaded aggregates its closed days once (timed
apart and printed, not part of the figures).

FLOOR: `SELECT COUNT(*) FROM tickets` on a raw sqlite3 connection with the hub's pragmas, one
sample just before every timed call. PASS/MISS is informative; the exit code is 0 unless it
crashes.

Run from the repository root:  .venv/bin/python bench/stats_year.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from datasets import add_cache_arguments, cache_dir_of, cached_office

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import TRACKING_ALPHABET
from kiosk.rules.queue import percentile
from kiosk.services import history
from kiosk.services.expediente_views import LoginInput
from kiosk.services.views import PrintJobReport
from kiosk.simulate import MEDIAN_SERVICE_MIN, PREFERENTIAL_MIX, SERVICE_MIX, simulate_day
from kiosk.storage.store import apply_pragmas

GENERATOR_VERSION = 2
LIMA = ZoneInfo("America/Lima")
TODAY = date(2026, 12, 18)  # a Friday: the day the supervisor looks at
NOW = datetime.combine(TODAY, clock_time(11, 0), tzinfo=LIMA)
FULL_TICKETS = 200_000
QUICK_TICKETS = 6_000
QUICK_DAYS = 15  # the quick run's history: the last working days before TODAY
TODAY_TICKETS = 830  # the measured day's arrivals (until 11:00 about a third of them)
EXPEDIENTES_PER_DAY = 60
RATED_SHARE = 0.25
SCORES = (1, 2, 3, 4, 5)
SCORE_WEIGHTS = (3, 5, 12, 35, 45)
SEED = 7
TARGET_MS = 150.0  # the dashboard's refresh p95 (issue 6) and the year's history p50 (issue 8)
MACHINE_NOTE = "2 cores shared: quote medians and ratios"
COUNTERS = {1: ["partidas", "orientacion"], 2: ["partidas", "mesa"],
            3: ["licencias", "partidas"], 4: ["caja", "licencias"],
            5: ["orientacion", "mesa", "caja"]}  # kiosk/seed/demo.toml


def _stamp(moment: datetime) -> str:
    """How SQLAlchemy keeps a UTC datetime in SQLite (naive, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _id(table: int, index: int) -> str:
    """UUID-shaped, deterministic and increasing: the bulk load appends to every index."""
    return f"{table:08x}-0000-7000-8000-{index:012x}"


def _tracking(index: int) -> str:
    value = (index * 0x1_9E37_79B9_7F4A_7C15 + 0xBEEF_5A5A_1234) % (1 << 65)
    return "".join(TRACKING_ALPHABET[(value >> (5 * k)) & 31] for k in range(13))


def history_days(quick: bool) -> list[date]:
    """The working days before TODAY whose tickets are generated."""
    calendar = WorkingCalendar()
    days, day = [], date(2026, 1, 1)
    while day < TODAY:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days[-QUICK_DAYS:] if quick else days


# --- the data set ----------------------------------------------------------------------------


def _arrival(rng: random.Random, day: date) -> datetime:
    """08:00-16:30, 40 % in the morning peak around 10:00 (as kiosk/simulate.py)."""
    span = 8.5 * 3600
    offset = rng.gauss(2 * 3600, 90 * 60) if rng.random() < 0.4 else rng.uniform(0, span)
    return datetime.combine(day, clock_time(8, 0), tzinfo=LIMA) + timedelta(
        seconds=round(min(max(offset, 0), span)))


def build(target: Path, tickets: int, quick: bool, seed: int,
          log: Callable[[str], None]) -> None:
    started = time.perf_counter()
    clock = VirtualClock(datetime.combine(history_days(quick)[0], clock_time(7, 0), tzinfo=LIMA))
    hub = OfficeHub.initialise(DataDir(target), "CAJ", "CAC Cajamarca (año simulado)",
                               demo=True, clock=clock)
    hub.close()
    db = sqlite3.connect(DataDir(target).database, isolation_level=None)
    apply_pragmas(db)
    db.execute("PRAGMA synchronous=OFF")  # loading only: measured with the production pragmas
    db.execute("PRAGMA cache_size=-200000")
    db.execute("UPDATE sync_control SET applying = 1")  # a generated past: nothing to push
    office_id = db.execute("SELECT id FROM offices").fetchone()[0]
    services = {code: (sid, prefix) for sid, code, prefix in
                db.execute("SELECT id, code, prefix FROM services")}
    users = [uid for (uid,) in db.execute("SELECT id FROM users ORDER BY username")]
    clerk_of = {n: users[n % len(users)] for n in COUNTERS}
    serving = {code: [n for n, codes in COUNTERS.items() if code in codes] for code in services}
    rng = random.Random(seed)
    days = history_days(quick)
    per_day = tickets // len(days)
    codes, weights = list(SERVICE_MIX), list(SERVICE_MIX.values())
    ratings: list[tuple[Any, ...]] = []

    def ticket_rows() -> Iterator[tuple[Any, ...]]:
        index = 0
        for day in days:
            arrivals = sorted((_arrival(rng, day), rng.choices(codes, weights)[0])
                              for _ in range(per_day))
            seqs: dict[str, int] = {}
            for issued, code in arrivals:
                service_id, prefix = services[code]
                preferential = (rng.choices(list(PREFERENTIAL_MIX),
                                            list(PREFERENTIAL_MIX.values()))[0]
                                if rng.random() < 0.12 else None)
                series = f"P{prefix}" if preferential else prefix
                seq = seqs[series] = seqs.get(series, 0) + 1
                wait = min(3 * 3600, rng.lognormvariate(0, 0.8) * (90 if preferential else 420))
                called = issued + timedelta(seconds=round(wait))
                counter = rng.choice(serving[code])
                roll = rng.random()
                started_at = finished = None
                status, outcome = "finished", "atendido"
                if roll < 0.003:
                    status, outcome, called, counter = "expired", None, None, None
                elif roll < 0.063:
                    status, outcome = "no_show", None
                else:
                    started_at = called + timedelta(seconds=rng.randint(15, 75))
                    finished = started_at + timedelta(seconds=max(30, round(
                        rng.lognormvariate(0, 0.45) * MEDIAN_SERVICE_MIN[code] * 60)))
                ticket_id = _id(7, index)
                last = finished or called or issued
                yield (ticket_id, office_id, day.isoformat(), series, seq,
                       f"{series}-{seq:03d}", service_id, service_id, preferential, status,
                       _stamp(issued), called and _stamp(called), called and _stamp(called),
                       started_at and _stamp(started_at), finished and _stamp(finished),
                       _stamp(called) if status == "no_show" and called else None, counter,
                       outcome, 0, 0, _stamp(last), clerk_of[counter] if counter else None)
                if finished is not None and rng.random() < RATED_SHARE:
                    ratings.append((_id(8, index), office_id, ticket_id, day.isoformat(),
                                    rng.choices(SCORES, SCORE_WEIGHTS)[0], service_id, counter,
                                    clerk_of[counter], None,
                                    _stamp(finished + timedelta(minutes=1))))
                index += 1

    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO tickets (id, office_id, business_date, series, seq, number, service_id, "
        "origin_service_id, preferential, status, issued_at, called_at, last_called_at, "
        "started_at, finished_at, missed_at, counter_number, outcome, recalls, transfers, "
        "updated_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?)", ticket_rows())
    db.executemany(
        "INSERT INTO ratings (id, office_id, ticket_id, business_date, score, service_id, "
        "counter_number, user_id, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ratings)
    db.execute("COMMIT")
    log(f"  {per_day * len(days):,} tickets and {len(ratings):,} ratings in "
        f"{time.perf_counter() - started:.0f} s")

    procedures = db.execute(
        "SELECT p.id, p.category, p.area, v.id, v.deadline_working_days, v.calificacion "
        "FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id").fetchall()
    calendar = WorkingCalendar()

    def expediente_rows() -> Iterator[tuple[Any, ...]]:
        index = 0
        for day in days:
            for _ in range(EXPEDIENTES_PER_DAY):
                proc_id, category, area, version_id, deadline, calificacion = rng.choice(
                    procedures)
                filed = _arrival(rng, day)
                due = calendar.add_working_days(filed, deadline)
                age = (TODAY - day).days
                roll = rng.random()
                decided = None
                if age > 30 or roll < 0.8:
                    status = rng.choices(("entregado", "aprobado", "denegado", "anulado"),
                                         (70, 15, 8, 7))[0]
                    if status != "anulado":
                        took = max(0, deadline + rng.randint(-2, 3))
                        decided = datetime.combine(calendar.add_working_days(filed, took),
                                                   clock_time(12, 0), tzinfo=LIMA)
                        if decided > NOW:
                            status, decided = "en_area", None
                else:
                    status = rng.choices(("recibido", "en_area", "observado"), (40, 45, 15))[0]
                filed_at = _stamp(filed)
                yield (_id(9, index), office_id, f"CAJ-2026-{index + 1:06d}", 2026, index + 1,
                       _tracking(index), proc_id, version_id, category, status, area, filed_at,
                       deadline, calificacion, due.isoformat(), 0, "0.00", "bench", "0.00", 1,
                       "[]", "{}", 0, decided and _stamp(decided),
                       _stamp(decided) if decided and status == "entregado" else None,
                       filed_at)
                index += 1

    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO expedientes (id, office_id, number, year, seq, tracking_code, "
        "procedure_id, procedure_version_id, category, status, area, filed_at, "
        "deadline_working_days, calificacion, due_date, stopped_working_days, fee, fee_basis, "
        "paid, pages, requirements_presented, details, itse_done, decided_at, delivered_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?)", expediente_rows())
    last = db.execute("SELECT MAX(seq) FROM expedientes").fetchone()[0] or 0
    db.execute("INSERT OR REPLACE INTO year_sequences (office_id, year, series, last) "
               "VALUES (?, 2026, 'EXP', ?)", (office_id, last))
    db.execute("UPDATE sync_control SET applying = 0")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    log(f"  {last:,} expedientes in {time.perf_counter() - started:.0f} s")

    # The measured morning, through the real engine: live queues, clerks, a printer failure.
    clock.set(datetime.combine(TODAY, clock_time(7, 30), tzinfo=LIMA))
    hub = OfficeHub(DataDir(target), clock)
    try:
        for username, pin, counter in (("ana", "2468", 1), ("luis", "1357", 4)):
            device = hub.authenticate(hub.add_device(SYSTEM, f"PC {counter}", "counter")[1])
            hub.login(device, LoginInput(username=username, secret=pin, counter=counter))
        simulate_day(hub, clock, TODAY, tickets=TODAY_TICKETS, seed=seed, until=NOW.time())
        kiosk = hub.authenticate(hub.add_device(SYSTEM, "Quiosco", "kiosk")[1])
        hub.report_print(kiosk, PrintJobReport(id=new_id(), kind="requirements",
                                               reference="RC-01",
                                               state="failed", error_code="paper_out",
                                               error_message="La impresora no tiene papel"))
    finally:
        hub.close()
    log(f"  the measured morning simulated; built in {time.perf_counter() - started:.0f} s")


def office_for(cache_dir: Path, tickets: int, quick: bool, seed: int, rebuild: bool,
               log: Callable[[str], None]) -> tuple[Path, bool]:
    """The generated office for these parameters: built once, then reused (bench/datasets.py)."""
    return cached_office(cache_dir, "stats-year", f"t{tickets}-{'q' if quick else 'y'}-s{seed}",
                         GENERATOR_VERSION, rebuild,
                         lambda folder: build(folder, tickets, quick, seed, log), log)


# --- timing ----------------------------------------------------------------------------------


class Floor:
    """One COUNT(*) over the tickets on a raw connection with the hub's pragmas."""

    def __init__(self, db_path: Path) -> None:
        self._db = sqlite3.connect(db_path, isolation_level=None)
        apply_pragmas(self._db)
        self.samples: list[int] = []
        self.count = 0

    def sample(self, record: bool = True) -> None:
        t0 = time.perf_counter_ns()
        self.count = self._db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
        if record:
            self.samples.append(time.perf_counter_ns() - t0)

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True)
class Summary:
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    @classmethod
    def of(cls, samples_ns: Sequence[int]) -> Summary:
        ms = [s / 1e6 for s in samples_ns]
        p50, p95 = percentile(ms, 0.5), percentile(ms, 0.95)
        assert p50 is not None and p95 is not None
        return cls(len(ms), p50, p95, max(ms))


def timed(floor: Floor, run: Callable[[], object], reps: int, warmup: int) -> Summary:
    for _ in range(warmup):
        run()
        floor.sample(record=False)
    samples = []
    for _ in range(reps):
        floor.sample()
        t0 = time.perf_counter_ns()
        run()
        samples.append(time.perf_counter_ns() - t0)
    return Summary.of(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_TICKETS:,} tickets over {QUICK_DAYS} days and few "
                             "repetitions: a CI smoke run")
    parser.add_argument("--tickets", type=int, default=None,
                        help=f"tickets before the measured day (default {FULL_TICKETS:,})")
    parser.add_argument("--reps", type=int, default=None,
                        help="repetitions of the dashboard's refresh (default 50)")
    parser.add_argument("--seed", type=int, default=SEED)
    add_cache_arguments(parser)
    parser.add_argument("--json", action="store_true",
                        help="print a one-line JSON summary as the last output")
    args = parser.parse_args(argv)
    tickets = args.tickets or (QUICK_TICKETS if args.quick else FULL_TICKETS)
    reps = args.reps or (10 if args.quick else 50)
    if tickets < len(history_days(args.quick)) or reps < 2:
        parser.error("--tickets must give at least one ticket a day and --reps be at least 2")
    long_reps = 2 if args.quick else 5
    cache_dir = cache_dir_of(args)

    started = time.perf_counter()
    print(f"stats bench: {tickets:,} tickets over {len(history_days(args.quick))} working "
          f"days, then {TODAY} until {NOW:%H:%M}; {reps} refreshes, seed {args.seed}")
    root, cached = office_for(cache_dir, tickets, args.quick, args.seed, args.rebuild,
                              lambda line: print(line, flush=True))
    db_path = DataDir(root).database
    size_mb = db_path.stat().st_size / 1e6
    print(f"  office {root} ({'cached' if cached else 'built now'}, {size_mb:,.0f} MB), "
          f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cpus")
    print(f"  note: {MACHINE_NOTE}")
    hub = OfficeHub(DataDir(root), VirtualClock(NOW))
    floor = Floor(db_path)
    year_from = date(2026, 1, 1)

    def year_raw() -> object:
        with hub.store.read_session() as session:
            return history.ticket_history(session, hub.office.office_code, hub.office.tz,
                                          year_from, TODAY)

    try:
        t0 = time.perf_counter()
        aggregated = hub.refresh_daily_stats()
        aggregate_s = time.perf_counter() - t0
        if aggregated:
            print(f"  aggregated {aggregated} closed days into daily_ticket_stats in "
                  f"{aggregate_s:.1f} s (once: later runs find them)")
        live = hub.supervisor_live(SYSTEM)
        results = {
            "live": timed(floor, lambda: hub.supervisor_live(SYSTEM), reps, 3),
            "today": timed(floor, lambda: hub.ticket_history(SYSTEM, TODAY, TODAY), reps, 3),
            "month": timed(floor, lambda: hub.ticket_history(
                SYSTEM, date(2026, 11, 1), date(2026, 11, 30)), long_reps, 1),
            "year": timed(floor, lambda: hub.ticket_history(SYSTEM, year_from, TODAY),
                          reps, 3),
            "year_raw": timed(floor, year_raw, long_reps, 0),
            "report_year": timed(floor, lambda: hub.period_report(SYSTEM, year_from, TODAY),
                                 long_reps, 0),
        }
        year = hub.ticket_history(SYSTEM, year_from, TODAY).overall
        identical = hub.ticket_history(SYSTEM, year_from, TODAY) == year_raw()
    finally:
        floor.close()
        hub.close()
    fl = Summary.of(floor.samples)
    print(f"  the dashboard at {NOW:%H:%M}: {live.waiting} waiting, "
          f"{sum(c.activity != 'closed' for c in live.counters)} counters working, "
          f"{len(live.alerts)} alerts, {live.today.issued} tickets today; "
          f"{floor.count:,} tickets in the store, {year.issued:,} this year")
    print("latency (ms):")
    print(f"  {'floor: COUNT(*) tickets':<26} p50 {fl.p50_ms:8.2f}   p95 {fl.p95_ms:8.2f}   "
          f"max {fl.max_ms:8.2f}   (n={fl.n})")
    for label, s in results.items():
        mark = ""
        if label == "live":
            mark = "PASS" if s.p95_ms <= TARGET_MS else "MISS"
        elif label == "year":
            mark = "PASS" if s.p50_ms <= TARGET_MS else "MISS"
        print(f"  {label:<26} p50 {s.p50_ms:8.2f}   p95 {s.p95_ms:8.2f}   max {s.max_ms:8.2f}"
              f"   x{s.p50_ms / fl.p50_ms:7.1f} floor p50   (n={s.n}) {mark}")
    passed = results["live"].p95_ms <= TARGET_MS
    year_passed = results["year"].p50_ms <= TARGET_MS
    print(f"target (informative): the dashboard's refresh p95 <= {TARGET_MS:g} ms: "
          f"{'PASS' if passed else 'MISS'}")
    print(f"target (informative): a year's history p50 <= {TARGET_MS:g} ms: "
          f"{'PASS' if year_passed else 'MISS'} (x{results['year'].p50_ms / fl.p50_ms:.1f} "
          f"the COUNT(*) floor; {results['year_raw'].p50_ms / results['year'].p50_ms:.0f}x "
          f"faster than reading every ticket; figures "
          f"{'identical' if identical else 'DIFFERENT'} to those)")
    elapsed = time.perf_counter() - started
    print(f"done in {elapsed:.1f} s ({MACHINE_NOTE})")
    if args.json:
        summary: dict[str, Any] = {
            "tickets": floor.count, "tickets_year": year.issued, "quick": args.quick,
            "cached": cached, "reps": reps, "db_mb": round(size_mb, 1),
            "floor_p50_ms": round(fl.p50_ms, 3), "floor_p95_ms": round(fl.p95_ms, 3),
            **{f"{label}_p50_ms": round(s.p50_ms, 2) for label, s in results.items()},
            **{f"{label}_p95_ms": round(s.p95_ms, 2) for label, s in results.items()},
            **{f"{label}_ratio_p50": round(s.p50_ms / fl.p50_ms, 1)
               for label, s in results.items()},
            "live_waiting": live.waiting, "live_alerts": len(live.alerts),
            "target_ms": TARGET_MS, "live_pass": passed, "year_pass": year_passed,
            "year_identical_to_raw": identical, "aggregated_days": aggregated,
            "aggregate_s": round(aggregate_s, 2), "elapsed_s": round(elapsed, 2),
            "note": MACHINE_NOTE,
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
