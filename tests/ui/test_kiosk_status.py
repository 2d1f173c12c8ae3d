"""Kiosk "Consultar": a citizen types the number on their cargo and sees the public status."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.clock import Clock, VirtualClock
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    BusinessInput,
    ExpedienteInput,
    ExpedienteView,
    FuncionamientoDetails,
    LoginInput,
    PartidaDetails,
    PersonInput,
)
from tests.conftest import CLERK, LIMA, START, RunningHub, start_server, stop_server
from tests.ui.test_kiosk import FakePrinter
from ui.kiosk.status_page import status_word
from ui.kiosk.window import KioskWindow

APPLICANT = PersonInput(doc_number="45678912", given_names="Rosa Elena",
                        paternal_surname="Chuquimango", maternal_surname="Tafur")


def file_partida(hub: OfficeHub, clerk: DeviceIdentity) -> ExpedienteView:
    """A birth-certificate copy request filed without its DNI shown: observed at once."""
    return hub.file_expediente(clerk, ExpedienteInput(
        procedure="RC-01", person=APPLICANT, requirements_presented=[1, 5],
        details=PartidaDetails(search_note="Nacida en Cajamarca en 1961")))


@pytest.fixture
def filed(hub: OfficeHub, clerk: DeviceIdentity) -> ExpedienteView:
    return file_partida(hub, clerk)


def open_kiosk(qtbot: QtBot, client: HttpHubClient, pc_clock: Clock | None = None
               ) -> KioskWindow:
    kiosk = KioskWindow(client, FakePrinter(), clock=pc_clock)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.start, timeout=10_000)
    return kiosk


@pytest.fixture
def kiosk_client(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    client = HttpHubClient(server.url, tokens["kiosk"], timeout=5)
    yield client
    client.close()


@pytest.fixture
def window(qtbot: QtBot, kiosk_client: HttpHubClient) -> KioskWindow:
    return open_kiosk(qtbot, kiosk_client)


def type_number(qtbot: QtBot, window: KioskWindow, digits: str) -> None:
    window.start.consult.click()
    assert window.stack.currentWidget() is window.status_page
    for key in digits:
        window.status_page.keys[key].click()


def test_the_citizen_types_the_number_and_sees_the_state_without_names(
        qtbot: QtBot, window: KioskWindow, filed: ExpedienteView, clock: VirtualClock) -> None:
    seq = int(filed.number.rsplit("-", 1)[1])
    type_number(qtbot, window, f"00{seq}")  # leading zeros are not needed, nor kept
    page = window.status_page
    assert page.number == filed.number
    page.search.click()
    qtbot.waitUntil(lambda: page.found is not None, timeout=10_000)
    shown = page.result.text()
    assert status_word("observado") in shown and filed.procedure_name in shown
    assert filed.observation_due is not None
    assert filed.observation_due.strftime("%d/%m/%Y") in shown
    for private in ("Chuquimango", "Rosa", "45678912", filed.tracking_code):
        assert private not in shown


def test_an_unknown_number_gets_a_kind_message_and_the_keypad_stays(
        qtbot: QtBot, window: KioskWindow, filed: ExpedienteView) -> None:
    type_number(qtbot, window, "999")
    page = window.status_page
    page.search.click()
    qtbot.waitUntil(lambda: page.problem is not None, timeout=10_000)
    assert "No encontramos el expediente" in page.problem and page.number in page.problem
    assert window.stack.currentWidget() is page
    page.erase.click()
    assert page.digits == "99" and page.problem is None


def test_going_home_forgets_the_number_for_the_next_person(
        qtbot: QtBot, window: KioskWindow, filed: ExpedienteView) -> None:
    type_number(qtbot, window, filed.number.rsplit("-", 1)[1].lstrip("0"))
    window.status_page.search.click()
    qtbot.waitUntil(lambda: window.status_page.found is not None, timeout=10_000)
    window.reset()  # what 30 s without a touch does
    page = window.status_page
    assert (page.digits, page.found, page.result.text()) == ("", None, "")


def test_the_previous_year_can_be_chosen_and_search_waits_for_digits(
        window: KioskWindow, hub: OfficeHub) -> None:
    window.start.consult.click()
    page = window.status_page
    assert not page.search.isEnabled()
    page.keys["7"].click()
    page.year_buttons[1].click()
    assert page.number == f"{hub.office.office_code}-{page.year - 1}-000007"


def test_silencio_positivo_is_announced(qtbot: QtBot, window: KioskWindow, hub: OfficeHub,
                                        clerk: DeviceIdentity, clock: VirtualClock) -> None:
    procedure = hub.procedure(clerk, "LF-01")  # riesgo bajo: 2 working days, silencio positivo
    licence = hub.file_expediente(clerk, ExpedienteInput(
        procedure="LF-01", person=APPLICANT,
        business=BusinessInput(ruc="20512333797", name="Bodega Rosita S.A.C."),
        requirements_presented=[r.number for r in procedure.requirements if r.mandatory],
        details=FuncionamientoDetails(establishment_address="Jr. Amalia Puga 512",
                                      activity="Bodega", area_m2=Decimal("35"), risk="bajo")))
    # Filed Friday 20 Nov: due Tuesday 24 Nov (by hand). On Wednesday the silence has run.
    assert licence.due_date == date(2026, 11, 24) and not licence.silencio_positivo
    clock.advance(timedelta(days=5))
    seq = int(licence.number.rsplit("-", 1)[1])
    type_number(qtbot, window, str(seq))
    window.status_page.search.click()
    qtbot.waitUntil(lambda: window.status_page.found is not None, timeout=10_000)
    assert window.status_page.found.silencio_positivo
    assert "silencio positivo" in window.status_page.result.text()


def test_the_year_is_the_hubs_office_year_not_this_pcs(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock,
        kiosk_client: HttpHubClient) -> None:
    """Early January at the office; this kiosk PC's clock was left in November of last year."""
    clock.set(datetime(2027, 1, 2, 10, 0, tzinfo=LIMA))
    device = hub.authenticate(tokens["counter"])
    session = hub.login(device, LoginInput(username=CLERK[0], secret=CLERK[1], counter=3))
    filed = file_partida(hub, hub.authenticate(tokens["counter"], session.token))
    _, year, seq = filed.number.split("-")
    assert year == "2027"  # the hub numbers by its own office date

    window = open_kiosk(qtbot, kiosk_client, pc_clock=VirtualClock(START))
    assert window.office_date() == date(2027, 1, 2)
    type_number(qtbot, window, str(int(seq)))  # the year buttons are not touched
    page = window.status_page
    assert page.number == filed.number
    assert [page.year_buttons[offset].text() for offset in (0, 1)] == ["2027", "2026"]
    page.search.click()
    qtbot.waitUntil(lambda: page.found is not None, timeout=10_000)
    assert status_word("observado") in page.result.text()


def test_consulting_while_the_hub_is_down_is_calm_and_works_once_it_is_back(
        qtbot: QtBot, window: KioskWindow, filed: ExpedienteView, hub: OfficeHub,
        server: RunningHub, caplog: pytest.LogCaptureFixture) -> None:
    page = window.status_page
    seq = str(int(filed.number.rsplit("-", 1)[1]))
    stop_server(server)
    with caplog.at_level(logging.DEBUG):
        type_number(qtbot, window, seq)
        page.search.click()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.waiting, timeout=10_000)
    assert window.waiting.title.text() == "Un momento…"
    assert window.last_error is not None and window.last_error.code == "hub_unavailable"
    assert page.found is None
    # Expected while the hub restarts: nothing logged as an error, no traceback.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]

    restarted = start_server(hub, urlparse(server.url).port or 0)  # same hub, same address
    try:
        window._retry.timeout.emit()  # the retry timer, without waiting its 3 s
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=10_000)
        type_number(qtbot, window, seq)
        page.search.click()
        qtbot.waitUntil(lambda: page.found is not None, timeout=10_000)
        assert page.found is not None and page.found.number == filed.number
    finally:
        window.close()
        stop_server(restarted)
