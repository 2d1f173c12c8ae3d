"""Firma: the administrator imports the municipality's certificate (a wrong password is
refused and nothing is kept), sees who it belongs to and until when, and names the registrar
who signs (issue 18)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.hub import OfficeHub
from kiosk.signing.demo import P12_PASSWORD, make_authority
from tests.conftest import START
from tests.ui.admin_support import answered, open_tab
from tests.ui.conftest import ChosenFiles
from tests.ui.counter_support import type_text
from ui.admin.signing_tab import SigningTab
from ui.admin.window import AdminWindow


def shown(tab: SigningTab) -> dict[str, str]:
    layout = tab.details
    return {layout.itemAt(row, layout.ItemRole.LabelRole).widget().text():  # type: ignore[union-attr]
            layout.itemAt(row, layout.ItemRole.FieldRole).widget().text()  # type: ignore[union-attr]
            for row in range(layout.rowCount())}


def test_the_admin_imports_the_certificate_and_names_who_signs(
        qtbot: QtBot, hub: OfficeHub, admin_in: AdminWindow, file_dialogs: ChosenFiles,
        tmp_path: Path) -> None:
    tab = open_tab(qtbot, admin_in, "signing")
    assert isinstance(tab, SigningTab)
    assert shown(tab)["Estado:"].startswith("Sin certificado")
    p12 = tmp_path / "firma.p12"
    p12.write_bytes(make_authority(START).p12)
    file_dialogs.next = p12
    tab.choose_file()
    assert tab.file_name.text() == str(p12)

    type_text(qtbot, tab.password, "otra")
    tab.import_certificate()
    qtbot.waitUntil(lambda: tab.certificate_notice.kind == "error", timeout=10_000)
    assert "la contraseña no es correcta" in tab.certificate_notice.text()
    assert tab.password.text() == "" and not hub.data_dir.signing.joinpath(
        "certificate.p12").exists()

    type_text(qtbot, tab.password, P12_PASSWORD)
    tab.import_certificate()
    qtbot.waitUntil(lambda: tab.certificate_notice.kind == "info", timeout=10_000)
    details = shown(tab)
    assert details["Titular:"] == ("Registro Civil - Firma de prueba — Municipalidad "
                                   "Provincial de Cajamarca")
    assert details["Emitido por:"] == "CA de prueba (throwaway)"
    assert details["Estado:"] == "Vigente" and details["Vigencia:"].startswith("del 19/11/2026")
    assert tab.password.text() == ""

    before = tab.loads
    type_text(qtbot, tab.users, "ana, Luis")
    tab.submit()
    answered(qtbot, tab, before)
    assert hub.config.signing_users == "ana, luis"
    assert tab.users.text() == "ana, luis"
