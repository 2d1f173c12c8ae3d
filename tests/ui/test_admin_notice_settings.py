"""The admin sets the notices' providers in the Oficina tab (fields made from
kiosk/settings.py): the SMTP server and sender, the SMS gateway and its key; the password and
the key are write-only (secrets.toml), a gateway without https is refused in Spanish."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.settings import Group
from tests.ui.admin_support import answered, open_tab
from ui.admin.notices_tab import NoticesTab
from ui.admin.widgets import choose
from ui.admin.window import AdminWindow

KEY = "sk-live-0123456789"


def test_the_admin_sets_the_notice_providers(qtbot: QtBot, hub: OfficeHub, data_dir: DataDir,
                                             admin_in: AdminWindow, tmp_path: Path) -> None:
    tab = open_tab(qtbot, admin_in, "notices")
    assert isinstance(tab, NoticesTab)
    fields = tab.fields
    assert fields.groups() == [Group.NOTICES]
    key = fields.line("notice_sms_key")
    assert key.placeholderText() == ""  # nothing stored yet
    fields.line("notice_smtp_host").setText("smtp.cajamarca.gob.pe")
    fields.line("notice_sender").setText("avisos@cajamarca.gob.pe")
    fields.line("notice_smtp_user").setText("avisos")
    fields.line("notice_smtp_password").setText("clave-del-correo")
    choose(fields.combo("notice_smtp_security"), "ssl")
    fields.spin("notice_smtp_port").setValue(465)
    fields.line("notice_sms_url").setText("http://sms.proveedor.pe/v1/send")
    key.setText(KEY)
    before = tab.loads
    tab.save.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert "https://" in tab.notice.text()  # the key never travels in clear
    assert tab.loads == before and key.text() == KEY  # nothing lost

    fields.line("notice_sms_url").setText("https://sms.proveedor.pe/v1/send")
    tab.save.click()
    answered(qtbot, tab, before)
    config = hub.config
    assert (config.notice_smtp_host, config.notice_smtp_port, config.notice_smtp_security,
            config.notice_sender, config.notice_sms_url, config.notice_sms_key) == (
        "smtp.cajamarca.gob.pe", 465, "ssl", "avisos@cajamarca.gob.pe",
        "https://sms.proveedor.pe/v1/send", KEY)
    assert key.text() == "" and "guardada" in key.placeholderText()
    assert "guardada" in fields.line("notice_smtp_password").placeholderText()
    secrets = tomllib.loads(data_dir.secrets_file.read_text(encoding="utf-8"))
    assert (secrets["notice_sms_key"], secrets["notice_smtp_password"]) == (
        KEY, "clave-del-correo")
    assert KEY.encode() not in data_dir.database.read_bytes()

    assert tab.example.text() == (
        "CAC Cajamarca: su expediente CAJ-2026-000123 fue OBSERVADO. Acérquese a subsanarlo "
        "dentro de 2 dias habiles.")
    shot = Path(os.environ.get("CAC_SHOTS", tmp_path)) / "admin_notice_settings.png"
    assert admin_in.grab().save(str(shot))
