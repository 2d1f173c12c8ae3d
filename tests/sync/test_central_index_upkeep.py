"""The recovery indexes: keyed by the office's hash, offices pushing in turn leave them packed;
rebuilt by central's maintenance job once changed rows have left them mostly empty pages
(sync/central/index_upkeep.py): smaller, and recovery reads the same."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from sync.central import index_upkeep
from sync.central.feed import recovery_page
from sync.central.maintenance import CentralMaintenance
from sync.central.server import CentralServer
from tests.conftest import RunningHub
from tests.sync.conftest import connect_sync
from tests.sync.test_central_event_archive import _office_id, _recovered
from tests.sync.test_push_pull import _serve_some

OFFICES, ROUNDS, BATCH = 12, 40, 60


def _size(central: CentralServer, index: str) -> int:
    with central.engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_relation_size(to_regclass(:i))"),
                                     {"i": index}) or 0)


def _sparse(central: CentralServer) -> list[str]:
    with central.engine.connect() as connection:
        return [name for name, _, _ in index_upkeep.sparse_indexes(connection, minimum=0)]


def _offices_push_in_turn(central: CentralServer) -> None:
    """Copies of the pushed tickets for more offices, a batch of each office after another, as
    central's pushes write them (each office's outbox seqs ascending); their office ids are
    UUIDs, as central makes them."""
    with central.engine.begin() as connection:
        columns = [r[0] for r in connection.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets' "
            "ORDER BY ordinal_position"))]
        made = {"id": "md5(t.id::text || '/' || :o || '/' || (:s + g))::uuid",
                "office_id": "md5('office-' || :o)::uuid::text", "_sync_seq": ":s + g"}
        listed = ", ".join(f'"{c}"' for c in columns)
        values = ", ".join(made.get(c, f't."{c}"') for c in columns)
        insert = text(f"INSERT INTO tickets ({listed}) SELECT {values} FROM "
                      f"(SELECT * FROM tickets ORDER BY _sync_seq LIMIT 1) t "
                      f"CROSS JOIN generate_series(1, {BATCH}) g")
        for round_ in range(ROUNDS):
            for office in range(OFFICES):
                connection.execute(insert, {"o": str(office), "s": round_ * BATCH})
        connection.exec_driver_sql("ANALYZE tickets")


def _entries_move(central: CentralServer, office_id: str) -> None:
    """Two thirds of the copied tickets changed again (a later push of each): their entries
    move to the end of their office's range and VACUUM leaves their old pages mostly empty."""
    with central.engine.begin() as connection:
        connection.execute(text(
            "UPDATE tickets SET _sync_seq = _sync_seq + 1000000 "
            "WHERE office_id <> :o AND _sync_seq % 3 <> 0"), {"o": office_id})
    with central.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.exec_driver_sql("VACUUM ANALYZE tickets")


def _postgresql_office(central: CentralServer, central_http: RunningHub, make_office: Any,
                       clock: VirtualClock) -> str:
    if central.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    office: OfficeHub = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    assert connect_sync(office, central_http.url, token).run_round().ok
    return _office_id(central)


def test_offices_pushing_in_turn_leave_the_recovery_index_packed(
        central: CentralServer, central_http: RunningHub, make_office: Any,
        clock: VirtualClock) -> None:
    """Keyed by the office's hash, every entry is the same two integers: PostgreSQL splits a
    page where an office's entries keep arriving after its last one, not in halves."""
    _postgresql_office(central, central_http, make_office, clock)
    _offices_push_in_turn(central)
    with central.engine.begin() as connection:  # the same entries keyed by the id's text
        connection.exec_driver_sql(
            "CREATE INDEX ix_by_text ON tickets (office_id, _sync_seq)")
    assert not _sparse(central)
    assert _size(central, "ix_tickets_recovery") < 0.6 * _size(central, "ix_by_text")


def test_a_sparse_recovery_index_is_rebuilt_and_recovery_reads_the_same(
        central: CentralServer, central_http: RunningHub, make_office: Any,
        clock: VirtualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    office_id = _postgresql_office(central, central_http, make_office, clock)
    _offices_push_in_turn(central)
    _entries_move(central, office_id)
    before = {limit: _recovered(central, office_id, limit) for limit in (2, 500)}
    size = _size(central, "ix_tickets_recovery")
    assert _sparse(central) == ["ix_tickets_recovery"]

    monkeypatch.setattr(index_upkeep, "MIN_BYTES", 0)  # a test's index is small

    CentralMaintenance(central, every_s=3600).run_once()

    rebuilt = _size(central, "ix_tickets_recovery")
    assert rebuilt < 0.7 * size
    assert not _sparse(central)  # packed: left alone
    assert {limit: _recovered(central, office_id, limit) for limit in (2, 500)} == before
    assert before[500] and len(before[500]) == len(before[2])


def test_a_small_index_is_left_alone(central: CentralServer) -> None:
    assert index_upkeep.rebuild_sparse(central.engine) == []


def test_recovery_reads_along_the_recovery_indexes(
        central: CentralServer, central_http: RunningHub, make_office: Any,
        clock: VirtualClock) -> None:
    """The statements a restored hub's recovery runs read the office's rows in order along
    the recovery indexes: among many offices' tickets, from the start and from the middle,
    with no sort of the office's rows (PostgreSQL's own choice, statistics up to date)."""
    office_id = _postgresql_office(central, central_http, make_office, clock)
    _offices_push_in_turn(central)
    with central.engine.connect() as connection:
        other = str(connection.scalar(text(  # an office with thousands of rows
            "SELECT office_id FROM tickets WHERE office_id <> :o LIMIT 1"), {"o": office_id}))
    statements: list[tuple[str, str, Any]] = []
    whose = ["small"]

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if "_sync_seq >" in statement and ("FROM tickets" in statement
                                           or "FROM events" in statement):
            statements.append((whose[0], statement, parameters))

    event.listen(central.engine, "before_cursor_execute", seen)
    try:
        assert _recovered(central, office_id, 500)
        whose[0] = "large"
        with central.engine.connect() as connection:
            for after in (0, ROUNDS * BATCH // 2):
                assert recovery_page(connection, other, after, 100)[0]
    finally:
        event.remove(central.engine, "before_cursor_execute", seen)
    plans: dict[tuple[str, str], list[str]] = {}
    with central.engine.connect() as connection:
        for size, statement, parameters in statements:
            table = "tickets" if "FROM tickets" in statement else "events"
            if table == "events":  # a handful of rows: a sequential scan is cheaper there
                connection.exec_driver_sql("SET enable_seqscan = off")
            plans.setdefault((size, table), []).append("\n".join(
                r[0] for r in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)))
            connection.exec_driver_sql("RESET enable_seqscan")
    assert {("small", "tickets"), ("small", "events"), ("large", "tickets")} <= set(plans)
    for (size, table), found in plans.items():
        for plan in found:
            assert f"ix_{table}_recovery" in plan, plan
            # The large office's thousands of rows are read in order, never sorted whole.
            assert size == "small" or table == "events" or "Sort" not in plan, plan


def test_no_two_offices_share_a_recovery_key(central: CentralServer) -> None:
    """The recovery reads an office's rows by its key alone: a unique index keeps it one
    office's (on PostgreSQL a 64-bit hash of the id; on SQLite the id)."""
    central.add_office("CAJ", "CAC Cajamarca")
    with central.engine.connect() as connection:
        definition = connection.scalar(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ux_offices_key'"
            if central.engine.dialect.name == "postgresql" else
            "SELECT sql FROM sqlite_master WHERE name = 'ux_offices_key'"))
    assert definition is not None and "UNIQUE" in definition.upper()
    if central.engine.dialect.name == "postgresql":
        assert "hashtextextended" in definition
