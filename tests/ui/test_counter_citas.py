"""The counter's Citas page (pytest-qt) on a real hub: a clerk books a cita for a citizen on
the phone, reads back the code, sees the place taken and the day's list, and cancels one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.cita_views import CitaInput, CitaPlanInput
from kiosk.storage.tables import NoticeConsent
from tests.ui.counter_support import logged_in, type_text  # noqa: F401 (fixture)
from ui.counter.window import CounterWindow


def test_a_clerk_books_a_cita_for_a_citizen_on_the_phone_and_cancels_one(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,  # noqa: F811
        tmp_path: Path) -> None:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    window = logged_in
    qtbot.mouseClick(window.area.citas, Qt.MouseButton.LeftButton)  # also Ctrl+T
    page = window.citas
    assert window.area.stack.currentWidget() is page
    # Friday 20 Nov 2026, 08:00 on the hub: the eight slots from 08:30 are free.
    qtbot.waitUntil(lambda: page.slots.count() == 8, timeout=10_000)
    assert page.service.currentText() == "Licencias"
    assert page.selected_day().isoformat() == "2026-11-20"
    assert page.slots.item(1).text() == "09:30 — 1 libre"
    page.slots.setCurrentRow(1)
    type_text(qtbot, page.document, "11112222")
    type_text(qtbot, page.name, "Rosa Quispe Ñahui")
    type_text(qtbot, page.contact, "976543210")
    page.consent.setChecked(True)  # the citizen allows the reminder (decision record 47)
    qtbot.mouseClick(page.book, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.booked.text() != "", timeout=10_000)
    code = page.booked.text().split()[1].rstrip(":")
    booked = hub.cita(SYSTEM, code)
    assert (booked.name, booked.time, booked.contact, booked.channel) == (
        "Rosa Quispe Ñahui", "09:30", "976543210", "ventanilla")
    assert "Dígale al ciudadano el código" in page.booked.text()
    qtbot.waitUntil(lambda: page.slots.count() == 8
                    and page.slots.item(1).text() == "09:30 — completo", timeout=10_000)
    qtbot.waitUntil(lambda: page.listing.rowCount() == 1, timeout=10_000)
    assert page.listing.item(0, 4).text() == "Rosa Quispe Ñahui"
    assert page.document.text() == "" and not page.consent.isChecked()  # the next call
    with hub.store.read_session() as session:  # the reminder's consent, as an expediente's
        consent = session.scalars(select(NoticeConsent)).one()
        assert (consent.subject_kind, consent.mobile) == ("cita", "976543210")
    QApplication.processEvents()
    window.grab().save(str(tmp_path / "counter-citas.png"))

    # The same slot again: the hub's refusal where the clerk looks.
    page.slots.setCurrentRow(0)
    type_text(qtbot, page.document, "123")
    type_text(qtbot, page.name, "Otra Persona")
    qtbot.mouseClick(page.book, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.notice.kind == "error", timeout=10_000)
    assert "8 dígitos" in page.notice.text()

    page.listing.selectRow(0)
    assert page.cancel.isEnabled()
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.slots.count() == 8
                    and page.slots.item(1).text() == "09:30 — 1 libre", timeout=10_000)
    assert hub.cita(SYSTEM, code).status == "cancelada"
    assert "cancelada" in page.notice.text()


def test_a_clerk_moves_a_cita_to_another_free_slot_of_its_service(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,  # noqa: F811
        tmp_path: Path) -> None:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    window = logged_in
    qtbot.mouseClick(window.area.citas, Qt.MouseButton.LeftButton)
    page = window.citas
    qtbot.waitUntil(lambda: page.slots.count() == 8, timeout=10_000)
    page.slots.setCurrentRow(1)
    type_text(qtbot, page.document, "11112222")
    type_text(qtbot, page.name, "Rosa Quispe Ñahui")
    qtbot.mouseClick(page.book, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.listing.rowCount() == 1, timeout=10_000)
    code = page.listing.item(0, 2).text()
    assert not page.move_here.isVisible()

    page.listing.selectRow(0)
    assert page.change.isEnabled()
    qtbot.mouseClick(page.change, Qt.MouseButton.LeftButton)
    assert page.move_here.isVisible() and code in page.move_here.text()
    assert "nueva hora" in page.notice.text()
    qtbot.waitUntil(lambda: page.slots.count() == 8
                    and page.slots.item(1).text() == "09:30 — completo", timeout=10_000)
    page.slots.setCurrentRow(3)  # 11:30
    QApplication.processEvents()
    window.grab().save(str(tmp_path / "counter-cita-change.png"))
    qtbot.mouseClick(page.move_here, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.slots.item(1).text() == "09:30 — 1 libre"
                    and page.slots.item(3).text() == "11:30 — completo", timeout=10_000)
    moved = hub.cita(SYSTEM, code)
    assert (moved.time, moved.status) == ("11:30", "reservada")
    assert "cambiada" in page.notice.text() and "11:30" in page.notice.text()
    assert not page.move_here.isVisible()

    # Another clerk takes 10:30 while this list still shows it free: the hub refuses, and
    # the clerk reads it where they look; the cita stays where it was.
    page.listing.selectRow(0)
    qtbot.mouseClick(page.change, Qt.MouseButton.LeftButton)
    taken = page.slots.item(2).data(Qt.ItemDataRole.UserRole)
    hub.book_cita(SYSTEM, CitaInput(service="licencias", start=taken, document="33334444",
                                    name="Beto Mamani"))
    page.slots.setCurrentRow(2)
    qtbot.mouseClick(page.move_here, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.notice.kind == "error", timeout=10_000)
    assert hub.cita(SYSTEM, code).time == "11:30"
    assert page.move_here.isVisible()  # the clerk may pick another
