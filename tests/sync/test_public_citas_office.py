"""A cita booked at the office, cancelled or changed on central's public page (decision record
49), through a real HTTP server on loopback against SQLite and a real PostgreSQL: the office's
pushed event carries a slow salted proof of the DNI, never the DNI; central checks the typed DNI
against it, sends the request in the feed like for its own bookings, and the office applies it
or refuses it (a check-in it had not pushed yet). An office booking holds one of the office's
own places: it never counts against the places delegated to central."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import MetaData, select

from kiosk.clock import VirtualClock
from kiosk.errors import NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.cita_proof import proof_matches
from kiosk.services.cita_views import CheckInInput, CitaChange, CitaInput
from kiosk.storage.tables import Event
from sync.central import citas as central_citas_module
from sync.central.schema import central_citas, offices
from sync.central.server import CentralServer
from sync.hub_sync import HubSync
from tests.conftest import RunningHub
from tests.sync import test_public_citas_cancel as cancel_page
from tests.sync.conftest import connect_sync
from tests.sync.test_citas_delegated import closed_port
from tests.sync.test_public_citas_cancel import (
    MONDAY,
    Citizen,
    Delegating,
    at,
    book_on_page,
    central_taken,
    cita_events,
    error_of,
    hours_of,
    offered,
    office_holding,
)

# The cancel page's fixtures: its central on loopback, an office that delegated and synced.
web, delegating = cancel_page.web, cancel_page.delegating
DNI, NAME = "77778888", "Zacarías Quillatupa Yupanqui"


def book_here(office: OfficeHub, hour: int, contact: str | None = None) -> str:
    """A citizen on the phone: the clerk books one of the office's own places."""
    return office.book_cita(SYSTEM, CitaInput(
        service="licencias", start=at(hour), document=DNI, name=NAME, contact=contact,
        consent=contact is not None)).code


def synced(sync: HubSync) -> None:
    assert sync.run_round().ok


def test_an_office_booking_is_cancelled_on_the_page_and_the_office_applies_it(
        central: CentralServer, web: RunningHub, delegating: Delegating,
        clock: VirtualClock) -> None:
    office, sync, _ = delegating()
    code = book_here(office, 10, "976543210")
    synced(sync)  # its event, with the proof, reaches central
    # The office's own place: the delegated place of 10:30 is still sold on /citas.
    assert at(10) in offered(web.url) and central_taken(central, at(10)) == 0
    clock.advance(timedelta(days=2))  # Sunday: the reminder waits in the outbox
    assert office.enqueue_cita_reminders() == 1

    citizen = Citizen(web.url)
    wrong_dni = citizen.post(code, "77778880")
    wrong_code = citizen.post("C-AAAAAA" if code != "C-AAAAAA" else "C-BBBBBB", DNI)
    assert wrong_dni.status_code == wrong_code.status_code == 404
    assert error_of(wrong_dni.text) == error_of(wrong_code.text)
    assert "10:30" not in wrong_dni.text

    seen = citizen.post(code, DNI)
    assert seen.status_code == 200 and "23/11/2026 10:30" in seen.text
    assert "Cancelar mi cita" in seen.text and "Quillatupa" not in seen.text
    done = citizen.post(code, DNI, "cancelar")
    assert done.status_code == 200 and "Su cita fue cancelada" in done.text

    synced(sync)  # the office pulls the cancellation
    assert office.cita(SYSTEM, code).status == "cancelada"
    assert office.notice_overview(SYSTEM).pending == 0  # the reminder is cancelled too
    kind, data = cita_events(office, code)[-1]
    assert kind == "cancelled" and data["by"] == "página pública de la central"
    assert "10:30" not in office_holding(office)
    synced(sync)  # its answer reaches central
    state = citizen.post(code, DNI)
    assert "Cancelada." in state.text and "Cancelar mi cita" not in state.text
    assert at(10) in offered(web.url) and central_taken(central, at(10)) == 0


def test_an_office_booking_checked_in_before_the_push_is_kept_on_both_sides(
        central: CentralServer, web: RunningHub, delegating: Delegating,
        clock: VirtualClock) -> None:
    office, sync, _ = delegating()
    code = book_here(office, 9)  # the office's own place of the slot central sold one of
    synced(sync)
    cut = connect_sync(office, f"http://127.0.0.1:{closed_port()}", "x", timeout_s=2)
    clock.set(at(9, 25))
    assert not cut.run_round().ok
    assert office.check_in_cita(SYSTEM, CheckInInput(query=code)).on_time

    citizen = Citizen(web.url)
    done = citizen.post(code, DNI, "cancelar")  # central has not seen the check-in
    assert done.status_code == 200 and "Su cita fue cancelada" in done.text
    synced(sync)  # pushes the check-in, pulls the cancellation: refused
    assert office.cita(SYSTEM, code).status == "llego"
    kind, data = cita_events(office, code)[-1]
    assert kind == "central_refused" and data["asked"] == "cancel"
    synced(sync)

    state = citizen.post(code, DNI)
    assert "registró su llegada" in state.text and "Cancelar mi cita" not in state.text
    refused = citizen.post(code, DNI, "cancelar")
    assert refused.status_code == 409
    assert office_holding(office)["09:30"] == 2  # central's booking and this one
    assert central_taken(central, at(9)) == 1  # the delegated place, once


def test_an_office_booking_moves_to_a_delegated_place_and_frees_the_office_s(
        central: CentralServer, web: RunningHub, delegating: Delegating) -> None:
    office, sync, _ = delegating()
    code = book_here(office, 10)
    synced(sync)
    assert office.cita_slots(SYSTEM, "licencias", MONDAY).slots[2].free == 0

    citizen = Citizen(web.url)
    seen = citizen.post(code, DNI)
    assert at(11) in hours_of(seen.text) and at(10) not in hours_of(seen.text)
    moved = citizen.post(code, DNI, "mover", hora=at(11).isoformat())
    assert moved.status_code == 200 and "Su cita cambió de hora" in moved.text
    assert at(11) not in offered(web.url) and central_taken(central, at(11)) == 1
    assert at(10) in offered(web.url)  # the office's place it leaves was never central's

    synced(sync)  # the office moves it: the delegated place, channel central
    mine = [c for c in office.citas_of_day(SYSTEM, MONDAY) if c.code == code]
    assert [(c.time, c.status, c.channel) for c in mine] == [("11:30", "reservada",
                                                               "central")]
    ten = [s for s in office.cita_slots(SYSTEM, "licencias", MONDAY).slots
           if s.start == at(10)]
    assert ten[0].free == 1  # the office's own place is free again
    synced(sync)
    assert central_taken(central, at(11)) == 1 and at(11) not in offered(web.url)
    assert at(10) in offered(web.url) and central_taken(central, at(10)) == 0
    state = citizen.post(code, DNI)
    assert "23/11/2026 11:30" in state.text and "Hora anterior" not in state.text
    # One place of 11:30 each side: the office sells its own, central has none left.
    assert office.cita_slots(SYSTEM, "licencias", MONDAY).slots[3].free == 1


def test_central_keeps_a_proof_of_the_dni_and_never_the_dni(
        central: CentralServer, delegating: Delegating) -> None:
    office, sync, _ = delegating()
    code = book_here(office, 10, "vecino@example.pe")
    office.change_cita(SYSTEM, code, CitaChange(start=at(11)))
    synced(sync)
    with central.engine.connect() as connection:
        row = connection.execute(select(central_citas).where(
            central_citas.c.code == code)).one()
        assert (row.channel, row.document, row.name, row.contact) == ("oficina", None, None,
                                                                      None)
        assert row.start_at == at(11) and row.proof.startswith("s1$")
        assert proof_matches(row.proof, row.id, code, DNI)
        assert not proof_matches(row.proof, row.id, code, "77778889")
        tables = MetaData()
        tables.reflect(connection)
        everything = " ".join(str(value) for table in tables.sorted_tables
                              for r in connection.execute(select(table)) for value in r)
    assert code in everything
    assert DNI not in everything and "Quillatupa" not in everything
    assert "vecino@example.pe" not in everything


def test_an_office_change_of_a_central_booking_gives_the_delegated_place_back(
        central: CentralServer, web: RunningHub, delegating: Delegating) -> None:
    office, sync, code = delegating()  # central sold 09:30's delegated place
    office.change_cita(SYSTEM, code, CitaChange(start=at(10)))  # by phone: an office place
    synced(sync)
    assert central_taken(central, at(9)) == 0 and central_taken(central, at(10)) == 0
    assert at(9) in offered(web.url) and at(10) in offered(web.url)
    other = book_on_page(web.url, at(10), "55556666")
    synced(sync)
    assert office_holding(office)["10:30"] == 2 and office.cita(SYSTEM, other).channel == (
        "central")
    citizen = Citizen(web.url)
    assert "23/11/2026 10:30" in citizen.post(code, "11112222").text


def test_an_office_booking_without_a_proof_or_with_a_taken_code_gets_the_one_answer(
        central: CentralServer, delegating: Delegating) -> None:
    """An older hub's event carries no proof; a code central already gave another cita
    stays the first one's: neither is added, neither fails the office's push."""
    office, sync, central_code = delegating()
    code = book_here(office, 10)
    with office.store.read_session() as session:
        stream_id, data = next((e.stream_id, e.data) for e in session.scalars(select(Event).where(
            Event.stream == "cita", Event.kind == "booked")) if e.data["code"] == code)
    older = {"stream_id": stream_id, "kind": "booked", "seq": 1,
             "data": {k: v for k, v in data.items() if k != "proof"}}
    clash = {"stream_id": "x" * 32, "kind": "booked", "seq": 2,
             "data": {**data, "code": central_code}}
    with central.engine.begin() as connection:
        office_id = connection.scalar(select(offices.c.id))
        assert office_id is not None
        assert central_citas_module.follow(connection, office_id, [older, clash]) == 0
    with pytest.raises(NotFound) as unknown:
        central.public_cita(code, DNI)
    assert unknown.value.message == central_citas_module.NOT_FOUND
    assert central.public_cita(central_code, "11112222").code == central_code
    synced(sync)  # the real event, with its proof: now central knows it
    assert central.public_cita(code, DNI).changeable
