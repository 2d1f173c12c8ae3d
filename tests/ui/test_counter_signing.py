"""The registrar's copia certificada comes out signed (issue 18): the first copy of the session
asks for the certificate's password, and the saved PDF is the hub's signed one; a clerk who
does not sign saves the copy as before."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.signing_views import CertificateImport
from tests.conftest import START
from tests.printing.doc_data import pdf_text
from tests.signing.authority import P12_PASSWORD, make_authority
from tests.signing.verify import pyhanko_verdict
from tests.ui.conftest import ChosenFiles, RecordedBoxes
from tests.ui.test_counter_documents import adult_acta, file_for, open_on
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_registrars_copy_is_signed_after_the_password_is_given_once(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,
        counter_printer: HubCounterPrinter, message_boxes: RecordedBoxes,
        tmp_path: Path) -> None:
    authority = make_authority(START)
    hub.import_signing_certificate(SYSTEM, CertificateImport(content=authority.p12,
                                                             password=P12_PASSWORD))
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(signing_users="ana"))
    filed = file_for(hub, adult_acta(hub))
    window = logged_in  # «ana» at ventanilla 3
    open_on(qtbot, window, filed.number)
    message_boxes.secrets = ["no-es-la-clave", P12_PASSWORD]

    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)  # a wrong password: said, nothing saved
    notice = window.expediente.notice
    qtbot.waitUntil(lambda: "la contraseña no es correcta" in notice.text(), timeout=10_000)
    assert notice.kind == "error"
    assert [kind for kind, _, _ in message_boxes.shown] == ["secret"]
    copy = counter_printer.pdf_folder / f"copia-certificada-{filed.number}.pdf"
    assert not copy.exists()

    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: window.expediente.notice.text().startswith(
        "Copia certificada guardada"), timeout=15_000)
    verdict = pyhanko_verdict(copy.read_bytes(), authority.root)
    assert verdict.valid and verdict.name == "Ana Torres Chávez"
    printed = " ".join(pdf_text(copy.read_bytes()).split())
    assert "DOCUMENTO FIRMADO DIGITALMENTE Ana Torres Chávez" in printed
    asked = len([kind for kind, _, _ in message_boxes.shown if kind == "secret"])
    assert asked == 2

    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)  # the same session: no password again
    duplicate = counter_printer.pdf_folder / f"copia-certificada-{filed.number}-duplicado.pdf"
    qtbot.waitUntil(duplicate.exists, timeout=15_000)
    assert pyhanko_verdict(duplicate.read_bytes(), authority.root).valid
    assert len([kind for kind, _, _ in message_boxes.shown if kind == "secret"]) == asked


def test_the_a4_cargo_is_signed_too_and_a_clerk_who_does_not_sign_saves_it_unsigned(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,
        counter_printer: HubCounterPrinter, message_boxes: RecordedBoxes) -> None:
    from tests.signing.verify import signatures

    authority = make_authority(START)
    hub.import_signing_certificate(SYSTEM, CertificateImport(content=authority.p12,
                                                             password=P12_PASSWORD))
    filed = file_for(hub, adult_acta(hub))
    window = logged_in
    open_on(qtbot, window, filed.number)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)  # «ana» is not named to sign (yet)
    cargo = counter_printer.pdf_folder / f"cargo-{filed.number}.pdf"
    qtbot.waitUntil(cargo.exists, timeout=15_000)
    assert signatures(cargo.read_bytes()) == 0 and message_boxes.shown == []

    hub.change_office_settings(SYSTEM, OfficeSettingsChange(signing_users="ana"))
    message_boxes.secrets = [P12_PASSWORD]
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    again = counter_printer.pdf_folder / f"cargo-{filed.number}-reimpresion.pdf"
    qtbot.waitUntil(again.exists, timeout=15_000)
    verdict = pyhanko_verdict(again.read_bytes(), authority.root)
    assert verdict.valid and verdict.reason.startswith("Cargo de recepción")
    assert [kind for kind, _, _ in message_boxes.shown] == ["secret"]
    # its QR, as a phone reads it from the page, is the hub's signed statement of this cargo
    import zxingcpp

    from kiosk.signing import statement as statements
    from printing.pdf.preview import pdf_page_image

    read = [c.text for c in zxingcpp.read_barcodes(pdf_page_image(again.read_bytes(), 0, 150))]
    assert len(read) == 1
    checked = statements.verify(read[0], hub.office_keys.known())
    assert checked.valid and checked.statement is not None
    assert (checked.statement.kind, checked.statement.number) == ("cargo", filed.number)
    # its digest covers what the cargo shows, as the hub reads it (decision 46, addendum)
    view = hub.expediente(SYSTEM, filed.number)
    assert checked.statement.digest == statements.content_digest(statements.cargo_fields_of(
        view, checked.statement.issued_on, hub.config.tz))
    assert "El código QR verifica la firma de este cargo" in " ".join(
        pdf_text(again.read_bytes()).split())
    assert signatures(cargo.read_bytes()) == 0  # the unsigned one keeps the tracking page
    assert "/v/" not in "".join(c.text for c in zxingcpp.read_barcodes(
        pdf_page_image(cargo.read_bytes(), 0, 150)))


def test_the_cierre_is_saved_as_a_signed_a4_pdf_and_unsigned_when_the_clerk_does_not_sign(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub,
        message_boxes: RecordedBoxes, file_dialogs: ChosenFiles, tmp_path: Path) -> None:
    from tests.signing.verify import pdfsig_accepts, pdfsig_report, signatures, tampered

    authority = make_authority(START)
    hub.import_signing_certificate(SYSTEM, CertificateImport(content=authority.p12,
                                                             password=P12_PASSWORD))
    window = logged_in  # «ana», not named to sign yet
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    cash = window.cash
    qtbot.waitUntil(lambda: cash.closing is not None and cash.save_pdf.isEnabled(),
                    timeout=10_000)
    unsigned = tmp_path / "cierre-sin-firma.pdf"
    file_dialogs.save_to = unsigned
    qtbot.mouseClick(cash.save_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(unsigned.exists, timeout=15_000)
    assert signatures(unsigned.read_bytes()) == 0 and message_boxes.shown == []
    assert "CIERRE DE CAJA" in pdf_text(unsigned.read_bytes()).upper()
    ((_title, suggested, _filters),) = file_dialogs.saving
    assert suggested.startswith("cierre-caja-") and suggested.endswith("-ana.pdf")

    hub.change_office_settings(SYSTEM, OfficeSettingsChange(signing_users="ana"))
    message_boxes.secrets = [P12_PASSWORD]
    signed = tmp_path / "cierre-firmado.pdf"
    file_dialogs.save_to = signed
    qtbot.mouseClick(cash.save_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cash.notice.text() == f"Cierre de caja guardado en {signed}",
                    timeout=15_000)
    data = signed.read_bytes()
    verdict = pyhanko_verdict(data, authority.root)
    assert verdict.valid and verdict.covers_whole_file
    assert verdict.name == "Ana Torres Chávez" and verdict.reason == "Cierre de caja"
    assert pdfsig_accepts(pdfsig_report(data, tmp_path))
    assert not pdfsig_accepts(pdfsig_report(tampered(data, b"/Keywords"), tmp_path))
    assert [kind for kind, _, _ in message_boxes.shown] == ["secret"]
    assert "firmado digitalmente por Ana Torres Chávez" in " ".join(pdf_text(data).split())
    assert "firmado digitalmente" not in pdf_text(unsigned.read_bytes())

    again = tmp_path / "cierre-otra-vez.pdf"  # the same session: no password again
    file_dialogs.save_to = again
    qtbot.mouseClick(cash.save_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(again.exists, timeout=15_000)
    assert pyhanko_verdict(again.read_bytes(), authority.root).valid
    assert [kind for kind, _, _ in message_boxes.shown] == ["secret"]
