"""A hub and central over HTTP on loopback: push, pull, idempotency, office isolation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from tests.conftest import RunningHub, advance
from tests.sync.conftest import connect_sync


def _serve_some(office: OfficeHub, clock: VirtualClock, count: int) -> None:
    office.open_counter(SYSTEM, 1)
    for _ in range(count):
        office.issue_ticket(SYSTEM, "partidas")
    for _ in range(count):
        advance(clock, minutes=2)
        ticket = office.call_next(SYSTEM, 1)
        assert ticket is not None
        office.start(SYSTEM, ticket.id)
        advance(clock, minutes=3)
        office.finish(SYSTEM, ticket.id)


def _central_count(central: CentralServer, table: str, office_id: str) -> int:
    replica = REPLICAS[table]
    with central.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(replica).where(
            replica.c.office_id == office_id)) or 0)


def test_a_round_brings_the_office_to_central_with_the_same_statistics(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 5)
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok, report.error
    assert report.rejected == 0
    assert office.sync_status(SYSTEM).office_name_at_central == "CAC Cajamarca"
    staff = central.authenticate(central.add_staff("Analista central"))
    day = date(2026, 11, 20)
    figures = central.stats(staff, "CAJ", day, day)["offices"]["CAJ"]
    own = office.stats(SYSTEM, day, day).model_dump(mode="json")
    assert figures["issued"] == own["issued"] == 5
    for key in ("served", "wait_p50_s", "wait_p90_s", "service_p50_s", "sla_pct", "by_service",
                "by_hour", "by_counter"):
        assert figures[key] == own[key], key
    # A second round sends nothing new and changes nothing.
    again = connect_sync(office, central_http.url, token).run_round()
    assert again.ok and again.pushed == 0
