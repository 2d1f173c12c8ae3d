"""The cap on preferential calls (kiosk/rules/calling.py, office setting
`cap_preferential_calls`) end to end: the admin turns it on, the hub restarts, a clerk calls
at a counter over the client (in process and over HTTP) on a virtual clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from kiosk.client import HubClient, InProcessHubClient
from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import ConfigError, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.views import IssuedTicket
from kiosk.storage.tables import Event
from tests.conftest import (
    ADMIN,
    CLERK,
    SECOND_CLERK,
    DemoOffices,
    advance,
    person_on,
    start_server,
    stop_server,
)


def kinds(client: HubClient, counter: int, calls: int) -> str:
    """What `counter` calls, one ticket after another served: «P» preferential, «R» regular,
    «-» nobody waiting."""
    called = ""
    for _ in range(calls):
        ticket = client.call_next(counter)
        if ticket is None:
            called += "-"
            continue
        called += "P" if ticket.preferential else "R"
        client.start(ticket.id)
        client.finish(ticket.id)
    return called


def queue(hub: OfficeHub, clock: VirtualClock, pattern: str) -> list[IssuedTicket]:
    """Partidas tickets issued a minute apart, «P» preferential and «R» regular."""
    issued = []
    for kind in pattern:
        issued.append(hub.issue_ticket(SYSTEM, "partidas", "gestante" if kind == "P" else None))
        advance(clock, minutes=1)
    return issued


def capped_calls(hub: OfficeHub) -> list[str]:
    """The numbers of the tickets the cap called ahead of a waiting preferential one."""
    with hub.store.read_session() as session:
        return [e.data["number"] for e in session.scalars(
            select(Event).where(Event.kind == "called").order_by(Event.seq))
            if e.data.get("preferential_cap")]


def turn_cap_on(data_dir: DataDir, clock: VirtualClock, demo_offices: DemoOffices) -> OfficeHub:
    """The admin ticks the box: it takes effect at once (the reload rebuilds the office
    context) and stays after a restart."""
    hub = demo_offices.initialise(data_dir, clock)
    try:
        admin = person_on(hub, hub.add_device(SYSTEM, "PC del administrador", "admin")[1], ADMIN)
        assert hub.office_settings(admin).cap_preferential_calls is False  # off by default
        settings = hub.change_office_settings(
            admin, OfficeSettingsChange(cap_preferential_calls=True))
        assert settings.cap_preferential_calls is True
        assert "cap_preferential_calls" not in settings.restart_needed
        assert hub.office.cap_preferential_calls is True
    finally:
        hub.close()
    return OfficeHub(data_dir, clock)


@pytest.fixture
def capped(data_dir: DataDir, clock: VirtualClock, demo_offices: DemoOffices
           ) -> Iterator[OfficeHub]:
    hub = turn_cap_on(data_dir, clock, demo_offices)
    yield hub
    hub.close()


@pytest.fixture(params=["in-process", "http"])
def counter_client(request: pytest.FixtureRequest, capped: OfficeHub) -> Iterator[HubClient]:
    """A counter PC with «ana» logged in at ventanilla 1, over either client."""
    token = capped.add_device(SYSTEM, "PC de la ventanilla 1", "counter", 1)[1]
    if request.param == "in-process":
        client: HubClient = InProcessHubClient(capped, token)
        client.login(*CLERK, counter=1)
        client.open_counter(1)
        yield client
        return
    running = start_server(capped)
    http = HttpHubClient(running.url, token)
    try:
        http.login(*CLERK, counter=1)
        http.open_counter(1)
        yield http
    finally:
        http.close()
        stop_server(running)


def test_with_the_cap_a_counter_calls_one_preferential_in_three_while_regulars_wait(
        capped: OfficeHub, clock: VirtualClock, counter_client: HubClient) -> None:
    queue(capped, clock, "PPPPRRRR")
    # Without the cap: PPPPRRRR. With it, two regular tickets after each preferential one
    # while regular tickets wait; then the preferential ones left.
    assert kinds(counter_client, 1, 9) == "PRRPRRPP-"
    # Each regular call the cap decided says so in its event (a logged option, §5).
    assert capped_calls(capped) == ["A-001", "A-002", "A-003", "A-004"]


def test_the_cap_counts_the_calls_of_each_counter_on_its_own(
        capped: OfficeHub, clock: VirtualClock, counter_client: HubClient) -> None:
    queue(capped, clock, "PPPRRR")
    assert kinds(counter_client, 1, 1) == "P"
    # Ventanilla 2 (partidas too) has called nobody: its first call is preferential.
    other = person_on(capped, capped.add_device(SYSTEM, "PC 2", "counter", 2)[1],
                      SECOND_CLERK, 2)
    capped.open_counter(other, 2)
    called = capped.call_next(other, 2)
    assert called is not None and called.preferential
    # Ventanilla 1 called a preferential ticket last: a regular one now.
    assert kinds(counter_client, 1, 2) == "RR"


def test_with_the_cap_a_preferential_call_ahead_of_the_policy_needs_a_reason(
        capped: OfficeHub, clock: VirtualClock, counter_client: HubClient) -> None:
    second = queue(capped, clock, "PPR")[1]
    assert kinds(counter_client, 1, 1) == "P"
    # The policy's next is A-001 now: PA-002 is called out of order, with a reason.
    with pytest.raises(InvalidInput) as refused:
        counter_client.call_ticket(1, second.id)
    assert refused.value.code == "reason_required"
    called = counter_client.call_ticket(1, second.id, "Gestante con malestar")
    assert called.number == "PA-002"


def test_the_cap_can_be_set_in_config_toml(data_dir: DataDir, clock: VirtualClock,
                                           demo_offices: DemoOffices) -> None:
    demo_offices.initialise(data_dir, clock).close()
    lines = [line for line in data_dir.config_file.read_text(encoding="utf-8").splitlines()
             if not line.startswith("cap_preferential_calls")]

    def write(value: str) -> None:
        data_dir.config_file.write_text(
            "\n".join([*lines, f"cap_preferential_calls = {value}", ""]), encoding="utf-8")

    write("true")
    hub = OfficeHub(data_dir, clock)
    try:
        queue(hub, clock, "PPRR")
        client = InProcessHubClient(hub, hub.add_device(SYSTEM, "PC 1", "counter", 1)[1])
        client.login(*CLERK, counter=1)
        client.open_counter(1)
        assert kinds(client, 1, 4) == "PRRP"
    finally:
        hub.close()
    write('"sí"')
    with pytest.raises(ConfigError) as refused:
        data_dir.load_config()
    assert "cap_preferential_calls" in refused.value.message


def test_the_cap_starts_afresh_each_business_day(capped: OfficeHub, clock: VirtualClock) -> None:
    def served(counter: int) -> str:
        ticket = capped.call_next(SYSTEM, counter)
        assert ticket is not None
        capped.start(SYSTEM, ticket.id)
        capped.finish(SYSTEM, ticket.id)
        return ticket.number

    queue(capped, clock, "PR")
    capped.open_counter(SYSTEM, 1)
    assert served(1) == "PA-001"  # the counter's last call of the day was preferential
    advance(clock, days=1)
    queue(capped, clock, "PR")  # the first write of the day closes the day before
    capped.open_counter(SYSTEM, 1)
    assert served(1) == "PA-001"
    assert served(1) == "A-001"
