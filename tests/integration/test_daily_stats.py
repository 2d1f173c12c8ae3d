"""The hub's statistics from its daily and monthly rows (kiosk/services/daily_stats.py) are
the very figures computed from every ticket (central's way), whatever the period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text, update

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.supervisor_views import TicketHistory
from kiosk.storage.replication import BY_TABLE
from kiosk.storage.tables import DailyTicketStats, Service, SyncOutbox
from tests.conftest import LIMA
from tests.integration.ticket_days import (  # noqa: F401
    CLOSED_DAYS,
    NOW,
    PERIODS,
    TODAY,
    hub_figures,
    office_fixture,
    raw_figures,
    template_fixture,
)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(NOW)


def rows(hub: OfficeHub) -> set[tuple[str, date]]:
    with hub.store.read_session() as session:
        return {(period, start) for period, start in session.execute(
            select(DailyTicketStats.period, DailyTicketStats.start))}


@pytest.mark.parametrize(("date_from", "date_to"), PERIODS)
def test_the_figures_from_daily_rows_equal_those_from_every_ticket(
        office: OfficeHub, date_from: date, date_to: date) -> None:
    assert rows(office) == set()  # nothing aggregated until someone asks
    found = hub_figures(office, date_from, date_to)
    assert rows(office) == {("day", d) for d in CLOSED_DAYS} | {("month", date(2026, 10, 1))}
    assert found == raw_figures(office, date_from, date_to)
    assert hub_figures(office, date_from, date_to) == found  # now read from the rows


def test_the_rows_hold_the_history_a_month_holds(office: OfficeHub) -> None:
    """Not an empty answer compared with an empty answer: the closed days are in there."""
    october = office.ticket_history(SYSTEM, date(2026, 10, 1), date(2026, 10, 31))
    assert [d.key for d in october.by_day] == ["2026-10-29", "2026-10-30"]
    assert october.overall.issued == sum(d.issued for d in october.by_day) > 90
    assert october.by_month[0].key == "2026-10" and october.by_clerk
    satisfaction = office.satisfaction_stats(SYSTEM, date(2026, 10, 1), TODAY)
    assert satisfaction.overall.ratings >= 8


def test_a_changed_target_is_recomputed_from_the_tickets(office: OfficeHub) -> None:
    period = (date(2026, 10, 1), TODAY)
    before = office.ticket_history(SYSTEM, *period)
    with office.store.write_session() as session:
        session.execute(update(Service).where(Service.code == "partidas")
                        .values(sla_minutes=1))
        session.commit()
    assert hub_figures(office, *period) == raw_figures(office, *period)
    after = office.ticket_history(SYSTEM, *period)

    def partidas_sla(found: TicketHistory) -> float | None:
        return next(g.sla_pct for g in found.by_service if g.key == "partidas")

    assert partidas_sla(after) is not None and partidas_sla(after) != partidas_sla(before)


def test_a_late_rating_of_a_closed_day_rebuilds_it(office: OfficeHub, clock: VirtualClock
                                                   ) -> None:
    """A ticket finished at 23:50 is rated at 00:10 the next day: that day was aggregated in
    between, and its satisfaction figures must count the new rating."""
    clock.set(datetime.combine(TODAY, time(23, 40), tzinfo=LIMA))
    office.open_counter(SYSTEM, 2)
    late = office.issue_ticket(SYSTEM, "mesa")
    called = office.call_next(SYSTEM, 2)
    while called is not None and called.id != late.id:  # the morning's queue first
        office.finish(SYSTEM, office.start(SYSTEM, called.id).id)
        called = office.call_next(SYSTEM, 2)
    assert called is not None
    office.start(SYSTEM, late.id)
    clock.set(datetime.combine(TODAY, time(23, 50), tzinfo=LIMA))
    office.finish(SYSTEM, late.id)
    clock.set(datetime.combine(TODAY + timedelta(days=1), time(0, 5), tzinfo=LIMA))
    office.issue_ticket(SYSTEM, "partidas")  # the first write of the day closes the last one
    before = office.satisfaction_stats(SYSTEM, TODAY, TODAY)
    assert ("day", TODAY) in rows(office)
    clock.set(datetime.combine(TODAY + timedelta(days=1), time(0, 10), tzinfo=LIMA))
    office.rate_ticket(SYSTEM, late.id, 5)
    assert hub_figures(office, TODAY, TODAY) == raw_figures(office, TODAY, TODAY)
    after = office.satisfaction_stats(SYSTEM, TODAY, TODAY)
    assert after.overall.ratings == before.overall.ratings + 1


def test_the_rows_are_derived_data_and_never_replicated(office: OfficeHub) -> None:
    office.ticket_history(SYSTEM, date(2026, 10, 1), TODAY)
    assert "daily_ticket_stats" not in BY_TABLE
    with office.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(DailyTicketStats)) == 5
        assert session.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.tbl == "daily_ticket_stats")) == 0


def test_a_disk_that_refuses_writes_still_gets_the_figures(office: OfficeHub) -> None:
    """Aggregating is a write: on a read-only store the figures come from the tickets."""
    with office.store.write_session() as session:  # the hub's one pooled write connection
        session.execute(text("PRAGMA query_only = ON"))
        session.commit()
    period = (date(2026, 10, 1), TODAY)
    expected = raw_figures(office, *period)
    assert office.ticket_history(SYSTEM, *period) == expected["history"]
    assert rows(office) == set()  # nothing could be stored
    # The disk is back (the hub reopens its write connection after a refusal): stored now.
    assert hub_figures(office, *period) == expected
    assert ("month", date(2026, 10, 1)) in rows(office)
