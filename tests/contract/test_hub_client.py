"""One contract, two clients: in-process and HTTP must behave the same, errors included."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from kiosk.client import HubClient, InProcessHubClient
from kiosk.client.http import HttpHubClient
from kiosk.errors import Conflict, Forbidden, HubUnavailable, InvalidInput, NotFound
from kiosk.hub import OfficeHub
from kiosk.ids import new_id
from kiosk.services.views import PrintJobReport
from tests.conftest import start_server, stop_server

DAY = date(2026, 11, 20)


@pytest.fixture(params=["in-process", "http"])
def connect(request: pytest.FixtureRequest, hub: OfficeHub, tokens: dict[str, str]
            ) -> Iterator[object]:
    """connect(role) -> a HubClient for a device of that role."""
    if request.param == "in-process":
        yield lambda role: InProcessHubClient(hub, tokens[role])
        return
    running = start_server(hub)
    clients: list[HttpHubClient] = []

    def make(role: str) -> HubClient:
        client = HttpHubClient(running.url, tokens[role])
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
    stop_server(running)


def test_a_ticket_from_kiosk_to_counter(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter")
    assert [s.code for s in kiosk.services()][:2] == ["partidas", "licencias"]
    issued = kiosk.issue_ticket("caja", "discapacidad")
    assert (issued.number, issued.ahead, issued.status) == ("PC-001", 0, "waiting")
    assert counter.open_counter(4).state == "open"
    called = counter.call_next(4)
    assert called is not None and called.id == issued.id and called.counter == 4
    assert counter.recall(issued.id).recalls == 1
    assert counter.start(issued.id).status == "serving"
    done = counter.finish(issued.id, "derivado")
    assert (done.status, done.outcome) == ("finished", "derivado")
    assert counter.call_next(4) is None
    assert counter.ticket(issued.id).status == "finished"
    page = connect("display").calls(0)
    assert [(c.kind, c.number) for c in page.calls] == [("called", "PC-001"),
                                                        ("recalled", "PC-001")]


def test_no_show_reinstate_and_transfer(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter")
    ticket = kiosk.issue_ticket("orientacion")
    counter.open_counter(5)
    counter.call_next(5)
    counter.no_show(ticket.id)
    assert counter.queue().missed == ["O-001"]
    counter.reinstate(ticket.id)
    counter.call_ticket(5, ticket.id)
    moved = counter.transfer(ticket.id, "caja")
    assert (moved.service, moved.status) == ("caja", "waiting")


def test_counter_states(connect) -> None:  # type: ignore[no-untyped-def]
    counter: HubClient = connect("counter")
    counter.open_counter(2)
    assert counter.pause_counter(2, "Refrigerio").pause_reason == "Refrigerio"
    assert counter.resume_counter(2).state == "open"
    assert counter.close_counter(2).state == "closed"
    assert [c.state for c in counter.counters()][1] == "closed"


def test_the_same_errors_reach_both_clients(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter")
    cases = [
        (NotFound, "unknown_service", lambda: kiosk.issue_ticket("pasaportes")),
        (Conflict, "counter_not_open", lambda: counter.call_next(1)),
        (NotFound, "unknown_counter", lambda: counter.open_counter(77)),
        (Forbidden, "forbidden", lambda: kiosk.stats(DAY, DAY)),
        (Forbidden, "forbidden", lambda: connect("display").issue_ticket("caja")),
    ]
    waiting = kiosk.issue_ticket("caja")
    cases.append((Conflict, "illegal_transition", lambda: counter.finish(waiting.id)))
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message


def test_invalid_category_is_refused_by_both(connect) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        connect("kiosk").issue_ticket("caja", "vip")


def test_stats_and_export(connect) -> None:  # type: ignore[no-untyped-def]
    connect("kiosk").issue_ticket("caja")
    supervisor: HubClient = connect("supervisor")
    report = supervisor.stats(DAY, DAY)
    assert (report.issued, report.office) == (1, "CAJ")
    assert supervisor.export_tickets(DAY, DAY).splitlines()[1].split(",")[1] == "C-001"
    assert supervisor.close_day().expired == 1


def test_procedures(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    procedures = kiosk.procedures()
    assert len(procedures) == 12
    assert procedures[0].category == "partida" and procedures[-1].code == "MP-01"
    low = kiosk.procedure("LF-01")
    assert low in procedures
    assert (low.fee_soles, low.version, low.service) == (Decimal("263.20"), 1, "licencias")
    assert kiosk.procedure("rc-01").fee_basis == "Monto fijo"
    for code in ("XX-99", "a b/c?d"):
        with pytest.raises(NotFound) as caught:
            kiosk.procedure(code)
        assert caught.value.code == "unknown_procedure"


def test_print_jobs_and_alerts(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    supervisor: HubClient = connect("supervisor")
    ticket = kiosk.issue_ticket("caja")
    report = PrintJobReport(id=new_id(), kind="ticket", reference=ticket.id, state="failed",
                            error_code="paper_out", error_message="La impresora no tiene papel")
    view = kiosk.report_print(report)
    assert (view.id, view.state, view.device, view.reference) == (
        report.id, "failed", "kiosk de prueba", ticket.id)
    assert kiosk.report_print(report) == view
    assert [a.message for a in supervisor.alerts()] == [
        "La impresora del «kiosk de prueba» falló: La impresora no tiene papel (08:00)"]
    assert supervisor.print_jobs("failed") == [view]
    fixed = kiosk.report_print(report.model_copy(update={
        "state": "printed", "error_code": None, "error_message": None, "reprint": True}))
    assert (fixed.state, fixed.reprint) == ("printed", True)
    assert supervisor.print_jobs("failed") == []
    assert supervisor.print_jobs(limit=1) == [fixed]
    assert supervisor.alerts() == []


def test_print_job_errors_are_the_same_for_both(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter")
    report = PrintJobReport(id=new_id(), kind="receipt", reference=None, state="printed")
    counter.report_print(report)
    cases = [
        (InvalidInput, "invalid_print_job",
         lambda: kiosk.report_print(report.model_copy(update={"kind": "poster"}))),
        (InvalidInput, "invalid_print_job",
         lambda: kiosk.report_print(report.model_copy(update={"id": "no-es-uuid"}))),
        (InvalidInput, "invalid_print_job", lambda: kiosk.report_print(
            report.model_copy(update={"id": new_id(), "error_message": "x" * 501}))),
        (Conflict, "print_job_foreign", lambda: kiosk.report_print(report)),
        (Forbidden, "forbidden", lambda: kiosk.print_jobs()),
        (Forbidden, "forbidden", lambda: kiosk.alerts()),
        (Forbidden, "forbidden", lambda: connect("supervisor").report_print(report)),
        (InvalidInput, "invalid_print_state", lambda: connect("admin").print_jobs("roto")),
        (InvalidInput, "invalid_limit", lambda: connect("admin").print_jobs(None, 0)),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message


def test_http_client_reports_an_unreachable_hub_in_spanish() -> None:
    client = HttpHubClient("http://127.0.0.1:9", "token", timeout=2)  # discard port: closed
    with pytest.raises(HubUnavailable) as caught:
        client.health()
    assert "No se puede conectar con el hub" in caught.value.message
    client.close()
