"""Tickets' ids as PostgreSQL's `uuid` on central (revision 0018, kiosk/storage/tables.py
`UuidText`): the hubs keep text, central stores 16 bytes and gives back the same text; a
ticket whose id is not a hub's UUID is refused alone; an existing central is converted, or
left untouched with a clear message when a row would not convert."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.ids import new_id
from sync.central.schema import REPLICAS, offices
from sync.central.server import CentralServer
from sync.outbox import pending_entries
from tests.conftest import RunningHub
from tests.sync.conftest import central_at, connect_sync
from tests.sync.test_central_event_archive import _recovered
from tests.sync.test_push_json import _push
from tests.sync.test_push_pull import _serve_some

TICKET_IDS = (("tickets", "id"), ("ratings", "ticket_id"), ("expediente_tickets", "ticket_id"))


def _column_types(central: CentralServer) -> dict[tuple[str, str], str]:
    with central.engine.connect() as connection:
        return {(table, column): connection.scalar(text(
            "SELECT data_type FROM information_schema.columns WHERE table_name = :t "
            "AND column_name = :c"), {"t": table, "c": column})
            for table, column in TICKET_IDS}


def test_ticket_ids_are_stored_as_uuid_and_come_back_as_the_hub_sent_them(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    sent = {e.row_key for e in pending_entries(office.store) if e.table == "tickets"}
    assert connect_sync(office, central_http.url, token).run_round().ok

    expected = "uuid" if central.engine.dialect.name == "postgresql" else "character varying"
    if central.engine.dialect.name == "postgresql":
        assert set(_column_types(central).values()) == {expected}
    with central.engine.connect() as connection:
        stored = set(connection.scalars(select(REPLICAS["tickets"].c.id)))
        office_id = connection.scalar(select(offices.c.id))
    assert stored == sent and all(type(i) is str for i in stored)
    recovered = {r["p"]["id"] for r in _recovered(central, str(office_id), 500)
                 if r["t"] == "tickets"}
    assert recovered == sent


@pytest.mark.parametrize("bad", ["t-1", "{upper}", "{braces}", 7])
def test_a_ticket_whose_id_is_not_a_hub_s_uuid_is_refused_alone(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock, bad: object) -> None:
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    entries = [e.to_wire() for e in pending_entries(office.store) if e.table == "tickets"]
    odd = entries[1]
    made = str(uuid.uuid4())
    odd["p"]["id"] = {"{upper}": made.upper(), "{braces}": f"{{{made}}}"}.get(
        bad, bad) if isinstance(bad, str) else bad
    odd["k"] = str(odd["p"]["id"])  # the entry's key is text: the row's value alone is odd
    body = json.dumps({"office": "CAJ", "hub_office_id": office.office.office_id,
                       "entries": entries}).encode()

    results = _push(office, central_http.url, token, body)

    assert results.pop(odd["m"]) == "rejected"
    assert set(results.values()) == {"applied"} and len(results) == len(entries) - 1
    with central.engine.connect() as connection:
        stored = set(connection.scalars(select(REPLICAS["tickets"].c.id)))
        reason = connection.scalar(text("SELECT reason FROM sync_rejections"))
    assert stored == {e["p"]["id"] for e in entries} - {odd["p"]["id"]}
    assert "identificador" in str(reason)


def _ticket_rows(engine: Engine, ticket_id: str, now: datetime) -> None:
    """A ticket, its rating and an expediente's link to it, written as revision 0017 holds
    them (text, whatever the id)."""
    values = {"t": ticket_id, "o": "A", "d": now.date(), "now": now, "r": new_id(),
              "e": new_id()}
    with engine.begin() as connection:
        for statement in (
                "INSERT INTO offices (id, code, name, created_at) VALUES (:o, 'CAJ', 'CAC', :now)",
                "INSERT INTO tickets (id, office_id, business_date, series, seq, number, status, "
                "issued_at, updated_at, _sync_seq) VALUES (:t, :o, :d, 'P', 1, 'P-001', "
                "'finished', :now, :now, 3)",
                "INSERT INTO ratings (id, office_id, ticket_id, business_date, score, "
                "created_at, _sync_seq) VALUES (:r, :o, :t, :d, 5, :now, 4)",
                "INSERT INTO expediente_tickets (expediente_id, ticket_id, office_id, _sync_seq) "
                "VALUES (:e, :t, :o, 5)"):
            connection.execute(text(statement), values)


def test_an_existing_central_s_ticket_ids_are_converted(
        database_url: str, clock: VirtualClock) -> None:
    ticket_id = new_id()
    engine = central_at(database_url, "0017")
    _ticket_rows(engine, ticket_id, clock.now())
    engine.dispose()

    server = CentralServer(database_url, clock)  # opening it upgrades it
    try:
        if server.engine.dialect.name == "postgresql":
            assert set(_column_types(server).values()) == {"uuid"}
        with server.engine.connect() as connection:
            assert [connection.scalar(select(REPLICAS[t].c[c])) for t, c in TICKET_IDS] == [
                ticket_id] * 3
    finally:
        server.close()


def test_a_central_holding_a_ticket_id_that_is_not_a_uuid_is_left_as_it_was(
        database_url: str, clock: VirtualClock) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite keeps the ids as text")
    engine = central_at(database_url, "0017")
    _ticket_rows(engine, "t1", clock.now() - timedelta(days=1))
    engine.dispose()

    with pytest.raises(RuntimeError, match=r"tickets\.id .*'t1'.*no se modificó"):
        CentralServer(database_url, clock)

    engine = central_at(database_url, "0017")  # nothing to upgrade to 0017: as it was
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0017"
            assert connection.scalar(text("SELECT id FROM tickets")) == "t1"
    finally:
        engine.dispose()
