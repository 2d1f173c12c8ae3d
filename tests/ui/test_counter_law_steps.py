"""The counter's part of three steps the law puts on an expediente (issue 20): the Comisión
Técnica's dictamen on an edificación C/D, the constancia de silencio positivo once the silence
operated, and the ITSE certificate (number, date of issue, two years of validity)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import PaymentInput, TransitionInput
from tests.conftest import LIMA
from tests.integration.test_expedientes import edificacion
from tests.integration.test_expedientes_licencias import licencia
from tests.ui.counter_support import type_text
from tests.ui.test_counter_flow import open_form, type_applicant
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterWindow

ALT = Qt.KeyboardModifier.AltModifier


def _open(qtbot: QtBot, window: CounterWindow, number: str) -> None:
    window.open_expediente(number)
    qtbot.waitUntil(lambda: window.expediente.expediente is not None
                    and window.expediente.expediente.number == number, timeout=10_000)


def _back_on_the_expediente(qtbot: QtBot, window: CounterWindow) -> None:
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)


def test_the_comision_tecnica_dictamen_at_the_counter(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    window = logged_in
    filed = hub.file_expediente(SYSTEM, edificacion("LE-C", "C", (1, 4, 5, 6, 7)))
    hub.pay(SYSTEM, filed.number, PaymentInput(amount=filed.fee))
    _open(qtbot, window, filed.number)
    panel = window.expediente
    # Filed Fri 20 Nov 2026: 15 working days (8-9 Dec holidays) → Tue 15 Dec.
    name, value = panel.facts["review"]
    assert name.isVisible() and value.text() == "Dictamen hasta el 15/12/2026"
    assert panel.action_buttons["review"].isVisible()
    assert not panel.action_buttons["approve"].isVisible()

    qtbot.keyClick(window, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.transition_form,
                    timeout=5_000)
    form = window.transition_form
    assert form.dictamen.isVisible() and not form.result.isVisible()
    assert "Dictamen hasta el 15/12/2026" in form.subtitle.text()
    form.dictamen.setCurrentIndex(form.dictamen.findData("no_conforme"))
    qtbot.keyClick(form.note, Qt.Key.Key_Return)  # no observations written: refused here
    assert form.notice.text() == "Escriba en la nota las observaciones de la Comisión Técnica."
    type_text(qtbot, form.note, "Corregir la escalera de evacuación")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    _back_on_the_expediente(qtbot, window)
    assert value.text() == "Último dictamen: no conforme (espera otro)"
    assert not panel.action_buttons["approve"].isVisible()

    window.ask_transition("review")
    form.dictamen.setCurrentIndex(form.dictamen.findData("conforme"))
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    _back_on_the_expediente(qtbot, window)
    assert value.text() == "Último dictamen: conforme"
    assert panel.action_buttons["approve"].isVisible()
    assert not panel.action_buttons["review"].isVisible()
    assert [e.kind for e in hub.expediente(SYSTEM, filed.number).events][-2:] == [
        "reviewed", "reviewed"]


def test_an_overdue_review_is_a_warning_at_the_counter(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, request: pytest.FixtureRequest
) -> None:
    filed = hub.file_expediente(SYSTEM, edificacion("LE-D", "D", (1, 4, 5, 6, 7, 8)))
    # 20 working days from Fri 20 Nov 2026: Tue 22 Dec; late from Wed 23 Dec.
    clock.set(datetime(2026, 12, 23, 9, 0, tzinfo=LIMA))
    window: CounterWindow = request.getfixturevalue("logged_in")
    _open(qtbot, window, filed.number)
    panel = window.expediente
    assert panel.facts["review"][1].text() == "Dictamen hasta el 22/12/2026 · VENCIDO"
    assert "El plazo de la Comisión Técnica venció el 22/12/2026 sin dictamen." in \
        panel.warning.text()


def test_the_form_offers_revisores_urbanos_for_c_and_d(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    window = logged_in
    open_form(qtbot, window, "LE-C")
    section = window.form.edificacion
    assert section.evaluacion.isVisible() and not section.informe.isVisible()
    type_applicant(qtbot, window)
    for edit, text in ((section.address, "Av. Atahualpa 1020"),
                       (section.description, "Edificio de cinco pisos"),
                       (section.professional, "Arq. Carla Rojas Díaz"),
                       (section.registration, "CAP 12345")):
        type_text(qtbot, edit, text)
    section.evaluacion.setCurrentIndex(section.evaluacion.findData("revisores_urbanos"))
    assert section.informe.isVisible()
    type_text(qtbot, section.informe, "ITF-0456-2026")
    qtbot.mouseClick(window.form.all_requirements, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.form.submit, Qt.MouseButton.LeftButton)
    _back_on_the_expediente(qtbot, window)
    shown = window.expediente.expediente
    assert shown is not None and shown.evaluacion == "revisores_urbanos"
    assert window.expediente.facts["review"][1].text() == \
        "No corresponde: revisado por Revisores Urbanos"
    assert "Informe técnico favorable:</b> ITF-0456-2026" in window.expediente.details.text()
    open_form(qtbot, window, "LE-B")
    assert not section.evaluacion.isVisible()


def test_the_constancia_de_silencio_is_saved_from_the_counter(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, request: pytest.FixtureRequest
) -> None:
    filed = hub.file_expediente(SYSTEM, edificacion())  # LE-B: due Tue 15 Dec 2026
    undecided = hub.file_expediente(SYSTEM, edificacion())
    clock.set(datetime(2026, 12, 16, 8, 0, tzinfo=LIMA))  # the silence operates today
    window: CounterWindow = request.getfixturevalue("logged_in")
    printer: HubCounterPrinter = request.getfixturevalue("counter_printer")
    panel = window.expediente
    # Operated, not yet recorded by the hub's round: shown, not issued yet.
    _open(qtbot, window, undecided.number)
    assert panel.constancia.isVisible() and not panel.constancia.isEnabled()
    assert hub.record_silences(SYSTEM) == [filed.number, undecided.number]
    _open(qtbot, window, filed.number)
    assert panel.constancia.isVisible() and panel.constancia.isEnabled()
    panel.constancia.click()
    qtbot.waitUntil(lambda: panel.notice.text().startswith(
        "Constancia de silencio positivo guardada"), timeout=10_000)
    pdf = printer.pdf_folder / f"constancia-silencio-{filed.number}.pdf"
    text = " ".join("".join(p.extract_text() for p in PdfReader(
        io.BytesIO(pdf.read_bytes())).pages).split())
    assert "CONSTANCIA DE SILENCIO ADMINISTRATIVO POSITIVO" in text
    assert filed.number in text and "16/12/2026" in text and "REIMPRESIÓN" not in text
    issued = hub.expediente(SYSTEM, filed.number).documents
    assert [(d.document, d.medium, d.reprint) for d in issued] == [
        ("constancia_silencio", "pdf", False)]
    panel.constancia.click()  # a second one says so
    again = printer.pdf_folder / f"constancia-silencio-{filed.number}-reimpresion.pdf"
    qtbot.waitUntil(again.exists, timeout=10_000)
    assert "REIMPRESIÓN" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(again.read_bytes())).pages)
    # A file approved by a clerk in time has no constancia to give.
    hub.file_expediente(SYSTEM, edificacion())
    other = hub.search_expedientes(SYSTEM, "CAJ-2026-000003")[0]
    _open(qtbot, window, other.number)
    assert not panel.constancia.isVisible()


def test_the_itse_certificate_is_recorded_at_the_counter(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    window = logged_in
    filed = hub.file_expediente(SYSTEM, licencia("LF-01", "bajo", [1, 3]))
    hub.pay(SYSTEM, filed.number, PaymentInput(amount=filed.fee))
    hub.transition(SYSTEM, filed.number, TransitionInput(action="approve"))
    _open(qtbot, window, filed.number)
    qtbot.keyClick(window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.transition_form,
                    timeout=5_000)
    form = window.transition_form
    assert form.risk.isVisible() and form.risk.text() == "Riesgo bajo"
    assert form.certificate_number.isVisible() and form.certificate_date.isVisible()
    # Issued Fri 20 Nov 2026: valid two years, through Fri 20 Nov 2028 (Ley 30619).
    form.certificate_date.setDate(QDate(2026, 11, 20))
    assert form.certificate_validity.text().startswith("Vigente hasta el 20/11/2028 (2 años")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)  # no number yet
    assert form.notice.text() == "Escriba el número del certificado de ITSE."
    type_text(qtbot, form.certificate_number, "ITSE-0789-2026")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    _back_on_the_expediente(qtbot, window)
    overview = hub.itse_overview(SYSTEM)
    assert [(c.number, c.certificate_number, c.certificate_date, c.valid_until)
            for c in overview.certificates] == [
        (filed.number, "ITSE-0789-2026", date(2026, 11, 20), date(2028, 11, 20))]
    assert hub.expediente(SYSTEM, filed.number).itse_done


def test_a_no_conforme_itse_has_no_certificate_fields(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    window = logged_in
    filed = hub.file_expediente(SYSTEM, licencia("LF-01", "bajo", [1, 3]))
    hub.pay(SYSTEM, filed.number, PaymentInput(amount=filed.fee))
    hub.transition(SYSTEM, filed.number, TransitionInput(action="approve"))
    _open(qtbot, window, filed.number)
    window.ask_transition("inspect")
    form = window.transition_form
    form.result.setCurrentIndex(form.result.findData("no_conforme"))
    assert not form.certificate_number.isVisible() and not form.certificate_date.isVisible()
    type_text(qtbot, form.note, "Sin extintor")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)
    _back_on_the_expediente(qtbot, window)
    assert hub.itse_overview(SYSTEM).pending[0].last_result == "no_conforme"
    assert Decimal(filed.fee) > 0
