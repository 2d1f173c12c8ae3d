"""Servicios › Citas in the admin window (pytest-qt, a real hub): the admin makes a service
take citas with its slot length and walk-in share, and switches it off again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.hub import SYSTEM, OfficeHub
from ui.admin.services_tab import ServicesTab
from ui.admin.window import AdminWindow


def test_a_service_takes_citas_and_stops(qtbot: QtBot, hub: OfficeHub,
                                         admin_in: AdminWindow, tmp_path: Path) -> None:
    tab = admin_in.services
    assert isinstance(tab, ServicesTab)
    qtbot.waitUntil(lambda: "licencias" in tab.plans, timeout=10_000)
    row = tab.model.find("licencias")
    tab.table.selectRow(row)
    assert not tab.takes_citas.isChecked() and not tab.slot_minutes.isEnabled()
    assert tab.citas_hint.text().startswith("Lo atienden 2 ventanilla(s)")
    tab.takes_citas.setChecked(True)
    assert tab.slot_minutes.isEnabled()
    tab.slot_minutes.setValue(45)
    tab.walkin_percent.setValue(40)
    tab.save_citas.click()
    qtbot.waitUntil(lambda: tab.notice.text().startswith("«Licencias»"), timeout=10_000)
    assert tab.notice.text() == "«Licencias»: citas de 45 min, 40 % del día sin cita."
    (plan,) = [p for p in hub.cita_services(SYSTEM) if p.service == "licencias"]
    assert (plan.takes_citas, plan.slot_minutes, plan.walkin_percent) == (True, 45, 40)
    QApplication.processEvents()
    admin_in.grab().save(str(tmp_path / "admin-citas.png"))
    tab.takes_citas.setChecked(False)
    tab.save_citas.click()
    qtbot.waitUntil(lambda: tab.notice.text().endswith("no atiende con cita."), timeout=10_000)
    assert not [p for p in hub.cita_services(SYSTEM) if p.takes_citas]
