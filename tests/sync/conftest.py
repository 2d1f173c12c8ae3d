"""Central server fixtures: the same tests run against SQLite and a real PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from sync.central.app import central_server
from sync.central.db import MIGRATIONS_DIR, create_central_engine
from sync.central.server import CentralServer, Versions
from sync.client import CentralClient
from sync.hub_sync import HubSync
from sync.wire import PROTOCOL_VERSION
from tests.conftest import DemoOffices, RunningHub, start_uvicorn, stop_server
from tests.system import require_system


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    from tests import pg

    require_system(pg.available(), "PostgreSQL 15 server binaries (initdb, pg_ctl)",
                   "apt-get install postgresql")
    cluster = pg.ThrowawayCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.sqlite3'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def central(database_url: str, clock: VirtualClock) -> Iterator[CentralServer]:
    server = CentralServer(database_url, clock)
    yield server
    server.close()


@pytest.fixture
def central_http(central: CentralServer) -> Iterator[RunningHub]:
    running = start_uvicorn(central_server(central, lifespan="off",
                                           timeout_graceful_shutdown=2))
    yield running
    stop_server(running)


@pytest.fixture
def make_office(tmp_path: Path, clock: VirtualClock, demo_offices: DemoOffices
                ) -> Iterator[Callable[..., OfficeHub]]:
    """make_office("CAJ", "CAC Cajamarca") -> a demo office hub on disk (closed afterwards)."""
    made: list[OfficeHub] = []

    def make(code: str = "CAJ", name: str = "CAC Cajamarca", demo: bool = True) -> OfficeHub:
        office = demo_offices.initialise(DataDir(tmp_path / f"office-{code}"), clock, code,
                                         name, demo)
        made.append(office)
        return office

    yield make
    for office in made:
        office.close()


def connect_sync(office: OfficeHub, url: str, token: str, timeout_s: float = 10.0) -> HubSync:
    return HubSync(office, CentralClient(url, token, timeout_s=timeout_s))


def clerk_of(office: OfficeHub, username: str = "ana", pin: str = "2468", counter: int = 3
             ) -> DeviceIdentity:
    """A counter device of `office` with a demo clerk logged in."""
    from kiosk.hub import SYSTEM
    from kiosk.services.expediente_views import LoginInput

    _, token = office.add_device(SYSTEM, f"Ventanilla {counter}", "counter")
    device = office.authenticate(token)
    session = office.login(device, LoginInput(username=username, secret=pin, counter=counter))
    return office.authenticate(token, session.token)


def push_as_hub(central: CentralServer, token: str, office: OfficeHub,
                entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Entries (wire form) pushed straight into `central` as the office's hub would."""
    return central.push(central.authenticate(token),
                        Versions(app="1", protocol=PROTOCOL_VERSION, schema=None, office="CAJ"),
                        {"office": "CAJ", "hub_office_id": office.office.office_id,
                         "entries": list(entries)})


def migrations(connection: Connection) -> Config:
    """Alembic's configuration for central's migrations, run on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def central_at(database_url: str, revision: str) -> Engine:
    """A central database of an older version: migrated up to `revision` only."""
    engine = create_central_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(migrations(connection), revision)
    return engine


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The SQL `engine` sends meanwhile, in order (what a change must not send again)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
