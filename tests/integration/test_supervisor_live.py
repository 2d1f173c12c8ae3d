"""The supervisor's live dashboard on a fixed morning: queues against their targets, what each
counter is doing and who is at it, and the alerts (targets passed, a counter idle while people
wait, a printer out of paper, no sync with central)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import Forbidden, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.services.supervisor_views import SupervisorLive
from kiosk.services.views import PrintJobReport
from tests.conftest import ADMIN, START, SUPERVISOR, clerk_at, person_on


@pytest.fixture
def morning(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> SupervisorLive:
    """Friday 20 Nov 2026 in the demo office (targets: partidas 15 min, licencias 20, caja 10,
    orientación 10, mesa 15):

    08:00 A-001 (partidas), C-001 (caja), L-001 (licencias), R-001 (orientación) are issued;
          ventanillas 1 (Ana: partidas, orientación), 2 (nobody logged in: partidas, mesa)
          and 4 (Luis: caja, licencias) open; 3 and 5 stay closed.
    08:01 Luis calls C-001 (waited 60 s); Ana pauses for «Refrigerio».
    08:02 Luis starts C-001; 08:20 finishes it (1080 s of service).
    08:20 the kiosk reports its printer out of paper.
    08:21 the supervisor looks: A-001, L-001 and R-001 have waited 21 min.
    """
    ana = clerk_at(hub, "ana", "2468", 1)
    luis = clerk_at(hub, "luis", "1357", 4)
    for service in ("partidas", "caja", "licencias", "orientacion"):
        hub.issue_ticket(SYSTEM, service)
    hub.open_counter(ana, 1)
    hub.open_counter(SYSTEM, 2)
    hub.open_counter(luis, 4)
    clock.set(START + timedelta(minutes=1))
    cashier = hub.call_next(luis, 4)
    assert cashier is not None and cashier.number == "C-001"
    hub.pause_counter(ana, 1, "Refrigerio")
    clock.set(START + timedelta(minutes=2))
    hub.start(luis, cashier.id)
    clock.set(START + timedelta(minutes=20))
    hub.finish(luis, cashier.id)
    kiosk = hub.authenticate(tokens["kiosk"])
    hub.report_print(kiosk, PrintJobReport(id=new_id(), kind="requirements", reference="RC-01",
                                           state="failed", error_code="paper_out",
                                           error_message="La impresora no tiene papel"))
    clock.set(START + timedelta(minutes=21))
    return hub.supervisor_live(person_on(hub, tokens["supervisor"], SUPERVISOR))


def test_each_service_against_its_target(morning: SupervisorLive) -> None:
    rows = {s.service: s for s in morning.services}
    assert [s.service for s in morning.services] == [
        "partidas", "licencias", "caja", "orientacion", "mesa"]
    assert morning.waiting == 3
    # 21 min = 1260 s: past partidas' 15 min, licencias' 20 and orientación's 10.
    assert (rows["partidas"].waiting, rows["partidas"].longest_wait_s,
            rows["partidas"].longest_ticket, rows["partidas"].over_sla) == (1, 1260, "A-001",
                                                                            True)
    assert (rows["licencias"].over_sla, rows["orientacion"].over_sla) == (True, True)
    assert (rows["caja"].waiting, rows["caja"].longest_wait_s, rows["caja"].over_sla) == (
        0, None, False)
    # Open (not paused) counters serving each: partidas only at 2 (1 is paused), orientación
    # at none (1 paused, 5 closed), mesa at 2, caja and licencias at 4.
    assert {code: s.counters_open for code, s in rows.items()} == {
        "partidas": 1, "licencias": 1, "caja": 1, "orientacion": 0, "mesa": 1}


def test_each_counter_with_its_clerk(morning: SupervisorLive) -> None:
    counters = {c.number: c for c in morning.counters}
    one, two, four = counters[1], counters[2], counters[4]
    assert (one.activity, one.activity_text, one.pause_reason, one.clerk, one.username) == (
        "paused", "En pausa: Refrigerio", "Refrigerio", "Ana Torres Chávez", "ana")
    assert (one.since, two.since) == (START + timedelta(minutes=1), START)
    assert (two.activity, two.activity_text, two.clerk) == ("idle", "Libre", None)
    assert (four.activity, four.clerk, four.ticket) == ("idle", "Luis Quispe Mamani", None)
    assert four.since == START + timedelta(minutes=20)  # free since C-001 was finished
    assert [(counters[n].activity, counters[n].activity_text) for n in (3, 5)] == [
        ("closed", "Cerrada"), ("closed", "Cerrada")]


def test_a_counter_serving_shows_its_ticket(hub: OfficeHub, clock: VirtualClock) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    advance_to = START + timedelta(minutes=3)
    clock.set(advance_to)
    hub.call_next(SYSTEM, 4)
    live = hub.supervisor_live(SYSTEM)
    four = next(c for c in live.counters if c.number == 4)
    assert (four.activity, four.activity_text, four.ticket, four.ticket_id,
            four.ticket_service, four.since) == ("called", "Llamando a C-001", "C-001",
                                                 ticket.id, "caja", advance_to)
    clock.set(advance_to + timedelta(minutes=1))
    hub.start(SYSTEM, ticket.id)
    four = next(c for c in hub.supervisor_live(SYSTEM).counters if c.number == 4)
    assert (four.activity, four.activity_text, four.since) == (
        "serving", "Atendiendo C-001", advance_to + timedelta(minutes=1))


def test_the_alerts_critical_first(morning: SupervisorLive) -> None:
    assert [(a.kind, a.severity, a.service, a.counter) for a in morning.alerts] == [
        ("printer", "critical", None, None),
        # Orientación has waited 21 min, more than twice its 10 min target.
        ("sla", "critical", "orientacion", None),
        # ... and no open counter serves it (ventanilla 1 is on a break, 5 is closed).
        ("no_counter", "warning", "orientacion", None),
        ("sla", "warning", "partidas", None),
        ("sla", "warning", "licencias", None),
        # Ventanilla 2 has been free for 21 min with A-001 waiting; ventanilla 4 has been free
        # for 1 min only (under the 3 min of `idle_counter_alert_minutes`).
        ("idle_counter", "warning", None, 2),
    ]
    messages = [a.message for a in morning.alerts]
    assert messages[0].startswith("La impresora del «kiosk de prueba» falló: La impresora no "
                                  "tiene papel")
    assert messages[1] == "Orientación: el turno R-001 espera 21 min (objetivo 10 min)."
    assert messages[2] == ("Orientación: 1 persona espera y ninguna ventanilla abierta atiende "
                           "este servicio. Ventanilla 1 está en pausa.")
    assert messages[3] == ("Registro Civil (partidas): el turno A-001 espera 21 min "
                           "(objetivo 15 min).")
    assert messages[5] == ("Ventanilla 2 está libre hace 21 min y hay 1 persona esperando en "
                           "sus servicios.")


def test_people_waiting_where_no_counter_is_open_alert_at_once(hub: OfficeHub,
                                                               clock: VirtualClock) -> None:
    """Caja is served by ventanillas 4 and 5; before either opens, two people take tickets."""
    assert hub.supervisor_live(SYSTEM).alerts == []
    hub.issue_ticket(SYSTEM, "caja")
    hub.issue_ticket(SYSTEM, "caja", "gestante")

    def no_counter() -> list[tuple[str, str | None, str]]:
        return [(a.severity, a.service, a.message) for a in hub.supervisor_live(SYSTEM).alerts
                if a.kind == "no_counter"]

    # Not 10 minutes later (caja's target): now, with the tickets just issued.
    assert no_counter() == [("critical", "caja", "Caja: 2 personas esperan y ninguna "
                             "ventanilla abierta atiende este servicio.")]
    hub.open_counter(SYSTEM, 4)
    assert no_counter() == []
    hub.pause_counter(SYSTEM, 4, "Refrigerio")
    assert no_counter() == [("warning", "caja", "Caja: 2 personas esperan y ninguna "
                             "ventanilla abierta atiende este servicio. Ventanilla 4 está en "
                             "pausa.")]
    clock.set(START + timedelta(minutes=2))
    hub.resume_counter(SYSTEM, 4)
    assert no_counter() == []


def test_today_so_far_has_the_stats_figures(morning: SupervisorLive) -> None:
    # Four tickets issued; only C-001 was called (after 60 s) and served (08:02-08:20).
    today = morning.today
    assert (today.issued, today.served, today.wait_p50_s, today.service_p50_s) == (
        4, 1, 60, 1080)
    assert (morning.office, str(morning.business_date)) == ("CAJ", "2026-11-20")
    assert morning.sync_summary == "Oficina sin servidor central (trabaja sola)."


def test_a_sync_that_has_not_succeeded_is_an_alert(hub: OfficeHub) -> None:
    quiet = hub.supervisor_live(SYSTEM)
    assert [a for a in quiet.alerts if a.kind == "sync"] == []
    hub.config = dataclasses.replace(hub.config, central_url="https://central.example.pe")
    alerts = [a for a in hub.supervisor_live(SYSTEM).alerts if a.kind == "sync"]
    assert [(a.severity, a.message) for a in alerts] == [
        ("warning", "Sin sincronizar con la central nunca.")]


def test_only_managers_see_the_dashboard(hub: OfficeHub, tokens: dict[str, str]) -> None:
    for role in ("kiosk", "display", "counter"):
        with pytest.raises(Forbidden):
            hub.supervisor_live(hub.authenticate(tokens[role]))
    for role in ("supervisor", "admin"):  # clerks' names: a person must be logged in
        with pytest.raises(Unauthorized):
            hub.supervisor_live(hub.authenticate(tokens[role]))
    assert hub.supervisor_live(person_on(hub, tokens["admin"], ADMIN)).waiting == 0
