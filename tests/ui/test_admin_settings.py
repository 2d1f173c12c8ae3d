"""Impresora and Oficina: the printer's settings and the test page's result, the office's
data with the logo previewed, the write-only central credential, «se aplica al reiniciar»,
and the hub away while saving (nothing typed is lost)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.errors import HubUnavailable
from kiosk.hub import OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from tests.ui.admin_support import admin_session, answered, open_tab
from tests.ui.conftest import ChosenFiles
from tests.ui.counter_support import ScriptedClient, type_text
from ui.admin import texts
from ui.admin.screenshot import sample_logo_png
from ui.admin.settings_tabs import OfficeTab, PrinterTab, SettingsTab
from ui.admin.widgets import choose
from ui.admin.window import AdminWindow


def _printer(qtbot: QtBot, window: AdminWindow) -> PrinterTab:
    tab = open_tab(qtbot, window, "printer")
    assert isinstance(tab, PrinterTab)
    return tab


def _office(qtbot: QtBot, window: AdminWindow) -> OfficeTab:
    tab = open_tab(qtbot, window, "office")
    assert isinstance(tab, OfficeTab)
    return tab


def test_the_printer_settings_and_the_test_page(qtbot: QtBot, hub: OfficeHub,
                                                admin_in: AdminWindow) -> None:
    tab = _printer(qtbot, admin_in)
    settings = admin_session(hub).office_settings()
    assert tab.backend.currentData() == settings.printer_backend
    assert tab.target.text() == settings.printer_target
    assert tab.paper_width.currentData() == settings.printer_width_mm
    jobs = len(admin_session(hub).print_jobs())
    tab.print_test()
    qtbot.waitUntil(lambda: tab.last_test is not None, timeout=20_000)
    result = tab.last_test
    assert result is not None
    assert tab.notice.text() == result.message  # the hub's own words, whatever happened
    assert tab.notice.kind == ("info" if result.ok else "error")
    recorded = admin_session(hub).print_jobs()
    assert len(recorded) == jobs + 1  # recorded as a print job, shown first in the list
    assert tab.jobs_model.rows[0].id == recorded[0].id and recorded[0].kind == "test"
    assert tab.jobs_model.index(0, 2).data() == "Prueba"
    assert tab.test.isEnabled()

    choose(tab.paper_width, 58)
    tab.print_test()  # unsaved: the page would come out of the old settings
    assert tab.notice.text().startswith("Guarde primero los cambios")
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    stored = admin_session(hub).office_settings()
    assert stored.printer_width_mm == 58
    if "printer_width_mm" in stored.restart_needed:
        assert tab.restart.isVisibleTo(tab)
        assert tab.restart.text() == texts.restart_text(
            [name for name in stored.restart_needed if name in tab.FIELDS])
        assert "ancho del papel" in tab.restart.text()


def test_the_office_logo_is_checked_and_previewed(qtbot: QtBot, hub: OfficeHub,
                                                  tmp_path: Path, file_dialogs: ChosenFiles,
                                                  admin_in: AdminWindow) -> None:
    tab = _office(qtbot, admin_in)
    assert tab.logo.image is None and "Sin logo" in tab.logo.text()
    wrong = tmp_path / "logo.png"
    wrong.write_bytes(b"esto no es una imagen")
    file_dialogs.next = wrong
    tab.choose_logo.click()
    assert file_dialogs.asked[-1] == ("Elegir el logo de la oficina", "Imagen PNG (*.png)")
    qtbot.waitUntil(lambda: tab.logo_notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.logo_notice.text() == admin_in.last_error.message  # the hub's check
    assert tab.logo.image is None and not admin_session(hub).office_settings().has_logo

    good = tmp_path / "escudo.png"
    png = sample_logo_png()
    good.write_bytes(png)
    file_dialogs.next = good
    tab.choose_logo.click()
    qtbot.waitUntil(lambda: tab.logo.image is not None, timeout=10_000)
    assert tab.logo_notice.text() == "Logo guardado: así saldrá en los turnos."
    assert admin_session(hub).office_settings().has_logo
    assert admin_session(hub).office_logo() == png
    image, sent = tab.logo.image, QImage.fromData(png)
    assert image is not None and (image.width(), image.height()) == (sent.width(),
                                                                     sent.height())
    pixmap = tab.logo.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() <= tab.logo.width() and pixmap.height() <= tab.logo.height()

    # Next time the window opens, the stored logo is previewed from the hub.
    admin_in.office.clear()
    before = tab.loads
    tab.load()
    answered(qtbot, tab, before)
    assert tab.logo.image is not None and tab.logo.image.width() == sent.width()


def test_office_data_and_the_write_only_credential(qtbot: QtBot, hub: OfficeHub,
                                                   admin_in: AdminWindow) -> None:
    tab = _office(qtbot, admin_in)
    assert tab.office_name.text() == hub.config.office_name
    tab.municipality.clear()
    type_text(qtbot, tab.municipality, "Municipalidad Provincial de Cajamarca")
    tab.idle_lock.setValue(10)
    tab.retention.setValue(365)
    tab.central_url.setText("https://central.cajamarca.gob.pe")
    qtbot.keyClicks(tab.credential, "s3cr3t-de-la-central")
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    stored = admin_session(hub).office_settings()
    assert stored.municipality == "Municipalidad Provincial de Cajamarca"
    assert (stored.idle_lock_minutes, stored.ticket_retention_days) == (10, 365)
    assert stored.central_url == "https://central.cajamarca.gob.pe"
    assert stored.central_credential_set
    assert tab.credential.text() == ""  # never read back
    assert "guardada" in tab.credential.placeholderText()
    assert tab.clear_credential.isEnabled()
    assert tab.notice.kind == "info" and tab.notice.text().startswith(texts.SAVED)
    assert tab.restart.text() == texts.restart_text(
        [name for name in stored.restart_needed if name in tab.FIELDS])
    assert ("dirección de la central" in tab.restart.text()) == (
        "central_url" in stored.restart_needed)

    before = tab.loads
    tab.save.click()  # nothing changed: nothing sent
    assert tab.notice.text() == "No hay cambios que guardar." and tab.loads == before

    tab.clear_credential.click()
    tab.save.click()
    answered(qtbot, tab, before)
    assert not admin_session(hub).office_settings().central_credential_set


def test_the_hub_refuses_a_bad_value_in_spanish(qtbot: QtBot, hub: OfficeHub,
                                                admin_in: AdminWindow) -> None:
    tab = _office(qtbot, admin_in)
    tab.central_url.setText("central.cajamarca")  # no http(s)://
    tab.save.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.notice.text() == admin_in.last_error.message
    assert tab.central_url.text() == "central.cajamarca"  # kept to correct it
    assert admin_session(hub).office_settings().central_url == ""


def test_saving_while_the_hub_is_away_keeps_the_form(qtbot: QtBot, hub: OfficeHub,
                                                     admin_client: ScriptedClient,
                                                     admin_in: AdminWindow) -> None:
    tab = _office(qtbot, admin_in)
    tab.office_name.setText("CAC Cajamarca Centro")
    admin_client.fail("change_office_settings", HubUnavailable(
        "hub_unavailable", "No se puede conectar con el hub de la oficina."))
    tab.save.click()
    qtbot.waitUntil(lambda: admin_in.offline, timeout=10_000)
    assert admin_in.banner.kind == "offline"
    assert "se conserva" in admin_in.banner.text()
    assert tab.office_name.text() == "CAC Cajamarca Centro"
    assert admin_session(hub).office_settings().office_name == hub.config.office_name
    before = tab.loads
    tab.save.click()  # the hub is back: the same form goes through
    answered(qtbot, tab, before)
    assert admin_session(hub).office_settings().office_name == "CAC Cajamarca Centro"
    assert not admin_in.offline
    assert admin_in.work.office.text() == "CAC Cajamarca Centro · Administración"


def test_a_central_without_its_credential_is_asked_for_plainly(
        qtbot: QtBot, hub: OfficeHub, admin_in: AdminWindow, tmp_path: Path) -> None:
    """After a restore or on a new PC the central is set but its credential is not there
    (backups never carry it): the window says so and asks for it (issue 14)."""
    admin_session(hub).change_office_settings(OfficeSettingsChange(
        central_url="https://central.cajamarca.gob.pe"))
    assert not admin_session(hub).office_settings().central_credential_set
    tab = _office(qtbot, admin_in)
    [shown] = [widget for widget in tab.findChildren(QLabel) if widget.isVisibleTo(tab)
               and widget.text().startswith("Falta la credencial de la central: escríbala "
                                            "de nuevo")]
    assert shown is tab.credential_missing
    assert tab.credential_missing.kind == "offline"  # amber: a warning, not a failure
    shot = tmp_path / "falta-credencial.png"
    assert admin_in.grab().save(str(shot))

    type_text(qtbot, tab.credential, "credencial-nueva-CAJ")
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    assert admin_session(hub).office_settings().central_credential_set
    assert hub.data_dir.central_credential() == "credencial-nueva-CAJ"
    assert not tab.credential_missing.isVisibleTo(tab)

    tab.central_url.clear()  # a central no longer used: nothing to ask
    tab.clear_credential.click()
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    assert not tab.credential_missing.isVisibleTo(tab)
    assert not hub.data_dir.secrets_file.read_text("utf-8").count("credencial-nueva")


def test_the_public_address_of_the_qr_codes(qtbot: QtBot, hub: OfficeHub,
                                            admin_in: AdminWindow) -> None:
    """Where the documents' QR codes lead (issue 15): typed here, or central's, or none."""
    tab = _office(qtbot, admin_in)
    assert tab.public_url.text() == "" and "no llevan QR" in tab.public_state.text()
    type_text(qtbot, tab.public_url, "tramites.cajamarca.gob.pe")  # no https://
    tab.save.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert "https://" in tab.notice.text() and hub.health().public_url == ""

    tab.public_url.clear()
    type_text(qtbot, tab.public_url, "https://tramites.cajamarca.gob.pe/t/")
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    assert admin_session(hub).office_settings().public_url == "https://tramites.cajamarca.gob.pe"
    assert hub.health().public_url == "https://tramites.cajamarca.gob.pe"  # at once
    assert tab.public_url.text() == "https://tramites.cajamarca.gob.pe"
    assert "llevan a https://tramites.cajamarca.gob.pe/t/" in tab.public_state.text()

    # Central announced its own; the field emptied gives way to it, and says so.
    assert hub.learn_central_public_url("https://consulta.cajamarca.gob.pe")
    tab.public_url.clear()
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    assert hub.health().public_url == "https://consulta.cajamarca.gob.pe"
    assert tab.public_url.placeholderText() == "https://consulta.cajamarca.gob.pe"
    assert "la que indica la central" in tab.public_state.text()


def test_a_tab_says_restart_only_for_its_own_settings(qtbot: QtBot, hub: OfficeHub,
                                                       admin_in: AdminWindow) -> None:
    """A printer setting waiting for the hub's restart is said on «Impresora», not on
    «Feriados», which has nothing to restart."""
    admin_session(hub).change_office_settings(OfficeSettingsChange(printer_width_mm=58))
    waiting = admin_session(hub).office_settings().restart_needed
    assert "printer_width_mm" in waiting
    printer = _printer(qtbot, admin_in)
    qtbot.waitUntil(lambda: printer.settings is not None, timeout=10_000)
    assert "ancho del papel" in printer.restart.text()
    calendar = open_tab(qtbot, admin_in, "calendar")
    assert isinstance(calendar, SettingsTab)
    qtbot.waitUntil(lambda: calendar.settings is not None, timeout=10_000)
    assert calendar.settings is not None and calendar.settings.restart_needed == waiting
    assert calendar.restart.text() == "" and not calendar.restart.isVisibleTo(calendar)
