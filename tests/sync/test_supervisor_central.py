"""Central's side of the supervisor's statistics: its schema (migration 0002: ratings and the
ticket's clerk) matches its tables, ratings travel like the other office facts, and central's
period report over the replicas equals each hub's own, office by office and in total."""

from __future__ import annotations

from datetime import date, timedelta

import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from sync.central.schema import REPLICAS, metadata
from sync.central.server import CentralServer
from tests.conftest import START, RunningHub, advance
from tests.sync.conftest import clerk_of, connect_sync

DAY = date(2026, 11, 20)


def test_central_tables_are_what_its_migrations_make(central: CentralServer) -> None:
    with central.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    assert {"user_id"} <= set(REPLICAS["tickets"].c.keys())
    assert {"ticket_id", "score", "business_date"} <= set(REPLICAS["ratings"].c.keys())


def _rated_day(office: OfficeHub, clock: VirtualClock, clerk_counter: int, served: int,
               scores: list[int]) -> None:
    """`served` partidas tickets served by the demo clerk Ana at `clerk_counter`, 2 minutes
    each; the first ones rated with `scores`."""
    clock.set(START)
    clerk = clerk_of(office, counter=clerk_counter)
    kiosk = office.authenticate(office.add_device(SYSTEM, "Quiosco", "kiosk")[1])
    tickets = [office.issue_ticket(kiosk, "partidas") for _ in range(served)]
    office.open_counter(clerk, clerk_counter)
    for ticket in tickets:
        advance(clock, minutes=1)
        office.call_next(clerk, clerk_counter)
        office.start(clerk, ticket.id)
        advance(clock, minutes=2)
        office.finish(clerk, ticket.id)
    for ticket, score in zip(tickets, scores, strict=False):
        office.rate_ticket(SYSTEM, ticket.id, score)


def test_central_reports_what_each_office_reports(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    offices: dict[str, OfficeHub] = {"CAJ": make_office("CAJ", "CAC Cajamarca"),
                                     "CEL": make_office("CEL", "CAC Celendín")}
    _rated_day(offices["CAJ"], clock, 1, 3, [5, 4])
    _rated_day(offices["CEL"], clock, 2, 2, [2])
    for code, office in offices.items():
        _, token = central.add_office(code, office.config.office_name)
        result = connect_sync(office, central_http.url, token).run_round()
        assert result.ok and result.rejected == 0, result.error
    ratings = REPLICAS["ratings"]
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ratings)) == 3
    staff = central.authenticate(central.add_staff("Gerencia de Atención al Ciudadano"))
    figures = central.period_report(staff, None, DAY, DAY)
    for code, office in offices.items():
        own = office.period_report(SYSTEM, DAY, DAY).model_dump(mode="json")
        theirs = figures["offices"][code]
        for part in ("tickets", "expedientes", "satisfaction"):
            assert theirs[part] == own[part], (code, part)
        assert [g["label"] for g in theirs["tickets"]["by_clerk"]] == ["Ana Torres Chávez"]
    total = figures["total"]
    assert total["tickets"]["overall"]["issued"] == 5
    # Scores 5, 4 (CAJ) and 2 (CEL): mean 11 / 3; 5 served, 3 rated.
    overall = total["satisfaction"]["overall"]
    assert (overall["ratings"], overall["mean"], overall["served"], overall["response_pct"]) \
        == (3, 3.67, 5, 60.0)
    assert [(g["key"], g["ratings"]) for g in total["satisfaction"]["by_counter"]] == [
        ("1", 2), ("2", 1)]
    # Over HTTP, for back-office staff; a hub sees only its own office.
    staff_token = central.add_staff("Analista")
    answer = requests.get(f"{central_http.url}/api/v1/stats/report", timeout=30,
                          params={"from": DAY.isoformat(), "to": DAY.isoformat(),
                                  "office": "CEL"},
                          headers={"Authorization": f"Bearer {staff_token}"})
    assert answer.status_code == 200, answer.text
    assert list(answer.json()["offices"]) == ["CEL"]
    assert answer.json()["offices"]["CEL"]["satisfaction"]["overall"]["ratings"] == 1
    empty = central.period_report(staff, "CAJ", DAY + timedelta(days=1), DAY + timedelta(days=1))
    assert empty["offices"]["CAJ"]["tickets"]["overall"]["issued"] == 0
