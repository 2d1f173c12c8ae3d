"""Several `cac central` processes over one PostgreSQL, as behind a load balancer: started
together on an empty database they migrate it once (the second waits for the first), and
offices pushing to both at once find every row and every figure exact."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import psycopg
import requests
from sqlalchemy import func, select, table

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from tests import pg
from tests.sync.conftest import connect_sync
from tests.sync.test_push_pull import _serve_some

ROOT = Path(__file__).resolve().parents[2]
WITHIN_S = 60
COUNTED = ("tickets", "events", "counters", "users", "services")
DAY = date(2026, 11, 20)


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _centrals(url: str, folder: Path, count: int
              ) -> Iterator[list[tuple[str, subprocess.Popen[bytes], Path]]]:
    """`count` `cac central` processes started at once (not waited for)."""
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        for n in range(count):
            port, log = _port(), folder / f"central-{n}.log"
            with log.open("wb") as out:
                started.append((f"http://127.0.0.1:{port}", subprocess.Popen(
                    [sys.executable, "-m", "kiosk", "central", "--database-url", url,
                     "--maintenance-s", "0", "--host", "127.0.0.1", "--port", str(port)],
                    stdout=out, stderr=subprocess.STDOUT, cwd=ROOT), log))
        yield started
    finally:
        for _, process, _ in started:
            process.terminate()
        for _, process, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _until(condition: object, what: str) -> None:
    """Bounded: `condition()` true within WITHIN_S, checked every 50 ms."""
    deadline = time.monotonic() + WITHIN_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> bool:
    assert process.poll() is None, f"cac central exited: {log.read_text()[-3000:]}"
    with contextlib.suppress(requests.ConnectionError):
        return requests.get(f"{base}/api/v1/health", timeout=2).status_code == 200
    return False


def _waiting_on_locks(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as watcher:
        found = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'").fetchone()
        return int(found[0]) if found else 0


def _central_rows(central: CentralServer, name: str, office_id: str) -> int:
    replica = REPLICAS[name]
    with central.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(replica).where(
            replica.c.office_id == office_id)) or 0)


def _office_rows(office: OfficeHub, name: str) -> int:
    with office.store.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(table(name))) or 0)


def test_two_central_processes_over_one_database(
        pg_cluster: pg.Cluster, tmp_path: Path, make_office, clock: VirtualClock) -> None:
    url = pg_cluster.new_database()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        # Both processes reach the empty schema at the same moment: an uncommitted table of
        # the migrations' own holds them there, then lets them go together.
        holder = psycopg.connect(dsn)
        holder.execute("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL)")
        with _centrals(url, tmp_path, 2) as centrals:
            _until(lambda: _waiting_on_locks(dsn) >= 2, "the processes never met at the schema")
            holder.rollback()
            holder.close()
            for base, process, log in centrals:
                _until(lambda b=base, p=process, lg=log: _healthy(b, p, lg),
                       f"cac central at {base} never answered")
            central = CentralServer(url, clock)
            try:
                _offices_push_to_both(central, [base for base, _, _ in centrals], make_office,
                                      clock)
            finally:
                central.close()
    finally:
        pg_cluster.drop_database(url)


def _offices_push_to_both(central: CentralServer, urls: list[str], make_office,
                          clock: VirtualClock) -> None:
    offices = {code: make_office(code, f"CAC {code}") for code in ("CAJ", "CEL", "JAE")}
    tokens = {code: central.add_office(code, f"CAC {code}")[1] for code in offices}
    with ThreadPoolExecutor(len(offices)) as pool:
        for round_ in range(4):
            for office in offices.values():
                _serve_some(office, clock, 3)
                office.close_counter(SYSTEM, 1)
            # Every office at once, each round to the other process.
            results = list(pool.map(
                lambda item: connect_sync(item[1], item[0], tokens[item[2]]).run_round(),
                [(urls[(round_ + n) % 2], office, code)
                 for n, (code, office) in enumerate(offices.items())]))
            assert all(r.ok and r.rejected == 0 for r in results), results
    staff = central.authenticate(central.add_staff("Gerencia"))
    figures = central.stats(staff, None, DAY, DAY)
    for office_row in central.offices():
        office = offices[office_row.code]
        for name in COUNTED:
            assert _central_rows(central, name, office_row.id) == _office_rows(office, name), (
                office_row.code, name)
        assert figures["offices"][office_row.code] == office.stats(
            SYSTEM, DAY, DAY).model_dump(mode="json")
    assert figures["total"]["issued"] == 3 * 4 * len(offices)
