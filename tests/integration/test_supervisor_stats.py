"""The supervisor's figures against values worked out by hand on small fixed days.

Every dataset is written out in the fixture's comments with the ticket times; the expected
numbers are computed from those times in the assertions' comments. The office is in
America/Lima (UTC-5, no daylight saving): 23:30 there is 04:30 UTC of the next day.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.report import TABLE_NAMES, report_tables
from kiosk.services.views import Metrics
from kiosk.storage.tables import Event, Ticket
from tests.conftest import LIMA, START, advance, clerk_at

DAY = date(2026, 11, 20)  # a Friday


@pytest.fixture
def clerk_day(hub: OfficeHub, clock: VirtualClock) -> OfficeHub:
    """Ana (ventanilla 1) and Luis (ventanilla 4) on Friday 20 Nov 2026:

    08:00 A-001 (partidas), PA-001 (partidas, gestante) and C-001 (caja) are issued.
    08:02 Ana calls PA-001 (waited 120 s), starts; 08:06 finishes (240 s of service).
    08:06 Ana calls A-001 (waited 360 s); 08:07 starts; 08:17 finishes (600 s).
    08:20 Luis calls C-001 (waited 1200 s); 08:22 no-show.
    08:30 C-002 is issued and never called: it expires when the day is closed.
    """
    ana = clerk_at(hub, "ana", "2468", 1)
    luis = clerk_at(hub, "luis", "1357", 4)
    regular = hub.issue_ticket(SYSTEM, "partidas")
    pregnant = hub.issue_ticket(SYSTEM, "partidas", "gestante")
    cashier = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(ana, 1)
    hub.open_counter(luis, 4)
    advance(clock, minutes=2)
    assert (hub.call_next(ana, 1) or pytest.fail()).id == pregnant.id
    hub.start(ana, pregnant.id)
    advance(clock, minutes=4)
    hub.finish(ana, pregnant.id)
    assert (hub.call_next(ana, 1) or pytest.fail()).id == regular.id
    advance(clock, minutes=1)
    hub.start(ana, regular.id)
    advance(clock, minutes=10)
    hub.finish(ana, regular.id)
    advance(clock, minutes=3)
    assert (hub.call_next(luis, 4) or pytest.fail()).id == cashier.id
    advance(clock, minutes=2)
    hub.no_show(luis, cashier.id)
    advance(clock, minutes=8)
    hub.issue_ticket(SYSTEM, "caja")
    hub.close_day(SYSTEM)
    return hub


# --- history of tickets ------------------------------------------------------------------


def test_the_overall_figures_of_a_small_day(clerk_day: OfficeHub) -> None:
    overall = clerk_day.ticket_history(SYSTEM, DAY, DAY).overall
    assert (overall.issued, overall.served, overall.no_show, overall.expired) == (4, 2, 1, 1)
    # Waits 120, 360, 1200: median 360; p90 = 360 + 0.8 × (1200 − 360) = 1032; mean 560.
    assert (overall.wait_p50_s, overall.wait_p90_s, overall.wait_mean_s) == (360, 1032, 560)
    # Service 240 and 600: median and mean 420; p90 = 240 + 0.9 × 360 = 564.
    assert (overall.service_p50_s, overall.service_mean_s, overall.service_p90_s) == (
        420, 420, 564)
    # Within target: 120 and 360 (partidas, 15 min); not 1200 (caja, 10 min); C-002 expired
    # uncalled counts as missed: 2 of 4.
    assert (overall.within_sla, overall.judged, overall.sla_pct) == (2, 4, 50.0)
    assert (overall.preferential, overall.pref_wait_p50_s, overall.pref_wait_p90_s,
            overall.pref_wait_mean_s) == (1, 120, 120, 120)


def test_history_agrees_with_the_stats_endpoint(clerk_day: OfficeHub) -> None:
    history = clerk_day.ticket_history(SYSTEM, DAY, DAY)
    stats = clerk_day.stats(SYSTEM, DAY, DAY)
    fields = set(Metrics.model_fields)
    assert history.overall.model_dump(include=fields) == Metrics.model_validate(
        stats.model_dump()).model_dump()
    for group in history.by_service:
        assert group.model_dump(include=fields) == stats.by_service[group.key].model_dump()
    for group in history.by_counter:
        assert group.model_dump(include=fields) == stats.by_counter[group.key].model_dump()
    for group in history.by_hour:
        assert group.model_dump(include=fields) == stats.by_hour[group.key].model_dump()


def test_figures_by_clerk_come_from_who_called_and_served(clerk_day: OfficeHub) -> None:
    history = clerk_day.ticket_history(SYSTEM, DAY, DAY)
    assert [(g.key, g.label) for g in history.by_clerk] == [
        ("ana", "Ana Torres Chávez"), ("luis", "Luis Quispe Mamani")]
    ana, luis = history.by_clerk
    # Ana: PA-001 (120 s) and A-001 (360 s), both served within 15 min.
    assert (ana.issued, ana.served, ana.wait_p50_s, ana.sla_pct, ana.service_mean_s) == (
        2, 2, 240, 100.0, 420)
    # Luis: C-001 called after 1200 s (caja's target is 600 s), then a no-show.
    assert (luis.issued, luis.no_show, luis.wait_p50_s, luis.sla_pct) == (1, 1, 1200, 0.0)
    with clerk_day.store.read_session() as session:
        called = session.scalars(select(Event).where(Event.kind == "called")).all()
        assert all(event.data["who_id"] for event in called)
        never_called = session.scalars(select(Ticket).where(Ticket.number == "C-002")).one()
        assert never_called.user_id is None


def test_groups_have_keys_labels_and_a_stable_order(clerk_day: OfficeHub) -> None:
    history = clerk_day.ticket_history(SYSTEM, DAY, DAY)
    assert [(g.key, g.label, g.issued) for g in history.by_service] == [
        ("partidas", "Registro Civil (partidas)", 2), ("caja", "Caja", 2)]
    assert [(g.key, g.label) for g in history.by_counter] == [
        ("1", "Ventanilla 1"), ("4", "Ventanilla 4")]
    assert [(g.key, g.label, g.issued) for g in history.by_hour] == [("08", "08:00–08:59", 4)]
    assert [(g.key, g.label, g.issued) for g in history.by_weekday] == [("5", "Viernes", 4)]
    assert [(g.key, g.label) for g in history.by_day] == [("2026-11-20", "vie 20/11/2026")]
    assert [(g.key, g.label) for g in history.by_month] == [("2026-11", "noviembre de 2026")]
    # Preferential: PA-001 waited 120 s; regular tickets A-001 (360) and C-001 (1200): the
    # median of two is their mean, 780 (C-002 was never called).
    assert [(g.key, g.issued, g.wait_p50_s) for g in history.by_preference] == [
        ("gestante", 1, 120), ("regular", 3, 780)]


def test_heat_map_and_histogram_of_a_small_day(clerk_day: OfficeHub) -> None:
    history = clerk_day.ticket_history(SYSTEM, DAY, DAY)
    heat = history.heatmap
    assert heat.weekdays[4] == "Viernes" and heat.hours == ["08"]
    assert heat.issued == [[0], [0], [0], [0], [4], [0], [0]]
    # The median of the cell's waits 120, 360, 1200.
    assert heat.wait_p50_s == [[None]] * 4 + [[360]] + [[None]] * 2
    counts = {b.label: b.count for b in history.wait_histogram}
    assert counts == {"0–5 min": 1, "5–10 min": 1, "10–15 min": 0, "15–20 min": 0,
                      "20–30 min": 1, "30–45 min": 0, "45–60 min": 0, "60–90 min": 0,
                      "90–120 min": 0, "120 min o más": 0}


def test_percentiles_sla_and_histogram_bounds(hub: OfficeHub, clock: VirtualClock) -> None:
    """Five caja tickets issued at 08:00 and called at 08:01, 08:02, 08:03, 08:05 and 08:15,
    each served for 30 s: waits 60, 120, 180, 300 and 900 s."""
    tickets = [hub.issue_ticket(SYSTEM, "caja") for _ in range(5)]
    hub.open_counter(SYSTEM, 4)
    for ticket, minute in zip(tickets, (1, 2, 3, 5, 15), strict=True):
        clock.set(START + timedelta(minutes=minute))
        assert (hub.call_next(SYSTEM, 4) or pytest.fail()).id == ticket.id
        hub.start(SYSTEM, ticket.id)
        advance(clock, seconds=30)
        hub.finish(SYSTEM, ticket.id)
    overall = hub.ticket_history(SYSTEM, DAY, DAY).overall
    # Sorted waits 60, 120, 180, 300, 900: median 180; p90 at rank 3.6 = 300 + 0.6 × 600 = 660;
    # mean 1560 / 5 = 312. Caja's target is 600 s: 4 of 5 within.
    assert (overall.wait_p50_s, overall.wait_p90_s, overall.wait_mean_s) == (180, 660, 312)
    assert (overall.sla_pct, overall.service_p50_s, overall.service_p90_s) == (80.0, 30, 30)
    bins = hub.ticket_history(SYSTEM, DAY, DAY).wait_histogram
    # A lower bound belongs to its bin: 300 s is «5–10 min», 900 s is «15–20 min».
    assert [b.count for b in bins] == [3, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert (bins[1].from_s, bins[1].to_s, bins[-1].from_s, bins[-1].to_s) == (300, 600, 7200,
                                                                              None)


def test_a_single_ticket(hub: OfficeHub, clock: VirtualClock) -> None:
    ticket = hub.issue_ticket(SYSTEM, "licencias", "adulto_mayor")
    hub.open_counter(SYSTEM, 4)
    advance(clock, seconds=90)
    hub.call_next(SYSTEM, 4)
    hub.start(SYSTEM, ticket.id)
    advance(clock, seconds=45)
    hub.finish(SYSTEM, ticket.id)
    history = hub.ticket_history(SYSTEM, DAY, DAY)
    overall = history.overall
    assert (overall.wait_p50_s, overall.wait_p90_s, overall.wait_mean_s) == (90, 90, 90)
    assert (overall.service_p50_s, overall.service_p90_s, overall.pref_wait_p50_s) == (
        45, 45, 90)
    assert [g.key for g in history.by_preference] == ["adulto_mayor"]
    assert history.heatmap.issued[4] == [1] and history.by_clerk == []
    assert [b.count for b in history.wait_histogram] == [1] + [0] * 9  # 90 s: «0–5 min»


def test_an_empty_period_has_no_figures_rather_than_zeros(hub: OfficeHub) -> None:
    history = hub.ticket_history(SYSTEM, DAY, DAY)
    overall = history.overall
    assert (overall.issued, overall.judged) == (0, 0)
    assert overall.wait_p50_s is None and overall.sla_pct is None
    assert overall.service_p90_s is None and overall.pref_wait_mean_s is None
    for groups in (history.by_service, history.by_counter, history.by_clerk, history.by_hour,
                   history.by_weekday, history.by_day, history.by_month,
                   history.by_preference):
        assert groups == []
    assert history.heatmap.hours == [] and history.heatmap.issued == [[]] * 7
    assert [b.count for b in history.wait_histogram] == [0] * 10


def test_days_weekdays_and_hours_are_the_office_local_time(hub: OfficeHub,
                                                           clock: VirtualClock) -> None:
    """23:30 on Friday 20 Nov in Lima is 04:30 UTC on Saturday 21: it is Friday's ticket."""
    clock.set(datetime(2026, 11, 20, 23, 30, tzinfo=LIMA))
    late = hub.issue_ticket(SYSTEM, "caja")
    assert late.issued_at.astimezone(UTC).date() == date(2026, 11, 21)
    clock.set(datetime(2026, 11, 21, 0, 15, tzinfo=LIMA))  # Saturday 00:15 (05:15 UTC)
    hub.issue_ticket(SYSTEM, "caja")
    friday = hub.ticket_history(SYSTEM, DAY, DAY)
    assert (friday.overall.issued, [g.key for g in friday.by_hour]) == (1, ["23"])
    assert [g.label for g in friday.by_weekday] == ["Viernes"]
    both = hub.ticket_history(SYSTEM, DAY, DAY + timedelta(days=1))
    assert [g.key for g in both.by_day] == ["2026-11-20", "2026-11-21"]
    assert [g.label for g in both.by_weekday] == ["Viernes", "Sábado"]
    assert [g.key for g in both.by_hour] == ["00", "23"]
    # The heat map spans 00 to 23 h: Friday's ticket in the last column, Saturday's in the first.
    heat = both.heatmap
    assert heat.hours == [f"{h:02d}" for h in range(24)]
    assert (heat.issued[4][23], heat.issued[5][0], sum(map(sum, heat.issued))) == (1, 1, 2)


# --- tables and CSV --------------------------------------------------------------------------


def test_the_report_tables_carry_the_history_in_minutes(clerk_day: OfficeHub) -> None:
    report = clerk_day.period_report(SYSTEM, DAY, DAY)
    tables = {t.name: t for t in report_tables(report)}
    assert tuple(tables) == TABLE_NAMES
    summary = dict(tables["resumen"].rows)  # type: ignore[arg-type]
    # 360 s = 6.0 min, 1032 s = 17.2 min; 560 s = 9.3 min.
    assert (summary["Turnos emitidos"], summary["Espera mediana (min)"],
            summary["Espera p90 (min)"], summary["Espera media (min)"]) == (4, 6.0, 17.2, 9.3)
    by_service = tables["por_servicio"]
    assert by_service.rows[0][:6] == ["Registro Civil (partidas)", 2, 2, 0, 0, 4.0]
    rows = list(csv.reader(io.StringIO(clerk_day.export_report_table(
        SYSTEM, "por_usuario", DAY, DAY))))
    assert rows[0][:3] == ["Usuario", "Emitidos", "Atendidos"]
    assert [r[:3] for r in rows[1:]] == [["Ana Torres Chávez", "2", "2"],
                                         ["Luis Quispe Mamani", "1", "0"]]
    heat = list(csv.reader(io.StringIO(clerk_day.export_report_table(
        SYSTEM, "mapa_calor", DAY, DAY))))
    assert heat[0] == ["Día", "08"] and heat[5] == ["Viernes", "4"]
    with pytest.raises(NotFound) as caught:
        clerk_day.export_report_table(SYSTEM, "nada", DAY, DAY)
    assert "por_servicio" in caught.value.message
