"""Statistics against values computed by hand on a small fixed day."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from tests.conftest import START, advance

DAY = date(2026, 11, 20)


@pytest.fixture
def small_day(hub: OfficeHub, clock: VirtualClock) -> OfficeHub:
    """08:00 A-001, PA-001, C-001 arrive; later C-002, who is never called."""
    regular = hub.issue_ticket(SYSTEM, "partidas")
    pregnant = hub.issue_ticket(SYSTEM, "partidas", "gestante")
    cashier = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 1)
    hub.open_counter(SYSTEM, 4)
    advance(clock, minutes=2)                      # 08:02 PA-001 called: waited 120 s
    hub.call_next(SYSTEM, 1)
    hub.start(SYSTEM, pregnant.id)
    advance(clock, minutes=4)                      # 08:06 finished: 240 s of service
    hub.finish(SYSTEM, pregnant.id)
    hub.call_next(SYSTEM, 1)                       # 08:06 A-001 called: waited 360 s
    advance(clock, minutes=1)
    hub.start(SYSTEM, regular.id)                  # 08:07
    advance(clock, minutes=10)
    hub.finish(SYSTEM, regular.id)                 # 08:17: 600 s of service
    advance(clock, minutes=3)
    hub.call_next(SYSTEM, 4)                       # 08:20 C-001 called: waited 1200 s
    advance(clock, minutes=2)
    hub.no_show(SYSTEM, cashier.id)
    advance(clock, minutes=8)
    hub.issue_ticket(SYSTEM, "caja")               # 08:30 C-002, expires at closing
    hub.close_day(SYSTEM)
    return hub


def test_overall_figures(small_day: OfficeHub) -> None:
    report = small_day.stats(SYSTEM, DAY, DAY)
    assert (report.issued, report.served, report.no_show, report.expired) == (4, 2, 1, 1)
    # waits 120, 360, 1200: median 360; p90 = 360 + 0.8 x (1200 - 360); mean 560
    assert report.wait_p50_s == 360
    assert report.wait_p90_s == 1032
    assert report.wait_mean_s == 560
    # service 240 and 600
    assert (report.service_p50_s, report.service_mean_s) == (420, 420)
    # within target: 120 <= 900, 360 <= 900; 1200 > 600 (Caja); C-002 expired uncalled
    assert report.sla_pct == 50.0
    assert report.pref_wait_p50_s == 120


def test_grouped_figures(small_day: OfficeHub) -> None:
    report = small_day.stats(SYSTEM, DAY, DAY)
    partidas, caja = report.by_service["partidas"], report.by_service["caja"]
    assert (partidas.issued, partidas.served, partidas.wait_p50_s, partidas.sla_pct) == (
        2, 2, 240, 100.0)
    assert (caja.issued, caja.no_show, caja.expired, caja.wait_p50_s, caja.sla_pct) == (
        2, 1, 1, 1200, 0.0)
    assert set(report.by_service) == {"partidas", "caja"}
    assert list(report.by_counter) == ["1", "4"]
    assert report.by_counter["1"].served == 2
    assert list(report.by_hour) == ["08"]
    assert report.by_hour["08"].issued == 4


def test_an_empty_period_has_no_figures_rather_than_zeros(hub: OfficeHub) -> None:
    report = hub.stats(SYSTEM, DAY, DAY)
    assert report.issued == 0
    assert report.wait_p50_s is None and report.sla_pct is None
    assert report.by_service == {} and report.by_hour == {}


def test_a_single_ticket(hub: OfficeHub, clock: VirtualClock) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    advance(clock, seconds=90)
    hub.call_next(SYSTEM, 4)
    hub.start(SYSTEM, ticket.id)
    advance(clock, seconds=30)
    hub.finish(SYSTEM, ticket.id)
    report = hub.stats(SYSTEM, DAY, DAY)
    assert (report.wait_p50_s, report.wait_p90_s, report.service_p50_s) == (90, 90, 30)


def test_days_are_cut_at_local_midnight(hub: OfficeHub, clock: VirtualClock) -> None:
    clock.set(START.replace(hour=23, minute=45))  # 04:45 UTC on the 21st
    hub.issue_ticket(SYSTEM, "caja")
    clock.advance(timedelta(minutes=30))                # 00:15 local on the 21st
    hub.issue_ticket(SYSTEM, "caja")
    first = hub.stats(SYSTEM, DAY, DAY)
    second = hub.stats(SYSTEM, DAY + timedelta(days=1), DAY + timedelta(days=1))
    assert (first.issued, list(first.by_hour)) == (1, ["23"])
    assert (second.issued, list(second.by_hour)) == (1, ["00"])


def test_a_reversed_period_is_refused(hub: OfficeHub) -> None:
    with pytest.raises(InvalidInput) as caught:
        hub.stats(SYSTEM, DAY, DAY - timedelta(days=1))
    assert "anterior" in caught.value.message


def test_export_has_one_row_per_ticket_with_local_offsets(small_day: OfficeHub) -> None:
    rows = list(csv.DictReader(io.StringIO(small_day.export_tickets(SYSTEM, DAY, DAY))))
    assert [r["number"] for r in rows] == ["A-001", "PA-001", "C-001", "C-002"]
    assert [r["status"] for r in rows] == ["finished", "finished", "no_show", "expired"]
    pregnant = rows[1]
    assert pregnant["issued_at"] == "2026-11-20T08:00:00-05:00"
    assert pregnant["called_at"] == "2026-11-20T08:02:00-05:00"
    assert pregnant["counter"] == "1" and pregnant["outcome"] == "atendido"
    assert pregnant["preferential"] == "gestante"
