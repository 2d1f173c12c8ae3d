"""A small office with a few closed days and a morning under way: the history the daily
statistics and the retention purge are checked against (tests/integration/test_daily_stats.py,
test_retention.py). Built once per module, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import calendar_days, history, ratings, report, stats
from kiosk.simulate import simulate_day
from kiosk.storage.tables import Ticket
from tests.conftest import LIMA, clerk_at, copy_office
from tests.integration.test_expedientes import add_acta, partida

# Thu 29 and Fri 30 Oct, Mon 2 and Tue 3 Nov 2026 closed; Wed 4 Nov until 10:00.
CLOSED_DAYS = (date(2026, 10, 29), date(2026, 10, 30), date(2026, 11, 2), date(2026, 11, 3))
TODAY = date(2026, 11, 4)
NOW = datetime.combine(TODAY, time(10, 0), tzinfo=LIMA)
LINKED_DAY = date(2026, 10, 30)  # a ticket of this day is linked to an expediente
PERIODS = ((date(2026, 10, 1), TODAY), (date(2026, 10, 1), date(2026, 10, 31)),
           (date(2026, 10, 30), date(2026, 11, 3)), (TODAY, TODAY), (date(2026, 11, 2),
                                                                     date(2026, 11, 2)))


def build(root: Path) -> Path:
    clock = VirtualClock(datetime.combine(CLOSED_DAYS[0], time(7, 30), tzinfo=LIMA))
    hub = OfficeHub.initialise(DataDir(root), "CAJ", "CAC Cajamarca", demo=True, clock=clock)
    try:
        for n, day in enumerate(CLOSED_DAYS):
            clock.set(datetime.combine(day, time(7, 30), tzinfo=LIMA))
            simulate_day(hub, clock, day, tickets=70, counters=1, seed=n + 1)
            with hub.store.read_session() as session:  # the last six served are rated
                recent = session.execute(select(Ticket.id, Ticket.finished_at).where(
                    Ticket.business_date == day, Ticket.status == "finished")
                    .order_by(Ticket.finished_at.desc()).limit(6)).all()
            end = clock.now()
            for k, (ticket_id, finished_at) in enumerate(reversed(recent)):
                clock.set(finished_at.replace(tzinfo=UTC) + timedelta(minutes=1))
                hub.rate_ticket(SYSTEM, ticket_id, 1 + (k * 3 + n) % 5)
            clock.set(max(end, clock.now()))
            if day == LINKED_DAY:
                ana = clerk_at(hub, "ana", "2468", 1)
                issued = hub.issue_ticket(SYSTEM, "partidas")
                hub.open_counter(ana, 1)
                called = hub.call_next(ana, 1)
                assert called is not None and called.id == issued.id
                hub.start(ana, issued.id)
                hub.file_expediente(ana, partida(add_acta(hub), ticket_id=issued.id))
                hub.finish(ana, issued.id)
        clock.set(datetime.combine(TODAY, time(7, 30), tzinfo=LIMA))
        simulate_day(hub, clock, TODAY, tickets=60, counters=1, seed=9, until=NOW.time())
    finally:
        hub.close()
    return root


def raw_figures(hub: OfficeHub, date_from: date, date_to: date) -> dict[str, object]:
    """What the code that reads every ticket (central's) gives for the period."""
    with hub.store.read_session() as session:
        tz, code = hub.office.tz, hub.office.office_code
        return {
            "history": history.ticket_history(session, code, tz, date_from, date_to),
            "stats": stats.stats_report(session, code, tz, date_from, date_to),
            "satisfaction": ratings.satisfaction_stats(session, code, date_from, date_to),
            "report": report.period_report(
                session, office=code, office_name=hub.config.office_name,
                municipality=hub.config.municipality, tz=tz, date_from=date_from,
                date_to=date_to, now=hub.clock.now(),
                calendar=calendar_days.office_calendar(session, hub.office)),
        }


def hub_figures(hub: OfficeHub, date_from: date, date_to: date) -> dict[str, object]:
    """What the hub answers (from its daily statistics where it has them)."""
    return {
        "history": hub.ticket_history(SYSTEM, date_from, date_to),
        "stats": hub.stats(SYSTEM, date_from, date_to),
        "satisfaction": hub.satisfaction_stats(SYSTEM, date_from, date_to),
        "report": hub.period_report(SYSTEM, date_from, date_to),
    }


# Fixtures «template» and «office»: test modules import them (by these function names).
@pytest.fixture(scope="module", name="template")
def template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multi-day office, built once per module and copied for each test."""
    return build(tmp_path_factory.mktemp("ticket-days") / "office")


@pytest.fixture(name="office")
def office_fixture(template: Path, clock: VirtualClock) -> Iterator[OfficeHub]:
    root, hub = copy_office(template, "ticket-days-", clock)
    try:
        yield hub
    finally:
        hub.close()
        shutil.rmtree(root, ignore_errors=True)
