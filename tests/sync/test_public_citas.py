"""Central's public page for booking a cita (decision record 47), through a real HTTP server
on loopback against SQLite and a real PostgreSQL: only offices that delegated places are
offered, only free delegated places; the form needs its per-form token; a full slot is
refused in plain Spanish; many citizens and the office booking at once never take a place
twice; the page never shows another citizen's data."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest
import requests

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.citas import HOLDS_PLACE
from kiosk.services.cita_views import CitaDelegationInput, CitaInput, CitaPlanInput
from sync.central.app import central_server
from sync.central.server import CentralServer
from sync.hub_sync import HubSync
from tests.conftest import LIMA, RunningHub, start_uvicorn, stop_server
from tests.sync.conftest import connect_sync

MONDAY = date(2026, 11, 23)

Delegating = Callable[[str, int], tuple[OfficeHub, HubSync]]


def at(hour: int, minute: int = 30) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), tzinfo=LIMA)


@pytest.fixture
def web(central: CentralServer) -> Iterator[RunningHub]:
    """Central with a generous public limit (the concurrency test makes many requests)."""
    running = start_uvicorn(central_server(central, lifespan="off", public_rate=500,
                                           timeout_graceful_shutdown=2))
    yield running
    stop_server(running)


@pytest.fixture
def delegating(central: CentralServer, make_office: Callable[..., OfficeHub]
               ) -> Delegating:
    """An office (CAJ) that delegated `places` of each Monday slot of licencias, synced."""

    def make(url: str, places: int) -> tuple[OfficeHub, HubSync]:
        office = make_office()
        _, token = central.add_office("CAJ", "CAC Cajamarca")
        office.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60,
                                                                walkin_percent=0))
        office.delegate_citas(SYSTEM, "licencias", CitaDelegationInput(day=MONDAY,
                                                                       places=places))
        sync = connect_sync(office, url, token)
        assert sync.run_round().ok
        return office, sync

    return make


def form(page: str) -> dict[str, object]:
    """What the booking form offers: its token and the slots' values."""
    token = re.search(r'name="token" value="([^"]+)"', page)
    return {"token": html.unescape(token.group(1)) if token else None,
            "slots": [html.unescape(v) for v in re.findall(r'name="hora" value="([^"]+)"',
                                                           page)]}


def post(browser: requests.Session, url: str, token: str, start: str, document: str,
         name: str, **extra: str) -> requests.Response:
    return browser.post(f"{url}/citas", timeout=20, data={
        "token": token, "oficina": "CAJ", "servicio": "licencias", "hora": start,
        "dni": document, "nombre": name, **extra})


def open_form(url: str) -> tuple[requests.Session, str, list[str]]:
    browser = requests.Session()
    page = browser.get(f"{url}/citas", params={"oficina": "CAJ", "servicio": "licencias"},
                       timeout=20)
    assert page.status_code == 200, page.text
    found = form(page.text)
    assert isinstance(found["token"], str) and isinstance(found["slots"], list)
    return browser, found["token"], found["slots"]


def test_a_citizen_books_step_by_step_and_gets_the_code(
        central: CentralServer, web: RunningHub, delegating: Delegating,
        clock: VirtualClock) -> None:
    nothing = requests.get(f"{web.url}/citas", timeout=20)
    assert nothing.status_code == 200 and "ninguna oficina" in nothing.text
    office, sync = delegating(web.url, 1)

    start = requests.get(f"{web.url}/citas", timeout=20)
    assert 'value="CAJ"' in start.text and "CAC Cajamarca" in start.text
    assert start.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in start.headers["Content-Security-Policy"]
    services = requests.get(f"{web.url}/citas", params={"oficina": "CAJ"}, timeout=20)
    assert 'value="licencias"' in services.text and 'value="caja"' not in services.text

    browser, token, slots = open_form(web.url)
    assert len(slots) == 8 and datetime.fromisoformat(slots[0]) == at(8)  # 08:30 … 15:30
    done = post(browser, web.url, token, slots[1], "11112222", "Rosa Quispe Mamani",
                contacto="976543210", autoriza="si")
    assert done.status_code == 201, done.text
    code = re.search(r'data-code="(C-[A-Z0-9]{6})"', done.text)
    assert code is not None and "23/11/2026 09:30" in done.text

    # The next citizen: that slot is gone from the form, the page shows no one's data.
    other, token2, slots2 = open_form(web.url)
    assert slots[1] not in slots2 and len(slots2) == 7
    again = post(other, web.url, token2, slots[1], "33334444", "Pedro Díaz")
    assert again.status_code == 409 and "no dejó más cupos" in again.text
    for page in (again.text, other.get(f"{web.url}/citas", timeout=20).text):
        assert "Rosa" not in page and "11112222" not in page and code.group(1) not in page

    # The office gets it on its next pull, with the citizen's consent for the reminder.
    assert sync.run_round().ok
    booked = {c.code: c for c in office.citas_of_day(SYSTEM, MONDAY)}
    assert booked[code.group(1)].name == "Rosa Quispe Mamani"
    assert booked[code.group(1)].channel == "central"
    clock.advance(timedelta(days=2))  # Sunday: its reminder joins the outbox
    assert office.enqueue_cita_reminders() == 1


def test_the_form_refuses_without_its_token_and_bad_input_in_spanish(
        web: RunningHub, delegating: Delegating) -> None:
    delegating(web.url, 1)
    browser, token, slots = open_form(web.url)
    forged = requests.post(f"{web.url}/citas", timeout=20, data={
        "token": token, "oficina": "CAJ", "servicio": "licencias", "hora": slots[0],
        "dni": "11112222", "nombre": "Rosa Quispe"})  # another site: no cookie
    assert forged.status_code == 403 and "venció" in forged.text
    wrong = post(browser, web.url, "otro", slots[0], "11112222", "Rosa Quispe")
    assert wrong.status_code == 403
    bad_dni = post(browser, web.url, token, slots[0], "1111222X", "Rosa Quispe")
    assert bad_dni.status_code == 400 and 'class="error"' in bad_dni.text
    assert 'value="Rosa Quispe"' in bad_dni.text  # what was typed is kept
    no_hour = post(browser, web.url, token, "mañana", "11112222", "Rosa Quispe")
    assert no_hour.status_code == 400 and "Elija una hora" in no_hour.text
    bad_contact = post(browser, web.url, token, slots[0], "11112222", "Rosa Quispe",
                       contacto="12345", autoriza="si")
    assert bad_contact.status_code == 400
    crammed = browser.post(f"{web.url}/citas", timeout=20,
                           data=[("token", token)] + [("x", "1")] * 30)
    assert crammed.status_code == 400 and "no es válido" in crammed.text
    not_offered = post(browser, web.url, token, at(8, 45).isoformat(), "11112222",
                       "Rosa Quispe")
    assert not_offered.status_code == 409


def test_the_public_page_is_rate_limited(central: CentralServer) -> None:
    running = start_uvicorn(central_server(central, lifespan="off", public_rate=3,
                                           timeout_graceful_shutdown=2))
    try:
        answers = [requests.get(f"{running.url}/citas", timeout=20).status_code
                   for _ in range(5)]
        assert answers[:3] == [200] * 3 and answers[3:] == [429, 429]
        refused = requests.post(f"{running.url}/citas", timeout=20, data={"token": "x"})
        assert refused.status_code == 429
    finally:
        stop_server(running)


def test_citizens_and_the_office_booking_at_once_never_share_a_place(
        central: CentralServer, web: RunningHub, delegating: Delegating
) -> None:
    office, sync = delegating(web.url, 1)  # each slot: 2 places, 1 central's, 1 the office's
    forms = [open_form(web.url) for _ in range(6)]
    target = forms[0][2][0]  # everyone wants 08:30

    def web_booking(i: int) -> int:
        browser, token, _ = forms[i]
        return post(browser, web.url, token, target, f"2222000{i}", f"Vecina {i} Web"
                    ).status_code

    def office_booking(i: int) -> str:
        try:
            return office.book_cita(SYSTEM, CitaInput(
                service="licencias", start=at(8), document=f"1111000{i}",
                name=f"Vecino {i} Aquí")).code
        except Conflict as refused:
            return refused.code

    with ThreadPoolExecutor(max_workers=9) as pool:  # all at once, interleaved
        at_web = [pool.submit(web_booking, i) for i in range(3)]
        at_office = [pool.submit(office_booking, i) for i in range(3)]
        at_web += [pool.submit(web_booking, i) for i in range(3, 6)]
        web_answers = [f.result() for f in at_web]
        here = [f.result() for f in at_office]
    assert sorted(web_answers) == [201] + [409] * 5
    assert sum(1 for h in here if h.startswith("C-")) == 1
    assert here.count("slot_full") == 2

    assert sync.run_round().ok
    booked = Counter(c.time for c in office.citas_of_day(SYSTEM, MONDAY)
                     if c.status in HOLDS_PLACE)
    assert booked == {"08:30": 2}
