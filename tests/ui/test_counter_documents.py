"""The expediente view's later work: linking the acta the archive found, reprints known by the
hub (not by the window), and the scanned attachments."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.client.inprocess import InProcessHubClient
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import (
    ActaView,
    DocumentInput,
    ExpedienteInput,
    ExpedienteView,
    PartidaDetails,
    PaymentInput,
    PersonInput,
)
from tests.conftest import SECOND_CLERK
from tests.integration.test_expedientes_refusals import PDF, PNG
from tests.printing.escpos_decoder import decode
from tests.ui.conftest import ChosenFiles
from tests.ui.counter_support import QUIET, ScriptedClient, log_in, make_window, printed_backend
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def adult_acta(hub: OfficeHub, minor: bool = False) -> ActaView:
    """A demo birth record (of an adult, or of a minor)."""
    return next(a for a in hub.search_actas(SYSTEM, "Quispe", "nacimiento", 100)
                if a.minor is minor)


def file_for(hub: OfficeHub, acta: ActaView | None, search_note: str | None = None,
             titular: ActaView | None = None) -> ExpedienteView:
    """A paid partida asked by the acta's titular, with the acta or asking for a search."""
    who = titular or acta
    assert who is not None
    filed = hub.file_expediente(SYSTEM, ExpedienteInput(
        procedure="RC-01", requirements_presented=[1, 2],
        person=PersonInput(doc_number="41234567", given_names=who.titular_given,
                           paternal_surname=who.titular_paternal,
                           maternal_surname=who.titular_maternal),
        details=PartidaDetails(acta_id=acta.id if acta else None, search_note=search_note)))
    hub.pay(SYSTEM, filed.number, PaymentInput(amount=filed.balance))
    return hub.expediente(SYSTEM, filed.number)


def open_on(qtbot: QtBot, window: CounterWindow, number: str) -> None:
    """Show the expediente in `window`, made the active window (its shortcuts work then)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.open_expediente(number)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente
                    and window.expediente.expediente is not None
                    and window.expediente.expediente.number == number, timeout=10_000)


# --- «Vincular acta» -----------------------------------------------------------------------


def test_the_acta_found_later_is_linked_from_the_expediente(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    acta = adult_acta(hub)
    filed = file_for(hub, None, search_note="Nacido en Cajamarca, libro de 1990",
                     titular=acta)
    open_on(qtbot, window, filed.number)
    panel = window.expediente
    assert panel.warning.isVisible() and "Solicitud sin acta" in panel.warning.text()
    assert panel.action_buttons["link_acta"].isVisible()
    assert not panel.action_buttons["approve"].isVisible()  # paid, but no acta yet
    assert panel.copy.isVisible() and not panel.copy.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    form = window.transition_form
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is form, timeout=5_000)
    picker = form.acta_picker
    assert picker.isVisible() and not form.area.isVisible() and not form.result.isVisible()
    assert "Datos para la búsqueda: Nacido en Cajamarca, libro de 1990" in form.subtitle.text()
    assert picker.query.hasFocus() and picker.query.text() == filed.applicant_name
    qtbot.mouseClick(form.confirm, Qt.MouseButton.LeftButton)  # nothing chosen: nothing sent
    assert form.notice.text() == "Busque el acta y elíjala en la lista."
    assert "transition" not in window._client.calls  # type: ignore[attr-defined]

    # The hub refuses a minor's record for the titular's own request, inline.
    minor = adult_acta(hub, minor=True)
    form.show_actas([minor])
    assert picker.acta == minor and "menor de edad" in picker.chosen.text()
    qtbot.mouseClick(form.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.notice.kind == "error"
                    and "solo se entrega al padre" in form.notice.text(), timeout=10_000)
    assert window.area.stack.currentWidget() is form and form.confirm.isEnabled()

    picker.query.setText(f"{acta.titular_paternal} {acta.titular_given}")
    qtbot.keyClick(picker.query, Qt.Key.Key_Return)  # Enter in the box searches
    qtbot.waitUntil(lambda: picker.model.rowCount() > 0 and picker.results.hasFocus(),
                    timeout=10_000)
    assert window.area.stack.currentWidget() is form  # …and does not confirm
    picker.results.selectRow(next(i for i, a in enumerate(picker.model.rows) if a.id == acta.id))
    assert picker.acta == acta
    qtbot.keyClick(picker.results, Qt.Key.Key_Return)  # Enter on the chosen acta confirms
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is panel, timeout=10_000)
    linked = hub.expediente(SYSTEM, filed.number)
    assert linked.acta is not None and linked.acta.id == acta.id
    # Paid and now complete: approved at once (aprobación automática, art. 33).
    assert [e.kind for e in linked.events[-2:]] == ["acta_linked", "approved_automatically"]
    assert linked.events[-2].who == "Ana Torres Chávez"
    assert not panel.warning.isVisible()
    assert not panel.action_buttons["link_acta"].isVisible()
    assert panel.action_buttons["deliver"].isVisible()


# --- reprints: the hub knows ---------------------------------------------------------------


@pytest.fixture
def second_window(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], data_dir: DataDir,
                  tmp_path: Path) -> tuple[CounterWindow, HubCounterPrinter]:
    """Another counter PC (its own printer and folder), with «luis» at ventanilla 1."""
    client = ScriptedClient(InProcessHubClient(hub, tokens["counter"]))
    config = replace(data_dir.load_config(), printer_backend="dummy")
    printer = HubCounterPrinter(client, config, tmp_path / "otra-pc")  # type: ignore[arg-type]
    window = make_window(qtbot, client, printer, replace(QUIET, counter=1))
    log_in(qtbot, window, SECOND_CLERK)
    return window, printer


def test_a_second_cargo_is_a_reprint_from_any_counter(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,
    counter_printer: HubCounterPrinter,
    second_window: tuple[CounterWindow, HubCounterPrinter]
) -> None:
    filed = file_for(hub, adult_acta(hub))
    window = logged_in
    open_on(qtbot, window, filed.number)
    backend = printed_backend(counter_printer)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: window.expediente.notice.text() ==
                    "Se imprimió el cargo de recepción.", timeout=10_000)
    first = decode(backend.sent[-1]).text
    assert "CARGO DE RECEPCIÓN" in first and "REIMPRESIÓN" not in first
    issued = hub.expediente(SYSTEM, filed.number).documents
    assert [(d.document, d.medium, d.reprint, d.who) for d in issued] == [
        ("cargo", "termica", False, "Ana Torres Chávez")]
    assert window.expediente.events.index(window.expediente.events.rowCount() - 1,
                                          1).data() == "Documento emitido"

    # Another PC that never printed it: the thermal one is a reprint; the first A4 one is
    # the same cargo on other paper, not a reprint.
    other, other_printer = second_window
    open_on(qtbot, other, filed.number)
    qtbot.keyClick(other, Qt.Key.Key_P, CTRL)
    other_backend = printed_backend(other_printer)
    qtbot.waitUntil(lambda: other.expediente.notice.text() ==
                    "Se imprimió el cargo de recepción.", timeout=10_000)
    assert len(other_backend.sent) == 1
    assert "REIMPRESIÓN" in decode(other_backend.sent[-1]).text
    qtbot.keyClick(other, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: other.expediente.notice.text().startswith("Cargo A4 guardado"),
                    timeout=10_000)
    pdf = other_printer.pdf_folder / f"cargo-{filed.number}.pdf"
    assert "REIMPRESIÓN" not in " ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(pdf.read_bytes())).pages)
    assert [(d.medium, d.issue_number, d.reprint, d.who)
            for d in hub.expediente(SYSTEM, filed.number).documents] == [
        ("termica", 1, False, "Ana Torres Chávez"), ("termica", 2, True, "Luis Quispe Mamani"),
        ("pdf", 1, False, "Luis Quispe Mamani")]


def pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_saving_the_a4_cargo_again_never_overwrites_a_saved_one(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    """After the thermal cargo the first A4 is an original; each later A4 is a reprint saved
    under a name of its own, and the files saved before stay as they were."""
    filed = file_for(hub, adult_acta(hub))
    window = logged_in
    open_on(qtbot, window, filed.number)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: window.expediente.notice.text() ==
                    "Se imprimió el cargo de recepción.", timeout=10_000)
    folder = counter_printer.pdf_folder
    names = [f"cargo-{filed.number}.pdf", f"cargo-{filed.number}-reimpresion.pdf",
             f"cargo-{filed.number}-reimpresion-2.pdf"]
    saved: dict[str, bytes] = {}
    for name in names:
        window.expediente.notice.clear_message()
        qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: window.expediente.notice.text().startswith("Cargo A4 guardado"),
                        timeout=10_000)
        assert window.expediente.notice.text() == f"Cargo A4 guardado en {folder / name}"
        for earlier, content in saved.items():
            assert (folder / earlier).read_bytes() == content  # untouched
        saved[name] = (folder / name).read_bytes()
    assert "REIMPRESIÓN" not in pdf_text(folder / names[0])
    assert all("REIMPRESIÓN" in pdf_text(folder / name) for name in names[1:])
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert [(d.medium, d.issue_number, d.reprint)
            for d in hub.expediente(SYSTEM, filed.number).documents] == [
        ("termica", 1, False), ("pdf", 1, False), ("pdf", 2, True), ("pdf", 3, True)]


def test_a_failed_print_is_not_counted(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    filed = file_for(hub, adult_acta(hub))
    window = logged_in
    open_on(qtbot, window, filed.number)
    backend = printed_backend(counter_printer)
    backend.fail = "no_paper"
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: window.expediente.notice.kind == "error", timeout=10_000)
    assert "No se pudo imprimir el cargo de recepción" in window.expediente.notice.text()
    assert hub.expediente(SYSTEM, filed.number).documents == []
    backend.fail = None
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)  # paper back: this is the first cargo on paper
    qtbot.waitUntil(lambda: window.expediente.notice.text() ==
                    "Se imprimió el cargo de recepción.", timeout=10_000)
    assert "REIMPRESIÓN" not in decode(backend.sent[-1]).text


def test_a_cargo_issued_elsewhere_makes_the_first_print_here_a_reprint(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    filed = file_for(hub, adult_acta(hub))
    window = logged_in
    open_on(qtbot, window, filed.number)  # the view on screen knows of no cargo yet
    hub.record_document(SYSTEM, filed.number, DocumentInput(document="cargo"))
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    backend = printed_backend(counter_printer)
    qtbot.waitUntil(lambda: len(backend.sent) == 1, timeout=10_000)
    assert "REIMPRESIÓN" in decode(backend.sent[-1]).text


def test_receipts_and_certified_copies_know_their_reprints(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter,
    second_window: tuple[CounterWindow, HubCounterPrinter]
) -> None:
    filed = file_for(hub, adult_acta(hub))
    receipt = filed.payments[0].receipt_number  # paid, so approved (art. 33)
    window = logged_in
    open_on(qtbot, window, filed.number)
    # Paid at the hub without a print: «Reimprimir recibo» gives the first paper copy.
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    backend = printed_backend(counter_printer)
    qtbot.waitUntil(lambda: len(backend.sent) == 1, timeout=10_000)
    text = decode(backend.sent[-1]).text
    assert receipt in text and "REIMPRESIÓN" not in text
    qtbot.waitUntil(lambda: window.expediente.notice.text() ==
                    f"Se imprimió el recibo {receipt}.", timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: len(backend.sent) == 2, timeout=10_000)
    assert "REIMPRESIÓN" in decode(backend.sent[-1]).text

    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: window.expediente.notice.text().startswith(
        "Copia certificada guardada"), timeout=10_000)
    original = counter_printer.pdf_folder / f"copia-certificada-{filed.number}.pdf"
    assert "DUPLICADO" not in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(original.read_bytes())).pages)
    other, other_printer = second_window  # its folder has no copy: the hub says DUPLICADO
    open_on(qtbot, other, filed.number)
    qtbot.keyClick(other, Qt.Key.Key_E, CTRL)
    duplicate = other_printer.pdf_folder / f"copia-certificada-{filed.number}-duplicado.pdf"
    qtbot.waitUntil(duplicate.exists, timeout=10_000)
    assert "DUPLICADO" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(duplicate.read_bytes())).pages)

    def copies() -> list[Any]:
        return [d for d in hub.expediente(SYSTEM, filed.number).documents
                if d.document == "copia"]

    # The file is written first, then the issue recorded at the hub.
    qtbot.waitUntil(lambda: len(copies()) == 2, timeout=10_000)
    assert [(d.reprint, d.who, d.where) for d in copies()] == [
        (False, "Ana Torres Chávez", "Ventanilla 3"), (True, "Luis Quispe Mamani",
                                                       "Ventanilla 1")]


def test_a_second_cierre_of_the_day_is_a_reprint(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, counter_printer: HubCounterPrinter
) -> None:
    window = logged_in
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    cash = window.cash
    qtbot.waitUntil(lambda: cash.closing is not None, timeout=10_000)
    backend = printed_backend(counter_printer)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: len(backend.sent) == 1, timeout=10_000)
    assert "REIMPRESIÓN" not in decode(backend.sent[-1]).text
    qtbot.waitUntil(lambda: cash.closing is not None and cash.closing.printed == 1,
                    timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: cash.closing is not None and cash.closing.printed == 2,
                    timeout=10_000)
    assert len(backend.sent) == 2 and "REIMPRESIÓN" in decode(backend.sent[-1]).text
    assert hub.cash_closing(SYSTEM, None, "ana").printed == 2
    assert cash.notice.text() == "Se imprimió el cierre de caja."


# --- attachments ---------------------------------------------------------------------------


def test_attach_a_scanned_file_and_see_the_hubs_refusals_inline(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, file_dialogs: ChosenFiles,
    tmp_path: Path
) -> None:
    filed = file_for(hub, adult_acta(hub))
    window = logged_in
    open_on(qtbot, window, filed.number)
    panel = window.expediente
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.attachments_tab)) == "Adjuntos (0)"
    scan = tmp_path / "Declaración jurada — Ñahui.pdf"
    scan.write_bytes(PDF)
    file_dialogs.next = scan
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL)
    notice = panel.attachments_notice
    qtbot.waitUntil(lambda: notice.text().startswith("Adjuntado"), timeout=10_000)
    assert notice.text() == f"Adjuntado «{scan.name}» ({len(PDF)} B)."
    assert panel.tabs.currentWidget() is panel.attachments_tab
    assert file_dialogs.asked[-1][0] == f"Adjuntar archivo al expediente {filed.number}"
    [stored] = hub.expediente(SYSTEM, filed.number).attachments
    assert (stored.file_name, stored.media_type, stored.who) == (
        scan.name, "application/pdf", "Ana Torres Chávez")
    row = [panel.attachments.index(0, c).data() for c in range(panel.attachments.columnCount())]
    assert row[:3] == [scan.name, "PDF", f"{len(PDF)} B"] and row[4] == "Ana Torres Chávez"
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.attachments_tab)) == "Adjuntos (1)"

    text = tmp_path / "notas.txt"
    text.write_text("hola", encoding="utf-8")
    file_dialogs.next = text
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL)
    qtbot.waitUntil(lambda: notice.kind == "error", timeout=10_000)
    assert notice.text() == ("Tipo de archivo no admitido «text/plain». Adjunte documentos "
                             "escaneados en PDF, PNG o JPG.")
    renamed = tmp_path / "foto.pdf"
    renamed.write_bytes(PNG)
    file_dialogs.next = renamed
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL)
    qtbot.waitUntil(lambda: "se declaró como PDF" in notice.text(), timeout=10_000)
    assert notice.text() == ("El archivo «foto.pdf» se declaró como PDF, pero su contenido es "
                             "un PNG. Adjunte el documento correcto.")
    client: ScriptedClient = window._client  # type: ignore[assignment]
    attempts = client.calls.count("attach")
    file_dialogs.next = None  # the clerk cancels the dialog
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL)
    assert client.calls.count("attach") == attempts
    assert len(hub.expediente(SYSTEM, filed.number).attachments) == 1
    assert panel.attachments.rowCount() == 1


def test_a_reprinted_a4_cargo_says_the_hubs_date(hub: OfficeHub,
                                                 counter_printer: HubCounterPrinter) -> None:
    """«Reimpreso el …» is the office's time (the hub's virtual clock: 20 Nov 2026), not
    this PC's clock, which says another day."""
    filed = file_for(hub, adult_acta(hub))
    data = counter_printer.cargo_pdf(hub.expediente(SYSTEM, filed.number), reprint=True)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Reimpreso el 20/11/2026 08:0" in text
