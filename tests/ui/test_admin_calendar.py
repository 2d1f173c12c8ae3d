"""Feriados: the administrator says where the office is and sees which of the days central
sent count here (issue 20). A day for Cusco (department 08) does not count in Cajamarca."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.hub import SYSTEM, OfficeHub
from tests.ui.admin_support import answered, cells, open_tab
from tests.ui.counter_support import type_text
from ui.admin.calendar_tab import CalendarTab
from ui.admin.window import AdminWindow


def test_the_admin_places_the_office_and_sees_which_days_count(
        qtbot: QtBot, hub: OfficeHub, admin_in: AdminWindow, tmp_path: Path) -> None:
    days = tmp_path / "dias.toml"
    days.write_text('[[non_working_days]]\ndate = 2026-06-24\nname = "Inti Raymi"\n'
                    'scope = "departamento"\nplace = "08"\n\n'
                    '[[non_working_days]]\ndate = 2026-12-24\nname = "Día no laborable"\n'
                    'scope = "sector_publico"\n', encoding="utf-8")
    hub.import_catalogue(SYSTEM, days)
    tab = open_tab(qtbot, admin_in, "calendar")
    assert isinstance(tab, CalendarTab)
    assert [row[::2] + row[3:] for row in cells(tab.days_model)] == [
        ["24/06/2026", "departamento 08", "No (otro lugar)"],
        ["24/12/2026", "sector público (nacional)", "Sí"]]

    before = tab.loads
    type_text(qtbot, tab.ubigeo, "080101")  # the office is in Cusco
    tab.submit()
    answered(qtbot, tab, before)
    qtbot.waitUntil(lambda: cells(tab.days_model)[0][3] == "Sí", timeout=10_000)
    assert hub.config.ubigeo == "080101"

    type_text(qtbot, tab.cutoff, "5 pm")
    tab.submit()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert "HH:MM" in tab.notice.text()
