"""The supervisor's dashboard, the period report, its CSV tables and ratings through both
clients (in-process and HTTP): the same views, the same errors."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from kiosk.client import HubClient
from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, NotFound
from kiosk.services.report import TABLE_NAMES

DAY = date(2026, 11, 20)


def _served(connect) -> tuple[HubClient, HubClient, str]:  # type: ignore[no-untyped-def]
    """A caja ticket issued at the kiosk and served at ventanilla 4 (no waiting); the kiosk
    and the rating screen facing ventanilla 4."""
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter", counter=4)
    ticket = kiosk.issue_ticket("caja")
    counter.open_counter(4)
    counter.call_next(4)
    counter.start(ticket.id)
    counter.finish(ticket.id)
    return kiosk, connect("rating"), ticket.id


def test_the_dashboard_and_the_period_figures(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk, screen, ticket_id = _served(connect)
    kiosk.issue_ticket("partidas")
    supervisor: HubClient = connect("supervisor")
    live = supervisor.supervisor_live()
    assert (live.office, live.waiting, live.today.issued, live.today.served) == ("CAJ", 1, 2, 1)
    assert [s.waiting for s in live.services if s.service == "partidas"] == [1]
    assert next(c for c in live.counters if c.number == 4).activity == "idle"

    history = supervisor.ticket_history(DAY, DAY)
    assert (history.overall.issued, history.overall.wait_p50_s) == (2, 0)
    assert [g.key for g in history.by_service] == ["partidas", "caja"]
    assert history.heatmap.issued[4] == [2]

    rating = screen.rate_ticket("C-001", 5)
    assert (rating.ticket_id, rating.number, rating.service, rating.counter, rating.score) == (
        ticket_id, "C-001", "caja", 4, 5)
    satisfaction = supervisor.satisfaction_stats(DAY, DAY)
    assert (satisfaction.overall.ratings, satisfaction.overall.mean,
            satisfaction.overall.response_pct) == (1, 5.0, 100.0)
    expedientes = supervisor.expediente_stats(DAY, DAY)
    assert (expedientes.overall.received, expedientes.as_of) == (0, DAY)

    report = supervisor.period_report(DAY, DAY)
    assert report.tickets == history
    assert report.satisfaction == satisfaction and report.expedientes == expedientes
    assert (report.office_name, report.municipality) == ("CAC Cajamarca", "Municipalidad")
    table = list(csv.reader(io.StringIO(supervisor.export_report_table("por_servicio", DAY,
                                                                      DAY))))
    assert [row[:3] for row in table] == [["Servicio", "Emitidos", "Atendidos"],
                                          ["Registro Civil (partidas)", "1", "0"],
                                          ["Caja", "1", "1"]]
    for name in TABLE_NAMES:
        assert supervisor.export_report_table(name, DAY, DAY).count("\n") >= 1, name


def test_the_same_refusals_reach_both_clients(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk, screen, ticket_id = _served(connect)
    supervisor: HubClient = connect("supervisor")
    display: HubClient = connect("display")
    counter: HubClient = connect("counter", person=False)
    screen.rate_ticket(ticket_id, 4)
    waiting = kiosk.issue_ticket("mesa")
    cases: list[tuple[type[CacError], str, object]] = [
        (Forbidden, "forbidden", kiosk.supervisor_live),
        (Forbidden, "forbidden", lambda: kiosk.rate_ticket(ticket_id, 3)),
        (Forbidden, "forbidden", display.supervisor_live),
        (Forbidden, "forbidden", counter.supervisor_live),
        (Forbidden, "forbidden", lambda: kiosk.ticket_history(DAY, DAY)),
        (Forbidden, "forbidden", lambda: display.expediente_stats(DAY, DAY)),
        (Forbidden, "forbidden", lambda: kiosk.satisfaction_stats(DAY, DAY)),
        (Forbidden, "forbidden", lambda: display.period_report(DAY, DAY)),
        (Forbidden, "forbidden", lambda: counter.export_report_table("resumen", DAY, DAY)),
        (Forbidden, "forbidden", lambda: display.rate_ticket(ticket_id, 3)),
        (Forbidden, "forbidden", lambda: supervisor.rate_ticket(ticket_id, 3)),
        (InvalidInput, "invalid_period",
         lambda: supervisor.ticket_history(DAY, DAY - timedelta(days=1))),
        (InvalidInput, "invalid_period",
         lambda: supervisor.period_report(DAY, DAY + timedelta(days=366 * 6))),
        (NotFound, "unknown_table", lambda: supervisor.export_report_table("x y/z", DAY, DAY)),
        (InvalidInput, "invalid_score", lambda: screen.rate_ticket(waiting.id, 9)),
        (NotFound, "unknown_ticket", lambda: screen.rate_ticket("Q-404", 3)),
        (Conflict, "ticket_not_finished", lambda: screen.rate_ticket(waiting.id, 3)),
        (Conflict, "already_rated", lambda: screen.rate_ticket("C-001", 3)),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()  # type: ignore[operator]
        assert caught.value.code == code, code
        assert caught.value.message
