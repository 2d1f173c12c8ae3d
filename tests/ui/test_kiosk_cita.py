"""«Tengo cita» at the touch kiosk against a real hub on loopback: the citizen types their DNI
or the booking code, gets the ticket called at the cita's time, and a clear answer when the
hub refuses (no cita today, another day's, already used)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.client.inprocess import InProcessHubClient
from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.cita_views import CitaInput, CitaPlanInput
from tests.conftest import LIMA, START, RunningHub
from tests.ui.test_kiosk import FakePrinter
from ui.kiosk.i18n import LANGUAGES
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
    code = book_monday(hub)
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


def book_monday(hub: OfficeHub) -> str:
    """Rosa's cita on Monday 23/11 at 09:30, booked by phone (her name and mobile stored)."""
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    monday = datetime.combine(date(2026, 11, 23), time(9, 30), tzinfo=LIMA)
    return hub.book_cita(SYSTEM, CitaInput(service="licencias", start=monday,
                                           document="11112222", name="Rosa Quispe",
                                           contact="976543210")).code


def open_change(qtbot: QtBot, window: KioskWindow, code: str) -> None:
    """Tengo cita → the code → «Cambiar la hora de mi cita»: the DNI is asked."""
    page = window.cita_page
    qtbot.mouseClick(window.start.cita, Qt.MouseButton.LeftButton)
    assert page.change.isVisible() and not page.change.isEnabled()  # a code first
    type_keys(qtbot, window, code.removeprefix("C-"))
    assert page.change.isEnabled()
    qtbot.mouseClick(page.change, Qt.MouseButton.LeftButton)


def touch(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    button = next(b for b in window.booking._buttons if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_citizen_changes_the_hour_of_a_cita_with_the_code_and_the_dni(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub, tmp_path: Path) -> None:
    code = book_monday(hub)
    page, hours = window.cita_page, window.booking
    open_change(qtbot, window, code)
    assert page.title.text() == (f"Cambiar la hora de la cita {code}: escriba el DNI con el "
                                 "que la reservó")
    assert page.confirm_change.isVisible() and not page.confirm_change.isEnabled()
    assert not (page.check_in.isVisible() or page.confirm_cancel.isVisible()
                or page.switch.isVisible())  # digits only
    type_keys(qtbot, window, "11112222")
    assert page.confirm_change.isEnabled()
    window.grab().save(str(tmp_path / "kiosk-cita-cambiar-dni.png"))
    qtbot.mouseClick(page.confirm_change, Qt.MouseButton.LeftButton)
    # The «Reservar» page's days, of the cita's own service, from tomorrow.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is hours, timeout=10_000)
    assert hours.step.value == "day" and hours.typed.text() == "Licencias"
    assert [b.text() for b in hours._buttons][:2] == ["lunes 23/11", "martes 24/11"]
    window.grab().save(str(tmp_path / "kiosk-cita-cambiar-dia.png"))
    touch(qtbot, window, "martes 24/11")
    assert hours.typed.text() == "Licencias · martes 24/11"
    window.grab().save(str(tmp_path / "kiosk-cita-cambiar-hora.png"))
    touch(qtbot, window, "11:30")
    assert hours.title.text() == "¿Cambiar su cita a esta hora?"
    assert hours.answer.text() == (f"Su cita {code} del lunes 23/11 a las 09:30 pasa al "
                                   "martes 24/11 a las 11:30.")
    assert hours.next.text() == "Cambiar la hora" and not hours.erase.isVisible()
    window.grab().save(str(tmp_path / "kiosk-cita-cambiar-confirmar.png"))
    # A way back at every step: the hours again, then choose once more.
    qtbot.mouseClick(hours.back, Qt.MouseButton.LeftButton)
    assert hours.step.value == "time"
    touch(qtbot, window, "11:30")
    qtbot.mouseClick(hours.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hours.step.value == "done", timeout=10_000)
    assert hours.title.text() == "Hora cambiada: anote su código"
    assert hours.typed.text() == code
    assert hours.answer.text() == (f"Su cita {code} es ahora el martes 24/11 a las 11:30. Con "
                                   "este código o su DNI registre su llegada ese día.")
    shown = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    assert code in shown and not [text for text in shown if "Rosa" in text or "9765" in text]
    stored = hub.cita(SYSTEM, code)
    assert (stored.day.isoformat(), stored.time, stored.status, stored.name) == (
        "2026-11-24", "11:30", "reservada", "Rosa Quispe")
    window.grab().save(str(tmp_path / "kiosk-cita-cambiada.png"))
    # «Listo»: the start in Spanish, and nothing of Rosa's booking stays.
    qtbot.mouseClick(hours.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.start
    assert (hours.moving, hours.document, page.change_code, page.typed_text) == (
        None, "", None, "")


def test_a_wrong_code_or_dni_is_one_sentence_and_a_taken_hour_shows_the_hours_again(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub, tmp_path: Path) -> None:
    code = book_monday(hub)
    page, hours = window.cita_page, window.booking
    one_sentence = "No hay una cita con ese código y ese DNI. Revise los dos."
    open_change(qtbot, window, "C-AAAAAA")  # nobody's code
    type_keys(qtbot, window, "11112222")
    qtbot.mouseClick(page.confirm_change, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.answer.isVisible(), timeout=10_000)
    assert page.answer.text() == one_sentence
    qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    open_change(qtbot, window, code)
    type_keys(qtbot, window, "99998888")  # not the booking's DNI
    qtbot.mouseClick(page.confirm_change, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.answer.isVisible(), timeout=10_000)
    assert page.answer.text() == one_sentence
    assert window.stack.currentWidget() is page
    window.grab().save(str(tmp_path / "kiosk-cita-cambiar-rechazo.png"))
    for _ in range(8):
        qtbot.mouseClick(page.erase, Qt.MouseButton.LeftButton)
    type_keys(qtbot, window, "11112222")
    qtbot.mouseClick(page.confirm_change, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is hours, timeout=10_000)
    touch(qtbot, window, "martes 24/11")
    touch(qtbot, window, "11:30")
    # Someone takes Tuesday 11:30 at the counter meanwhile.
    tuesday = datetime.combine(date(2026, 11, 24), time(11, 30), tzinfo=LIMA)
    hub.book_cita(SYSTEM, CitaInput(service="licencias", start=tuesday, document="55556666",
                                    name="Diana Torres"))
    qtbot.mouseClick(hours.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hours.problem is not None, timeout=10_000)
    assert hours.step.value == "time" and hours.typed.text() == "Licencias · martes 24/11"
    assert hours.answer.text() == ("Ya no quedan cupos a las 11:30 del 24/11/2026: elija otra "
                                   "hora.")
    offered = [b.text() for b in hours._buttons]
    assert "11:30" not in offered and "10:30" in offered
    assert hub.cita(SYSTEM, code).time == "09:30"  # it stays where it was
    window.grab().save(str(tmp_path / "kiosk-cita-cambiar-ocupada.png"))
    # Back, back: the days, then the code and DNI as typed.
    qtbot.mouseClick(hours.back, Qt.MouseButton.LeftButton)
    assert hours.step.value == "day"
    qtbot.mouseClick(hours.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is page
    assert (page.change_code, page.typed_text) == (code, "11112222")


def test_the_change_goes_back_to_the_start_when_nobody_touches_the_screen(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub) -> None:
    code = book_monday(hub)
    open_change(qtbot, window, code)
    type_keys(qtbot, window, "11112222")
    qtbot.mouseClick(window.cita_page.confirm_change, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.booking, timeout=10_000)
    window.set_language("qu")
    assert window._idle.isActive()
    window._idle.timeout.emit()  # the idle time passed
    assert window.stack.currentWidget() is window.start and window.language == "es"
    assert (window.booking.moving, window.booking.document) == (None, "")
    assert (window.cita_page.change_code, window.cita_page.typed_text) == (None, "")


def test_every_step_of_a_change_fits_the_smallest_screen_in_every_language(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]) -> None:
    """At 1024x768 three Quechua day names in a row («quyllurchaw 25/11») once widened the
    «Reservar» page's day picker past the screen, and the window with it."""
    code = book_monday(hub)
    window = KioskWindow(InProcessHubClient(hub, tokens["kiosk"]), FakePrinter())
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=10_000)
    hours = window.booking

    def fits(where: str) -> None:
        QApplication.processEvents()
        assert (window.width(), window.height()) == (1024, 768), where
        page = window.stack.currentWidget()
        assert page is not None
        for button in page.findChildren(QPushButton):
            if button.isVisible():
                shown = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
                assert window.rect().contains(shown), (where, button.text())

    try:
        for language, hour in zip((lang.code for lang in LANGUAGES),
                                  ("10:30", "11:30", "12:30", "13:30"), strict=True):
            window.set_language(language)
            window.open_cita()
            for key in code.removeprefix("C-"):
                window.cita_page.press(key)
            window.cita_page.start_change()
            for key in "11112222":
                window.cita_page.press(key)
            fits(f"{language} dni")
            window.open_change()
            qtbot.waitUntil(lambda: window.stack.currentWidget() is hours, timeout=10_000)
            fits(f"{language} días")
            tuesday = next(b for b in hours._buttons if b.text().endswith("24/11"))
            qtbot.mouseClick(tuesday, Qt.MouseButton.LeftButton)
            fits(f"{language} horas")
            touch(qtbot, window, hour)
            fits(f"{language} confirmar")
            qtbot.mouseClick(hours.next, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: hours.step.value == "done", timeout=10_000)
            fits(f"{language} hecho")
            assert hub.cita(SYSTEM, code).time == hour
            window.reset()
    finally:
        window.reset()  # the translator is the application's: later tests expect Spanish
        window.close()
