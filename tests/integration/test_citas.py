"""Citas through the hub's API (in process and over HTTP on loopback), on a virtual clock: the
admin's setting, slots, booking at the counter and at the kiosk, change and cancellation, the
check-in, the calling order (preferential, then a cita within its window, then the regular
queue; late arrivals in the regular queue), no-shows and the supervisor's figures.

Licencias is served by ventanillas 3 and 4 in the demo office. With 60-minute slots from 08:30
to 16:30 there are 8 slots × 2 counters = 16 places; half kept for walk-ins leaves 8, one per
slot (kiosk/rules/citas.py bookable_places)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import citas
from kiosk.services.cita_views import (
    CheckInInput,
    CitaCancel,
    CitaChange,
    CitaInput,
    CitaPlanInput,
)
from tests.conftest import LIMA, Connect

FRIDAY = date(2026, 11, 20)  # the clock's day (tests/conftest.py START, 08:00)
MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LIMA)


def to(clock: VirtualClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def person(document: str, name: str, start: datetime, contact: str | None = None
           ) -> CitaInput:
    return CitaInput(service="licencias", start=start, document=document, name=name,
                     contact=contact)


def refused(code: str, call: object) -> None:
    with pytest.raises(CacError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code, caught.value.message


def test_a_day_of_citas_through_the_api(hub: OfficeHub, clock: VirtualClock,
                                        connect: Connect) -> None:
    admin, supervisor = connect("admin"), connect("supervisor")
    kiosk = connect("kiosk", person=False)
    clerk = connect("counter", counter=3)

    refused("no_citas", lambda: kiosk.cita_slots("licencias", MONDAY))
    plan = admin.set_cita_plan("licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    assert (plan.takes_citas, plan.counters) == (True, 2)
    assert [p.service for p in kiosk.cita_services() if p.takes_citas] == ["licencias"]

    # Eight slots of one place each, none on Sunday.
    monday = kiosk.cita_slots("licencias", MONDAY)
    assert [(s.time, s.places, s.free) for s in monday.slots] == [
        (f"{h:02d}:30", 1, 1) for h in range(8, 16)]
    sunday = kiosk.cita_slots("licencias", date(2026, 11, 22))
    assert (sunday.slots, sunday.closed) == ([], "Domingo")

    # The kiosk books for another day only; the clerk, for today too.
    refused("invalid_cita_day", lambda: kiosk.book_cita(
        person("11112222", "Rosa Quispe", at(FRIDAY, 9, 30))))
    rosa = clerk.book_cita(person("11112222", "Rosa Quispe", at(FRIDAY, 9, 30), "976543210"))
    assert (rosa.status, rosa.channel, rosa.time) == ("reservada", "ventanilla", "09:30")
    refused("slot_full", lambda: clerk.book_cita(
        person("99990000", "Otra Persona", at(FRIDAY, 9, 30))))
    refused("no_such_slot", lambda: clerk.book_cita(
        person("99990000", "Otra Persona", at(FRIDAY, 9, 0))))
    carlos = clerk.book_cita(person("33334444", "Carlos Mamani", at(FRIDAY, 10, 30)))
    diana = clerk.book_cita(person("55556666", "Diana Torres", at(FRIDAY, 11, 30)))

    # Monday: the kiosk books, changes and cancels with the booking's DNI.
    beto = kiosk.book_cita(person("77778888", "Beto Ramos", at(MONDAY, 9, 30)))
    assert beto.channel == "quiosco"
    refused("cita_document", lambda: kiosk.cancel_cita(beto.code, CitaCancel(
        document="12121212")))
    moved = kiosk.change_cita(beto.code, CitaChange(start=at(MONDAY, 10, 30),
                                                    document="77778888"))
    assert moved.time == "10:30"
    free = {s.time: s.free for s in kiosk.cita_slots("licencias", MONDAY).slots}
    assert (free["09:30"], free["10:30"]) == (1, 0)
    clerk.book_cita(person("10102020", "Eva Soto", at(MONDAY, 9, 30)))
    refused("slot_full", lambda: clerk.book_cita(
        person("30304040", "Fidel Cruz", at(MONDAY, 10, 30))))
    kiosk.cancel_cita(beto.code, CitaCancel(document="77778888"))
    clerk.book_cita(person("30304040", "Fidel Cruz", at(MONDAY, 10, 30)))  # the place freed

    # Friday's queue: a walk-in at 08:00, Rosa checks in by DNI at 09:15.
    clerk.open_counter(3)
    walk_in = hub.issue_ticket(SYSTEM, "licencias")
    to(clock, at(FRIDAY, 9, 15))
    refused("cita_other_day", lambda: kiosk.check_in_cita(CheckInInput(query="10102020")))
    arrival = kiosk.check_in_cita(CheckInInput(query="11112222"))
    assert arrival.on_time and arrival.called_from == at(FRIDAY, 9, 20)
    # The printed ticket's estimate: from the window's opening to the slot's start.
    assert (arrival.ticket.ahead, arrival.ticket.estimated_wait_min) == (0, (5, 15))
    assert arrival.cita.ticket == arrival.ticket.number
    # The kiosk is a public machine: a DNI typed there tells no name nor contact.
    assert (arrival.cita.name, arrival.cita.contact, arrival.cita.document) == (
        "", None, "****2222")
    refused("cita_not_booked", lambda: kiosk.check_in_cita(CheckInInput(query=rosa.code)))
    to(clock, at(FRIDAY, 9, 16))
    preferential = hub.issue_ticket(SYSTEM, "licencias", "gestante")

    def serve_next() -> str | None:
        ticket = clerk.call_next(3)
        if ticket is None:
            return None
        clerk.start(ticket.id)
        clerk.finish(ticket.id)
        return ticket.number

    to(clock, at(FRIDAY, 9, 17))
    assert serve_next() == preferential.number  # Ley 28683: first
    assert serve_next() == walk_in.number  # the cita's window opens at 09:20
    to(clock, at(FRIDAY, 9, 18))
    second = hub.issue_ticket(SYSTEM, "licencias")
    to(clock, at(FRIDAY, 9, 21))
    assert serve_next() == arrival.ticket.number  # before the older regular ticket
    assert serve_next() == second.number

    # Carlos is late: past 10:40 his ticket joins the regular queue behind an earlier one.
    to(clock, at(FRIDAY, 10, 41))
    earlier = hub.issue_ticket(SYSTEM, "licencias")
    to(clock, at(FRIDAY, 10, 45))
    late = kiosk.check_in_cita(CheckInInput(query=carlos.code.lower()))
    assert not late.on_time and late.cita.status == "tarde"
    assert "cola normal" in late.message
    assert serve_next() == earlier.number
    assert serve_next() == late.ticket.number
    assert serve_next() is None

    # Diana never comes: the sweep records her and frees her place.
    to(clock, at(FRIDAY, 11, 41))
    assert hub.record_cita_no_shows(SYSTEM) == [diana.code]
    assert hub.record_cita_no_shows(SYSTEM) == []
    assert clerk.cita(diana.code).status == "no_asistio"

    figures = supervisor.cita_stats(FRIDAY, MONDAY)
    rows = {(r.service, r.day): r for r in figures.rows}
    friday, monday_row = rows[("licencias", FRIDAY)], rows[("licencias", MONDAY)]
    assert (friday.booked, friday.arrived, friday.late, friday.no_show, friday.cancelled,
            friday.pending) == (3, 1, 1, 1, 0, 0)
    assert (monday_row.booked, monday_row.cancelled, monday_row.pending) == (2, 1, 2)
    # The day's list shows who, for the staff only.
    listed = clerk.citas_of_day(FRIDAY)
    assert [(c.name, c.status) for c in listed] == [
        ("Rosa Quispe", "llego"), ("Carlos Mamani", "tarde"), ("Diana Torres", "no_asistio")]


def test_refusals_say_what_is_wrong_in_spanish(hub: OfficeHub, connect: Connect) -> None:
    admin, kiosk = connect("admin"), connect("kiosk", person=False)
    refused("invalid_cita_plan", lambda: admin.set_cita_plan(
        "licencias", CitaPlanInput(slot_minutes=1, walkin_percent=50)))
    refused("unknown_service", lambda: admin.set_cita_plan(
        "nada", CitaPlanInput(slot_minutes=30, walkin_percent=50)))
    admin.set_cita_plan("licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    refused("invalid_dni", lambda: kiosk.book_cita(
        person("123", "Rosa Quispe", at(MONDAY, 9, 30))))
    refused("unknown_cita", lambda: kiosk.check_in_cita(CheckInInput(query="C-AAAAAA")))
    refused("unknown_cita", lambda: kiosk.check_in_cita(CheckInInput(query="11112222")))
    refused("invalid_cita_day", lambda: kiosk.book_cita(
        person("11112222", "Rosa Quispe", at(MONDAY + timedelta(days=70), 9, 30))))


def test_reminders_due_the_day_before_carry_no_personal_data(
        hub: OfficeHub, clock: VirtualClock, connect: Connect) -> None:
    admin, clerk = connect("admin"), connect("counter", counter=3)
    admin.set_cita_plan("licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    clerk.book_cita(person("11112222", "Rosa Quispe", at(MONDAY, 9, 30), "976543210"))
    clerk.book_cita(person("33334444", "Sin Contacto", at(MONDAY, 10, 30)))
    ana = clerk.book_cita(person("55556666", "Ana Paz", at(MONDAY, 11, 30), "ana@example.pe"))
    assert hub.cita_reminders_due() == []  # Friday: Monday's are sent on Sunday
    clock.advance(timedelta(days=2))
    due = hub.cita_reminders_due()
    assert [r.contact for r in due] == ["976543210", "ana@example.pe"]
    assert due[1].cita == ana.code
    assert all("Rosa" not in r.text and "Ana" not in r.text for r in due)
    assert len({r.key for r in due}) == 2


def test_the_hourly_check_of_the_daily_job_records_no_shows(hub: OfficeHub,
                                                            clock: VirtualClock) -> None:
    from kiosk.retention_schedule import RetentionJob

    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    booked = hub.book_cita(SYSTEM, person("11112222", "Rosa Quispe", at(FRIDAY, 9, 30)))
    job = RetentionJob(hub)  # not started: run by hand
    to(clock, at(FRIDAY, 9, 40))  # the tolerance's last minute
    job.run_once()
    assert hub.cita(SYSTEM, booked.code).status == "reservada"
    to(clock, at(FRIDAY, 9, 41))
    job.run_once()  # the same day: the day's work is done, the no-shows are not
    assert hub.cita(SYSTEM, booked.code).status == "no_asistio"
    # She turns up at last: the regular queue.
    late = hub.check_in_cita(SYSTEM, CheckInInput(query="11112222"))
    assert (late.on_time, late.cita.status) == (False, "tarde")


def test_a_central_booking_whose_code_this_office_gave_is_refused_not_dropped(
        hub: OfficeHub) -> None:
    """Central and the office draw codes on their own: a clash is rare, and the citizen holds
    central's code, so the booking must not vanish as «already here»: it is refused (the
    sync lists it for the managers). The same booking brought twice is stored once."""
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    mine = hub.book_cita(SYSTEM, person("10203040", "Rosa Quispe", at(MONDAY, 9, 30)))
    booking = {"id": "3f1c2b7e-0d4a-4c55-9a51-2f6d3b8e9a10", "code": mine.code,
               "service": "licencias", "start": at(MONDAY, 10, 30).isoformat(),
               "document": "40302010", "name": "Vecina de la web",
               "at": at(FRIDAY, 7).isoformat()}
    with pytest.raises(CacError) as caught, hub.unit_of_work() as uow:
        citas.accept_central(uow, booking)
    assert caught.value.code == "cita_code_clash"
    assert caught.value.message == (
        f"La central reservó la cita {mine.code} (Licencias, 23/11/2026 10:30), pero esta "
        "oficina ya tiene otra cita con ese código: no se registró aquí. Búsquela en la "
        "central y llame al ciudadano para darle otra hora.")
    assert [c.code for c in hub.citas_of_day(SYSTEM, MONDAY)] == [mine.code]

    other = {**booking, "code": "C-XKMHWR" if mine.code != "C-XKMHWR" else "C-XKMHWT"}
    for _ in range(2):  # a feed entry brought again is the same booking
        with hub.unit_of_work() as uow:
            citas.accept_central(uow, other)
            uow.commit()
    assert sorted(c.code for c in hub.citas_of_day(SYSTEM, MONDAY)) == sorted(
        [mine.code, other["code"]])
