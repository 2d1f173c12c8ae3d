"""A hub and central over HTTP on loopback: push, pull, idempotency, office isolation."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select, text

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from sync.central.schema import REPLICAS, office_links
from sync.central.server import CentralServer, Versions
from sync.wire import PROTOCOL_VERSION
from tests.conftest import RunningHub, advance
from tests.sync.conftest import connect_sync, statements_sent


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


def test_a_fresh_batch_takes_one_savepoint_and_looks_up_no_other_office(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    """Every table's share written in one savepoint; whose rows they are is asked only when a
    statement left some row as it was (never, for rows central did not hold)."""
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    with statements_sent(central.engine) as statements:
        report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.rejected == 0 and report.pushed > 10
    batches = [s for s in statements if "INSERT INTO sync_applied" in s]  # one claim each
    assert batches  # the statements were seen
    assert len([s for s in statements if s.startswith("SAVEPOINT")]) == len(batches)
    assert [s for s in statements if re.search(r"office_id (<>|!=)", s)] == []


def test_the_hello_keeps_what_the_hub_says_of_its_versions(central: CentralServer) -> None:
    """Written when they change (a hub upgraded), and left alone at every other round."""
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    hub = central.authenticate(token)
    links, updates = [], []
    for app in ("1.4.0", "1.4.0", "1.5.0"):
        with statements_sent(central.engine) as statements:
            central.hello(hub, Versions(app=app, protocol=PROTOCOL_VERSION, schema="0024",
                                        office="CAJ"), "hub-office-1")
        updates.append(len([s for s in statements if "UPDATE office_links SET app_version"
                            in s]))
        with central.engine.connect() as connection:
            links.append(connection.execute(select(
                office_links.c.app_version, office_links.c.protocol, office_links.c.schema)
            ).one())
    assert [tuple(link) for link in links] == [
        ("1.4.0", PROTOCOL_VERSION, "0024"), ("1.4.0", PROTOCOL_VERSION, "0024"),
        ("1.5.0", PROTOCOL_VERSION, "0024")]
    assert updates == [1, 0, 1]


def test_a_row_the_database_refuses_is_rejected_alone(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    """A table's share of a batch is one statement; when PostgreSQL refuses it (a value longer
    than its column), the table is written again entry by entry and only that one is refused."""
    if central.engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce the length of a text column")
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    damaged = office.issue_ticket(SYSTEM, "partidas")
    good = office.issue_ticket(SYSTEM, "caja")
    with office.store.write_session() as session:  # tickets.series is VARCHAR(4)
        session.execute(text(
            "UPDATE sync_outbox SET payload = json_set(payload, '$.series', 'DEMASIADO') "
            "WHERE tbl = 'tickets' AND row_key = :id"), {"id": damaged.id})
        session.commit()
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.rejected == 1 and report.pushed > 1
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        stored = dict(connection.execute(select(tickets.c.id, tickets.c.number)).all())
    assert stored == {good.id: good.number}
    attention = office.sync_attention(SYSTEM)
    assert [(a.kind, a.table, a.reference) for a in attention] == [("push", "tickets", damaged.id)]
    assert "rechazó el registro" in attention[0].reason
