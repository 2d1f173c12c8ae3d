"""The supervisor's Citas sub-tab beside the queue's figures (pytest-qt, a real hub): bookings,
on-time and late arrivals and no-shows per service and day, the same as the hub's CSV."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.cita_views import CheckInInput, CitaInput, CitaPlanInput
from tests.conftest import LIMA, START
from tests.ui.supervisor_support import cells, hub_client, make_supervisor, parse_csv

DAY = START.date()


def at(hour: int, minute: int) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=LIMA)


def test_the_citas_of_the_day_beside_the_queue(qtbot: QtBot, hub: OfficeHub,
                                               clock: VirtualClock, tokens: dict[str, str],
                                               tmp_path: Path) -> None:
    hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60, walkin_percent=50))
    for document, name, hour in (("11112222", "Rosa Quispe", 8), ("33334444", "Carlos Mamani", 9),
                                 ("55556666", "Diana Torres", 10), ("77778888", "Eva Soto", 11)):
        hub.book_cita(SYSTEM, CitaInput(service="licencias", start=at(hour, 30),
                                        document=document, name=name))
    clock.advance(at(8, 25) - clock.now())
    hub.check_in_cita(SYSTEM, CheckInInput(query="11112222"))  # on time
    clock.advance(at(9, 45) - clock.now())
    hub.check_in_cita(SYSTEM, CheckInInput(query="33334444"))  # late: the regular queue
    clock.advance(at(10, 50) - clock.now())  # Diana never came; Eva's slot is still ahead
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    window.show_tab("history")
    window.history.tables.show_name("citas")
    qtbot.waitUntil(lambda: window.history.citas.rowCount() == 1, timeout=10_000)
    assert cells(window.history.citas) == [["20/11/2026", "licencias", "4", "1", "1", "1", "0",
                                            "1"]]
    assert window.history.citas_hint.text().startswith(
        "4 citas reservadas: 2 llegaron (1 tarde, a la cola normal) y 1 no asistieron")
    heading, rows = parse_csv(hub.export_report_table(SYSTEM, "citas", DAY, DAY))
    assert heading[:3] == ["Fecha", "Servicio", "Reservadas"]
    assert rows == [["2026-11-20", "licencias", "4", "1", "1", "1", "0", "1"]]
    QApplication.processEvents()
    window.grab().save(str(tmp_path / "supervisor-citas.png"))
