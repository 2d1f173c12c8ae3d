"""Central at region scale (issue 21): a year of a region's offices in central's PostgreSQL, and
what central does with it — statistics, storage, many offices pushing at once, the public page.

The region (default 200 offices × 250 working days of 2025 × 500 tickets, with their events,
expedientes, citizens, payments and ratings) is built straight into the database by
bench/region.py (`INSERT … SELECT` in the server, no row through the API) and cached under
--cache-dir with its PostgreSQL data folder, keyed by size, generator version and the
replicated tables' columns (bench/datasets.py; central's own tables are migrated forward when
it opens the cached region, as a real central's would be). Events, citizens, payments and
sync bookkeeping are made for the last --event-days days only (a year of them does not fit a
shared disk); storage per office-day is measured over those days for them and over the year
for the rest.

What is timed, over HTTP against `cac central` in processes of its own (--centrals, offices
split between them, as behind a load balancer), warm (median of --reps after a first call,
printed apart):

  stats_all_year      GET /stats for all offices (each office and the total), the year.
                      Target: <= 1 s.
  stats_office_year   GET /stats for one office, the year. Target: <= 100 ms.
  report_all_year     GET /stats/report for all offices, the year (informative).
  report_office_year  GET /stats/report for one office, the year (informative).
  stats_all_window    GET /stats for all offices, the last 30 days (a window no month or
                      year boundary matches; informative).
  storage             bytes per office-day. Target: <= 0.5 MB. Central's maintenance
                      folds the events past the retry horizon into their archive on the
                      bench's evening first (sync/central/event_archive.py), as a running
                      central would; events count over a year: rows for the horizon's last
                      days, archived before. The region's events chain as a hub's do
                      (bench/region.py), so their archive leaves the hashes out as a real
                      office's does; a simulated office day's events are archived too and
                      printed beside, as a cross check.
  push                --push-offices offices (default 50) pushing a simulated day each at
                      once, a round (hello, one batch of 500 entries, pull) after another,
                      the page quiet. Targets: >= 20,000 entries/s into central; round p99
                      <= 2 s; /health (polled every 25 ms meanwhile) p99 <= 50 ms, so no push
                      holds the event loop. Each office's copy of the day keeps a hub's
                      time-ordered row ids (UUIDv7), with random bits of its own.
  page                the public page (/t/<code>) at --page-rate requests/s (default 200)
                      from many citizens' addresses (X-Forwarded-For through a trusted
                      proxy), alone, then while the offices push their day again (afresh).
                      Target: p99 <= 50 ms while pushing. The pushes' rate beside the page
                      is printed too, for information: here both share the machine's cores
                      with PostgreSQL and the load generators.

The pushing offices are removed afterwards, so the cached region stays as built. PASS/MISS is
informative; the exit code is 0 unless the script fails.

Run from the repository root:  .venv/bin/python bench/central_scale.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import importlib.util
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from hashlib import md5, sha256
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.pg: the PostgreSQL server the tests use

import psycopg  # noqa: E402
from datasets import add_cache_arguments, cache_dir_of, cached_office  # noqa: E402
from region import Region, build_region, office_code, working_days  # noqa: E402
from servers import cac_server, free_port  # noqa: E402

from kiosk.clock import VirtualClock  # noqa: E402
from kiosk.config import DataDir  # noqa: E402
from kiosk.hub import OfficeHub  # noqa: E402
from kiosk.rules.queue import percentile  # noqa: E402
from kiosk.simulate import simulate_day  # noqa: E402
from sync.central.schema import REPLICAS  # noqa: E402
from sync.central.server import CentralServer  # noqa: E402
from sync.client import CentralClient  # noqa: E402
from sync.hub_sync import HubSync  # noqa: E402
from sync.outbox import pending_entries  # noqa: E402
from sync.wire import MAX_BATCH_ENTRIES, PROTOCOL_VERSION  # noqa: E402
from tests.pg import Cluster  # noqa: E402

GENERATOR_VERSION = 4  # 3: events chained as a hub's (bench/region.py); 4: ids at their seq
LIMA = ZoneInfo("America/Lima")
YEAR = 2025
TEMPLATE = "TPL"
DATABASE = "region"
# A bench server: durable like production (fsync on), sized for a year of a region.
SETTINGS = ("-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min "
            "-c synchronous_commit=off -c wal_level=replica -c max_wal_senders=4")
FULL = {"offices": 200, "days": 250, "tickets": 500, "event_days": 10, "push_offices": 50,
        "push_tickets": 500, "page_rate": 200, "page_s": 6.0, "reps": 3, "centrals": 2}
QUICK = {"offices": 4, "days": 20, "tickets": 30, "event_days": 5, "push_offices": 3,
         "push_tickets": 40, "page_rate": 50, "page_s": 1.0, "reps": 1, "centrals": 1}
TARGETS = {"stats_all_year": 1000.0, "stats_office_year": 100.0, "storage_mb": 0.5,
           "push_rate": 20_000.0, "round_p99": 2000.0, "health_p99": 50.0, "page_p99": 50.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the region, built once and cached ---------------------------------------------------------


def replicas_digest() -> str:
    """What the generated rows depend on: the replicated tables' columns. Central's own tables
    are not in it: opening the cached region migrates it (as a real central's would be)."""
    shape = sorted((t.name, [(c.name, str(c.type)) for c in t.columns])
                   for t in REPLICAS.values())
    return sha256(repr(shape).encode()).hexdigest()[:8]


def region_of(args: argparse.Namespace) -> Region:
    from kiosk.rules.calendar import WorkingCalendar

    calendar = WorkingCalendar()
    holidays = {d for d in (date(YEAR, 1, 1) + timedelta(days=i) for i in range(365))
                if not calendar.is_working_day(d)}
    days = working_days(date(YEAR, 1, 1), 366, holidays)
    days = [d for d in days if d.year == YEAR]
    days = days[len(days) - args.days:] if args.days < len(days) else days
    return Region(offices=args.offices, days=days, tickets=args.tickets,
                  event_days=min(args.event_days, len(days)))


@contextlib.contextmanager
def central_processes(url: str, count: int, folder: Path, extra: Sequence[str] = ()
                      ) -> Iterator[list[tuple[str, int]]]:
    """`cac central` in `count` processes of their own (as deployed: nothing shares their
    GIL), each on its port, trusting loopback as the proxy that names the citizen; their URLs
    and process ids."""
    with contextlib.ExitStack() as stack:
        found = []
        for i in range(count):
            port = free_port()
            process = stack.enter_context(cac_server(
                ["central", "--database-url", url, "--trusted-proxy", "127.0.0.1", *extra],
                port, folder / f"central-{i}.log"))
            found.append((f"http://127.0.0.1:{port}", process.pid))
        yield found


def push_template_office(url: str, folder: Path) -> None:
    """The demo office's catalogue into central through the real sync path (the region's
    offices copy it)."""
    server = CentralServer(url)
    try:
        _, token = server.add_office(TEMPLATE, "CAC Plantilla")
    finally:
        server.close()
    clock = VirtualClock(datetime(YEAR, 1, 2, 7, 30, tzinfo=LIMA))
    hub = OfficeHub.initialise(DataDir(folder / "template"), TEMPLATE, "CAC Plantilla",
                               demo=True, clock=clock)
    try:
        with central_processes(url, 1, folder) as ((central, _),):
            result = HubSync(hub, CentralClient(central, token, timeout_s=120)).run_round()
            if not result.ok:
                raise SystemExit(f"template push failed: {result}")
    finally:
        hub.close()
        shutil.rmtree(folder / "template", ignore_errors=True)


def build(folder: Path, region: Region) -> None:
    (folder / "pg").mkdir(parents=True)
    cluster = Cluster(folder / "pg", SETTINGS)
    cluster.start()
    try:
        url = cluster.new_database_named(DATABASE)
        CentralServer(url).close()  # the schema, by central's migrations
        push_template_office(url, folder)
        started = time.perf_counter()
        build_region(_dsn(url), region, TEMPLATE, log)
        (folder / "build.json").write_text(json.dumps(
            {"build_s": round(time.perf_counter() - started, 1)}))
    finally:
        cluster.stop()


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


# --- statistics ---------------------------------------------------------------------------------


def _get(base: str, path: str, token: str, timeout: float) -> tuple[float, int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}",
                                       "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed, response.status, body


def _rss_peak_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def _maintaining() -> bool:
    """Whether central keeps pre-aggregated figures and prunes its bookkeeping (issue 21)."""
    return hasattr(CentralServer, "prune_bookkeeping")


def _evening(region: Region) -> datetime:
    """The bench's «now»: the evening after the region's last day."""
    return datetime.combine(region.days[-1] + timedelta(days=1), clock_time(20, 0),
                            tzinfo=LIMA)


def _archiving() -> bool:
    """Whether central folds old events into its archive (sync/central/event_archive.py)."""
    return importlib.util.find_spec("sync.central.event_archive") is not None


def prepare(url: str, region: Region) -> tuple[str, float | None]:
    """A staff credential; central's pre-aggregated figures brought up to date and its
    bookkeeping pruned, as on the day after the region's last one (every day over, the retry
    horizon's last days still kept)."""
    evening = _evening(region)
    server = CentralServer(url, VirtualClock(evening))
    try:
        token = server.add_staff("Gerencia regional (bench)")
        if not _maintaining():
            return token, None
        started = time.perf_counter()
        built = server.refresh_statistics()
        spent = time.perf_counter() - started
        log(f"pre-aggregated: {built} in {spent:.1f} s; "
            f"{server.prune_bookkeeping()} sync ids pruned")
        compacted = ["sync_applied"]
        if importlib.util.find_spec("sync.central.index_upkeep") is not None:
            from sync.central import index_upkeep  # the maintenance job's, that evening

            started = time.perf_counter()
            rebuilt = index_upkeep.rebuild_sparse(server.engine)
            log(f"sparse recovery indexes rebuilt: {rebuilt or 'none'} in "
                f"{time.perf_counter() - started:.1f} s")
        if _archiving():  # what the maintenance job does that evening (a no-op once done)
            from sync.central import event_archive

            started = time.perf_counter()
            folded = event_archive.fold(server.engine, evening)
            log(f"{folded} events of the days before the fold's cutoff archived in "
                f"{time.perf_counter() - started:.1f} s")
            compacted.append("events")  # the folded rows' space (a no-op once compact)
        # A running central's next ids and events reuse the space the pruned ids and folded
        # rows leave. Here no later day comes, so those tables are compacted to what they
        # hold (without this, the bench counted the event days' ids, twice the horizon's).
        with server.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in compacted:
                connection.exec_driver_sql(f"VACUUM FULL {table}")
        return token, spent
    finally:
        server.close()


def measure_stats(base: str, pid: int, token: str, region: Region, reps: int, timeout: float
                  ) -> dict[str, Any]:
    first, last = region.days[0], region.days[-1]
    year = f"from={date(YEAR, 1, 1)}&to={date(YEAR, 12, 31)}"
    window = f"from={last - timedelta(days=29)}&to={last}"
    office = office_code("R", 0)
    calls = {
        "stats_office_year": f"/api/v1/stats?{year}&office={office}",
        "report_office_year": f"/api/v1/stats/report?{year}&office={office}",
        "stats_all_year": f"/api/v1/stats?{year}",
        "report_all_year": f"/api/v1/stats/report?{year}",
        "stats_all_window": f"/api/v1/stats?{window}",
    }
    found: dict[str, Any] = {"period": f"{first}..{last}"}
    for name, path in calls.items():
        samples, status, size = [], 0, 0
        for _ in range(reps + 1):
            try:
                elapsed, status, body = _get(base, path, token, timeout)
            except TimeoutError:
                elapsed, status, body = float("inf"), 0, b""
            samples.append(elapsed)
            size = len(body)
            if status != 200:
                break
        warm = samples[1:] or samples
        found[name] = {"first_ms": round(samples[0], 1),
                       "warm_ms": round(statistics.median(warm), 1),
                       "status": status, "bytes": size}
        log(f"{name}: {found[name]}")
        if status != 200:
            break
    found["central_rss_peak_mb"] = _rss_peak_mb(pid)
    return found


def measure_recovery(url: str, reps: int) -> dict[str, float]:
    """A restored hub's recovery page (what central reads along the office's hash and
    `_sync_seq` from the year's tickets and events): from the start and from the middle of
    one office's year."""
    from sqlalchemy import create_engine

    from sync.central.feed import recovery_page

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            office = connection.exec_driver_sql(
                "SELECT id FROM offices WHERE code = %s", (office_code("R", 0),)).scalar()
            top = connection.exec_driver_sql(
                "SELECT max(_sync_seq) FROM tickets WHERE office_id = %s", (office,)).scalar()
            assert office is not None and top is not None, "the region has no office R AAA"
            found = {}
            for name, after in (("recovery_first_ms", 0), ("recovery_middle_ms", top // 2)):
                samples = []
                for _ in range(reps + 1):
                    started = time.perf_counter()
                    recovery_page(connection, office, after)
                    samples.append((time.perf_counter() - started) * 1000)
                found[name] = round(statistics.median(samples[1:]), 1)
            return found
    finally:
        engine.dispose()


# --- storage ----------------------------------------------------------------------------------

_EVENT_DAY_TABLES = ("events", "persons", "payments")
# Pruned once past the retry horizon, the sync bookkeeping is a footprint that does not grow
# with the days: spread over all of them. Never pruned (before issue 21) it grows with them.
_FOOTPRINT = ("sync_applied",)


_ARCHIVE = "central_event_archive"
_YEAR_DAYS = 250  # working days: a region's year, over which the events' two forms are mixed


def archive_of_a_real_day(folder: Path, tickets: int) -> float:
    """kB of the archive of a simulated office day of `tickets` (a hub's own events): the
    cross check of the region's generated ones."""
    from kiosk.storage.tables import Base
    from sync.central.event_archive import COLUMNS, Archived, encode
    from sync.wire import decode_row, encode_row

    hub_office_id, entries = push_template(folder, tickets)
    source = Base.metadata.tables["events"]
    events = []
    for text_ in entries:
        item = json.loads(text_)
        if item["t"] == "events":
            row = decode_row(source, item["p"])
            events.append(Archived(int(item["s"]), encode_row(
                source, {k: row[k] for k in COLUMNS if k in row})))
    events.sort(key=lambda e: e.seq)
    return len(encode(events, hub_office_id)) / 1e3


def measure_storage(url: str, region: Region, folder: Path) -> dict[str, Any]:
    """Bytes per office-day. Events are kept as rows for the retry horizon's last days and
    folded into their archive before: the figure is a region's year of them (its last
    `live` working days as rows, the rest archived), each form measured on the days it
    holds here."""
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        sizes = {str(name): int(size) for name, size in conn.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) + coalesce((SELECT "
            "sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = "
            "c.oid), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition")}
        applied = conn.execute("SELECT count(*) FROM sync_applied").fetchone()
        bodies = (conn.execute(f"SELECT coalesce(sum(length(body)), 0) FROM {_ARCHIVE}")
                  .fetchone() if _ARCHIVE in sizes else None)
    office_days = region.offices * len(region.days)
    event_office_days = region.offices * region.event_days
    archived = 0
    if _ARCHIVE in sizes:  # the region's event days past the horizon on the bench's evening
        from sync.central.event_archive import cutoff

        before = cutoff(_evening(region)).date()
        archived = region.offices * sum(1 for d in region.days[-region.event_days:]
                                        if d < before)
    live_office_days = max(1, event_office_days - archived)
    pruned = _maintaining()
    per_day = {name: size / (event_office_days if name in _EVENT_DAY_TABLES or (
        name in _FOOTPRINT and not pruned) else office_days) for name, size in sizes.items()}
    mixed = {}
    if archived:
        per_day["events"] = sizes["events"] / live_office_days
        per_day[_ARCHIVE] = sizes[_ARCHIVE] / archived
        live = live_office_days / region.offices  # working days kept as rows
        mixed = {"events": per_day["events"] * live / _YEAR_DAYS,
                 _ARCHIVE: per_day[_ARCHIVE] * (_YEAR_DAYS - live) / _YEAR_DAYS}
    total = sum({**per_day, **mixed}.values())
    found = {"storage_mb": round(total / 1e6, 3),
             "database_gb": round(sum(sizes.values()) / 1e9, 2),
             "by_table_kb": {name: round(size / 1e3, 1) for name, size in
                             sorted(per_day.items(), key=lambda item: -item[1])[:9]},
             "events_year_kb": {name: round(size / 1e3, 1) for name, size in mixed.items()},
             "archived_office_days": archived,
             "sync_applied_rows": applied[0] if applied else 0}
    if archived:
        found["archive_kb_per_office_day"] = round(per_day[_ARCHIVE] / 1e3, 1)
        found["archive_body_kb"] = round(int(bodies[0]) / archived / 1e3, 1) if bodies else 0
        found["archive_real_day_kb"] = round(archive_of_a_real_day(folder, region.tickets), 1)
    return found


# --- many offices pushing, the public page meanwhile ----------------------------------------

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_MUTATION = re.compile(r'"m":"([0-9a-f]{32})"')


def push_template(folder: Path, tickets: int) -> tuple[str, list[str]]:
    """A simulated office day's outbox (JSON text per entry, oldest first) and the hub's office
    id, cached: every pushing office sends a copy with its own ids."""
    today = datetime.now(LIMA).date()  # pushed as today's: open, as in office hours
    cached = folder / f"push-template-t{tickets}-{today}.json"
    if cached.exists():
        data = json.loads(cached.read_text())
        return data["hub_office_id"], data["entries"]
    with tempfile.TemporaryDirectory(prefix="cac-bench-day-") as tmp:
        clock = VirtualClock(datetime.combine(today, clock_time(7, 30), tzinfo=LIMA))
        hub = OfficeHub.initialise(DataDir(Path(tmp) / "office"), "PLA", "CAC Plantilla",
                                   demo=True, clock=clock)
        try:
            simulate_day(hub, clock, today, tickets=tickets, seed=11)
            entries = [e.wire_json() for e in pending_entries(hub.store)]
            office_id = hub.office.office_id
        finally:
            hub.close()
    cached.write_text(json.dumps({"hub_office_id": office_id, "entries": entries}))
    return office_id, entries


def _own_copy(entries: list[str], n: int) -> list[str]:
    """The entries with this office's own ids (every uuid and mutation id rewritten the same
    way throughout, so rows still point at each other). A hub's row ids are UUIDv7
    (kiosk/ids.py): their time stays and only their random bits change, so the copies'
    rows land in central's indexes where a real office's would (its mutation ids are random
    on a hub, and stay so)."""
    salt = f"{n}-"

    def uuid(match: re.Match[str]) -> str:
        h = md5((salt + match[0]).encode()).hexdigest()
        if match[0][14] == "7":  # time-ordered: its first 48 bits are milliseconds
            return f"{match[0][:15]}{h[:3]}-{'89ab'[int(h[3], 16) & 3]}{h[4:7]}-{h[7:19]}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def mutation(match: re.Match[str]) -> str:
        return f'"m":"{md5((salt + match[1]).encode()).hexdigest()}"'

    return [_MUTATION.sub(mutation, _UUID.sub(uuid, e)) for e in entries]


@dataclass
class Pusher:
    code: str
    token: str
    hub_office_id: str
    bodies: list[bytes]
    entries: int


def prepare_pushers(url: str, count: int, hub_office_id: str, entries: list[str]
                    ) -> list[Pusher]:
    server = CentralServer(url)
    pushers = []
    try:
        for n in range(count):
            code = office_code("P", n)
            _, token = server.add_office(code, f"CAC {code}")
            mine = _own_copy(entries, n)
            office_id = _own_copy([json.dumps(hub_office_id)], n)[0].strip('"')
            head = json.dumps({"office": code, "hub_office_id": office_id})[:-1]
            bodies = [gzip.compress((head + ',"entries":[' + ",".join(
                mine[i:i + MAX_BATCH_ENTRIES]) + "]}").encode(), 6, mtime=0)
                for i in range(0, len(mine), MAX_BATCH_ENTRIES)]
            pushers.append(Pusher(code, token, office_id, bodies, len(mine)))
    finally:
        server.close()
    return pushers


def remove_pushers(url: str) -> None:
    """The pushing offices and everything they left, so the cached region stays as built."""
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM offices WHERE code LIKE 'P%'")]
        if not ids:
            return
        tables = [r[0] for r in conn.execute(
            "SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = "
            "'office_id' AND table_schema = 'public' AND table_name NOT IN ('offices', "
            "'central_credentials', 'office_links')")]
        for table in tables:
            conn.execute(f'DELETE FROM "{table}" WHERE office_id = ANY(%s)', (ids,))
        conn.execute("DELETE FROM counter_services WHERE counter_id NOT IN "
                     "(SELECT id FROM counters)")
        conn.execute("DELETE FROM procedure_versions WHERE procedure_id NOT IN "
                     "(SELECT id FROM procedures)")
        for table in ("central_credentials", "office_links"):
            conn.execute(f"DELETE FROM {table} WHERE office_id = ANY(%s)", (ids,))
        conn.execute("DELETE FROM offices WHERE id = ANY(%s)", (ids,))


class Http:
    """One keep-alive connection to one central, as lean as a load generator can be: each
    request written from its parts, each answer read by its Content-Length. The offices and
    the citizens are other machines, but here they share the 2 cores with central:
    http.client's own work (~0.3 ms a request) was taken from central's."""

    def __init__(self, base: str, headers: dict[str, str], timeout: float = 120) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.address, self.timeout = (host, int(port)), timeout
        self.fixed = f"Host: {host}:{port}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items())
        self.sock: socket.socket | None = None
        self.pending = bytearray()

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        request = (f"{method} {path} HTTP/1.1\r\n{self.fixed}{extra}"
                   f"Content-Length: {len(body or b'')}\r\n\r\n").encode() + (body or b"")
        for attempt in (1, 2):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(self.address, self.timeout)
                    self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.pending = bytearray()
                self.sock.sendall(request)
                return self._answer()
            except (ConnectionError, EOFError):
                # A GET after the server closed an idle keep-alive connection (uvicorn: 5 s;
                # a slow prober's worker waits longer): asked again on a new one, as
                # browsers do.
                self.close()
                if method != "GET" or attempt == 2:
                    raise
            except BaseException:  # a timeout, a bad answer: nothing half read is kept
                self.close()
                raise
        raise AssertionError("unreachable")

    def _answer(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.pending:
            self._read()
        end = self.pending.index(b"\r\n\r\n")
        lines = self.pending[:end].decode("latin-1").split("\r\n")
        del self.pending[:end + 4]
        status = int(lines[0].split(" ", 2)[1])
        fields = {name.strip().lower(): value.strip()
                  for name, _, value in (line.partition(":") for line in lines[1:])}
        if "transfer-encoding" in fields:  # central's answers all say their length
            raise ValueError(f"answer without a length: {fields['transfer-encoding']}")
        length = int(fields.get("content-length", "0"))
        while len(self.pending) < length:
            self._read()
        body = bytes(self.pending[:length])
        del self.pending[:length]
        if fields.get("connection", "").lower() == "close":
            self.close()
        if fields.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return status, body

    def _read(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(262144)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.pending += chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def _push_office(pusher: Pusher, base: str, rounds: list[tuple[float, float, int]],
                 start: threading.Event) -> None:
    # As a hub's client asks (requests): answers compressed, which central pays for.
    http = Http(base, {"Authorization": f"Bearer {pusher.token}",
                       "X-CAC-Protocol": str(PROTOCOL_VERSION), "X-CAC-Office": pusher.code,
                       "X-CAC-App": "bench", "Accept-Encoding": "gzip"})
    start.wait()
    for body in pusher.bodies:
        began = time.perf_counter()
        status, _ = http.call("GET", f"/api/v1/sync/hello?hub_office_id={pusher.hub_office_id}")
        assert status == 200, status
        status, answer = http.call("POST", "/api/v1/sync/push", body,
                                   {"Content-Encoding": "gzip",
                                    "Content-Type": "application/json"})
        assert status == 200, (status, answer[:300])
        results = json.loads(answer)["results"]
        status, _ = http.call("GET", "/api/v1/sync/changes?after=0")
        assert status == 200, status
        rounds.append((began, time.perf_counter(), len(results)))
        refused = [r for r in results if r["r"] == "rejected"]
        assert not refused, refused[:3]


def _pushers_process(pushers: list[Pusher], urls: list[str], ready: EventType,
                     go: EventType, out: Any, nice: int = 0) -> None:
    if nice:
        os.nice(nice)  # --generator-nice: the offices are other machines in a region
    rounds: list[tuple[float, float, int]] = []
    start = threading.Event()
    threads = [threading.Thread(target=_push_office, args=(p, urls[i % len(urls)], rounds,
                                                           start))
               for i, p in enumerate(pushers)]
    for thread in threads:
        thread.start()
    ready.set()
    go.wait()
    cpu = time.process_time()
    start.set()
    for thread in threads:
        thread.join()
    out.put((rounds, time.process_time() - cpu))


def _prober_process(urls: list[str], page_urls: list[str], codes: list[str], rate: float,
                    ready: EventType, go: EventType, stop: EventType, out: Any) -> None:
    """/health every 25 ms on each central, and the public page at `rate` requests/s (none at
    0) on a fixed schedule (open loop: a late answer delays no later request's clock), each
    from a citizen's address of its own behind the trusted proxy, on the `page_urls`
    centrals."""
    health: list[float] = []
    page: list[tuple[float, int]] = []
    lock = threading.Lock()

    def poll_health(base: str) -> None:
        http = Http(base, {})
        while not stop.is_set():
            began = time.perf_counter()
            _status, _ = http.call("GET", "/api/v1/health")
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                health.append(elapsed)
            stop.wait(max(0.0, 0.025 - elapsed / 1000))

    workers = 16

    def load_page(k: int) -> None:
        rng = random.Random(k)
        http = Http(page_urls[k % len(page_urls)], {})
        interval = workers / rate
        due = time.perf_counter() + k / rate
        while not stop.is_set():
            delay = due - time.perf_counter()
            if delay > 0 and stop.wait(delay):
                break
            address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            status, _ = http.call("GET", f"/t/{rng.choice(codes)}",
                                  headers={"X-Forwarded-For": address,
                                           "Accept-Encoding": "gzip"})  # as a browser
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                page.append((elapsed, status))
            due += interval

    ready.set()
    go.wait()
    cpu = time.process_time()
    threads = [threading.Thread(target=poll_health, args=(u,)) for u in urls]
    if rate > 0:  # 0: the page quiet
        threads += [threading.Thread(target=load_page, args=(k,)) for k in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((health, page, time.process_time() - cpu))


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with contextlib.suppress(OSError):
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)
    return 0, 0


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int, reaped: bool = False) -> float:
    """CPU seconds a process has used (with its reaped children's when `reaped`); 0 when it
    is gone."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            used += int(fields[13]) + int(fields[14])  # cutime, cstime
        return used / _TICK
    return 0.0


def _postgres_cpu(postmaster: int) -> float:
    """CPU seconds of a PostgreSQL server: the postmaster, its live backends, and (counted
    by the postmaster when reaped) the ones that ended."""
    used = _process_cpu(postmaster, reaped=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                used += _process_cpu(int(entry.name))
    return used


def renice(pid: int, nice: int) -> None:
    """Every thread of a process at `nice` (Linux: a thread's priority is its own; those it
    starts later inherit it)."""
    tasks = Path(f"/proc/{pid}/task")
    for task in tasks.iterdir() if tasks.is_dir() else ():  # elsewhere: left as it is
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, int(task.name), nice)


def tracking_codes(url: str, count: int) -> list[str]:
    with psycopg.connect(_dsn(url)) as conn:
        return [r[0] for r in conn.execute(
            "SELECT tracking_code FROM expedientes TABLESAMPLE SYSTEM (1) LIMIT %s", (count,))] \
            or [r[0] for r in conn.execute("SELECT tracking_code FROM expedientes LIMIT %s",
                                           (count,))]


def _summary(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"n": len(ordered), "p50": round(percentile(ordered, 0.5) or 0, 1),
            "p99": round(percentile(ordered, 0.99) or 0, 1),
            "max": round(ordered[-1], 1) if ordered else 0.0}


def measure_load(url: str, urls: list[str], folder: Path, args: argparse.Namespace,
                 central_pids: list[int], postmaster: int, tmp: Path, extra: list[str]
                 ) -> dict[str, Any]:
    """The offices push (through `urls`) while the page is probed; with --page-centrals the
    page has `cac central` processes of its own (a load balancer sends /t/ there), and with
    --central-nice the pushes' processes yield the CPU to them."""
    with contextlib.ExitStack() as stack:
        (tmp / "page").mkdir(exist_ok=True)
        pages = stack.enter_context(central_processes(url, args.page_centrals, tmp / "page",
                                                      extra)) if args.page_centrals else []
        if args.central_nice:
            for pid in central_pids:
                renice(pid, args.central_nice)
        return _measure_load(url, urls, [u for u, _ in pages] or urls, folder,
                             args.push_offices, args.push_tickets, args.page_rate, args.page_s,
                             central_pids + [p for _, p in pages], postmaster,
                             args.generator_nice)


def _measure_load(url: str, urls: list[str], page_urls: list[str], folder: Path,
                  push_offices: int, push_tickets: int, page_rate: float, page_s: float,
                  central_pids: list[int], postmaster: int, generator_nice: int
                  ) -> dict[str, Any]:
    """The issue's two loads, each measured on its own: the offices pushing at once (the
    page quiet; the push targets), then pushing again while citizens load the page (the
    page's target; the pushes' rate beside it is printed for information: on one small
    machine both share its cores with PostgreSQL and the load generators)."""
    remove_pushers(url)  # a run that died left them
    hub_office_id, entries = push_template(folder, push_tickets)
    codes = tracking_codes(url, 2000)
    context = multiprocessing.get_context("spawn")
    # The page alone first: the figure to compare with.
    ready, go, stop, out = (context.Event(), context.Event(), context.Event(),
                            context.Queue())
    prober = context.Process(target=_prober_process,
                             args=(urls, page_urls, codes, page_rate, ready, go, stop, out))
    prober.start()
    ready.wait(120)
    go.set()
    time.sleep(page_s)  # the probe's fixed duration
    stop.set()
    _, alone, _ = out.get()
    prober.join()
    found: dict[str, Any] = {"page_alone_ms": _summary([t for t, _ in alone])}
    for key, rate in (("pushing", 0.0), ("beside_page", page_rate)):
        pushers = prepare_pushers(url, push_offices, hub_office_id, entries)
        try:
            found[key] = _push_while_probing(context, pushers, urls, page_urls, codes, rate,
                                             central_pids, postmaster, generator_nice)
        finally:
            remove_pushers(url)
    return found


def _push_while_probing(context: Any, pushers: list[Pusher], urls: list[str],
                        page_urls: list[str], codes: list[str], page_rate: float,
                        central_pids: list[int], postmaster: int, generator_nice: int
                        ) -> dict[str, Any]:
    """The offices push while /health (and the page, at `page_rate` a second) is probed."""
    ready, probing, go, stop = (context.Event(), context.Event(), context.Event(),
                                context.Event())
    rounds_out, probes_out = context.Queue(), context.Queue()
    pushing = context.Process(target=_pushers_process,
                              args=(pushers, urls, ready, go, rounds_out, generator_nice))
    prober = context.Process(target=_prober_process,
                             args=(urls, page_urls, codes, page_rate, probing, go, stop,
                                   probes_out))
    pushing.start()
    prober.start()
    ready.wait(120)
    probing.wait(120)
    before = _cpu_ticks()
    central_before = [_process_cpu(pid) for pid in central_pids]
    postgres_before = _postgres_cpu(postmaster)
    go.set()
    rounds, pushers_cpu = rounds_out.get()
    after = _cpu_ticks()
    central_cpu = [_process_cpu(pid) - b for pid, b in zip(central_pids, central_before,
                                                            strict=True)]
    postgres_cpu = _postgres_cpu(postmaster) - postgres_before
    stop.set()
    health, page, prober_cpu = probes_out.get()
    pushing.join()
    prober.join()
    began = min(r[0] for r in rounds)
    ended = max(r[1] for r in rounds)
    total = sum(r[2] for r in rounds)
    return {
        "push_entries": total, "push_s": round(ended - began, 2),
        "push_rate": round(total / (ended - began)),
        "round_ms": _summary([(b - a) * 1000 for a, b, _ in rounds]),
        "health_ms": _summary(health),
        "page_ms": _summary([t for t, _ in page]) if page else None,
        "page_statuses": {str(s): sum(1 for _, x in page if x == s) for s in {x for _, x in page}},
        "page_rate_achieved": round(len(page) / max(ended - began, 1e-9), 1),
        "cpu_busy_pct": round(100 * (after[0] - before[0]) / max(1, after[1] - before[1]), 1),
        # CPU seconds spent while the offices pushed, by whom (the prober's up to its stop).
        "cpu_s": {"centrals": [round(c, 1) for c in central_cpu],
                  "postgres": round(postgres_cpu, 1), "pushers": round(pushers_cpu, 1),
                  "prober": round(prober_cpu, 1)},
    }


# --- the run -----------------------------------------------------------------------------------


def verdict(value: float | None, target: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "----"
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small region (CI smoke)")
    for name in ("offices", "days", "tickets", "event_days", "push_offices", "push_tickets",
                 "reps"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int)
    parser.add_argument("--page-rate", type=float)
    parser.add_argument("--page-s", type=float)
    parser.add_argument("--centrals", type=int,
                        help="`cac central` processes the offices are split between (2)")
    # As docs/central-scale.md «How a region grows» deploys a region: the page behind the
    # load balancer in a process of its own, the pushes' processes at a lower priority.
    parser.add_argument("--page-centrals", type=int, default=1,
                        help="`cac central` processes of their own for the public page (1; "
                             "0: the page goes to the pushes' processes)")
    parser.add_argument("--central-nice", type=int, default=10,
                        help="nice level of the pushes' `cac central` processes during the "
                             "load (10; the page's own stay at 0)")
    parser.add_argument("--generator-nice", type=int, default=0,
                        help="nice level of the simulated offices (they are other machines "
                             "in a region; 0: they compete with central for the CPU)")
    parser.add_argument("--stats-timeout", type=float, default=600,
                        help="seconds an answer may take before it is counted as failed")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["stats", "storage", "load"], help="leave a part out")
    parser.add_argument("--json", action="store_true", help="print a JSON summary last")
    add_cache_arguments(parser)
    args = parser.parse_args()
    defaults = QUICK if args.quick else FULL
    for key, value in defaults.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    region = region_of(args)
    parameters = (f"o{region.offices}-d{len(region.days)}-t{region.tickets}-"
                  f"e{region.event_days}-s{region.seed}-c{replicas_digest()}")
    folder, cached = cached_office(cache_dir_of(args), "central", parameters, GENERATOR_VERSION,
                                   args.rebuild, lambda f: build(f, region), log)
    build_info = json.loads((folder / "build.json").read_text())
    cluster = Cluster(folder / "pg", SETTINGS)
    cluster.start()
    results: dict[str, Any] = {"offices": region.offices, "days": len(region.days),
                               "tickets_per_day": region.tickets,
                               "tickets": region.offices * len(region.days) * region.tickets,
                               "event_days": region.event_days, "cached": cached, **build_info}
    try:
        url = cluster.url(DATABASE)
        token, prepared_s = prepare(url, region)
        results["stats_prepare_s"] = prepared_s
        # The bench's own servers do no maintenance: the cached region stays as measured.
        quiet = ["--maintenance-s", "0"] if _maintaining() else []
        with tempfile.TemporaryDirectory(prefix="cac-bench-central-") as tmp, \
                central_processes(url, args.centrals, Path(tmp), quiet) as centrals:
            if "stats" not in args.skip:
                results["stats"] = measure_stats(*centrals[0], token, region, args.reps,
                                                 args.stats_timeout)
                results["stats"].update(measure_recovery(url, args.reps))
            if "storage" not in args.skip:
                # Measured once per built region, before any office pushes into it (the
                # pushing offices' rows are removed, but their space stays in the tables).
                measured = folder / ("storage-archived.json" if _archiving() else
                                     "storage.json")
                if not measured.exists():
                    measured.write_text(json.dumps(measure_storage(url, region, folder)))
                results["storage"] = json.loads(measured.read_text())
            if "load" not in args.skip:
                results["load"] = measure_load(
                    url, [u for u, _ in centrals], folder, args, [p for _, p in centrals],
                    int((folder / "pg" / "data" / "postmaster.pid").read_text().split()[0]),
                    Path(tmp), quiet)
    finally:
        cluster.stop()
    report(results, args)
    return 0


def _cpu_line(load: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"    machine CPU busy   {load['cpu_busy_pct']} % of {os.cpu_count()} cores (central, "
          f"PostgreSQL, the load generators, the neighbours); CPU s by whom {load['cpu_s']} "
          f"(page centrals {args.page_centrals}, central nice {args.central_nice}, offices "
          f"nice {args.generator_nice})")


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"central at region scale — {platform.node()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} cores; {results['offices']} offices × {results['days']} days × "
          f"{results['tickets_per_day']} tickets = {results['tickets']:,} tickets "
          f"(events etc. for the last {results['event_days']} days); built in "
          f"{results.get('build_s')} s{' (cached)' if results['cached'] else ''}")
    summary: dict[str, Any] = {k: results[k] for k in ("offices", "days", "tickets", "cached")}
    stats = results.get("stats")
    if stats:
        if results.get("stats_prepare_s") is not None:
            print(f"  pre-aggregation brought up to date in {results['stats_prepare_s']:.1f} s")
        for name in ("stats_all_year", "stats_office_year", "report_all_year",
                     "report_office_year", "stats_all_window"):
            if name not in stats:
                continue
            one = stats[name]
            target = TARGETS.get(name)
            mark = verdict(one["warm_ms"], target) if target else "    "
            print(f"  {name:<20} warm {one['warm_ms']:>10,.1f} ms  first "
                  f"{one['first_ms']:>10,.1f} ms  {one['bytes']:>10,} bytes  {mark}"
                  + (f" (<= {target:g} ms)" if target else "")
                  + ("" if one["status"] == 200 else f"  HTTP {one['status']}"))
            summary[f"{name}_ms"] = one["warm_ms"]
        print(f"  central peak memory  {stats.get('central_rss_peak_mb')} MB")
        if "recovery_first_ms" in stats:
            print(f"  recovery page        {stats['recovery_first_ms']} ms from the start, "
                  f"{stats['recovery_middle_ms']} ms from the middle of an office's year")
        summary["central_rss_peak_mb"] = stats.get("central_rss_peak_mb")
    storage = results.get("storage")
    if storage:
        print(f"  storage              {storage['storage_mb']:>10.3f} MB per office-day  "
              f"{verdict(storage['storage_mb'], TARGETS['storage_mb'])} (<= 0.5 MB); database "
              f"{storage['database_gb']} GB; sync_applied "
              f"{storage.get('sync_applied_rows', 0):,} rows kept")
        print(f"    by table (kB per office-day): {storage['by_table_kb']}")
        if storage.get("events_year_kb"):
            print(f"    events over a year of {_YEAR_DAYS} days (kB per office-day; archived "
                  f"office-days here {storage['archived_office_days']:,}): "
                  f"{storage['events_year_kb']}")
        if storage.get("archive_kb_per_office_day"):
            print(f"    event archive {storage['archive_kb_per_office_day']} kB per archived "
                  f"office-day ({storage['archive_body_kb']} kB of it the bodies); a "
                  f"simulated office day's events: {storage['archive_real_day_kb']} kB of "
                  f"body (the cross check)")
            summary["archive_kb"] = storage["archive_kb_per_office_day"]
        summary["storage_mb"] = storage["storage_mb"]
    load = results.get("load")
    if load:
        pushing, beside = load["pushing"], load["beside_page"]
        print(f"  push                 {pushing['push_entries']:,} entries in "
              f"{pushing['push_s']} s: {pushing['push_rate']:>8,} entries/s  "
              f"{verdict(pushing['push_rate'], TARGETS['push_rate'], True)} (>= 20,000; the "
              "page quiet)")
        print(f"  push round           p50 {pushing['round_ms']['p50']} ms  p99 "
              f"{pushing['round_ms']['p99']} ms  "
              f"{verdict(pushing['round_ms']['p99'], TARGETS['round_p99'])} (p99 <= 2 s)")
        print(f"  /health meanwhile    p50 {pushing['health_ms']['p50']} ms  p99 "
              f"{pushing['health_ms']['p99']} ms  max {pushing['health_ms']['max']} ms  "
              f"{verdict(pushing['health_ms']['p99'], TARGETS['health_p99'])} (p99 <= 50 ms)")
        _cpu_line(pushing, args)
        print(f"  page alone           p50 {load['page_alone_ms']['p50']} ms  p99 "
              f"{load['page_alone_ms']['p99']} ms  ({args.page_rate:g} req/s)")
        page = beside["page_ms"] or {"p50": None, "p99": None, "max": None}
        if beside["page_ms"] is None:
            print("  page while pushing   not loaded (--page-rate 0)")
        else:
            print(f"  page while pushing   p50 {page['p50']} ms  p99 {page['p99']} ms  max "
                  f"{page['max']} ms  {verdict(page['p99'], TARGETS['page_p99'])} (p99 <= 50 "
                  f"ms); statuses {beside['page_statuses']}")
        print(f"    the pushes beside  {beside['push_rate']:,} entries/s, round p99 "
              f"{beside['round_ms']['p99']} ms, /health p99 {beside['health_ms']['p99']} ms "
              "(information: the same cores)")
        _cpu_line(beside, args)
        summary.update({"push_rate": pushing["push_rate"],
                        "round_p99_ms": pushing["round_ms"]["p99"],
                        "health_p99_ms": pushing["health_ms"]["p99"],
                        "page_p99_ms": page["p99"],
                        "page_alone_p99_ms": load["page_alone_ms"]["p99"],
                        "push_rate_beside_page": beside["push_rate"],
                        "cpu_busy_pct": pushing["cpu_busy_pct"], "cpu_s": pushing["cpu_s"],
                        "cpu_s_beside_page": beside["cpu_s"]})
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    raise SystemExit(main())
