"""Shared fixtures: a real office store on disk, a virtual clock, a real hub server on loopback."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything can import Qt

import gc
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from hypothesis import settings

from kiosk.api.app import hub_server
from kiosk.client import HubClient, InProcessHubClient
from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity

# Examples are never timed: a shared 2-core machine must not fail a rule check.
settings.register_profile("cac", deadline=None, derandomize=False)
settings.load_profile("cac")

LIMA = ZoneInfo("America/Lima")
# A Friday morning in the office.
START = datetime(2026, 11, 20, 8, 0, tzinfo=LIMA)

ROLES = ("kiosk", "display", "counter", "supervisor", "admin")
RATED_AT = 4  # the counter the tests' rating screen faces


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> None:
    """No test reads or writes the real user's data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture(autouse=True)
def _unfrozen_heap() -> Iterator[None]:
    """A serving process freezes its heap once started (kiosk/heap.py); a test that starts one
    in-process must not leave the test session's objects out of the collector for good."""
    yield
    gc.unfreeze()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "office")


class DemoOffices:
    """`OfficeHub.initialise(data_dir, code, name, demo=..., clock=clock)` made once per office
    and moment a test's clock starts at, and copied for each test that asks for the same: the
    demo's set-up (its clerks' PIN hashes, catalogue, TUPA and actas) took a third of a second
    of each of a thousand tests. A copy opened by a new hub is an office that restarted."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._made: dict[tuple[str, str, bool, datetime], Path] = {}

    def template(self, start: datetime = START, code: str = "CAJ",
                 name: str = "CAC Cajamarca", demo: bool = True) -> Path:
        """The office as initialised at `start`, made on first use; copy it, never open it."""
        key = (code, name, demo, start)
        if key not in self._made:
            template = self._factory.mktemp("demo-office") / "office"
            OfficeHub.initialise(DataDir(template), code, name, demo=demo,
                                 clock=VirtualClock(start)).close()
            self._made[key] = template
        return self._made[key]

    def initialise(self, data_dir: DataDir, clock: VirtualClock, code: str = "CAJ",
                   name: str = "CAC Cajamarca", demo: bool = True) -> OfficeHub:
        if not isinstance(clock, VirtualClock) or data_dir.exists():
            return OfficeHub.initialise(data_dir, code, name, demo=demo, clock=clock)
        shutil.copytree(self.template(clock.now(), code, name, demo), data_dir.root,
                        dirs_exist_ok=True)
        return OfficeHub(data_dir, clock)


@pytest.fixture(scope="session")
def demo_offices(tmp_path_factory: pytest.TempPathFactory) -> DemoOffices:
    return DemoOffices(tmp_path_factory)


@pytest.fixture
def hub(data_dir: DataDir, clock: VirtualClock, demo_offices: DemoOffices
        ) -> Iterator[OfficeHub]:
    office = demo_offices.initialise(data_dir, clock)
    yield office
    office.close()


@pytest.fixture
def tokens(hub: OfficeHub) -> dict[str, str]:
    """One device credential per role, and «rating»: the citizen-facing rating screen of
    ventanilla 4 (a counter device the admin bound to that counter, nobody logs in on it)."""
    from kiosk.hub import SYSTEM

    made = {role: hub.add_device(SYSTEM, f"{role} de prueba", role)[1] for role in ROLES}
    made["rating"] = hub.add_device(SYSTEM, "calificación de prueba", "counter", RATED_AT)[1]
    return made


# The demo office's clerks (kiosk/services/users.py DEMO_USERS): username, PIN.
CLERK = ("ana", "2468")
SECOND_CLERK = ("luis", "1357")
SUPERVISOR = ("rosa", "8642")
ADMIN = ("admin", "97531")
# Who logs in on a device of each staff role when a test needs a person there.
PEOPLE = {"counter": CLERK, "supervisor": SUPERVISOR, "admin": ADMIN}


def person_on(hub: OfficeHub, token: str, user: tuple[str, str],
              counter: int | None = None) -> DeviceIdentity:
    """The device of `token` with `user` logged in on it (at `counter`), for hub-level
    tests: what the hub sees of a request that carries that clerk's session."""
    from kiosk.services.expediente_views import LoginInput

    session = hub.login(hub.authenticate(token),
                        LoginInput(username=user[0], secret=user[1], counter=counter))
    return hub.authenticate(token, session.token)


def signed_in(url: str, token: str, user: tuple[str, str], counter: int | None = None
              ) -> dict[str, str]:
    """The headers of a request by `user` logged in (over HTTP) on the device of `token`."""
    import requests

    from kiosk.api.app import CLERK_HEADER

    response = requests.post(f"{url}/api/v1/sessions", timeout=30,
                             headers={"Authorization": f"Bearer {token}"},
                             json={"username": user[0], "secret": user[1], "counter": counter})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {token}", CLERK_HEADER: response.json()["token"]}


def clerk_at(hub: OfficeHub, username: str, pin: str, counter: int) -> DeviceIdentity:
    """A counter PC of its own with the demo clerk logged in at `counter`."""
    from kiosk.hub import SYSTEM

    _, token = hub.add_device(SYSTEM, f"PC de la ventanilla {counter}", "counter")
    return person_on(hub, token, (username, pin), counter)


@pytest.fixture
def clerk(hub: OfficeHub, tokens: dict[str, str]) -> DeviceIdentity:
    """The counter device with the demo clerk «ana» logged in at ventanilla 3, for hub-level
    tests (clients log in with `client.login(*CLERK, counter=3)`)."""
    return person_on(hub, tokens["counter"], CLERK, 3)


@dataclass
class RunningHub:
    url: str
    server: uvicorn.Server
    thread: threading.Thread


def start_server(office: OfficeHub, port: int = 0) -> RunningHub:
    """The hub's API on loopback (see `start_uvicorn`)."""
    return start_uvicorn(hub_server(office, lifespan="off", timeout_graceful_shutdown=2), port)


def start_uvicorn(server: uvicorn.Server, port: int = 0) -> RunningHub:
    """uvicorn on a loopback socket we bind first: clients queue in its backlog until it serves.

    Give the `port` of a stopped server to restart "the same server" at the same address.
    """
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on accepted sockets whose proto
    # says TCP (as uvicorn's own bind does); with proto 0 Nagle and the client's delayed ACK
    # hold back a response sent in two writes by ~40 ms.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    return RunningHub(url=f"http://127.0.0.1:{port}", server=server, thread=thread)


class Connect(Protocol):
    def __call__(self, role: str, *, person: bool = True, counter: int | None = None
                 ) -> HubClient: ...


@pytest.fixture(params=["in-process", "http"])
def connect(request: pytest.FixtureRequest, hub: OfficeHub, tokens: dict[str, str]
            ) -> Iterator[Connect]:
    """connect(role) -> a HubClient for a device of that role, with the role's demo person
    logged in on a staff device (PEOPLE; a clerk at `counter`), or the device alone with
    `person=False`: the contract suites run every test against the in-process client and
    against HTTP on loopback."""
    running = start_server(hub) if request.param == "http" else None
    clients: list[HttpHubClient] = []

    def make(role: str, *, person: bool = True, counter: int | None = None) -> HubClient:
        client: HubClient
        if running is None:
            client = InProcessHubClient(hub, tokens[role])
        else:
            client = http = HttpHubClient(running.url, tokens[role])
            clients.append(http)
        if person and role in PEOPLE:
            client.login(*PEOPLE[role], counter=counter)
        return client

    try:
        yield make
    finally:
        for client in clients:
            client.close()
        if running is not None:
            stop_server(running)


def stop_server(running: RunningHub) -> None:
    running.server.should_exit = True
    running.thread.join(timeout=10)
    assert not running.thread.is_alive(), "the test server did not stop"


@pytest.fixture
def server(hub: OfficeHub) -> Iterator[RunningHub]:
    running = start_server(hub)
    yield running
    stop_server(running)


def advance(clock: VirtualClock, **kwargs: float) -> None:
    clock.advance(timedelta(**kwargs))


# --- many fresh offices for property tests: made once, copied per example -------------------


def copy_office(template: Path, prefix: str, clock: VirtualClock) -> tuple[Path, OfficeHub]:
    """A fresh copy of the template in its own temp folder (the caller removes `root`)."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix=prefix))
    shutil.copytree(template, root / "office")
    return root, OfficeHub(DataDir(root / "office"), clock)
