"""Reports read from a PostgreSQL streaming replica (`cac central --read-database-url`): a
real hot standby of the tests' cluster, made with pg_basebackup, gives the very figures the
primary gives."""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from kiosk.clock import VirtualClock
from sync.central.server import CentralServer
from tests import pg
from tests.conftest import RunningHub, start_uvicorn, stop_server
from tests.sync.test_supervisor_central import LATER, PERIODS, WORKED, _push_all, _worked_day
from tests.system import require_system


@pytest.fixture
def standby(pg_cluster: pg.Cluster) -> Iterator[pg.Cluster]:
    require_system(pg.available("pg_basebackup"),
                   "pg_basebackup (PostgreSQL 15 server binaries)",
                   "apt-get install postgresql-15")
    root = Path(tempfile.mkdtemp(prefix="cac-pg-standby-"))  # where its user may go
    replica = pg_cluster.replica(root)
    yield replica
    replica.stop("immediate")
    shutil.rmtree(root, ignore_errors=True)


def test_reports_read_from_a_streaming_replica_equal_the_primarys(
        pg_cluster: pg.Cluster, make_office, clock: VirtualClock,
        request: pytest.FixtureRequest) -> None:
    url = pg_cluster.new_database()
    primary = CentralServer(url, clock)
    try:
        from sync.central.app import central_server

        running: RunningHub = start_uvicorn(central_server(primary, lifespan="off",
                                                           timeout_graceful_shutdown=2))
        try:
            rng = random.Random(5)
            office = make_office("CAJ", "CAC Cajamarca")
            token = primary.add_office("CAJ", "CAC Cajamarca")[1]
            for day in WORKED[:3]:
                _worked_day(office, clock, day, counter=1, rng=rng)
            _push_all(office, running.url, token)
        finally:
            stop_server(running)
        clock.set(LATER)
        primary.refresh_statistics()
        staff = primary.authenticate(primary.add_staff("Gerencia"))
        # Everything above is in the backup the standby starts from.
        standby: pg.Cluster = request.getfixturevalue("standby")
        name = url.split("@/", 1)[1].split("?", 1)[0]
        reader = CentralServer(url, clock, read_database_url=standby.url(name))
        try:
            with reader.read_engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT pg_is_in_recovery()").scalar()
            for date_from, date_to in PERIODS:
                assert reader.stats(staff, None, date_from, date_to) == primary.stats(
                    staff, None, date_from, date_to)
                assert reader.period_report(staff, None, date_from, date_to) == \
                    primary.period_report(staff, None, date_from, date_to)
            with psycopg.connect(host=str(standby.socket_dir), user=standby.user,
                                 dbname=name) as conn, \
                    pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                conn.execute("DELETE FROM central_stats")
        finally:
            reader.close()
    finally:
        primary.close()
        pg_cluster.drop_database(url)
