"""The recovery indexes rebuilt by central's maintenance job once offices pushing in turn have left
them mostly empty pages (sync/central/index_upkeep.py): smaller, and recovery reads the same."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from sync.central import index_upkeep
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
    central's pushes write them (each office's outbox seqs ascending)."""
    with central.engine.begin() as connection:
        columns = [r[0] for r in connection.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets' "
            "ORDER BY ordinal_position"))]
        made = {"id": "md5(t.id || '/' || :o || '/' || (:s + g))::uuid::text",
                "office_id": "'office-' || :o", "_sync_seq": ":s + g"}
        listed = ", ".join(f'"{c}"' for c in columns)
        values = ", ".join(made.get(c, f't."{c}"') for c in columns)
        insert = text(f"INSERT INTO tickets ({listed}) SELECT {values} FROM "
                      f"(SELECT * FROM tickets ORDER BY _sync_seq LIMIT 1) t "
                      f"CROSS JOIN generate_series(1, {BATCH}) g")
        for round_ in range(ROUNDS):
            for office in range(OFFICES):
                connection.execute(insert, {"o": str(office), "s": round_ * BATCH})
        connection.exec_driver_sql("ANALYZE tickets")


def test_a_sparse_recovery_index_is_rebuilt_and_recovery_reads_the_same(
        central: CentralServer, central_http: RunningHub, make_office: Any,
        clock: VirtualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    if central.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    office: OfficeHub = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    assert connect_sync(office, central_http.url, token).run_round().ok
    _offices_push_in_turn(central)
    office_id = _office_id(central)
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
