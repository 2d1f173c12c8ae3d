"""The issue path's prepared statements (issue 8) store exactly what the ORM would, in the same
transaction as the event, its link in the chain and the outbox entries."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.rules.queue import MIN_SAMPLES, estimate_wait_minutes
from kiosk.services import audit, queue
from kiosk.storage.tables import Event, Ticket
from tests.conftest import advance


def raw(hub: OfficeHub) -> sqlite3.Connection:
    db = sqlite3.connect(hub.store.path)
    db.row_factory = sqlite3.Row
    return db


def stored(db: sqlite3.Connection, table: str, where: str, *args: object) -> dict[str, object]:
    """Each column's stored value with its SQLite type: what a reader of the file sees."""
    row = db.execute(f"SELECT * FROM {table} WHERE {where}", args).fetchone()
    assert row is not None
    names = row.keys()  # a Row iterates over its values
    kinds = db.execute(
        f"SELECT {', '.join(f'typeof({c})' for c in names)} FROM {table} WHERE {where}",
        args).fetchone()
    return {c: (row[c], kinds[i]) for i, c in enumerate(names)}


def test_an_issued_ticket_is_stored_as_the_orm_stores_it(hub: OfficeHub) -> None:
    issued = hub.issue_ticket(SYSTEM, "partidas", "gestante")
    with hub.store.write_session() as session:
        mine = session.get(Ticket, issued.id)
        assert mine is not None
        # The same values written by the ORM, under another id and number.
        twin = Ticket(**{c.key: getattr(mine, c.key) for c in Ticket.__table__.columns})
        session.expunge(mine)
        twin.id, twin.seq, twin.number = new_id(), 999, "PA-999"
        session.add(twin)
        session.commit()
    with raw(hub) as db:
        fast = stored(db, "tickets", "id = ?", issued.id)
        orm = stored(db, "tickets", "id = ?", twin.id)
    differ = {c for c in fast if fast[c] != orm[c]}
    assert differ == {"id", "seq", "number"}
    assert fast["issued_at"][1] == "text" and fast["business_date"][1] == "text"
    assert fast["preferential"] == ("gestante", "text")


def test_a_prepared_event_is_stored_as_a_recorded_one_and_keeps_the_order(
        hub: OfficeHub) -> None:
    data = {"number": "A-001", "nested": {"ñandú": [1, 2.5, None]}, "flag": True}
    with hub.unit_of_work() as uow:
        recorded = uow.record("test", "x", "probe", data, "dev-1")  # pending in the ORM
        appended = uow.append_event("test", "x", "probe", data, "dev-1")
        uow.commit()
    assert recorded.seq is not None and appended == recorded.seq + 1  # flushed first
    with raw(hub) as db:
        orm = stored(db, "events", "seq = ?", recorded.seq)
        fast = stored(db, "events", "seq = ?", appended)
        outbox = [json.loads(p) for (p,) in db.execute(
            "SELECT payload FROM sync_outbox WHERE tbl = 'events' ORDER BY seq")]
        head = db.execute("SELECT last_seq, last_hash FROM audit_head").fetchone()
    assert {c for c in fast if fast[c] != orm[c]} == {"seq", "id", "hlc", "prev_hash", "hash"}
    assert fast["prev_hash"] == orm["hash"]
    assert outbox[-1]["id"] == fast["id"][0] and outbox[-1]["data"] == data
    assert tuple(head) == (appended, fast["hash"][0])
    with hub.store.read_session() as session:
        assert session.get(Event, appended) is not None
        report = audit.verify_chain(session, hub.office.tz)
    assert report.ok and report.last_seq == appended


def test_issue_commits_ticket_event_and_outbox_together(hub: OfficeHub) -> None:
    issued = hub.issue_ticket(SYSTEM, "caja")
    with hub.store.read_session() as session:
        event = session.scalars(select(Event).where(Event.stream_id == issued.id)).one()
        assert (event.kind, event.data) == ("issued", {
            "number": issued.number, "service": "caja", "preferential": None,
            "business_date": hub.office.business_date(issued.issued_at).isoformat()})
        assert event.occurred_at == issued.issued_at
        event_id = event.id
    with raw(hub) as db:
        entries = {(tbl, key) for tbl, key in db.execute(
            "SELECT tbl, row_key FROM sync_outbox WHERE state = 'pending'")}
    assert {("tickets", issued.id), ("events", event_id)} <= entries


def test_the_day_rollover_and_the_first_ticket_share_one_valid_chain(
        hub: OfficeHub, clock: VirtualClock) -> None:
    left = hub.issue_ticket(SYSTEM, "partidas")
    advance(clock, days=1)
    first = hub.issue_ticket(SYSTEM, "partidas")  # closes yesterday first, in the same unit
    assert first.number == "A-001"
    with hub.store.read_session() as session:
        kinds = [(e.stream_id, e.kind) for e in session.scalars(
            select(Event).where(Event.stream == "ticket").order_by(Event.seq))]
        report = audit.verify_chain(session, hub.office.tz)
    assert kinds[-2:] == [(left.id, "expired"), (first.id, "issued")]
    assert report.ok, report.problems


def test_todays_service_times_are_read_within_the_day_on_the_queue_index(hub: OfficeHub
                                                                         ) -> None:
    """On (status, service_id) alone the query walked every ticket the service ever finished
    (31 ms after a year); by business date, all of today's tickets of every service. Bounded
    by the day's issue times it reads the service's finished tickets of today only."""
    with raw(hub) as db:
        plan = " ".join(row[3] for row in db.execute(
            "EXPLAIN QUERY PLAN " + queue._RECENT_SERVICE_TIMES,
            {"service": "x", "since": "2026-03-02 05:00:00", "until": "2026-03-03 05:00:00"}))
    wanted = "ix_tickets_queue (status=? AND service_id=? AND issued_at>? AND issued_at<?)"
    assert wanted in plan, plan


def test_the_service_times_of_today_are_those_of_the_office_day(hub: OfficeHub,
                                                                 clock: VirtualClock) -> None:
    """The day's bounds are the office's midnights: at 20:30 in Lima it is already tomorrow
    in UTC, and those tickets still count for today (their business date)."""
    today = hub.office.business_date(clock.now())
    clock.set(datetime.combine(today, dtime(20, 30), tzinfo=hub.office.tz))
    hub.open_counter(SYSTEM, 1)
    minutes = (5, 7)
    for spent in minutes:
        ticket = hub.issue_ticket(SYSTEM, "partidas")
        hub.call_next(SYSTEM, 1)
        hub.start(SYSTEM, ticket.id)
        advance(clock, minutes=spent)
        hub.finish(SYSTEM, ticket.id)
    assert clock.now().astimezone(UTC).date() > today
    service = _service_id(hub, "partidas")
    with hub.unit_of_work() as uow:
        db = uow.driver()
        times = queue._recent_service_seconds(db, hub.office, today, service)
        yesterday = queue._recent_service_seconds(db, hub.office, today - timedelta(days=1),
                                                  service)
        tomorrow = queue._recent_service_seconds(db, hub.office, today + timedelta(days=1),
                                                 service)
    assert sorted(times) == [spent * 60.0 for spent in minutes]
    assert yesterday == tomorrow == []


def _service_id(hub: OfficeHub, code: str) -> str:
    with raw(hub) as db:
        return str(db.execute("SELECT id FROM services WHERE code = ?", (code,)).fetchone()[0])


def test_the_estimate_counts_only_todays_service_times(hub: OfficeHub, clock: VirtualClock
                                                       ) -> None:
    hub.open_counter(SYSTEM, 1)
    for _ in range(MIN_SAMPLES):  # enough very slow services yesterday to set a pace
        ticket = hub.issue_ticket(SYSTEM, "partidas")
        hub.call_next(SYSTEM, 1)
        hub.start(SYSTEM, ticket.id)
        advance(clock, minutes=90)
        hub.finish(SYSTEM, ticket.id)
    hub.close_counter(SYSTEM, 1)
    advance(clock, days=1)
    hub.issue_ticket(SYSTEM, "partidas")
    second = hub.issue_ticket(SYSTEM, "partidas")
    serving = sum("partidas" in c.services for c in hub.counters(SYSTEM))
    assert second.ahead == 1
    assert second.estimated_wait_min == estimate_wait_minutes(
        1, serving, [], hub.config.default_service_minutes)
    assert second.estimated_wait_min != estimate_wait_minutes(
        1, serving, [90 * 60.0] * MIN_SAMPLES, hub.config.default_service_minutes)


def _events(hub: OfficeHub) -> int:
    with raw(hub) as db:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def test_prepared_statements_and_a_later_session_share_one_transaction(hub: OfficeHub
                                                                        ) -> None:
    before = _events(hub)
    with hub.unit_of_work() as uow:
        uow.append_event("test", "x", "probe", {"n": 1}, None)  # begins it, no session yet
        uow.record("test", "x", "probe", {"n": 2}, None)  # the session joins it
        uow.append_event("test", "x", "probe", {"n": 3}, None)
        # Not committed: all three go, the prepared ones too.
    assert _events(hub) == before
    with hub.unit_of_work() as uow:
        uow.append_event("test", "x", "probe", {"n": 1}, None)
        uow.record("test", "x", "probe", {"n": 2}, None)
        uow.commit()  # the session's commit is the transaction's
        uow.append_event("test", "x", "probe", {"n": 3}, None)  # a new transaction begins
        uow.commit()
    assert _events(hub) == before + 3
    with hub.store.read_session() as session:
        assert audit.verify_chain(session, hub.office.tz).ok


def test_a_unit_with_only_prepared_statements_commits_and_rolls_back(hub: OfficeHub) -> None:
    before = _events(hub)
    try:
        with hub.unit_of_work() as uow:
            uow.append_event("test", "x", "probe", {"n": 1}, None)
            raise RuntimeError("falla a mitad")
    except RuntimeError:
        pass
    assert _events(hub) == before
    with hub.unit_of_work() as uow:
        uow.append_event("test", "x", "probe", {"n": 1}, None)
        uow.commit()
    assert _events(hub) == before + 1


def test_the_writer_keeps_one_connection_and_leaves_nothing_uncommitted(hub: OfficeHub
                                                                       ) -> None:
    def driver() -> object:
        with hub.store.write_connection() as connection:
            # Begins a transaction and never commits it (capture off: it must not stick).
            connection.exec_driver_sql("UPDATE sync_control SET applying = 1")
            return connection

    first, second = driver(), driver()
    assert first is second  # held between writes, not taken from the pool each time
    with raw(hub) as db:
        assert db.execute("SELECT applying FROM sync_control").fetchone()[0] == 0  # rolled back
    hub.store.checkpoint_with(None)  # a new setting: the next write connects afresh
    assert driver() is not first
    issued = hub.issue_ticket(SYSTEM, "partidas")
    with raw(hub) as db:
        assert db.execute("SELECT number FROM tickets WHERE id = ?", (issued.id,)
                          ).fetchone()[0] == issued.number
