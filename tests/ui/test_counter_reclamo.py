"""A clerk files a citizen's reclamo at the counter (Ctrl+K): the form says what is not a
reclamo, the hub numbers it, the counter's printer prints the hoja (its bytes read back), and
the form is empty for the next citizen; a refusal keeps what was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.reclamo_views import ReclamoDraft, ReclamoDraftInput
from kiosk.storage.tables import Reclamo
from kiosk.storage.tables import ReclamoDraft as DraftRow
from tests.printing.escpos_decoder import decode
from tests.ui.counter_support import printed_backend, type_text
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_clerk_files_a_reclamo_and_prints_the_hoja(
        qtbot: QtBot, logged_in: CounterWindow, counter_printer: HubCounterPrinter,
        hub: OfficeHub) -> None:
    window = logged_in
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    form = window.area.reclamo_form
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is form, timeout=5_000)
    assert "Denuncia por actos de corrupción" in form.elsewhere.text()
    form.category.setCurrentIndex(form.category.findData("trato_profesional"))
    type_text(qtbot, form.doc_number, "41234567")
    type_text(qtbot, form.full_name, "José Ñique Chávez")
    type_text(qtbot, form.address, "Jr. Lima 123")
    type_text(qtbot, form.description, "No me quisieron dar información.")
    qtbot.keyClick(form.description, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: form.filed is not None, timeout=10_000)
    assert form.filed is not None and form.filed.number == "CAJ-LR-2026-000001"
    assert "7 de enero de 2027" in form.notice.text()
    assert "Se imprimió la hoja de reclamación." in form.notice.text()
    assert form.full_name.text() == "" and form.description.toPlainText() == ""
    printed = " ".join(decode(printed_backend(counter_printer).sent[-1]).text.split())
    assert "CAJ-LR-2026-000001" in printed and "José Ñique Chávez" in printed
    assert "La respuesta se enviará al domicilio Jr. Lima 123." in printed
    with hub.store.read_session() as session:
        row = session.execute(select(Reclamo.channel, Reclamo.category,
                                     Reclamo.created_by)).one()
    assert row.channel == "ventanilla" and row.category == "trato_profesional"
    assert row.created_by is not None  # the clerk who filed it


def test_a_refusal_keeps_what_was_typed(qtbot: QtBot, logged_in: CounterWindow,
                                        hub: OfficeHub) -> None:
    window = logged_in
    window.open_reclamo()
    form = window.area.reclamo_form
    type_text(qtbot, form.doc_number, "4123")  # a DNI has 8 digits
    type_text(qtbot, form.full_name, "Rosa Quispe")
    type_text(qtbot, form.email, "rosa@example.pe")
    type_text(qtbot, form.description, "Esperé dos horas.")
    form.confirm.click()
    qtbot.waitUntil(lambda: "DNI" in form.notice.text(), timeout=10_000)
    assert form.full_name.text() == "Rosa Quispe" and form.confirm.isEnabled()
    with hub.store.read_session() as session:
        assert session.scalars(select(Reclamo.id)).all() == []


def test_the_clerk_brings_what_the_citizen_typed_at_the_kiosk(
        qtbot: QtBot, logged_in: CounterWindow, counter_printer: HubCounterPrinter,
        hub: OfficeHub) -> None:
    """The citizen asked for help half-way at the kiosk: their ticket brings the text, the
    clerk completes it with them, and filing ends the kiosk's draft (issue 17)."""
    window = logged_in
    device = hub.authenticate(hub.add_device(SYSTEM, "quiosco del pasillo", "kiosk")[1])
    ticket = hub.issue_ticket(device, "orientacion")
    hub.save_reclamo_draft(device, ReclamoDraftInput(ticket_id=ticket.id, draft=ReclamoDraft(
        category="acceso", doc_number="41234567", full_name="Juana Mamani",
        description="No hay rampa.")))
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    form = window.area.reclamo_form
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is form, timeout=5_000)
    type_text(qtbot, form.from_ticket, ticket.number.lower())
    qtbot.mouseClick(form.bring, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.full_name.text() == "Juana Mamani", timeout=10_000)
    assert (form.category.currentData(), form.doc_number.text(),
            form.description.toPlainText()) == ("acceso", "41234567", "No hay rampa.")
    assert f"turno {ticket.number}" in form.notice.text()
    type_text(qtbot, form.address, "Jr. Lima 123")  # completed with the citizen
    qtbot.keyClick(form.description, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: form.filed is not None, timeout=10_000)
    with hub.store.read_session() as session:
        assert session.scalars(select(DraftRow)).all() == []
        assert session.scalar(select(Reclamo.address)) == "Jr. Lima 123"
    type_text(qtbot, form.from_ticket, ticket.number)
    qtbot.mouseClick(form.bring, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.notice.kind == "error", timeout=10_000)
    assert "no trae un reclamo empezado" in form.notice.text()
