"""A citizen's whole visit at the counter, keyboard first, against the demo office's hub:
ticket → call → start → new partida expediente → payment → receipt → cargo → finish."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.errors import HubUnavailable
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import (
    ExpedienteInput,
    PartidaDetails,
    PaymentInput,
    PersonInput,
)
from tests.printing.escpos_decoder import decode
from tests.ui.counter_support import ScriptedClient, issue, printed_backend, type_text
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def serve_a_ticket(qtbot: QtBot, window: CounterWindow, hub: OfficeHub,
                   service: str = "partidas") -> str:
    number = issue(hub, service)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.state.held_ticket is not None, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: window.state.held_ticket is not None
                    and window.state.held_ticket.status == "serving", timeout=10_000)
    return number


def open_form(qtbot: QtBot, window: CounterWindow, procedure: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.form, timeout=5_000)
    qtbot.waitUntil(lambda: window.form.procedure.count() > 0, timeout=10_000)
    combo = window.form.procedure
    combo.setCurrentIndex(combo.findData(procedure))
    assert window.form.current_procedure() is not None


def type_applicant(qtbot: QtBot, window: CounterWindow, dni: str = "41234567") -> None:
    form = window.form
    qtbot.keyClicks(form.doc_number, dni)
    qtbot.keyClick(form.doc_number, Qt.Key.Key_Return)  # look the DNI up first
    qtbot.waitUntil(lambda: form.person_hint.text() not in ("", "Buscando…"), timeout=10_000)
    assert form.person_hint.text() == "No está registrado: escriba sus nombres y apellidos."
    assert form.given_names.hasFocus()
    type_text(qtbot, form.given_names, "María Elena")
    type_text(qtbot, form.paternal, "Ñahui")
    qtbot.keyClicks(form.maternal, "Quispe")
    qtbot.keyClicks(form.phone, "976123456")


def file_partida(qtbot: QtBot, window: CounterWindow) -> str:
    form = window.form
    open_form(qtbot, window, "RC-01")
    assert form.sections.currentWidget() is form.partida
    assert not form.business.isVisible()
    type_applicant(qtbot, window)
    qtbot.keyClicks(form.partida.query, "Elmer Quispe")
    qtbot.keyClick(form.partida.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.partida.acta is not None, timeout=10_000)
    assert form.partida.acta is not None and form.partida.acta.kind == "nacimiento"
    assert "Acta elegida: Nacimiento" in form.partida.chosen.text()
    form.partida.relation.setCurrentIndex(form.partida.relation.findData("padre_madre"))
    qtbot.mouseClick(form.all_requirements, Qt.MouseButton.LeftButton)
    form.pages.setValue(2)
    qtbot.keyClick(form.note, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    shown = window.expediente.expediente
    assert shown is not None
    return shown.number


def test_ticket_to_receipt_to_finish(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,
    counter_printer: HubCounterPrinter, message_boxes: object
) -> None:
    window = logged_in
    ticket = serve_a_ticket(qtbot, window, hub)
    held = window.state.held_ticket
    assert held is not None
    ticket_id = held.id

    number = file_partida(qtbot, window)
    panel = window.expediente
    assert number == "CAJ-2026-000001"
    assert panel.number.text() == number and panel.status.text() == "Recibido"
    assert "registrado" in panel.notice.text()
    assert window.queue.handled.text() == f"Expedientes de este turno: {number}"
    assert panel.pay.isEnabled() and panel.pay.hasFocus()
    assert panel.facts["balance"][1].text() == "S/ 8.50"
    assert window.form.doc_number.text() == ""  # the form is ready for the next one

    # Cobrar (Ctrl+B): the balance is prefilled, the change follows what is handed over.
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.payment_form,
                    timeout=5_000)
    pay = window.payment_form
    assert pay.amount.text() == "8.50" and pay.cash.hasFocus()
    qtbot.keyClicks(pay.cash, "5")
    assert pay.change.text() == "Faltan S/ 3.50"
    pay.cash.clear()
    qtbot.keyClicks(pay.cash, "10")
    assert pay.change.text() == "S/ 1.50"
    qtbot.keyClick(pay.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is panel, timeout=10_000)
    assert panel.notice.text() == ("Pago registrado: recibo CAJ-R-2026-000001 por S/ 8.50. "
                                   "Vuelto: S/ 1.50. Se imprimió el recibo.")
    assert panel.facts["balance"][1].text() == "S/ 0.00" and not panel.pay.isEnabled()
    assert panel.payments.rowCount() == 1

    backend = printed_backend(counter_printer)
    receipt = decode(backend.sent[-1])
    assert "RECIBO DE PAGO" in receipt.text and "CAJ-R-2026-000001" in receipt.text
    assert number in receipt.text and "Vuelto" in receipt.text
    assert receipt.ends_with_cut
    jobs = hub.print_jobs(SYSTEM)
    assert [(j.kind, j.state) for j in jobs] == [("receipt", "printed")]

    # The cargo de recepción on the thermal printer, then as an A4 PDF.
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: len(backend.sent) == 2, timeout=10_000)
    cargo = decode(backend.sent[-1])
    assert "CARGO DE RECEPCIÓN" in cargo.text and number in cargo.text
    assert "REIMPRESIÓN" not in cargo.text
    qtbot.waitUntil(lambda: panel.notice.text() == "Se imprimió el cargo de recepción.",
                    timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)  # a second copy is marked
    qtbot.waitUntil(lambda: len(backend.sent) == 3, timeout=10_000)
    assert "REIMPRESIÓN" in decode(backend.sent[-1]).text
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)  # the A4 one: the same cargo on other paper
    qtbot.waitUntil(lambda: panel.notice.text().startswith("Cargo A4 guardado en"),
                    timeout=10_000)
    pdf = counter_printer.pdf_folder / f"cargo-{number}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert number in text and "María Elena Ñahui Quispe" in text and "REIMPRESIÓN" not in text

    # Finalizar (F9, Enter = atendido): the ticket lists the expediente.
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.queue.prompt.isVisible(), timeout=5_000)
    qtbot.keyClick(window.queue.prompt.choice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.state.held_ticket is None, timeout=10_000)
    assert window.queue.notice.text() == f"Turno {ticket} finalizado. Expedientes: {number}."
    assert hub.ticket(SYSTEM, ticket_id).status == "finished"
    assert window.last_finished is not None and window.last_finished.expedientes == [number]
    # The citizen has gone: their data leaves the screen.
    assert window.area.stack.currentWidget() is window.area.welcome
    assert not window.queue.handled.isVisible()


def test_the_form_keeps_what_was_typed_when_the_hub_refuses(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    serve_a_ticket(qtbot, window, hub)
    open_form(qtbot, window, "RC-01")
    form = window.form
    qtbot.keyClicks(form.doc_number, "4123")  # not a DNI
    type_text(qtbot, form.given_names, "María Elena")
    type_text(qtbot, form.paternal, "Ñahui")
    type_text(qtbot, form.partida.search_note, "Nacida en 1990 en Baños del Inca")
    qtbot.mouseClick(form.all_requirements, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.notice.isVisible(), timeout=10_000)
    assert form.notice.kind == "error" and "DNI" in form.notice.text()
    assert window.area.stack.currentWidget() is form
    assert (form.doc_number.text(), form.given_names.text(), form.paternal.text()) == \
        ("4123", "María Elena", "Ñahui")
    assert form.partida.search_note.text() == "Nacida en 1990 en Baños del Inca"
    assert form.requirements.checked() == [1, 2, 3, 4, 5]
    assert form.submit.isEnabled()

    # The hub goes away: the same calm words, still nothing lost; then it comes back.
    form.doc_number.setText("41234567")
    client: ScriptedClient = window._client  # type: ignore[assignment]
    client.fail("file_expediente", HubUnavailable("hub_unavailable", "No se pudo contactar."))
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.offline, timeout=10_000)
    assert form.notice.text() == "Sin conexión con el hub, reintentando…"
    assert window.work.offline.text() == "Sin conexión con el hub, reintentando…"
    assert form.given_names.text() == "María Elena"
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    assert not window.offline and not window.work.offline.isVisible()
    expediente = window.expediente.expediente
    assert expediente is not None and expediente.details["search_note"] == \
        "Nacida en 1990 en Baños del Inca"


def test_missing_fields_are_named_before_anything_is_sent(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    open_form(qtbot, window, "RC-01")
    qtbot.mouseClick(window.form.submit, Qt.MouseButton.LeftButton)
    assert window.form.notice.text() == "Escriba el documento del solicitante."
    window.form.doc_number.setText("41234567")
    window.form.given_names.setText("Rosa")
    window.form.paternal.setText("Chávez")
    qtbot.mouseClick(window.form.submit, Qt.MouseButton.LeftButton)
    assert window.form.notice.text() == ("Elija el acta o escriba los datos para que el "
                                         "archivo la busque.")
    assert "file_expediente" not in window._client.calls  # type: ignore[attr-defined]


def test_a_death_record_is_not_asked_for_by_its_titular(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    """The form offers only who may ask: for a death record, not the deceased, and it guesses
    no relative (the clerk asks); for a birth record the titular is offered first."""
    window, form = logged_in, logged_in.form
    open_form(qtbot, window, "RC-03")
    relation = form.partida.relation
    offered = [relation.itemData(i) for i in range(relation.count())]
    assert "titular" not in offered and "conyuge" in offered and "hijo" in offered
    assert relation.currentIndex() == -1
    form.doc_number.setText("41234567")
    form.given_names.setText("Rosa")
    form.paternal.setText("Chávez")
    form.partida.search_note.setText("Falleció en Cajamarca en 2024")
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert form.notice.text() == "Elija el parentesco de quien solicita la copia con el " \
                                 "titular del acta."
    assert "file_expediente" not in window._client.calls  # type: ignore[attr-defined]
    relation.setCurrentIndex(relation.findData("hijo"))
    open_form(qtbot, window, "RC-01")  # a birth record: the titular asks, the choice stays
    offered = [relation.itemData(i) for i in range(relation.count())]
    assert offered[0] == "titular" and relation.currentData() == "hijo"
    form.reset()
    assert relation.currentData() == "titular"


def test_observe_and_correct_an_expediente(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    serve_a_ticket(qtbot, window, hub)
    number = file_partida(qtbot, window)
    panel = window.expediente
    assert panel.action_buttons["observe"].isVisible()
    assert not panel.action_buttons["deliver"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_O, ALT)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.transition_form,
                    timeout=5_000)
    form = window.transition_form
    assert form.note.hasFocus() and "Observar" in form.title.text()
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    assert form.notice.text() == "Escriba el motivo en la nota."
    qtbot.keyClicks(form.note, "Falta la carta poder simple")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is panel, timeout=10_000)
    assert panel.status.text() == "Observado"
    assert panel.facts["observation"][1].isVisible()
    assert panel.events.rowCount() >= 2
    assert hub.expediente(SYSTEM, number).status == "observado"
    kinds = [panel.events.index(r, 1).data() for r in range(panel.events.rowCount())]
    assert any("bserv" in kind for kind in kinds)
    assert panel.action_buttons["correct"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.transition_form,
                    timeout=5_000)
    qtbot.keyClick(form.note, Qt.Key.Key_Return)  # the note is optional here
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is panel, timeout=10_000)
    assert hub.expediente(SYSTEM, number).status != "observado"


def test_esc_leaves_the_payment_untouched(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    serve_a_ticket(qtbot, window, hub)
    number = file_partida(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.payment_form,
                    timeout=5_000)
    qtbot.keyClick(window.payment_form.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=5_000)
    assert hub.expediente(SYSTEM, number).paid == Decimal("0.00")


def test_bank_payment_needs_the_voucher(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    window = logged_in
    serve_a_ticket(qtbot, window, hub)
    number = file_partida(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.payment_form,
                    timeout=5_000)
    pay = window.payment_form
    pay.method.setCurrentIndex(pay.method.findData("banco_nacion"))
    assert pay.voucher.isVisible() and not pay.cash.isVisible()
    qtbot.mouseClick(pay.confirm, Qt.MouseButton.LeftButton)
    assert "voucher" in pay.notice.text()
    qtbot.keyClicks(pay.voucher, "0012345")
    qtbot.mouseClick(pay.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    paid = hub.expediente(SYSTEM, number).payments
    assert [(p.method, p.voucher_number) for p in paid] == [("banco_nacion", "0012345")]
    assert "Voucher N.° 0012345" in decode(printed_backend(counter_printer).sent[-1]).text


def test_licencia_de_funcionamiento_with_a_business(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    serve_a_ticket(qtbot, window, hub, "licencias")
    open_form(qtbot, window, "LF-02")
    form = window.form
    assert form.sections.currentWidget() is form.funcionamiento
    assert form.funcionamiento.risk.text() == "Riesgo medio"
    assert form.business.isVisible() and "obligatorio" in form.business.title()
    type_applicant(qtbot, window, "41234567")
    qtbot.keyClicks(form.ruc, "20123456786")
    qtbot.keyClick(form.ruc, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.business_name.hasFocus(), timeout=10_000)
    type_text(qtbot, form.business_name, "Bodega Doña Rosa S.A.C.")
    qtbot.keyClicks(form.funcionamiento.address, "Jr. Amalia Puga 455")
    qtbot.keyClicks(form.funcionamiento.activity, "Bodega")
    form.funcionamiento.area.setValue(42.5)
    qtbot.mouseClick(form.all_requirements, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    expediente = window.expediente.expediente
    assert expediente is not None
    assert expediente.business is not None and expediente.business.ruc == "20123456786"
    assert expediente.details["risk"] == "medio"
    assert "RUC 20123456786" in window.expediente.applicant.text()


def test_licencia_de_edificacion_names_the_professional(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    open_form(qtbot, window, "LE-B")
    form = window.form
    assert form.sections.currentWidget() is form.edificacion
    assert form.edificacion.modalidad.text() == "Modalidad B"
    type_applicant(qtbot, window)
    for edit, text in ((form.edificacion.address, "Av. Atahualpa 1020"),
                       (form.edificacion.description, "Vivienda de dos pisos"),
                       (form.edificacion.professional, "Arq. Carla Rojas Díaz"),
                       (form.edificacion.registration, "CAP 12345")):
        type_text(qtbot, edit, text)
    qtbot.mouseClick(form.all_requirements, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    expediente = window.expediente.expediente
    assert expediente is not None and expediente.details["modalidad"] == "B"
    assert "Arq. Carla Rojas Díaz" in window.expediente.details.text()


def test_missing_requirements_are_confirmed_and_observed(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, message_boxes: object
) -> None:
    window = logged_in
    open_form(qtbot, window, "MP-01")
    assert window.form.sections.currentWidget() is window.form.other
    type_applicant(qtbot, window)
    qtbot.mouseClick(window.form.submit, Qt.MouseButton.LeftButton)
    shown = message_boxes.shown  # type: ignore[attr-defined]
    assert shown and shown[-1][1] == "Requisitos incompletos"
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    assert window.expediente.status.text() == "Observado"


@pytest.mark.parametrize("query_of", ["number", "dni"])
def test_search_finds_and_opens_an_expediente(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, query_of: str
) -> None:
    window = logged_in
    number = file_partida(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: window.search.query.hasFocus(), timeout=5_000)
    qtbot.keyClicks(window.search.query, number if query_of == "number" else "41234567")
    qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.search.model.rowCount() > 0, timeout=10_000)
    assert window.search.model.index(0, 0).data() == number
    assert window.search.results.hasFocus()
    window.expediente.expediente = None
    qtbot.keyClick(window.search.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    assert window.expediente.number.text() == number


def test_cash_closing_lists_the_days_receipts_and_prints(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    window = logged_in
    number = file_partida(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.payment_form,
                    timeout=5_000)
    qtbot.keyClick(window.payment_form.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    cash = window.cash
    qtbot.waitUntil(lambda: cash.closing is not None, timeout=10_000)
    assert cash.model.rowCount() == 1
    assert cash.model.index(0, 2).data() == number
    assert "1 recibo(s) · Total S/ 8.50" in cash.totals.text()
    assert "Ana Torres Chávez" in cash.clerk.text()
    assert cash.selected_day() == hub.queue(SYSTEM).business_date  # the hub's day
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: cash.notice.text() == "Se imprimió el cierre de caja.",
                    timeout=10_000)
    printed = decode(printed_backend(counter_printer).sent[-1])
    assert "CIERRE DE CAJA" in printed.text and "CAJ-R-2026-000001" in printed.text


def test_derive_to_an_area(qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    window = logged_in
    number = file_partida(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_D, ALT)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.transition_form,
                    timeout=5_000)
    form = window.transition_form
    assert form.area.isVisible() and not form.result.isVisible()
    assert form.area.currentText() == "Registro Civil"  # where it is now
    form.area.setCurrentText("Archivo Central")  # an area typed in
    qtbot.keyClicks(form.note, "Para ubicar el libro")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    assert window.expediente.facts["area"][1].text() == "Archivo Central"
    assert hub.expediente(SYSTEM, number).area == "Archivo Central"
    assert window.expediente.notice.text().startswith(f"Expediente {number}:")


def test_an_approved_partida_gives_its_certified_copy_as_a_pdf(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    acta = next(a for a in hub.search_actas(SYSTEM, "Quispe", "nacimiento", 20)
                if a.event_date.year < 2000)  # an adult's record: the titular may ask
    filed = hub.file_expediente(SYSTEM, ExpedienteInput(
        procedure="RC-01", requirements_presented=[1, 2],
        person=PersonInput(doc_number="41234567", given_names=acta.titular_given,
                           paternal_surname=acta.titular_paternal,
                           maternal_surname=acta.titular_maternal),
        details=PartidaDetails(acta_id=acta.id, copies=2)))
    logged_in.open_expediente(filed.number)
    panel = logged_in.expediente
    qtbot.waitUntil(lambda: panel.expediente is not None
                    and panel.expediente.number == filed.number, timeout=10_000)
    assert panel.copy.isVisible() and not panel.copy.isEnabled()  # not approved yet
    # Paid, so approved: aprobación automática (TUO Ley 27444 art. 33).
    hub.pay(SYSTEM, filed.number, PaymentInput(amount=filed.balance, cash_received=filed.balance))
    logged_in.open_expediente(filed.number)
    qtbot.waitUntil(lambda: panel.expediente is not None
                    and panel.expediente.status == "aprobado", timeout=10_000)
    assert panel.copy.isEnabled()
    panel.copy.click()
    qtbot.waitUntil(lambda: panel.notice.text().startswith("Copia certificada guardada"),
                    timeout=10_000)
    pdf = counter_printer.pdf_folder / f"copia-certificada-{filed.number}.pdf"
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 2  # one page per copy asked for
    assert "COPIA CERTIFICADA" in text and acta.acta_number in text
    assert acta.titular_paternal in text and "DUPLICADO" not in text
    panel.copy.click()  # issued again: marked
    duplicate = counter_printer.pdf_folder / f"copia-certificada-{filed.number}-duplicado.pdf"
    qtbot.waitUntil(duplicate.exists, timeout=10_000)
    again = "".join(p.extract_text() for p in PdfReader(io.BytesIO(duplicate.read_bytes())).pages)
    assert "DUPLICADO" in again
    window = logged_in
    window.resize(1366, 768)
    assert window.minimumSizeHint().width() <= 1366  # the extra button still fits
