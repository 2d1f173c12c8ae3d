"""Servicios › Citas in the admin window (pytest-qt, a real hub): the admin makes a service
take citas with its slot length and walk-in share, and switches it off again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
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
    # Places for central's booking page: one of each slot of Monday 23 Nov. 45-minute slots
    # from 08:30 to 16:30: 10; × 2 counters = 20 places, 40 % for walk-ins leaves 12, spread
    # 1,1,1,1,2,1,1,1,1,2: central gets one of each, 10 in all.
    tab.central_day.setDate(QDate(2026, 11, 23))
    tab.central_places.setValue(1)
    tab.delegate.click()
    qtbot.waitUntil(lambda: "la central tiene" in tab.notice.text(), timeout=10_000)
    assert tab.notice.text().startswith("«Licencias», 23/11/2026: la central tiene 10 cupo(s)")
    monday = hub.cita_slots(SYSTEM, "licencias", date(2026, 11, 23)).slots
    assert [(s.places, s.central, s.free) for s in monday] == [
        (1, 1, 0)] * 4 + [(2, 1, 1)] + [(1, 1, 0)] * 4 + [(2, 1, 1)]
    QApplication.processEvents()
    admin_in.grab().save(str(tmp_path / "admin-citas.png"))
    tab.takes_citas.setChecked(False)
    tab.save_citas.click()
    qtbot.waitUntil(lambda: tab.notice.text().endswith("no atiende con cita."), timeout=10_000)
    assert not [p for p in hub.cita_services(SYSTEM) if p.takes_citas]
