"""Cancelling and moving a cita on central's public page (decision record 48), through a real
HTTP server on loopback against SQLite and a real PostgreSQL: the code and the DNI it was
booked with (a wrong one of either gets one answer, and counts in the page's limit); the
office applies the request on its next pull, whole; central holds the place until the office
answers; a citizen who checked in at the office while the link was cut keeps the cita, and
the place is counted once on both sides."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest
import requests
from PIL import Image
from sqlalchemy import select, text

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.citas import HOLDS_PLACE
from kiosk.services.cita_views import (
    CheckInInput,
    CitaCancel,
    CitaDelegationInput,
    CitaInput,
    CitaPlanInput,
)
from kiosk.services.sync_status import read_state
from kiosk.storage.tables import Event
from sync.central import citas as central_citas
from sync.central.app import central_server
from sync.central.page_preview import chromium, run_chromium
from sync.central.schema import offices
from sync.central.server import CentralServer
from sync.hub_sync import FeedApplier, HubSync
from tests.conftest import RunningHub, start_uvicorn, stop_server
from tests.sync import test_public_citas as booking_page
from tests.sync.conftest import central_at, connect_sync
from tests.sync.test_citas_delegated import closed_port
from tests.system import require_system

MONDAY = booking_page.MONDAY
MINE = "/citas/mi-cita"



class Delegating(Protocol):
    def __call__(self, contact: str = "") -> tuple[OfficeHub, HubSync, str]: ...


# The booking page's: central with a generous public limit, Monday's hours.
web, at = booking_page.web, booking_page.at


def token_of(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found is not None, page
    return html.unescape(found.group(1))


def hours_of(page: str) -> list[datetime]:
    return [datetime.fromisoformat(html.unescape(v))
            for v in re.findall(r'name="hora" value="([^"]+)"', page)]


def offered(url: str) -> list[datetime]:
    """The hours the booking form offers now."""
    page = requests.get(f"{url}/citas", params={"oficina": "CAJ", "servicio": "licencias"},
                        timeout=20)
    assert page.status_code == 200, page.text
    return hours_of(page.text)


def book_on_page(url: str, start: datetime, document: str = "11112222", **extra: str) -> str:
    browser = requests.Session()
    form = browser.get(f"{url}/citas", params={"oficina": "CAJ", "servicio": "licencias"},
                       timeout=20)
    done = browser.post(f"{url}/citas", timeout=20, data={
        "token": token_of(form.text), "oficina": "CAJ", "servicio": "licencias",
        "hora": start.isoformat(), "dni": document, "nombre": "Rosa Quispe Mamani", **extra})
    assert done.status_code == 201, done.text
    code = re.search(r'data-code="(C-[A-Z0-9]{6})"', done.text)
    assert code is not None
    return code.group(1)


class Citizen:
    """A browser on `/citas/mi-cita`: the form's token comes with its cookie."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.browser = requests.Session()
        self.token = token_of(self.browser.get(f"{url}{MINE}", timeout=20).text)

    def post(self, code: str, document: str, action: str = "ver", **extra: str
             ) -> requests.Response:
        return self.browser.post(f"{self.url}{MINE}", timeout=20, data={
            "token": self.token, "codigo": code, "dni": document, "accion": action, **extra})


@pytest.fixture
def delegating(central: CentralServer, web: RunningHub, make_office: Callable[..., OfficeHub]
               ) -> Delegating:
    """CAJ delegated 1 place of each Monday slot of licencias (2 places a slot), synced,
    and a citizen booked 09:30 on the page: (office, sync, code), the office has it."""

    def make(contact: str = "") -> tuple[OfficeHub, HubSync, str]:
        office = make_office()
        _, token = central.add_office("CAJ", "CAC Cajamarca")
        office.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60,
                                                                walkin_percent=0))
        office.delegate_citas(SYSTEM, "licencias", CitaDelegationInput(day=MONDAY, places=1))
        sync = connect_sync(office, web.url, token)
        assert sync.run_round().ok
        extra = {"contacto": contact, "autoriza": "si"} if contact else {}
        code = book_on_page(web.url, at(9), **extra)
        assert sync.run_round().ok
        assert office.cita(SYSTEM, code).channel == "central"
        return office, sync, code

    return make


def error_of(page: str) -> str:
    found = re.search(r'<p id="error" class="error" role="alert">([^<]*)</p>', page)
    assert found is not None, page
    return html.unescape(found.group(1))


def central_taken(central: CentralServer, start: datetime) -> int:
    with central.engine.connect() as connection:
        office_id = connection.scalar(select(offices.c.id))
        assert office_id is not None
        return sum(n for (_, when), n in central_citas.taken(connection, office_id).items()
                   if when == start)


def office_holding(office: OfficeHub) -> Counter[str]:
    return Counter(c.time for c in office.citas_of_day(SYSTEM, MONDAY)
                   if c.status in HOLDS_PLACE)


def cita_events(office: OfficeHub, code: str) -> list[tuple[str, dict[str, object]]]:
    with office.store.read_session() as session:
        return [(e.kind, e.data) for e in session.scalars(
            select(Event).where(Event.stream == "cita").order_by(Event.seq))
            if e.data.get("code") == code]


def test_a_citizen_cancels_with_code_and_dni_and_the_office_applies_it(
        central: CentralServer, web: RunningHub, delegating: Delegating,
        clock: VirtualClock) -> None:
    office, sync, code = delegating("976543210")
    clock.advance(timedelta(days=2))  # Sunday: the reminder waits in the outbox
    assert office.enqueue_cita_reminders() == 1
    assert office.notice_overview(SYSTEM).pending == 1
    citizen = Citizen(web.url)

    # A wrong DNI and a wrong code get the same answer; a DNI that is not one is told so.
    wrong_dni = citizen.post(code, "33334444")
    wrong_code = citizen.post("C-AAAAAA" if code != "C-AAAAAA" else "C-BBBBBB", "11112222")
    assert wrong_dni.status_code == wrong_code.status_code == 404
    assert error_of(wrong_dni.text) == error_of(wrong_code.text)
    assert "kiosco de la oficina" in error_of(wrong_dni.text)
    assert "Rosa" not in wrong_dni.text and "09:30" not in wrong_dni.text
    not_a_dni = citizen.post(code, "1111222X")
    assert not_a_dni.status_code == 400 and "DNI" in error_of(not_a_dni.text)
    forged = requests.post(f"{web.url}{MINE}", timeout=20, data={
        "token": citizen.token, "codigo": code, "dni": "11112222", "accion": "cancelar"})
    assert forged.status_code == 403  # another site: no cookie

    seen = citizen.post(code.lower().replace("-", " "), "11112222")
    assert seen.status_code == 200 and "23/11/2026 09:30" in seen.text
    assert "Cancelar mi cita" in seen.text and "Rosa" not in seen.text
    assert at(9) not in hours_of(seen.text) and at(10) in hours_of(seen.text)

    done = citizen.post(code, "11112222", "cancelar")
    assert done.status_code == 200 and "Su cita fue cancelada" in done.text
    assert "Cancelar mi cita" not in done.text
    # Until the office answers, central holds the place: a check-in there would keep it.
    assert at(9) not in offered(web.url) and central_taken(central, at(9)) == 1
    again = citizen.post(code, "11112222", "cancelar")
    assert again.status_code == 409

    assert sync.run_round().ok  # the office pulls the cancellation
    assert office.cita(SYSTEM, code).status == "cancelada"
    assert office.notice_overview(SYSTEM).pending == 0
    kind, data = cita_events(office, code)[-1]
    assert kind == "cancelled" and data["by"] == "página pública de la central"
    assert at(9) not in offered(web.url)
    assert sync.run_round().ok  # its event reaches central: the place is free again
    assert at(9) in offered(web.url) and central_taken(central, at(9)) == 0
    state = citizen.post(code, "11112222")
    assert "Cancelada." in state.text and "Cancelar mi cita" not in state.text

    other = book_on_page(web.url, at(9), "55556666")
    assert sync.run_round().ok
    assert office.cita(SYSTEM, other).status == "reservada"
    assert office_holding(office)["09:30"] == 1


def test_checked_in_while_the_link_was_cut_the_cita_is_kept_on_both_sides(
        central: CentralServer, web: RunningHub, delegating: Delegating,
        clock: VirtualClock) -> None:
    office, sync, code = delegating()
    cut = connect_sync(office, f"http://127.0.0.1:{closed_port()}", "x", timeout_s=2)
    clock.set(at(9, 25))  # Monday: the citizen checks in at the kiosk, the link is down
    assert not cut.run_round().ok
    arrival = office.check_in_cita(SYSTEM, CheckInInput(query=code))
    assert arrival.on_time

    citizen = Citizen(web.url)
    done = citizen.post(code, "11112222", "cancelar")  # central has not seen the check-in
    assert done.status_code == 200 and "Su cita fue cancelada" in done.text

    assert sync.run_round().ok  # pushes the check-in, pulls the cancellation: refused
    assert office.cita(SYSTEM, code).status == "llego"
    kind, data = cita_events(office, code)[-1]
    assert kind == "central_refused" and data["asked"] == "cancel"
    assert sync.run_round().ok  # the refusal reaches central

    state = citizen.post(code, "11112222")
    assert "registró su llegada" in state.text and "Cancelar mi cita" not in state.text
    assert central_taken(central, at(9)) == 1 and at(9) not in offered(web.url)
    assert office_holding(office)["09:30"] == 1
    assert office.cita(SYSTEM, code).status == "llego"

    # Seen at central now: a cancellation is refused there, nothing more is sent.
    refused = citizen.post(code, "11112222", "cancelar")
    assert refused.status_code == 409 and "registró su llegada" in error_of(refused.text)
    assert sync.run_round().ok
    assert cita_events(office, code)[-1][0] == "central_refused"


def test_a_citizen_moves_the_booking_in_one_step_for_the_office(
        central: CentralServer, web: RunningHub, delegating: Delegating) -> None:
    office, sync, code = delegating()
    citizen = Citizen(web.url)
    full = book_on_page(web.url, at(12), "55556666")  # 12:30 has no place left at central
    seen = citizen.post(code, "11112222")
    assert at(11) in hours_of(seen.text) and at(12) not in hours_of(seen.text)
    taken = citizen.post(code, "11112222", "mover", hora=at(12).isoformat())
    assert taken.status_code == 409 and "no dejó más cupos" in error_of(taken.text)
    assert full

    moved = citizen.post(code, "11112222", "mover", hora=at(11).isoformat())
    assert moved.status_code == 200 and "Su cita cambió de hora" in moved.text
    assert "23/11/2026 11:30" in moved.text and "23/11/2026 09:30" in moved.text
    # The new place is taken now; the old one is held until the office confirms.
    assert at(11) not in offered(web.url) and at(9) not in offered(web.url)

    assert sync.run_round().ok  # the office moves its copy: one booking, never two or none
    mine = [c for c in office.citas_of_day(SYSTEM, MONDAY) if c.code == code]
    assert [(c.time, c.status, c.channel) for c in mine] == [("11:30", "reservada",
                                                               "central")]
    kind, data = cita_events(office, code)[-1]
    assert kind == "changed" and data["by"] == "página pública de la central"
    assert sync.run_round().ok
    assert at(9) in offered(web.url) and at(11) not in offered(web.url)
    assert central_taken(central, at(11)) == 1 and central_taken(central, at(9)) == 0
    state = citizen.post(code, "11112222")
    assert "23/11/2026 11:30" in state.text and "Hora anterior" not in state.text


def test_a_move_refused_by_a_check_in_keeps_the_original_and_frees_the_new_place(
        central: CentralServer, web: RunningHub, delegating: Delegating,
        clock: VirtualClock) -> None:
    office, sync, code = delegating()
    clock.set(at(9, 25))
    office.check_in_cita(SYSTEM, CheckInInput(query=code))  # the link is down meanwhile
    citizen = Citizen(web.url)
    moved = citizen.post(code, "11112222", "mover", hora=at(11).isoformat())
    assert moved.status_code == 200
    assert central_taken(central, at(11)) == 1 and central_taken(central, at(9)) == 1

    assert sync.run_round().ok and sync.run_round().ok
    mine = [c for c in office.citas_of_day(SYSTEM, MONDAY) if c.code == code]
    assert [(c.time, c.status) for c in mine] == [("09:30", "llego")]
    assert central_taken(central, at(11)) == 0 and central_taken(central, at(9)) == 1
    assert at(11) in offered(web.url)
    state = citizen.post(code, "11112222")
    assert "23/11/2026 09:30" in state.text and "registró su llegada" in state.text
    assert office_holding(office) == {"09:30": 1}


def test_an_office_booking_not_pushed_yet_is_not_found_and_every_try_counts(
        central: CentralServer, delegating: Delegating, clock: VirtualClock) -> None:
    office, _, _ = delegating()
    here = office.book_cita(SYSTEM, CitaInput(service="licencias", start=at(10),
                                              document="77778888", name="Vecino de aquí"))
    clock.advance(timedelta(minutes=3))  # the booking's requests are out of the window
    running = start_uvicorn(central_server(central, lifespan="off", public_rate=4,
                                           timeout_graceful_shutdown=2))
    try:
        citizen = Citizen(running.url)  # 1
        unknown = citizen.post(here.code, "77778888")  # 2: central has not learned it yet
        assert unknown.status_code == 404 and "kiosco de la oficina" in error_of(unknown.text)
        assert citizen.post(here.code, "77778880").status_code == 404  # 3
        assert citizen.post(here.code, "77778881").status_code == 404  # 4
        assert citizen.post(here.code, "77778888").status_code == 429  # 5: refused
    finally:
        stop_server(running)
    assert office.cita(SYSTEM, here.code).status == "reservada"


def test_the_office_applies_a_request_once_and_notes_one_for_a_cita_it_lacks(
        make_office: Callable[..., OfficeHub]) -> None:
    office = make_office()
    office.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=0))
    office.delegate_citas(SYSTEM, "licencias", CitaDelegationInput(day=MONDAY, places=1))
    feed = FeedApplier(office)
    booked = {"id": "b" * 32, "code": "C-7K3M9P", "service": "licencias",
              "start": at(9).isoformat(), "document": "11112222", "name": "Rosa Quispe",
              "contact": None, "consent": False, "at": at(8).isoformat()}
    moved = {"request": "r1", "id": booked["id"], "code": booked["code"],
             "start": at(11).isoformat(), "before": at(9).isoformat(),
             "by": "página pública de la central", "at": at(8).isoformat()}
    lacking = {"request": "r2", "id": "z" * 32, "code": "C-9P9P9P",
               "by": "página pública de la central", "at": at(8).isoformat()}
    page = [{"c": 1, "t": "citas", "o": "cita_booked", "p": booked},
            {"c": 2, "t": "citas", "o": "cita_moved", "p": moved},
            {"c": 3, "t": "citas", "o": "cita_cancelled", "p": lacking}]
    assert feed.apply(page) == 3
    assert feed.apply(page) == 3  # the same page pulled again: nothing twice
    mine = office.citas_of_day(SYSTEM, MONDAY)
    assert [(c.code, c.time, c.channel) for c in mine] == [("C-7K3M9P", "11:30", "central")]
    assert [k for k, _ in cita_events(office, "C-7K3M9P")] == ["booked", "changed"]
    with office.store.read_session() as session:
        attention = read_state(session)["pull_attention"]["items"]
    assert [a["reference"] for a in attention] == ["C-9P9P9P"]
    assert "no tiene" in attention[0]["reason"]


def test_a_cancellation_at_the_office_frees_central_s_place_once_pushed(
        central: CentralServer, web: RunningHub, delegating: Delegating) -> None:
    office, sync, code = delegating()
    office.cancel_cita(SYSTEM, code, CitaCancel())  # by phone, at the counter
    assert at(9) not in offered(web.url)
    assert sync.run_round().ok  # central sees the office's event: the place is sold again
    assert at(9) in offered(web.url)
    other = book_on_page(web.url, at(9), "55556666")
    assert sync.run_round().ok
    assert office_holding(office) == {"09:30": 1}
    assert office.cita(SYSTEM, other).channel == "central"


def test_a_central_of_the_previous_version_keeps_its_bookings_holding_their_place(
        database_url: str, clock: VirtualClock) -> None:
    engine = central_at(database_url, "0012")
    now = clock.now()
    with engine.begin() as connection:
        connection.execute(offices.insert().values(id="A", code="CAJ", name="CAC Cajamarca",
                                                   created_at=now))
        connection.execute(text(
            "INSERT INTO central_citas (id, office_id, code, service_id, start_at, document, "
            "name, booked_by, booked_at) VALUES ('c1', 'A', 'C-7K3M9P', 's1', :start, "
            "'11112222', 'Rosa Quispe', 'página pública', :now)"),
            {"start": at(9).astimezone(UTC).replace(tzinfo=None),
             "now": now.astimezone(UTC).replace(tzinfo=None)})
    engine.dispose()
    server = CentralServer(database_url, clock)  # opening it upgrades it
    try:
        with server.engine.connect() as connection:
            assert central_citas.taken(connection, "A") == {("s1", at(9)): 1}
        assert server.public_cita("C-7K3M9P", "11112222").changeable
    finally:
        server.close()


@pytest.mark.system
def test_a_real_browser_renders_the_page_on_a_phone_screen(web: RunningHub, tmp_path: Path
                                                           ) -> None:
    require_system(chromium() is not None, "Chromium", "apt-get install chromium")
    profile = tmp_path / "chromium"
    dom = run_chromium(f"{web.url}{MINE}", profile, "--dump-dom", check=False)
    assert dom.returncode == 0 and 'name="codigo"' in dom.stdout and 'name="dni"' in dom.stdout
    shot = tmp_path / "mi-cita.png"
    rendered = run_chromium(f"{web.url}{MINE}", profile, f"--screenshot={shot}",
                            "--window-size=390,844", "--hide-scrollbars", check=False)
    assert rendered.returncode == 0
    with Image.open(shot) as image:
        assert image.size == (390, 844)
        assert image.convert("RGB").getpixel((10, 10)) == (0x14, 0x36, 0x5F)
