"""Sync push benchmark: how fast a hub's outbox goes into central's PostgreSQL, next to the floor.

What is measured, in one run, on one throwaway PostgreSQL 15 cluster (initdb in a temp dir):

1. PUSH: an office works a simulated day (`kiosk.simulate`, seeded) without a link, then one
   sync round sends its whole outbox through the real path — batches read from the hub's
   SQLite, gzip-compressed JSON over HTTP on loopback to `cac central` in a process of its own
   (as deployed: the two never share an interpreter), central's FastAPI decoding, checking
   office ownership, upserting with the version guard and recording each mutation id.
   Entries/s is the outbox size over the push phase's wall time; bytes/entry is the
   compressed request bodies over the entries.
2. FLOOR: the same rows (decoded from the same entries), inserted into an identical empty
   schema with psycopg's `executemany`, one transaction per 500 rows like the push batches:
   what PostgreSQL itself costs for these rows, with no protocol and no checks.

Targets (issue 8): >= 2,000 entries/s; <= 3x the floor's time; <= 300 bytes/entry on the wire.
PASS/MISS is informative; the exit code is 0 unless the script fails.

Run from the repository root:  .venv/bin/python bench/sync_push.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.pg: the same throwaway cluster the tests use

import psycopg  # noqa: E402
from servers import cac_server, free_port  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from kiosk.clock import VirtualClock  # noqa: E402
from kiosk.config import DataDir  # noqa: E402
from kiosk.hub import SYSTEM, OfficeHub  # noqa: E402
from kiosk.simulate import simulate_day  # noqa: E402
from kiosk.storage.replication import BY_TABLE, REPLICATED  # noqa: E402
from kiosk.storage.tables import SyncOutbox  # noqa: E402
from sync.central.schema import REPLICAS, SYNC_SEQ  # noqa: E402
from sync.central.server import CentralServer  # noqa: E402
from sync.client import CentralClient  # noqa: E402
from sync.hub_sync import HubSync  # noqa: E402
from sync.outbox import pending_entries  # noqa: E402
from sync.wire import MAX_BATCH_ENTRIES, decode_row  # noqa: E402
from tests.pg import ThrowawayCluster  # noqa: E402

LIMA = ZoneInfo("America/Lima")
DAY = date(2026, 11, 20)
TARGET_RATE = 2000
TARGET_RATIO = 3.0
TARGET_BYTES = 300


def _office(root: Path, tickets: int) -> OfficeHub:
    clock = VirtualClock(datetime.combine(DAY, clock_time(7, 30), tzinfo=LIMA))
    hub = OfficeHub.initialise(DataDir(root / "office"), "CAJ", "CAC Cajamarca", demo=True,
                               clock=clock)
    simulate_day(hub, clock, DAY, tickets=tickets, seed=7)
    hub.close_day(SYSTEM)
    return hub


class CountingClient(CentralClient):
    """Counts the compressed bytes of every push body it sends."""

    sent_bytes = 0

    def push(self, packed: bytes) -> dict[str, Any]:
        self.sent_bytes += len(packed)
        return super().push(packed)


def measure_push(hub: OfficeHub, url: str, log_path: Path) -> tuple[int, float, int]:
    central = CentralServer(url)
    try:
        _, token = central.add_office("CAJ", "CAC Cajamarca")
    finally:
        central.close()
    with central_process(url, free_port(), log_path) as central_url:
        with hub.store.read_session() as session:
            entries = int(session.scalar(select(func.count()).select_from(SyncOutbox)) or 0)
        client = CountingClient(central_url, token, timeout_s=120)
        sync = HubSync(hub, client)
        started = time.perf_counter()
        report = sync.run_round()
        elapsed = time.perf_counter() - started
        client.close()
        if not report.ok or report.pushed != entries:
            raise SystemExit(f"push failed: {report}")
        return entries, elapsed, client.sent_bytes


@contextlib.contextmanager
def central_process(url: str, port: int, log_path: Path) -> Iterator[str]:
    """`cac central` in a process of its own, as deployed (the hub's sync and central never
    share an interpreter, nor its GIL); its URL once ready (bench/servers.py)."""
    with cac_server(["central", "--database-url", url], port, log_path):
        yield f"http://127.0.0.1:{port}"


def measure_floor(hub: OfficeHub, url: str) -> float:
    """executemany of the same rows into the same (empty) schema."""
    CentralServer(url).close()  # creates the schema through the migrations
    rows_by_table: dict[str, list[dict[str, Any]]] = {}
    batches: list[list[tuple[str, dict[str, Any]]]] = [[]]
    for entry in pending_entries(hub.store):
        table = REPLICAS[entry.table]
        row = decode_row(table, json.loads(entry.payload))
        row["office_id"] = "central-office"
        row[SYNC_SEQ] = entry.seq
        if len(batches[-1]) == MAX_BATCH_ENTRIES:
            batches.append([])
        batches[-1].append((entry.table, row))
        rows_by_table.setdefault(entry.table, []).append(row)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    order = {spec.table: n for n, spec in enumerate(REPLICATED)}
    with psycopg.connect(dsn) as conn:
        started = time.perf_counter()
        for batch in batches:
            grouped: dict[str, list[dict[str, Any]]] = {}
            for name, row in batch:
                grouped.setdefault(name, []).append(row)
            with conn.cursor() as cursor:
                for name in sorted(grouped, key=order.__getitem__):
                    columns = [c.name for c in REPLICAS[name].columns]
                    sql = (f'INSERT INTO {name} ({", ".join(columns)}) VALUES '
                           f'({", ".join(["%s"] * len(columns))}) ON CONFLICT DO NOTHING')
                    cursor.executemany(sql, [[_pg(row.get(c)) for c in columns]
                                             for row in grouped[name]])
            conn.commit()
        return time.perf_counter() - started


def _pg(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    if isinstance(value, dict | list):
        return Jsonb(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # the columns hold naive UTC, as SQLAlchemy writes
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small day (CI smoke)")
    parser.add_argument("--tickets", type=int, help="tickets of the simulated day (1500)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary last")
    args = parser.parse_args()
    tickets = args.tickets or (150 if args.quick else 1500)
    cluster = ThrowawayCluster()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory(prefix="cac-bench-sync-") as tmp:
            hub = _office(Path(tmp), tickets)
            try:
                floor_s = measure_floor(hub, cluster.new_database())
                entries, push_s, wire = measure_push(hub, cluster.new_database(),
                                                     Path(tmp) / "central.log")
            finally:
                hub.close()
    finally:
        cluster.stop()
    rate, floor_rate = entries / push_s, entries / floor_s
    ratio, per_entry = push_s / floor_s, wire / entries
    tables = sorted({spec.table for spec in BY_TABLE.values()})
    print(f"sync push benchmark — {platform.node()}, Python {platform.python_version()}, "
          f"PostgreSQL throwaway cluster, {tickets} tickets simulated")
    print(f"  entries pushed       {entries:>10,}   (tables: {len(tables)})")
    print(f"  push                 {push_s:>10.2f} s  {rate:>10,.0f} entries/s  "
          f"{'PASS' if rate >= TARGET_RATE else 'MISS'} (>= {TARGET_RATE:,})")
    print(f"  floor (executemany)  {floor_s:>10.2f} s  {floor_rate:>10,.0f} entries/s")
    print(f"  push / floor         {ratio:>10.2f} x  "
          f"{'PASS' if ratio <= TARGET_RATIO else 'MISS'} (<= {TARGET_RATIO:g}x)")
    print(f"  on the wire          {per_entry:>10.1f} bytes/entry  "
          f"{'PASS' if per_entry <= TARGET_BYTES else 'MISS'} (<= {TARGET_BYTES})")
    if args.json:
        print(json.dumps({"entries": entries, "push_s": round(push_s, 3),
                          "entries_per_s": round(rate, 1), "floor_s": round(floor_s, 3),
                          "floor_entries_per_s": round(floor_rate, 1),
                          "ratio": round(ratio, 2), "bytes_per_entry": round(per_entry, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
