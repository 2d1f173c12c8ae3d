"""Citas on both sides of a cut link (decision record 40): the office delegates places of its
slots to central in advance; with the link down both book as much as they can; after the sync
no slot holds more bookings than it has places, and central's bookings are the office's too.
Runs against SQLite and a real PostgreSQL."""

from __future__ import annotations

import socket
from collections import Counter
from datetime import date, datetime, time

import pytest
import requests

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.citas import HOLDS_PLACE
from kiosk.services.cita_views import (
    CheckInInput,
    CitaChange,
    CitaDelegationInput,
    CitaInput,
    CitaPlanInput,
)
from sync.central.server import CentralServer
from tests.conftest import LIMA, RunningHub
from tests.sync.conftest import connect_sync

MONDAY = date(2026, 11, 23)


def at(hour: int, minute: int = 30) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), tzinfo=LIMA)


def closed_port() -> int:
    """A loopback port nobody listens on: the link is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def book_here(office: OfficeHub, document: str, start: datetime) -> str:
    return office.book_cita(SYSTEM, CitaInput(service="licencias", start=start,
                                              document=document, name="Vecino de aquí")).code


def test_a_cut_link_both_sides_book_and_no_place_is_given_twice(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    # Licencias: ventanillas 3 and 4, hour slots, no walk-in share: 2 places a slot.
    office.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=0))
    given = office.delegate_citas(SYSTEM, "licencias", CitaDelegationInput(day=MONDAY,
                                                                          places=1))
    assert {(s.places, s.free, s.central) for s in given.slots} == {(2, 1, 1)}
    sync = connect_sync(office, central_http.url, token)
    assert sync.run_round().ok  # central learns what it may give

    cut = connect_sync(office, f"http://127.0.0.1:{closed_port()}", token, timeout_s=2)
    assert not cut.run_round().ok
    staff = central.add_staff("Atención al vecino")

    def book_there(document: str, start: datetime) -> str:
        """Central's booking over its API, as its public page does."""
        answer = requests.post(f"{central_http.url}/api/v1/offices/CAJ/citas", timeout=10,
                               headers={"Authorization": f"Bearer {staff}"},
                               json={"service": "licencias", "start": start.isoformat(),
                                     "document": document, "name": "Vecina de la web"})
        if answer.status_code == 409:
            error = answer.json()["error"]
            raise Conflict(error["code"], error["message"])
        assert answer.status_code == 201, answer.text
        return str(answer.json()["code"])

    here = [book_here(office, "11110001", at(9)), book_here(office, "11110002", at(10))]
    there = [book_there("22220001", at(9)), book_there("22220002", at(11))]
    with pytest.raises(Conflict) as full_here:
        book_here(office, "11110003", at(9))
    assert full_here.value.code == "slot_full"
    with pytest.raises(Conflict) as full_there:
        book_there("22220003", at(9))
    assert full_there.value.code == "slot_full"

    report = sync.run_round()  # the link is back
    assert report.ok, report.error
    booked = office.citas_of_day(SYSTEM, MONDAY)
    assert {c.code for c in booked} == set(here + there)
    assert {c.code for c in booked if c.channel == "central"} == set(there)
    per_slot = Counter(c.time for c in booked if c.status in HOLDS_PLACE)
    assert per_slot == {"09:30": 2, "10:30": 1, "11:30": 1}
    places = {s.time: s.places for s in office.cita_slots(SYSTEM, "licencias", MONDAY).slots}
    assert all(per_slot[t] <= places[t] for t in per_slot)
    # Pulled again, nothing arrives twice.
    assert sync.run_round().ok
    assert len(office.citas_of_day(SYSTEM, MONDAY)) == 4

    # The office moves a web booking to 12:30: it takes one of the office's own places there.
    office.change_cita(SYSTEM, there[1], CitaChange(start=at(12)))
    with pytest.raises(Conflict):
        book_here(office, "11110004", at(12))

    # Monday: the citizen who booked on the web checks in at the kiosk with the code.
    clock.set(at(9, 25))
    arrival = office.check_in_cita(SYSTEM, CheckInInput(query=there[0]))
    assert arrival.on_time and arrival.cita.name == "Vecina de la web"
