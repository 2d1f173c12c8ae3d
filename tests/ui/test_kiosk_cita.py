"""«Tengo cita» at the touch kiosk against a real hub on loopback: the citizen types their DNI
or the booking code, gets the ticket called at the cita's time, and a clear answer when the
hub refuses (no cita today, another day's, already used)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.cita_views import CitaInput, CitaPlanInput
from tests.conftest import LIMA, START, RunningHub
from tests.ui.test_kiosk import FakePrinter
from ui.kiosk.window import KioskWindow


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def window(qtbot: QtBot, server: RunningHub, tokens: dict[str, str], printer: FakePrinter
           ) -> Iterator[KioskWindow]:
    """The kiosk against the hub over HTTP on loopback, as a portrait panel."""
    client = HttpHubClient(server.url, tokens["kiosk"], timeout=5)
    kiosk = KioskWindow(client, printer)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.start, timeout=10_000)
    yield kiosk
    kiosk.close()
    client.close()


def book(hub: OfficeHub, document: str, name: str, hour: int) -> str:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    start = datetime.combine(START.date(), time(hour, 30), tzinfo=LIMA)
    return hub.book_cita(SYSTEM, CitaInput(service="licencias", start=start,
                                           document=document, name=name)).code


def type_keys(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    page = window.cita_page
    for key in text:
        wants_letters = key.isalpha()
        if page.letters != wants_letters:
            qtbot.mouseClick(page.switch, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.keys[key], Qt.MouseButton.LeftButton)


def test_a_citizen_checks_in_with_the_dni_and_gets_the_cita_ticket(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub, printer: FakePrinter,
        tmp_path: Path) -> None:
    book(hub, "11112222", "Rosa Quispe", 9)
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.cita_page
    assert not window.cita_page.check_in.isEnabled()
    type_keys(qtbot, window, "11112222")
    assert window.cita_page.typed.text() == "11112222"
    assert window.cita_page.check_in.isEnabled()
    window.cita_page.grab().save(str(tmp_path / "kiosk-cita.png"))
    qtbot.mouseClick(window.cita_page.check_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window.ticket.number.text() == "L-001"
    assert window.ticket.ahead.text() == ("Su cita es a las 09:30. Le llamaremos con el turno "
                                          "L-001 a partir de las 09:20.")
    assert not window.ticket.wait.isVisible()
    assert printer.tickets == [("L-001", "Licencias")]
    window.grab().save(str(tmp_path / "kiosk-cita-ticket.png"))


def test_the_booking_code_is_typed_with_letters_and_a_refusal_is_said(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub, clock: VirtualClock,
        printer: FakePrinter) -> None:
    code = book(hub, "33334444", "Carlos Mamani", 8)
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    type_keys(qtbot, window, "44445555")  # nobody's DNI
    qtbot.mouseClick(window.cita_page.check_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.cita_page.answer.isVisible(), timeout=10_000)
    assert window.cita_page.answer.text() == "No hay cita para hoy con el DNI 44445555."
    assert window.stack.currentWidget() is window.cita_page
    for _ in range(8):
        qtbot.mouseClick(window.cita_page.erase, Qt.MouseButton.LeftButton)
    clock.advance(datetime.combine(START.date(), time(8, 45), tzinfo=LIMA) - clock.now())
    type_keys(qtbot, window, code.removeprefix("C-"))
    qtbot.mouseClick(window.cita_page.check_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert "cola normal" in window.ticket.ahead.text()  # 15 minutes late: the regular queue
    assert printer.tickets == [("L-001", "Licencias")]
    # «Listo»: the next person finds an empty page.
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    assert window.cita_page.typed.text() == "—" and not window.cita_page.answer.isVisible()


def test_a_citizen_books_a_cita_for_another_day_at_the_kiosk(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub, tmp_path: Path) -> None:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.cita_page.book, Qt.MouseButton.LeftButton)
    page = window.booking
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=10_000)

    def touch(text: str) -> None:
        button = next(b for b in page._buttons if b.text() == text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    touch("Licencias")
    # Friday: tomorrow and Sunday have no slots; Monday is the first day offered.
    qtbot.waitUntil(lambda: page.step.value == "day", timeout=10_000)
    assert [b.text() for b in page._buttons][:2] == ["lunes 23/11", "martes 24/11"]
    touch("lunes 23/11")
    touch("09:30")
    for key in "4567891":
        touch(key)
    assert not page.next.isEnabled()
    touch("2")
    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    for key in "ROSA":
        touch(key)
    touch("␣")
    for key in "QUISPE":
        touch(key)
    window.grab().save(str(tmp_path / "kiosk-reserva-nombre.png"))
    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.booked is not None, timeout=10_000)
    assert page.booked is not None and page.typed.text() == page.booked.code
    stored = hub.cita(SYSTEM, page.booked.code)
    assert (stored.name, stored.document, stored.channel, stored.time, stored.day.isoformat()
            ) == ("ROSA QUISPE", "45678912", "quiosco", "09:30", "2026-11-23")
    assert "lunes 23/11 a las 09:30" in page.answer.text()
    window.grab().save(str(tmp_path / "kiosk-reserva-hecha.png"))
    # «Listo»: back to the start, and nothing of Rosa stays on the page.
    qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.start
    assert page.document == "" and page.name == "" and page.booked is None


def test_a_citizen_cancels_a_cita_with_the_code_and_the_dni(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub, tmp_path: Path) -> None:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    monday = datetime.combine(date(2026, 11, 23), time(9, 30), tzinfo=LIMA)
    code = hub.book_cita(SYSTEM, CitaInput(service="licencias", start=monday,
                                           document="11112222", name="Rosa Quispe")).code
    page = window.cita_page
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    assert page.cancel.isVisible() and not page.cancel.isEnabled()  # a code first
    type_keys(qtbot, window, code.removeprefix("C-"))
    assert page.cancel.isEnabled()
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    assert page.title.text() == (f"Cancelar la cita {code}: escriba el DNI con el que la "
                                 "reservó")
    assert page.confirm_cancel.isVisible() and not page.check_in.isVisible()
    assert not page.confirm_cancel.isEnabled()
    type_keys(qtbot, window, "99998888")  # not the booking's DNI
    window.grab().save(str(tmp_path / "kiosk-cita-cancelar-dni.png"))
    qtbot.mouseClick(page.confirm_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.answer.isVisible(), timeout=10_000)
    assert page.answer.text() == "No hay una cita con ese código y ese DNI. Revise los dos."
    assert hub.cita(SYSTEM, code).status == "reservada"
    for _ in range(8):
        qtbot.mouseClick(page.erase, Qt.MouseButton.LeftButton)
    type_keys(qtbot, window, "11112222")
    qtbot.mouseClick(page.confirm_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.cancel_code is None, timeout=10_000)
    assert page.answer.text() == (f"Su cita {code} del lunes 23/11 a las 09:30 quedó "
                                  "cancelada. Su lugar queda libre para otra persona.")
    assert "Rosa" not in page.answer.text() and page.typed.text() == "—"
    assert hub.cita(SYSTEM, code).status == "cancelada"
    window.grab().save(str(tmp_path / "kiosk-cita-cancelada.png"))
    # The next person finds the page empty.
    qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    assert not page.answer.isVisible() and page.check_in.isVisible()
