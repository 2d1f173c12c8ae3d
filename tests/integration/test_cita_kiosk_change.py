"""Changing a cita's hour at the kiosk through the hub's API (in process and over HTTP on
loopback): the kiosk alone, with the booking's code and DNI, opens the booking (its service,
day and hour, no name) and moves it to a free slot of the same service; the hub refuses a
taken slot, a wrong code or DNI in one sentence, a checked-in or past cita.

Licencias: 60-minute slots from 08:30, one place each (tests/integration/test_citas.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.cita_views import (
    CheckInInput,
    CitaCancel,
    CitaChange,
    CitaInput,
    CitaPlanInput,
    CitaProof,
)
from tests.conftest import LIMA, Connect

FRIDAY = date(2026, 11, 20)  # the clock's day (tests/conftest.py START, 08:00)
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
ROSA = "11112222"


def at(day: date, hour: int, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LIMA)


def refused(call: object) -> CacError:
    with pytest.raises(CacError) as caught:
        call()  # type: ignore[operator]
    return caught.value


@pytest.fixture
def booked(hub: OfficeHub) -> str:
    """Rosa's cita on Monday at 09:30, booked by phone at the counter with her mobile."""
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    return hub.book_cita(SYSTEM, CitaInput(service="licencias", start=at(MONDAY, 9),
                                           document=ROSA, name="Rosa Quispe",
                                           contact="976543210")).code


def test_the_kiosk_moves_a_cita_to_a_free_hour_of_its_service(
        hub: OfficeHub, connect: Connect, booked: str) -> None:
    kiosk = connect("kiosk", person=False)
    opened = kiosk.verify_cita(booked.lower().removeprefix("c-"), CitaProof(document=ROSA))
    # What the kiosk needs to offer the hours, and nobody's name or contact.
    assert (opened.code, opened.service, opened.day, opened.time) == (
        booked, "licencias", MONDAY, "09:30")
    assert (opened.name, opened.contact, opened.document) == ("", None, "****2222")

    moved = kiosk.change_cita(booked, CitaChange(start=at(TUESDAY, 11), document=ROSA))
    assert (moved.code, moved.day, moved.time, moved.status) == (
        booked, TUESDAY, "11:30", "reservada")
    assert (moved.name, moved.contact, moved.document) == ("", None, "****2222")
    stored = hub.cita(SYSTEM, booked)  # the same booking, moved: nothing else changed
    assert (stored.name, stored.contact, stored.start, stored.channel) == (
        "Rosa Quispe", "976543210", at(TUESDAY, 11), "ventanilla")
    monday = {s.time: s.free for s in kiosk.cita_slots("licencias", MONDAY).slots}
    tuesday = {s.time: s.free for s in kiosk.cita_slots("licencias", TUESDAY).slots}
    assert (monday["09:30"], tuesday["11:30"]) == (1, 0)

    # Someone took Tuesday 12:30 meanwhile: refused, and the cita stays at 11:30.
    hub.book_cita(SYSTEM, CitaInput(service="licencias", start=at(TUESDAY, 12),
                                    document="55556666", name="Diana Torres"))
    taken = refused(lambda: kiosk.change_cita(booked, CitaChange(start=at(TUESDAY, 12),
                                                                 document=ROSA)))
    assert taken.code == "slot_full" and "12:30" in taken.message
    assert hub.cita(SYSTEM, booked).start == at(TUESDAY, 11)
    # The kiosk books and moves for another day only; the hours are the service's own.
    assert refused(lambda: kiosk.change_cita(booked, CitaChange(
        start=at(FRIDAY, 14), document=ROSA))).code == "invalid_cita_day"
    assert refused(lambda: kiosk.change_cita(booked, CitaChange(
        start=at(TUESDAY, 12, 0), document=ROSA))).code == "no_such_slot"
    assert hub.cita(SYSTEM, booked).start == at(TUESDAY, 11)
    # The counter's change is the same operation, and answers the clerk the name.
    clerk = connect("counter", counter=3)
    assert clerk.change_cita(booked, CitaChange(start=at(MONDAY, 9))).name == "Rosa Quispe"


def test_a_wrong_code_or_dni_is_refused_in_one_sentence(
        hub: OfficeHub, connect: Connect, booked: str) -> None:
    kiosk = connect("kiosk", person=False)
    answers = {
        (error.code, error.message) for error in (
            refused(lambda: kiosk.verify_cita(booked, CitaProof(document="99998888"))),
            refused(lambda: kiosk.verify_cita("C-AAAAAA", CitaProof(document=ROSA))),
            refused(lambda: kiosk.verify_cita("nada", CitaProof(document=ROSA))),
            refused(lambda: kiosk.change_cita("C-AAAAAA", CitaChange(
                start=at(TUESDAY, 11), document=ROSA))),
            refused(lambda: kiosk.change_cita(booked, CitaChange(start=at(TUESDAY, 11)))),
            refused(lambda: kiosk.cancel_cita(booked, CitaCancel(document="99998888"))),
        )}
    assert answers == {("cita_document",
                        "No hay una cita con ese código y ese DNI. Revise los dos.")}
    assert hub.cita(SYSTEM, booked).start == at(MONDAY, 9)
    # A clerk names a booking by its code alone and is told when there is none.
    clerk = connect("counter", counter=3)
    assert refused(lambda: clerk.change_cita("C-AAAAAA", CitaChange(
        start=at(TUESDAY, 11)))).code == "unknown_cita"


def test_a_checked_in_or_past_cita_does_not_change(
        hub: OfficeHub, clock: VirtualClock, connect: Connect) -> None:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    kiosk, clerk = connect("kiosk", person=False), connect("counter", counter=3)
    early = clerk.book_cita(CitaInput(service="licencias", start=at(FRIDAY, 8),
                                      document=ROSA, name="Rosa Quispe")).code
    later = clerk.book_cita(CitaInput(service="licencias", start=at(FRIDAY, 9),
                                      document="33334444", name="Carlos Mamani")).code
    clock.advance(at(FRIDAY, 8, 35) - clock.now())
    kiosk.check_in_cita(CheckInInput(query=early))
    used = refused(lambda: kiosk.verify_cita(early, CitaProof(document=ROSA)))
    assert (used.code, used.message) == (
        "cita_not_booked", f"La cita {early} ya no se puede modificar: llegó a tiempo.")
    # 09:41: Carlos's tolerance (10 min) passed; a no-show even before the hourly sweep.
    clock.advance(at(FRIDAY, 9, 41) - clock.now())
    past = refused(lambda: kiosk.verify_cita(later, CitaProof(document="33334444")))
    assert (past.code, past.message) == (
        "cita_past", f"La cita {later} era el 20/11/2026 a las 09:30: esa hora ya pasó y no "
                     "se puede modificar.")
    for call in (lambda: kiosk.change_cita(later, CitaChange(start=at(MONDAY, 9),
                                                             document="33334444")),
                 lambda: clerk.change_cita(later, CitaChange(start=at(FRIDAY, 14))),
                 lambda: clerk.cancel_cita(later, CitaCancel())):
        assert refused(call).code == "cita_past"
    assert hub.cita(SYSTEM, later).start == at(FRIDAY, 9)
    assert hub.record_cita_no_shows(SYSTEM) == [later]  # the sweep still finds it


def test_a_kiosk_books_no_more_citas_an_hour_than_the_office_allows(
        hub: OfficeHub, connect: Connect, clock: VirtualClock) -> None:
    """A public screen with nobody logged in: one person must not take every place from it.
    The admin set 2 an hour; the counter has no limit; an hour after the first booking the
    kiosk books again."""
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(cita_kiosk_bookings_per_hour=2))
    kiosk = connect("kiosk", person=False)

    def book(hour: int, document: str) -> object:
        return kiosk.book_cita(CitaInput(service="licencias", start=at(MONDAY, hour),
                                         document=document, name="Vecino de prueba"))

    book(9, "10000001")
    clock.advance(timedelta(minutes=20))
    book(10, "10000002")
    clock.advance(timedelta(minutes=25))  # 45 minutes after the first: 15 to go
    limited = refused(lambda: book(11, "10000003"))
    assert limited.code == "kiosk_bookings_limit"
    assert limited.message == (
        "Este kiosco ya reservó 2 citas en la última hora. Para reservar otra, pida ayuda en "
        "una ventanilla o vuelva a intentarlo en 15 minutos.")
    assert {s.time: s.free for s in kiosk.cita_slots("licencias", MONDAY).slots}["11:30"] == 1
    counter = hub.book_cita(SYSTEM, CitaInput(service="licencias", start=at(MONDAY, 11),
                                              document="10000003", name="Vecino de prueba"))
    assert counter.channel == "ventanilla"
    clock.advance(timedelta(minutes=15))  # the first booking is an hour old: one more may go
    book(12, "10000004")
    assert refused(lambda: book(13, "10000005")).code == "kiosk_bookings_limit"
